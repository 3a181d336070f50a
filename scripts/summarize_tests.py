#!/usr/bin/env python3
"""Sum the per-test "N passed, M failed" lines of a meson testlog.json.

A test whose output has no such line counts as one passed or one failed test by its result.
A test that failed but printed "N passed, 0 failed" (it crashed afterwards, or a sanitizer
reported at exit) counts one more failure. Prints "N passed, M failed".
"""
import json
import re
import sys

SUMMARY = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed", re.M)


def main() -> int:
    passed = failed = 0
    with open(sys.argv[1], encoding="utf-8") as log:
        for line in log:
            entry = json.loads(line)
            ok = entry.get("result") in ("OK", "EXPECTEDFAIL")
            found = SUMMARY.findall(entry.get("stdout", "") or "")
            if found:
                p, f = (int(x) for x in found[-1])
                passed += p
                failed += f
                if not ok and f == 0:
                    failed += 1
            elif ok:
                passed += 1
            else:
                failed += 1
    print(f"{passed} passed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
