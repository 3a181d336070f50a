#!/usr/bin/python3
"""Secrets are wiped with crypto_wipe / crypto_wipe_string (sodium_memzero), never with memset:
a memset of a buffer that is not read again is a dead store the optimiser may remove, leaving
the key, token or password in memory. Fails, naming each line, when a memset in server/ targets
a name that holds a secret. Prints "N passed, M failed" (one check per C file)."""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SECRET = re.compile(r"\bmemset\(\s*&?\s*(\w*(key|token|secret|password|hash|plain|raw|digest|"
                    r"code|codes|hex|expected|chars|normalized)\b)", re.I)
passed = failed = 0
for path in sorted(glob.glob(os.path.join(ROOT, "server", "**", "*.c"), recursive=True)):
    bad = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = SECRET.search(line)
            if m:
                bad.append("%s:%d: %s" % (os.path.relpath(path, ROOT), number, line.strip()))
    if bad:
        failed += 1
        print("secret wiped with memset (use crypto_wipe):\n  " + "\n  ".join(bad))
    else:
        passed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
