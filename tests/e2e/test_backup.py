"""Backups a firm can restore (issue 14): `paroletrack backup --db FILE --to DEST [--encrypt]`
copies the database online (VACUUM INTO: one snapshot while the server goes on writing),
verifies the copy (integrity, foreign keys, migrations, every sealed value opening with the key,
the audit chain to its sealed head, the deadline ledger) and prints one line (size, sealed or
not, schema, audit head, SHA-256); `paroletrack restore --from BACKUP --db FILE` checks a
backup the same way before it replaces anything, refuses while a server holds the database, and
keeps the replaced file aside."""

import glob
from contextlib import closing
import hashlib
import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time

from harness import BIN, ApiTestCase, Server, run_cli, token

LINE = re.compile(r"^backup (?P<path>.+): (?P<size>\d+) bytes, (?P<sealed>sealed|not sealed), "
                  r"schema (?P<schema>\d+), (?P<values>\d+) sealed values, audit head "
                  r"(?P<head>\d+) (?P<hash>[0-9a-f]{64}) \((?P<events>\d+) events\), "
                  r"sha256 (?P<sha>[0-9a-f]{64})$")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def family_names(db):
    with closing(sqlite3.connect("file:%s?mode=ro" % db, uri=True)) as c:
        return {r[0] for r in c.execute("SELECT family_name FROM clients")}


