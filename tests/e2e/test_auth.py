"""Accounts and sign-in: sessions and their cookie, CSRF, TOTP and recovery codes, throttling,
the password policy, password changes, disabling users, the users API, and API keys.

Every intentionally failing sign-in is sent from its own loopback address (fresh_source()) and
for its own account unless the test is about throttling, so that the per-account and per-address
throttles of one test never leak into another."""

import datetime
import re
import statistics
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import (ADMIN, KEY_RE, RECOVERY_RE, RFC3339_UTC_RE, SECURE_SESSION_COOKIE,
                     SESSION_COOKIE, TOKEN_RE, Account, ApiTestCase, fresh_source,
                     strong_password, token, totp_code, totp_step, unique_email)

USER_FIELDS = {"id", "email", "name", "role", "disabled", "totp_enabled", "created_at",
               "updated_at", "version"}


def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def wrong_code(secret):
    """A 6-digit code that is not valid for the secret in any step near now."""
    near = {totp_code(secret, totp_step() + d) for d in range(-3, 4)}
    n = 123456
    while "%06d" % n in near:
        n = (n + 111111) % 1000000
    return "%06d" % n



def scan_qr(qr):
    """Draw a QR code's modules as an image (8 pixels a module, a light margin of 4) and read it
    with zbarimg (Debian's zbar-tools): the text it encodes."""
    size, scale, border = qr["size"], 8, 4
    assert len(qr["rows"]) == size and all(len(row) == size for row in qr["rows"]), qr
    side = (size + 2 * border) * scale
    lines = []
    for y in range(size + 2 * border):
        cells = bytes(0 if 0 <= y - border < size and 0 <= x - border < size
                      and qr["rows"][y - border][x - border] == "1" else 255
                      for x in range(size + 2 * border))
        lines += [b"".join(bytes([c]) * scale for c in cells)] * scale
    with tempfile.NamedTemporaryFile(suffix=".pgm") as f:
        f.write(b"P5 %d %d 255\n" % (side, side) + b"".join(lines))
        f.flush()
        out = subprocess.run(["zbarimg", "-q", "--raw", f.name], capture_output=True, text=True)
    return out.stdout.strip()

class AuthCase(ApiTestCase):

    def assertUnauthenticated(self, r):
        self.assertProblem(r, 401, "unauthenticated")

    def assertSessionWorks(self, session, works=True):
        r = self.get("/api/v1/session", auth=session)
        if works:
            self.assertStatus(r, 200, "the session should still work")
        else:
            self.assertUnauthenticated(r)
            self.assertUnauthenticated(self.get("/api/v1/clients", auth=session))

    def assertUserRecord(self, user, account=None):
        self.assertIsInstance(user, dict)
        self.assertEqual(set(user), USER_FIELDS, "fields of a user record")
        if account is not None:
            self.assertEqual(user["email"].lower(), account.email.lower())
            if account.role:
                self.assertEqual(user["role"], account.role)


