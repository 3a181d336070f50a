#!/usr/bin/env bash
# SQL injection (issue 14): sqlmap (Debian's package, installed when missing) against every
# route an integration key with read and write scopes may call: each query parameter the spec
# names, each id in the path (marked with *), and each value of a POST or PATCH JSON body
# (tests/reliability/sqlmap_targets.py makes the list from the spec and `paroletrack routes`).
# The server runs on a free loopback port over a small firm generated through the store. Prints
# one line per target and "N targets, M injectable" last; exits 1 when any is injectable or
# sqlmap fails.
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
firm_serve
/usr/bin/python3 "$here/sqlmap_targets.py" "$root/api-spec/openapi.yaml" "$build/server/paroletrack" \
  >"$work/targets" || exit 1
targets=0 injectable=0 failed=0
while IFS=$'\t' read -r method url body; do
  [ -n "$only" ] && [[ $url != *"$only"* ]] && continue
  targets=$((targets + 1))
  # an id in the path is a place to inject too
  marked=$(echo "$url" | sed -E 's#/([0-9]+)(/|\?|$)#/\1*\2#g')
  args=(-u "$base$marked" --method "$method" -H "Authorization: Bearer $key" --batch
        --level "$level" --risk "$risk" --flush-session --output-dir "$work/sqlmap"
        --disable-coloring --dbms SQLite --answers "custom injection=Y,URI=Y")
  [ -n "$body" ] && args+=(--data "$body" -H "Content-Type: application/json")
  out=$(sqlmap "${args[@]}" 2>&1)
  rc=$?
  # a confirmed point only: sqlmap also says a parameter "appears to be injectable" before its
  # false-positive check turns the guess down (a POST creates a new record each time)
  if echo "$out" | grep -qiE "is vulnerable|identified the following injection point"; then
    injectable=$((injectable + 1)); verdict="INJECTABLE"
    echo "$out" | grep -iE "Parameter:|Type:|Title:" | head -10
  elif [ $rc -ne 0 ] || echo "$out" | grep -qE "\[CRITICAL\] (unable to connect|connection refused)"; then
    failed=$((failed + 1)); verdict="sqlmap failed (exit $rc)"
    echo "$out" | tail -5
  else
    verdict="not injectable"
  fi
  printf '%-6s %s: %s\n' "$method" "$url" "$verdict"
done <"$work/targets"
kill -0 "$server" 2>/dev/null || { echo "the server died"; failed=$((failed + 1)); }
echo "sqlmap level $level risk $risk: $targets targets, $injectable injectable, $failed failed"
[ "$injectable" -eq 0 ] && [ "$failed" -eq 0 ]
