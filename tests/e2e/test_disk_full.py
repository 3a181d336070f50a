"""A full disk (issue 14): the server's database lives on a small tmpfs; a filler file takes the
rest of its space. Writes then answer 503 with a problem that says the disk is full (and change
nothing), reads and the health check keep working, the file stays intact (integrity_check, the
audit trail), and once the filler is removed writes work again. Needs root (it mounts a tmpfs),
which the README's test command runs as."""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
from contextlib import closing

from harness import Server, run_cli, token

SLUG = "urn:paroletrack:problem:"


class DiskFull(unittest.TestCase):

    def setUp(self):
        self.mnt = tempfile.mkdtemp(prefix="paroletrack-full-")
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", self.mnt],
                       check=True)
        self.addCleanup(shutil.rmtree, self.mnt, True)
        self.addCleanup(subprocess.run, ["umount", "-l", self.mnt])
        self.server = Server(db_dir=self.mnt).start()
        self.addCleanup(self.server.kill)

    def call(self, method, path, body=None):
        from harness import http_call
        return http_call(self.server.host, self.server.port, method, path, body=body,
                         headers=self.server.admin.headers(method))

    def fill(self):
        """Take every free byte of the tmpfs with a filler file."""
        filler = os.path.join(self.mnt, "filler")
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        return filler

    def count_clients(self):
        with closing(sqlite3.connect("file:%s?mode=ro" % self.server.db, uri=True)) as c:
            return c.execute("SELECT count(*) FROM clients").fetchone()[0]

    def test_writes_say_the_disk_is_full_reads_go_on_and_writes_come_back(self):
        first = self.call("POST", "/api/v1/clients",
                          {"family_name": "Before" + token(4), "given_name": "Full"})
        identified = self.call("POST", "/api/v1/clients", {
            "family_name": "Identified" + token(4), "given_name": "Full",
            "a_number": "A012345678"})
        self.assertEqual(identified.status, 201, identified.raw)
        self.assertEqual(first.status, 201, first.raw)
        filler = self.fill()
        refused = None
        for i in range(200):  # until the pages the WAL already holds run out
            r = self.call("POST", "/api/v1/clients", {
                "family_name": "Full%d" % i, "given_name": "Disk",
                "notes": "n" * 9000 + token(8)})
            if r.status != 201:
                refused = r
                break
        self.assertIsNotNone(refused, "the writes never ran out of space")
        self.assertEqual(refused.status, 503, refused.raw)
        self.assertEqual(refused.header("Content-Type"), "application/problem+json")
        problem = json.loads(refused.raw)
        self.assertEqual(problem["type"], SLUG + "unavailable")
        self.assertIn("disk", problem["detail"])
        stored = self.count_clients()
        # reads and the health check go on
        self.assertEqual(self.call("GET", "/healthz").status, 200)
        listed = self.call("GET", "/api/v1/clients?limit=5")
        self.assertEqual(listed.status, 200, listed.raw)
        got = self.call("GET", "/api/v1/clients/%d" % first.json["id"])
        self.assertEqual(got.status, 200, got.raw)
        # a read of an A-number must be audited first: with no room for its event, it is
        # refused the same way (never answered unaudited)
        audited = self.call("GET", "/api/v1/clients/%d" % identified.json["id"])
        self.assertEqual(audited.status, 503, audited.raw)
        self.assertIn("disk", json.loads(audited.raw)["detail"])
        # a refused write changed nothing
        again = self.call("POST", "/api/v1/clients", {"family_name": "Refused", "given_name": "X",
                                                      "notes": "n" * 9000})
        self.assertEqual(again.status, 503, again.raw)
        self.assertEqual(self.count_clients(), stored)
        # space returns: writes work again, and the file is whole
        os.unlink(filler)
        after = self.call("POST", "/api/v1/clients",
                          {"family_name": "After" + token(4), "given_name": "Full"})
        self.assertEqual(after.status, 201, after.raw)
        self.assertEqual(self.count_clients(), stored + 1)
        audited = self.call("GET", "/api/v1/clients/%d" % identified.json["id"])
        self.assertEqual(audited.status, 200, audited.raw)
        self.assertEqual(self.server.stop(), 0)
        with closing(sqlite3.connect("file:%s?mode=ro" % self.server.db, uri=True)) as c:
            self.assertEqual(c.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        for args in (("audit", "verify"), ("deadlines", "verify")):
            code, out, err = run_cli(*args, "--db", self.server.db)
            self.assertEqual(code, 0, out + err)


if __name__ == "__main__":
    unittest.main()
