"""Forgiving search (issue 15): GET /api/v1/search. Names found despite a typo or a missing
accent (the FTS5 trigram index of the folded names), kept in step with every create, rename
and delete; A-numbers with or without their A and passport numbers through the blind index
(a look-up: limited and audited, never logged); receipt numbers and request references; a
strict query string. Each test uses names of its own (a random syllable) so the tests of the
class share a server.
"""

import random
import urllib.parse

from harness import ApiTestCase, unique_receipt

SYLLABLES = ["ka", "lo", "mi", "ve", "tu", "ra", "ze", "no", "pi", "su", "da", "go"]


def invented(n=4):
    """A made-up word no other test uses (letters only)."""
    return "".join(random.choice(SYLLABLES) for _ in range(n)) + random.choice("bdfgkmnprstvz")


class SearchCase(ApiTestCase):

    def search(self, q, limit=None, **kw):
        query = {"q": q} if limit is None else {"q": q, "limit": limit}
        r = self.get("/api/v1/search?" + urllib.parse.urlencode(query), **kw)
        self.assertStatus(r, 200)
        return r.json["items"]

    def hit_ids(self, q, kind="client", **kw):
        return [h["id"] for h in self.search(q, **kw) if h["kind"] == kind]


class Names(SearchCase):

    def test_typos_and_accents_find_the_name_best_first(self):
        stem = invented()
        gonzalez = self.make_client(family_name=stem + "gonzález", given_name="María")
        other = self.make_client(family_name=stem + "hernandez", given_name="José")
        for typed in (stem + "gonzalves", stem + "gonzales", stem.upper() + "GONZALEZ",
                      "maria " + stem + "gonzalez", stem + "gonzalez maría"):
            with self.subTest(typed=typed):
                hits = self.search(typed)
                mine = [h for h in hits if h["client_id"] in (gonzalez["id"], other["id"])]
                self.assertTrue(mine, "%r finds nothing: %r" % (typed, hits))
                self.assertEqual(mine[0]["id"], gonzalez["id"], hits)
                self.assertEqual((mine[0]["kind"], mine[0]["matched"]), ("client", "name"))
                self.assertEqual(mine[0]["label"], "%sgonzález, María" % stem)
        exact = [h for h in self.search(stem + "gonzalez") if h["id"] == gonzalez["id"]][0]
        typo = [h for h in self.search(stem + "gonzalves") if h["id"] == gonzalez["id"]][0]
        self.assertEqual(exact["score"], 1)
        self.assertLess(typo["score"], 1)
        self.assertGreaterEqual(typo["score"], 0.5)

    def test_a_name_far_from_the_query_is_not_a_hit(self):
        stem = invented()
        c = self.make_client(family_name=stem + "rodriguez", given_name="Ana")
        self.assertIn(c["id"], self.hit_ids(stem + "rodrigez"))
        self.assertNotIn(c["id"], self.hit_ids(invented() + "kowalski"))

    def test_a_two_letter_family_name_is_found(self):
        given = invented()
        c = self.make_client(family_name="Li", given_name=given)
        other = self.make_client(family_name="Lindqvist", given_name=given)
        hits = [h for h in self.search("li") if h["id"] in (c["id"], other["id"])]
        self.assertEqual([(h["id"], h["score"]) for h in hits],
                         [(c["id"], 1), (other["id"], 0.9)], "the Li first, then names from li")
        self.assertEqual(self.hit_ids("LI " + given)[:1], [c["id"]])

    def test_other_names_and_cyrillic_are_searched(self):
        stem = invented()
        c = self.make_client(family_name="Шевченко" + stem, given_name="Олена",
                             other_names=["Shevchenko " + stem + "ova"])
        self.assertIn(c["id"], self.hit_ids("шевченко" + stem))
        self.assertIn(c["id"], self.hit_ids("ШЕВЧЕНКО" + stem))
        self.assertIn(c["id"], self.hit_ids(stem + "ova"))

    def test_the_index_follows_renames_and_deletes(self):
        stem = invented()
        c = self.make_client(family_name=stem + "petrenko", given_name="Iryna")
        self.assertIn(c["id"], self.hit_ids(stem + "petrenko"))
        r = self.patch("/api/v1/clients/%d" % c["id"], {"family_name": stem + "marchuk"})
        self.assertStatus(r, 200)
        self.assertNotIn(c["id"], self.hit_ids(stem + "petrenko"))
        self.assertIn(c["id"], self.hit_ids(stem + "marchuk"))
        r = self.delete("/api/v1/clients/%d" % c["id"])
        self.assertStatus(r, 204)
        self.assertNotIn(c["id"], self.hit_ids(stem + "marchuk"))

    def test_limit_caps_the_hits(self):
        stem = invented()
        made = [self.make_client(family_name=stem + "kovac", given_name="N%d" % i)["id"]
                for i in range(4)]
        hits = self.search(stem + "kovac", limit=2)
        self.assertEqual(len(hits), 2)
        self.assertTrue(set(h["id"] for h in hits) <= set(made))


