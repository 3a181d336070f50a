"""Slow clients (issue 14): 1,000 slowloris-style connections from one address, half dribbling
their headers a few bytes at a time and half announcing a body and dribbling it, held for
SLOW_SECONDS (10; the long run asks for more) while a normal client on another address polls
/healthz and reads a request. The per-address limit turns most of the slow ones away and the
epoll pool never waits on the rest: the normal client's p99 stays under 50 ms, every one of
its requests is answered, and the server neither crashes nor keeps connections it should have
closed afterwards."""

import os
import random
import selectors
import socket
import time

from harness import ApiTestCase, fresh_source, http_call

SLOW_CONNECTIONS = 1000
SLOW_SECONDS = float(os.environ.get("PAROLETRACK_SLOW_SECONDS", "10"))


class SlowClients(ApiTestCase):

    def open_slow(self, sel, count, key):
        """Open `count` connections from 127.0.0.1 (refused ones are counted, not retried); the
        ones that dribble a body carry a valid API key, so the server waits for the body."""
        opened = refused = 0
        for i in range(count):
            s = socket.socket()
            s.setblocking(False)
            try:
                s.connect_ex((self.server.host, self.server.port))
            except OSError:
                refused += 1
                s.close()
                continue
            body = i % 2 == 1
            head = (b"POST /api/v1/clients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                    b"\r\nAuthorization: Bearer " + key.encode() +
                    b"\r\nContent-Length: 100000\r\n\r\n" if body else
                    b"GET /api/v1/clients HTTP/1.1\r\nHost: x\r\n")
            sel.register(s, selectors.EVENT_WRITE | selectors.EVENT_READ,
                         {"pending": head, "body": body})
            opened += 1
        return opened, refused

    def dribble(self, sel):
        """Send every slow connection one more byte or two (headers: "X-a: b\\r\\n" a piece at
        a time; bodies: one byte). Closed ones are dropped. Returns how many are still open."""
        for key in list(sel.get_map().values()):
            s, state = key.fileobj, key.data
            try:
                chunk = state["pending"][:64] if state["pending"] else (
                    b"{" if state["body"] else b"X-%d: y\r\n" % random.randint(0, 9))
                if state["pending"]:
                    state["pending"] = state["pending"][64:]
                s.send(chunk)
                s.recv(4096, socket.MSG_DONTWAIT)
            except BlockingIOError:
                pass
            except OSError:
                sel.unregister(s)
                s.close()
        return len(sel.get_map())

    def test_a_normal_client_is_served_beside_1000_slow_ones(self):
        cl = self.make_client()
        source = fresh_source()
        sel = selectors.DefaultSelector()
        opened, _ = self.open_slow(sel, SLOW_CONNECTIONS, self.make_key(("read", "write")).key)
        latencies, failures = [], []
        end = time.monotonic() + SLOW_SECONDS
        last_dribble = 0.0
        held = []  # slow connections still open after each dribble
        try:
            while time.monotonic() < end:
                if time.monotonic() - last_dribble > 1.0:
                    held.append(self.dribble(sel))
                    last_dribble = time.monotonic()
                for method, path in (("GET", "/healthz"), ("GET", "/api/v1/clients/%d" % cl["id"])):
                    t = time.monotonic()
                    try:
                        r = http_call(self.server.host, self.server.port, method, path,
                                      headers=self.server.admin.headers(method), source=source,
                                      timeout=5)
                        if r.status != 200:
                            failures.append(r.status)
                    except OSError as e:
                        failures.append(str(e))
                    latencies.append((time.monotonic() - t) * 1000)
                time.sleep(0.02)
        finally:
            for key in list(sel.get_map().values()):
                key.fileobj.close()
            sel.close()
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        print("slow clients: %d opened, %d held at the end; the normal client's p99 %.1f ms "
              "over %d requests" % (opened, held[-1] if held else 0, p99, len(latencies)))
        self.assertEqual(failures, [])
        self.assertGreater(len(latencies), 50)
        self.assertLess(p99, 50, "the normal client waited behind the slow ones")
        # afterwards the server still answers, from the slow clients' own address too
        time.sleep(0.5)
        self.assertEqual(http_call(self.server.host, self.server.port, "GET", "/healthz").status,
                         200)
