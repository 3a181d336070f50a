"""Clients: create, read, merge-patch, delete, normalisation, search."""

import unittest
import urllib.parse

from harness import (ApiTestCase, assert_record_shape, day, listed, token, unique_a_number,
                     unique_passport)

FULL = {
    "family_name": "Hernández García",
    "given_name": "José Luis",
    "other_names": ["Pepe", "J. L. Hernandez"],
    "date_of_birth": "1988-02-29",
    "country_of_birth": "VE",
    "citizenship": "VE",
    "a_number": "A123456789",
    "passport_number": "X12345678",
    "passport_country": "VE",
    "passport_expires_on": "2031-07-15",
    "email": "jose.hernandez@example.org",
    "phone": "+1 (305) 555-0142",
    "address": "1200 Brickell Ave, Apt 4B\nMiami, FL 33131",
    "preferred_language": "es-419",
    "notes": "Prefers WhatsApp. Sister in Caracas.",
}


class Clients(ApiTestCase):

    def test_create_minimal_defaults(self):
        r = self.post("/api/v1/clients", {"family_name": "Lee", "given_name": "Ann"})
        self.assertStatus(r, 201)
        rec = r.json
        assert_record_shape(self, "clients", rec)
        self.assertEqual(rec["family_name"], "Lee")
        self.assertEqual(rec["given_name"], "Ann")
        self.assertEqual(rec["other_names"], [])
        for k in ("date_of_birth", "country_of_birth", "citizenship", "a_number",
                  "passport_number", "passport_country", "passport_expires_on", "email",
                  "phone", "address", "preferred_language", "notes"):
            self.assertIsNone(rec[k], k)
        self.assertEqual(rec["version"], 1)
        self.assertEqual(r.header("Location"), "/api/v1/clients/%d" % rec["id"])
        self.assertEqual(r.header("ETag"), '"1"')
        self.assertEqual((r.header("Content-Type") or "").split(";")[0], "application/json")

    def test_create_full_and_get(self):
        full = dict(FULL, a_number=unique_a_number(), passport_number=unique_passport("X"))
        r = self.post("/api/v1/clients", full)
        self.assertStatus(r, 201)
        rec = r.json
        assert_record_shape(self, "clients", rec)
        for k, v in full.items():
            self.assertEqual(rec[k], v, k)
        g = self.get("/api/v1/clients/%d" % rec["id"])
        self.assertStatus(g, 200)
        self.assertEqual(g.json, rec)
        self.assertEqual(g.header("ETag"), '"1"')

    def test_location_header_resolves(self):
        r = self.post("/api/v1/clients", {"family_name": "Loc", "given_name": "Ation"})
        self.assertStatus(r, 201)
        g = self.get(r.header("Location"))
        self.assertStatus(g, 200)
        self.assertEqual(g.json["id"], r.json["id"])

    def test_ids_are_distinct_and_increasing(self):
        a = self.make_client()
        b = self.make_client()
        self.assertGreater(b["id"], a["id"])

    def test_a_number_normalised(self):
        cases = {
            "A1234567": "A001234567",
            "a12345678": "A012345678",
            "A-123-456-789": "A123456789",
            "a 123 4567": "A001234567",
            " A098765432 ": "A098765432",
        }
        for given, stored in cases.items():
            with self.subTest(a_number=given):
                rec = self.make_client(a_number=given)
                self.assertEqual(rec["a_number"], stored)
                # two clients never share an A-number: make room for the next case
                self.assertStatus(self.delete("/api/v1/clients/%d" % rec["id"]), 204)

    def test_codes_upper_cased_and_trimmed(self):
        rec = self.make_client(citizenship="ua", country_of_birth=" ua ", passport_country="Ua",
                               passport_number="fa 123456")
        self.assertEqual(rec["citizenship"], "UA")
        self.assertEqual(rec["country_of_birth"], "UA")
        self.assertEqual(rec["passport_country"], "UA")
        self.assertEqual(rec["passport_number"], "FA123456")

    def test_language_tags_accepted(self):
        for tag in ("uk", "ru", "es-419", "prs", "ps-AF", "ht", "ar-EG", "zh-Hant-TW",
                    "sr-Latn-RS", "en-US"):
            with self.subTest(tag=tag):
                rec = self.make_client(preferred_language=tag)
                self.assertEqual(rec["preferred_language"], tag)

    def test_phone_and_email_returned_as_given(self):
        rec = self.make_client(phone="+380 (44) 123-45.67", email="o.koval@mail.example.com.ua")
        self.assertEqual(rec["phone"], "+380 (44) 123-45.67")
        self.assertEqual(rec["email"], "o.koval@mail.example.com.ua")

    def test_boundary_lengths_accepted(self):
        rec = self.make_client(family_name="F" * 200, given_name="G",
                               other_names=["n%d" % i for i in range(20)],
                               email="a" * 242 + "@example.com", address="x" * 1000,
                               notes="y" * 10000)
        self.assertEqual(len(rec["family_name"]), 200)
        self.assertEqual(len(rec["other_names"]), 20)
        self.assertEqual(len(rec["email"]), 254)
        self.assertEqual(len(rec["notes"]), 10000)

    def test_date_of_birth_today_and_leap_day_accepted(self):
        rec = self.make_client(date_of_birth=day(0))
        self.assertEqual(rec["date_of_birth"], day(0))
        rec = self.make_client(date_of_birth="2000-02-29")
        self.assertEqual(rec["date_of_birth"], "2000-02-29")
        rec = self.make_client(date_of_birth="1900-01-01")
        self.assertEqual(rec["date_of_birth"], "1900-01-01")

    def test_patch_merge_semantics(self):
        rec = self.make_client(email="a@example.com", phone="5551234567", notes="keep me")
        path = "/api/v1/clients/%d" % rec["id"]
        r = self.patch(path, {"email": "b@example.com", "phone": None})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["email"], "b@example.com")
        self.assertIsNone(r.json["phone"])
        self.assertEqual(r.json["notes"], "keep me")
        self.assertEqual(r.json["family_name"], rec["family_name"])
        self.assertEqual(r.json["version"], 2)
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertEqual(r.json["created_at"], rec["created_at"])
        self.assertGreaterEqual(r.json["updated_at"], rec["updated_at"])
        g = self.get(path)
        self.assertEqual(g.json, r.json)

    def test_patch_merge_patch_content_type(self):
        rec = self.make_client()
        r = self.patch("/api/v1/clients/%d" % rec["id"], {"notes": "via merge-patch"},
                       content_type="application/merge-patch+json")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["notes"], "via merge-patch")

    def test_patch_replaces_arrays(self):
        rec = self.make_client(other_names=["A", "B", "C"])
        path = "/api/v1/clients/%d" % rec["id"]
        r = self.patch(path, {"other_names": ["Z"]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["other_names"], ["Z"])
        r = self.patch(path, {"other_names": []})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["other_names"], [])

    def test_patch_other_names_null_clears_to_empty(self):
        rec = self.make_client(other_names=["A"])
        r = self.patch("/api/v1/clients/%d" % rec["id"], {"other_names": None})
        # other_names is optional with default []: clearing it gives the default back.
        self.assertStatus(r, 200)
        self.assertEqual(r.json["other_names"], [])

    def test_patch_normalises_like_create(self):
        rec = self.make_client()
        r = self.patch("/api/v1/clients/%d" % rec["id"],
                       {"a_number": "a-1234567", "citizenship": "af"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["a_number"], "A001234567")
        self.assertEqual(r.json["citizenship"], "AF")

    def test_empty_patch_is_ok(self):
        rec = self.make_client()
        r = self.patch("/api/v1/clients/%d" % rec["id"], {})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["family_name"], rec["family_name"])
        # "version: +1 on every successful PATCH"
        self.assertEqual(r.json["version"], 2)

    def test_delete(self):
        rec = self.make_client()
        path = "/api/v1/clients/%d" % rec["id"]
        r = self.delete(path)
        self.assertStatus(r, 204)
        self.assertEqual(r.raw, b"")
        self.assertStatus(self.get(path), 404)
        self.assertProblem(self.delete(path), 404, "not-found")
        self.assertProblem(self.patch(path, {"notes": "x"}), 404, "not-found")
        ids = [c["id"] for c in self.list_all("/api/v1/clients")]
        self.assertNotIn(rec["id"], ids)

    def test_delete_client_with_request_is_409_and_after_removal_204(self):
        cl = self.make_client()
        pr = self.make_request(cl["id"])
        path = "/api/v1/clients/%d" % cl["id"]
        r = self.delete(path)
        self.assertProblem(r, 409, "conflict")
        self.assertStatus(self.get(path), 200)
        self.assertStatus(self.get("/api/v1/parole-requests/%d" % pr["id"]), 200)
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % pr["id"]), 204)
        self.assertStatus(self.delete(path), 204)

    def test_get_unknown_id(self):
        r = self.get("/api/v1/clients/987654321")
        self.assertProblem(r, 404, "not-found")

    def test_list_shape_and_order(self):
        a = self.make_client()
        b = self.make_client()
        r = self.get("/api/v1/clients")
        self.assertStatus(r, 200)
        self.assertEqual(set(r.json), {"items", "next_cursor"})
        items = self.list_all("/api/v1/clients")
        ids = [c["id"] for c in items]
        self.assertEqual(ids, sorted(ids))
        self.assertIn(a["id"], ids)
        self.assertIn(b["id"], ids)
        for item in items:
            assert_record_shape(self, "clients", item, in_list=True)
        got = {c["id"]: c for c in items}
        self.assertEqual(got[a["id"]], listed("clients", a))

    def test_search_by_family_given_and_other_names(self):
        t = token()
        fam = self.make_client(family_name="Fam" + t)
        giv = self.make_client(given_name="Giv" + t)
        oth = self.make_client(other_names=["x", "Oth" + t])
        self.make_client(family_name="Unrelated" + token())
        r = self.get("/api/v1/clients?q=" + t)
        self.assertStatus(r, 200)
        self.assertEqual(sorted(c["id"] for c in r.json["items"]),
                         sorted([fam["id"], giv["id"], oth["id"]]))

    def test_search_case_and_accent_insensitive(self):
        t = token()
        jose = self.make_client(given_name="José" + t)
        for q in ("jose" + t, "JOSE" + t.upper(), "José" + t, "josé" + t, "OSE" + t.upper()):
            with self.subTest(q=q):
                r = self.get("/api/v1/clients?q=" + urllib.parse.quote(q))
                self.assertStatus(r, 200)
                self.assertEqual([c["id"] for c in r.json["items"]], [jose["id"]])

    def test_filter_by_citizenship_combines_with_search(self):
        t = token()
        ua = self.make_client(family_name="Cit" + t, citizenship="UA")
        ve = self.make_client(family_name="Cit" + t, citizenship="ve")
        self.make_client(family_name="Cit" + t)
        for value in ("UA", "ua"):
            with self.subTest(citizenship=value):
                r = self.get("/api/v1/clients?citizenship=%s&q=Cit%s" % (value, t))
                self.assertStatus(r, 200)
                self.assertEqual([c["id"] for c in r.json["items"]], [ua["id"]])
        r = self.get("/api/v1/clients?citizenship=VE&q=Cit" + t)
        self.assertEqual([c["id"] for c in r.json["items"]], [ve["id"]])
        for bad in ("UKR", "U1", ""):
            with self.subTest(bad=bad):
                r = self.get("/api/v1/clients?citizenship=" + bad)
                self.assertStatus(r, 400)
                self.assertEqual([e["field"] for e in r.json["errors"]], ["citizenship"])

    def test_filter_by_ids(self):
        made = [self.make_client(family_name="Ids" + token()) for _ in range(3)]
        wanted = [made[2]["id"], made[0]["id"]]
        r = self.get("/api/v1/clients?id=%d,%d" % tuple(wanted))
        self.assertStatus(r, 200)
        self.assertEqual([c["id"] for c in r.json["items"]], sorted(wanted))
        r = self.get("/api/v1/clients?id=%d,987654321" % made[1]["id"])
        self.assertEqual([c["id"] for c in r.json["items"]], [made[1]["id"]])
        r = self.get("/api/v1/clients?limit=1&id=%d,%d" % tuple(wanted))
        self.assertEqual(len(r.json["items"]), 1)
        self.assertIsNotNone(r.json["next_cursor"])
        many = ",".join(str(i) for i in range(1, 202))
        for bad in ("", "1,,2", "1,x", "0", "-1", "1,", many, "1%202"):
            with self.subTest(bad=bad[:20]):
                r = self.get("/api/v1/clients?id=" + bad)
                self.assertStatus(r, 400)
                self.assertEqual([e["field"] for e in r.json["errors"]], ["id"])
        r = self.get("/api/v1/clients?id=" + ",".join(str(i) for i in range(1, 201)))
        self.assertStatus(r, 200)

    def test_search_no_match(self):
        r = self.get("/api/v1/clients?q=" + token(16))
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"items": [], "next_cursor": None})

    def test_search_wildcards_are_literal(self):
        t = token()
        pct = self.make_client(family_name="100%" + t)
        und = self.make_client(family_name="a_b" + t)
        other = self.make_client(family_name="axb" + t)
        r = self.get("/api/v1/clients?q=%25" + t)  # "%<t>"
        self.assertStatus(r, 200)
        self.assertEqual([c["id"] for c in r.json["items"]], [pct["id"]])
        r = self.get("/api/v1/clients?q=a_b" + t)
        self.assertStatus(r, 200)
        self.assertEqual([c["id"] for c in r.json["items"]], [und["id"]])
        self.assertNotIn(other["id"], [c["id"] for c in r.json["items"]])

    def test_bad_query_parameters(self):
        for query, field in (("?q=a&q=b", "q"), ("?sort=name", "sort"), ("?limit=0", "limit"),
                             ("?client_id=1", "client_id")):
            with self.subTest(query=query):
                r = self.get("/api/v1/clients" + query)
                self.assertProblem(r, 400, "invalid-query", field=field)


if __name__ == "__main__":
    unittest.main()
