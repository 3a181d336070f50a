#!/usr/bin/python3
"""The sign-ins of tests/reliability/mixed_load.sh: for SECONDS, one after another, a paralegal
signs in with a password (argon2id: the server's costliest request), reads their session with
the cookie it got, and signs out. Prints "sign-ins: N, not 2xx: M, p50 X ms, p99 Y ms" (the
sign-in's own time); exits 1 when any answer was not 2xx.

usage: sign_ins.py BASE_URL EMAIL PASSWORD_FILE SECONDS"""

import http.client
import json
import sys
import time
import urllib.parse


def main():
    url = urllib.parse.urlparse(sys.argv[1])
    email, password = sys.argv[2], open(sys.argv[3]).read().strip()
    end = time.monotonic() + float(sys.argv[4])
    times, bad = [], []
    while time.monotonic() < end:
        c = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            t = time.monotonic()
            c.request("POST", "/api/v1/session", body=json.dumps({"email": email,
                                                                  "password": password}),
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            body = json.loads(r.read() or b"{}")
            times.append((time.monotonic() - t) * 1000)
            if r.status != 201:
                bad.append(("sign in", r.status))
                continue
            cookie = r.getheader("Set-Cookie").split(";")[0]
            headers = {"Cookie": cookie}
            c.request("GET", "/api/v1/session", headers=headers)
            r = c.getresponse()
            r.read()
            if r.status != 200:
                bad.append(("session", r.status))
            csrf = body.get("csrf_token")
            if csrf:
                headers["X-CSRF-Token"] = csrf
            c.request("DELETE", "/api/v1/session", headers=headers)
            r = c.getresponse()
            r.read()
            if r.status not in (200, 204):
                bad.append(("sign out", r.status))
        except (OSError, http.client.HTTPException, ValueError) as e:
            bad.append(("error", str(e)))
        finally:
            c.close()
        time.sleep(0.2)
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(len(times) * q))] if times else 0
    print("sign-ins: %d, not 2xx: %d%s, p50 %.0f ms, p99 %.0f ms"
          % (len(times), len(bad), " (%s)" % bad[:3] if bad else "", p(0.5), p(0.99)))
    sys.exit(1 if bad or not times else 0)


if __name__ == "__main__":
    main()