class SignIn(AuthCase):

    def test_sign_in_success(self):
        account = self.make_user("viewer")
        r = self.sign_in_response(account)
        self.assertStatus(r, 201)
        body = r.json
        self.assertEqual(set(body), {"user", "csrf_token", "second_factor", "expires_at", "firm"})
        self.assertUserRecord(body["user"], account)
        self.assertEqual(body["user"]["id"], account.id)
        self.assertEqual(body["second_factor"], "not_required")
        self.assertIsInstance(body["csrf_token"], str)
        self.assertGreaterEqual(len(body["csrf_token"]), 16, "a CSRF token must be unguessable")
        self.assertRegex(body["expires_at"], RFC3339_UTC_RE)
        self.assertGreater(parse_time(body["expires_at"]), now_utc())
        c = r.cookie()
        self.assertIsNotNone(c, "no %s cookie: %r" % (SESSION_COOKIE, r.header_all("Set-Cookie")))
        self.assertRegex(c.value, TOKEN_RE, "a 256-bit token as 43 base64url characters")
        self.assertNotIn(account.password, r.raw.decode("utf-8"))
        g = self.get("/api/v1/session", auth=r.session)
        self.assertStatus(g, 200)
        self.assertEqual(g.json["user"], body["user"])
        self.assertEqual(g.json["csrf_token"], body["csrf_token"])
        self.assertEqual(g.json["second_factor"], "not_required")
        self.assertStatus(self.get("/api/v1/clients", auth=r.session), 200)

    def test_wrong_password_and_unknown_email_same_401(self):
        account = self.make_user("paralegal")
        wrong = self.sign_in_response(account, password=strong_password(),
                                      source=fresh_source())
        unknown = self.sign_in_response(unique_email("nobody"), strong_password(),
                                        source=fresh_source())
        for r in (wrong, unknown):
            self.assertProblem(r, 401, "invalid-credentials")
            self.assertIsNone(r.cookie(), "a failed sign-in sets no session cookie")
        self.assertEqual(wrong.json, unknown.json,
                         "the same 401 body for a wrong password and an unknown email")
        # The right password still works (2 failures are under the limit).
        self.sign_in(account, source=fresh_source())

    def test_failures_take_the_same_time(self):
        """No user enumeration through timing: an unknown email costs a password hash too."""
        account = self.make_user("viewer")
        known, unknown = [], []
        for _ in range(3):
            t0 = time.monotonic()
            r = self.sign_in_response(account, password=strong_password(),
                                      source=fresh_source())
            known.append(time.monotonic() - t0)
            self.assertStatus(r, 401)
            t0 = time.monotonic()
            r = self.sign_in_response(unique_email("ghost"), strong_password(),
                                      source=fresh_source())
            unknown.append(time.monotonic() - t0)
            self.assertStatus(r, 401)
        k, u = statistics.median(known), statistics.median(unknown)
        self.assertGreater(u, 0.4 * k - 0.01,
                           "an unknown email answers much faster (%.3fs) than a wrong password "
                           "(%.3fs): the password hash is skipped" % (u, k))

    def test_email_is_case_insensitive(self):
        account = self.make_user("viewer", email=unique_email("Mixed.Case"))
        upper = Account(account.email.upper(), account.password)
        r = self.sign_in_response(upper)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["user"]["id"], account.id)

    def test_bad_sign_in_bodies(self):
        src = fresh_source()
        for body, field in (({"password": "x" * 12}, "email"),
                            ({"email": unique_email()}, "password"),
                            ({"email": unique_email(), "password": "p" * 12, "extra": 1},
                             "extra")):
            with self.subTest(body=body):
                r = self.post("/api/v1/session", body, auth=None, source=src)
                self.assertProblem(r, 422, "validation", field=field)
                self.assertIsNone(r.cookie())

    def test_disabled_user_same_401_and_sessions_end(self):
        account = self.make_user("paralegal")
        s1 = self.sign_in(account)
        s2 = self.sign_in(account)
        r = self.patch("/api/v1/users/%d" % account.id, {"disabled": True})
        self.assertStatus(r, 200)
        self.assertIs(r.json["disabled"], True)
        self.assertSessionWorks(s1, works=False)
        self.assertSessionWorks(s2, works=False)
        disabled = self.sign_in_response(account, source=fresh_source())
        self.assertProblem(disabled, 401, "invalid-credentials")
        self.assertIsNone(disabled.cookie())
        unknown = self.sign_in_response(unique_email("nobody"), strong_password(),
                                        source=fresh_source())
        self.assertEqual(disabled.json, unknown.json,
                         "a disabled user gets the same 401 as a wrong email")
        # Enabled again, the user signs in; the old sessions stay ended.
        r = self.patch("/api/v1/users/%d" % account.id, {"disabled": False})
        self.assertStatus(r, 200)
        self.sign_in(account, source=fresh_source())
        self.assertSessionWorks(s1, works=False)

    def test_new_token_at_every_sign_in(self):
        account = self.make_user("viewer")
        seen = set()
        sessions = []
        for _ in range(3):
            s = self.sign_in(account)
            self.assertNotIn(s.token, seen)
            seen.add(s.token)
            sessions.append(s)
        self.assertEqual(len({s.csrf for s in sessions}), 3, "a CSRF token per session")
        # Signing in with a session cookie already set still hands out a new token.
        r = self.sign_in_response(account, headers=sessions[0].headers("POST"))
        self.assertStatus(r, 201)
        self.assertNotIn(r.session.token, seen)
        self.assertSessionWorks(r.session)

    def test_sign_out(self):
        account = self.make_user("viewer")
        s = self.sign_in(account)
        other = self.sign_in(account)
        r = self.delete("/api/v1/session", auth=s)
        self.assertStatus(r, 204)
        c = r.cookie()
        self.assertIsNotNone(c, "sign-out clears the cookie")
        self.assertEqual(c.value, "")
        expired = c.attrs.get("max-age") == "0"
        if not expired and isinstance(c.attrs.get("expires"), str):
            try:
                when = datetime.datetime.strptime(c.attrs["expires"],
                                                  "%a, %d %b %Y %H:%M:%S GMT")
                expired = when < datetime.datetime.utcnow()
            except ValueError:
                pass
        self.assertTrue(expired, "the clearing cookie must expire at once: %r" % c)
        self.assertSessionWorks(s, works=False)
        self.assertUnauthenticated(self.delete("/api/v1/session", auth=s))
        self.assertSessionWorks(other, works=True)

    def test_session_reports_expiry(self):
        s = self.sign_in(self.make_user("viewer"))
        r = self.get("/api/v1/session", auth=s)
        self.assertStatus(r, 200)
        expires = parse_time(r.json["expires_at"])
        now = now_utc()
        self.assertGreater(expires, now)
        self.assertLessEqual(expires, now + datetime.timedelta(hours=12, minutes=2),
                             "sessions end after 12 hours at the latest by default")

    def test_unknown_or_malformed_credentials_401(self):
        for headers in ({"Cookie": SESSION_COOKIE + "=" + "A" * 43},
                        {"Cookie": SESSION_COOKIE + "=garbage"},
                        {"Cookie": SESSION_COOKIE + "="},
                        {"Cookie": "other=1"},
                        {"Authorization": "Bearer pt_nope_nope"},
                        {"Authorization": "Bearer garbage"},
                        {"Authorization": "Basic YWRtaW46YWRtaW4="},
                        {"Authorization": "Bearer"}):
            with self.subTest(headers=headers):
                r = self.get("/api/v1/clients", auth=None, headers=headers)
                self.assertUnauthenticated(r)
                r = self.post("/api/v1/clients", {"family_name": "No", "given_name": "Auth"},
                              auth=None, headers=headers)
                self.assertUnauthenticated(r)

    def test_cli_user_add_disable_and_reset_password(self):
        email = unique_email("cli")
        password = strong_password()
        self.server.note_secret("password", password)
        code, out, err = self.server.cli("user", "add", "--email", email, "--name", "Cli User",
                                         "--role", "paralegal", input=password + "\n")
        self.assertEqual(code, 0, out + err)
        self.assertNotIn(password, out + err)
        account = Account(email, password, "paralegal")
        s = self.sign_in(account)
        self.assertEqual(s.user["role"], "paralegal")
        # Duplicate email (any case) is refused.
        code, out, err = self.server.cli("user", "add", "--email", email.upper(), "--name", "X",
                                         "--role", "viewer", input=strong_password() + "\n")
        self.assertNotEqual(code, 0)
        # reset-password: the old sessions end, the new password works, the old one does not.
        new = strong_password()
        self.server.note_secret("password", new)
        code, out, err = self.server.cli("user", "reset-password", "--email", email,
                                         input=new + "\n")
        self.assertEqual(code, 0, out + err)
        self.assertSessionWorks(s, works=False)
        self.assertProblem(self.sign_in_response(account, source=fresh_source()), 401,
                           "invalid-credentials")
        account.password = new
        s = self.sign_in(account, source=fresh_source())
        # --generate-password prints one, once, on standard output.
        code, out, err = self.server.cli("user", "reset-password", "--email", email,
                                         "--generate-password")
        self.assertEqual(code, 0, out + err)
        generated = out.split()[-1] if out.split() else ""
        self.server.note_secret("password", generated)
        self.assertGreaterEqual(len(generated), 12, "a generated password on stdout: %r" % out)
        self.assertSessionWorks(s, works=False)
        account.password = generated
        s = self.sign_in(account, source=fresh_source())
        # disable: sessions end, sign-in refused like a wrong password.
        code, out, err = self.server.cli("user", "disable", "--email", email)
        self.assertEqual(code, 0, out + err)
        self.assertSessionWorks(s, works=False)
        self.assertProblem(self.sign_in_response(account, source=fresh_source()), 401,
                           "invalid-credentials")
        # Unknown email: non-zero exit.
        code, _, _ = self.server.cli("user", "disable", "--email", unique_email("ghost"))
        self.assertNotEqual(code, 0)

    def test_cli_user_add_generate_password(self):
        email = unique_email("gen")
        code, out, err = self.server.cli("user", "add", "--email", email, "--name", "Gen",
                                         "--role", "viewer", "--generate-password")
        self.assertEqual(code, 0, out + err)
        password = out.split()[-1] if out.split() else ""
        self.server.note_secret("password", password)
        self.assertGreaterEqual(len(password), 12, "a generated password on stdout: %r" % out)
        self.sign_in(Account(email, password, "viewer"))

    def test_cli_user_add_refuses_bad_input(self):
        for args, stdin in (
                (["--role", "viewer"], "short\n"),  # too short
                (["--role", "viewer"], "password1234\n"),  # dictionary-based
                (["--role", "emperor"], strong_password() + "\n")):  # no such role
            with self.subTest(args=args, stdin=stdin[:5]):
                email = unique_email("bad")
                code, out, err = self.server.cli("user", "add", "--email", email, "--name",
                                                 "Bad", *args, input=stdin)
                self.assertNotEqual(code, 0, out + err)
                r = self.sign_in_response(email, stdin.strip(), source=fresh_source())
                self.assertStatus(r, 401)


