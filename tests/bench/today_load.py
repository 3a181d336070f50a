#!/usr/bin/python3
"""Time what the dashboard's Today page asks of the server on load, the way the browser asks it
(static/today.js): the first page of each of its lists (twelve calls with /stats, side by side
over six kept-alive connections, as a browser opens) then the names of the clients of the
items the page shows (GET /api/v1/clients?id=..., 200 ids a call). A section made of several
lists shows an item only once no unread page can come before it (static/pages.js), so only
those items' names are asked, as the page does. "Show more" is not part of the load. Prints one
Markdown table row (median and p95 wall time of LOADS loads, 20 unless given), or with --raw
the median and p95 in ms.

usage: today_load.py BASE_URL API_KEY [LOADS] [--raw]
"""
import concurrent.futures
import datetime
import http.client
import json
import statistics
import sys
import threading
import time
import zoneinfo

raw = "--raw" in sys.argv
args = [a for a in sys.argv[1:] if a != "--raw"]
base, key = args[0], args[1]
loads = int(args[2]) if len(args) > 2 else 20
host, port = base.replace("http://", "").split(":")
local = threading.local()

# The first page of each list, as static/today.js sizes them (FIRST).
OVERDUE, SOON, RFES, ENDING, UNGUARDED = 8, 50, 25, 50, 25


def get(path):
    """GET path on this thread's kept-alive connection; returns the parsed body."""
    if getattr(local, "conn", None) is None:
        local.conn = http.client.HTTPConnection(host, int(port))
    local.conn.request("GET", path, headers={"Authorization": "Bearer " + key})
    r = local.conn.getresponse()
    body = json.loads(r.read())
    assert r.status == 200, (path, r.status, body)
    return body


def order(item):
    """The deadline lists' order: due date, time, id, request."""
    return (item["due_on"], item.get("due_at") or "", item["id"], item["parole_request_id"])


def shown(pages):
    """The items a section made of these first pages shows: those up to the earliest last item
    among the lists with more (all of them when none has more, or for a single list)."""
    if len(pages) == 1:
        return pages[0]["items"]
    open_lasts = [order(p["items"][-1]) for p in pages if p.get("next_cursor") and p["items"]]
    frontier = min(open_lasts) if open_lasts else None
    return [i for p in pages for i in p["items"] if frontier is None or order(i) <= frontier]


def today_page(pool):
    today = datetime.datetime.now(zoneinfo.ZoneInfo("America/New_York")).date()
    soon, ninety = today + datetime.timedelta(days=14), today + datetime.timedelta(days=90)
    d = "/api/v1/deadlines?"
    sections = [
        [d + "status=overdue&limit=%d" % OVERDUE],
        [d + "status=due_today&limit=%d" % SOON, d + "status=upcoming&to=%s&limit=%d" % (soon, SOON)],
        [d + "kind=%s&status=%s&limit=%d" % (kind, status, RFES)
         for kind in ("rfe_response", "noid_response") for status in ("overdue", "due_today", "upcoming")],
        [d + "kind=parole_end&status=due_today&limit=%d" % ENDING,
         d + "kind=parole_end&status=upcoming&to=%s&limit=%d" % (ninety, ENDING)],
        ["/api/v1/parole-requests?unguarded=true&limit=%d" % UNGUARDED],
    ]
    calls = [path for section in sections for path in section] + ["/api/v1/stats"]
    answers = dict(zip(calls, pool.map(get, calls)))
    mentioned = sorted({i["client_id"] for section in sections
                        for i in shown([answers[path] for path in section])})
    chunks = [mentioned[i:i + 200] for i in range(0, len(mentioned), 200)]
    list(pool.map(lambda ids: get("/api/v1/clients?limit=200&id=" + ",".join(map(str, ids))), chunks))


with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
    today_page(pool)  # warm the server's statement caches and open the connections
    times = []
    for _ in range(loads):
        start = time.perf_counter()
        today_page(pool)
        times.append((time.perf_counter() - start) * 1000)
times.sort()
p95 = times[max(int(len(times) * 0.95) - 1, 0)]
if raw:
    print("%.0f %.0f" % (statistics.median(times), p95))
    sys.exit(0)
print("| Today page: all its API calls, as the browser makes them | %.0f ms | %.0f ms |"
      % (statistics.median(times), p95))
