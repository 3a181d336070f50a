"""Response hardening: every kind of response carries Content-Security-Policy (default-src 'self',
no inline script, frame-ancestors 'none'), X-Content-Type-Options: nosniff and Referrer-Policy:
no-referrer, API responses Cache-Control: no-store; and the server's log never holds a password,
session token, API key, A-number, passport number or narrative sent to it.

(The harness checks the headers on every response of the whole suite too, and each test class's
log at its end; these tests make the checks explicit over every status the server produces.)"""

import time
import unittest

from harness import (ApiTestCase, Raw, fresh_source, hardening_problems, strong_password,
                     unique_email)


class Headers(ApiTestCase):
    check_hardening = False  # checked explicitly below, one subtest per response

    def test_every_kind_of_response(self):
        cl = self.make_client()
        pr = self.make_request(cl["id"])
        self.make_child(pr["id"], "filings")
        viewer = self.session_as("viewer")
        key = self.make_key(["read"])
        victim = self.make_user("viewer")
        src = fresh_source()
        for _ in range(5):
            self.sign_in_response(victim, password=strong_password(), source=src)
        cases = [
            ("200 health", lambda: self.get("/healthz")),
            ("200 list", lambda: self.get("/api/v1/clients")),
            ("200 record", lambda: self.get("/api/v1/clients/%d" % cl["id"])),
            ("200 timeline", lambda: self.get("/api/v1/parole-requests/%d/timeline" % pr["id"])),
            ("200 session", lambda: self.get("/api/v1/session")),
            ("HEAD", lambda: self.request("HEAD", "/api/v1/clients/%d" % cl["id"])),
            ("201 create", lambda: self.post("/api/v1/clients", {"family_name": "H",
                                                                 "given_name": "Dr"})),
            ("201 sign-in", lambda: self.sign_in_response(self.make_user("viewer"))),
            ("204 delete", lambda: self.delete("/api/v1/clients/%d" % self.make_client()["id"])),
            ("400 query", lambda: self.get("/api/v1/clients?limit=0")),
            ("400 json", lambda: self.post("/api/v1/clients", Raw("{"))),
            ("401 no credentials", lambda: self.get("/api/v1/clients", auth=None)),
            ("401 bad sign-in", lambda: self.sign_in_response(unique_email(), strong_password(),
                                                              source=fresh_source())),
            ("403 role", lambda: self.post("/api/v1/clients", {"family_name": "V",
                                                               "given_name": "W"},
                                           auth=viewer)),
            ("403 key", lambda: self.get("/api/v1/users", auth=key)),
            ("403 csrf", lambda: self.post("/api/v1/clients", {}, csrf=False)),
            ("404", lambda: self.get("/api/v1/clients/987654321")),
            ("404 path", lambda: self.get("/api/v1/nothing-here")),
            ("405", lambda: self.request("PUT", "/api/v1/clients", {})),
            ("409", lambda: self.delete("/api/v1/clients/%d" % cl["id"])),
            ("412", lambda: self.patch("/api/v1/clients/%d" % cl["id"], {"notes": "x"},
                                       headers={"If-Match": '"99"'})),
            ("415", lambda: self.post("/api/v1/clients", {"a": 1}, content_type="text/plain")),
            ("422", lambda: self.post("/api/v1/clients", {"family_name": ""})),
            ("429", lambda: self.sign_in_response(victim, source=src)),
        ]
        for label, fn in cases:
            with self.subTest(response=label):
                r = fn()
                self.assertLess(r.status, 500, repr(r))
                problems = hardening_problems(r.path, r.header)
                self.assertEqual(problems, [], "%s %s -> %d" % (r.method, r.path, r.status))
        # A 413 answered before the body is read.
        r = self.raw(b"POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     b"application/json\r\nContent-Length: 50000000\r\n\r\n", timeout=5)
        self.assertEqual(r.status, 413)
        self.assertEqual(hardening_problems("/api/v1/clients", r.header), [])

    def test_csp_forbids_inline_script_and_framing(self):
        r = self.get("/healthz")
        csp = r.header("Content-Security-Policy") or ""
        self.assertIn("default-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(r.header("Referrer-Policy"), "no-referrer")
        r = self.get("/api/v1/clients")
        self.assertIn("no-store", (r.header("Cache-Control") or "").lower())


class Log(ApiTestCase):

    def test_log_holds_no_secrets(self):
        """Exercise every path that handles a secret, then search the whole log."""
        account = self.make_user("attorney")
        s = self.sign_in(account, enrol=True)
        self.sign_in_response(account, password=strong_password(), source=fresh_source())
        self.sign_in_response(account, totp="000000", source=fresh_source())
        self.sign_in_response(account, totp=None,
                              recovery_code=account.recovery_codes[0], source=fresh_source())
        self.sign_in_response(account, totp=None,
                              recovery_code=account.recovery_codes[0], source=fresh_source())
        self.post("/api/v1/me/password", {"old_password": "Wr0ng-" + strong_password(),
                                          "new_password": strong_password()}, auth=s)
        self.post("/api/v1/me/password", {"old_password": account.password,
                                          "new_password": "password1234"}, auth=s)
        self.post("/api/v1/users", {"email": unique_email(), "name": "Weak", "role": "viewer",
                                    "password": "Sh0rt-pass!"})
        key = self.make_key(["read", "write"])
        self.get("/api/v1/clients", auth=key)
        self.get("/api/v1/clients", auth=key.key + "x")
        self.get("/api/v1/clients", auth=None,
                 headers={"Cookie": "pt_session=" + s.token[:-2] + "xx"})
        cl = self.create("/api/v1/clients", {
            "family_name": "Logged", "given_name": "Never", "a_number": "A 098-765-432",
            "passport_number": "zq 9876543", "notes": "Narrative that must stay private"},
            auth=key)
        self.get("/api/v1/clients/%d" % cl["id"], auth=key)
        self.get("/api/v1/clients?a_number=A098765432")
        self.get("/api/v1/clients?passport_number=ZQ9876543")
        pr = self.create("/api/v1/parole-requests", {"client_id": cl["id"],
                                                     "parole_type": "medical",
                                                     "summary": "Summary that must stay private"})
        self.post("/api/v1/parole-requests/%d/rfes" % pr["id"],
                  {"issued_on": "2025-03-01", "summary": "RFE summary kept private"})
        self.post("/api/v1/clients", {"family_name": "Bad", "a_number": "A12",
                                      "notes": "Invalid request narrative private"})
        self.delete("/api/v1/session", auth=s)
        time.sleep(0.3)  # the access log line of the last request
        leaks = self.server.leaks()
        self.assertEqual([(kind, value[:6] + "...") for kind, value in leaks], [],
                         "secrets in the server log")
        kinds = set(self.server.secrets.values())
        for kind in ("password", "session token", "API key", "A-number", "passport number",
                     "narrative", "TOTP secret", "recovery code"):
            self.assertIn(kind, kinds, "the check covered no %s" % kind)


if __name__ == "__main__":
    unittest.main()
