"""Change webhooks with an outbox (issue 13): admins register endpoints (/api/v1/webhook-endpoints,
the secret shown once); every change of a record, through the one write path, appends its events
to the outbox in the change's own transaction; a worker of `serve` (or `paroletrack webhooks
deliver`) posts them signed per Standard Webhooks, in order per record, retrying with backoff for
three days; the delivery log shows every attempt and a delivery can be sent again. Payloads carry
no identifier and no narrative unless the endpoint may receive them. Every receiver here is a
loopback stand-in (test_remind.WebhookReceiver)."""

import datetime
import sqlite3
import time
import unittest

from harness import ApiTestCase, day, instant, token, unique_receipt
from test_remind import WebhookReceiver

ENDPOINTS = "/api/v1/webhook-endpoints"


def utc(offset_seconds):
    """An RFC 3339 UTC instant offset_seconds from now."""
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class WebhookCase(ApiTestCase):

    def setUp(self):
        super().setUp()
        self.receivers = []

    def tearDown(self):
        for rx in self.receivers:
            rx.stop()
        # leave no endpoint behind: the next test counts its own posts
        for e in self.list_all(ENDPOINTS):
            self.assertStatus(self.delete("%s/%d" % (ENDPOINTS, e["id"])), 204)
        super().tearDown()

    def endpoint(self, events=("*",), identifiers=False, statuses=(), **fields):
        """A receiver on loopback and an endpoint posting to it: (receiver, endpoint record)."""
        body = {"url": "http://127.0.0.1:1/placeholder", "events": list(events),
                "include_identifiers": identifiers, "description": "CRM " + token(4)}
        body.update(fields)
        r = self.post(ENDPOINTS, body)
        self.assertStatus(r, 201)
        secret = r.json["secret"]
        self.server.note_secret("webhook secret", secret)
        rx = WebhookReceiver(secret)
        rx.statuses = list(statuses)
        self.receivers.append(rx)
        r = self.patch("%s/%d" % (ENDPOINTS, r.json["id"]),
                       {"url": "http://127.0.0.1:%d/hooks" % rx.port},
                       headers={"If-Match": '"%d"' % r.json["version"]})
        self.assertStatus(r, 200)
        return rx, r.json

    def wait_posts(self, rx, count, within=10.0):
        """The receiver's posts once it has at least `count` (failing after `within` s)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with rx.lock:
                if len(rx.posts) >= count:
                    return list(rx.posts)
            time.sleep(0.05)
        with rx.lock:
            self.fail("expected %d webhook posts, got %d: %r"
                      % (count, len(rx.posts), [p["json"] for p in rx.posts]))

    def deliveries(self, endpoint_id, **query):
        q = "&".join("%s=%s" % kv for kv in query.items())
        return self.list_all("%s/%d/deliveries%s" % (ENDPOINTS, endpoint_id,
                                                     "?" + q if q else ""))

    def deliver(self, now):
        """`paroletrack webhooks deliver --now NOW` on the server's database; its summary line."""
        code, out, err = self.server.cli("webhooks", "deliver", "--now", now)
        self.assertEqual(code, 0, err)
        return out.strip()

    def outbox_rows(self, sql, *args):
        with sqlite3.connect(self.server.db) as db:
            return db.execute(sql, args).fetchall()