class SecureCookie(AuthCase):
    server_args = ("--secure-cookies",)

    def test_secure_flag_with_secure_cookies(self):
        r = self.sign_in_response(self.make_user("viewer"))
        self.assertStatus(r, 201)
        self.assertIsNone(r.cookie(SESSION_COOKIE), "no plain pt_session behind TLS: %r"
                          % r.header_all("Set-Cookie"))
        c = r.cookie(SECURE_SESSION_COOKIE)
        self.assertIsNotNone(c, "a __Host- cookie: %r" % r.header_all("Set-Cookie"))
        self.assertRegex(c.raw, r"^__Host-pt_session=[A-Za-z0-9_-]{43};")
        # what a browser demands of a __Host- cookie: Secure, Path=/, no Domain
        self.assertIs(c.attrs.get("secure"), True, "--secure-cookies adds Secure: %r" % c)
        self.assertEqual(c.attrs.get("path"), "/", "Path=/: %r" % c)
        self.assertNotIn("domain", c.attrs, "a host-only cookie: %r" % c)
        self.assertIs(c.attrs.get("httponly"), True)
        self.assertEqual((c.attrs.get("samesite") or "").lower(), "strict")
        s = r.session
        self.assertStatus(self.get("/api/v1/session", auth=s), 200)
        # A cookie planted under the plain name (by a sibling subdomain or over plain HTTP) is
        # not read: only the __Host- cookie identifies a session.
        r = self.get("/api/v1/session", auth=None,
                     headers={"Cookie": "%s=%s" % (SESSION_COOKIE, s.token)})
        self.assertProblem(r, 401, "unauthenticated")
        out = self.delete("/api/v1/session", auth=s)
        self.assertStatus(out, 204)
        cleared = out.cookie(SECURE_SESSION_COOKIE)
        self.assertIsNotNone(cleared, "sign-out clears the __Host- cookie")
        self.assertIs(cleared.attrs.get("secure"), True)

    def test_every_answer_sends_hsts(self):
        for method, path, auth in (("GET", "/healthz", None), ("GET", "/", None),
                                   ("GET", "/app.js", None), ("GET", "/api/v1/clients", None),
                                   ("GET", "/api/v1/nope", None), ("PUT", "/healthz", None),
                                   ("GET", "/api/v1/clients", ADMIN)):
            with self.subTest(method=method, path=path):
                r = self.request(method, path, auth=auth, validate=False)
                self.assertEqual(r.header("Strict-Transport-Security"), "max-age=31536000",
                                 repr(r))


class CookieFlags(AuthCase):

    def test_cookie_flags(self):
        r = self.sign_in_response(self.make_user("viewer"))
        self.assertStatus(r, 201)
        cookies = [c for c in r.cookies() if c.name == SESSION_COOKIE]
        self.assertEqual(len(cookies), 1, r.header_all("Set-Cookie"))
        c = cookies[0]
        self.assertRegex(c.raw, r"^%s=[A-Za-z0-9_-]{43};" % SESSION_COOKIE)
        self.assertIs(c.attrs.get("httponly"), True, "HttpOnly: %r" % c)
        self.assertEqual((c.attrs.get("samesite") or "").lower(), "strict", "SameSite: %r" % c)
        self.assertEqual(c.attrs.get("path"), "/", "Path=/: %r" % c)
        self.assertNotIn("secure", c.attrs, "no Secure without --secure-cookies: %r" % c)
        self.assertNotIn("domain", c.attrs, "a host-only cookie: %r" % c)
        # Without TLS in front there is no HSTS (it would pin a plain-HTTP host).
        self.assertIsNone(r.header("Strict-Transport-Security"))
        self.assertIsNone(self.get("/healthz", auth=None).header("Strict-Transport-Security"))


