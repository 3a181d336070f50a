"""Duplicate clients (issue 15). An A-number or passport number already on another client is a
409 naming that client (found through the blind index; the identifier never appears in the
answer); the same date of birth and a close name is a 409 possible-duplicate listing the
candidates, which the paralegal confirms with distinct_from, kept so the two are not flagged
again. Every refusal changes nothing. Names are made up per test, so the tests of the class
share a server.
"""

import random

from harness import ApiTestCase, token

SYLLABLES = ["ka", "lo", "mi", "ve", "tu", "ra", "ze", "no", "pi", "su", "da", "go"]


def invented():
    return "".join(random.choice(SYLLABLES) for _ in range(4)).title() + "enko"


def a_number():
    return "A%09d" % random.randrange(100000000, 999999999)


class DuplicateCase(ApiTestCase):

    def client_count(self):
        return len(self.list_all("/api/v1/clients"))

    def assertDuplicates(self, r, status_slug, expected):
        """A 409 of that type whose duplicates are [(client_id, matched)]."""
        self.assertProblem(r, 409, status_slug)
        got = [(d["client_id"], d["matched"]) for d in r.json["duplicates"]]
        self.assertEqual(got, expected, repr(r))


class SameIdentifier(DuplicateCase):

    def test_an_a_number_already_on_a_client_is_a_409_naming_it(self):
        number = a_number()
        first = self.make_client(family_name=invented(), given_name="Olena", a_number=number)
        before = self.client_count()
        for typed in (number, number.lower(), number[1:4] + "-" + number[4:]):
            body = {"family_name": invented(), "given_name": "Petro", "a_number": "A" + typed
                    if not typed.upper().startswith("A") else typed}
            r = self.post("/api/v1/clients", body)
            self.assertDuplicates(r, "conflict", [(first["id"], "a_number")])
            self.assertIn("a_number", r.fields())
            self.assertIn("#%d" % first["id"], r.json["detail"])
            self.assertIn(first["family_name"], r.json["duplicates"][0]["label"])
            self.assertNotIn(number[1:], r.raw.decode(), "the answer never carries the number")
        self.assertEqual(self.client_count(), before, "nothing was created")

    def test_a_passport_number_already_on_a_client_is_a_409(self):
        passport = "FP%07d" % random.randrange(1000000, 9999999)
        first = self.make_client(family_name=invented(), passport_number=passport)
        second = self.make_client(family_name=invented())
        r = self.patch("/api/v1/clients/%d" % second["id"], {"passport_number": passport})
        self.assertDuplicates(r, "conflict", [(first["id"], "passport_number")])
        self.assertIn("passport_number", r.fields())
        got = self.get("/api/v1/clients/%d" % second["id"]).json
        self.assertIsNone(got["passport_number"], "the refused edit changed nothing")
        self.assertEqual(got["version"], second["version"])

    def test_a_client_keeps_its_own_identifiers_through_an_edit(self):
        number = a_number()
        c = self.make_client(family_name=invented(), a_number=number, date_of_birth="1980-02-03")
        r = self.patch("/api/v1/clients/%d" % c["id"], {"a_number": number, "notes": "same"})
        self.assertStatus(r, 200)

    def test_distinct_from_does_not_excuse_a_shared_identifier(self):
        number = a_number()
        first = self.make_client(family_name=invented(), a_number=number)
        r = self.post("/api/v1/clients", {"family_name": invented(), "given_name": "X",
                                          "a_number": number, "distinct_from": [first["id"]]})
        self.assertDuplicates(r, "conflict", [(first["id"], "a_number")])


class Likely(DuplicateCase):

    def test_same_birth_date_and_a_close_name_is_a_possible_duplicate_to_confirm(self):
        family = invented()
        first = self.make_client(family_name=family, given_name="Maria",
                                 date_of_birth="1988-04-12")
        before = self.client_count()
        body = {"family_name": family[:-1] + "a", "given_name": "Maria",
                "date_of_birth": "1988-04-12"}
        r = self.post("/api/v1/clients", body)
        self.assertDuplicates(r, "possible-duplicate", [(first["id"], "name_and_date_of_birth")])
        self.assertGreaterEqual(r.json["duplicates"][0]["score"], 0.6)
        self.assertIn("distinct_from", r.json["detail"])
        self.assertEqual(self.client_count(), before, "nothing was created")
        # the paralegal checked: a different person
        body["distinct_from"] = [first["id"]]
        second = self.create("/api/v1/clients", body)
        self.assertEqual(second["distinct_from"], [first["id"]])
        # and the two are not flagged again, from either side
        r = self.patch("/api/v1/clients/%d" % second["id"], {"given_name": "María"})
        self.assertStatus(r, 200)
        r = self.patch("/api/v1/clients/%d" % first["id"], {"given_name": "Marija"})
        self.assertStatus(r, 200)

    def test_another_birth_date_or_another_name_is_no_duplicate(self):
        family = invented()
        self.make_client(family_name=family, given_name="Ivan", date_of_birth="1975-09-30")
        self.make_client(family_name=family, given_name="Ivan", date_of_birth="1975-09-29")
        self.make_client(family_name=invented(), given_name="Bohdan", date_of_birth="1975-09-30")
        # no date of birth: nothing to judge by
        self.make_client(family_name=family, given_name="Ivan")

    def test_an_edit_that_makes_two_clients_alike_is_flagged(self):
        family = invented()
        first = self.make_client(family_name=family, given_name="Anna",
                                 date_of_birth="1990-01-15")
        second = self.make_client(family_name=family, given_name="Anna",
                                  date_of_birth="1991-01-15", distinct_from=[])
        r = self.patch("/api/v1/clients/%d" % second["id"], {"date_of_birth": "1990-01-15"})
        self.assertDuplicates(r, "possible-duplicate", [(first["id"], "name_and_date_of_birth")])
        # an edit that touches neither names nor the date passes (an old pair is not re-judged)
        r = self.patch("/api/v1/clients/%d" % second["id"], {"notes": "called " + token(5)})
        self.assertStatus(r, 200)

    def test_names_of_200_characters_in_any_script_are_judged_too(self):
        family, given = "Ж" * 199 + invented()[0], "Ї" * 200
        first = self.make_client(family_name=family, given_name=given, date_of_birth="1970-05-05")
        r = self.post("/api/v1/clients", {"family_name": family, "given_name": given,
                                          "date_of_birth": "1970-05-05"})
        self.assertDuplicates(r, "possible-duplicate", [(first["id"], "name_and_date_of_birth")])
        self.assertTrue(r.json["duplicates"][0]["label"].startswith("Ж"), r.json["duplicates"])

    def test_distinct_from_takes_client_ids_only(self):
        before = self.client_count()
        for bad in ([0], ["7"], [1, 1], list(range(1, 52)), "1", {"id": 1}):
            r = self.post("/api/v1/clients", {"family_name": invented(), "given_name": "Z",
                                              "distinct_from": bad})
            self.assertProblem(r, 422, "validation")
            self.assertTrue(any(f.startswith("distinct_from") for f in r.fields()), repr(r))
        self.assertEqual(self.client_count(), before)
