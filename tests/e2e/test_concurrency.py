"""ETags, If-Match, versions, and concurrent writers."""

import threading
import unittest

from harness import VALID_CHILD, ApiTestCase, unique_receipt

THREADS = 8


def run_parallel(fns):
    """Start every function at once (barrier), return their results in order."""
    barrier = threading.Barrier(len(fns))
    results = [None] * len(fns)

    def wrap(i, fn):
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as e:  # reported by the caller
            results[i] = e

    threads = [threading.Thread(target=wrap, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


class Concurrency(ApiTestCase):

    def resources(self):
        """(path of a fresh record, a valid patch) for every resource."""
        cl = self.make_client()
        pr = self.make_request(cl["id"])
        out = [("/api/v1/clients/%d" % cl["id"], {"notes": "n"}),
               ("/api/v1/parole-requests/%d" % pr["id"], {"summary": "s"})]
        patches = {"filings": {"notes": "n"}, "rfes": {"summary": "s"},
                   "interviews": {"notes": "n"}, "decisions": {"notes": "n"},
                   "expirations": {"notes": "n"}, "fee-notices": {"notes": "n"}}
        for child in VALID_CHILD:
            rec = self.make_child(pr["id"], child)
            out.append(("/api/v1/parole-requests/%d/%s/%d" % (pr["id"], child, rec["id"]),
                        patches[child]))
        return out

    def test_etag_is_quoted_version(self):
        for path, patch in self.resources():
            with self.subTest(path=path):
                g = self.get(path)
                self.assertEqual(g.header("ETag"), '"%d"' % g.json["version"])
                p = self.patch(path, patch)
                self.assertStatus(p, 200)
                self.assertEqual(p.header("ETag"), '"%d"' % p.json["version"])
                self.assertEqual(self.get(path).header("ETag"), p.header("ETag"))

    def test_version_increments_on_each_patch(self):
        for path, patch in self.resources():
            with self.subTest(path=path):
                for expected in (2, 3, 4):
                    r = self.patch(path, patch)
                    self.assertStatus(r, 200)
                    self.assertEqual(r.json["version"], expected)
                self.assertEqual(self.get(path).json["version"], 4)

    def test_failed_patch_does_not_bump_version(self):
        for path, _ in self.resources():
            with self.subTest(path=path):
                before = self.get(path)
                self.assertStatus(self.patch(path, {"no_such_field": 1}), 422)
                self.assertStatus(self.patch(path, {"version": 99}), 422)
                after = self.get(path)
                self.assertEqual(after.raw, before.raw)
                self.assertEqual(after.header("ETag"), before.header("ETag"))

    def test_if_match_current_succeeds(self):
        for path, patch in self.resources():
            with self.subTest(path=path):
                r = self.patch(path, patch, headers={"If-Match": '"1"'})
                self.assertStatus(r, 200)
                self.assertEqual(r.json["version"], 2)
                r = self.patch(path, patch, headers={"If-Match": r.header("ETag")})
                self.assertStatus(r, 200)
                self.assertEqual(r.json["version"], 3)

    def test_if_match_stale_is_412_and_nothing_changes(self):
        for path, patch in self.resources():
            with self.subTest(path=path):
                self.assertStatus(self.patch(path, patch), 200)  # now version 2
                before = self.get(path)
                for tag in ('"1"', '"3"', '"0"', '"999"'):
                    r = self.patch(path, {k: "stale write" for k in patch},
                                   headers={"If-Match": tag})
                    self.assertProblem(r, 412, "precondition-failed")
                    r = self.delete(path, headers={"If-Match": tag})
                    self.assertProblem(r, 412, "precondition-failed")
                after = self.get(path)
                self.assertEqual(after.raw, before.raw)

    def test_if_match_lists_and_weak_tags(self):
        cl = self.make_client()
        path = "/api/v1/clients/%d" % cl["id"]
        before = self.get(path)
        # Weak tags never match with the strong comparison If-Match uses: 412, nothing changes.
        for tag in ('W/"1"', '"7", W/"1"', '"abc"'):
            with self.subTest(tag=tag):
                self.assertProblem(self.patch(path, {"notes": "x"}, headers={"If-Match": tag}),
                                   412, "precondition-failed")
                self.assertEqual(self.get(path).raw, before.raw)
        # Any tag of a list may match.
        r = self.patch(path, {"notes": "y"}, headers={"If-Match": '"5", "1"'})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["version"], 2)
        for bad in ("1", '"1', '"1" "2"', "*, \"1\""):
            with self.subTest(bad=bad):
                self.assertProblem(self.patch(path, {"notes": "z"}, headers={"If-Match": bad}),
                                   400, field="If-Match")
        self.assertEqual(self.get(path).json["version"], 2)

    def test_if_match_star(self):
        for path, patch in self.resources():
            with self.subTest(path=path):
                r = self.patch(path, patch, headers={"If-Match": "*"})
                self.assertStatus(r, 200)
                self.assertEqual(r.json["version"], 2)

    def test_delete_with_if_match(self):
        cl = self.make_client()
        path = "/api/v1/clients/%d" % cl["id"]
        self.assertStatus(self.patch(path, {"notes": "v2"}), 200)
        self.assertProblem(self.delete(path, headers={"If-Match": '"1"'}), 412,
                           "precondition-failed")
        self.assertStatus(self.get(path), 200)
        self.assertStatus(self.delete(path, headers={"If-Match": '"2"'}), 204)
        self.assertStatus(self.get(path), 404)

    def test_delete_star_and_without_if_match(self):
        a, b = self.make_client(), self.make_client()
        self.assertStatus(self.delete("/api/v1/clients/%d" % a["id"],
                                      headers={"If-Match": "*"}), 204)
        self.assertStatus(self.delete("/api/v1/clients/%d" % b["id"]), 204)

    def test_if_match_on_missing_record_is_404(self):
        r = self.patch("/api/v1/clients/987654321", {"notes": "x"}, headers={"If-Match": '"1"'})
        self.assertProblem(r, 404, "not-found")

    def test_validation_error_with_stale_if_match_changes_nothing(self):
        cl = self.make_client()
        path = "/api/v1/clients/%d" % cl["id"]
        before = self.get(path).raw
        r = self.patch(path, {"citizenship": "XX"}, headers={"If-Match": '"5"'})
        self.assertIn(r.status, (412, 422))
        self.assertEqual(self.get(path).raw, before)

    def test_concurrent_conditional_patches_one_wins(self):
        for path, patch in self.resources():
            with self.subTest(path=path):
                key = list(patch)[0]

                def writer(i):
                    return lambda: self.patch(path, {key: "writer %d" % i},
                                              headers={"If-Match": '"1"'})

                results = run_parallel([writer(i) for i in range(THREADS)])
                for r in results:
                    self.assertNotIsInstance(r, Exception, repr(r))
                statuses = sorted(r.status for r in results)
                self.assertEqual(statuses, [200] + [412] * (THREADS - 1))
                winner = [r for r in results if r.status == 200][0]
                g = self.get(path)
                self.assertEqual(g.json["version"], 2)
                self.assertEqual(g.json[key], winner.json[key])

    def test_concurrent_unconditional_patches_all_count(self):
        cl = self.make_client()
        path = "/api/v1/clients/%d" % cl["id"]
        results = run_parallel([lambda i=i: self.patch(path, {"notes": "w%d" % i})
                                for i in range(THREADS)])
        self.assertEqual([r.status for r in results], [200] * THREADS)
        versions = sorted(r.json["version"] for r in results)
        self.assertEqual(versions, list(range(2, THREADS + 2)))
        self.assertEqual(self.get(path).json["version"], THREADS + 1)

    def test_concurrent_creates(self):
        results = run_parallel([lambda i=i: self.post("/api/v1/clients",
                                                      {"family_name": "Par", "given_name":
                                                       "Allel %d" % i})
                                for i in range(THREADS * 3)])
        for r in results:
            self.assertNotIsInstance(r, Exception, repr(r))
            self.assertStatus(r, 201)
        ids = [r.json["id"] for r in results]
        self.assertEqual(len(set(ids)), len(ids))

    def test_concurrent_duplicate_receipt_one_wins(self):
        prs = [self.make_request() for _ in range(THREADS)]
        rn = unique_receipt()
        results = run_parallel([
            lambda p=p: self.post("/api/v1/parole-requests/%d/filings" % p["id"],
                                  {"form": "I-131", "filed_on": "2025-01-10",
                                   "receipt_number": rn})
            for p in prs])
        for r in results:
            self.assertNotIsInstance(r, Exception, repr(r))
        self.assertEqual(sorted(r.status for r in results), [201] + [409] * (THREADS - 1))
        total = sum(len(self.get("/api/v1/parole-requests/%d/filings" % p["id"]).json["items"])
                    for p in prs)
        self.assertEqual(total, 1)

    def test_concurrent_delete_client_and_create_request(self):
        # Either the delete wins (and the request is refused: client gone) or the request
        # wins (and the delete is a 409): never a request pointing at a deleted client.
        for _ in range(5):
            cl = self.make_client()
            d, p = run_parallel([
                lambda: self.delete("/api/v1/clients/%d" % cl["id"]),
                lambda: self.post("/api/v1/parole-requests", {"client_id": cl["id"],
                                                              "parole_type": "medical"})])
            self.assertNotIsInstance(d, Exception, repr(d))
            self.assertNotIsInstance(p, Exception, repr(p))
            self.assertIn((d.status, p.status), ((204, 422), (409, 201)))


if __name__ == "__main__":
    unittest.main()
