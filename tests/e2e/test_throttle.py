"""Sign-in throttling attacks (issue 9, "one address can lock the whole firm out"), each
reproduced and shown to fail:

1. five wrong passwords for account A from address X no longer refuse account B from X;
2. after five failures of A from X, A signs in from another address Y;
3. the pair A/X itself gets 429 with Retry-After (even with the right password);
4. a guesser spread over many addresses meets a growing per-account delay, and the owner
   signs in once that delay has passed;
5. a spray of 100 failures from one address over many accounts throttles that address
   (behind the proxy only);
6. X-Forwarded-For is ignored without --trusted-proxy and from an untrusted peer, spoofed
   entries left of the proxy's are ignored, garbage does not buy a fresh throttle;
7. the sign_in and sign_in_failed audit events carry the client's address (and the log never).

The same attacks run twice: clients as distinct loopback addresses talking to the server
directly (DirectClients), and clients behind a reverse proxy on 127.0.0.1 that the server trusts
(--trusted-proxy 127.0.0.1/32), told apart only by X-Forwarded-For (BehindProxy)."""

import itertools
import threading
import time
import uuid

from harness import AUTO, ApiTestCase, fresh_source, strong_password, unique_email

_client_counter = itertools.count(1)
_client_lock = threading.Lock()


def fresh_forwarded():
    """A client address not handed out before in this process, from 198.18.0.0/15 (not
    loopback: outside the trusted proxy range)."""
    with _client_lock:
        n = next(_client_counter)
    return "198.%d.%d.%d" % (18 + (n >> 16) % 2, (n >> 8) & 255, max(n & 255, 1))


def rid(tag):
    return "%s-%s" % (tag, uuid.uuid4().hex[:12])