class Csrf(AuthCase):

    def test_unsafe_cookie_requests_need_the_csrf_token(self):
        s = self.session_as("paralegal")
        other = self.session_as("paralegal")
        cl = self.make_client(notes="csrf original")
        path = "/api/v1/clients/%d" % cl["id"]
        before = self.get(path).raw
        n_before = len(self.list_all("/api/v1/clients"))
        cases = [
            ("no token", {}),
            ("wrong token", {"X-CSRF-Token": "x" * 43}),
            ("empty token", {"X-CSRF-Token": ""}),
            ("another session's token", {"X-CSRF-Token": other.csrf}),
        ]
        for label, extra in cases:
            with self.subTest(case=label):
                for method, p, body in (("POST", "/api/v1/clients",
                                         {"family_name": "Csrf", "given_name": "Victim"}),
                                        ("PATCH", path, {"notes": "csrf changed"}),
                                        ("DELETE", path, None)):
                    r = self.request(method, p, body, auth=s, csrf=False, headers=extra)
                    self.assertProblem(r, 403, "csrf")
        self.assertEqual(self.get(path).raw, before, "nothing changed")
        self.assertEqual(len(self.list_all("/api/v1/clients")), n_before, "nothing created")
        # With the right token it works; safe methods never need it.
        self.assertStatus(self.get(path, auth=s, csrf=False), 200)
        self.assertStatus(self.patch(path, {"notes": "csrf ok"}, auth=s), 200)
        # Sign-out is unsafe too.
        self.assertProblem(self.delete("/api/v1/session", auth=s, csrf=False), 403, "csrf")
        self.assertSessionWorks(s)

    def test_keys_need_no_csrf_token(self):
        key = self.make_key(["read", "write"])
        r = self.post("/api/v1/clients", {"family_name": "Key", "given_name": "NoCsrf"},
                      auth=key)
        self.assertStatus(r, 201)
        r = self.patch("/api/v1/clients/%d" % r.json["id"], {"notes": "by key"}, auth=key)
        self.assertStatus(r, 200)


class SecondFactor(AuthCase):

    def test_attorney_must_enrol_before_anything_else(self):
        account = self.make_user("attorney")
        r = self.sign_in_response(account)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["second_factor"], "not_enrolled")
        s = r.session
        for method, path, body in (("GET", "/api/v1/clients", None),
                                   ("POST", "/api/v1/clients",
                                    {"family_name": "Not", "given_name": "Enrolled"}),
                                   ("GET", "/api/v1/parole-requests", None),
                                   ("GET", "/api/v1/users", None)):
            with self.subTest(method=method, path=path):
                r = self.request(method, path, body, auth=s)
                self.assertProblem(r, 403, "second-factor-enrolment-required")
        g = self.get("/api/v1/session", auth=s)
        self.assertStatus(g, 200)
        self.assertEqual(g.json["second_factor"], "not_enrolled")
        # Enrolment.
        r = self.post("/api/v1/me/totp", {"password": account.password}, auth=s)
        self.assertStatus(r, 201)
        secret = r.json["secret"]
        self.assertRegex(secret, r"^[A-Z2-7]+=*$")
        self.assertGreaterEqual(len(secret.rstrip("=")), 26, "at least 128 bits")
        uri = urllib.parse.urlsplit(r.json["otpauth_uri"])
        self.assertEqual((uri.scheme, uri.netloc), ("otpauth", "totp"))
        self.assertEqual(urllib.parse.unquote(uri.path), "/paroletrack:" + account.email)
        q = dict(urllib.parse.parse_qsl(uri.query))
        self.assertEqual(q, {"secret": secret, "issuer": "paroletrack", "algorithm": "SHA1",
                             "digits": "6", "period": "30"})
        # The QR code a phone scans: drawn from its modules and read back by zbar, it is the URI.
        self.assertEqual(scan_qr(r.json["qr"]), r.json["otpauth_uri"])
        # A second start replaces the pending secret.
        r = self.post("/api/v1/me/totp", {"password": account.password}, auth=s)
        self.assertStatus(r, 201)
        self.assertNotEqual(r.json["secret"], secret)
        old_secret, secret = secret, r.json["secret"]
        account.totp_secret = secret
        # A wrong code, or one of the replaced secret, is a 422 naming code.
        for code in (wrong_code(secret), totp_code(old_secret, totp_step())):
            if code == totp_code(secret, totp_step()):
                continue
            r = self.post("/api/v1/me/totp/confirm", {"code": code}, auth=s)
            self.assertProblem(r, 422, "validation", field="code")
        self.assertProblem(self.get("/api/v1/clients", auth=s), 403,
                           "second-factor-enrolment-required")
        r = self.post("/api/v1/me/totp/confirm", {"code": account.totp()}, auth=s)
        self.assertStatus(r, 200)
        codes = r.json["recovery_codes"]
        self.assertEqual(len(codes), 10)
        self.assertEqual(len(set(codes)), 10)
        for c in codes:
            self.assertRegex(c, RECOVERY_RE)
        # The session is now verified and can work.
        g = self.get("/api/v1/session", auth=s)
        self.assertEqual(g.json["second_factor"], "verified")
        self.assertIs(g.json["user"]["totp_enabled"], True)
        self.assertStatus(self.get("/api/v1/clients", auth=s), 200)
        self.assertStatus(self.post("/api/v1/clients", {"family_name": "Now",
                                                        "given_name": "Enrolled"}, auth=s), 201)
        u = self.get("/api/v1/users/%d" % account.id)
        self.assertIs(u.json["totp_enabled"], True)
        self.assertNotIn(secret, u.raw.decode())
        # Without a code the password alone is not enough.
        r = self.sign_in_response(account, totp=None, source=fresh_source())
        self.assertProblem(r, 401, "second-factor-required", field="totp_code")
        self.assertIsNone(r.cookie())
        r = self.sign_in_response(account, totp=wrong_code(secret), source=fresh_source())
        self.assertProblem(r, 401, "second-factor-required", field="totp_code")
        self.assertIsNone(r.cookie())

    def test_admin_without_totp_is_not_enrolled(self):
        account = self.make_user("admin")
        r = self.sign_in_response(account)
        self.assertStatus(r, 201)
        self.assertEqual(r.json["second_factor"], "not_enrolled")
        self.assertProblem(self.get("/api/v1/users", auth=r.session), 403,
                           "second-factor-enrolment-required")
        # Sign-out works for such a session.
        self.assertStatus(self.delete("/api/v1/session", auth=r.session), 204)

    def test_viewer_and_paralegal_need_no_second_factor(self):
        for role in ("viewer", "paralegal"):
            with self.subTest(role=role):
                r = self.sign_in_response(self.make_user(role))
                self.assertStatus(r, 201)
                self.assertEqual(r.json["second_factor"], "not_required")

    def test_a_totp_code_works_once(self):
        account = self.make_user("attorney")
        self.sign_in(account, enrol=True)  # confirms with the current step's code
        step = account.last_step + 1
        account.last_step = step
        code = totp_code(account.totp_secret, step)
        r = self.sign_in_response(account, totp=code, source=fresh_source())
        self.assertStatus(r, 201)
        self.assertEqual(r.json["second_factor"], "verified")
        for label, replay in (("the same code", code),
                              ("an older step's code", totp_code(account.totp_secret, step - 1))):
            with self.subTest(replay=label):
                r = self.sign_in_response(account, totp=replay, source=fresh_source())
                self.assertProblem(r, 401, "second-factor-required", field="totp_code")
                self.assertIsNone(r.cookie())

    def test_recovery_codes_work_once(self):
        account = self.make_user("attorney")
        self.sign_in(account, enrol=True)
        codes = list(account.recovery_codes)
        r = self.sign_in_response(account, totp=None, recovery_code=codes[0],
                                  source=fresh_source())
        self.assertStatus(r, 201)
        self.assertEqual(r.json["second_factor"], "verified")
        self.assertStatus(self.get("/api/v1/clients", auth=r.session), 200)
        r = self.sign_in_response(account, totp=None, recovery_code=codes[0],
                                  source=fresh_source())
        self.assertStatus(r, 401)
        self.assertIsNone(r.cookie())
        r = self.sign_in_response(account, totp=None, recovery_code="zzzz-zzzz-zzzz",
                                  source=fresh_source())
        self.assertStatus(r, 401)
        r = self.sign_in_response(account, totp=None, recovery_code=codes[1],
                                  source=fresh_source())
        self.assertStatus(r, 201)

    def test_require_totp_for_all(self):
        r = self.get("/api/v1/settings")
        self.assertStatus(r, 200)
        self.assertIs(r.json["require_totp_for_all"], False)
        try:
            r = self.patch("/api/v1/settings", {"require_totp_for_all": True})
            self.assertStatus(r, 200)
            self.assertIs(r.json["require_totp_for_all"], True)
            for role in ("viewer", "paralegal"):
                with self.subTest(role=role):
                    r = self.sign_in_response(self.make_user(role))
                    self.assertStatus(r, 201)
                    self.assertEqual(r.json["second_factor"], "not_enrolled")
                    self.assertProblem(self.get("/api/v1/clients", auth=r.session), 403,
                                       "second-factor-enrolment-required")
        finally:
            r = self.patch("/api/v1/settings", {"require_totp_for_all": False})
            self.assertStatus(r, 200)
        r = self.sign_in_response(self.make_user("viewer"))
        self.assertEqual(r.json["second_factor"], "not_required")

    def test_not_enrolled_session_can_change_its_password(self):
        account = self.make_user("attorney")
        s = self.sign_in(account)
        self.assertEqual(s.second_factor, "not_enrolled")
        new = strong_password()
        r = self.post("/api/v1/me/password", {"old_password": account.password,
                                              "new_password": new}, auth=s)
        self.assertStatus(r, 204)
        account.password = new
        self.assertEqual(self.sign_in(account).second_factor, "not_enrolled")


