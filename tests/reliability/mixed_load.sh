#!/usr/bin/env bash
# The sustained mixed load of issue 14: a firm generated through the store (--clients N, with a
# parole request each), the server on a free loopback port, and wrk (2 threads, 32 connections)
# driving tests/reliability/mixed.lua for --seconds S (600 in the long run): reads by id, list
# pages, searches, the Today page's firm-wide reads and durable writes, while a paralegal signs
# in with a password, reads the session and signs out (sign_ins.py). Every 5 s the server's
# RSS and the WAL's size are sampled. Prints the rate, p50/p99, the answers that were not 2xx,
# and RSS and WAL over the run; fails on any error, on RSS that keeps growing (in a run of five
# minutes or more, the last third's median over the first third's by more than a quarter and
# 8 MiB) or a WAL over 64 MiB.
#
# usage: tests/reliability/mixed_load.sh [--seconds S] [--clients N] [--build DIR]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=60 clients=2000 build=$root/build-dev
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "mixed load: wrk is not installed"; exit 1; }
. "$here/firm.sh"
firm_make "$build" "$clients"
# a paralegal who signs in with a password beside the load (tests/reliability/sign_ins.py)
echo "Sunflower-Harbor-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$work/password"
"$bin" user add --db "$firm" --email mixed@bench.paroletrack.invalid \
  --name "Mixed Paralegal" --role paralegal <"$work/password" >/dev/null 2>&1 || exit 1
# wrk's 32 connections all come from 127.0.0.1: the per-address limit (32) would refuse one
# that reconnects before the server saw its old one close, as a reverse proxy's would be
firm_serve --per-ip-connections 64
# the samples: seconds since the start, RSS in KiB, WAL in bytes
(
  start=$(date +%s)
  while kill -0 "$server" 2>/dev/null; do
    echo "$(($(date +%s) - start)) $(awk '/VmRSS/ {print $2}' "/proc/$server/status") $(stat -c %s "$firm-wal" 2>/dev/null || echo 0)"
    sleep 5
  done
) >"$work/samples" &
sampler=$!
/usr/bin/python3 "$here/sign_ins.py" "$base" mixed@bench.paroletrack.invalid "$work/password" \
  "$seconds" >"$work/sign_ins" 2>&1 &
signer=$!
out=$(MAX_ID=$clients FROM=$(date +%F) TO=$(date -d '+14 days' +%F) wrk --latency --timeout 10s \
  -t2 -c32 -d"${seconds}s" -H "Authorization: Bearer $key" -s "$here/mixed.lua" "$base" 2>&1)
wait "$signer"
signed=$?
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
socket=$(echo "$out" | awk '/Socket errors/ {print}')
# RSS: the median of the first and of the last third of the samples (a sign-in's 64 MiB of
# argon2id, in flight at some samples, is a spike the median leaves out), and the peak
median() { sort -n | awk '{a[NR] = $1} END {printf "%.1f\n", a[int((NR + 1) / 2)]}'; }
n=$(wc -l <"$work/samples")
rss_first=$(awk -v n="$n" 'NR <= n / 3 {print $2 / 1024}' "$work/samples" | median)
rss_last=$(awk -v n="$n" 'NR > 2 * n / 3 {print $2 / 1024}' "$work/samples" | median)
read -r rss_max wal_max < <(awk '$2 > m {m = $2} $3 > w {w = $3}
  END {printf "%.1f %.1f\n", m / 1024, w / 1048576}' "$work/samples")
echo "mixed load: ${seconds} s, ${rps} req/s, p50 ${p50}, p99 ${p99}, not 2xx: ${bad:-0}${socket:+, $socket}; RSS ${rss_first} MiB (median) in the first third, ${rss_last} MiB in the last (peak ${rss_max}); WAL at most ${wal_max} MiB"
echo "mixed load: $(cat "$work/sign_ins")"
status=0
[ "$signed" -eq 0 ] || { echo "mixed load: sign-ins failed"; status=1; }
[ -z "$bad" ] || { echo "mixed load: answers that were not 2xx"; status=1; }
[ -z "$socket" ] || { echo "mixed load: socket errors"; status=1; }
# (judged from five minutes on: a shorter run is mostly the caches filling)
[ "$seconds" -ge 300 ] && awk -v f="$rss_first" -v l="$rss_last" 'BEGIN {exit !(l > f * 1.25 && l > f + 8)}' &&
  { echo "mixed load: RSS kept growing"; status=1; }
awk -v w="$wal_max" 'BEGIN {exit !(w > 64)}' && { echo "mixed load: the WAL grew past 64 MiB"; status=1; }
kill "$server" && wait "$server"
server_rc=$?
server=""
[ "$server_rc" -eq 0 ] || { echo "mixed load: the server exited $server_rc on SIGTERM"; tail -20 "$work/serve.log"; status=1; }
exit $status