class Attacks:
    """The attacks, for a way of being a client: new_client() names a fresh client address,
    via(client) the request options that make a request come from it."""

    def new_client(self):
        raise NotImplementedError

    def via(self, client, headers=None):
        raise NotImplementedError

    def attempt(self, who, client, password=None, request_id=None, totp=AUTO):
        """One sign-in of who (an Account, or an e-mail with password) from client; totp=None
        sends no code."""
        headers = {"X-Request-Id": request_id} if request_id else None
        kw = self.via(client, headers)
        if isinstance(who, str):
            return self.sign_in_response(who, password, totp=totp, **kw)
        return self.sign_in_response(who, password=password, totp=totp, **kw)

    def fail_sign_in(self, who, client, times=1):
        for _ in range(times):
            r = self.attempt(who, client, password=strong_password())
            self.assertProblem(r, 401, "invalid-credentials")

    def assertThrottled(self, r, low=1, high=15 * 60 + 1):
        self.assertProblem(r, 429, "too-many-attempts")
        self.assertIsNone(r.cookie(), "a throttled sign-in must not start a session")
        retry = r.header("Retry-After")
        self.assertIsNotNone(retry, "429 without Retry-After")
        self.assertRegex(retry, r"^[0-9]+$")
        self.assertTrue(low <= int(retry) <= high, "Retry-After %s not in [%d, %d]"
                        % (retry, low, high))
        return int(retry)

    def assertSignsIn(self, who, client):
        r = self.attempt(who, client)
        self.assertStatus(r, 201, "%s from %s" % (who.email, client))
        self.assertIsNotNone(r.cookie())
        return r

    def audit_event(self, request_id, action):
        """The one audit event of the request (newest events first)."""
        r = self.get("/api/v1/audit-events?order=desc&limit=200")
        self.assertStatus(r, 200)
        found = [e for e in r.json["items"] if e["request_id"] == request_id]
        self.assertEqual([e["action"] for e in found], [action], request_id)
        return found[0]

    # ---- 1: the shared address no longer locks out everyone ----------------------------------

    def test_failures_for_one_account_do_not_lock_out_others_at_that_address(self):
        a, b = self.make_user("viewer"), self.make_user("attorney")
        x = self.new_client()
        self.fail_sign_in(a, x, 5)
        self.assertSignsIn(b, x)  # was 429: the whole firm shared X's lockout
        self.fail_sign_in(unique_email("nobody"), x, 5)  # and a second 5 for an unknown e-mail
        self.assertSignsIn(self.make_user("paralegal"), x)

    # ---- 2: knowing an e-mail no longer locks its owner out everywhere ----------------------

    def test_failures_of_an_account_from_one_address_do_not_lock_it_out_elsewhere(self):
        admin = self.make_user("admin")
        x, y = self.new_client(), self.new_client()
        self.fail_sign_in(admin, x, 5)
        self.assertThrottled(self.attempt(admin, x))
        self.assertSignsIn(admin, y)  # was 429 from every address for 15 minutes

    # ---- 3: the pair is throttled ----------------------------------------------------------

    def test_five_failures_of_the_pair_give_429_with_retry_after(self):
        a = self.make_user("viewer")
        x = self.new_client()
        self.fail_sign_in(a, x, 5)
        right = self.attempt(a, x)
        retry = self.assertThrottled(right, 15 * 60 - 60, 15 * 60 + 1)
        self.assertGreater(retry, 60)
        wrong = self.attempt(a, x, password=strong_password())
        self.assertThrottled(wrong, 15 * 60 - 60, 15 * 60 + 1)
        self.assertEqual(right.json, wrong.json, "a throttled answer tells nothing of the password")
        # Refused attempts are not counted: from elsewhere the account still signs in at once.
        self.assertSignsIn(a, self.new_client())

    # ---- 4: a distributed guesser meets a growing delay, the owner still gets in --------------

    def test_distributed_guessing_meets_a_growing_delay_and_the_owner_signs_in(self):
        owner = self.make_user("attorney")
        for _ in range(10):
            self.fail_sign_in(owner, self.new_client())  # one guess per address: no pair limit
        # The 10th failure holds the account for 2 s: everyone, right password or not.
        first = self.assertThrottled(self.attempt(owner, self.new_client()), 1, 2)
        self.assertThrottled(self.attempt(owner, self.new_client(), password=strong_password()),
                             1, 2)
        time.sleep(first + 0.3)
        self.fail_sign_in(owner, self.new_client())  # the 11th failure: now 4 s
        second = self.assertThrottled(self.attempt(owner, self.new_client()), 3, 4)
        self.assertGreater(second, first, "the delay grows with each failure")
        # Not a lock: once the delay has passed the owner, from a new address, signs in.
        time.sleep(second + 0.3)
        self.assertSignsIn(owner, self.new_client())
        # The owner's success does not wipe the guesser's count: the 12th failure costs 8 s.
        self.fail_sign_in(owner, self.new_client())
        self.assertThrottled(self.attempt(owner, self.new_client()), 7, 8)

    def test_a_guesser_who_keeps_the_delay_going_never_holds_back_the_owner_s_own_address(self):
        """One guess each time the account's delay ran out kept the delay going and, since it
        held back every address, kept the owner out for good. An address the account signed
        in from lately is never held back by the account rule."""
        owner = self.make_user("admin")
        home = self.new_client()
        self.assertSignsIn(owner, home)  # the owner's own address, known from now on
        for _ in range(10):
            self.fail_sign_in(owner, self.new_client())
        self.assertThrottled(self.attempt(owner, self.new_client()), 1, 2)  # the guesser waits
        self.assertSignsIn(owner, home)  # was 429: the owner waited as long as the guesser
        self.assertThrottled(self.attempt(owner, self.new_client()), 1, 2)  # count not wiped
        # The pair limit still holds at home: a known address is not a free pass for guesses.
        self.fail_sign_in(owner, home, 5)
        self.assertThrottled(self.attempt(owner, home), 15 * 60 - 60, 15 * 60 + 1)

    def test_the_first_step_of_a_sign_in_with_an_authenticator_is_not_a_failure(self):
        """The dashboard sends the password first and the code next: the right password
        without a code was counted (and audited) as a failed sign-in, so five ordinary
        sign-ins throttled their owner and filled the trail with false failures."""
        account = self.session_as("attorney").account
        x = self.new_client()
        for _ in range(6):
            self.assertProblem(self.attempt(account, x, totp=None), 401, "second-factor-required")
        self.assertSignsIn(account, x)  # was 429 after the fifth
        r = self.get("/api/v1/audit-events?entity=users&entity_id=%d&limit=200" % account.id)
        self.assertStatus(r, 200)
        self.assertEqual([e for e in r.json["items"] if e["action"] == "sign_in_failed"], [])
        # A wrong code is a failure, counted and audited.
        r = self.attempt(account, x, totp="000000")
        self.assertProblem(r, 401, "second-factor-required")
        r = self.get("/api/v1/audit-events?entity=users&entity_id=%d&limit=200" % account.id)
        self.assertEqual([e["changes"]["reason"]["after"] for e in r.json["items"]
                          if e["action"] == "sign_in_failed"], ["second factor"])

    # ---- 7: the audit trail names the client ---------------------------------------------------

    def test_sign_in_events_record_the_client_address(self):
        a = self.make_user("viewer")
        x, y, z = self.new_client(), self.new_client(), self.new_client()
        ok, bad, ghost = rid("ok"), rid("bad"), rid("ghost")
        self.assertStatus(self.attempt(a, x, request_id=ok), 201)
        self.assertStatus(self.attempt(a, y, password=strong_password(), request_id=bad), 401)
        self.assertStatus(self.attempt(unique_email("ghost"), z, password=strong_password(),
                                       request_id=ghost), 401)
        e = self.audit_event(ok, "sign_in")
        self.assertEqual(e["changes"].get("address"), {"before": None, "after": x})
        e = self.audit_event(bad, "sign_in_failed")
        self.assertEqual(e["changes"].get("address"), {"before": None, "after": y})
        self.assertEqual(e["changes"].get("reason"), {"before": None, "after": "wrong password"})
        e = self.audit_event(ghost, "sign_in_failed")
        self.assertEqual(e["changes"].get("address"), {"before": None, "after": z})
        code, out, err = self.server.cli("audit", "verify")
        self.assertEqual(code, 0, out + err)


