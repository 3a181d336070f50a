#!/usr/bin/python3
"""Time what the dashboard's Today page asks of the server, the way the browser asks it: seven
calls side by side (six connections, as a browser opens), then the names of the clients they
mention (GET /api/v1/clients?id=..., 200 ids a call, side by side too). Prints one Markdown table row (median and
p95 wall time of LOADS loads, 20 unless given), or with --raw the median and p95 in ms.

usage: today_load.py BASE_URL API_KEY [LOADS] [--raw]
"""
import concurrent.futures
import datetime
import http.client
import json
import statistics
import sys
import time
import zoneinfo

raw = "--raw" in sys.argv
args = [a for a in sys.argv[1:] if a != "--raw"]
base, key = args[0], args[1]
loads = int(args[2]) if len(args) > 2 else 20
host, port = base.replace("http://", "").split(":")


def get_all(path):
    """Every page of a list endpoint; returns the client ids its items mention."""
    conn = http.client.HTTPConnection(host, int(port))
    cursor, count = None, []
    while True:
        sep = "&" if "?" in path else "?"
        url = path + sep + "limit=200" + ("&cursor=" + cursor if cursor else "")
        conn.request("GET", url, headers={"Authorization": "Bearer " + key})
        r = conn.getresponse()
        body = json.loads(r.read())
        assert r.status == 200, (r.status, body)
        count += [item["client_id"] for item in body.get("items", [])]
        cursor = body.get("next_cursor")
        if not cursor:
            conn.close()
            return count


def today_page():
    today = datetime.datetime.now(zoneinfo.ZoneInfo("America/New_York")).date()
    soon, ninety = today + datetime.timedelta(days=14), today + datetime.timedelta(days=90)
    calls = ["/api/v1/deadlines?status=overdue",
             "/api/v1/deadlines?from=%s&to=%s" % (today, soon),
             "/api/v1/deadlines?kind=rfe_response",
             "/api/v1/deadlines?kind=noid_response",
             "/api/v1/deadlines?kind=parole_end&from=%s&to=%s" % (today, ninety),
             "/api/v1/parole-requests?unguarded=true",
             "/api/v1/stats"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        mentioned = sorted({i for ids in pool.map(get_all_or_stats, calls) for i in ids})
    chunks = [mentioned[i:i + 200] for i in range(0, len(mentioned), 200)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(names_of, chunks))


def names_of(ids):
    conn = http.client.HTTPConnection(host, int(port))
    conn.request("GET", "/api/v1/clients?limit=200&id=" + ",".join(str(i) for i in ids),
                 headers={"Authorization": "Bearer " + key})
    r = conn.getresponse()
    r.read()
    assert r.status == 200, r.status
    conn.close()


def get_all_or_stats(path):
    if path == "/api/v1/stats":
        conn = http.client.HTTPConnection(host, int(port))
        conn.request("GET", path, headers={"Authorization": "Bearer " + key})
        r = conn.getresponse()
        r.read()
        assert r.status == 200
        conn.close()
        return []
    return get_all(path)


today_page()  # warm the server's statement caches
times = []
for _ in range(loads):
    start = time.perf_counter()
    today_page()
    times.append((time.perf_counter() - start) * 1000)
times.sort()
p95 = times[max(int(len(times) * 0.95) - 1, 0)]
if raw:
    print("%.0f %.0f" % (statistics.median(times), p95))
    sys.exit(0)
print("| Today page: all its API calls, as the browser makes them | %.0f ms | %.0f ms |"
      % (statistics.median(times), p95))
