#!/usr/bin/env bash
# The reliability runs of issue 14. Without --long: the quick versions the README's test
# command also runs (kill -9 rounds, power loss, a full and a read-only disk, slow clients,
# backups, a short fuzz, valgrind over three end-to-end modules). With --long: the same,
# longer: 200 kill -9 rounds plain and 50 per variant (checkpoint, remind, backup), 400
# power-loss rounds, 5 minutes per fuzz target, slow clients held for 60 s, 10 minutes of mixed
# load with sign-ins (tests/reliability/mixed_load.sh; 30 s in the quick run), sqlmap at level
# 5 / risk 3 over every route (tests/reliability/sqlmap.sh; level 1 / risk 1 in the quick run)
# and valgrind memcheck over the whole end-to-end suite (tests/reliability/valgrind_e2e.sh).
# Prints one line per part and "N passed, M failed" last; exits non-zero on any failure.
# Loopback only; every server it starts stops by itself.
#
# usage: tests/reliability/run.sh [--long] [--build DIR] [--parts "PART ..."]
#   --build: default build-dev, made if missing; --parts: only these of crash, power-loss,
#   disk-full, slow-clients, backups, mixed-load, sqlmap, valgrind, fuzz (default: all), so that
#   the hours of the long run can be taken in pieces; the timed parts (slow-clients, mixed-load)
#   want a machine that runs nothing else
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
long=0 build=$root/build-dev parts="crash power-loss disk-full slow-clients backups mixed-load sqlmap valgrind fuzz"
while [ $# -gt 0 ]; do
  case $1 in
    --long) long=1; shift ;;
    --build) build=$2; shift 2 ;;
    --parts) parts=$2; shift 2 ;;
    *) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
  esac
done
if [ "$long" = 1 ]; then
  crash_rounds=200 variant_rounds=50 power_rounds=400 fuzz_seconds=300 slow_seconds=60
  load_seconds=600 sqlmap_level=5 sqlmap_risk=3 valgrind_modules=()
else
  crash_rounds=10 variant_rounds=4 power_rounds=40 fuzz_seconds=10 slow_seconds=10
  load_seconds=30 sqlmap_level=1 sqlmap_risk=1
  valgrind_modules=(test_clients test_auth test_backup)
fi
[ -d "$build" ] || meson setup "$build" "$root" >/dev/null
ninja -C "$build" server/paroletrack tests/test_power_loss >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
bin=$build/server/paroletrack
passed=0 failed=0
# part NAME COMMAND...: run one part, print its line with how long it took.
part() {
  local name=$1 start rc; shift
  [[ " $parts " == *" $name "* ]] || return 0
  start=$(date +%s)
  "$@" >"$build/reliability-$name.log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  printf '%-14s %s (%ss; log %s)\n' "$name" "$([ $rc -eq 0 ] && echo passed || echo FAILED)" \
    "$(($(date +%s) - start))" "$build/reliability-$name.log"
  [ $rc -eq 0 ] || tail -30 "$build/reliability-$name.log"
  grep -hE '^(kill -9|power loss|slow clients|mixed load|sqlmap level|valgrind memcheck)' "$build/reliability-$name.log" || true
}
run_e2e=(env PAROLETRACK_BIN="$bin" /usr/bin/python3 "$root/tests/e2e/run.py")
part crash env PAROLETRACK_CRASH_ROUNDS=$crash_rounds PAROLETRACK_CRASH_VARIANT_ROUNDS=$variant_rounds \
  "${run_e2e[@]}" reliability_crash
part power-loss env POWER_LOSS_ROUNDS=$power_rounds "$build/tests/test_power_loss"
part disk-full "${run_e2e[@]}" test_disk_full test_read_only_disk
part slow-clients env PAROLETRACK_SLOW_SECONDS=$slow_seconds "${run_e2e[@]}" test_slow_clients
part backups "${run_e2e[@]}" test_backup
part mixed-load bash "$here/mixed_load.sh" --seconds "$load_seconds" --build "$build"
part sqlmap bash "$here/sqlmap.sh" --level "$sqlmap_level" --risk "$sqlmap_risk" --build "$build"
part valgrind bash "$here/valgrind_e2e.sh" --build "$build" "${valgrind_modules[@]}"
# The fuzz targets: the same stage as scripts/test.sh, for longer.
part fuzz bash -c "
  set -uo pipefail
  rm -rf '$root/build-fuzz-long'
  CC=clang-14 meson setup '$root/build-fuzz-long' -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false --buildtype=debug -Dc_args=-fsanitize=fuzzer-no-link >/dev/null &&
  ninja -C '$root/build-fuzz-long' >/dev/null || exit 1
  rc=0
  for t in fields identifiers dates query if_match sealed ical credentials; do
    work=\$(mktemp -d); cp '$root'/tests/fuzz/corpus/\$t/* \"\$work/\"
    (cd \"\$work\" && '$root'/build-fuzz-long/tests/fuzz/fuzz_\$t -max_total_time=$fuzz_seconds \
      -print_final_stats=1 \"\$work\") 2>&1 | grep -E 'Done|stat::number_of_executed_units|ERROR|SUMMARY' ||
      true
    [ \${PIPESTATUS[0]} -eq 0 ] || rc=1
    rm -rf \"\$work\"
  done
  exit \$rc"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
