"""Lists: limit/cursor walks over more than 200 records, and bad paging parameters."""

import http.client
import json
import unittest
import urllib.parse

from harness import HTTP_TIMEOUT, ApiTestCase, dumps, token

N_CLIENTS = 205
N_TOKEN = 60  # how many of them carry the search token


def bulk_post(server, path, bodies):
    """Create records over one keep-alive connection; returns the created records."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=HTTP_TIMEOUT)
    out = []
    try:
        for body in bodies:
            headers = {"Content-Type": "application/json"}
            headers.update(server.admin.headers("POST"))
            conn.request("POST", path, body=dumps(body), headers=headers)
            r = conn.getresponse()
            data = r.read()
            if r.status != 201:
                raise AssertionError("POST %s -> %d %r" % (path, r.status, data[:300]))
            out.append(json.loads(data))
    finally:
        conn.close()
    return out


class Pagination(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = token(8)
        bodies = []
        for i in range(N_CLIENTS):
            tagged = i % 3 == 0 and i < 3 * N_TOKEN
            given = ("Page%s%03d" % (cls.tok, i)) if tagged else "Given%03d" % i
            bodies.append({"family_name": "Paging", "given_name": given})
        cls.clients = bulk_post(cls.server, "/api/v1/clients", bodies)
        cls.all_ids = [c["id"] for c in cls.clients]
        cls.token_ids = [c["id"] for c in cls.clients if cls.tok in c["given_name"]]
        owner = cls.clients[0]["id"]
        cls.requests = bulk_post(cls.server, "/api/v1/parole-requests",
                                 [{"client_id": owner, "parole_type": "medical"}] * 60)
        cls.pr_id = cls.requests[0]["id"]
        cls.rfes = bulk_post(cls.server, "/api/v1/parole-requests/%d/rfes" % cls.pr_id,
                             [{"issued_on": "2025-03-%02d" % (1 + i % 28)} for i in range(45)])

    def walk(self, path, limit):
        """Walk a list page by page; returns (ids, page sizes)."""
        ids, sizes, cursor = [], [], None
        sep = "&" if "?" in path else "?"
        for _ in range(2000):
            url = "%s%slimit=%d" % (path, sep, limit)
            if cursor is not None:
                self.assertIsInstance(cursor, str)
                self.assertTrue(cursor, "next_cursor is an empty string")
                url += "&cursor=" + urllib.parse.quote(cursor, safe="")
            r = self.get(url)
            self.assertStatus(r, 200)
            self.assertLessEqual(len(r.json["items"]), limit)
            ids.extend(x["id"] for x in r.json["items"])
            sizes.append(len(r.json["items"]))
            cursor = r.json["next_cursor"]
            if cursor is None:
                return ids, sizes
            self.assertEqual(len(r.json["items"]), limit, "a short page must be the last one")
        self.fail("the walk never ended")

    def assertWalk(self, ids, expected):
        self.assertEqual(len(ids), len(set(ids)), "duplicates in the walk")
        self.assertEqual(ids, sorted(ids), "not in id order")
        self.assertEqual(ids, expected)

    def test_default_limit_is_50(self):
        r = self.get("/api/v1/clients")
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json["items"]), 50)
        self.assertIsInstance(r.json["next_cursor"], str)
        self.assertEqual([c["id"] for c in r.json["items"]], self.all_ids[:50])

    def test_limit_bounds(self):
        r = self.get("/api/v1/clients?limit=200")
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json["items"]), 200)
        self.assertIsNotNone(r.json["next_cursor"])
        r = self.get("/api/v1/clients?limit=1")
        self.assertStatus(r, 200)
        self.assertEqual([c["id"] for c in r.json["items"]], self.all_ids[:1])

    def test_walk_clients_every_limit(self):
        for limit in (1, 7, 50, 200):
            with self.subTest(limit=limit):
                ids, sizes = self.walk("/api/v1/clients", limit)
                self.assertWalk([i for i in ids if i in set(self.all_ids)], self.all_ids)
                self.assertGreaterEqual(len(sizes), -(-N_CLIENTS // limit))

    def test_walk_200_has_two_pages(self):
        ids, sizes = self.walk("/api/v1/clients", 200)
        self.assertEqual(sizes[0], 200)
        self.assertEqual(sum(sizes), len(ids))
        self.assertGreaterEqual(len(ids), N_CLIENTS)

    def test_walk_with_search(self):
        ids, _ = self.walk("/api/v1/clients?q=page" + self.tok, 25)
        self.assertWalk(ids, self.token_ids)
        self.assertEqual(len(ids), N_TOKEN)

    def test_walk_parole_requests_and_filter(self):
        ids, _ = self.walk("/api/v1/parole-requests?client_id=%d" % self.clients[0]["id"], 25)
        self.assertWalk(ids, [p["id"] for p in self.requests])
        ids, _ = self.walk("/api/v1/parole-requests?client_id=%d&stage=draft"
                           % self.clients[0]["id"], 13)
        self.assertWalk(ids, [p["id"] for p in self.requests if p["id"] != self.pr_id])

    def test_walk_child_list(self):
        ids, sizes = self.walk("/api/v1/parole-requests/%d/rfes" % self.pr_id, 20)
        self.assertWalk(ids, [x["id"] for x in self.rfes])
        self.assertEqual(sizes[:3], [20, 20, 5])

    def test_exact_multiple_ends(self):
        cl = self.make_client()
        made = bulk_post(self.server, "/api/v1/parole-requests",
                         [{"client_id": cl["id"], "parole_type": "re_parole"}] * 14)
        ids, sizes = self.walk("/api/v1/parole-requests?client_id=%d" % cl["id"], 7)
        self.assertWalk(ids, [p["id"] for p in made])
        self.assertIn(sizes, ([7, 7], [7, 7, 0]))

    def test_walk_while_records_change(self):
        cl = self.make_client()
        made = bulk_post(self.server, "/api/v1/parole-requests",
                         [{"client_id": cl["id"], "parole_type": "medical"}] * 30)
        path = "/api/v1/parole-requests?client_id=%d&limit=10" % cl["id"]
        r = self.get(path)
        first = [p["id"] for p in r.json["items"]]
        cursor = r.json["next_cursor"]
        # Between pages: delete one record already seen and one not yet seen, add two.
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % first[3]), 204)
        gone = made[25]["id"]
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % gone), 204)
        added = bulk_post(self.server, "/api/v1/parole-requests",
                          [{"client_id": cl["id"], "parole_type": "medical"}] * 2)
        ids = list(first)
        while cursor is not None:
            r = self.get(path + "&cursor=" + urllib.parse.quote(cursor, safe=""))
            self.assertStatus(r, 200)
            ids.extend(p["id"] for p in r.json["items"])
            cursor = r.json["next_cursor"]
        expected = [p["id"] for p in made if p["id"] != gone] + [p["id"] for p in added]
        self.assertWalk(ids, expected)

    def test_cursor_survives_deleting_its_anchor(self):
        cl = self.make_client()
        made = bulk_post(self.server, "/api/v1/parole-requests",
                         [{"client_id": cl["id"], "parole_type": "medical"}] * 6)
        path = "/api/v1/parole-requests?client_id=%d&limit=3" % cl["id"]
        r = self.get(path)
        cursor = r.json["next_cursor"]
        # The last record of the first page goes away; the cursor still works.
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % made[2]["id"]), 204)
        r = self.get(path + "&cursor=" + urllib.parse.quote(cursor, safe=""))
        self.assertStatus(r, 200)
        self.assertEqual([p["id"] for p in r.json["items"]], [p["id"] for p in made[3:]])

    def test_bad_limit(self):
        for value in ("0", "201", "-1", "abc", "1.5", "", "1e2", "0x10", " 5", "5 ",
                      "99999999999999999999"):
            for path in ("/api/v1/clients", "/api/v1/parole-requests",
                         "/api/v1/parole-requests/%d/rfes" % self.pr_id):
                with self.subTest(limit=value, path=path):
                    r = self.get(path + "?limit=" + urllib.parse.quote(value))
                    self.assertProblem(r, 400, "invalid-query", field="limit")

    def test_repeated_limit(self):
        r = self.get("/api/v1/clients?limit=10&limit=20")
        self.assertProblem(r, 400, "invalid-query", field="limit")

    def test_bad_cursor(self):
        good = self.get("/api/v1/clients?limit=5").json["next_cursor"]
        values = ["garbage!!", "AAAA", "eyJmb28iOjF9", "x" * 5000, "", "%00",
                  good + "zz", "'; DROP TABLE clients;--"]
        for value in values:
            for path in ("/api/v1/clients", "/api/v1/parole-requests",
                         "/api/v1/parole-requests/%d/rfes" % self.pr_id):
                with self.subTest(cursor=value[:40], path=path):
                    q = "?cursor=" + (value if value == "%00" else urllib.parse.quote(value))
                    r = self.get(path + q)
                    self.assertProblem(r, 400, "invalid-query", field="cursor")
        r = self.get("/api/v1/clients?cursor=%s&cursor=%s" % (urllib.parse.quote(good),
                                                              urllib.parse.quote(good)))
        self.assertProblem(r, 400, "invalid-query", field="cursor")

    def test_unknown_parameter(self):
        for path in ("/api/v1/clients", "/api/v1/parole-requests",
                     "/api/v1/parole-requests/%d/rfes" % self.pr_id):
            with self.subTest(path=path):
                r = self.get(path + "?page=2")
                self.assertProblem(r, 400, "invalid-query", field="page")
        r = self.get("/api/v1/parole-requests/%d/rfes?q=x" % self.pr_id)
        self.assertProblem(r, 400, "invalid-query", field="q")

    def test_multiple_bad_parameters_all_listed(self):
        r = self.get("/api/v1/parole-requests?limit=0&stage=nope&bogus=1")
        self.assertProblem(r, 400, "invalid-query", fields=["limit", "stage", "bogus"])


if __name__ == "__main__":
    unittest.main()


class ListItemsAreTheRecords(ApiTestCase):
    """A list item is the record GET shows, without its narratives: for every resource, whether
    its items are written straight from the rows (requests, RFEs, interviews, decisions) or
    built as records first (clients, filings, expirations), in the same member order, with
    text that needs escaping, non-Latin scripts, booleans and nulls."""

    def assert_items_match(self, collection, item_path, narratives):
        items = self.list_all(collection)
        self.assertTrue(items, collection)
        for item in items:
            r = self.get(item_path % item["id"])
            self.assertStatus(r, 200)
            record = {k: v for k, v in r.json.items() if k not in narratives}
            self.assertEqual(list(item.keys()), [k for k in record.keys() if k in item],
                             "member order of %s" % collection)
            self.assertEqual(item, {k: v for k, v in record.items() if k in item}, collection)
            self.assertEqual(set(record) - set(item), set(), collection)

    def test_every_resource(self):
        tricky = 'Ковальчук "Quote" \\ back/slash عبد 🇺🇦'
        notes = tricky + "\nsecond\tline"
        cl = self.make_client(family_name="Ковальчук", given_name="Олена")
        pr = self.make_request(cl["id"], sponsor_name=tricky, summary="private " + notes,
                               expedite=True)
        self.make_request(cl["id"], parole_type="medical", location="inside_us")
        self.make_child(pr["id"], "filings", notes=notes)
        self.make_child(pr["id"], "rfes", summary=notes)
        self.make_child(pr["id"], "interviews", location=tricky, notes=notes)
        self.make_child(pr["id"], "decisions", notes=notes)
        self.make_child(pr["id"], "expirations", notes=notes)
        base = "/api/v1/parole-requests/%d/" % pr["id"]
        self.assert_items_match("/api/v1/parole-requests?client_id=%d" % cl["id"],
                                "/api/v1/parole-requests/%d", {"summary"})
        for child in ("filings", "rfes", "interviews", "decisions", "expirations"):
            self.assert_items_match(base + child, base + child + "/%d",
                                    {"summary"} if child == "rfes" else {"notes"})
        page = self.get("/api/v1/parole-requests?client_id=%d" % cl["id"])
        self.assertEqual(page.header("Content-Type"), "application/json")
        self.assertIn(tricky, [i["sponsor_name"] for i in page.json["items"]])
        self.assertEqual([i["expedite"] for i in page.json["items"]], [True, False])
