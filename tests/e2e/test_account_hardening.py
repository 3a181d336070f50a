"""Account and session hardening (issue 9, "Low"): recovery codes of 128 bits or more stored with
a salted hash; setting up an authenticator app needs the password again and ends the user's other
sessions; a password change or reset revokes the calendar feed link; an admin lists and ends a
user's sessions. Each test plays the attack and shows it fail."""

import hashlib
import http.client
import math
import re
import sqlite3

from harness import (RECOVERY_ALPHABET, RECOVERY_RE, ApiTestCase, fresh_source,
                     strong_password, totp_code, totp_step)


def db_rows(path, sql, params=()):
    """Rows of a query against the server's database (read-only, next to the running server)."""
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def db_exec(path, sql, params=()):
    """One write against the server's database, as someone holding the file might make."""
    con = sqlite3.connect(path, timeout=10)
    try:
        with con:
            con.execute(sql, params)
    finally:
        con.close()


class HardeningCase(ApiTestCase):

    def audit_events(self, user_id, action):
        return [e for e in self.list_all("/api/v1/audit-events?entity=users&entity_id=%d"
                                         % user_id) if e["action"] == action]

    def assertDead(self, session, why):
        r = self.get("/api/v1/session", auth=session)
        self.assertProblem(r, 401, "unauthenticated")

    def assertAlive(self, session):
        self.assertStatus(self.get("/api/v1/session", auth=session), 200)


class RecoveryCodes(HardeningCase):

    def test_codes_carry_128_bits_and_are_stored_salted(self):
        session = self.session_as("attorney")
        account = session.account
        codes = list(account.recovery_codes)
        self.assertEqual(len(codes), 10)
        for code in codes:
            self.assertRegex(code, RECOVERY_RE)
            chars = code.replace("-", "")
            self.assertTrue(set(chars) <= set(RECOVERY_ALPHABET), code)
            # no 0/o, 1/l/i to confuse when typed from paper
            self.assertFalse(set(chars) & set("0o1li"), code)
            self.assertGreaterEqual(len(chars) * math.log2(len(RECOVERY_ALPHABET)), 128,
                                    "a recovery code carries at least 128 bits: %s" % code)
        rows = [r[0] for r in db_rows(self.server.db,
                                      "SELECT code_hash FROM recovery_codes WHERE user_id = ?",
                                      (account.id,))]
        self.assertEqual(len(rows), 10)
        self.assertEqual(len(set(rows)), 10)
        plain = {hashlib.sha256(c.encode()).hexdigest() for c in codes}
        salts = set()
        for stored in rows:
            self.assertNotIn(stored, plain, "an unsalted SHA-256 of a code is in the database")
            for c in codes:
                self.assertNotIn(c, stored)
            m = re.fullmatch(r"s1\$([0-9a-f]{32})\$([0-9a-f]{64})", stored)
            self.assertIsNotNone(m, "a salted hash: %r" % stored)
            salts.add(m.group(1))
        self.assertEqual(len(salts), 10, "a salt of its own for each code")
        # each row is the salted hash of one of the codes handed out
        matched = {c for c in codes for stored in rows
                   if hashlib.sha256(("%s$%s" % (stored[3:35], c)).encode()).hexdigest()
                   == stored[36:]}
        self.assertEqual(matched, set(codes))

    def test_a_code_is_typeable_and_works_once(self):
        session = self.session_as("attorney")
        account = session.account
        code = account.recovery_codes[0]
        typed = code.replace("-", " ").upper()
        r = self.sign_in_response(account, totp=None, recovery_code=typed, source=fresh_source())
        self.assertStatus(r, 201)
        self.assertEqual(r.json["second_factor"], "verified")
        r = self.sign_in_response(account, totp=None, recovery_code=code, source=fresh_source())
        self.assertProblem(r, 401, "second-factor-required")
        # a guess of the old 12-character shape is no code
        r = self.sign_in_response(account, totp=None, recovery_code=code[:14],
                                  source=fresh_source())
        self.assertProblem(r, 401, "second-factor-required")

    def test_an_older_unsalted_code_still_works_once(self):
        """Documented choice: rows an older release stored (unsalted SHA-256 of a 12-character
        code) keep working until used, so nobody is locked out by the upgrade."""
        session = self.session_as("attorney")
        account = session.account
        legacy = "abcd-efgh-jkmn"
        db_exec(self.server.db, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
                (account.id, hashlib.sha256(legacy.encode()).hexdigest()))
        r = self.sign_in_response(account, totp=None, recovery_code=legacy.upper(),
                                  source=fresh_source())
        self.assertStatus(r, 201)
        r = self.sign_in_response(account, totp=None, recovery_code=legacy, source=fresh_source())
        self.assertProblem(r, 401, "second-factor-required")


