#!/usr/bin/env bash
# The benchmark kit of issue 11: one command that builds what it needs, generates (or reuses) a
# large firm through the store, and measures the real binary side by side with two reference
# servers it builds itself over the same database file: a bare libmicrohttpd + SQLite + jansson
# point read (reference_mhd.c, the stack's limit) and a Node fastify + better-sqlite3 server
# (reference-node/, what a team would build instead). Prints two Markdown tables: every
# workload (req/s, p50, p99, server CPU time per request, server RSS, ratio to each reference)
# and every budget of issue 11 with the measured figure and met / not met.
#
# usage: tests/bench/kit.sh [--clients N] [--requests M] [--seconds S] [--build DIR]
#        [--browser-loads K]
#   defaults: --clients 100000 --requests 250000 --seconds 10 --build build-bench (release)
#   the 2,000-case run: tests/bench/kit.sh --clients 2000 --requests 2000
#
# Needs wrk (apt-get install wrk), node and npm (the Node reference is installed with npm ci in
# tests/bench/reference-node/, the browser timing uses the repository's playwright-core and
# /usr/bin/chromium), curl and sqlite3. Everything listens on 127.0.0.1, on free ports; every
# server the kit starts is stopped when it ends. The generated firm is cached in
# BUILD/bench-cache/ (its dates are relative to the day it was made, so a cache of another day
# is made anew). A workload slower than 200 ms a request is timed with sequential requests
# (5 of them, 3 past 2 s) instead of wrk, so the kit stays minutes long before the deadline ledger lands.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
clients=100000 requests=250000 seconds=10 build=$root/build-bench browser_loads=5
while [ $# -gt 0 ]; do
  case $1 in
    --clients) clients=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --browser-loads) browser_loads=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
  esac
done
for tool in wrk node npm curl sqlite3; do
  command -v $tool >/dev/null || { echo "kit: $tool is not installed"; exit 1; }
done
export TZ=America/New_York
log() { echo "kit: $*" >&2; }