class Settings(AuthCase):

    def test_settings_defaults_and_validation(self):
        r = self.get("/api/v1/settings")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["require_totp_for_all"], r.json["session_idle_minutes"],
                          r.json["session_absolute_hours"]), (False, 30, 12))
        for body, field in (({"session_idle_minutes": 4}, "session_idle_minutes"),
                            ({"session_idle_minutes": 481}, "session_idle_minutes"),
                            ({"session_idle_minutes": "30"}, "session_idle_minutes"),
                            ({"session_idle_minutes": None}, "session_idle_minutes"),
                            ({"session_absolute_hours": 0}, "session_absolute_hours"),
                            ({"session_absolute_hours": 73}, "session_absolute_hours"),
                            ({"require_totp_for_all": "yes"}, "require_totp_for_all"),
                            ({"updated_at": "2026-01-01T00:00:00Z"}, "updated_at"),
                            ({"colour": "blue"}, "colour")):
            with self.subTest(body=body):
                self.assertProblem(self.patch("/api/v1/settings", body), 422, "validation",
                                   field=field)
        self.assertEqual(self.get("/api/v1/settings").json["session_idle_minutes"], 30)
        r = self.patch("/api/v1/settings", {"session_idle_minutes": 5,
                                            "session_absolute_hours": 1})
        self.assertStatus(r, 200)
        self.assertEqual((r.json["session_idle_minutes"], r.json["session_absolute_hours"]),
                         (5, 1))
        self.assertRegex(r.json["updated_at"], RFC3339_UTC_RE)
        # The absolute limit shows in a new session's expires_at.
        s = self.sign_in(self.make_user("viewer"))
        expires = parse_time(self.get("/api/v1/session", auth=s).json["expires_at"])
        self.assertLessEqual(expires, now_utc() + datetime.timedelta(hours=1, minutes=2))
        r = self.patch("/api/v1/settings", {"session_idle_minutes": 30,
                                            "session_absolute_hours": 12})
        self.assertStatus(r, 200)