class TotpEnrolment(HardeningCase):

    def test_a_stolen_cookie_cannot_set_up_an_authenticator(self):
        account = self.make_user("attorney")
        stolen = self.sign_in(account)
        self.assertEqual(stolen.second_factor, "not_enrolled")
        for label, body in (("no password", {}),
                            ("wrong password", {"password": strong_password()}),
                            ("empty password", {"password": ""})):
            with self.subTest(case=label):
                r = self.post("/api/v1/me/totp", body, auth=stolen)
                self.assertProblem(r, 422, "validation", field="password")
                self.assertNotIn("secret", r.json)
        # nothing pending: the thief cannot confirm a secret of their own
        pending = db_rows(self.server.db, "SELECT totp_pending_secret FROM users WHERE id = ?",
                          (account.id,))
        self.assertEqual(pending, [(None,)])
        r = self.post("/api/v1/me/totp/confirm", {"code": "123456"}, auth=stolen)
        self.assertProblem(r, 409, "conflict")
        failures = self.audit_events(account.id, "password_check_failed")
        self.assertGreaterEqual(len(failures), 1, "a wrong password is audited")
        self.assertNotIn(account.password, str(failures))
        # with the password the owner sets it up
        r = self.post("/api/v1/me/totp", {"password": account.password}, auth=stolen)
        self.assertStatus(r, 201)

    def test_enrolment_ends_the_other_sessions(self):
        account = self.make_user("paralegal")
        mine = self.sign_in(account, source=fresh_source())
        other = self.sign_in(account, source=fresh_source())
        self.assertAlive(other)
        r = self.post("/api/v1/me/totp", {"password": account.password}, auth=mine)
        self.assertStatus(r, 201)
        account.totp_secret = r.json["secret"]
        r = self.post("/api/v1/me/totp/confirm", {"code": totp_code(account.totp_secret,
                                                                    totp_step())}, auth=mine)
        self.assertStatus(r, 200)
        self.assertDead(other, "the other session ends at enrolment")
        g = self.get("/api/v1/session", auth=mine)
        self.assertStatus(g, 200)
        self.assertEqual(g.json["second_factor"], "verified")


class CalendarFeedRevocation(HardeningCase):

    def fetch(self, url):
        """GET the feed without a session, as a calendar application holding the URL would."""
        c = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            c.request("GET", url)
            r = c.getresponse()
            r.read()
            return r.status
        finally:
            c.close()

    def feed_of(self, session):
        r = self.post("/api/v1/me/calendar-feed", None, auth=session)
        self.assertStatus(r, 201)
        self.assertEqual(self.fetch(r.json["url"]), 200)
        return r.json["url"]

    def test_a_password_change_revokes_the_feed(self):
        session = self.session_as("paralegal")
        account = session.account
        stolen_url = self.feed_of(session)
        new = strong_password()
        r = self.post("/api/v1/me/password", {"old_password": account.password,
                                              "new_password": new}, auth=session)
        self.assertStatus(r, 204)
        account.password = new
        self.assertEqual(self.fetch(stolen_url), 401, "the old feed URL stops working")
        changes = self.audit_events(account.id, "password_change")[-1]["changes"]
        self.assertEqual(changes.get("calendar_feed"), {"before": "active", "after": "revoked"})
        # the owner makes a new link
        self.feed_of(self.sign_in(account))

    def test_a_reset_revokes_the_feed(self):
        session = self.session_as("paralegal")
        account = session.account
        stolen_url = self.feed_of(session)
        new = strong_password()
        code, out, err = self.server.cli("user", "reset-password", "--email", account.email,
                                         input=new + "\n")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.fetch(stolen_url), 401, "the old feed URL stops working")
        self.assertDead(session, "a reset ends the sessions too")


