"""`paroletrack remind`, the nightly reminder job (issue 4, "paroletrack remind: the nightly job").

Every test gets its own server and database (the job reminds about every open deadline in the
database, so tests cannot share one), sets its cases up through the real API, then runs the job
as a subprocess with no PAROLETRACK_* variable and --as-of dates relative to today in the firm's
zone. Deliveries go to a real SMTP server (Python's smtpd, on 127.0.0.1) and to an HTTP webhook
receiver on 127.0.0.1 that verifies the Standard Webhooks signature of every post.

After every test, nothing the job wrote (standard output, standard error, e-mails, webhook posts)
may hold an A-number, passport number, client name or narrative stored through the API.
"""

import base64
import datetime
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import random
import re
import signal
import socket
import ssl
import sqlite3
import subprocess
import threading
import time
import unittest
import warnings

import zoneinfo

from harness import BIN, FIRM_TZ, ApiTestCase, Server, clean_env, day, token, today

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd

DASHBOARD = "https://cases.firm.example"
SENDER = "paroletrack@firm.example"
FIRM = "docket@firm.example"
ADMIN = "admin@example.org"  # the harness's bootstrapped admin
REF_RE = re.compile(r"\bPR-(\d+)\b")
RUN_TIMEOUT = 60


# --------------------------------------------------------------------------------------------
# Loopback receivers


def at(offset, hour=10):
    """An appointment time on day(offset) at hour:00 in the firm's zone, RFC 3339."""
    d = today() + datetime.timedelta(days=offset)
    return datetime.datetime(d.year, d.month, d.day, hour, 0,
                             tzinfo=zoneinfo.ZoneInfo(FIRM_TZ)).isoformat()


class _Channel(smtpd.SMTPChannel):
    """Keeps the raw DATA bytes (before smtpd turns CRLF into LF) and stays quiet when the peer
    went away."""

    def found_terminator(self):
        if self.smtp_state == self.DATA:
            self.raw_data = b"".join(self.received_lines)
        else:
            self.smtp_server.commands.append(b"".join(self.received_lines))
        super().found_terminator()

    def handle_error(self):
        self.close()


class SmtpSink(smtpd.SMTPServer):
    """A real SMTP server on 127.0.0.1 (port 0 unless given) in its own thread."""

    channel_class = _Channel

    def __init__(self, port=0):
        self._map = {}
        self.messages = []  # dicts: rcpttos, mailfrom, data (bytes), raw (bytes), msg
        self.commands = []  # every command line received outside DATA (bytes)
        self.lock = threading.Lock()
        self.hold_on = None  # block while handling the n-th message (1-based)
        self.reject = set()  # recipients whose message is refused with a 554
        self.held = threading.Event()
        self.release = threading.Event()
        super().__init__(("127.0.0.1", port), None, map=self._map, decode_data=False)
        self.port = self.socket.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        while not self._stop:
            if self._map:
                asyncore.loop(timeout=0.05, map=self._map, count=1)
            else:
                time.sleep(0.05)

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        channel = [c for c in self._map.values() if isinstance(c, _Channel)
                   and getattr(c, "received_data", None) is data]
        raw = getattr(channel[0], "raw_data", data) if channel else data
        with self.lock:
            self.messages.append({
                "mailfrom": mailfrom, "rcpttos": list(rcpttos), "data": data, "raw": raw,
                "msg": email.message_from_bytes(data, policy=email.policy.default)})
            n = len(self.messages)
        if self.hold_on == n:
            self.held.set()
            self.release.wait(30)
        if self.reject & set(rcpttos):
            self.messages[-1]["rejected"] = True
            return "554 5.7.1 refused by the test"
        return None

    def take(self):
        """The messages received since the last take()."""
        with self.lock:
            out = [m for m in self.messages if not m.get("taken")]
            for m in out:
                m["taken"] = True
        return out

    def stop(self):
        self._stop = True
        self.release.set()
        self._thread.join(5)
        asyncore.close_all(map=self._map)


