"""HTTP behaviour: methods, 404s, framing, limits, media types, request ids, keep-alive, health,
the access log and clean shutdown."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time
import unittest

from harness import (HTTP_TIMEOUT, ApiTestCase, Raw, Server, dumps, raw_exchange, token,
                     unique_receipt)

MIB = 1024 * 1024
GENERATED_ID = re.compile(r"^[0-9a-fA-F]{32}$")


def allow_set(r):
    return {m.strip().upper() for m in (r.header("Allow") or "").split(",") if m.strip()}


def _read_status(s):
    """Read what the server sends until it closes; the status of its answer, or None."""
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        data += chunk
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else None


class Http(ApiTestCase):

    def count_clients(self):
        return len(self.list_all("/api/v1/clients"))

    # ---- 405 ---------------------------------------------------------------------------------

    def test_405_with_allow(self):
        cl = self.make_client()
        pr = self.make_request(cl["id"])
        f = self.make_child(pr["id"], "filings")
        cases = [
            ("DELETE", "/api/v1/clients", {"GET", "POST"}),
            ("PUT", "/api/v1/clients", {"GET", "POST"}),
            ("PUT", "/api/v1/clients/%d" % cl["id"], {"GET", "PATCH", "DELETE"}),
            ("POST", "/api/v1/clients/%d" % cl["id"], {"GET", "PATCH", "DELETE"}),
            ("PATCH", "/api/v1/parole-requests", {"GET", "POST"}),
            ("POST", "/api/v1/parole-requests/%d" % pr["id"], {"GET", "PATCH", "DELETE"}),
            ("POST", "/api/v1/parole-requests/%d/timeline" % pr["id"], {"GET"}),
            ("DELETE", "/api/v1/parole-requests/%d/timeline" % pr["id"], {"GET"}),
            ("DELETE", "/api/v1/parole-requests/%d/filings" % pr["id"], {"GET", "POST"}),
            ("PUT", "/api/v1/parole-requests/%d/filings/%d" % (pr["id"], f["id"]),
             {"GET", "PATCH", "DELETE"}),
            ("POST", "/healthz", {"GET"}),
        ]
        for method, path, allowed in cases:
            with self.subTest(method=method, path=path):
                body = {} if method in ("POST", "PATCH", "PUT") else None
                r = self.request(method, path, body)
                self.assertProblem(r, 405, "method-not-allowed")
                got = allow_set(r)
                self.assertTrue(allowed <= got, "Allow %r lacks %r" % (got, allowed))
                self.assertNotIn(method, got)
                self.assertTrue(got <= allowed | {"HEAD", "OPTIONS"}, "Allow %r" % got)
        # Nothing was changed by any of them.
        self.assertEqual(self.get("/api/v1/clients/%d" % cl["id"]).json["version"], 1)

    # ---- 404 ---------------------------------------------------------------------------------

    def test_404_unknown_paths(self):
        pr = self.make_request()
        for path in ("/api/v1/nope", "/api/v2/clients", "/api/v1", "/api/v1/client",
                     "/api/v1/clients/abc", "/api/v1/clients/1.0", "/api/v1/clients/-1",
                     "/api/v1/clients/0", "/api/v1/clients/99999999999999999999999999",
                     "/api/v1/clients/1/extra",
                     "/api/v1/parole-requests/%d/widgets" % pr["id"],
                     "/api/v1/parole-requests/%d/filings/abc" % pr["id"],
                     "/api/v1/parole-requests/%d/timeline/1" % pr["id"],
                     "/API/V1/CLIENTS", "/healthz/x"):
            with self.subTest(path=path):
                r = self.get(path)
                self.assertProblem(r, 404, "not-found")
                self.assertTrue(r.header("X-Request-Id"))

    def test_404_unknown_ids_every_resource(self):
        pr = self.make_request()
        paths = ["/api/v1/clients/987654321", "/api/v1/parole-requests/987654321",
                 "/api/v1/parole-requests/987654321/timeline"]
        for child in ("filings", "rfes", "interviews", "decisions", "expirations"):
            paths.append("/api/v1/parole-requests/%d/%s/987654321" % (pr["id"], child))
            paths.append("/api/v1/parole-requests/987654321/%s" % child)
        for path in paths:
            with self.subTest(path=path):
                self.assertProblem(self.get(path), 404, "not-found")

    # ---- 413 ---------------------------------------------------------------------------------

    def test_413_sent_before_the_body(self):
        before = self.count_clients()
        head = ("POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (50 * MIB))
        # No body is sent at all: the answer must come from the headers alone.
        r = self.raw(head.encode(), timeout=5)
        self.assertEqual(r.status, 413, "no 413 before the body was sent: %r" % r.raw[:300])
        self.assertEqual(json.loads(r.raw)["type"], "urn:paroletrack:problem:payload-too-large")
        self.assertTrue(r.header("X-Request-Id"))
        self.assertEqual(self.count_clients(), before)

    def _send_body_of(self, size):
        body = b'{"family_name":"Big","given_name":"Body"}'
        body += b" " * (size - len(body))
        assert len(body) == size
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            s.sendall(("POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nContent-Length: %d\r\n"
                       "Connection: close\r\n" % size).encode() + self.auth_header_lines()
                      + b"\r\n")
            try:
                s.sendall(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return _read_status(s)
        finally:
            s.close()

    def test_body_limit_boundary(self):
        before = self.count_clients()
        self.assertEqual(self._send_body_of(MIB), 201, "a body of exactly 1 MiB is allowed")
        self.assertEqual(self.count_clients(), before + 1)
        self.assertEqual(self._send_body_of(MIB + 1), 413)
        self.assertEqual(self.count_clients(), before + 1)

    # ---- framing -----------------------------------------------------------------------------

    def test_duplicate_content_length_400(self):
        before = self.count_clients()
        body = b'{"family_name":"Dup","given_name":"CL"}'
        for a, b in ((len(body), len(body)), (len(body), 2)):
            with self.subTest(lengths=(a, b)):
                req = ("POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nContent-Length: %d\r\n"
                       "Content-Length: %d\r\nConnection: close\r\n\r\n" % (a, b)).encode() + body
                r = self.raw(req)
                self.assertEqual(r.status, 400, r.raw[:300])
        self.assertEqual(self.count_clients(), before)

    def test_content_length_with_transfer_encoding_400(self):
        before = self.count_clients()
        body = b'{"family_name":"Both","given_name":"TE"}'
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        for te in ("chunked", "identity"):
            with self.subTest(te=te):
                req = ("POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nContent-Length: %d\r\n"
                       "Transfer-Encoding: %s\r\nConnection: close\r\n\r\n"
                       % (len(chunked), te)).encode() + chunked
                r = self.raw(req)
                self.assertEqual(r.status, 400, r.raw[:300])
        self.assertEqual(self.count_clients(), before)

    def test_chunked_body_alone_is_fine(self):
        body = b'{"family_name":"Chunky","given_name":"Body"}'
        req = (b"POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
               b"Connection: close\r\n\r\n" + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        r = self.raw(req)
        self.assertEqual(r.status, 201, r.raw[:300])

    def _send_chunked(self, chunks):
        """Send a chunked POST of the given chunk sizes; returns the status answered (or None)."""
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            s.sendall(b"POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                      b"Connection: close\r\n" + self.auth_header_lines() + b"\r\n")
            try:
                for size in chunks:
                    s.sendall(b"%x\r\n%s\r\n" % (size, b" " * size))
                s.sendall(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return _read_status(s)
        finally:
            s.close()

    def test_chunked_body_over_the_limit_413(self):
        before = self.count_clients()
        self.assertEqual(self._send_chunked([600 * 1024] * 2), 413)
        self.assertEqual(self.count_clients(), before)
        # A chunked body that never ends is cut off rather than read for ever.
        self.assertIn(self._send_chunked([MIB] * 12), (None, 413))
        self.assertEqual(self.get("/healthz").status, 200)

    def test_garbage_request_line(self):
        # A request the HTTP library refuses before the application sees it: only the status
        # and the server's survival are checked here.
        r = raw_exchange(self.server.host, self.server.port, b"HELLO WORLD\r\n\r\n",
                         timeout=5)
        self.assertIn(r.status, (400, None))
        self.assertStatus(self.get("/healthz"), 200)

    # ---- 415 ---------------------------------------------------------------------------------

    def test_415(self):
        before = self.count_clients()
        body = {"family_name": "Media", "given_name": "Type"}
        for ctype in ("text/plain", None, "application/x-www-form-urlencoded",
                      "application/merge-patch+json", "application/json; charset=iso-8859-1",
                      "application/jsonx", "text/json"):
            with self.subTest(content_type=ctype):
                r = self.post("/api/v1/clients", body, content_type=ctype)
                self.assertProblem(r, 415, "unsupported-media-type")
        self.assertEqual(self.count_clients(), before)
        cl = self.make_client(notes="n")
        path = "/api/v1/clients/%d" % cl["id"]
        for ctype in ("text/plain", None, "application/xml"):
            with self.subTest(patch_content_type=ctype):
                r = self.patch(path, {"notes": "changed"}, content_type=ctype)
                self.assertProblem(r, 415, "unsupported-media-type")
        g = self.get(path)
        self.assertEqual(g.json["notes"], "n")
        self.assertEqual(g.json["version"], 1)

    def test_accepted_media_types(self):
        body = {"family_name": "Media", "given_name": "OK"}
        for ctype in ("application/json", "application/json; charset=utf-8",
                      "application/json;charset=UTF-8", "Application/JSON"):
            with self.subTest(content_type=ctype):
                self.assertStatus(self.post("/api/v1/clients", body, content_type=ctype), 201)
        cl = self.make_client()
        for ctype in ("application/merge-patch+json",
                      "application/merge-patch+json; charset=utf-8"):
            with self.subTest(patch_content_type=ctype):
                r = self.patch("/api/v1/clients/%d" % cl["id"], {"notes": ctype},
                               content_type=ctype)
                self.assertStatus(r, 200)

    # ---- request bodies that break parsers -----------------------------------------------------

    def test_invalid_utf8_is_400(self):
        before = self.count_clients()
        r = self.post("/api/v1/clients",
                      Raw(b'{"family_name":"\xff\xfe","given_name":"Bad"}'))
        self.assertProblem(r, 400)
        self.assertEqual(self.count_clients(), before)

    def test_deep_nesting_does_not_crash(self):
        deep = b'{"family_name":"Deep","given_name":"N","notes":' + b"[" * 200000 + \
            b"]" * 200000 + b"}"
        r = self.post("/api/v1/clients", Raw(deep))
        self.assertIn(r.status, (400, 422), repr(r))
        deep = b"[" * 300000 + b"]" * 300000
        r = self.post("/api/v1/clients", Raw(deep))
        self.assertStatus(r, 400)
        self.assertStatus(self.get("/healthz"), 200)

    def test_huge_url_and_headers_do_not_crash(self):
        host, port = self.server.host, self.server.port
        r = raw_exchange(host, port, b"GET /api/v1/" + b"a" * 200000 + b" HTTP/1.1\r\n"
                         b"Host: x\r\nConnection: close\r\n\r\n", timeout=5)
        self.assertIn(r.status, (None, 400, 404, 414, 431))
        r = raw_exchange(host, port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                         b"b" * 200000 + b"\r\nConnection: close\r\n\r\n", timeout=5)
        self.assertIn(r.status, (None, 400, 413, 431))
        self.assertStatus(self.get("/healthz"), 200)

    # ---- X-Request-Id --------------------------------------------------------------------------

    def test_request_id_echoed(self):
        for rid in ("abc-123_X.y", "a", "A" * 64, "0123456789abcdef"):
            with self.subTest(rid=rid):
                r = self.get("/healthz", headers={"X-Request-Id": rid})
                self.assertEqual(r.header("X-Request-Id"), rid)
        r = self.get("/api/v1/clients/987654321", headers={"X-Request-Id": "missing.1"})
        self.assertEqual(r.header("X-Request-Id"), "missing.1")
        r = self.post("/api/v1/clients", {"x": 1}, headers={"X-Request-Id": "bad-body"})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.header("X-Request-Id"), "bad-body")

    def test_request_id_generated(self):
        seen = set()
        for rid in (None, "A" * 65, "has space", "slash/no", "", "ünïcode", "semi;colon"):
            with self.subTest(rid=rid):
                headers = {} if rid is None else {"X-Request-Id": rid}
                r = self.get("/healthz", headers=headers)
                got = r.header("X-Request-Id")
                self.assertIsNotNone(got)
                self.assertRegex(got, GENERATED_ID)
                self.assertNotEqual(got, rid)
                seen.add(got)
        self.assertEqual(len(seen), 7, "generated ids must differ")

    def test_request_id_on_every_kind_of_response(self):
        cl = self.make_client()
        responses = [
            self.post("/api/v1/clients", {"family_name": "R", "given_name": "Id"}),
            self.get("/api/v1/clients/%d" % cl["id"]),
            self.patch("/api/v1/clients/%d" % cl["id"], {"notes": "x"}),
            self.delete("/api/v1/clients/%d" % cl["id"]),
            self.get("/api/v1/nowhere"),
            self.request("PUT", "/api/v1/clients", {}),
            self.post("/api/v1/clients", Raw("{")),
            self.post("/api/v1/clients", {"a": 1}, content_type="text/plain"),
        ]
        for r in responses:
            self.assertRegex(r.header("X-Request-Id") or "", GENERATED_ID, repr(r))

    # ---- keep-alive ----------------------------------------------------------------------------

    def test_keep_alive_reuses_connection(self):
        conn = http.client.HTTPConnection(self.server.host, self.server.port,
                                          timeout=HTTP_TIMEOUT)
        try:
            r1 = self.get("/healthz", conn=conn)
            self.assertStatus(r1, 200)
            sock = conn.sock
            self.assertIsNotNone(sock, "server closed the connection after one request")
            local = sock.getsockname()
            r2 = self.post("/api/v1/clients", {"family_name": "Keep", "given_name": "Alive"},
                           conn=conn)
            self.assertStatus(r2, 201)
            self.assertIs(conn.sock, sock, "second request needed a new connection")
            r3 = self.get("/api/v1/clients/%d" % r2.json["id"], conn=conn)
            self.assertStatus(r3, 200)
            self.assertIs(conn.sock, sock)
            self.assertEqual(conn.sock.getsockname(), local)
            for r in (r1, r2, r3):
                self.assertNotEqual((r.header("Connection") or "").lower(), "close")
        finally:
            conn.close()

    def test_keep_alive_after_client_error(self):
        conn = http.client.HTTPConnection(self.server.host, self.server.port,
                                          timeout=HTTP_TIMEOUT)
        try:
            self.assertStatus(self.get("/api/v1/clients/987654321", conn=conn), 404)
            self.assertStatus(self.post("/api/v1/clients", {"bad": 1}, conn=conn), 422)
            sock = conn.sock
            self.assertIsNotNone(sock)
            self.assertStatus(self.get("/healthz", conn=conn), 200)
            self.assertIs(conn.sock, sock)
        finally:
            conn.close()

    def test_pipelined_requests(self):
        req = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-1\r\n\r\n" \
              b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-2\r\n" \
              b"Connection: close\r\n\r\n"
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            s.sendall(req)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
        self.assertEqual(data.count(b"HTTP/1.1 200"), 2, data[:500])
        self.assertLess(data.find(b"pipe-1"), data.find(b"pipe-2"))

    # ---- healthz -------------------------------------------------------------------------------

    def test_head_is_get_without_a_body(self):
        cl = self.make_client()
        path = "/api/v1/clients/%d" % cl["id"]
        for p in (path, "/api/v1/clients", "/healthz"):
            with self.subTest(path=p):
                r = self.raw(("HEAD %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                              % p).encode(), read_body=False)
                self.assertEqual(r.status, 200, r.raw[:200])
                self.assertEqual(r.raw, b"")
                self.assertTrue(r.header("X-Request-Id"))
        r = self.raw(("HEAD %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                      % path).encode(), read_body=False)
        self.assertEqual(r.header("ETag"), '"1"')
        r = self.request("PUT", path, {})
        self.assertEqual(r.status, 405)
        self.assertIn("HEAD", [m.strip() for m in r.header("Allow").split(",")])

    def test_healthz(self):
        r = self.get("/healthz")
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"status": "ok"})
        self.assertEqual((r.header("Content-Type") or "").split(";")[0], "application/json")

    def test_http_1_0(self):
        r = self.raw(b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(r.raw), {"status": "ok"})

    # ---- access log ----------------------------------------------------------------------------

    def _wait_for_log(self, start, needles, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            text = self.server.log_since(start)
            if all(n in text for n in needles) or time.monotonic() > deadline:
                return text
            time.sleep(0.05)

    def test_access_log_lines_without_personal_data(self):
        t = token(8)
        secrets = {
            "family": "Secretfamily" + t, "given": "Hiddengiven" + t,
            "other": "Othername" + t, "email": "mail%s@example.com" % t,
            "phone": "+1 212 555 %04d" % (hash(t) % 10000),
            "passport": "PP%s" % t.upper()[:7], "a_number": "A0%08d" % (hash(t) % 10**8),
            "sponsor": "Sponsorname" + t, "receipt": unique_receipt("EAC"),
            "query": "Querysecret" + t, "notes": "Notesecret" + t,
        }
        start = self.server.log_len()
        rids = []

        def h(n):
            rid = "log-%s-%d" % (t, n)
            rids.append(rid)
            return {"X-Request-Id": rid}

        r = self.post("/api/v1/clients", {
            "family_name": secrets["family"], "given_name": secrets["given"],
            "other_names": [secrets["other"]], "email": secrets["email"],
            "phone": secrets["phone"], "passport_number": secrets["passport"],
            "a_number": secrets["a_number"], "notes": secrets["notes"]}, headers=h(1))
        self.assertStatus(r, 201)
        cid = r.json["id"]
        r = self.post("/api/v1/parole-requests", {"client_id": cid, "parole_type": "medical",
                                                  "sponsor_name": secrets["sponsor"]},
                      headers=h(2))
        self.assertStatus(r, 201)
        pid = r.json["id"]
        r = self.post("/api/v1/parole-requests/%d/filings" % pid,
                      {"form": "I-131", "filed_on": "2025-01-02",
                       "receipt_number": secrets["receipt"]}, headers=h(3))
        self.assertStatus(r, 201)
        self.assertStatus(self.get("/api/v1/clients?q=" + secrets["query"], headers=h(4)), 200)
        self.assertStatus(self.get("/api/v1/parole-requests?q=%s&limit=7" % secrets["family"],
                                   headers=h(5)), 200)
        self.assertStatus(self.post("/api/v1/clients", {"family_name": secrets["family"],
                                                        "a_number": "A1"}, headers=h(6)), 422)
        self.assertStatus(self.get("/api/v1/clients/%d" % cid, headers=h(7)), 200)
        self.assertStatus(self.delete("/api/v1/clients/%d" % cid, headers=h(8)), 409)
        log = self._wait_for_log(start, rids)
        for n, rid in enumerate(rids, 1):
            lines = [ln for ln in log.splitlines() if rid in ln]
            self.assertEqual(len(lines), 1, "one access-log line per request for %s:\n%s"
                             % (rid, log[-2000:]))
        status = {1: "201", 2: "201", 3: "201", 4: "200", 5: "200", 6: "422", 7: "200",
                  8: "409"}
        method = {1: "POST", 2: "POST", 3: "POST", 4: "GET", 5: "GET", 6: "POST", 7: "GET",
                  8: "DELETE"}
        for n, rid in enumerate(rids, 1):
            line = [ln for ln in log.splitlines() if rid in ln][0]
            self.assertIn(method[n], line)
            self.assertRegex(line, r"\b%s\b" % status[n])
        low = log.lower()
        for name, value in secrets.items():
            self.assertNotIn(value.lower(), low, "the access log contains the %s" % name)
        # Normalised forms too.
        self.assertNotIn(secrets["receipt"][3:], log)
        self.assertNotIn(secrets["a_number"][1:], log)
        self.assertNotRegex(log, r"[?&](q|limit)=", "query strings must not be logged")

    def test_access_log_uses_route_templates(self):
        # The log names the route, not the concrete path: record ids are identifiers too.
        cl = self.make_client()
        rid = "route-" + token(8)
        start = self.server.log_len()
        r = self.get("/api/v1/clients/%d" % cl["id"], headers={"X-Request-Id": rid})
        self.assertStatus(r, 200)
        log = self._wait_for_log(start, [rid])
        line = [ln for ln in log.splitlines() if rid in ln]
        self.assertEqual(len(line), 1, log[-1000:])
        self.assertNotIn("/api/v1/clients/%d" % cl["id"], line[0])
        # The whole line: UTC time, the request id, method, route pattern, status, the bytes of
        # the body sent and the duration in milliseconds with three decimals.
        m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) request_id=(\S+) method=(\S+)"
                         r" route=(\S+) status=(\d+) bytes=(\d+) duration_ms=(\d+)\.(\d{3})",
                         line[0])
        self.assertIsNotNone(m, line[0])
        logged = time.mktime(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        self.assertLess(abs(logged - time.time()), 120, line[0])
        self.assertEqual(m.group(2, 3, 4, 5), (rid, "GET", "/api/v1/clients/{id}", "200"))
        self.assertEqual(int(m.group(6)), len(r.raw), line[0])
        self.assertLess(int(m.group(7)), HTTP_TIMEOUT * 1000, line[0])


class Shutdown(unittest.TestCase):
    """SIGTERM/SIGINT: clean exit 0, data persists, an idle connection does not block it."""

    def start(self, db_dir=None):
        s = Server(db_dir=db_dir)
        self.addCleanup(s.cleanup)
        self.addCleanup(s.kill)
        return s.start()

    def post(self, s, path, body):
        conn = http.client.HTTPConnection(s.host, s.port, timeout=HTTP_TIMEOUT)
        try:
            headers = {"Content-Type": "application/json"}
            headers.update(s.admin.headers("POST"))
            conn.request("POST", path, body=dumps(body), headers=headers)
            r = conn.getresponse()
            return r.status, json.loads(r.read() or b"null")
        finally:
            conn.close()

    def get(self, s, path):
        conn = http.client.HTTPConnection(s.host, s.port, timeout=HTTP_TIMEOUT)
        try:
            conn.request("GET", path, headers=s.admin.headers("GET"))
            r = conn.getresponse()
            return r.status, json.loads(r.read() or b"null")
        finally:
            conn.close()

    def test_sigterm_clean_exit_and_data_persists(self):
        s = self.start()
        status, body = self.post(s, "/api/v1/clients", {"family_name": "Durable",
                                                        "given_name": "Record"})
        self.assertEqual(status, 201)
        t0 = time.monotonic()
        self.assertEqual(s.stop(), 0, s.log_text()[-2000:])
        self.assertLess(time.monotonic() - t0, 10)
        s2 = Server(db_dir=s.dir)
        s2.own_dir = False
        s2.start()
        self.addCleanup(s2.kill)
        status, got = self.get(s2, "/api/v1/clients/%d" % body["id"])
        self.assertEqual(status, 200)
        self.assertEqual(got, body)
        self.assertEqual(s2.stop(), 0)

    def test_sigint_clean_exit(self):
        s = self.start()
        self.assertEqual(self.get(s, "/healthz")[0], 200)
        s.proc.send_signal(signal.SIGINT)
        try:
            code = s.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.fail("no exit within 10s of SIGINT")
        self.assertEqual(code, 0)

    def test_sigterm_with_idle_and_partial_connections(self):
        s = self.start()
        idle = socket.create_connection((s.host, s.port), timeout=5)
        partial = socket.create_connection((s.host, s.port), timeout=5)
        self.addCleanup(idle.close)
        self.addCleanup(partial.close)
        partial.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finish
        time.sleep(0.2)
        t0 = time.monotonic()
        self.assertEqual(s.stop(), 0, s.log_text()[-2000:])
        self.assertLess(time.monotonic() - t0, 10, "open connections delayed shutdown")

    def test_refuses_to_listen_elsewhere_than_asked(self):
        s = self.start()
        self.assertEqual(s.host, "127.0.0.1")
        self.assertGreater(s.port, 0)
        self.assertEqual(s.stop(), 0)


if __name__ == "__main__":
    unittest.main()


class MaxBody(ApiTestCase):
    """--max-body sets the body limit."""

    server_args = ("--max-body", "1000")

    def send(self, size):
        body = b'{"family_name":"Small","given_name":"Limit"}'
        body += b" " * (size - len(body))
        return self.post("/api/v1/clients", Raw(body))

    def test_configured_limit(self):
        self.assertStatus(self.send(1000), 201)
        self.assertProblem(self.send(1001), 413, "payload-too-large")
        r = self.raw(b"POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     b"application/json\r\nContent-Length: 5000\r\n\r\n", timeout=5)
        self.assertEqual(r.status, 413)


class Routes(unittest.TestCase):
    """`paroletrack routes` and the spec describe the same routes."""

    def test_routes_match_spec(self):
        from harness import BIN, validator
        out = subprocess.run([BIN, "routes"], capture_output=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        routes = set()
        for line in out.stdout.decode().splitlines():
            if line.strip():
                method, path, _permission = line.split()
                routes.add((method, path))
        spec = validator().spec
        self.assertIsNotNone(spec, "api-spec/openapi.yaml is missing")
        documented = set()
        for path, item in spec["paths"].items():
            for method in item:
                if method in ("get", "post", "put", "patch", "delete", "head", "options"):
                    documented.add((method.upper(), path))
        self.assertEqual(sorted(routes - documented), [], "routes missing from the spec")
        self.assertEqual(sorted(documented - routes), [], "spec operations the server lacks")