class Throttling(AuthCase):
    """The throttle counts failures of an (account, address) pair; tests/e2e/test_throttle.py
    covers the per-account delay, the per-address spray limit and --trusted-proxy."""

    def test_five_failures_of_a_pair_then_429_even_with_the_right_password(self):
        account = self.make_user("viewer")
        bystander = self.make_user("viewer")
        src = fresh_source()
        for i in range(5):
            r = self.sign_in_response(account, password=strong_password(), source=src)
            self.assertProblem(r, 401, "invalid-credentials")
        right = self.sign_in_response(account, source=src)
        self.assertProblem(right, 429, "too-many-attempts")
        self.assertIsNone(right.cookie())
        retry = right.header("Retry-After")
        self.assertIsNotNone(retry, "429 without Retry-After")
        self.assertRegex(retry, r"^[0-9]+$")
        self.assertTrue(15 * 60 - 60 <= int(retry) <= 15 * 60 + 60, retry)
        wrong = self.sign_in_response(account, password=strong_password(), source=src)
        self.assertProblem(wrong, 429, "too-many-attempts")
        self.assertEqual(right.json, wrong.json,
                         "a throttled sign-in does not tell whether the password was right")
        # Neither another account from that address nor the account from elsewhere is affected.
        self.sign_in(bystander, source=src)
        self.sign_in(account, source=fresh_source())

    def test_failures_for_other_accounts_from_an_address_do_not_throttle_it(self):
        src = fresh_source()
        users = [self.make_user("viewer") for _ in range(5)]
        for u in users:
            r = self.sign_in_response(u, password=strong_password(), source=src)
            self.assertProblem(r, 401, "invalid-credentials")
        for i in range(5):
            r = self.sign_in_response(unique_email("probe"), strong_password(), source=src)
            self.assertProblem(r, 401, "invalid-credentials")
        # Ten failures from the address, none twice for one account: far below the spray limit.
        self.sign_in(users[0], source=src)
        self.sign_in(self.make_user("viewer"), source=src)

    def test_a_success_clears_its_pair(self):
        account = self.make_user("viewer")
        src = fresh_source()
        for i in range(4):
            self.assertStatus(self.sign_in_response(account, password=strong_password(),
                                                    source=src), 401)
        self.sign_in(account, source=src)
        # The pair starts again from zero after the success.
        for i in range(4):
            self.assertStatus(self.sign_in_response(account, password=strong_password(),
                                                    source=src), 401)
        self.sign_in(account, source=src)

    def test_second_factor_failures_count(self):
        account = self.make_user("attorney")
        self.sign_in(account, enrol=True)
        src = fresh_source()
        for _ in range(5):
            r = self.sign_in_response(account, totp=wrong_code(account.totp_secret), source=src)
            self.assertStatus(r, 401)
        r = self.sign_in_response(account, source=src)
        self.assertProblem(r, 429, "too-many-attempts")
        self.sign_in(account, source=fresh_source())


class Passwords(AuthCase):

    BAD = [
        ("too short", "Sh0rt-pass!"),  # 11 characters
        ("common", "password1234"),
        ("dictionary word", "Password123!"),
        ("too long", "x7Y-" * 257),  # 1028 characters
    ]

    def test_policy_on_user_create(self):
        for label, pw in self.BAD:
            with self.subTest(case=label):
                email = unique_email("weak")
                r = self.post("/api/v1/users", {"email": email, "name": "Weak", "role": "viewer",
                                                "password": pw})
                self.assertProblem(r, 422, "validation", field="password")
                self.assertNotIn(pw, r.raw.decode("utf-8"), "the 422 must not echo the password")
                r = self.sign_in_response(email, pw, source=fresh_source())
                self.assertIn(r.status, (401, 422), "no such user was created: %r" % r)
        # 12 characters of random text are enough.
        self.make_user("viewer", password="k7#Qv9!mZ2@x")

    def test_policy_on_password_change(self):
        account = self.make_user("viewer")
        s = self.sign_in(account)
        for label, pw in self.BAD:
            with self.subTest(case=label):
                r = self.post("/api/v1/me/password", {"old_password": account.password,
                                                      "new_password": pw}, auth=s)
                self.assertProblem(r, 422, "validation", field="new_password")
        self.assertSessionWorks(s)

    def test_change_own_password(self):
        account = self.make_user("paralegal")
        s1 = self.sign_in(account)
        s2 = self.sign_in(account)
        new = strong_password()
        # The old password is required, and must be right.
        r = self.post("/api/v1/me/password", {"new_password": new}, auth=s1)
        self.assertProblem(r, 422, "validation", field="old_password")
        r = self.post("/api/v1/me/password", {"old_password": strong_password(),
                                              "new_password": new}, auth=s1)
        self.assertIn(r.status, (400, 401, 403, 422), repr(r))
        self.assertNotIn(new, r.raw.decode("utf-8"))
        self.assertSessionWorks(s2)
        # CSRF applies.
        r = self.post("/api/v1/me/password", {"old_password": account.password,
                                              "new_password": new}, auth=s1, csrf=False)
        self.assertProblem(r, 403, "csrf")
        # Keys cannot change a password.
        key = self.make_key(["read", "write"])
        r = self.post("/api/v1/me/password", {"old_password": account.password,
                                              "new_password": new}, auth=key)
        self.assertProblem(r, 403)
        r = self.post("/api/v1/me/password", {"old_password": account.password,
                                              "new_password": new}, auth=s1)
        self.assertStatus(r, 204)
        # Every session of the user ends, also the one that made the change.
        self.assertSessionWorks(s1, works=False)
        self.assertSessionWorks(s2, works=False)
        old = account.password
        account.password = new
        self.sign_in(account, source=fresh_source())
        r = self.sign_in_response(account, password=old, source=fresh_source())
        self.assertProblem(r, 401, "invalid-credentials")
        # The admin's own session was not touched.
        self.assertStatus(self.get("/api/v1/users"), 200)