class DirectClients(Attacks, ApiTestCase):
    """Each client is its own loopback address; no proxy is trusted."""

    def new_client(self):
        return fresh_source()

    def via(self, client, headers=None):
        return {"source": client, "headers": headers}

    def test_forwarded_for_is_ignored_without_trusted_proxy(self):
        a = self.make_user("viewer")
        x = self.new_client()
        spoofed = []
        for i in range(5):
            spoofed.append(fresh_forwarded())
            r = self.sign_in_response(a, password=strong_password(), source=x,
                                      headers={"X-Forwarded-For": spoofed[-1]})
            self.assertProblem(r, 401, "invalid-credentials")
        # Rotating X-Forwarded-For did not make five different clients.
        r = self.sign_in_response(a, source=x, headers={"X-Forwarded-For": fresh_forwarded()})
        self.assertThrottled(r, 15 * 60 - 60)
        request_id = rid("direct")
        r = self.sign_in_response(a, source=self.new_client(),
                                  headers={"X-Forwarded-For": spoofed[0],
                                           "X-Request-Id": request_id})
        self.assertStatus(r, 201)
        self.assertNotEqual(self.audit_event(request_id, "sign_in")["changes"]["address"]["after"],
                            spoofed[0], "the header is not the client's address")

    def test_a_bad_trusted_proxy_stops_the_start(self):
        for value in ("10.0.0.300/8", "10.1.2.3/8", "10.0.0.0/33", "10.0.0.0/8,,::1",
                      "proxy.example.com", "2001:db8::/129"):
            with self.subTest(value=value):
                code, out, err = self.server.cli("serve", "--listen", "127.0.0.1:0",
                                                 "--trusted-proxy", value, timeout=20)
                self.assertNotEqual(code, 0)
                self.assertIn("--trusted-proxy", err)
                self.assertIn(value.split(",")[0] if "," not in value else "empty", err)
                self.assertNotIn("listening on", err)
                code, out, err = self.server.cli("serve", "--listen", "127.0.0.1:0",
                                                 env_extra={"PAROLETRACK_TRUSTED_PROXY": value},
                                                 timeout=20)
                self.assertNotEqual(code, 0)
                self.assertIn("PAROLETRACK_TRUSTED_PROXY", err)