class Endpoints(WebhookCase):

    def test_the_secret_is_shown_once_and_never_stored_in_clear(self):
        r = self.post(ENDPOINTS, {"url": "https://crm.example.org/hooks/paroletrack",
                                  "events": ["client.created", "stage.changed"]})
        self.assertStatus(r, 201)
        created = r.json
        self.server.note_secret("webhook secret", created["secret"])
        self.assertRegex(created["secret"], r"^whsec_[A-Za-z0-9+/]{43}=$")
        self.assertEqual(r.header("Location"), "%s/%d" % (ENDPOINTS, created["id"]))
        self.assertEqual(r.header("ETag"), '"1"')
        self.assertIs(created["enabled"], True)
        self.assertIs(created["include_identifiers"], False)
        got = self.get("%s/%d" % (ENDPOINTS, created["id"]))
        self.assertStatus(got, 200)
        self.assertNotIn("secret", got.json)
        self.assertNotIn(created["secret"], got.raw.decode())
        self.assertNotIn(created["secret"], self.get(ENDPOINTS).raw.decode())
        stored = self.outbox_rows("SELECT secret FROM webhook_endpoints WHERE id = ?",
                                  created["id"])[0][0]
        self.assertNotIn(created["secret"][6:], stored)
        trail = self.get("/api/v1/audit-events?entity=webhook_endpoints")
        self.assertStatus(trail, 200)
        self.assertNotIn(created["secret"], trail.raw.decode())
        self.assertIn("create", [e["action"] for e in trail.json["items"]])

    def test_bad_endpoints_name_the_field_and_store_nothing(self):
        before = len(self.list_all(ENDPOINTS))
        cases = [
            ({"url": "ftp://crm.example.org/x", "events": ["*"]}, "url"),
            ({"url": "http://crm.example.org/x", "events": ["*"]}, "url"),
            ({"url": "https://user:pw@crm.example.org/x", "events": ["*"]}, "url"),
            ({"url": "https:///x", "events": ["*"]}, "url"),
            ({"url": "http://127.attacker.example/x", "events": ["*"]}, "url"),
            ({"url": "http://localhost@attacker.example/x", "events": ["*"]}, "url"),
            ({"url": "https://crm.example.org:70000/x", "events": ["*"]}, "url"),
            ({"events": ["*"]}, "url"),
            ({"url": "https://crm.example.org/x", "events": []}, "events"),
            ({"url": "https://crm.example.org/x", "events": ["client.renamed"]}, "events"),
            ({"url": "https://crm.example.org/x", "events": ["*", "client.created"]}, "events"),
            ({"url": "https://crm.example.org/x",
              "events": ["client.created", "client.created"]}, "events"),
            ({"url": "https://crm.example.org/x", "events": ["*"], "enabled": "yes"}, "enabled"),
            ({"url": "https://crm.example.org/x", "events": ["*"], "secret": "whsec_AAAA"},
             "secret"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                self.assertProblem(self.post(ENDPOINTS, body), 422, field=field)
        self.assertEqual(len(self.list_all(ENDPOINTS)), before)

    def test_loopback_receivers_may_use_plain_http(self):
        for url in ("http://localhost:8080/h", "http://127.0.0.1/h", "http://[::1]:9/h"):
            with self.subTest(url=url):
                r = self.post(ENDPOINTS, {"url": url, "events": ["*"]})
                self.assertStatus(r, 201)
                self.server.note_secret("webhook secret", r.json["secret"])

    def test_patch_checks_version_and_fields(self):
        rx, e = self.endpoint()
        path = "%s/%d" % (ENDPOINTS, e["id"])
        self.assertProblem(self.patch(path, {"enabled": False}, headers={"If-Match": '"1"'}),
                           412)
        self.assertProblem(self.patch(path, {"events": ["nope"]}), 422, field="events")
        r = self.patch(path, {"enabled": False, "description": "paused"},
                       headers={"If-Match": '"%d"' % e["version"]})
        self.assertStatus(r, 200)
        self.assertIs(r.json["enabled"], False)
        self.assertEqual(r.json["version"], e["version"] + 1)
        self.assertEqual(self.get(path).json["url"], e["url"])

    def test_only_admins_manage_endpoints(self):
        for role in ("paralegal", "attorney", "viewer"):
            with self.subTest(role=role):
                who = self.session_as(role)
                self.assertProblem(self.get(ENDPOINTS, auth=who), 403)
                self.assertProblem(self.post(ENDPOINTS, {"url": "https://x.example/h",
                                                         "events": ["*"]}, auth=who), 403)
        key = self.make_key(("read", "write"))
        self.assertProblem(self.get(ENDPOINTS, auth=key), 403)

    def test_delete_and_unknown_ids(self):
        rx, e = self.endpoint()
        path = "%s/%d" % (ENDPOINTS, e["id"])
        self.make_client()
        self.wait_posts(rx, 1)
        self.assertStatus(self.delete(path), 204)
        self.assertProblem(self.get(path), 404)
        self.assertProblem(self.get(path + "/deliveries"), 404)
        self.assertEqual(self.outbox_rows(
            "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?", e["id"])[0][0], 0)
        self.assertProblem(self.delete(path), 404)
        self.assertProblem(self.post(path + "/secret", None), 404)


class Deliveries(WebhookCase):

    def test_changes_arrive_signed_in_order_without_identifiers(self):
        rx, e = self.endpoint()
        a_number = "A%09d" % (int(time.time() * 1000) % 10**9)
        client = self.make_client(a_number=a_number, notes="fled after threats " + token(6))
        self.assertStatus(self.patch("/api/v1/clients/%d" % client["id"],
                                     {"given_name": "Renamed"},
                                     headers={"If-Match": '"%d"' % client["version"]}), 200)
        pr = self.make_request(client_id=client["id"])
        posts = self.wait_posts(rx, 3)
        self.assertTrue(all(p["verified"] for p in posts), "every post verifies")
        types = [p["json"]["type"] for p in posts]
        # in order per record (the client's two events); another record's may come between
        self.assertEqual([t for t in types if t.startswith("client.")],
                         ["client.created", "client.updated"])
        self.assertEqual(sorted(types), ["client.created", "client.updated",
                                         "parole_request.created"])
        posts = sorted(posts, key=lambda p: ["client.created", "client.updated",
                                             "parole_request.created"].index(p["json"]["type"]))
        ids = [p["id"] for p in posts]
        self.assertEqual(len(set(ids)), len(ids), "a webhook-id per event")
        updated = posts[1]["json"]["data"]
        self.assertEqual(updated["entity"], "client")
        self.assertEqual(updated["id"], client["id"])
        self.assertEqual(updated["client_id"], client["id"])
        self.assertIsNone(updated["parole_request_id"])
        self.assertIn("given_name", updated["changed"])
        self.assertNotIn("record", updated)
        made = posts[2]["json"]["data"]
        self.assertEqual((made["parole_request_id"], made["client_id"]), (pr["id"], client["id"]))
        for p in posts:
            raw = p["body"].decode()
            for secret in (a_number, a_number[1:], "Renamed", "Kowalenko", "fled after"):
                self.assertNotIn(secret, raw, "a payload without identifiers carries none")
            self.assertLessEqual(abs(int(p["timestamp"]) - time.time()), 60)
        # the outbox keeps no identifier either
        summaries = " ".join(r[0] for r in self.outbox_rows("SELECT summary FROM webhook_events"))
        self.assertNotIn(a_number[1:], summaries)
        log = self.deliveries(e["id"], status="delivered")
        self.assertEqual({d["webhook_id"] for d in log} >= set(ids), True)
        one = self.get("%s/%d/deliveries/%d" % (ENDPOINTS, e["id"], log[0]["id"]))
        self.assertStatus(one, 200)
        self.assertEqual(one.json["attempts"], 1)
        self.assertEqual(one.json["attempts_log"][0]["status"], 204)
        self.assertIsNone(one.json["attempts_log"][0]["error"])

    def test_a_trusted_endpoint_gets_the_record_and_the_outbox_keeps_it_sealed(self):
        plain_rx, _ = self.endpoint(events=("client.created",))
        rx, _ = self.endpoint(events=("client.created",), identifiers=True)
        digits = "%09d" % (int(time.time() * 997) % 10**9)
        client = self.make_client(a_number="A" + digits)
        post = self.wait_posts(rx, 1)[0]
        self.assertTrue(post["verified"])
        record = post["json"]["data"]["record"]
        self.assertEqual(record["id"], client["id"])
        self.assertEqual(record["a_number"], "A" + digits)
        plain = self.wait_posts(plain_rx, 1)[0]
        self.assertNotIn("record", plain["json"]["data"])
        self.assertNotIn(digits, plain["body"].decode())
        details = self.outbox_rows("SELECT detail FROM webhook_events WHERE type = "
                                   "'client.created' AND detail IS NOT NULL")
        self.assertTrue(details)
        for (detail,) in details:
            self.assertNotIn(digits, detail)

    def test_an_endpoint_gets_only_the_types_it_chose(self):
        rx, _ = self.endpoint(events=("parole_request.created",))
        client = self.make_client()
        pr = self.make_request(client_id=client["id"])
        posts = self.wait_posts(rx, 1)
        time.sleep(1.5)
        self.assertEqual([p["json"]["type"] for p in rx.posts], ["parole_request.created"])
        self.assertEqual(posts[0]["json"]["data"]["id"], pr["id"])

    def test_a_stage_change_follows_its_cause(self):
        rx, _ = self.endpoint(events=("filing.created", "stage.changed"))
        pr = self.make_request()
        before = self.stage_of(pr["id"])
        self.make_child(pr["id"], "filings")
        after = self.stage_of(pr["id"])
        self.assertNotEqual(before, after, "a filing moves a draft request")
        posts = self.wait_posts(rx, 2)
        self.assertEqual([p["json"]["type"] for p in posts], ["filing.created", "stage.changed"])
        moved = posts[1]["json"]["data"]
        self.assertEqual((moved["parole_request_id"], moved["from"], moved["to"], moved["cause"]),
                         (pr["id"], before, after, "filing.created"))

    def test_a_program_terminated_moves_its_requests_stages(self):
        rx, _ = self.endpoint(events=("stage.changed",))
        code = "t" + token(8).lower()
        program = self.create("/api/v1/programs", {
            "code": code, "name": "Test program " + token(4),
            "citation_source": "Test notice", "citation_date": day(-400)})
        prs = []
        for _ in range(2):
            pr = self.make_request(parole_type="program", program=code, location="outside_us")
            self.make_child(pr["id"], "filings", filed_on=day(-200),
                            receipt_number=unique_receipt())
            self.make_child(pr["id"], "decisions", decided_on=day(-30), outcome="approved")
            self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(200))
            self.assertEqual(self.stage_of(pr["id"]), "paroled")
            prs.append(pr["id"])
        time.sleep(1.5)
        with rx.lock:
            rx.posts.clear()
        self.assertStatus(self.patch("/api/v1/programs/%d" % program["id"],
                                     {"terminated_on": day(-1)}), 200)
        posts = self.wait_posts(rx, 2)
        moved = sorted((p["json"]["data"]["parole_request_id"], p["json"]["data"]["from"],
                        p["json"]["data"]["to"], p["json"]["data"]["cause"]) for p in posts)
        self.assertEqual(moved, [(i, "paroled", "terminated", "programs.update") for i in prs])
        self.assertEqual([self.stage_of(i) for i in prs], ["terminated", "terminated"])

    def test_a_deleted_record_says_so(self):
        rx, _ = self.endpoint(events=("client.deleted",))
        client = self.make_client()
        self.assertStatus(self.delete("/api/v1/clients/%d" % client["id"]), 204)
        post = self.wait_posts(rx, 1)[0]
        self.assertEqual(post["json"]["type"], "client.deleted")
        self.assertEqual(post["json"]["data"]["id"], client["id"])

    def test_a_failed_write_raises_nothing(self):
        rx, _ = self.endpoint()
        bad = self.post("/api/v1/clients", {"family_name": "", "given_name": "X"})
        self.assertProblem(bad, 422)
        client = self.make_client()
        stale = self.patch("/api/v1/clients/%d" % client["id"], {"given_name": "Y"},
                           headers={"If-Match": '"99"'})
        self.assertProblem(stale, 412)
        self.wait_posts(rx, 1)
        time.sleep(1.5)
        self.assertEqual([p["json"]["type"] for p in rx.posts], ["client.created"])

    def test_no_enabled_endpoint_no_outbox_rows(self):
        rx, e = self.endpoint()
        self.assertStatus(self.patch("%s/%d" % (ENDPOINTS, e["id"]), {"enabled": False}), 200)
        count = self.outbox_rows("SELECT count(*) FROM webhook_events")[0][0]
        self.make_client()
        self.assertEqual(self.outbox_rows("SELECT count(*) FROM webhook_events")[0][0], count)

    def test_replay_sends_the_same_webhook_id_again(self):
        rx, e = self.endpoint(events=("client.created",))
        self.make_client()
        first = self.wait_posts(rx, 1)[0]
        delivery = self.deliveries(e["id"])[0]
        self.assertEqual(delivery["status"], "delivered")
        r = self.post("%s/%d/deliveries/%d/replay" % (ENDPOINTS, e["id"], delivery["id"]), None)
        self.assertStatus(r, 202)
        self.assertEqual(r.json["status"], "pending")
        again = self.wait_posts(rx, 2)[1]
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(again["json"], first["json"])
        self.assertTrue(again["verified"])
        self.assertProblem(self.post("%s/%d/deliveries/999999/replay" % (ENDPOINTS, e["id"]),
                                     None), 404)
        trail = self.get("/api/v1/audit-events?entity=webhook_deliveries")
        self.assertIn("replay", [ev["action"] for ev in trail.json["items"]])

    def test_a_rotated_secret_signs_what_follows(self):
        rx, e = self.endpoint(events=("client.created",))
        r = self.post("%s/%d/secret" % (ENDPOINTS, e["id"]), None)
        self.assertStatus(r, 200)
        self.server.note_secret("webhook secret", r.json["secret"])
        self.assertNotEqual(r.json["secret"], rx.secret)
        old = rx.secret
        rx.secret = r.json["secret"]
        self.make_client()
        post = self.wait_posts(rx, 1)[0]
        self.assertTrue(post["verified"], "signed with the new secret")
        rx.secret = old
        self.assertNotIn(r.json["secret"], self.get("%s/%d" % (ENDPOINTS, e["id"])).raw.decode())


class Retries(WebhookCase):
    """Time travels here through `webhooks deliver --now`: one class, so no other test minds."""

    def test_in_order_per_record_retried_with_backoff_and_logged(self):
        rx, e = self.endpoint(events=("client.created", "client.updated"), statuses=[500, 503])
        client = self.make_client()
        first = self.wait_posts(rx, 1)[0]
        self.assertEqual(first["answered"], 500)
        self.assertStatus(self.patch("/api/v1/clients/%d" % client["id"], {"given_name": "Z"}),
                          200)
        # the update is due at once, but waits behind the failed create of the same client
        self.assertIn("1 to retry", self.deliver(utc(10)))
        self.assertEqual([(p["id"], p["answered"]) for p in rx.posts],
                         [(first["id"], 500), (first["id"], 503)])
        summary = self.deliver(utc(120))
        self.assertIn("2 delivered", summary)
        posts = rx.posts
        self.assertEqual([p["json"]["type"] for p in posts[2:]],
                         ["client.created", "client.updated"])
        log = self.deliveries(e["id"])
        created = [d for d in log if d["type"] == "client.created"][0]
        self.assertEqual((created["status"], created["attempts"]), ("delivered", 3))
        one = self.get("%s/%d/deliveries/%d" % (ENDPOINTS, e["id"], created["id"])).json
        self.assertEqual([a["status"] for a in one["attempts_log"]], [500, 503, 204])
        self.assertTrue(one["attempts_log"][0]["error"])

    def test_a_dead_receiver_is_given_up_after_three_days(self):
        rx, e = self.endpoint(events=("client.created",), statuses=[500] * 50)
        self.make_client()
        self.wait_posts(rx, 1)
        self.assertIn("0 delivered, 1 to retry", self.deliver(utc(3600)))
        self.assertIn("0 delivered, 1 to retry", self.deliver(utc(2 * 86400)))
        self.assertEqual(self.deliveries(e["id"], status="failed"), [])
        summary = self.deliver(utc(4 * 86400))
        log = self.deliveries(e["id"], status="failed")
        self.assertEqual(len(log), 1, summary)
        self.assertEqual(log[0]["attempts"], 3)
        self.assertEqual(len(rx.posts), 3, "nothing is posted once given up")
        self.assertEqual(self.get("%s/%d" % (ENDPOINTS, e["id"])).json["failed"], 1)
        self.assertEqual(self.deliveries(e["id"], status="pending"), [])
        metrics = self.get("/metrics", auth=self.make_key(("metrics",))).raw.decode()
        self.assertIn("\nparoletrack_webhook_deliveries_failed 1\n", metrics)
        self.assertIn("\nparoletrack_webhook_deliveries_pending 0\n", metrics)

    def test_metrics_count_the_backlog(self):
        rx, e = self.endpoint(events=("client.created",), statuses=[500] * 50)
        self.make_client()
        self.wait_posts(rx, 1)
        metrics = self.get("/metrics", auth=self.make_key(("metrics",))).raw.decode()
        self.assertRegex(metrics, r"\nparoletrack_webhook_deliveries_pending [1-9]\d*\n")
        self.assertRegex(metrics,
                         r"\nparoletrack_webhook_oldest_pending_timestamp_seconds [1-9]\d+\n")


class Overdue(WebhookCase):
    """Its own class: the day swept through is the database's."""

    def test_a_deadline_turning_overdue_is_announced(self):
        rx, _ = self.endpoint(events=("deadline.overdue",))
        pr = self.make_request()
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
        deadlines = self.get("/api/v1/parole-requests/%d/deadlines" % pr["id"]).json["items"]
        interview = [d for d in deadlines if d["kind"] == "interview"][0]
        self.deliver(utc(3 * 86400))
        posts = [p for p in self.wait_posts(rx, 1)
                 if p["json"]["data"]["parole_request_id"] == pr["id"]]
        self.assertEqual(len(posts), 1)
        data = posts[0]["json"]["data"]
        self.assertEqual((data["kind"], data["due_on"]), ("interview", interview["due_on"]))
        self.assertTrue(posts[0]["verified"])
        # the same day swept again raises nothing new
        self.deliver(utc(3 * 86400 + 60))
        self.assertEqual(len([p for p in rx.posts
                              if p["json"]["data"].get("parole_request_id") == pr["id"]]), 1)


class StagesTurningByThemselves(WebhookCase):
    """Its own class: the instant swept through is the database's."""

    def test_an_appointment_passing_changes_the_stage_and_says_so(self):
        rx, _ = self.endpoint(events=("stage.changed",))
        pr = self.make_request()
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(120))
        self.assertEqual(self.stage_of(pr["id"]), "interview_scheduled")
        written = self.wait_posts(rx, 1)[0]["json"]["data"]
        self.assertEqual((written["from"], written["to"], written["cause"]),
                         ("draft", "interview_scheduled", "interview.created"))
        time.sleep(1.5)  # the worker's first sweep has noted its instant
        self.assertEqual(len(rx.posts), 1, "nothing turns before the appointment")
        self.deliver(utc(180))
        posts = [p for p in self.wait_posts(rx, 2)
                 if p["json"]["data"]["parole_request_id"] == pr["id"] and
                 p["json"]["data"]["cause"] == "date"]
        self.assertEqual(len(posts), 1)
        data = posts[0]["json"]["data"]
        self.assertEqual((data["from"], data["to"], data["cause"]),
                         ("interview_scheduled", "draft", "date"))
        self.assertTrue(posts[0]["verified"])
        self.deliver(utc(240))
        self.assertEqual(len(rx.posts), 2, "announced once")


if __name__ == "__main__":
    unittest.main()