class AdminEndsSessions(HardeningCase):

    def test_an_admin_lists_and_ends_a_users_sessions(self):
        account = self.make_user("paralegal")
        first = self.sign_in(account, source=fresh_source())
        second = self.sign_in(account, source=fresh_source())
        third = self.sign_in(account, source=fresh_source())
        path = "/api/v1/users/%d/sessions" % account.id
        r = self.get(path)
        self.assertStatus(r, 200)
        items = r.json["items"]
        self.assertEqual(len(items), 3)
        for item in items:
            self.assertEqual(set(item), {"id", "created_at", "last_seen_at", "expires_at",
                                         "second_factor", "current"})
            self.assertIs(item["current"], False)
            self.assertEqual(item["second_factor"], "not_required")
        for s in (first, second, third):
            self.assertNotIn(s.token, r.raw.decode())
            self.assertNotIn(hashlib.sha256(s.token.encode()).hexdigest(), r.raw.decode())
        # The admin's own list marks the session making the request.
        mine = self.get("/api/v1/users/%d/sessions" % self.server.admin_account.id)
        self.assertIn(True, [i["current"] for i in mine.json["items"]])
        # End one: only that one is dead.
        ids = sorted(i["id"] for i in items)
        r = self.delete("%s/%d" % (path, ids[0]))
        self.assertStatus(r, 204)
        self.assertDead(first, "the ended session")
        self.assertAlive(second)
        self.assertProblem(self.delete("%s/%d" % (path, ids[0])), 404, "not-found")
        # a session of another user is not reachable through this user
        other = self.get("/api/v1/users/%d/sessions" % self.server.admin_account.id)
        self.assertProblem(self.delete("%s/%d" % (path, other.json["items"][0]["id"])), 404,
                           "not-found")
        self.assertAlive(self.server.admin)
        # End all.
        self.assertStatus(self.delete(path), 204)
        self.assertDead(second, "ended with all")
        self.assertDead(third, "ended with all")
        self.assertEqual(self.get(path).json["items"], [])
        events = self.audit_events(account.id, "sessions_end")
        self.assertEqual(len(events), 2)
        self.assertEqual(events[0]["changes"], {"session_id": {"before": None, "after": ids[0]}})
        self.assertEqual(events[1]["changes"], {"sessions_ended": {"before": None, "after": 2}})
        # No such user.
        self.assertProblem(self.get("/api/v1/users/999999/sessions"), 404, "not-found")
        self.assertProblem(self.delete("/api/v1/users/999999/sessions"), 404, "not-found")

    def test_an_ended_session_s_id_is_never_given_again(self):
        """The attack on ids: with the plain rowid, the newest session, once ended, gave its id
        to the next sign-in, so an id an admin read from the list could end a session the list
        never showed."""
        account = self.make_user("paralegal")
        path = "/api/v1/users/%d/sessions" % account.id
        self.sign_in(account, source=fresh_source())
        ended = self.get(path).json["items"][0]["id"]
        self.assertStatus(self.delete("%s/%d" % (path, ended)), 204)
        self.sign_in(account, source=fresh_source())
        fresh = self.get(path).json["items"][0]["id"]
        self.assertGreater(fresh, ended)
        self.assertProblem(self.delete("%s/%d" % (path, ended)), 404, "not-found")
        self.assertEqual(len(self.get(path).json["items"]), 1, "the new session was not ended")

    def test_only_an_admin_may(self):
        account = self.make_user("viewer")
        victim = self.sign_in(account, source=fresh_source())
        attacker = self.session_as("attorney")
        path = "/api/v1/users/%d/sessions" % account.id
        self.assertProblem(self.get(path, auth=attacker), 403, "forbidden")
        self.assertProblem(self.delete(path, auth=attacker), 403, "forbidden")
        self.assertAlive(victim)
