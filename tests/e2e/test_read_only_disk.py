"""A disk that turns read-only under the server (issue 14): the database lives on a small ext4
file system on a loop device, mounted errors=remount-ro; ext4's trigger_fs_error then makes it
read-only while the server holds its files open, as a failing disk does. Writes and audited
reads answer 503 saying the database cannot be written, plain reads and /healthz go on; once
the file system is mounted again, the file is intact (integrity_check, every write acknowledged
before, audit verify). Needs root (losetup, mount), which the README's test command runs as."""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
from contextlib import closing

from harness import Server, http_call, run_cli, token

SLUG = "urn:paroletrack:problem:"


def sh(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


class ReadOnlyDisk(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="paroletrack-ro-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.image = os.path.join(self.dir, "disk.img")
        self.mnt = os.path.join(self.dir, "mnt")
        os.makedirs(self.mnt)
        with open(self.image, "wb") as f:
            f.truncate(64 * 1024 * 1024)
        sh("mkfs.ext4", "-q", "-F", self.image)
        self.dev = sh("losetup", "-f", "--show", self.image)
        self.addCleanup(subprocess.run, ["losetup", "-d", self.dev])
        sh("blockdev", "--setrw", self.dev)
        self.mount()

    def mount(self):
        sh("mount", "-o", "errors=remount-ro", self.dev, self.mnt)
        self.addCleanup(subprocess.run, ["umount", "-l", self.mnt], capture_output=True)

    def call(self, server, method, path, body=None):
        return http_call(server.host, server.port, method, path, body=body,
                         headers=server.admin.headers(method))

    def test_writes_say_the_disk_is_read_only_and_reads_go_on(self):
        server = Server(db_dir=self.mnt).start()
        try:
            plain = self.call(server, "POST", "/api/v1/clients",
                              {"family_name": "Before" + token(4), "given_name": "Ro"})
            self.assertEqual(plain.status, 201, plain.raw)
            identified = self.call(server, "POST", "/api/v1/clients", {
                "family_name": "Identified" + token(4), "given_name": "Ro",
                "a_number": "A023456789"})
            self.assertEqual(identified.status, 201, identified.raw)
            with open("/sys/fs/ext4/%s/trigger_fs_error" % os.path.basename(self.dev), "w") as f:
                f.write("paroletrack test: the disk turns read-only\n")
            refused = self.call(server, "POST", "/api/v1/clients",
                                {"family_name": "Refused", "given_name": "Ro"})
            self.assertEqual(refused.status, 503, refused.raw)
            problem = json.loads(refused.raw)
            self.assertEqual(problem["type"], SLUG + "unavailable")
            self.assertIn("read-only", problem["detail"])
            audited = self.call(server, "GET", "/api/v1/clients/%d" % identified.json["id"])
            self.assertEqual(audited.status, 503, audited.raw)
            self.assertEqual(self.call(server, "GET", "/healthz").status, 200)
            listed = self.call(server, "GET", "/api/v1/clients?limit=10")
            self.assertEqual(listed.status, 200, listed.raw)
            self.assertEqual(len(listed.json["items"]), 2)
            got = self.call(server, "GET", "/api/v1/clients/%d" % plain.json["id"])
            self.assertEqual(got.status, 200, got.raw)
        finally:
            server.kill()  # its last checkpoint cannot be written either
        # The disk comes back (mounted again, read-write): the file is whole.
        sh("umount", self.mnt)
        subprocess.run(["e2fsck", "-p", self.dev], capture_output=True)
        self.mount()
        db = server.db
        with closing(sqlite3.connect(db)) as c:
            self.assertEqual(c.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            names = {r[0] for r in c.execute("SELECT family_name FROM clients")}
        self.assertIn(plain.json["family_name"], names)
        self.assertIn(identified.json["family_name"], names)
        self.assertNotIn("Refused", names)
        for args in (("audit", "verify"), ("deadlines", "verify")):
            code, out, err = run_cli(*args, "--db", db)
            self.assertEqual(code, 0, out + err)


if __name__ == "__main__":
    unittest.main()