class StartTlsSink:
    """A real SMTP server on 127.0.0.1 that offers STARTTLS (with a certificate for 127.0.0.1
    made by openssl) and takes messages only once TLS is up; records each message and whether
    it arrived under TLS."""

    def __init__(self, directory):
        self.cert = os.path.join(directory, "smtp-cert.pem")
        key = os.path.join(directory, "smtp-key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", self.cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(self.cert, key)
        self.messages = []  # dicts: tls (bool), rcpt, data (bytes)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.settimeout(0.2)
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            try:
                self._session(conn)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def _session(self, conn):
        conn.settimeout(10)
        stream, tls, rcpt = conn.makefile("rb"), False, []
        conn.sendall(b"220 127.0.0.1 test ESMTP\r\n")
        while True:
            line = stream.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                conn.sendall(b"250-127.0.0.1\r\n250 OK\r\n" if tls else
                             b"250-127.0.0.1\r\n250 STARTTLS\r\n")
            elif line.upper().startswith(b"STARTTLS"):
                conn.sendall(b"220 go ahead\r\n")
                conn = self.context.wrap_socket(conn, server_side=True)
                stream, tls = conn.makefile("rb"), True
            elif verb == b"MAIL":
                conn.sendall(b"250 OK\r\n" if tls else b"530 STARTTLS first\r\n")
            elif verb == b"RCPT":
                rcpt.append(line[8:].strip(b"<>\r\n").decode())
                conn.sendall(b"250 OK\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go\r\n")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = stream.readline()
                    if not chunk:
                        return
                    data += chunk
                self.messages.append({"tls": tls, "rcpt": rcpt, "data": data})
                rcpt = []
                conn.sendall(b"250 queued\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")

    def stop(self):
        self._stop = True
        self._thread.join(5)
        self.listener.close()


def sign(secret, msg_id, timestamp, body):
    key = base64.b64decode(secret[len("whsec_"):])
    signed = b"%s.%s.%s" % (msg_id.encode(), str(timestamp).encode(), body)
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signature_ok(secret, msg_id, timestamp, body, header):
    """The Standard Webhooks check: one of the space-separated "v1,<base64>" signatures matches."""
    if not msg_id or not timestamp or not header:
        return False
    want = sign(secret, msg_id, timestamp, body)
    for part in header.split():
        version, _, sig = part.partition(",")
        if version == "v1" and hmac.compare_digest(sig, want):
            return True
    return False


class _HookHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        rx = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        msg_id = self.headers.get("webhook-id")
        ts = self.headers.get("webhook-timestamp")
        sig = self.headers.get("webhook-signature")
        try:
            parsed = json.loads(body.decode("utf-8"))
        except ValueError:
            parsed = None
        post = {"id": msg_id, "timestamp": ts, "signature": sig, "body": body, "json": parsed,
                "headers": dict(self.headers.items()), "path": self.path,
                "verified": signature_ok(rx.secret, msg_id, ts, body, sig),
                "at": time.monotonic()}
        with rx.lock:
            rx.posts.append(post)
            n = len(rx.posts)
            status = rx.statuses.pop(0) if rx.statuses else rx.status
        if rx.hold_on == n:
            rx.held.set()
            rx.release.wait(30)
        if not post["verified"]:
            status = 401
        post["answered"] = status
        try:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
        except OSError:
            pass
        self.close_connection = True


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 that records every post and verifies its signature; answers
    `status` (204) unless `statuses` queues other answers; unverified posts get 401."""

    def __init__(self, secret, port=0):
        self.secret = secret
        self.posts = []
        self.lock = threading.Lock()
        self.status = 204
        self.statuses = []
        self.hold_on = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), _HookHandler)
        self.httpd.daemon_threads = True
        self.httpd.receiver = self
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={
            "poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def take(self):
        with self.lock:
            out = [p for p in self.posts if not p.get("taken")]
            for p in out:
                p["taken"] = True
        return out

    def stop(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)


def deadline_of(post):
    """The deadline a webhook body is about: {"id", "due_on", "kind", ...} (read leniently)."""
    body = post["json"]
    data = body.get("data", body) if isinstance(body, dict) else {}
    d = data.get("deadline") if isinstance(data.get("deadline"), dict) else data
    out = dict(d)
    out["id"] = d.get("deadline_id", d.get("id"))
    return out


def lead_of(post):
    data = post["json"].get("data", post["json"])
    return data.get("lead_time_days", data.get("lead_time"))


# --------------------------------------------------------------------------------------------
# The test case


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def refs(self):
        """The case references on standard output, one per reminder line."""
        return [int(m.group(1)) for line in self.out.splitlines()
                for m in [REF_RE.search(line)] if m]

    def __repr__(self):
        return "<remind exit %r\nstdout:\n%s\nstderr:\n%s>" % (self.code, self.out[-2500:],
                                                               self.err[-2500:])


class RemindCase(ApiTestCase):
    """A fresh server and database per test (not per class)."""

    @classmethod
    def setUpClass(cls):
        super(ApiTestCase, cls).setUpClass()

    @classmethod
    def tearDownClass(cls):
        super(ApiTestCase, cls).tearDownClass()

    def setUp(self):
        server = Server(timezone=FIRM_TZ)
        try:
            server.start()
        except BaseException:
            server.kill()
            server.cleanup()
            raise
        self.server = server
        self.addCleanup(self._stop_server)
        self.secret = "whsec_" + base64.b64encode(os.urandom(32)).decode()
        self.private = []  # (kind, value): never in anything the job writes
        self.written = []  # (what, text): everything the job wrote
        self.smtp = SmtpSink()
        self.smtp_port = self.smtp.port
        self.hook = WebhookReceiver(self.secret)
        self.hook_port = self.hook.port
        self.addCleanup(self._check_private)
        self.addCleanup(lambda: self.hook and self.hook.stop())
        self.addCleanup(lambda: self.smtp and self.smtp.stop())

    def _stop_server(self):
        code = self.server.stop()
        leaks = self.server.leaks()
        self.server.cleanup()
        self.assertEqual(code, 0, "server did not exit cleanly on SIGTERM")
        self.assertFalse(leaks, "the server log holds secrets: %s" % leaks[:5])

    def _check_private(self):
        texts = list(self.written)
        for sink in (self.smtp,):
            for m in sink.messages if sink else []:
                texts.append(("e-mail to %s" % m["rcpttos"], m["data"].decode("utf-8", "replace")))
        for p in self.hook.posts if self.hook else []:
            texts.append(("webhook post", p["body"].decode("utf-8", "replace") + "\n" +
                          json.dumps(p["headers"])))
        private = list(self.private)
        with self.server._secrets_lock:
            private += [(kind, v) for v, kind in self.server.secrets.items()]
        for what, text in texts:
            low = text.lower()
            for kind, value in private:
                self.assertNotIn(value.lower(), low, "%s carries a %s: %r" % (what, kind, value))

    # ---- the job -----------------------------------------------------------------------------

    def args(self, as_of, smtp=True, webhook=True, firm=True, dry_run=False, extra=(),
             smtp_url=None, smtp_flags=("--smtp-insecure",)):
        a = [BIN, "remind", "--db", self.server.db, "--timezone", FIRM_TZ, "--base-url",
             DASHBOARD]
        if as_of is not None:
            a += ["--as-of", as_of]
        if smtp:
            # The plain loopback sink has no TLS: the tests that are not about the transport
            # say so explicitly, as an operator would have to.
            a += ["--smtp-url", smtp_url or "smtp://127.0.0.1:%d" % self.smtp_port,
                  "--smtp-from", SENDER] + list(smtp_flags)
        if firm:
            a += ["--firm-email", FIRM]
        if webhook:
            a += ["--webhook-url", "http://127.0.0.1:%d/hooks/paroletrack" % self.hook_port,
                  "--webhook-secret", self.secret]
        if dry_run:
            a.append("--dry-run")
        return a + list(extra)

    def remind(self, as_of, **kw):
        p = subprocess.run(self.args(as_of, **kw), stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=RUN_TIMEOUT, env=clean_env())
        r = Run(p.returncode, p.stdout.decode("utf-8", "replace"),
                p.stderr.decode("utf-8", "replace"))
        self.written += [("standard output", r.out), ("standard error", r.err)]
        return r

    def assertRan(self, r, code=0):
        self.assertEqual(r.code, code, repr(r))

    def assertQuiet(self, r, why=""):
        """Exit 0, nothing printed, nothing mailed, nothing posted."""
        self.assertRan(r, 0)
        self.assertEqual(r.out, "", "%sstandard output should be empty: %r" % (why, r))
        self.assertEqual(self.smtp.take(), [], why + "no e-mail expected")
        self.assertEqual([(p["id"], p["json"]) for p in self.hook.take()], [],
                         why + "no webhook post expected")

    def ledger(self):
        with sqlite3.connect("file:%s?mode=ro" % self.server.db, uri=True) as c:
            return c.execute("SELECT deadline_id, lead_time, channel, recipient, status"
                             " FROM reminder_ledger ORDER BY deadline_id, due_on, lead_time,"
                             " channel, recipient").fetchall()

    # ---- fixtures ----------------------------------------------------------------------------

    def case(self, attorney=None, paralegal=None, **fields):
        """A parole request for a fresh client with identifiers and narratives on record."""
        family, given = "Zhov" + token(8), "Olen" + token(8)
        a_number = "A%09d" % random.randrange(100000000, 999999999)
        passport = "FP%07d" % random.randrange(1000000, 9999999)
        self.private += [("client name", family), ("client name", given),
                         ("A-number", a_number), ("A-number", a_number[1:]),
                         ("passport number", passport)]
        c = self.make_client(family_name=family, given_name=given, a_number=a_number,
                             passport_number=passport,
                             notes="Narrative %s: fled after threats" % token(10))
        body = {"summary": "Narrative %s: medical urgency" % token(10)}
        if attorney is not None:
            body["assigned_attorney_id"] = attorney.id
        if paralegal is not None:
            body["assigned_paralegal_id"] = paralegal.id
        body.update(fields)
        return self.make_request(c["id"], **body)

    def rfe(self, pr, due, **fields):
        """An RFE whose response is due on day(due)."""
        body = {"issued_on": day(min(due - 40, -1)), "response_due_on": day(due),
                "summary": "Narrative %s: evidence of sponsor income" % token(10)}
        body.update(fields)
        return self.make_child(pr["id"], "rfes", **body)

    def deadlines(self, pr):
        return self.list_all("/api/v1/parole-requests/%d/deadlines" % pr["id"])

    def rule(self, code):
        found = [r for r in self.list_all("/api/v1/deadline-rules") if r["code"] == code]
        self.assertEqual(len(found), 1, code)
        return found[0]

    def staff(self):
        return self.make_user("attorney"), self.make_user("paralegal")

    def mails_by_recipient(self, mails):
        out = {}
        for m in mails:
            self.assertEqual(len(m["rcpttos"]), 1, "one recipient per digest: %r" % m["rcpttos"])
            out.setdefault(m["rcpttos"][0], []).append(m)
        return out

    def body_of(self, mail):
        msg = mail["msg"]
        self.assertEqual(msg.get_content_type(), "text/plain", "digests are plain text")
        return msg.get_content()


# --------------------------------------------------------------------------------------------


class LeadTimes(RemindCase):

    def test_each_lead_time_reminds_on_the_day_it_is_crossed_and_overdue_once(self):
        leads = self.rule("rfe_response")["lead_times"]
        self.assertIn(30, leads)
        pr = self.case()
        rfe = self.rfe(pr, 40)
        sent, days_with_reminders = set(), {}
        for offset in range(0, 46):
            r = self.remind(day(offset), smtp=False)
            self.assertRan(r)
            posts = self.hook.take()
            left = 40 - offset
            crossed = None if left < 0 else min([l for l in leads if left <= l], default=None)
            expected = "overdue" if left < 0 else crossed
            due_now = expected is not None and expected not in sent
            with self.subTest(as_of=day(offset), days_left=left):
                if not due_now:
                    self.assertEqual(r.out, "", "nothing between lead times: %r" % r)
                    self.assertEqual(posts, [])
                    continue
                sent.add(expected)
                days_with_reminders[offset] = expected
                self.assertEqual(r.refs(), [pr["id"]], repr(r))
                self.assertIn(day(40), r.out)
                self.assertEqual(len(posts), 1, [p["json"] for p in posts])
                self.assertTrue(posts[0]["verified"])
                self.assertEqual(deadline_of(posts[0])["id"], "rfes/%d/rfe_response" % rfe["id"])
                self.assertEqual(lead_of(posts[0]), None if expected == "overdue" else expected,
                                 posts[0]["json"])
        # The brief's example: due in 30 days -> a reminder that very day; overdue exactly once.
        self.assertEqual(days_with_reminders.get(10), 30)
        self.assertEqual([o for o, e in days_with_reminders.items() if e == "overdue"], [41])
        self.assertFalse(any(11 <= o <= 25 for o in days_with_reminders), days_with_reminders)

    def test_catch_up_sends_only_the_most_urgent_crossed_lead_time(self):
        attorney, paralegal = self.staff()
        pr = self.case(attorney, paralegal)
        rfe = self.rfe(pr, 30)
        # First run ever one day before the due date: 60, 30, 14, 7, 3 were all crossed.
        r = self.remind(day(29))
        self.assertRan(r)
        self.assertEqual(r.refs(), [pr["id"]], "one reminder, not a burst: %r" % r)
        posts = self.hook.take()
        self.assertEqual([lead_of(p) for p in posts], [1], [p["json"] for p in posts])
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual(set(mails), {attorney.email, paralegal.email})
        for to, ms in mails.items():
            self.assertEqual(len(ms), 1, to)
            self.assertEqual(REF_RE.findall(self.body_of(ms[0])), [str(pr["id"])])
        self.assertEqual({row[1] for row in self.ledger()}, {1}, self.ledger())
        # Then nothing for days, and a run after the date: the overdue one only, no "due today".
        r = self.remind(day(33))
        self.assertRan(r)
        self.assertEqual(r.refs(), [pr["id"]], repr(r))
        posts = self.hook.take()
        self.assertEqual(len(posts), 1)
        self.assertIsNone(lead_of(posts[0]), "overdue: %r" % posts[0]["json"])
        self.assertEqual(deadline_of(posts[0])["id"], "rfes/%d/rfe_response" % rfe["id"])
        self.assertNotIn(0, {row[1] for row in self.ledger()}, self.ledger())

    def test_rule_lead_times_edited_over_the_api_are_the_ones_used(self):
        rule = self.rule("rfe_response")
        r = self.patch("/api/v1/deadline-rules/%d" % rule["id"], {"lead_times": [45, 2]},
                       headers={"If-Match": '"%d"' % rule["version"]})
        self.assertStatus(r, 200)
        pr = self.case()
        self.rfe(pr, 50)
        got = {}
        for offset in (0, 4, 5, 6, 20, 47, 48, 49, 50, 51, 52):
            r = self.remind(day(offset), smtp=False)
            self.assertRan(r)
            posts = self.hook.take()
            if posts:
                got[offset] = [lead_of(p) for p in posts]
            self.assertEqual(bool(r.out), bool(posts), repr(r))
        self.assertEqual(got, {5: [45], 48: [2], 51: [None]})

    def test_met_deadlines_and_closed_requests_are_not_reminded(self):
        pr_met = self.case()
        self.rfe(pr_met, 7, responded_on=day(-1))
        pr_closed = self.case()
        self.rfe(pr_closed, 7)
        self.make_child(pr_closed["id"], "decisions", decided_on=day(-1), outcome="withdrawn")
        pr_open = self.case()
        self.rfe(pr_open, 7)
        r = self.remind(day(0))
        self.assertRan(r)
        self.assertEqual(r.refs(), [pr_open["id"]], repr(r))
        self.assertEqual({deadline_of(p)["parole_request_id"] for p in self.hook.take()},
                         {pr_open["id"]})
        r = self.remind(day(10))  # overdue by then: still nothing for the others
        self.assertRan(r)
        self.assertEqual(r.refs(), [pr_open["id"]], repr(r))

    def test_a_deadline_marked_handled_is_not_reminded_and_reopened_it_is(self):
        handled, snoozed, plain = self.case(), self.case(), self.case()
        for pr in (handled, snoozed, plain):
            self.rfe(pr, 7)
        ids = {pr["id"]: [d["id"] for d in self.deadlines(pr) if d["kind"] == "rfe_response"][0]
               for pr in (handled, snoozed, plain)}
        r = self.patch("/api/v1/deadlines/" + ids[handled["id"]],
                       {"handled_reason": "Response hand-delivered to the field office"})
        self.assertStatus(r, 200)
        # a snooze only hides it from the Today queue: the reminders go on
        r = self.patch("/api/v1/deadlines/" + ids[snoozed["id"]], {"snoozed_until": day(5)})
        self.assertStatus(r, 200)
        r = self.remind(day(0))
        self.assertRan(r)
        self.assertEqual(sorted(r.refs()), sorted([snoozed["id"], plain["id"]]), repr(r))
        self.assertEqual({deadline_of(p)["parole_request_id"] for p in self.hook.take()},
                         {snoozed["id"], plain["id"]})
        # an admin reopens it: the next run reminds it again (overdue by then)
        r = self.patch("/api/v1/deadlines/" + ids[handled["id"]], {"handled_reason": None})
        self.assertStatus(r, 200)
        r = self.remind(day(10))
        self.assertRan(r)
        self.assertIn(handled["id"], r.refs(), repr(r))


class WhatSurvivesADecision(RemindCase):
    """Issue 12: what a decision makes moot is not reminded; a program's termination, a missed
    appointment, an unpaid fee and the client's asylum one-year deadline are."""

    def test_the_issue_12_deadlines_are_reminded_and_moot_ones_are_not(self):
        moot = self.case()
        self.rfe(moot, 7)
        self.make_child(moot["id"], "filings", filed_on=day(-100))
        self.make_child(moot["id"], "decisions", decided_on=day(-1), outcome="denied")
        chnv = self.case(parole_type="program", program="chnv")
        self.make_child(chnv["id"], "filings", filed_on=day(-400))
        self.make_child(chnv["id"], "decisions", decided_on=day(-300), outcome="approved")
        self.make_child(chnv["id"], "expirations", kind="i94", expires_on=day(300))
        missed = self.case()
        self.make_child(missed["id"], "interviews", kind="biometrics", scheduled_at=at(-2),
                        outcome="missed")
        fee = self.case()
        self.make_child(fee["id"], "fee-notices", kind="other", amount_cents=2500,
                        issued_on=day(-3), due_on=day(7))
        asylum = self.case()
        arrival = (today() + datetime.timedelta(days=7))
        arrival = arrival.replace(year=arrival.year - 1)
        self.create("/api/v1/clients/%d/entries" % asylum["client_id"],
                    {"arrived_on": arrival.isoformat()})
        # a (c)(11) card issued 358 days ago ends a year after issue (H.R. 1): in 7 days
        ead = self.case()
        self.make_child(ead["id"], "filings", filed_on=day(-400))
        self.make_child(ead["id"], "decisions", decided_on=day(-380), outcome="approved")
        self.make_child(ead["id"], "expirations", kind="i94", expires_on=day(300))
        self.make_child(ead["id"], "expirations", kind="ead", ead_category="c11",
                        issued_on=day(-358), expires_on=day(400))
        # an approval abroad valid for 7 more days: travel by then
        abroad = self.case(location="outside_us")
        self.make_child(abroad["id"], "filings", filed_on=day(-100))
        self.make_child(abroad["id"], "decisions", decided_on=day(-20), outcome="approved",
                        valid_until=day(7))
        # a move three days ago: the AR-11 report is due in 7
        moved = self.case()
        self.assertStatus(self.patch("/api/v1/clients/%d" % moved["client_id"],
                                     {"address": "9 Ninth Street, Paterson NJ",
                                      "address_since": day(-3)}), 200)
        r = self.remind(day(0))
        self.assertRan(r)
        posts = self.hook.take()
        kinds = {(deadline_of(p)["parole_request_id"], deadline_of(p)["kind"]) for p in posts}
        self.assertIn((ead["id"], "ead_end"), kinds)
        self.assertIn((abroad["id"], "travel_by"), kinds)
        self.assertIn((moved["id"], "address_change_report"), kinds)
        self.assertIn((chnv["id"], "parole_end"), kinds)
        self.assertIn((missed["id"], "missed_appointment"), kinds)
        self.assertIn((fee["id"], "fee_payment"), kinds)
        self.assertIn((asylum["id"], "asylum_one_year"), kinds)
        self.assertNotIn(moot["id"], {k[0] for k in kinds}, "a moot RFE is not reminded")
        self.assertNotIn(moot["id"], r.refs())
        end = [deadline_of(p) for p in posts
               if deadline_of(p)["parole_request_id"] == chnv["id"]][0]
        self.assertEqual(end["due_on"], "2025-04-24")


class ClientWithNoRequest(RemindCase):
    """A client's own deadline stands before the client has a parole request: it is reminded,
    to the firm's address (no one is assigned to a client), with the client as its reference."""

    def test_the_asylum_deadline_of_a_client_with_no_request_is_reminded(self):
        family = "Zhov" + token(8)
        self.private.append(("client name", family))
        client = self.make_client(family_name=family, given_name="Alone")
        arrival = (today() + datetime.timedelta(days=7))
        arrival = arrival.replace(year=arrival.year - 1)
        self.create("/api/v1/clients/%d/entries" % client["id"],
                    {"arrived_on": arrival.isoformat()})
        r = self.remind(day(0))
        self.assertRan(r)
        posts = [deadline_of(p) for p in self.hook.take()]
        self.assertEqual([(d["kind"], d["parole_request_id"], d["client_id"]) for d in posts],
                         [("asylum_one_year", None, client["id"])], posts)
        self.assertIn("CL-%d" % client["id"], r.out)
        self.assertIn("%s/clients/%d" % (DASHBOARD, client["id"]), r.out)
        self.assertEqual(r.refs(), [], "no request reference for a client with none")
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual(set(mails), {FIRM}, "no one is assigned: the firm's address")
        self.assertIn("CL-%d" % client["id"], self.body_of(mails[FIRM][0]))
        # Once the client has a request, the deadline is under it: not reminded again for the
        # same lead time, and the request is the reference from now on.
        pr = self.make_request(client["id"])
        self.assertEqual([d["parole_request_id"] for d in self.deadlines(pr)
                          if d["kind"] == "asylum_one_year"], [pr["id"]])
        self.assertQuiet(self.remind(day(0)), "the same reminder again: ")


class ExactlyOnce(RemindCase):

    def test_second_run_the_same_night_sends_nothing(self):
        attorney, paralegal = self.staff()
        pr1 = self.case(attorney, paralegal)
        self.rfe(pr1, 7)
        self.make_child(pr1["id"], "interviews", kind="interview",
                        scheduled_at=at(14))
        pr2 = self.case()
        self.rfe(pr2, -2)  # overdue: firm and admins
        r = self.remind(day(0))
        self.assertRan(r)
        self.assertEqual(sorted(set(r.refs())), sorted({pr1["id"], pr2["id"]}), repr(r))
        self.assertEqual(len(r.refs()), 3, repr(r))
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual(set(mails), {attorney.email, paralegal.email, FIRM, ADMIN})
        self.assertEqual(len(self.hook.take()), 3)
        rows = self.ledger()
        for again in (day(0), day(0), day(1)):
            with self.subTest(as_of=again):
                self.assertQuiet(self.remind(again), "run again on %s: " % again)
        self.assertEqual(self.ledger(), rows, "a quiet run changes nothing in the ledger")

    def test_dry_run_prints_and_records_nothing(self):
        attorney, paralegal = self.staff()
        pr = self.case(attorney, paralegal)
        self.rfe(pr, 3)
        r = self.remind(day(0), dry_run=True)
        self.assertRan(r)
        self.assertEqual(r.refs(), [pr["id"]], "a dry run prints what would go out: %r" % r)
        self.assertEqual(self.smtp.take(), [], "a dry run sends no e-mail")
        self.assertEqual(self.hook.take(), [], "a dry run posts nothing")
        self.assertEqual(self.ledger(), [], "a dry run records nothing")
        r = self.remind(day(0))
        self.assertRan(r)
        self.assertEqual(r.refs(), [pr["id"]], "the real run still sends: %r" % r)
        self.assertEqual(set(self.mails_by_recipient(self.smtp.take())),
                         {attorney.email, paralegal.email})
        self.assertEqual(len(self.hook.take()), 1)
        self.assertQuiet(self.remind(day(0)))

    def test_without_as_of_the_night_is_today_in_the_firm_zone(self):
        pr = self.case()
        self.rfe(pr, 2)
        r = self.remind(None)
        self.assertRan(r)
        self.assertEqual(r.refs(), [pr["id"]], repr(r))
        self.assertIn(day(0), r.out)
        posts = self.hook.take()
        self.assertEqual([lead_of(p) for p in posts], [3], [p["json"] for p in posts])
        self.assertEqual(set(self.mails_by_recipient(self.smtp.take())), {FIRM})
        self.assertQuiet(self.remind(day(0)), "the same night, named: ")

    def test_bad_configuration_exits_2_and_records_nothing(self):
        pr = self.case()
        self.rfe(pr, 3)
        for why, extra in (
                ("a webhook without a secret", ["--webhook-url",
                                                "http://127.0.0.1:%d/x" % self.hook_port]),
                ("e-mail without a sender", ["--smtp-url", "smtp://127.0.0.1:%d" % self.smtp_port]),
                ("a bad --as-of", ["--as-of", "2026-02-30"])):
            with self.subTest(why):
                r = self.remind(None if "--as-of" in extra else day(0), smtp=False,
                                webhook=False, extra=extra)
                self.assertEqual(r.code, 2, repr(r))
                self.assertNotIn("PR-", r.out)
        self.assertEqual(self.ledger(), [])
        self.assertEqual(self.smtp.take(), [])
        self.assertEqual(self.hook.take(), [])


class Email(RemindCase):

    def entries(self, text):
        """{request id: the digest text of that reminder}, in the order they appear."""
        marks = [(m.start(), int(m.group(1))) for m in REF_RE.finditer(text)]
        out = []
        for i, (start, pr_id) in enumerate(marks):
            end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            out.append((pr_id, text[start:end]))
        return out

    def assertEntry(self, block, pr_id, deadline, rule):
        self.assertIn(deadline["title"], block)
        self.assertIn(deadline["due_on"], block)
        self.assertIn(rule["code"], block)
        self.assertIn(rule["citation_source"], block)
        links = re.findall(r"\S*://\S+", block)
        self.assertTrue([u for u in links if u.startswith(DASHBOARD + "/") and
                         re.search(r"\b%d\b" % pr_id, u[len(DASHBOARD):])],
                        "a link to request %d on %s in %r" % (pr_id, DASHBOARD, block))

    def test_one_digest_per_assignee_and_the_firm_address_for_unassigned(self):
        attorney, paralegal = self.staff()
        other_attorney = self.make_user("attorney")
        rfe_rule = self.rule("rfe_response")
        pr_a = self.case(attorney, paralegal)
        self.rfe(pr_a, 7)
        self.rfe(pr_a, 0)
        self.rfe(pr_a, 60)
        pr_b = self.case(other_attorney)  # attorney only
        self.rfe(pr_b, 14)
        pr_c = self.case()  # nobody assigned
        self.rfe(pr_c, 30)
        r = self.remind(day(0))
        self.assertRan(r)
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual(set(mails), {attorney.email, paralegal.email, other_attorney.email,
                                      FIRM}, "nothing is overdue: admins get nothing")
        for to, ms in mails.items():
            self.assertEqual(len(ms), 1, "one digest for %s, got %d" % (to, len(ms)))
        expect = {attorney.email: [pr_a] * 3, paralegal.email: [pr_a] * 3,
                  other_attorney.email: [pr_b], FIRM: [pr_c]}
        for to, prs in expect.items():
            with self.subTest(recipient=to):
                mail = mails[to][0]
                msg = mail["msg"]
                self.assertIn(to, msg["To"])
                self.assertIn(SENDER, msg["From"])
                self.assertIn(SENDER, mail["mailfrom"])
                self.assertTrue(msg["Subject"])
                self.assertTrue(msg["Date"])
                text = self.body_of(mail)
                found = self.entries(text)
                self.assertEqual([p for p, _ in found], [p["id"] for p in prs], text)
                dls = sorted((d for p in {p["id"]: p for p in prs}.values()
                              for d in self.deadlines(p)), key=lambda d: d["due_on"])
                self.assertEqual(len(dls), len(found))
                # Most urgent first (grouped by urgency), each with what it needs.
                for (pr_id, block), d in zip(found, dls):
                    self.assertEntry(block, pr_id, d, rfe_rule)

    def test_a_disabled_assignee_is_skipped_and_the_other_still_mailed(self):
        attorney, paralegal = self.staff()
        pr_a = self.case(attorney, paralegal)
        self.rfe(pr_a, 7)
        pr_b = self.case(None, paralegal)  # only the paralegal, who is then disabled
        self.rfe(pr_b, 14)
        r = self.patch("/api/v1/users/%d" % paralegal.id, {"disabled": True})
        self.assertEqual(r.status, 200, r.json)
        self.assertRan(self.remind(day(0)))
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual(set(mails), {attorney.email, FIRM},
                         "a disabled account gets nothing; a request left with nobody enabled"
                         " goes to the firm address")
        self.assertEqual([p for p, _ in self.entries(self.body_of(mails[attorney.email][0]))],
                         [pr_a["id"]])
        self.assertEqual([p for p, _ in self.entries(self.body_of(mails[FIRM][0]))],
                         [pr_b["id"]])
        self.assertNotIn(paralegal.email, {row[3] for row in self.ledger()})

    def test_overdue_reminders_also_go_to_every_admin(self):
        attorney, paralegal = self.staff()
        second_admin = self.make_user("admin")
        pr_a = self.case(attorney, paralegal)
        self.rfe(pr_a, -3)
        soon = self.rfe(pr_a, 5)
        pr_u = self.case()
        self.rfe(pr_u, -1)
        r = self.remind(day(0))
        self.assertRan(r)
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual(set(mails), {attorney.email, paralegal.email, FIRM, ADMIN,
                                      second_admin.email})
        for admin in (ADMIN, second_admin.email):
            with self.subTest(admin=admin):
                self.assertEqual(len(mails[admin]), 1)
                text = self.body_of(mails[admin][0])
                found = self.entries(text)
                self.assertEqual(sorted(p for p, _ in found), sorted([pr_a["id"], pr_u["id"]]),
                                 "admins get the overdue ones only: %s" % text)
                self.assertNotIn(day(5), text)
                first = text.find("PR-")
                self.assertIn("overdue", text[:first].lower(),
                              "the overdue group is headed as such: %s" % text)
        text = self.body_of(mails[attorney.email][0])
        self.assertEqual(len(self.entries(text)), 2, text)
        self.assertLess(text.find(day(-3)), text.find(day(5)), "overdue first: %s" % text)
        self.assertIn("overdue", text[:text.find("PR-")].lower(), text)
        self.assertEqual(len(self.entries(self.body_of(mails[FIRM][0]))), 1)
        self.assertEqual(len(self.hook.take()), 3)
        # Overdue is reminded once: later nights send nothing more.
        self.assertQuiet(self.remind(day(1)))
        # Nine days on, the one due on day 5 is overdue too: only it goes out, not the others.
        r = self.remind(day(9))
        self.assertRan(r)
        self.assertEqual(r.refs(), [pr_a["id"]], repr(r))
        self.assertNotIn(day(-3), r.out)
        posts = self.hook.take()
        self.assertEqual([deadline_of(p)["id"] for p in posts],
                         ["rfes/%d/rfe_response" % soon["id"]])
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual(set(mails), {attorney.email, paralegal.email, ADMIN,
                                      second_admin.email})
        for ms in mails.values():
            self.assertEqual(len(self.entries(self.body_of(ms[0]))), 1)
            self.assertNotIn(day(-3), self.body_of(ms[0]))
            self.assertIn(day(5), self.body_of(ms[0]))
        self.assertQuiet(self.remind(day(12)))

    def test_messages_are_wellformed_with_crlf_line_ends(self):
        attorney, paralegal = self.staff()
        pr = self.case(attorney, paralegal)
        self.rfe(pr, 1)
        self.rfe(pr, -1)
        self.assertRan(self.remind(day(0)))
        mails = self.smtp.take()
        self.assertTrue(mails)
        for m in mails:
            raw = m["raw"]
            bare = re.search(rb"(?<!\r)\n", raw)
            self.assertFalse(bare, "RFC 5321 2.3.8 / RFC 5322 2.1: a message sent over SMTP "
                              "ends its lines with CRLF, never a bare LF; first bare LF after %r"
                              % (raw[max(0, bare.start() - 40):bare.start()] if bare else b""))
            msg = m["msg"]
            for h in ("Date", "From", "To", "Subject", "Message-ID"):
                self.assertTrue(msg[h], "header %s" % h)

    def test_smtp_down_fails_the_run_and_the_next_run_delivers(self):
        attorney, paralegal = self.staff()
        pr = self.case(attorney, paralegal)
        self.rfe(pr, 30)
        self.smtp.stop()
        self.smtp = None
        r = self.remind(day(0))
        self.assertNotEqual(r.code, 0, "an undelivered e-mail makes the exit code non-zero")
        self.assertEqual(r.refs(), [pr["id"]], "standard output still has the digest")
        self.assertEqual(len(self.hook.take()), 1, "the webhook still goes out")
        self.smtp = SmtpSink(self.smtp_port)
        r = self.remind(day(1))  # the next night: no new lead time, the failed mail retried
        self.assertRan(r)
        self.assertEqual(r.out, "", "standard output was delivered the first time: %r" % r)
        self.assertEqual(self.hook.take(), [], "the webhook was delivered the first time")
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual({k: len(v) for k, v in mails.items()},
                         {attorney.email: 1, paralegal.email: 1})
        self.assertQuiet(self.remind(day(1)))


    def test_a_refused_message_is_retried_for_that_recipient_only(self):
        attorney, paralegal = self.staff()
        pr = self.case(attorney, paralegal)
        self.rfe(pr, 14)
        self.smtp.reject = {paralegal.email}
        r = self.remind(day(0))
        self.assertNotEqual(r.code, 0, "a refused e-mail makes the exit code non-zero: %r" % r)
        mails = self.mails_by_recipient(self.smtp.take())
        self.assertEqual(set(mails), {attorney.email, paralegal.email})
        self.assertEqual(len(self.hook.take()), 1)
        self.smtp.reject = set()
        r = self.remind(day(1))
        self.assertRan(r)
        self.assertEqual(r.out, "", repr(r))
        self.assertEqual({k: len(v) for k, v in self.mails_by_recipient(self.smtp.take()).items()},
                         {paralegal.email: 1}, "only the refused one goes again")
        self.assertEqual(self.hook.take(), [])
        self.assertQuiet(self.remind(day(1)))


class Webhook(RemindCase):

    def test_posts_are_signed_and_carry_the_deadline(self):
        pr = self.case()
        rfe = self.rfe(pr, 7)
        self.make_child(pr["id"], "interviews", kind="biometrics",
                        scheduled_at=at(1), location="ASC " + token(5))
        dls = {d["id"]: d for d in self.deadlines(pr)}
        t0 = time.time()
        r = self.remind(day(0), smtp=False)
        self.assertRan(r)
        posts = self.hook.take()
        self.assertEqual(len(posts), 2, [p["json"] for p in posts])
        ids = set()
        for p in posts:
            with self.subTest(post=p["id"]):
                self.assertTrue(p["id"] and p["timestamp"] and p["signature"], p["headers"])
                self.assertTrue(p["verified"], "signature does not verify: %r" % p["headers"])
                self.assertFalse(signature_ok("whsec_" + base64.b64encode(b"x" * 32).decode(),
                                              p["id"], p["timestamp"], p["body"],
                                              p["signature"]))
                self.assertFalse(signature_ok(self.secret, p["id"], p["timestamp"],
                                              p["body"] + b" ", p["signature"]))
                self.assertLess(abs(int(p["timestamp"]) - t0), 300)
                self.assertIn("application/json",
                              {k.lower(): v for k, v in p["headers"].items()}["content-type"])
                self.assertIsInstance(p["json"], dict)
                d = deadline_of(p)
                self.assertIn(d["id"], dls)
                want = dls[d["id"]]
                self.assertEqual(d.get("due_on"), want["due_on"])
                self.assertEqual(d.get("kind"), want["kind"])
                self.assertEqual(d.get("parole_request_id"), pr["id"])
                self.assertEqual((d.get("rule") or {}).get("code"), want["rule"]["code"])
                ids.add(p["id"])
                self.assertEqual(p["path"], "/hooks/paroletrack")
        self.assertEqual(len(ids), 2, "every reminder has its own webhook-id")
        self.assertIn("rfes/%d/rfe_response" % rfe["id"], {deadline_of(p)["id"] for p in posts})

    def test_receiver_down_fails_the_run_and_the_next_run_delivers(self):
        pr = self.case()
        rfe = self.rfe(pr, 30)
        self.hook.stop()
        self.hook = None
        r = self.remind(day(0), smtp=False)
        self.assertNotEqual(r.code, 0, "an undelivered webhook makes the exit code non-zero")
        self.assertEqual(r.refs(), [pr["id"]], "standard output still has the digest: %r" % r)
        self.assertTrue(r.err.strip(), "the failure is reported on standard error")
        self.hook = WebhookReceiver(self.secret, self.hook_port)
        r = self.remind(day(1), smtp=False)  # next night: nothing newly crossed
        self.assertRan(r)
        self.assertEqual(r.out, "", repr(r))
        posts = self.hook.take()
        self.assertEqual(len(posts), 1)
        self.assertTrue(posts[0]["verified"])
        self.assertEqual(deadline_of(posts[0])["id"], "rfes/%d/rfe_response" % rfe["id"])
        self.assertEqual(lead_of(posts[0]), 30)
        self.assertQuiet(self.remind(day(1), smtp=False))

    def test_error_answers_are_retried_with_backoff_then_next_run(self):
        pr = self.case()
        self.rfe(pr, 14)
        self.hook.statuses = [503]  # one failure, then 204
        r = self.remind(day(0), smtp=False)
        self.assertRan(r)
        posts = self.hook.take()
        self.assertEqual(len(posts), 2, "retried after a 503: %r" % [p["answered"] for p in posts])
        self.assertEqual(posts[0]["id"], posts[1]["id"], "a retry keeps its webhook-id")
        self.assertEqual(posts[0]["body"], posts[1]["body"])
        self.assertGreaterEqual(posts[1]["at"] - posts[0]["at"], 0.5, "retried after a pause")
        pr2 = self.case()
        self.rfe(pr2, 7)
        self.hook.status = 500
        r = self.remind(day(0), smtp=False)
        self.assertNotEqual(r.code, 0, "every attempt answered 500: %r" % r)
        posts = self.hook.take()
        self.assertGreaterEqual(len(posts), 2, "retried")
        self.assertEqual(len({p["id"] for p in posts}), 1)
        gaps = [b["at"] - a["at"] for a, b in zip(posts, posts[1:])]
        self.assertTrue(all(g >= 0.5 for g in gaps), gaps)
        self.assertEqual(gaps, sorted(gaps), "backoff: pauses do not shrink: %r" % gaps)
        self.hook.status = 204
        r = self.remind(day(1), smtp=False)
        self.assertRan(r)
        posts = self.hook.take()
        self.assertEqual(len(posts), 1)
        self.assertEqual(deadline_of(posts[0])["parole_request_id"], pr2["id"])
        self.assertQuiet(self.remind(day(1), smtp=False))


class Killed(RemindCase):

    def start(self, as_of):
        return subprocess.Popen(self.args(as_of), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())

    def kill(self, proc, held):
        if not held.wait(30):
            proc.kill()
            out, err = proc.communicate()
            self.fail("the job never reached the delivery to interrupt: %s %s" % (out, err))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        self.written += [("standard output", out.decode("utf-8", "replace")),
                         ("standard error", err.decode("utf-8", "replace"))]
        self.assertEqual(proc.returncode, -signal.SIGKILL)

    def test_killed_during_a_webhook_post_then_rerun(self):
        attorney, paralegal = self.staff()
        pr = self.case(attorney, paralegal)
        for due in (5, 6, 7):
            self.rfe(pr, due)
        self.hook.hold_on = 2
        proc = self.start(day(0))
        self.kill(proc, self.hook.held)
        self.hook.hold_on = None
        self.hook.release.set()
        first = self.hook.take()
        self.assertEqual(len(first), 2)
        self.assertEqual({k: len(v) for k, v in self.mails_by_recipient(self.smtp.take()).items()},
                         {attorney.email: 1, paralegal.email: 1})
        r = self.remind(day(0))
        self.assertRan(r)
        self.assertEqual(r.out, "", "standard output was recorded before the kill: %r" % r)
        self.assertEqual(self.smtp.take(), [], "the e-mails were recorded before the kill")
        second = self.hook.take()
        self.assertNotIn(first[0]["id"], [p["id"] for p in second],
                         "a recorded webhook is not sent twice")
        self.assertEqual([p["id"] for p in second][:1], [first[1]["id"]],
                         "the interrupted one goes again, with the same webhook-id")
        self.assertEqual(len(second), 2)
        delivered = [deadline_of(p)["id"] for p in [first[0]] + second]
        self.assertEqual(sorted(delivered), sorted(d["id"] for d in self.deadlines(pr)))
        self.assertQuiet(self.remind(day(0)))

    def test_killed_during_an_email_then_rerun(self):
        attorney, paralegal = self.staff()
        pr = self.case(attorney, paralegal)
        self.rfe(pr, 3)
        self.rfe(pr, 4)
        self.smtp.hold_on = 2
        proc = self.start(day(0))
        self.kill(proc, self.smtp.held)
        self.smtp.hold_on = None
        self.smtp.release.set()
        first = self.smtp.take()
        self.assertEqual(len(first), 2)
        done_to = first[0]["rcpttos"][0]
        cut_to = first[1]["rcpttos"][0]
        self.assertEqual({done_to, cut_to}, {attorney.email, paralegal.email})
        self.assertEqual(self.hook.take(), [], "killed before any webhook")
        r = self.remind(day(0))
        self.assertRan(r)
        self.assertEqual(r.out, "", repr(r))
        again = self.mails_by_recipient(self.smtp.take())
        self.assertNotIn(done_to, again, "a recorded e-mail is not sent twice")
        self.assertEqual({k: len(v) for k, v in again.items()}, {cut_to: 1})
        self.assertEqual(len(REF_RE.findall(self.body_of(again[cut_to][0]))), 2)
        self.assertEqual(len(self.hook.take()), 2, "the webhooks go out on the rerun")
        self.assertQuiet(self.remind(day(0)))


class PrivateData(RemindCase):

    def test_no_identifier_name_or_narrative_leaves_the_firm(self):
        attorney, paralegal = self.staff()
        pr = self.case(attorney, paralegal)
        self.rfe(pr, 7)
        self.rfe(pr, -2)
        self.make_child(pr["id"], "interviews", kind="interview",
                        scheduled_at=at(7, 15),
                        notes="Narrative %s: asked about the crossing" % token(10))
        approved = self.case()
        self.make_child(approved["id"], "filings", filed_on=day(-200),
                        notes="Narrative %s: filed in person" % token(10))
        self.make_child(approved["id"], "decisions", decided_on=day(-30), outcome="approved",
                        notes="Narrative %s: approved after review" % token(10))
        doc = "FP%07d" % random.randrange(1000000, 9999999)
        self.private.append(("passport number", doc))
        self.make_child(approved["id"], "expirations", kind="passport", expires_on=day(10),
                        document_number=doc, notes="Narrative %s: renewal pending" % token(10))
        self.make_child(approved["id"], "expirations", kind="i94", expires_on=day(60),
                        notes="Narrative %s: admitted at JFK" % token(10))
        r = self.remind(day(0))
        self.assertRan(r)
        self.assertGreaterEqual(len(r.refs()), 4, repr(r))
        self.assertTrue(self.smtp.messages)
        self.assertTrue(self.hook.posts)
        # The checks themselves run after every test (_check_private); run them now too.
        self._check_private()


if __name__ == "__main__":
    unittest.main()


class SmtpTransport(RemindCase):
    """E-mail never leaves in the clear unless the operator says so, and a password never."""

    def test_plain_smtp_without_starttls_is_refused_before_credentials(self):
        """The attack: a relay (or anyone on the path) that offers no STARTTLS. Before, the job
        logged in and sent the digest in the clear; now it stops after EHLO."""
        attorney, paralegal = self.staff()
        self.rfe(self.case(attorney, paralegal), 30)
        password = "smtp-" + token(12)
        self.private.append(("SMTP password", password))
        r = self.remind(day(0), smtp_flags=(), webhook=False,
                        smtp_url="smtp://mailer:%s@127.0.0.1:%d" % (password, self.smtp_port))
        self.assertEqual(r.code, 1, repr(r))
        self.assertIn("e-mail to a recipient failed", r.err)
        self.assertEqual(self.smtp.take(), [], "nothing may be sent without TLS")
        sent = b"\n".join(self.smtp.commands).upper()
        self.assertIn(b"EHLO", sent)  # it did talk to the server...
        for verb in (b"AUTH", b"MAIL FROM", b"RCPT", b"DATA"):
            self.assertNotIn(verb, sent)  # ...but sent nothing more
        r = self.remind(day(0), webhook=False)  # --smtp-insecure: the operator's explicit choice
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(len(self.smtp.take()), 2)

    def test_insecure_with_a_password_is_a_configuration_error(self):
        r = self.remind(day(0), webhook=False,
                        smtp_url="smtp://mailer:secret@127.0.0.1:%d" % self.smtp_port)
        self.assertEqual(r.code, 2, repr(r))
        self.assertIn("--smtp-insecure", r.err)
        self.assertEqual(self.smtp.commands, [], "nothing was sent to the server")
        r = self.remind(day(0), webhook=False, smtp_url="http://127.0.0.1:%d" % self.smtp_port)
        self.assertEqual(r.code, 2, repr(r))
        self.assertIn("--smtp-url", r.err)

    def test_starttls_with_a_verified_certificate_delivers(self):
        attorney, paralegal = self.staff()
        self.rfe(self.case(attorney, paralegal), 30)
        sink = StartTlsSink(self.server.dir)
        self.addCleanup(sink.stop)
        url = "smtp://127.0.0.1:%d" % sink.port
        # An unknown certificate is not trusted: nothing is sent.
        r = self.remind(day(0), smtp_flags=(), webhook=False, smtp_url=url)
        self.assertEqual(r.code, 1, repr(r))
        self.assertEqual(sink.messages, [])
        # With the relay's CA named, both digests go out, under TLS.
        r = self.remind(day(0), smtp_flags=("--smtp-ca-file", sink.cert), webhook=False,
                        smtp_url=url)
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(sorted(m["rcpt"][0] for m in sink.messages),
                         sorted([attorney.email, paralegal.email]))
        self.assertTrue(all(m["tls"] for m in sink.messages))
