"""Tally: the pass/fail counter the spec checks share."""


class Tally:
    """Counts checks and prints each failure as it happens."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + message)
        return ok
