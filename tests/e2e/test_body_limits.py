"""Bodies are judged before they are read: a request that announces a body on a route that
takes none, on an unknown route, or without the credentials its route needs, is answered from
its headers alone (the body is never waited for); a request has an absolute deadline besides
the inactivity timeout; the connection limits (global and per address) hold; files are created
for the service account alone; a client's X-Request-Id reaches the audit trail only when it is
well-formed."""

import os
import re
import socket
import stat
import time
import unittest

from harness import ApiTestCase, Server, fresh_source, hold_live, raw_exchange, token

GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")
SLUG = "urn:paroletrack:problem:"


def read_all(s, timeout):
    """Everything the server sends on s until it closes, within timeout seconds."""
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def closed_within(s, seconds):
    """True when the server closes s (EOF or reset) within seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        s.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            if s.recv(4096) == b"":
                return True
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


class EarlyRefusal(ApiTestCase):
    """Everything decided from the headers is answered before any of the body arrives."""

    def head(self, method, path, extra=b"", length=1000000):
        return (("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 "Content-Length: %d\r\n" % (method, path, length)).encode() + extra + b"\r\n")

    def early(self, data, auth=None):
        """Send only the headers (the announced body never comes) and read the answer within
        3 s: today's answer must not wait for the body."""
        r = self.raw(data, auth=auth, timeout=3)
        self.assertIsNotNone(r.status, "no answer before the body: the server waits for it")
        return r

    def assertEarlyProblem(self, r, status, slug):
        self.assertEqual(r.status, status, r.raw[:300])
        import json
        self.assertEqual(json.loads(r.raw)["type"], SLUG + slug)
        self.assertEqual((r.header("Connection") or "").lower(), "close",
                         "an answer sent before the body must close the connection")

    def count_clients(self):
        return len(self.list_all("/api/v1/clients"))

    def test_unauthenticated_post_gets_401_before_the_body(self):
        before = self.count_clients()
        r = self.early(self.head("POST", "/api/v1/clients"))
        self.assertEarlyProblem(r, 401, "unauthenticated")
        self.assertEqual(r.header("WWW-Authenticate"), 'Bearer realm="paroletrack"')
        chunked = (b"POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                   b"\r\nTransfer-Encoding: chunked\r\n\r\n")
        self.assertEarlyProblem(self.early(chunked), 401, "unauthenticated")
        bad_key = self.head("PATCH", "/api/v1/clients/1",
                            b"Authorization: Bearer pt_nothing_wrongsecret\r\n")
        self.assertEarlyProblem(self.early(bad_key), 401, "unauthenticated")
        self.assertEqual(self.count_clients(), before)

    def test_small_body_is_read_then_refused(self):
        # A body no larger than a public route's (16 KiB) is read before the credentials are
        # checked (anyone may make the server hold that much): the answer waits for the body,
        # and is then the same 401 or 403, with nothing written.
        before = self.count_clients()
        body = b'{"family_name":"Early","given_name":"Small"}'
        for auth, status, slug in ((None, 401, "unauthenticated"),
                                   (self.make_key(["read"]), 403, "forbidden")):
            with self.subTest(status=status):
                head = self.head("POST", "/api/v1/clients", length=len(body))
                self.assertIsNone(self.raw(head, auth=auth, timeout=1).status,
                                  "a small body's answer came before the body")
                r = self.raw(head + body, auth=auth, timeout=5)
                self.assertEqual(r.status, status, r.raw[:300])
                import json
                self.assertEqual(json.loads(r.raw)["type"], SLUG + slug)
        self.assertEqual(self.count_clients(), before)

    def test_forbidden_and_csrf_before_the_body(self):
        viewer = self.session_as("viewer")
        self.assertEarlyProblem(self.early(self.head("POST", "/api/v1/clients"), auth=viewer),
                                403, "forbidden")
        key = self.make_key(["read"])
        self.assertEarlyProblem(self.early(self.head("POST", "/api/v1/clients"), auth=key),
                                403, "forbidden")
        no_csrf = self.head("POST", "/api/v1/clients",
                            ("Cookie: pt_session=%s\r\n" % self.server.admin.token).encode())
        self.assertEarlyProblem(self.early(no_csrf), 403, "csrf")

    def test_body_sent_along_still_gets_the_answer_and_is_never_a_request(self):
        # The refused body is sent at once and looks like a second request: the client reads the
        # 401, and the body is never run as a request of its own (the connection closes).
        body = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + b" " * 200000
        s = socket.create_connection((self.server.host, self.server.port), timeout=5)
        try:
            s.sendall(self.head("POST", "/api/v1/clients", length=len(body)))
            try:
                s.sendall(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            data = read_all(s, 5)
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 401"), data[:200])
        self.assertEqual(data.count(b"HTTP/1.1 "), 1, "the body was run as a request")

    def test_body_on_a_route_that_takes_none_is_refused_at_once(self):
        cl = self.make_client()
        for method, path in (("GET", "/api/v1/clients"), ("HEAD", "/api/v1/clients"),
                             ("GET", "/api/v1/clients/%d" % cl["id"]),
                             ("DELETE", "/api/v1/clients/%d" % cl["id"]),
                             ("DELETE", "/api/v1/session"),
                             ("POST", "/api/v1/me/calendar-feed"), ("GET", "/healthz"),
                             ("GET", "/")):
            with self.subTest(method=method, path=path):
                r = self.early(self.head(method, path, length=100), auth=self.server.admin)
                self.assertEqual(r.status, 413, r.raw[:300])
                if method != "HEAD":
                    self.assertEarlyProblem(r, 413, "payload-too-large")
                    self.assertIn("takes no request body", r.raw.decode())
        chunked = (b"GET /api/v1/clients HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                   b"\r\n")
        self.assertEarlyProblem(self.early(chunked, auth=self.server.admin), 413,
                                "payload-too-large")
        # Nothing was deleted, and the admin's session still works.
        self.assertStatus(self.get("/api/v1/clients/%d" % cl["id"]), 200)
        # Without a body the same routes work as before, on a kept-alive connection.
        self.assertStatus(self.get("/api/v1/clients"), 200)

    def test_unknown_paths_and_methods_answer_at_once(self):
        r = self.early(self.head("POST", "/api/v1/nowhere"), auth=self.server.admin)
        self.assertEarlyProblem(r, 404, "not-found")
        r = self.early(self.head("PUT", "/api/v1/clients"), auth=self.server.admin)
        self.assertEarlyProblem(r, 405, "method-not-allowed")
        self.assertIn("POST", r.header("Allow") or "")

    def test_sign_in_body_is_small(self):
        r = self.early(self.head("POST", "/api/v1/session", length=17 * 1024))
        self.assertEarlyProblem(r, 413, "payload-too-large")
        self.assertIn("16384", r.raw.decode())

    def test_allowed_body_still_read_and_kept_alive(self):
        import http.client
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            r1 = self.post("/api/v1/clients", {"family_name": "Early", "given_name": "Ok"},
                           conn=conn)
            self.assertStatus(r1, 201)
            sock = conn.sock
            self.assertIsNotNone(sock)
            self.assertStatus(self.get("/api/v1/clients/%d" % r1.json["id"], conn=conn), 200)
            self.assertIs(conn.sock, sock, "a request with a body lost keep-alive")
        finally:
            conn.close()


class Deadline(ApiTestCase):
    """--request-timeout: a body that trickles or stops is cut at the deadline."""

    server_args = ("--request-timeout", "2")

    def start_post(self, length=100):
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        s.sendall(b"POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                  b"\r\n" + self.auth_header_lines() + b"Content-Length: %d\r\n\r\n" % length)
        return s

    def test_trickled_body_is_cut_at_the_deadline(self):
        before = len(self.list_all("/api/v1/clients"))
        s = self.start_post()
        t0 = time.monotonic()
        cut = None
        try:
            # One byte every 0.4 s keeps the inactivity timeout (30 s) from ever firing.
            while time.monotonic() - t0 < 8:
                try:
                    s.sendall(b" ")
                except (BrokenPipeError, ConnectionResetError):
                    cut = time.monotonic() - t0
                    break
                if closed_within(s, 0.4):
                    cut = time.monotonic() - t0
                    break
        finally:
            s.close()
        self.assertIsNotNone(cut, "a trickled body was read for 8 s past a 2 s deadline")
        self.assertGreaterEqual(cut, 1.5)
        self.assertLess(cut, 4.5)
        self.assertEqual(len(self.list_all("/api/v1/clients")), before)

    def test_stalled_body_is_cut_at_the_deadline_not_the_idle_timeout(self):
        s = self.start_post()
        try:
            s.sendall(b'{"family_name":')
            t0 = time.monotonic()
            self.assertTrue(closed_within(s, 6), "a stalled body outlived the 2 s deadline")
            self.assertLess(time.monotonic() - t0, 4.5)
        finally:
            s.close()

    def test_kept_alive_connection_outlives_the_deadline_between_requests(self):
        import http.client
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            self.assertStatus(self.post("/api/v1/clients", {"family_name": "Slow",
                                                            "given_name": "Reader"}, conn=conn),
                              201)
            sock = conn.sock
            time.sleep(2.5)  # idle between requests: only the inactivity timeout applies
            self.assertStatus(self.get("/healthz", conn=conn), 200)
            self.assertIs(conn.sock, sock)
        finally:
            conn.close()


class Options(unittest.TestCase):
    """The new flags are validated."""

    def test_bad_values_refused(self):
        from harness import run_cli
        for args, env in ((["--request-timeout", "0"], None),
                          (["--request-timeout", "3601"], None),
                          (["--request-timeout", "x"], None),
                          ([], {"PAROLETRACK_REQUEST_TIMEOUT": "soon"}),
                          (["--max-connections", "0"], None),
                          (["--max-connections", "2", "--threads", "4"], None)):
            with self.subTest(args=args, env=env):
                code, _, err = run_cli("serve", "--db", "/nonexistent/x.db", *args,
                                       env_extra=env)
                self.assertEqual(code, 2, err)
                self.assertRegex(err, r"request-timeout|REQUEST_TIMEOUT|max-connections")


def answered(host, port, source="127.0.0.1", wait=1.5):
    """True when a new connection gets GET /healthz answered within wait seconds."""
    try:
        s = socket.create_connection((host, port), timeout=wait, source_address=(source, 0))
    except OSError:
        return False
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return read_all(s, wait).startswith(b"HTTP/1.1 200")
    except OSError:
        return False
    finally:
        s.close()


class ConnectionLimits(unittest.TestCase):
    """--max-connections caps connections in all; one address gets 32 by default."""

    def start(self, *args):
        s = Server(extra_args=list(args)).start()
        self.addCleanup(s.cleanup)
        self.addCleanup(s.kill)
        return s

    def test_more_than_max_connections_refused(self):
        s = self.start("--max-connections", "3", "--threads", "1")
        held = [hold_live(s.host, s.port, fresh_source()) for _ in range(3)]
        try:
            # From another address still: the global limit, not the per-address one.
            self.assertFalse(answered(s.host, s.port, fresh_source()),
                             "a fourth connection was served past --max-connections 3")
            held.pop().close()
            time.sleep(0.3)
            self.assertTrue(answered(s.host, s.port, fresh_source(), wait=5))
        finally:
            for h in held:
                h.close()
        self.assertEqual(s.stop(), 0)

    def test_per_address_default_is_32(self):
        s = self.start()
        held = [hold_live(s.host, s.port) for _ in range(32)]
        try:
            self.assertFalse(answered(s.host, s.port), "a 33rd connection from one address "
                             "was served")
            self.assertTrue(answered(s.host, s.port, fresh_source(), wait=5),
                            "another address must still be served")
        finally:
            for h in held:
                h.close()
        self.assertEqual(s.stop(), 0)


class FileModes(unittest.TestCase):
    """The database, its WAL and shared memory, and the key file are the service's alone."""

    def test_created_0600(self):
        old = os.umask(0o022)  # what a service manager typically leaves
        try:
            s = Server()
            self.addCleanup(s.cleanup)
            self.addCleanup(s.kill)
            s.start()
        finally:
            os.umask(old)
        from harness import http_call
        r = http_call(s.host, s.port, "POST", "/api/v1/clients",
                      {"family_name": "Mode", "given_name": "Check"},
                      headers=s.admin.headers("POST"))
        self.assertEqual(r.status, 201)
        for path in (s.db, s.db + "-wal", s.db + "-shm", s.db + ".key"):
            with self.subTest(path=os.path.basename(path)):
                self.assertTrue(os.path.exists(path), path)
                mode = stat.S_IMODE(os.stat(path).st_mode)
                self.assertEqual(mode & 0o077, 0, "%s is mode %o" % (path, mode))
        self.assertEqual(s.stop(), 0)


class RequestIdInAudit(ApiTestCase):
    """Only a well-formed X-Request-Id reaches the response and the audit trail."""

    def audit_of(self, client_id):
        r = self.get("/api/v1/audit-events?entity=clients&entity_id=%d" % client_id)
        self.assertStatus(r, 200)
        return r.json["items"]

    def test_bad_ids_replaced_good_ones_kept(self):
        bad = ("A" * 65, 'quote"d', "has space", "semi;colon", "<tag>", "tab\there")
        for rid in bad:
            with self.subTest(rid=rid):
                r = self.post("/api/v1/clients", {"family_name": "Rid", "given_name": token(6)},
                              headers={"X-Request-Id": rid})
                self.assertStatus(r, 201)
                got = r.header("X-Request-Id")
                self.assertRegex(got, GENERATED_ID)
                events = self.audit_of(r.json["id"])
                self.assertEqual([e["request_id"] for e in events], [got])
        good = "good-id_1.%s" % token(6)
        r = self.post("/api/v1/clients", {"family_name": "Rid", "given_name": "Good"},
                      headers={"X-Request-Id": good})
        self.assertEqual(r.header("X-Request-Id"), good)
        self.assertEqual([e["request_id"] for e in self.audit_of(r.json["id"])], [good])


if __name__ == "__main__":
    unittest.main()
