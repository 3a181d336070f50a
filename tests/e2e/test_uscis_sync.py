"""USCIS case status sync (issue 13): `paroletrack uscis-sync` checks every receipt number of the
requests still being worked on against the USCIS Case Status API, here a stand-in on loopback
(OAuth client credentials token, case status, an expired token's 401, 404, 429 with Retry-After,
malformed JSON, a slow answer). Each status change is kept under its request
(/api/v1/parole-requests/{id}/uscis-statuses), in its timeline and audit trail, announced to
webhook endpoints, and proposes an event a person confirms or dismisses."""

import http.server
import json
import os
import threading
import time
import unittest
import urllib.parse

from harness import ApiTestCase, unique_receipt
from test_remind import WebhookReceiver

CLIENT_ID = "paroletrack-test-client"
CLIENT_SECRET = "stand-in-secret-8c1f7a"


def case_status(receipt, text, desc=None, modified="2026-12-01"):
    return {"case_status": {
        "receiptNumber": receipt, "formType": "I-131", "submittedDate": "2026-01-05",
        "modifiedDate": modified, "current_case_status_text_en": text,
        "current_case_status_desc_en": desc or ("On %s we updated your case." % modified),
        "current_case_status_text_es": "Texto " + text,
        "current_case_status_desc_es": "Descripcion", "hist_case_status": None},
        "message": "Successfully retrieved case status"}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        try:
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass

    def _json(self, status, obj, headers=()):
        self._send(status, json.dumps(obj).encode(), (("Content-Type", "application/json"),)
                   + tuple(headers))

    def do_POST(self):
        api = self.server.api
        form = urllib.parse.parse_qs(self.rfile.read(
            int(self.headers.get("Content-Length") or 0)).decode())
        with api.lock:
            api.token_requests.append(form)
            if api.token_busy > 0:
                api.token_busy -= 1
                return self._json(429, {"error": "slow_down"}, (("Retry-After", "1"),))
            if self.path != "/oauth/accesstoken" or form.get("grant_type") != [
                    "client_credentials"] or form.get("client_id") != [CLIENT_ID] or \
                    form.get("client_secret") != [CLIENT_SECRET]:
                return self._json(401, {"error": "invalid_client"})
            api.issued += 1
            token = "tok-%d-%s" % (api.issued, os.urandom(6).hex())
            api.valid.add(token)
        self._json(200, {"access_token": token, "expires_in": api.expires_in,
                         "token_type": "Bearer"})

    def do_GET(self):
        api = self.server.api
        receipt = self.path.rsplit("/", 1)[-1]
        auth = self.headers.get("Authorization", "")
        with api.lock:
            api.case_requests.append((time.monotonic(), receipt))
            if api.revoke_after is not None and len(api.case_requests) > api.revoke_after:
                api.valid.clear()
                api.revoke_after = None
            ok = auth.startswith("Bearer ") and auth[7:] in api.valid
            script = api.script.get(receipt)
            step = script.pop(0) if isinstance(script, list) and len(script) > 1 else (
                script[0] if isinstance(script, list) else script)
        if not self.path.startswith("/case-status/"):
            return self._json(404, {"message": "no such path"})
        if not ok:
            return self._json(401, {"message": "invalid or expired token"})
        if step is None:
            return self._json(404, {"message": "receipt not found"})
        kind = step[0]
        if kind == "status":
            return self._json(200, case_status(receipt, *step[1:]))
        if kind == "malformed":
            return self._send(200, b'{"case_status": {"receiptNumber": ', (
                ("Content-Type", "application/json"),))
        if kind == "slow":
            time.sleep(step[1])
            return self._json(200, case_status(receipt, "Case Was Received"))
        if kind == "429":
            return self._json(429, {"message": "slow down"}, (("Retry-After", str(step[1])),))
        return self._json(int(kind), {"message": "error"})


class UscisStandIn:
    """The Case Status API on 127.0.0.1: `script[receipt]` is a list of answers, one per
    request, the last one repeated: ("status", text[, desc, modified]), ("malformed",),
    ("slow", seconds), ("429", retry_after) or ("500",); an unknown receipt is a 404."""

    def __init__(self):
        self.lock = threading.Lock()
        self.script = {}
        self.valid = set()
        self.issued = 0
        self.expires_in = 1800
        self.revoke_after = None
        self.token_busy = 0  # token requests answered 429 (Retry-After: 1) first
        self.token_requests = []
        self.case_requests = []
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.api = self
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)


