"""Parole requests: create, read, merge-patch, delete, filters."""

import unittest
import urllib.parse

from harness import ApiTestCase, assert_record_shape, token

PAROLE_TYPES = ("humanitarian", "significant_public_benefit", "medical", "family_reunification",
                "military_parole_in_place", "re_parole", "program")


class ParoleRequests(ApiTestCase):

    def ids(self, query):
        return [p["id"] for p in self.list_all("/api/v1/parole-requests" + query)]

    def test_create_minimal_defaults(self):
        cl = self.make_client()
        r = self.post("/api/v1/parole-requests", {"client_id": cl["id"],
                                                  "parole_type": "medical"})
        self.assertStatus(r, 201)
        rec = r.json
        assert_record_shape(self, "parole-requests", rec)
        self.assertEqual(rec["client_id"], cl["id"])
        self.assertEqual(rec["parole_type"], "medical")
        for k in ("program", "location", "summary", "sponsor_name", "sponsor_relationship",
                  "sponsor_status"):
            self.assertIsNone(rec[k], k)
        self.assertIs(rec["expedite"], False)
        self.assertEqual(rec["stage"], "draft")
        self.assertEqual(rec["version"], 1)
        self.assertEqual(r.header("Location"), "/api/v1/parole-requests/%d" % rec["id"])
        self.assertEqual(r.header("ETag"), '"1"')

    def test_create_full_and_get(self):
        cl = self.make_client()
        body = {"client_id": cl["id"], "parole_type": "program", "program": "u4u",
                "location": "outside_us", "summary": "Family in Kharkiv; supporter in Ohio.",
                "sponsor_name": "Mary O'Neil", "sponsor_relationship": "former colleague",
                "sponsor_status": "us_citizen", "expedite": True}
        r = self.post("/api/v1/parole-requests", body)
        self.assertStatus(r, 201)
        for k, v in body.items():
            self.assertEqual(r.json[k], v, k)
        g = self.get("/api/v1/parole-requests/%d" % r.json["id"])
        self.assertStatus(g, 200)
        self.assertEqual(g.json, r.json)
        self.assertEqual(g.header("ETag"), '"1"')

    def test_every_parole_type_and_enum_value(self):
        cl = self.make_client()
        for pt in PAROLE_TYPES:
            with self.subTest(parole_type=pt):
                self.assertEqual(self.make_request(cl["id"], parole_type=pt)["parole_type"], pt)
        for loc in ("outside_us", "inside_us"):
            self.assertEqual(self.make_request(cl["id"], location=loc)["location"], loc)
        for st in ("us_citizen", "lpr", "other"):
            self.assertEqual(self.make_request(cl["id"], sponsor_status=st)["sponsor_status"],
                             st)
        for prog in ("oaw", "frp", "chnv", "u4u"):  # the seeded programs (test_programs: others)
            self.assertEqual(self.make_request(cl["id"], parole_type="program",
                                               program=prog)["program"], prog)

    def test_patch(self):
        pr = self.make_request(summary="first", sponsor_name="Ann")
        path = "/api/v1/parole-requests/%d" % pr["id"]
        other = self.make_client()
        r = self.patch(path, {"summary": "second", "sponsor_name": None, "expedite": True,
                              "client_id": other["id"]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["summary"], "second")
        self.assertIsNone(r.json["sponsor_name"])
        self.assertIs(r.json["expedite"], True)
        self.assertEqual(r.json["client_id"], other["id"])
        self.assertEqual(r.json["parole_type"], pr["parole_type"])
        self.assertEqual(r.json["version"], 2)
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertEqual(self.get(path).json, r.json)

    def test_delete(self):
        pr = self.make_request()
        path = "/api/v1/parole-requests/%d" % pr["id"]
        r = self.delete(path)
        self.assertStatus(r, 204)
        self.assertEqual(r.raw, b"")
        self.assertProblem(self.get(path), 404, "not-found")
        self.assertProblem(self.get(path + "/timeline"), 404, "not-found")
        self.assertProblem(self.get(path + "/filings"), 404, "not-found")

    def test_delete_with_any_child_is_409(self):
        for child in ("filings", "rfes", "interviews", "decisions", "expirations", "fee-notices"):
            with self.subTest(child=child):
                pr = self.make_request()
                ch = self.make_child(pr["id"], child)
                path = "/api/v1/parole-requests/%d" % pr["id"]
                before = self.get(path).raw
                self.assertProblem(self.delete(path), 409, "conflict")
                self.assertEqual(self.get(path).raw, before)
                # Remove the child, then the request can go.
                self.assertStatus(self.delete("%s/%s/%d" % (path, child, ch["id"])), 204)
                self.assertStatus(self.delete(path), 204)

    def test_unknown_id(self):
        self.assertProblem(self.get("/api/v1/parole-requests/987654321"), 404, "not-found")
        self.assertProblem(self.patch("/api/v1/parole-requests/987654321", {"summary": "x"}),
                           404, "not-found")
        self.assertProblem(self.delete("/api/v1/parole-requests/987654321"), 404, "not-found")

    def test_filter_client_id(self):
        a, b = self.make_client(), self.make_client()
        pa1 = self.make_request(a["id"])
        pa2 = self.make_request(a["id"], parole_type="medical")
        pb = self.make_request(b["id"])
        self.assertEqual(self.ids("?client_id=%d" % a["id"]), [pa1["id"], pa2["id"]])
        self.assertEqual(self.ids("?client_id=%d" % b["id"]), [pb["id"]])

    def test_filter_by_ids(self):
        made = [self.make_request()["id"] for _ in range(3)]
        self.assertEqual(self.ids("?id=%d,%d,987654321" % (made[2], made[0])),
                         [made[0], made[2]])
        self.assertEqual(self.ids("?id=%d&stage=draft" % made[1]), [made[1]])

    def test_filter_client_id_unknown_is_empty(self):
        r = self.get("/api/v1/parole-requests?client_id=987654321")
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"items": [], "next_cursor": None})

    def test_filter_parole_type_and_program(self):
        cl = self.make_client()
        med = self.make_request(cl["id"], parole_type="medical")
        u4u = self.make_request(cl["id"], parole_type="program", program="u4u")
        oaw = self.make_request(cl["id"], parole_type="program", program="oaw")
        items = self.list_all("/api/v1/parole-requests?parole_type=medical")
        self.assertTrue(all(p["parole_type"] == "medical" for p in items))
        ids = [p["id"] for p in items]
        self.assertIn(med["id"], ids)
        self.assertNotIn(u4u["id"], ids)
        items = self.list_all("/api/v1/parole-requests?program=u4u")
        self.assertTrue(all(p["program"] == "u4u" for p in items))
        ids = [p["id"] for p in items]
        self.assertIn(u4u["id"], ids)
        self.assertNotIn(oaw["id"], ids)
        # Filters combine (AND).
        self.assertEqual(self.ids("?client_id=%d&parole_type=program&program=oaw" % cl["id"]),
                         [oaw["id"]])
        self.assertEqual(self.ids("?client_id=%d&parole_type=medical&program=oaw" % cl["id"]),
                         [])

    def test_filter_stage(self):
        cl = self.make_client()
        draft = self.make_request(cl["id"])
        filed = self.make_request(cl["id"])
        self.make_child(filed["id"], "filings")
        self.assertEqual(self.ids("?client_id=%d&stage=draft" % cl["id"]), [draft["id"]])
        self.assertEqual(self.ids("?client_id=%d&stage=filed" % cl["id"]), [filed["id"]])
        self.assertEqual(self.ids("?client_id=%d&stage=paroled" % cl["id"]), [])

    def test_q_searches_client_names_and_sponsor(self):
        t = token()
        cl = self.make_client(family_name="Šević" + t)
        by_client = self.make_request(cl["id"])
        by_sponsor = self.make_request(sponsor_name="Zoë Ångström" + t)
        self.make_request(sponsor_name="Nobody " + token())
        for q in ("sevic" + t, "SEVIĆ" + t.upper()):
            self.assertEqual(self.ids("?q=" + urllib.parse.quote(q)), [by_client["id"]])
        for q in ("zoe angstrom" + t, "ANGSTROM" + t.upper()):
            self.assertEqual(self.ids("?q=" + urllib.parse.quote(q)), [by_sponsor["id"]])

    def test_q_sees_client_renames(self):
        t = token()
        cl = self.make_client(family_name="Before" + t)
        pr = self.make_request(cl["id"])
        u = token()
        self.assertStatus(self.patch("/api/v1/clients/%d" % cl["id"],
                                     {"family_name": "After" + u}), 200)
        self.assertEqual(self.ids("?q=after" + u), [pr["id"]])
        self.assertEqual(self.ids("?q=before" + t), [])

    def test_bad_filters(self):
        cases = [
            ("stage=open", "stage"), ("stage=PAROLED", "stage"),
            ("parole_type=tourist", "parole_type"),
            ("client_id=abc", "client_id"), ("client_id=-1", "client_id"),
            ("client_id=", "client_id"),
            ("client_id=1&client_id=2", "client_id"),
            ("stage=draft&stage=filed", "stage"),
            ("status=draft", "status"),
            ("limit=201", "limit"),
            ("id=1,x", "id"), ("id=0", "id"), ("id=" + ",".join(["1"] * 201), "id"),
            ("cursor=not-a-cursor", "cursor"),
        ]
        for query, field in cases:
            with self.subTest(query=query):
                r = self.get("/api/v1/parole-requests?" + query)
                self.assertProblem(r, 400, "invalid-query", field=field)

    def test_client_delete_blocked_then_allowed(self):
        cl = self.make_client()
        pr = self.make_request(cl["id"])
        self.assertProblem(self.delete("/api/v1/clients/%d" % cl["id"]), 409, "conflict")
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % pr["id"]), 204)
        self.assertStatus(self.delete("/api/v1/clients/%d" % cl["id"]), 204)


if __name__ == "__main__":
    unittest.main()