class Users(AuthCase):

    def test_users_api(self):
        account = self.make_user("viewer", name="Ana Pérez")
        self.assertUserRecord(account.user, account)
        self.assertEqual(account.user["name"], "Ana Pérez")
        self.assertIs(account.user["disabled"], False)
        self.assertIs(account.user["totp_enabled"], False)
        self.assertEqual(account.user["version"], 1)
        items = self.list_all("/api/v1/users")
        emails = [u["email"].lower() for u in items]
        self.assertIn("admin@example.org", emails)
        self.assertIn(account.email.lower(), emails)
        for u in items:
            self.assertUserRecord(u)
        raw = self.get("/api/v1/users?limit=200").raw.decode("utf-8")
        self.assertNotIn(account.password, raw)
        self.assertNotRegex(raw, r"argon2|\$[0-9a-z]+\$", "no password hash in user records")
        g = self.get("/api/v1/users/%d" % account.id)
        self.assertStatus(g, 200)
        self.assertEqual(g.json, account.user)
        self.assertEqual(g.header("ETag"), '"1"')
        # Role change.
        r = self.patch("/api/v1/users/%d" % account.id, {"role": "paralegal"})
        self.assertStatus(r, 200)
        self.assertEqual((r.json["role"], r.json["version"]), ("paralegal", 2))
        r = self.patch("/api/v1/users/%d" % account.id, {"name": "Ana P."},
                       headers={"If-Match": '"1"'})
        self.assertProblem(r, 412, "precondition-failed")
        for body, field in (({"role": "emperor"}, "role"), ({"email": "x@example.org"}, "email"),
                            ({"totp_enabled": False}, "totp_enabled"), ({"role": None}, "role"),
                            ({"disabled": "no"}, "disabled"), ({"password": "x" * 20},
                                                                "password")):
            with self.subTest(patch=body):
                self.assertProblem(self.patch("/api/v1/users/%d" % account.id, body), 422,
                                   "validation", field=field)
        self.assertProblem(self.get("/api/v1/users/987654"), 404, "not-found")

    def test_create_validation_and_duplicates(self):
        account = self.make_user("viewer")
        r = self.post("/api/v1/users", {"email": account.email.upper(), "name": "Dup",
                                        "role": "viewer", "password": strong_password()})
        self.assertProblem(r, 409, "conflict", field="email")
        for body, field in (
                ({"email": "not-an-email", "name": "X", "role": "viewer",
                  "password": strong_password()}, "email"),
                ({"email": unique_email(), "name": "", "role": "viewer",
                  "password": strong_password()}, "name"),
                ({"email": unique_email(), "name": "X", "role": "owner",
                  "password": strong_password()}, "role"),
                ({"email": unique_email(), "name": "X", "role": "viewer"}, "password"),
                ({"email": unique_email(), "name": "X", "role": "viewer",
                  "password": strong_password(), "disabled": True, "id": 5}, "id")):
            with self.subTest(field=field):
                self.assertProblem(self.post("/api/v1/users", body), 422, "validation",
                                   field=field)

    def test_only_admins_manage_users(self):
        for role in ("viewer", "paralegal", "attorney"):
            with self.subTest(role=role):
                s = self.session_as(role)
                r = self.post("/api/v1/users", {"email": unique_email(), "name": "X",
                                                "role": "admin", "password": strong_password()},
                              auth=s)
                self.assertProblem(r, 403, "forbidden")
                self.assertProblem(self.get("/api/v1/users", auth=s), 403, "forbidden")
                r = self.patch("/api/v1/users/%d" % s.account.id, {"role": "admin"}, auth=s)
                self.assertProblem(r, 403, "forbidden")
                self.assertEqual(self.get("/api/v1/users/%d" % s.account.id).json["role"], role)