# 1. Build: the release binary, the generator and the bare reference; install the Node one.
[ -d "$build" ] || meson setup --buildtype=release "$build" "$root" >/dev/null
ninja -C "$build" -j2 server/paroletrack tests/generate_firm tests/reference_mhd >/dev/null
bin=$build/server/paroletrack
if [ ! -d "$here/reference-node/node_modules/better-sqlite3" ]; then
  log "npm ci in tests/bench/reference-node"
  (cd "$here/reference-node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# 2. The firm: cached per size and day.
cache=$build/bench-cache
mkdir -p "$cache"
firm=$cache/firm-$clients-$requests
today=$(date +%F)
if [ ! -f "$firm.creds" ] || [ "$(sed -n 's/^generated_on=//p' "$firm.creds")" != "$today" ]; then
  rm -f "$firm.db" "$firm.db.key" "$firm.creds" "$firm.db-wal" "$firm.db-shm"
  log "generating $clients clients and $requests parole requests (cached in $cache)"
  "$build/tests/generate_firm" --db "$firm.db" --clients "$clients" --requests "$requests" \
    >"$firm.creds.new" 2>"$firm.log" || { cat "$firm.log"; exit 1; }
  echo "generated_on=$today" >>"$firm.creds.new"
  echo "generation=$(tail -1 "$firm.log" | sed 's/^generate_firm: //')" >>"$firm.creds.new"
  mv "$firm.creds.new" "$firm.creds"
  tail -1 "$firm.log" >&2
fi
key=$(sed -n 's/^api_key=//p' "$firm.creds")
feed=$(sed -n 's/^feed_token=//p' "$firm.creds")

# 3. A working copy: the server writes (POSTs, audit) into it, never into the cache.
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -n "${KIT_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
cp "$firm.db" "$work/firm.db"
cp "$firm.db.key" "$work/firm.db.key"
# A paralegal to sign in as in the browser (password on standard input, never printed).
password="Kit-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
echo "$password" | "$bin" user add --db "$work/firm.db" --email today@bench.paroletrack.invalid \
  --name "Today Bench" --role paralegal >/dev/null 2>&1
slow=""
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
serve_args=(serve --db "$work/firm.db" --timezone America/New_York)

# 4. Cold start: from exec to the first /healthz answer, five times, the median.
cold=()
for _ in 1 2 3 4 5; do
  port=$(free_port)
  start=$(now_ms)
  "$bin" "${serve_args[@]}" --listen 127.0.0.1:$port 2>/dev/null &
  p=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.002; done
  cold+=($(($(now_ms) - start)))
  kill $p; wait $p 2>/dev/null || true
done
cold_ms=$(printf '%s\n' "${cold[@]}" | median)

# 5. The three servers, each on a free port of 127.0.0.1.
# start_server LOG COMMAND...: start it in the background and wait for "listening on"; leaves
# its pid in $started and its base URL in $started_base.
start_server() {
  local out=$1; shift
  "$@" >"$out" 2>&1 &
  started=$!
  pids+=($started)
  for _ in $(seq 600); do grep -q "listening on" "$out" && break; sleep 0.05; done
  started_base=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$out" | head -1 | sed 's/listening on //')
}
start_server "$work/serve.log" "$bin" "${serve_args[@]}" --listen 127.0.0.1:0
server=$started base=$started_base
start_server "$work/mhd.log" "$build/tests/reference_mhd" "$work/firm.db" 0
ref=$started ref_base=$started_base
start_server "$work/node.log" node "$here/reference-node/server.js" "$work/firm.db" 0
node_pid=$started node_base=$started_base
[ -n "$base" ] && [ -n "$ref_base" ] && [ -n "$node_base" ] || {
  cat "$work"/*.log
  exit 1
}

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
# to_ms LATENCY: wrk's "1.23ms" / "850.00us" / "1.20s" in milliseconds.
to_ms() { echo "$1" | awk '/us$/ {printf "%.2f", $1 / 1000; next} /ms$/ {printf "%.2f", $1 + 0; next} /s$/ {printf "%.2f", $1 * 1000}'; }

# settle PID: wait until the server has finished what wrk left queued (its CPU time stops
# growing), so one workload's backlog never lands on the next one's figures.
settle() {
  local a b
  for _ in $(seq 400); do
    a=$(cpu_ticks "$1"); sleep 0.3; b=$(cpu_ticks "$1")
    [ $((b - a)) -le 1 ] && return
  done
}

# measure PID NAME URL [wrk args...]: one workload against the server PID. A probe request
# first: slower than 200 ms, it is timed with 5 sequential requests; else wrk (2 threads, 32
# connections, $seconds s). Appends "name|server|rps|p50|p99|cpu_us|rss" to $work/rows.
measure() {
  local pid=$1 name=$2 url=$3; shift 3
  local auth=() before after out rps p50 p99 n probe
  if [[ $url == "$base"* && $url != *token=* ]]; then auth=(-H "Authorization: Bearer $key"); fi
  settle "$pid"
  probe=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "${auth[@]}" "${url//%d/1}" || true)
  if [ "${probe%% *}" != 200 ]; then
    echo "$name|$pid|error ${probe%% *}||||" >>"$work/rows"
    return
  fi
  before=$(cpu_ticks "$pid")
  if awk -v t="${probe#* }" 'BEGIN {exit !(t > 0.2)}'; then
    before=$(cpu_ticks "$pid") # the probe's CPU is left out: n counts it, so a slight underestimate
    local times=("${probe#* }") runs=4
    awk -v t="${probe#* }" 'BEGIN {exit !(t > 2)}' && runs=2
    awk -v t="${probe#* }" 'BEGIN {exit !(t > 10)}' && runs=1 && slow=1
    for _ in $(seq $runs); do times+=($(curl -s -o /dev/null -w '%{time_total}' "${auth[@]}" "${url//%d/1}" || true)); done
    after=$(cpu_ticks "$pid")
    p50=$(printf '%s\n' "${times[@]}" | median | awk '{printf "%.0f", $1 * 1000}')
    p99=$(printf '%s\n' "${times[@]}" | sort -n | tail -1 | awk '{printf "%.0f", $1 * 1000}')
    rps=$(awk -v m="$p50" 'BEGIN {printf "%.1f", 1000 / m}')
    n=$((runs + 1))
    echo "$name ($n sequential)|$pid|$rps|$p50|$p99|$(awk -v t=$((after - before)) -v hz="$hz" -v n=$n 'BEGIN {printf "%.0f", t / hz / n * 1e6}')|$(rss_mib "$pid")" >>"$work/rows"
    return
  fi
  if [[ $url == *%d* ]]; then
    local host
    host=$(echo "$url" | sed -E 's#^(http://[^/]+).*#\1#')
    out=$(PATH_TEMPLATE=${url#"$host"} MAX_ID=${MAX_ID:-$requests} wrk --latency --timeout 10s -t2 -c32 \
      -d"${seconds}s" "${auth[@]}" -s "$here/read_id.lua" "$host" 2>&1)
  else
    out=$(wrk --latency --timeout 10s -t"${WRK_THREADS:-2}" -c"${WRK_CONNECTIONS:-32}" \
      -d"${seconds}s" "${auth[@]}" "$@" "$url" 2>&1)
  fi
  after=$(cpu_ticks "$pid")
  settle "$pid"
  if echo "$out" | grep -q "Non-2xx"; then
    echo "$name|$pid|errors: $(echo "$out" | grep Non-2xx | tr -s ' ')||||" >>"$work/rows"
    return
  fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
  p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$name|$pid|$rps|$p50|$p99|$(awk -v t=$((after - before)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.1f", t / hz / n * 1e6}')|$(rss_mib "$pid")" >>"$work/rows"
}

from=$(date +%F)
to=$(date -d "+14 days" +%F)
: >"$work/rows"
log "point reads"
measure "$ref" "GET parole request by id: reference_mhd" "$ref_base/parole-requests/%d"
measure "$node_pid" "GET parole request by id: reference-node" "$node_base/parole-requests/%d"
measure "$server" "GET parole request by id: paroletrack (API key)" "$base/api/v1/parole-requests/%d"
MAX_ID=$clients measure "$server" "GET client by id: paroletrack (audited read)" "$base/api/v1/clients/%d"
log "firm-wide reads"
measure "$server" "GET deadlines, next 14 days" "$base/api/v1/deadlines?from=$from&to=$to"
measure "$server" "GET deadlines?status=overdue" "$base/api/v1/deadlines?status=overdue"
measure "$server" "GET stats" "$base/api/v1/stats"
measure "$server" "GET parole requests?stage=filed (a page of 50)" "$base/api/v1/parole-requests?stage=filed&limit=50"
# A calendar application fetches its user's feed one request at a time: the budget's figure. The
# 32-connection row shows the same feed fetched by 32 clients at once (on two cores).
WRK_THREADS=1 WRK_CONNECTIONS=1 measure "$server" "GET calendar.ics of a busy attorney (one client)" \
  "$base/api/v1/calendar.ics?token=$feed"
measure "$server" "GET calendar.ics of a busy attorney (32 connections)" "$base/api/v1/calendar.ics?token=$feed"

# The guard: past 10 s for one firm-wide read, or past KIT_MAX_RSS_MIB (3072) of server memory,
# the Today page (twelve reads at once) and the browser are not run: they would take
# minutes and several times the memory of one read, on a machine other work shares.
guard_mib=${KIT_MAX_RSS_MIB:-3072}
guarded=""
if [ -n "$slow" ] || awk -v r="$(rss_mib "$server")" -v g="$guard_mib" 'BEGIN {exit !(r > g)}'; then
  slowest=$(awk -F'|' '$1 ~ /^GET (deadlines|stats)/ && $4 ~ /^[0-9.]+$/ && $4 + 0 > m {m = $4 + 0} END {print m + 0}' "$work/rows")
  guarded="not run (guard: a firm-wide read takes over 10 s or the server holds over $guard_mib MiB, and the page makes twelve reads at once); at least $slowest ms, its slowest call alone"
fi
today_p50="" today_p95=""
browser="not run"
if [ -z "$guarded" ]; then
log "the Today page's API calls"
settle "$server"
read -r today_p50 today_p95 < <(/usr/bin/python3 "$here/today_load.py" "$base" "$key" 5 --raw)

log "the Today page in the browser"
if [ -x /usr/bin/chromium ] && [ -d "$root/node_modules/playwright-core" ]; then
  read -r browser_p50 browser_max < <(node "$here/today_browser.mjs" "$base" today@bench.paroletrack.invalid "$password" "$browser_loads") &&
    browser="$browser_p50 ms (slowest of $browser_loads: $browser_max ms)"
fi
else
  browser=$guarded
fi

log "durable writes"
# SQLite's own single-commit rate on the same disk: one row per transaction, WAL, FULL sync
# (the server's settings), 2,000 commits from the sqlite3 shell, three times (the median), right
# before the server's durable writes and with the server idle (a shared disk varies a lot).
{
  echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
  echo "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);"
  for i in $(seq 2000); do echo "INSERT INTO t (body) VALUES ('row $i of the commit-rate test');"; done
} >"$work/commits.sql"
settle "$server"
rates=()
for _ in 1 2 3; do
  rm -f "$work"/commits.db*
  start=$(date +%s%N)
  sqlite3 "$work/commits.db" <"$work/commits.sql" >/dev/null
  rates+=($(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN {printf "%.0f", 2000 / (ns / 1e9)}'))
done
sqlite_rate=$(printf '%s\n' "${rates[@]}" | median)
measure "$server" "POST client (durable write)" "$base/api/v1/clients" -s "$here/create_client.lua"
rss_end=$(rss_mib "$server")
peak_end=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")

log "remind"
remind_runs=3
if [ -n "$guarded" ]; then
  # Its memory and the server's together could exhaust the machine: stop the server first.
  kill "$server"; wait "$server" 2>/dev/null || true
  remind_runs=1
fi
remind=()
for _ in $(seq $remind_runs); do
  start=$(now_ms)
  "$bin" remind --dry-run --db "$work/firm.db" --timezone America/New_York >/dev/null 2>&1
  remind+=($(($(now_ms) - start)))
done
remind_ms=$(printf '%s\n' "${remind[@]}" | median)
# Then the real thing, twice: the first run prints and records every reminder due (none was
# sent before: the worst night), the second is an ordinary night after it (nothing new).
time_remind() {
  local start
  start=$(now_ms)
  "$bin" remind --db "$work/firm.db" --timezone America/New_York >"$work/remind.out" 2>&1 || true
  echo $(($(now_ms) - start))
}
remind_first_ms=$(time_remind)
remind_count=$(sed -n 's/^paroletrack reminders for [0-9-]*: //p' "$work/remind.out" | head -1)
remind_next_ms=$(time_remind)

# 6. The tables.
ref_rps=$(awk -F'|' 'NR == 1 {print $3}' "$work/rows")
node_rps=$(awk -F'|' 'NR == 2 {print $3}' "$work/rows")
echo "Firm: $clients clients, $requests parole requests (generated through the store: $(sed -n 's/^generation=//p' "$firm.creds")); wrk -t2 -c32 -d${seconds}s; $(date +%F), $(nproc) cores, $(uname -r)"
echo
echo "| workload | req/s | p50 | p99 | server CPU per request | server RSS | vs reference_mhd | vs reference-node |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
while IFS='|' read -r name _ rps p50 p99 cpu rss; do
  ratio_ref="" ratio_node=""
  if [[ $name == *"parole request by id"* && $rps =~ ^[0-9.]+$ ]]; then
    ratio_ref=$(awk -v a="$rps" -v b="$ref_rps" 'BEGIN {printf "%.2fx", a / b}')
    ratio_node=$(awk -v a="$rps" -v b="$node_rps" 'BEGIN {printf "%.2fx", a / b}')
  fi
  echo "| $name | $rps | ${p50:+$p50 ms} | ${p99:+$p99 ms} | ${cpu:+$cpu µs} | ${rss:+$rss MiB} | $ratio_ref | $ratio_node |"
done <"$work/rows"
echo "| SQLite's own single-commit rate (sqlite3 shell, WAL, FULL) | $sqlite_rate | | | | | | |"
echo
# budget TEXT FIGURE MET: one row of the budget table (MET is 1 or 0).
budget() { echo "| $1 | $2 | $([ "$3" = 1 ] && echo met || echo "**not met**") |"; }
row() { awk -F'|' -v n="$1" 'index($1, n) == 1' "$work/rows" | head -1; }
field() { row "$1" | cut -d'|' -f"$2"; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a != "" && a + 0 <= b + 0)}' && echo 1 || echo 0; }
echo "| budget of issue 11 (set for 100,000 clients and 250,000 requests; this run: $clients and $requests) | measured | |"
echo "|---|---:|---|"
for w in "GET deadlines, next 14 days" "GET deadlines?status=overdue" "GET stats" "GET parole requests?stage=filed"; do
  budget "$w: p99 <= 20 ms" "$(field "$w" 5) ms" "$(le "$(field "$w" 5)" 20)"
done
budget "the whole Today page's API calls <= 100 ms" "${today_p50:+$today_p50 ms (p95 $today_p95 ms, 5 loads)}${guarded}" "$(le "$today_p50" 100)"
budget "remind over the whole firm < 5 s (the first run: every reminder new, printed and recorded)" \
  "$remind_first_ms ms (${remind_count:-0} reminders; --dry-run $remind_ms ms; the next night $remind_next_ms ms)" \
  "$(le "$remind_first_ms" 4999)"
budget "a busy user's calendar feed < 100 ms (one client)" "p99 $(field "GET calendar.ics of a busy attorney (one" 5) ms" \
  "$(le "$(field "GET calendar.ics of a busy attorney (one" 5)" 99.99)"
budget "cold start < 200 ms" "$cold_ms ms" "$(le "$cold_ms" 199)"
budget "server RSS <= 64 MiB after all of the above" "$rss_end MiB (peak $peak_end MiB)" "$(le "$rss_end" 64)"
pr=$(field "GET parole request by id: paroletrack" 3)
budget "authenticated GET /parole-requests/{id} >= 0.7x the bare reference" \
  "$(awk -v a="$pr" -v b="$ref_rps" 'BEGIN {printf "%.2fx (%s vs %s req/s)", a / b, a, b}')" \
  "$(awk -v a="$pr" -v b="$ref_rps" 'BEGIN {print (a >= 0.7 * b) ? 1 : 0}')"
post=$(field "POST client" 3)
budget "durable POST >= 0.8x SQLite's own single-commit rate" \
  "$(awk -v a="$post" -v b="$sqlite_rate" 'BEGIN {printf "%.2fx (%s vs %s/s)", a / b, a, b}')" \
  "$(awk -v a="$post" -v b="$sqlite_rate" 'BEGIN {print (a >= 0.8 * b) ? 1 : 0}')"
echo
echo "Dashboard Today page in Chromium (navigation to every list rendered, median): $browser"