class BehindProxy(Attacks, ApiTestCase):
    """Every request comes from the reverse proxy on 127.0.0.1, which the server trusts; the
    client is what the proxy appends to X-Forwarded-For."""

    server_args = ("--trusted-proxy", "127.0.0.1/32")

    def new_client(self):
        return fresh_forwarded()

    def via(self, client, headers=None):
        h = {"X-Forwarded-For": client}
        h.update(headers or {})
        return {"headers": h}

    # ---- 5 (behind the proxy only: a hundred password checks take a while) -------------------

    def test_a_spray_of_100_failures_from_one_address_throttles_it(self):
        x = self.new_client()
        victim = self.make_user("viewer")
        for i in range(99):
            r = self.attempt(unique_email("spray"), x, password=strong_password())
            self.assertProblem(r, 401, "invalid-credentials")
        # 99 failures over 99 accounts: the address is not throttled yet.
        self.fail_sign_in(victim, x)
        r = self.attempt(self.make_user("viewer"), x)
        retry = self.assertThrottled(r, 15 * 60 - 60, 15 * 60 + 1)
        self.assertGreater(retry, 60)
        self.assertThrottled(self.attempt(unique_email("spray"), x, password=strong_password()))
        # Only that address: the victim signs in from elsewhere.
        self.assertSignsIn(victim, self.new_client())

    def test_spoofed_entries_left_of_the_proxys_are_ignored(self):
        a = self.make_user("viewer")
        x = self.new_client()
        for i in range(5):
            # The client sent its own X-Forwarded-For; the proxy appended the real address.
            r = self.sign_in_response(a, password=strong_password(), headers={
                "X-Forwarded-For": "%s, 10.%d.0.1 ,%s" % (fresh_forwarded(), i, x)})
            self.assertProblem(r, 401, "invalid-credentials")
        r = self.sign_in_response(a, headers={"X-Forwarded-For": "%s,%s" % (fresh_forwarded(), x)})
        self.assertThrottled(r, 15 * 60 - 60)
        # Two headers are one list: the last header's right-most entry is the client.
        body = ('{"email": "%s", "password": "%s"}' % (a.email, a.password)).encode()
        r = self.raw(b"POST /api/v1/session HTTP/1.1\r\nHost: t\r\n"
                     b"X-Forwarded-For: " + fresh_forwarded().encode() + b"\r\n"
                     b"Content-Type: application/json\r\n"
                     b"X-Forwarded-For: " + x.encode() + b"\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n"
                     b"Connection: close\r\n\r\n" + body, auth=None)
        self.assertEqual(r.status, 429)
        self.assertIsNotNone(r.header("Retry-After"))
        r = self.raw(b"POST /api/v1/session HTTP/1.1\r\nHost: t\r\n"
                     b"X-Forwarded-For: " + x.encode() + b"\r\n"
                     b"Content-Type: application/json\r\n"
                     b"X-Forwarded-For: " + self.new_client().encode() + b"\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n"
                     b"Connection: close\r\n\r\n" + body, auth=None)
        self.assertEqual(r.status, 201)

    def test_forwarded_for_from_an_untrusted_peer_is_ignored(self):
        a = self.make_user("viewer")
        peer = fresh_source()  # 127.0.0.2 and up: not the trusted 127.0.0.1
        for i in range(5):
            r = self.sign_in_response(a, password=strong_password(), source=peer,
                                      headers={"X-Forwarded-For": fresh_forwarded()})
            self.assertProblem(r, 401, "invalid-credentials")
        r = self.sign_in_response(a, source=peer, headers={"X-Forwarded-For": fresh_forwarded()})
        self.assertThrottled(r, 15 * 60 - 60)
        request_id = rid("untrusted")
        peer2 = fresh_source()
        r = self.sign_in_response(a, source=peer2, headers={"X-Forwarded-For": fresh_forwarded(),
                                                            "X-Request-Id": request_id})
        self.assertStatus(r, 201)
        self.assertEqual(self.audit_event(request_id, "sign_in")["changes"]["address"],
                         {"before": None, "after": peer2})

    def test_garbage_in_forwarded_for_buys_no_fresh_throttle(self):
        a = self.make_user("viewer")
        request_id = rid("garbage")
        for i in range(5):
            r = self.sign_in_response(a, password=strong_password(), headers={
                "X-Forwarded-For": "%s, not-an-address-%d" % (fresh_forwarded(), i),
                "X-Request-Id": request_id if i == 0 else rid("garbage")})
            self.assertProblem(r, 401, "invalid-credentials")
        r = self.sign_in_response(a, headers={"X-Forwarded-For": "<script>alert(1)</script>"})
        self.assertThrottled(r, 15 * 60 - 60)
        self.assertEqual(self.audit_event(request_id, "sign_in_failed")["changes"]["address"],
                         {"before": None, "after": "unknown"})
        self.assertSignsIn(a, self.new_client())

    def test_ipv6_clients_are_throttled_by_their_64_and_recorded_in_full(self):
        a = self.make_user("viewer")
        for i in range(5):
            self.fail_sign_in(a, "2001:db8:77:1::%x" % (i + 1))
        # Another address of the same /64 is the same subscriber.
        self.assertThrottled(self.attempt(a, "[2001:db8:77:1::beef]:4431"), 15 * 60 - 60)
        request_id = rid("v6")
        r = self.attempt(a, "2001:DB8:77:2:0:0:0:5", request_id=request_id)
        self.assertStatus(r, 201)
        self.assertEqual(self.audit_event(request_id, "sign_in")["changes"]["address"],
                         {"before": None, "after": "2001:db8:77:2::5"})

    def test_the_log_never_holds_a_client_address(self):
        a = self.make_user("viewer")
        x, y = self.new_client(), "2001:db8:99::42"
        self.assertSignsIn(a, x)
        self.fail_sign_in(a, y)
        log = self.server.log_text()
        self.assertIn("believing X-Forwarded-For from 1 trusted proxy range", log)
        self.assertNotIn(x, log)
        self.assertNotIn(y, log)
        self.assertNotIn("198.18.", log)