class ApiKeys(AuthCase):

    def test_key_shown_once_and_listed_without_secret(self):
        r = self.post("/api/v1/api-keys", {"name": "Case sync", "scopes": ["read"]})
        self.assertStatus(r, 201)
        created = r.json
        m = KEY_RE.match(created["key"])
        self.assertIsNotNone(m, created["key"])
        self.assertEqual(m.group(1), created["prefix"])
        secret = m.group(2)
        self.assertGreaterEqual(len(secret), 32, "the secret part must carry enough entropy")
        self.assertEqual(created["scopes"], ["read"])
        self.assertIsNone(created["last_used_at"])
        self.assertEqual(created["name"], "Case sync")
        r = self.get("/api/v1/api-keys")
        self.assertStatus(r, 200)
        self.assertNotIn(secret, r.raw.decode("utf-8"), "the key appears only at creation")
        listed = [k for k in self.list_all("/api/v1/api-keys") if k["id"] == created["id"]]
        self.assertEqual(len(listed), 1)
        self.assertNotIn("key", listed[0])
        self.assertIsNone(listed[0]["last_used_at"])
        self.assertEqual(listed[0]["prefix"], created["prefix"])
        # Used once: last_used_at is set.
        self.assertStatus(self.get("/api/v1/clients", auth=created["key"]), 200)
        listed = [k for k in self.list_all("/api/v1/api-keys") if k["id"] == created["id"]][0]
        self.assertIsNotNone(listed["last_used_at"])
        self.assertRegex(listed["last_used_at"], RFC3339_UTC_RE)
        self.assertLess(abs((parse_time(listed["last_used_at"]) - now_utc()).total_seconds()),
                        300)

    def test_read_key_cannot_write(self):
        key = self.make_key(["read"])
        cl = self.make_client(notes="read key target")
        pr = self.make_request(cl["id"])
        path = "/api/v1/clients/%d" % cl["id"]
        before = self.get(path).raw
        self.assertStatus(self.get(path, auth=key), 200)
        self.assertStatus(self.get("/api/v1/parole-requests/%d/filings" % pr["id"], auth=key),
                          200)
        for method, p, body in (("POST", "/api/v1/clients", {"family_name": "Ro",
                                                             "given_name": "Key"}),
                                ("PATCH", path, {"notes": "changed by a read key"}),
                                ("DELETE", path, None),
                                ("POST", "/api/v1/parole-requests/%d/filings" % pr["id"],
                                 {"form": "I-131", "filed_on": "2025-01-10"})):
            with self.subTest(method=method, path=p):
                self.assertProblem(self.request(method, p, body, auth=key), 403, "forbidden")
        self.assertEqual(self.get(path).raw, before)

    def test_keys_cannot_do_admin_things(self):
        for scopes in (["read"], ["read", "write"]):
            key = self.make_key(scopes)
            victim = self.make_key(["read"])
            cl = self.make_client()
            for method, p, body in (("GET", "/api/v1/users", None),
                                    ("POST", "/api/v1/users",
                                     {"email": unique_email(), "name": "K", "role": "admin",
                                      "password": strong_password()}),
                                    ("GET", "/api/v1/api-keys", None),
                                    ("POST", "/api/v1/api-keys", {"name": "k",
                                                                  "scopes": ["read"]}),
                                    ("DELETE", "/api/v1/api-keys/%d" % victim.id, None),
                                    ("GET", "/api/v1/settings", None),
                                    ("PATCH", "/api/v1/settings", {"session_idle_minutes": 60}),
                                    ("GET", "/api/v1/audit-events", None),
                                    ("DELETE", "/api/v1/clients/%d" % cl["id"], None),
                                    ("GET", "/api/v1/session", None),
                                    ("POST", "/api/v1/me/totp", None)):
                with self.subTest(scopes=scopes, method=method, path=p):
                    self.assertProblem(self.request(method, p, body, auth=key), 403,
                                       "forbidden")
            self.assertStatus(self.get("/api/v1/clients", auth=victim), 200)
            self.assertStatus(self.get("/api/v1/clients/%d" % cl["id"]), 200)

    def test_revocation_is_immediate(self):
        key = self.make_key(["read", "write"])
        self.assertStatus(self.get("/api/v1/clients", auth=key), 200)
        r = self.delete("/api/v1/api-keys/%d" % key.id)
        self.assertStatus(r, 204)
        self.assertProblem(self.get("/api/v1/clients", auth=key), 401, "unauthenticated")
        self.assertProblem(self.post("/api/v1/clients", {"family_name": "Re",
                                                         "given_name": "Voked"}, auth=key),
                           401, "unauthenticated")
        self.assertNotIn(key.id, [k["id"] for k in self.list_all("/api/v1/api-keys")])
        self.assertProblem(self.delete("/api/v1/api-keys/%d" % key.id), 404, "not-found")

    def test_tampered_keys_are_refused(self):
        key = self.make_key(["read"])
        m = KEY_RE.match(key.key)
        prefix, secret = m.group(1), m.group(2)
        flipped = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        bad_keys = ["pt_%s_%s" % (prefix, flipped), "pt_%s_" % prefix, "pt_%s" % prefix,
                    key.key + "x", key.key[:-1], "pt_zzzzzz_%s" % secret, key.key.upper()]
        for bad in [b for b in bad_keys if b != key.key]:
            with self.subTest(key=bad[:12]):
                self.assertProblem(self.get("/api/v1/clients", auth=bad), 401,
                                   "unauthenticated")

    def test_scopes_validated(self):
        for body, field in (({"name": "k", "scopes": ["write"]}, "scopes"),
                            ({"name": "k", "scopes": []}, "scopes"),
                            ({"name": "k", "scopes": ["admin"]}, "scopes"),
                            ({"name": "k", "scopes": "read"}, "scopes"),
                            ({"scopes": ["read"]}, "name"),
                            ({"name": "", "scopes": ["read"]}, "name"),
                            ({"name": "k", "scopes": ["read"], "key": "pt_a_b"}, "key")):
            with self.subTest(body=body):
                self.assertProblem(self.post("/api/v1/api-keys", body), 422, "validation",
                                   field=field)
        r = self.post("/api/v1/api-keys", {"name": "rw", "scopes": ["write", "read"]})
        self.assertStatus(r, 201)
        self.assertEqual(sorted(r.json["scopes"]), ["read", "write"])

    def test_cli_api_key_add(self):
        code, out, err = self.server.cli("api-key", "add", "--name", "Nightly export",
                                         "--scopes", "read,write")
        self.assertEqual(code, 0, out + err)
        m = re.search(r"pt_[^_\s]+_\S+", out)
        self.assertIsNotNone(m, "the key is printed on stdout: %r" % out)
        key = m.group(0)
        self.server.note_secret("API key", key)
        self.assertStatus(self.get("/api/v1/clients", auth=key), 200)
        r = self.post("/api/v1/clients", {"family_name": "Cli", "given_name": "Key"}, auth=key)
        self.assertStatus(r, 201)
        names = [k["name"] for k in self.list_all("/api/v1/api-keys")]
        self.assertIn("Nightly export", names)
        code, out, err = self.server.cli("api-key", "add", "--name", "Bad", "--scopes", "admin")
        self.assertNotEqual(code, 0)


if __name__ == "__main__":
    unittest.main()


class LastAdmin(ApiTestCase):
    """The firm always keeps one active admin: demoting or disabling the last one is a 409 that
    names the field, and changes nothing."""

    def test_last_admin_cannot_be_demoted_or_disabled(self):
        me = self.get("/api/v1/session").json["user"]
        admins = [u for u in self.list_all("/api/v1/users")
                  if u["role"] == "admin" and not u["disabled"]]
        self.assertEqual([u["id"] for u in admins], [me["id"]])
        for body, field in (({"role": "attorney"}, "role"), ({"disabled": True}, "disabled")):
            with self.subTest(body=body):
                r = self.patch("/api/v1/users/%d" % me["id"], body)
                self.assertProblem(r, 409, "conflict", field=field)
                after = self.get("/api/v1/users/%d" % me["id"]).json
                self.assertEqual((after["role"], after["disabled"]), ("admin", False))
                self.assertEqual(after["version"], me["version"])
        # With a second admin, either may step down.
        other = self.make_user("admin")
        r = self.patch("/api/v1/users/%d" % other.id, {"role": "paralegal"})
        self.assertStatus(r, 200)
        r = self.patch("/api/v1/users/%d" % other.id, {"role": "admin"})
        self.assertStatus(r, 200)
        r = self.patch("/api/v1/users/%d" % other.id, {"disabled": True})
        self.assertStatus(r, 200)
