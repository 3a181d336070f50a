#!/usr/bin/env bash
# The whole test suite, from a fresh clone: install what is missing, build twice (a normal
# build and one with AddressSanitizer + UndefinedBehaviorSanitizer), run every test in both,
# lint the OpenAPI spec, run each libFuzzer target briefly (a clang build), compile the
# release build the quick start makes and check the formatting. The last line is "N passed, M failed" over
# every test that ran; the exit status is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh --tests || { echo "0 passed, 1 failed"; exit 1; }
npm ci --no-audit --no-fund --loglevel=error >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

summaries=()
status=0

# build_and_test NAME MESON_OPTIONS...: configure, build and run the meson suite in build-NAME.
build_and_test() {
  local name=$1; shift
  local dir="$root/build-$name"
  rm -rf "$dir"
  if ! meson setup "$dir" "$@" >"$root/build-$name.setup.log" 2>&1 || ! ninja -C "$dir" >"$root/build-$name.ninja.log" 2>&1; then
    cat "$root/build-$name.setup.log" "$root/build-$name.ninja.log" 2>/dev/null | tail -40
    summaries+=("build-$name: 0 passed, 1 failed")
    status=1
    return
  fi
  meson test -C "$dir" --print-errorlogs --no-rebuild --num-processes 2 || status=1
  summaries+=("build-$name: $(/usr/bin/python3 scripts/summarize_tests.py "$dir/meson-logs/testlog.json")")
}

build_and_test plain
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build_and_test sanitize -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug

# The libFuzzer targets (tests/fuzz): clang, AddressSanitizer + UndefinedBehaviorSanitizer, each
# run for FUZZ_SECONDS (10) from a copy of its seed corpus; a crash, leak or sanitizer report
# fails it. The long run (tests/reliability/run.sh --long) gives them longer.
fuzz_seconds=${FUZZ_SECONDS:-10}
rm -rf "$root/build-fuzz"
fuzz_targets=(fields identifiers dates query if_match sealed ical credentials)
if CC=clang-14 meson setup "$root/build-fuzz" -Dfuzz=true -Db_sanitize=address,undefined \
     -Db_lundef=false --buildtype=debug -Dc_args=-fsanitize=fuzzer-no-link \
     >"$root/build-fuzz.setup.log" 2>&1 &&
   ninja -C "$root/build-fuzz" "${fuzz_targets[@]/#/tests/fuzz/fuzz_}" >"$root/build-fuzz.ninja.log" 2>&1; then
  fuzz_passed=0 fuzz_failed=0
  for t in "${fuzz_targets[@]}"; do
    work=$(mktemp -d)
    cp "$root/tests/fuzz/corpus/$t/"* "$work/"
    if (cd "$work" && ASAN_OPTIONS=detect_leaks=1 "$root/build-fuzz/tests/fuzz/fuzz_$t" \
          -max_total_time="$fuzz_seconds" -print_final_stats=1 "$work" >"$root/build-fuzz/fuzz_$t.log" 2>&1); then
      fuzz_passed=$((fuzz_passed + 1))
    else
      echo "fuzz_$t failed:"; tail -40 "$root/build-fuzz/fuzz_$t.log"
      cp "$work"/crash-* "$work"/leak-* "$root/build-fuzz/" 2>/dev/null || true
      fuzz_failed=$((fuzz_failed + 1)); status=1
    fi
    rm -rf "$work"
  done
  summaries+=("fuzz ($fuzz_seconds s each): $fuzz_passed passed, $fuzz_failed failed")
else
  tail -40 "$root/build-fuzz.setup.log" "$root/build-fuzz.ninja.log" 2>/dev/null
  summaries+=("fuzz build: 0 passed, 1 failed"); status=1
fi

# The release build the quick start and the Dockerfile make (-O3 finds warnings, errors here,
# that -O2 and -O0 do not): it must compile; its tests are the plain build's.
rm -rf "$root/build-release"
if meson setup "$root/build-release" --buildtype=release >"$root/build-release.setup.log" 2>&1 &&
   ninja -C "$root/build-release" server/paroletrack >"$root/build-release.ninja.log" 2>&1; then
  summaries+=("release build: 1 passed, 0 failed")
else
  tail -40 "$root/build-release.setup.log" "$root/build-release.ninja.log" 2>/dev/null
  summaries+=("release build: 0 passed, 1 failed"); status=1
fi

# Formatting: every C file matches the committed .clang-format.
unformatted=$(clang-format --dry-run --Werror server/*.c server/*/*.[ch] tests/unit/*.c tests/unit/*.h tests/bench/*.c tests/fuzz/*.[ch] 2>&1 | grep -c "error:" || true)
if [ "$unformatted" = "0" ]; then summaries+=("format: 1 passed, 0 failed"); else
  clang-format --dry-run server/*.c server/*/*.[ch] tests/unit/*.c tests/unit/*.h tests/bench/*.c tests/fuzz/*.[ch] 2>&1 | head -20
  summaries+=("format: 0 passed, 1 failed"); status=1; fi

printf '%s\n' "${summaries[@]}"
printf '%s\n' "${summaries[@]}" | /usr/bin/python3 -c '
import re, sys
p = f = 0
for line in sys.stdin:
    m = re.search(r"(\d+) passed, (\d+) failed", line)
    if m:
        p += int(m.group(1)); f += int(m.group(2))
print(f"{p} passed, {f} failed")
sys.exit(1 if f else 0)' || status=1
exit $status