class Backups(ApiTestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="paroletrack-backup-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def backup(self, dest, *extra):
        code, out, err = self.server.cli("backup", "--to", dest, *extra, timeout=300)
        self.assertEqual(code, 0, err)
        lines = out.strip().splitlines()
        self.assertEqual(len(lines), 1, out)
        m = LINE.match(lines[0])
        self.assertIsNotNone(m, lines[0])
        self.assertEqual(m.group("path"), dest)
        self.assertEqual(int(m.group("size")), os.path.getsize(dest))
        self.assertEqual(m.group("sha"), sha256(dest))
        self.assertEqual(os.stat(dest).st_mode & 0o777, 0o600)
        self.assertEqual(glob.glob(dest + ".partial-*"), [], "a temporary copy was left behind")
        return m

    def restore(self, backup, db, key_from=None, expect=0):
        """Restore backup into db, its key file copied first from key_from (the server's)."""
        key = db + ".key"
        if not os.path.exists(key):
            shutil.copy(key_from or self.server.db + ".key", key)
        code, out, err = run_cli("restore", "--from", backup, "--db", db, timeout=300)
        self.assertEqual(code, expect, out + err)
        self.assertEqual(glob.glob(db + ".restoring-*"), [], "a temporary copy was left behind")
        return out, err

    def verify(self, db):
        for args in (("audit", "verify"), ("deadlines", "verify")):
            code, out, err = run_cli(*args, "--db", db)
            self.assertEqual(code, 0, out + err)

    def test_backup_under_write_load_holds_every_write_acknowledged_before_it(self):
        key = self.make_key(("read", "write"))
        acknowledged = []  # (monotonic time of the reply, family name)
        stop = threading.Event()
        errors = []

        def writer(n):
            c = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
            i = 0
            while not stop.is_set():
                name = "Load%d-%d-%s" % (n, i, token(4))
                c.request("POST", "/api/v1/clients",
                          body=json.dumps({"family_name": name, "given_name": "Backup"}),
                          headers=dict(key.headers("POST"), **{"Content-Type":
                                                              "application/json"}))
                r = c.getresponse()
                r.read()
                if r.status != 201:
                    errors.append(r.status)
                    return
                acknowledged.append((time.monotonic(), name))
                i += 1
            c.close()
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        began = time.monotonic()
        dest = os.path.join(self.dir, "under-load.db")
        m = self.backup(dest)
        time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        before = [name for at, name in acknowledged if at < began]
        after = [name for at, name in acknowledged if at > time.monotonic()]
        self.assertGreater(len(before), 10, "the writers made too few writes to prove anything")
        self.assertEqual(m.group("sealed"), "not sealed")
        self.assertGreater(int(m.group("events")), len(before))
        restored = os.path.join(self.dir, "restored.db")
        out, _ = self.restore(dest, restored)
        self.assertIn("restored %s from %s" % (restored, dest), out)
        names = family_names(restored)
        missing = [n for n in before if n not in names]
        self.assertEqual(missing, [], "writes acknowledged before the backup began are missing")
        self.assertEqual(after, [])
        self.verify(restored)
        # The source's trail records the backup (with the copy's checksum); the restored one,
        # the restore.
        with closing(sqlite3.connect("file:%s?mode=ro" % self.server.db, uri=True)) as c:
            changes = [json.loads(r[0]) for r in c.execute(
                "SELECT changes FROM audit_events WHERE action = 'backup'")]
        self.assertIn(m.group("sha"), [ch["sha256"]["after"] for ch in changes])
        with closing(sqlite3.connect("file:%s?mode=ro" % restored, uri=True)) as c:
            self.assertEqual(c.execute("SELECT count(*) FROM audit_events WHERE action ="
                                       " 'restore'").fetchone()[0], 1)

    def test_a_sealed_backup_gives_nothing_away_and_opens_only_with_its_key(self):
        marker = "Sealedname" + token(8)
        self.make_client(family_name=marker, a_number="A087654321")
        dest = os.path.join(self.dir, "sealed.bak")
        m = self.backup(dest, "--encrypt")
        self.assertEqual(m.group("sealed"), "sealed")
        with open(dest, "rb") as f:
            data = f.read()
        self.assertFalse(data.startswith(b"SQLite format 3"))
        self.assertNotIn(marker.encode(), data)
        restored = os.path.join(self.dir, "from-sealed.db")
        self.restore(dest, restored)
        self.assertIn(marker, family_names(restored))
        self.verify(restored)
        # Another firm's key: refused, and nothing is written at the target.
        other = Server().start(bootstrap=False)
        try:
            elsewhere = os.path.join(self.dir, "other-key.db")
            _, err = self.restore(dest, elsewhere, key_from=other.db + ".key", expect=1)
        finally:
            other.stop()
            other.cleanup()
        self.assertIn("sealed with another key", err)
        self.assertFalse(os.path.exists(elsewhere))
        # One byte changed in the middle: refused as damaged or altered.
        tampered = os.path.join(self.dir, "tampered.bak")
        with open(tampered, "wb") as f:
            f.write(data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 1])
                    + data[len(data) // 2 + 1:])
        _, err = self.restore(tampered, os.path.join(self.dir, "t.db"), expect=1)
        self.assertIn("damaged, cut short or altered", err)
        cut = os.path.join(self.dir, "cut.bak")
        with open(cut, "wb") as f:
            f.write(data[:-100])
        _, err = self.restore(cut, os.path.join(self.dir, "c.db"), expect=1)
        self.assertIn("damaged, cut short or altered", err)

    def test_the_nightly_script_keeps_ships_and_prunes(self):
        script = os.path.join(os.path.dirname(__file__), "..", "..", "deploy",
                              "paroletrack-backup.sh")
        backups, shipped = os.path.join(self.dir, "nightly"), os.path.join(self.dir, "offsite")
        os.makedirs(backups)
        os.makedirs(shipped)
        old = os.path.join(backups, "paroletrack-20200101T000000Z.ptbak")
        other = os.path.join(backups, "notes.txt")
        for path in (old, other):
            with open(path, "w") as f:
                f.write("x")
            os.utime(path, (time.time() - 40 * 86400,) * 2)
        env = dict(os.environ, PAROLETRACK_BIN=BIN, PAROLETRACK_DB=self.server.db,
                   PAROLETRACK_BACKUP_DIR=backups, PAROLETRACK_BACKUP_KEEP_DAYS="30",
                   PAROLETRACK_BACKUP_SHIP='cp "$1" %s/' % shipped)
        env.pop("PAROLETRACK_KEY", None)
        env.pop("PAROLETRACK_KEY_FILE", None)
        p = subprocess.run(["sh", script], env=env, capture_output=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        made = glob.glob(os.path.join(backups, "paroletrack-2*.ptbak"))
        self.assertEqual(len(made), 1, made)
        self.assertFalse(os.path.exists(old), "a copy past the retention was kept")
        self.assertTrue(os.path.exists(other), "a file the script did not make was removed")
        self.assertIn(b", sealed, ", p.stdout)
        copy = os.path.join(shipped, os.path.basename(made[0]))
        self.assertEqual(sha256(copy), sha256(made[0]))
        restored = os.path.join(self.dir, "nightly.db")
        self.restore(copy, restored)
        self.verify(restored)
        env["PAROLETRACK_BACKUP_KEEP_DAYS"] = "a month"
        p = subprocess.run(["sh", script], env=env, capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 2)

    def test_a_backup_never_overwrites(self):
        dest = os.path.join(self.dir, "taken.db")
        with open(dest, "w") as f:
            f.write("keep me")
        code, _, err = self.server.cli("backup", "--to", dest)
        self.assertEqual(code, 2)
        self.assertIn("exists already", err)
        with open(dest) as f:
            self.assertEqual(f.read(), "keep me")

    def test_restore_refuses_a_running_server_and_a_bad_copy_and_keeps_the_old_file(self):
        firm_dir = tempfile.mkdtemp(prefix="paroletrack-restore-")
        self.addCleanup(shutil.rmtree, firm_dir, True)
        firm = Server(db_dir=firm_dir).start()
        try:
            c = http.client.HTTPConnection(firm.host, firm.port, timeout=10)

            def add(name):
                c.request("POST", "/api/v1/clients",
                          body=json.dumps({"family_name": name, "given_name": "Restore"}),
                          headers=dict(firm.admin.headers("POST"),
                                       **{"Content-Type": "application/json"}))
                r = c.getresponse()
                r.read()
                self.assertEqual(r.status, 201)
            add("Before" + token(6))
            dest = os.path.join(self.dir, "firm.db")
            code, out, err = firm.cli("backup", "--to", dest)
            self.assertEqual(code, 0, err)
            later = "Later" + token(6)
            add(later)
            code, _, err = run_cli("restore", "--from", dest, "--db", firm.db)
            self.assertEqual(code, 1)
            self.assertIn("is using this database", err)
            self.assertIn(later, family_names(firm.db))
            c.close()
            self.assertEqual(firm.stop(), 0)
            # A copy whose audit trail was altered is refused; the database stays as it was.
            altered = os.path.join(self.dir, "altered.db")
            shutil.copy(dest, altered)
            with closing(sqlite3.connect(altered)) as db:
                db.execute("DROP TRIGGER audit_events_no_update")
                db.execute("UPDATE audit_events SET actor_label = 'someone else'"
                           " WHERE id = (SELECT min(id) FROM audit_events)")
                db.commit()
            before = sha256(firm.db)
            code, out, err = run_cli("restore", "--from", altered, "--db", firm.db)
            self.assertEqual(code, 1, out + err)
            self.assertIn("audit trail is broken", err)
            self.assertIn("nothing changed", err)
            self.assertEqual(sha256(firm.db), before)
            self.assertEqual(glob.glob(firm.db + ".replaced-*"), [])
            # A cut file is refused as damaged.
            cut = os.path.join(self.dir, "cut.db")
            with open(dest, "rb") as f, open(cut, "wb") as g:
                g.write(f.read()[:-8192])
            code, out, err = run_cli("restore", "--from", cut, "--db", firm.db)
            self.assertEqual(code, 1, out + err)
            self.assertEqual(sha256(firm.db), before)
            # The good copy: the database is replaced, the old one kept aside.
            code, out, err = run_cli("restore", "--from", dest, "--db", firm.db)
            self.assertEqual(code, 0, err)
            aside = glob.glob(firm.db + ".replaced-*")
            self.assertEqual(len(aside), 1, aside)
            self.assertIn("kept as %s" % aside[0], out)
            self.assertIn(later, family_names(aside[0]))
            self.assertNotIn(later, family_names(firm.db))
            self.verify(firm.db)
            # and a server runs on it
            again = Server(db_dir=firm.dir).start(bootstrap=False)
            try:
                c = http.client.HTTPConnection(again.host, again.port, timeout=10)
                c.request("GET", "/healthz")
                self.assertEqual(c.getresponse().status, 200)
                c.close()
            finally:
                self.assertEqual(again.stop(), 0)
        finally:
            firm.stop()
            firm.cleanup()
