#!/usr/bin/env bash
# Benchmarks of the real binary on loopback: point reads by id (clients, whose read of
# identifiers is audited, and parole requests whose stage is derived on every read), a list
# page, a search, and durable writes; every request authenticated with an API key.
# Prints a Markdown table (req/s, p99 latency, server CPU time per request, server RSS) for the
# README. Needs wrk (apt-get install wrk). Everything runs on 127.0.0.1 with a free port.
#
# usage: tests/bench/run.sh [BINARY] [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/server/paroletrack}
seconds=${2:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# Every request authenticates with an integration key, as the firm's systems would.
key=$("$bin" api-key add --db "$work/bench.db" --name bench --scopes read,write 2>/dev/null)
"$bin" serve --db "$work/bench.db" --listen 127.0.0.1:0 --timezone America/New_York 2>"$work/server.log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/server.log" && break; sleep 0.05; done
port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/server.log" | sed 's/.*://')
base="http://127.0.0.1:$port"

# Seed 2,000 clients with one parole request each, with a filing and an expiry date.
/usr/bin/python3 - "$base" "$key" <<'PY'
import http.client, json, sys
host, port = sys.argv[1].replace("http://", "").split(":")
c = http.client.HTTPConnection(host, int(port))
def post(path, body):
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json",
                                                "Authorization": "Bearer " + sys.argv[2]})
    r = c.getresponse(); data = r.read()
    assert r.status == 201, (r.status, data)
    return json.loads(data)
for i in range(2000):
    cl = post("/api/v1/clients", {"family_name": "Коваленко%d" % i, "given_name": "Olena",
                                  "citizenship": "UA", "a_number": "A%09d" % (100000 + i)})
    pr = post("/api/v1/parole-requests", {"client_id": cl["id"], "parole_type": "program",
                                          "program": "u4u"})
    post("/api/v1/parole-requests/%d/filings" % pr["id"],
         {"form": "I-131", "filed_on": "2025-01-10", "receipt_number": "IOE%010d" % i})
    post("/api/v1/parole-requests/%d/expirations" % pr["id"],
         {"kind": "i94", "expires_on": "2027-01-10"})
PY

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
hz=$(getconf CLK_TCK)

echo "| workload | req/s | p99 | server CPU per request | server RSS |"
echo "|---|---:|---:|---:|---:|"
# bench NAME WRK_ARGS...: run wrk and print one table row.
bench() {
  local name=$1; shift
  local before after out rps p99 requests
  before=$(cpu_ticks)
  out=$(wrk --latency -t2 -c32 -d"${seconds}s" -H "Authorization: Bearer $key" "$@" 2>&1)
  after=$(cpu_ticks)
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  if echo "$out" | grep -q "Non-2xx"; then echo "| $name | errors: $(echo "$out" | grep Non-2xx) | | | |"; return; fi
  awk -v n="$name" -v r="$rps" -v p="$p99" -v t="$((after - before))" -v hz="$hz" -v q="$requests" -v rss="$(rss_kib)" \
    'BEGIN { printf "| %s | %s | %s | %.1f µs | %.1f MiB |\n", n, r, p, t / hz / q * 1e6, rss / 1024 }'
}
PATH_TEMPLATE=/api/v1/clients/%d MAX_ID=2000 bench "GET client by id (audited read, decrypts)" -s "$here/read_id.lua" "$base"
PATH_TEMPLATE=/api/v1/parole-requests/%d MAX_ID=2000 bench "GET parole request by id (stage derived)" -s "$here/read_id.lua" "$base"
bench "GET client list page (50)" "$base/api/v1/clients?limit=50"
bench "GET search q=коваленко199 (2,000 clients)" "$base/api/v1/clients?q=%D0%BA%D0%BE%D0%B2%D0%B0%D0%BB%D0%B5%D0%BD%D0%BA%D0%BE199"
bench "GET /healthz" "$base/healthz"
today=$(TZ=America/New_York date +%F)
soon=$(TZ=America/New_York date -d "+14 days" +%F)
bench "GET /api/v1/stats (Today's counts and chart)" "$base/api/v1/stats"
bench "GET deadlines, next 14 days (all open requests computed)" "$base/api/v1/deadlines?from=$today&to=$soon"
bench "GET /api/v1/fields (the form catalogue)" "$base/api/v1/fields"
# The Today page as a whole, before the write benchmark adds thousands of clients.
today_row=$(/usr/bin/python3 "$here/today_load.py" "$base" "$key")
bench "POST client (durable write, fsync per commit)" -s "$here/create_client.lua" "$base/api/v1/clients"

echo
echo "| dashboard (2,000 clients and requests) | median | p95 |"
echo "|---|---:|---:|"
echo "$today_row"
