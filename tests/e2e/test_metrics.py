"""GET /metrics (issue 13): the Prometheus text format for an operator's monitoring, read only
with an API key of the `metrics` scope (a monitoring key reads nothing else): the answers by
method, route pattern and status, a latency histogram per route, the database and WAL sizes,
and the nightly `remind`'s last run. Labels are route patterns, never a path or a value."""

import re
import unittest

from harness import ApiTestCase, token

SERIES = re.compile(r'^([a-z_]+)(\{.*\})? (\S+)$')


def parse(text):
    """[(name, {label: value}, float)] of every sample line."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SERIES.match(line)
        if m is None:
            raise AssertionError("not a sample line: %r" % line)
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        out.append((m.group(1), labels, float(m.group(3))))
    return out


class Metrics(ApiTestCase):

    def metrics(self, key):
        r = self.get("/metrics", auth=key)
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        return parse(r.raw.decode("utf-8"))

    def test_only_a_metrics_key_reads_them(self):
        monitor = self.make_key(("metrics",))
        self.assertEqual(monitor.record["scopes"], ["metrics"])
        self.assertProblem(self.get("/metrics", auth=self.make_key(("read",))), 403)
        self.assertProblem(self.get("/metrics"), 403)  # the admin's session
        self.assertProblem(self.get("/metrics", auth=None), 401)
        self.assertProblem(self.get("/api/v1/clients", auth=monitor), 403)
        self.assertProblem(self.get("/metrics?x=1", auth=monitor), 400, field="x")
        both = self.make_key(("metrics", "read"))
        self.assertEqual(both.record["scopes"], ["read", "metrics"])
        self.assertStatus(self.get("/api/v1/clients?limit=1", auth=both), 200)
        for scopes in (["write", "metrics"], ["metrics", "metrics"], [], ["admin"]):
            with self.subTest(scopes=scopes):
                self.assertProblem(self.post("/api/v1/api-keys", {"name": "K " + token(4),
                                                                  "scopes": scopes}),
                                   422, field="scopes")

    def test_answers_by_route_and_status_with_latencies(self):
        monitor = self.make_key(("metrics",))
        client = self.make_client()
        before = self.metrics(monitor)

        def count(samples, route, status, method="GET"):
            return sum(v for n, l, v in samples if n == "paroletrack_http_requests_total"
                       and l == {"method": method, "route": route, "status": str(status)})
        self.assertStatus(self.get("/api/v1/clients/%d" % client["id"]), 200)
        self.assertStatus(self.get("/api/v1/clients/%d" % client["id"]), 200)
        self.assertProblem(self.get("/api/v1/clients/999999"), 404)
        after = self.metrics(monitor)
        self.assertEqual(count(after, "/api/v1/clients/{id}", 200)
                         - count(before, "/api/v1/clients/{id}", 200), 2)
        self.assertEqual(count(after, "/api/v1/clients/{id}", 404)
                         - count(before, "/api/v1/clients/{id}", 404), 1)
        for name, labels, _ in after:
            segments = labels.get("route", "").split("/")
            self.assertFalse([x for x in segments if x.isdigit()],
                             "a path, not a pattern, in a label: %r" % labels)
        buckets = [(l["le"], v) for n, l, v in after
                   if n == "paroletrack_http_request_duration_seconds_bucket"
                   and l.get("route") == "/api/v1/clients/{id}" and l["method"] == "GET"]
        self.assertEqual(buckets[-1][0], "+Inf")
        values = [v for _, v in buckets]
        self.assertEqual(values, sorted(values), "buckets are cumulative")
        total = [v for n, l, v in after if n == "paroletrack_http_request_duration_seconds_count"
                 and l == {"method": "GET", "route": "/api/v1/clients/{id}"}]
        self.assertEqual(total, [values[-1]])
        size = [v for n, l, v in after if n == "paroletrack_database_size_bytes"]
        self.assertTrue(size and size[0] > 4096, size)
        self.assertEqual(len([1 for n, l, v in after if n == "paroletrack_database_wal_size_bytes"]),
                         1)

    def test_commits_and_what_they_carried(self):
        monitor = self.make_key(("metrics",))

        def value(samples, name):
            found = [v for n, l, v in samples if n == name]
            self.assertEqual(len(found), 1, name)
            return found[0]
        before = self.metrics(monitor)
        client = self.make_client(a_number="A012345678")
        # reading an A-number is an audited read: its event commits in the audit group
        self.assertStatus(self.get("/api/v1/clients/%d" % client["id"]), 200)
        self.assertProblem(self.post("/api/v1/clients", {"family_name": ""}), 422)
        after = self.metrics(monitor)
        for name, at_least in (("paroletrack_write_commits_total", 1),
                               ("paroletrack_write_changes_total", 1),
                               ("paroletrack_audit_read_commits_total", 1),
                               ("paroletrack_audit_read_events_total", 1)):
            with self.subTest(name=name):
                self.assertGreaterEqual(value(after, name) - value(before, name), at_least)
        self.assertEqual(value(after, "paroletrack_audit_read_commit_failures_total"),
                         value(before, "paroletrack_audit_read_commit_failures_total"))
        self.assertGreaterEqual(value(after, "paroletrack_write_changes_total"),
                                value(after, "paroletrack_write_commits_total"))
        self.assertEqual(value(after, "paroletrack_write_changes_queued"), 0)

    def test_the_last_remind_run(self):
        monitor = self.make_key(("metrics",))
        self.assertEqual([n for n, l, v in self.metrics(monitor) if l.get("job") == "remind"], [])
        code, out, err = self.server.cli("remind", "--dry-run")
        self.assertEqual(code, 0, err)
        self.assertEqual([n for n, l, v in self.metrics(monitor) if l.get("job") == "remind"], [],
                         "a dry run is no run")
        code, out, err = self.server.cli("remind")
        self.assertEqual(code, 0, err)
        got = {n: v for n, l, v in self.metrics(monitor) if l.get("job") == "remind"}
        self.assertEqual(got["paroletrack_job_last_run_success"], 1)
        self.assertEqual(got["paroletrack_job_last_run_failures"], 0)
        self.assertGreater(got["paroletrack_job_last_run_finished_timestamp_seconds"], 1.7e9)
        self.assertGreaterEqual(got["paroletrack_job_last_run_duration_seconds"], 0)
        self.assertIn("paroletrack_job_last_run_items", got)


if __name__ == "__main__":
    unittest.main()