class UscisSync(ApiTestCase):

    def setUp(self):
        super().setUp()
        self.api = UscisStandIn()
        self.env = {"PAROLETRACK_USCIS_CLIENT_ID": CLIENT_ID,
                    "PAROLETRACK_USCIS_CLIENT_SECRET": CLIENT_SECRET}
        self.server.note_secret("USCIS client secret", CLIENT_SECRET)

    def tearDown(self):
        self.api.stop()
        super().tearDown()

    def sync(self, *extra, env=None, expect=0):
        code, out, err = self.server.cli("uscis-sync", "--uscis-base-url", self.api.url, *extra,
                                         env_extra=self.env if env is None else env, timeout=120)
        self.assertEqual(code, expect, "uscis-sync exited %d:\n%s%s" % (code, out, err))
        for token in self.api.valid:
            self.assertNotIn(token, out + err)
        self.assertNotIn(CLIENT_SECRET, out + err)
        return out, err

    def request_with_receipt(self, receipt=None):
        receipt = receipt or unique_receipt("IOE")
        pr = self.make_request()
        self.make_child(pr["id"], "filings", receipt_number=receipt)
        return pr, receipt

    def statuses(self, pr_id, **query):
        q = "&".join("%s=%s" % kv for kv in query.items())
        r = self.get("/api/v1/parole-requests/%d/uscis-statuses%s" % (pr_id, "?" + q if q else ""))
        self.assertStatus(r, 200)
        return r.json["items"]

    def close_every_other_request(self):
        """Earlier tests' receipts stay due: answer them all the same, so counts add up."""
        for pr in self.list_all("/api/v1/parole-requests"):
            for f in self.get("/api/v1/parole-requests/%d/filings" % pr["id"]).json["items"]:
                if f["receipt_number"] and f["receipt_number"] not in self.api.script:
                    self.api.script[f["receipt_number"]] = [("status", "Case Was Received")]

    def test_statuses_are_kept_announced_and_propose_events(self):
        rx_secret = self.post("/api/v1/webhook-endpoints", {
            "url": "http://127.0.0.1:1/x", "events": ["uscis_status.changed"]}).json
        self.server.note_secret("webhook secret", rx_secret["secret"])
        rx = WebhookReceiver(rx_secret["secret"])
        try:
            self.patch("/api/v1/webhook-endpoints/%d" % rx_secret["id"],
                       {"url": "http://127.0.0.1:%d/h" % rx.port})
            pr, receipt = self.request_with_receipt()
            self.close_every_other_request()
            self.api.script[receipt] = [("status", "Case Was Received")]
            out, _ = self.sync()
            self.assertRegex(out, r"uscis-sync: \d+ checked, \d+ changed, 0 failed")
            kept = self.statuses(pr["id"])
            self.assertEqual(len(kept), 1)
            first = kept[0]
            self.assertEqual((first["receipt_number"], first["status_text_en"], first["proposes"],
                              first["proposal_state"], first["form_type"]),
                             (receipt, "Case Was Received", "receipt", "open", "I-131"))
            self.assertEqual(first["status_text_es"], "Texto Case Was Received")
            # the same status again is no change
            self.sync()
            self.assertEqual(len(self.statuses(pr["id"])), 1)
            self.api.script[receipt] = [("status", "Request for Evidence Was Sent",
                                         "We sent you a request for evidence.", "2026-12-05")]
            self.sync()
            kept = self.statuses(pr["id"])
            self.assertEqual([s["status_text_en"] for s in kept],
                             ["Request for Evidence Was Sent", "Case Was Received"])
            self.assertEqual((kept[0]["proposes"], kept[0]["uscis_date"]), ("rfe", "2026-12-05"))
            # the request's timeline and the audit trail show them
            timeline = self.get("/api/v1/parole-requests/%d/timeline" % pr["id"]).json["items"]
            self.assertEqual(sorted(t["title"] for t in timeline if t["type"] == "uscis_status"),
                             ["USCIS: Case Was Received", "USCIS: Request for Evidence Was Sent"])
            trail = self.get("/api/v1/audit-events?entity=uscis_statuses").json["items"]
            self.assertGreaterEqual(len(trail), 2)
            # webhook endpoints hear of each change, without the receipt number
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and len(rx.posts) < 2:
                time.sleep(0.05)
            mine = [p for p in rx.posts if p["json"]["data"]["parole_request_id"] == pr["id"]]
            self.assertEqual([p["json"]["data"]["status_text_en"] for p in mine],
                             ["Case Was Received", "Request for Evidence Was Sent"])
            self.assertTrue(all(p["verified"] for p in mine))
            self.assertNotIn(receipt, "".join(p["body"].decode() for p in mine))
        finally:
            rx.stop()
        # a person confirms the proposal (nothing was recorded as a fact before)
        self.assertEqual(self.get("/api/v1/parole-requests/%d/rfes" % pr["id"]).json["items"], [])
        path = "/api/v1/parole-requests/%d/uscis-statuses/%d" % (pr["id"], kept[0]["id"])
        self.assertProblem(self.patch(path, {"proposal_state": "confirmed"},
                                      headers={"If-Match": '"9"'}), 412)
        self.assertProblem(self.patch(path, {"proposal_state": "maybe"}), 422,
                           field="proposal_state")
        self.assertProblem(self.patch(path, {"status_text_en": "Case Was Approved"}), 422,
                           field="status_text_en")
        r = self.patch(path, {"proposal_state": "confirmed"},
                       headers={"If-Match": '"%d"' % kept[0]["version"]})
        self.assertStatus(r, 200)
        self.assertEqual((r.json["proposal_state"], r.json["version"]), ("confirmed", 2))
        self.assertEqual([s["id"] for s in self.statuses(pr["id"], proposal_state="open")],
                         [kept[1]["id"]])
        viewer = self.session_as("viewer")
        self.assertProblem(self.patch(path, {"proposal_state": "dismissed"}, auth=viewer), 403)
        self.assertStatus(self.get(path, auth=viewer), 200)
        self.assertProblem(self.get("/api/v1/parole-requests/%d/uscis-statuses/999999"
                                    % pr["id"]), 404)
        self.assertProblem(self.get("/api/v1/parole-requests/999999/uscis-statuses"), 404)

    def test_the_next_remind_digest_carries_each_change_once(self):
        pr, receipt = self.request_with_receipt()
        self.close_every_other_request()
        self.api.script[receipt] = [("status", "Case Was Denied", "We denied it.", "2026-12-06")]
        self.sync()
        line = "PR-%d  Case Was Denied (USCIS date 2026-12-06)" % pr["id"]
        code, out, err = self.server.cli("remind", "--dry-run")
        self.assertEqual(code, 0, err)
        self.assertIn("USCIS STATUS CHANGES", out)
        self.assertIn(line, out)
        self.assertIn("proposes: decision_denied", out)
        self.assertNotIn(receipt, out)
        code, out, err = self.server.cli("remind")
        self.assertEqual(code, 0, err)
        self.assertIn(line, out, "a dry run marks nothing as carried")
        code, out, err = self.server.cli("remind")
        self.assertEqual(code, 0, err)
        self.assertNotIn(line, out, "each change is carried once")

    def test_a_status_that_proposes_nothing_has_no_proposal(self):
        pr, receipt = self.request_with_receipt()
        self.close_every_other_request()
        self.api.script[receipt] = [("status", "Case Is Being Actively Reviewed By USCIS")]
        self.sync()
        kept = self.statuses(pr["id"])
        self.assertEqual((kept[0]["proposes"], kept[0]["proposal_state"]), (None, None))
        path = "/api/v1/parole-requests/%d/uscis-statuses/%d" % (pr["id"], kept[0]["id"])
        self.assertProblem(self.patch(path, {"proposal_state": "confirmed"}), 422,
                           field="proposal_state")

    def test_failures_are_reported_per_receipt_and_never_stop_the_run(self):
        self.close_every_other_request()
        script = {
            "ok": [("status", "Case Was Approved")],
            "unknown": None,
            "malformed": [("malformed",)],
            "slow": [("slow", 4)],
            "throttled": [("429", 1), ("status", "Interview Was Scheduled")],
            "broken": [("500",)],
        }
        made = {}
        for name, answers in script.items():
            pr, receipt = self.request_with_receipt()
            made[name] = (pr, receipt)
            if answers is not None:
                self.api.script[receipt] = answers
        out, err = self.sync("--uscis-timeout", "2")
        self.assertRegex(out, r"checked, \d+ changed, 4 failed\n")
        for name in ("unknown", "malformed", "slow", "broken"):
            pr, receipt = made[name]
            self.assertIn("PR-%d receipt ...%s" % (pr["id"], receipt[-4:]), err)
            self.assertNotIn(receipt, err, "whole receipt numbers stay out of the log")
            self.assertEqual(self.statuses(pr["id"]), [])
        self.assertIn("does not know this receipt number (404)", err)
        self.assertIn("not a case status", err)
        self.assertIn("USCIS answered 500", err)
        self.assertIn("no answer", err)
        self.assertEqual(self.statuses(made["ok"][0]["id"])[0]["proposes"], "decision_approved")
        self.assertEqual(self.statuses(made["throttled"][0]["id"])[0]["proposes"], "interview")
        times = [t for t, r in self.api.case_requests if r == made["throttled"][1]]
        self.assertEqual(len(times), 2)
        self.assertGreaterEqual(times[1] - times[0], 0.95, "Retry-After is honoured")
        metrics = self.get("/metrics", auth=self.make_key(("metrics",))).raw.decode()
        self.assertIn('paroletrack_job_last_run_failures{job="uscis-sync"} 4', metrics)

    def test_one_token_per_run_refreshed_once_on_a_401(self):
        receipts = [self.request_with_receipt()[1] for _ in range(3)]
        self.close_every_other_request()
        for r in receipts:
            self.api.script[r] = [("status", "Case Was Received")]
        before = len(self.api.token_requests)
        self.sync()
        self.assertEqual(len(self.api.token_requests) - before, 1, "the token is cached")
        # the token stops working after the next case request: one new token, nothing lost
        self.api.revoke_after = len(self.api.case_requests) + 1
        for r in receipts:
            self.api.script[r] = [("status", "Case Was Approved")]
        out, _ = self.sync()
        self.assertEqual(len(self.api.token_requests) - before, 3)
        self.assertIn(" 0 failed", out)

    def test_a_busy_token_endpoint_is_waited_for(self):
        pr, receipt = self.request_with_receipt()
        self.close_every_other_request()
        self.api.script[receipt] = [("status", "Case Was Received")]
        self.api.token_busy = 1
        before = len(self.api.token_requests)
        started = time.monotonic()
        out, _ = self.sync()
        self.assertIn(" 0 failed", out)
        self.assertEqual(len(self.api.token_requests) - before, 2)
        self.assertGreaterEqual(time.monotonic() - started, 1.0, "Retry-After is honoured")
        self.assertEqual(len(self.statuses(pr["id"])), 1)

    def test_bad_credentials_stop_the_run(self):
        self.request_with_receipt()
        env = dict(self.env, PAROLETRACK_USCIS_CLIENT_SECRET="wrong")
        out, err = self.sync(env=env, expect=1)
        self.assertIn("no token", err)
        self.assertIn("left for the next run", out)

    def test_at_most_five_requests_a_second(self):
        for _ in range(12):
            pr, receipt = self.request_with_receipt()
            self.api.script[receipt] = [("status", "Case Was Received")]
        self.close_every_other_request()
        start = len(self.api.case_requests)
        self.sync()
        times = [t for t, _ in self.api.case_requests[start:]]
        self.assertGreaterEqual(len(times), 12)
        for i in range(len(times) - 5):
            self.assertGreaterEqual(times[i + 5] - times[i], 0.95,
                                    "6 requests within a second at %d" % i)

    def test_the_daily_quota_stops_a_run_and_the_next_resumes(self):
        self.close_every_other_request()
        self.sync("--uscis-daily-quota", "100000")  # everything checked once: a known order
        receipts = []
        for _ in range(3):
            pr, receipt = self.request_with_receipt()
            receipts.append(receipt)
            self.api.script[receipt] = [("status", "Case Was Received")]
        # the quota is per day: read what is used, then allow exactly two more
        used = self.used_today()
        start = len(self.api.case_requests)
        out, _ = self.sync("--uscis-daily-quota", str(used + 2))
        self.assertIn("2 checked", out)
        self.assertRegex(out, r"\d+ left for the next run")
        first = [r for _, r in self.api.case_requests[start:]]
        self.assertEqual(first, receipts[:2], "never-checked receipts first, in filing order")
        start = len(self.api.case_requests)
        out, _ = self.sync("--uscis-daily-quota", str(used + 3))
        self.assertEqual([r for _, r in self.api.case_requests[start:]], [receipts[2]],
                         "the next run starts where the last one stopped")

    def used_today(self):
        import sqlite3
        with sqlite3.connect(self.server.db) as db:
            row = db.execute("SELECT used FROM uscis_quota ORDER BY day DESC LIMIT 1").fetchone()
        return row[0] if row else 0

    def test_credentials_only_from_the_environment_or_a_private_file(self):
        self.request_with_receipt()
        self.close_every_other_request()
        _, err = self.sync(env={}, expect=2)
        self.assertIn("PAROLETRACK_USCIS_CLIENT_ID", err)
        code, _, err = self.server.cli("uscis-sync", "--uscis-client-secret", CLIENT_SECRET)
        self.assertEqual(code, 2)
        path = os.path.join(self.server.dir, "uscis.credentials")
        with open(path, "w") as f:
            f.write("client_id=%s\nclient_secret=%s\n" % (CLIENT_ID, CLIENT_SECRET))
        os.chmod(path, 0o644)
        _, err = self.sync("--uscis-credentials", path, env={}, expect=2)
        self.assertIn("chmod 600", err)
        os.chmod(path, 0o600)
        out, _ = self.sync("--uscis-credentials", path, env={})
        self.assertIn(" 0 failed", out)
        for url in ("http://uscis.example.org", "http://localhost@uscis.example.org",
                    "http://127.uscis.example.org"):
            _, err = self.sync("--uscis-base-url", url, expect=2)
            self.assertIn("--uscis-base-url", err)


if __name__ == "__main__":
    unittest.main()