class Identifiers(SearchCase):

    def test_an_a_number_with_or_without_its_a_is_a_counted_audited_lookup(self):
        digits = "%09d" % random.randrange(100000000, 999999999)
        c = self.make_client(family_name=invented(), a_number="A" + digits)
        for typed in ("A" + digits, digits, "a-" + digits[:3] + "-" + digits[3:6] + "-" + digits[6:]):
            with self.subTest(typed=typed):
                hits = self.search(typed)
                self.assertEqual([(h["kind"], h["id"], h["matched"], h["score"]) for h in hits],
                                 [("client", c["id"], "a_number", 1)])
                self.assertNotIn(digits, str(hits), "a label never carries the identifier")
        events = [e for e in self.list_all("/api/v1/audit-events?entity=clients&order=desc")
                  if e["action"] == "lookup_identifiers" and e["entity_id"] == c["id"]]
        self.assertGreaterEqual(len(events), 3)
        for e in events:
            self.assertIn("a_number", e["changes"]["filters"]["after"], e)
        self.assertNotIn(digits, str(events))
        self.assertNotIn(digits, self.server.log_text())

    def test_a_passport_number_finds_its_client(self):
        passport = "XK%07d" % random.randrange(1000000, 9999999)
        c = self.make_client(family_name=invented(), passport_number=passport)
        hits = self.search(passport.lower())
        self.assertEqual([(h["id"], h["matched"]) for h in hits], [(c["id"], "passport_number")])

    def test_lookups_are_limited_like_the_clients_filter(self):
        viewer = self.session_as("viewer")
        statuses = [self.get("/api/v1/search?q=A%09d" % (100000000 + i), auth=viewer).status
                    for i in range(31)]
        self.assertEqual(statuses[:30], [200] * 30)
        r = self.get("/api/v1/search?q=A123456789", auth=viewer)
        self.assertProblem(r, 429, "too-many-lookups")
        # a name is not a look-up: still answered
        r = self.get("/api/v1/search?q=" + invented(), auth=viewer)
        self.assertStatus(r, 200)

    def test_a_receipt_number_and_a_request_reference_find_the_request(self):
        c = self.make_client(family_name=invented(), given_name="Oksana")
        pr = self.make_request(c["id"])
        receipt = unique_receipt("IOE")
        self.make_child(pr["id"], "filings", receipt_number=receipt)
        for typed in (receipt, receipt.lower(), receipt[:3] + "-" + receipt[3:]):
            hits = self.search(typed)
            self.assertEqual([(h["kind"], h["id"], h["client_id"], h["matched"]) for h in hits],
                             [("parole_request", pr["id"], c["id"], "receipt_number")], typed)
            self.assertTrue(hits[0]["label"].startswith(c["family_name"]), hits)
        for typed in ("PR-%d" % pr["id"], "pr %d" % pr["id"], "#%d" % pr["id"],
                      "Request %d" % pr["id"]):
            self.assertEqual([(h["kind"], h["id"]) for h in self.search(typed)],
                             [("parole_request", pr["id"])], typed)


class Refused(SearchCase):

    def test_a_bad_query_string_names_the_parameter(self):
        for query, field in (("", "q"), ("?q=", "q"), ("?q=%20%20", "q"),
                             ("?q=x&limit=0", "limit"), ("?q=x&limit=51", "limit"),
                             ("?q=x&limit=two", "limit"), ("?q=x&q=y", "q"),
                             ("?q=x&sort=name", "sort"), ("?q=" + "x" * 801, "q")):
            with self.subTest(query=query):
                r = self.get("/api/v1/search" + query)
                self.assertProblem(r, 400, field=field)
        r = self.get("/api/v1/search?q=anything", auth=None)
        self.assertProblem(r, 401)
