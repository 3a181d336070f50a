#!/usr/bin/env bash
# SQL injection (issue 14): sqlmap (Debian's package, installed when missing) against every
# route but the DELETEs: the integration routes with an API key, the admin's and the signed-in
# user's routes with an admin's session (cookie and CSRF token), the sign-in and the calendar
# feed without credentials. Each target is a request the server accepts
# (tests/reliability/sqlmap_targets.py makes them from the spec and `paroletrack routes`, with
# real ids and valid values, and checks each once), so sqlmap's payloads reach the code behind
# the validators: each query parameter, each id in the path (marked with *), each value of a
# JSON body and, from level 2 on, the headers. The server runs on a free loopback port over a
# small firm generated through the store. Prints one line per target and "sqlmap level L risk
# R: N targets, M injectable, F failed" last (each target's sqlmap output in BUILD/sqlmap-logs); exits 1 when any target is injectable, sqlmap
# fails, the admin's session stops working, or the server dies.
#
# usage: tests/reliability/sqlmap.sh [--level L] [--risk R] [--only SUBSTRING] [--build DIR]
#   the long run: --level 5 --risk 3 (hours); default --level 1 --risk 1
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
level=1 risk=1 only="" build=$root/build-dev
while [ $# -gt 0 ]; do
  case $1 in
    --level) level=$2; shift 2 ;;
    --risk) risk=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
  esac
done
command -v sqlmap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sqlmap >/dev/null || exit 1
. "$here/firm.sh"
firm_make "$build" 50
# the admin whose session scans the admin's routes (a TOTP second factor is enrolled by the
# targets script)
echo "Quiet-Meadow-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$work/password"
"$bin" user add --db "$firm" --email sqlmap-admin@example.org --name "Scan Admin" \
  --role admin <"$work/password" >/dev/null 2>&1 || exit 1
firm_serve
/usr/bin/python3 "$here/sqlmap_targets.py" "$root/api-spec/openapi.yaml" "$bin" "$firm" "$base" \
  "$key" sqlmap-admin@example.org "$work/password" "$(sed -n 's/^feed_token=//p' "$work/creds")" \
  >"$work/targets" || exit 1
IFS=$'\t' read -r _ key metrics_key cookie csrf <"$work/targets"
# session_works: whether the admin's session still signs requests (sqlmap must not have ended
# it, or the rest of the scan would test only 401s)
session_works() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/api/v1/session")" = 200 ]
}
# each target's whole sqlmap output, kept for reading after the run
logs=$build/sqlmap-logs
rm -rf "$logs" && mkdir -p "$logs"
targets=0 injectable=0 failed=0
while IFS=$'\t' read -r method url auth content_type body renew; do
  [ -n "$only" ] && [[ $url != *"$only"* ]] && continue
  targets=$((targets + 1))
  # an id in the path is a place to inject too
  marked=$(echo "$url" | sed -E 's#/([0-9]+)(/|\?|$)#/\1*\2#g')
  args=(-u "$base$marked" --method "$method" --batch --level "$level" --risk "$risk"
        --flush-session --output-dir "$work/sqlmap" --disable-coloring --dbms SQLite
        --drop-set-cookie --ignore-code 401 --answers "custom injection=Y,URI=Y")
  case $auth in
    key) args+=(-H "Authorization: Bearer $key") ;;
    metrics) args+=(-H "Authorization: Bearer $metrics_key") ;;
    session) args+=(--cookie "$cookie" -H "X-CSRF-Token: $csrf") ;;
  esac
  [ -n "$body" ] && args+=(--data "$body" -H "Content-Type: $content_type")
  # values that must differ on every request (an e-mail address of a new user, say)
  [ -n "$renew" ] && args+=(--eval "$renew")
  out=$(sqlmap "${args[@]}" 2>&1)
  rc=$?
  printf '%s\n' "$out" >"$logs/$(printf %03d $targets).log"
  # a confirmed point only: sqlmap also says a parameter "appears to be injectable" before its
  # false-positive check turns the guess down (a POST creates a new record each time)
  if echo "$out" | grep -qiE "is vulnerable|identified the following injection point"; then
    injectable=$((injectable + 1)); verdict="INJECTABLE"
    echo "$out" | grep -iE "Parameter:|Type:|Title:" | head -10
  elif [ $rc -ne 0 ] || echo "$out" | grep -qE "\[CRITICAL\] (unable to connect|connection refused)"; then
    failed=$((failed + 1)); verdict="sqlmap failed (exit $rc)"
    echo "$out" | tail -5
  else
    verdict="not injectable ($(echo "$out" | grep -oE '^[0-9]{3} \([A-Za-z ]+\) - [0-9]+ times' |
      tr '\n' ',' | sed 's/,$//; s/,/, /g'))"
  fi
  if [ "$auth" = session ] && ! session_works; then
    failed=$((failed + 1)); verdict="$verdict; the admin's session stopped working"
  fi
  printf '%-6s %s [%s]: %s\n' "$method" "$url" "$auth" "$verdict"
done < <(tail -n +2 "$work/targets")
kill -0 "$server" 2>/dev/null || { echo "the server died"; failed=$((failed + 1)); }
echo "sqlmap level $level risk $risk: $targets targets, $injectable injectable, $failed failed"
[ "$injectable" -eq 0 ] && [ "$failed" -eq 0 ]
