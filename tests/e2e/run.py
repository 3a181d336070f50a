#!/usr/bin/python3
"""Run the end-to-end suite.

Usage: run.py [-v] [-k SUBSTRING] [module ...]

Counts individual test methods. A method passes only when it ran and succeeded; failures,
errors, skips, expected failures and unexpected successes all count as failed, and so does
every test of a class whose server could not start. A failing class or module teardown (e.g. the
server not exiting cleanly on SIGTERM) adds one failure. The last line is exactly
"N passed, M failed"; the exit status is 1 when M > 0.
"""

import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# Every test_*.py here: a new module runs without being listed anywhere.
MODULES = sorted(os.path.splitext(name)[0] for name in os.listdir(HERE)
                 if name.startswith("test_") and name.endswith(".py"))


def iter_tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from iter_tests(t)
        else:
            yield t


class Result(unittest.TestResult):
    def __init__(self, verbose=False):
        super().__init__()
        self.passed = set()
        self.bad = {}  # test id -> text
        self.extra = []  # (description, text) of class/module fixture failures
        self.verbose = verbose
        self.class_setup_failed = set()

    def _fail(self, test, text):
        tid = test.id()
        if isinstance(test, unittest.case._SubTest):
            tid = test.test_case.id()
            text = "[%s]\n%s" % (test._subDescription(), text)
        if tid in self.bad:
            self.bad[tid] += "\n" + text
        else:
            self.bad[tid] = text
        self.passed.discard(tid)

    def startTest(self, test):
        super().startTest(test)
        self._t0 = time.monotonic()

    def addSuccess(self, test):
        super().addSuccess(test)
        if test.id() not in self.bad:
            self.passed.add(test.id())
        if self.verbose:
            print("ok    %s (%.2fs)" % (test.id(), time.monotonic() - self._t0), flush=True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, err)

    def _record(self, test, err):
        text = self._exc_info_to_string(err, test)
        if isinstance(test, unittest.suite._ErrorHolder):
            desc = test.description  # e.g. "setUpClass (test_x.Cls)"
            self.extra.append((desc, text))
            if self.verbose:
                print("ERROR %s" % desc, flush=True)
            return
        self._fail(test, text)
        if self.verbose:
            print("FAIL  %s" % test.id(), flush=True)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._fail(subtest, self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._fail(test, "skipped (skips count as failures): %s" % reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._fail(test, "expected failure (counts as a failure)")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._fail(test, "unexpected success (counts as a failure)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-k", action="append", default=[], help="only tests whose id contains this")
    ap.add_argument("modules", nargs="*")
    args = ap.parse_args()
    os.chdir(HERE)
    loader = unittest.TestLoader()
    modules = args.modules or MODULES
    suite = unittest.TestSuite()
    for name in modules:
        name = os.path.splitext(os.path.basename(name))[0]
        suite.addTests(loader.loadTestsFromName(name))
    if args.k:
        kept = [t for t in iter_tests(suite) if any(k in t.id() for k in args.k)]
        suite = unittest.TestSuite(kept)
    all_ids = [t.id() for t in iter_tests(suite)]
    result = Result(verbose=args.verbose)
    t0 = time.monotonic()
    suite.run(result)
    elapsed = time.monotonic() - t0

    # Tests that never reported (their class's setUpClass failed) count as failed.
    extra_failures = 0
    for desc, text in result.extra:
        if desc.startswith(("setUpClass", "setUpModule")):
            # "setUpClass (module.Class)"
            owner = desc[desc.find("(") + 1:desc.rfind(")")]
            for tid in all_ids:
                if tid.startswith(owner + ".") and tid not in result.bad:
                    result.bad[tid] = "not run: %s failed" % desc
        else:
            extra_failures += 1
    for tid in all_ids:
        if tid not in result.passed and tid not in result.bad:
            result.bad[tid] = "did not run"

    shown = set()
    for desc, text in result.extra:
        print("=" * 78)
        print("ERROR: %s" % desc)
        print(text.rstrip())
    for tid in all_ids:
        if tid in result.bad and tid not in shown:
            shown.add(tid)
            text = result.bad[tid]
            if text.startswith("not run:"):
                continue
            print("=" * 78)
            print("FAIL: %s" % tid)
            print(text.rstrip())
    not_run = sorted(t for t, v in result.bad.items() if v.startswith("not run:"))
    if not_run:
        print("=" * 78)
        print("%d tests not run because their class could not start (counted as failed)"
              % len(not_run))
    passed = sum(1 for t in all_ids if t in result.passed and t not in result.bad)
    failed = len(all_ids) - passed + extra_failures
    print("-" * 78)
    import harness
    print("e2e: %d tests in %.1fs (binary: %s)" % (len(all_ids), elapsed, harness.BIN))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
