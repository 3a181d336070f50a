"""Ids are never reused, sealed values are bound to their row's random nonce and name their
key, and the key cannot change under a running server.

- Create, delete, create: the new record gets a new id (before: the deleted one's), and its
  history does not show the deleted record's events.
- A ciphertext of a deleted row, copied with the sqlite3 shell into the new row, or into a row
  forced to the deleted row's id, does not open there (a safe 500, no plaintext).
- A database written by the schema-7 binary (fixtures/schema7, made by
  fixtures/make_schema7_db.py with paroletrack at e27eef7) keeps its ids and data, its TOTP
  secret still signs in, its values are re-sealed in the new format, and an id deleted before
  the upgrade does not come back.
- `paroletrack rekey` refuses while a server runs, with a clear message, and the data stays
  readable; a server whose key was changed under it anyway (lock file removed by hand) stops
  writing with 503 and says why on stderr.
"""

import contextlib
import fcntl
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import time
import unittest

from harness import BIN, Account, clean_env, remember_admin, run_cli, strong_password
from test_encryption import EncryptionCase

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "schema7")


def sealed(db, table, column, row_id):
    """The stored (sealed) value of table.column in row row_id, read with the sqlite3 module."""
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as c:
        return c.execute('SELECT "%s" FROM "%s" WHERE id = ?' % (column, table),
                         (row_id,)).fetchone()[0]



def lock_is_held(path):
    """True when another process holds a flock on path (an exclusive try fails at once)."""
    if not os.path.exists(path):
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the lock if it was taken
    return False

class IdsNeverReused(EncryptionCase):

    def test_create_delete_create_takes_a_new_id(self):
        self.start()
        cl = self.create("/api/v1/clients", {"family_name": "Reuse", "given_name": "One"})
        old = self.create("/api/v1/parole-requests", {"client_id": cl["id"],
                                                      "parole_type": "medical",
                                                      "summary": "the deleted case"})
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % old["id"]), 204)
        new = self.create("/api/v1/parole-requests", {"client_id": cl["id"],
                                                      "parole_type": "humanitarian"})
        self.assertGreater(new["id"], old["id"], "a deleted case's id came back")
        # The new case's history is its own: one create, nothing of the deleted case.
        history = self.get("/api/v1/parole-requests/%d/history" % new["id"]).json["items"]
        self.assertEqual([(e["action"], e["entity"], e["entity_id"]) for e in history],
                         [("create", "parole_requests", new["id"])])
        # The same for a client and a child record.
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % new["id"]), 204)
        self.assertStatus(self.delete("/api/v1/clients/%d" % cl["id"]), 204)
        cl2 = self.create("/api/v1/clients", {"family_name": "Reuse", "given_name": "Two"})
        self.assertGreater(cl2["id"], cl["id"])
        pr = self.create("/api/v1/parole-requests", {"client_id": cl2["id"],
                                                     "parole_type": "medical"})
        f1 = self.create("/api/v1/parole-requests/%d/filings" % pr["id"],
                         {"form": "I-131", "filed_on": "2025-01-10"})
        self.assertStatus(self.delete("/api/v1/parole-requests/%d/filings/%d"
                                      % (pr["id"], f1["id"])), 204)
        f2 = self.create("/api/v1/parole-requests/%d/filings" % pr["id"],
                         {"form": "I-131", "filed_on": "2025-01-11"})
        self.assertGreater(f2["id"], f1["id"])
        # Survives a restart (the sequence is in the database, not in memory).
        self.stop()
        self.start(db_dir=self.server.dir)
        cl3 = self.create("/api/v1/clients", {"family_name": "Reuse", "given_name": "Three"})
        self.assertGreater(cl3["id"], cl2["id"])
        self.stop()

    def test_ciphertext_of_a_deleted_row_does_not_open(self):
        s = self.start()
        gone = self.create("/api/v1/clients", {"family_name": "Gone", "given_name": "Row",
                                               "a_number": "A033333333",
                                               "notes": "notes of the deleted client"})
        self.stop()
        backup = {col: sealed(s.db, "clients", col, gone["id"]) for col in ("a_number", "notes")}
        self.start(db_dir=s.dir)
        self.assertStatus(self.delete("/api/v1/clients/%d" % gone["id"]), 204)
        new = self.create("/api/v1/clients", {"family_name": "New", "given_name": "Row",
                                              "a_number": "A044444444", "notes": "new notes"})
        self.stop()
        # The attacker copies the deleted row's ciphertexts (from a backup) into the new row,
        # and, to mimic an id used again, into a row forced to the deleted row's id.
        with contextlib.closing(sqlite3.connect(s.db, isolation_level=None)) as c:
            c.execute("UPDATE clients SET a_number = ?, notes = ? WHERE id = ?",
                      (backup["a_number"], backup["notes"], new["id"]))
            if new["id"] != gone["id"]:  # before the fix the new row already had that id
                c.execute("INSERT INTO clients (id, family_name, given_name, a_number, notes,"
                          " created_at, updated_at) SELECT ?, 'Forced', 'Reuse', ?, ?,"
                          " created_at, updated_at FROM clients WHERE id = ?",
                          (gone["id"], backup["a_number"], backup["notes"], new["id"]))
        self.start(db_dir=s.dir)
        for row_id in sorted({new["id"], gone["id"]}):
            r = self.get("/api/v1/clients/%d" % row_id)
            self.assertProblem(r, 500, "internal")
            self.assertNotIn(b"A033333333", r.raw)
            self.assertNotIn(b"deleted client", r.raw)
        self.assertNotIn("A033333333", self.server.log_text())
        self.assertStatus(self.get("/healthz"), 200)
        self.stop()


class OldDatabase(EncryptionCase):

    def test_schema7_database_keeps_ids_and_data(self):
        d = tempfile.mkdtemp(prefix="paroletrack-schema7-")
        self.addCleanup(shutil.rmtree, d, True)
        db = os.path.join(d, "test.db")
        shutil.copy(os.path.join(FIXTURE, "test.db"), db)
        shutil.copy(os.path.join(FIXTURE, "test.db.key"), db + ".key")
        os.chmod(db + ".key", stat.S_IRUSR | stat.S_IWUSR)
        with open(os.path.join(FIXTURE, "fixture.json")) as f:
            fixture = json.load(f)
        with contextlib.closing(sqlite3.connect(db)) as c:
            self.assertEqual(c.execute("SELECT max(number) FROM schema_migrations").fetchone()[0],
                             7, "the fixture is a schema-7 database")
            last_step = c.execute("SELECT totp_last_step FROM users WHERE email = ?",
                                  (fixture["admin"]["email"],)).fetchone()[0]
        admin = Account(fixture["admin"]["email"], fixture["admin"]["password"], role="admin")
        admin.totp_secret = fixture["admin"]["totp_secret"]
        admin.last_step = last_step  # a TOTP step is accepted once
        remember_admin(db, admin)  # the admin signs in with the old (re-sealed) TOTP secret
        self.start(db_dir=d)
        self.assertIn("re-sealed", self.server.log_text())
        for record in fixture["made"]["clients"]:
            g = self.get("/api/v1/clients/%d" % record["id"])
            self.assertStatus(g, 200)
            for k in ("family_name", "a_number", "date_of_birth", "notes", "created_at"):
                self.assertEqual(g.json[k], record[k], k)
        pr = fixture["made"]["requests"][0]
        self.assertEqual(self.get("/api/v1/parole-requests/%d" % pr["id"]).json["summary"],
                         pr["summary"])
        fl = fixture["made"]["filings"][0]
        self.assertEqual(self.get("/api/v1/parole-requests/%d/filings/%d"
                                  % (pr["id"], fl["id"])).json["notes"], fl["notes"])
        self.assertEqual([c["id"] for c in self.get(
            "/api/v1/clients?a_number=" + fixture["made"]["clients"][0]["a_number"]
        ).json["items"]], [fixture["made"]["clients"][0]["id"]])
        # The client deleted before the upgrade (the newest) does not give its id away.
        deleted = fixture["deleted_client_id"]
        new = self.create("/api/v1/clients", {"family_name": "After", "given_name": "Upgrade"})
        self.assertGreater(new["id"], deleted)
        self.assertEqual(self.get("/api/v1/audit-events?entity=clients&entity_id=%d"
                                  % new["id"]).json["items"][0]["action"], "create")
        self.assertEqual(len(self.get("/api/v1/audit-events?entity=clients&entity_id=%d"
                                      % new["id"]).json["items"]), 1)
        self.stop()
        with contextlib.closing(sqlite3.connect(db)) as c:
            left = []
            for table, column in (("clients", "a_number"), ("clients", "notes"),
                                  ("clients", "date_of_birth"), ("parole_requests", "summary"),
                                  ("filings", "notes"), ("users", "totp_secret")):
                left += c.execute('SELECT id FROM "%s" WHERE "%s" LIKE \'enc1:%%\''
                                  % (table, column)).fetchall()
            self.assertEqual(left, [], "old-format values left after the upgrade")
            self.assertIsNone(c.execute("SELECT value FROM settings WHERE key ="
                                        " 'field_format_upgrade'").fetchone())
        code, out, err = run_cli("audit", "verify", "--db", db)
        self.assertEqual(code, 0, out + err)


class RekeyUnderAServer(EncryptionCase):

    def test_rekey_refused_while_a_server_runs(self):
        s = self.start()
        cl = self.create("/api/v1/clients", {"family_name": "Busy", "given_name": "Db",
                                             "a_number": "A055555555"})
        new_key = os.path.join(s.dir, "new.key")
        code, out, err = run_cli("rekey", "--db", s.db, "--key-file", s.db + ".key",
                                 "--new-key-file", new_key)
        self.assertNotEqual(code, 0, out + err)
        self.assertRegex(err, r"rekey refused.*a paroletrack server is using this database")
        self.assertFalse(os.path.exists(new_key), "a refused rekey leaves no new key file")
        # The server goes on reading and writing with its key.
        self.assertEqual(self.get("/api/v1/clients/%d" % cl["id"]).json["a_number"],
                         "A055555555")
        self.create("/api/v1/clients", {"family_name": "Still", "given_name": "Writes"})
        self.stop()
        # Once the server is gone, the same rekey goes through.
        code, out, err = run_cli("rekey", "--db", s.db, "--key-file", s.db + ".key",
                                 "--new-key-file", new_key)
        self.assertEqual(code, 0, out + err)

    def test_rekey_under_another_name_or_under_a_command_is_refused(self):
        """Found in review: the lock file was named after the --db text, so the same database
        reached through a symbolic link had another lock; and only the server took the lock,
        so a command using the key (user add, remind, ...) could run during a rekey."""
        s = self.start()
        new_key = os.path.join(s.dir, "new.key")
        alias = os.path.join(s.dir, "alias.db")
        os.symlink(s.db, alias)
        code, out, err = run_cli("rekey", "--db", alias, "--key-file", s.db + ".key",
                                 "--new-key-file", new_key)
        self.assertNotEqual(code, 0, out + err)
        self.assertRegex(err, r"rekey refused.*a paroletrack server is using this database")
        self.assertFalse(os.path.exists(new_key))
        self.stop()
        # A command that has the database open with its key (user add, waiting for the password
        # on standard input) keeps a rekey out until it ends.
        lock_path = s.db + ".lock"
        adder = subprocess.Popen([BIN, "user", "add", "--db", alias, "--key-file", s.db + ".key",
                                  "--email", "late@firm.test", "--name", "Late Comer",
                                  "--role", "viewer"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=clean_env())
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not lock_is_held(lock_path):
                time.sleep(0.05)
            if adder.poll() is not None:
                self.fail("user add ended early: %r" % (adder.communicate(),))
            self.assertTrue(lock_is_held(lock_path), "user add holds the database's lock")
            code, out, err = run_cli("rekey", "--db", s.db, "--key-file", s.db + ".key",
                                     "--new-key-file", new_key)
            self.assertNotEqual(code, 0, out + err)
            self.assertIn("rekey refused", err)
            _, add_err = adder.communicate(strong_password().encode() + b"\n", timeout=60)
            self.assertEqual(adder.returncode, 0, add_err.decode())
        finally:
            if adder.poll() is None:
                adder.kill()
                adder.wait()
        code, out, err = run_cli("rekey", "--db", s.db, "--key-file", s.db + ".key",
                                 "--new-key-file", new_key)
        self.assertEqual(code, 0, out + err)

    def test_server_stops_writing_when_the_key_changes_under_it(self):
        s = self.start()
        cl = self.create("/api/v1/clients", {"family_name": "Under", "given_name": "Foot",
                                             "notes": "written before the rekey"})
        # The operator removes the lock file by hand, so rekey runs under the server.
        os.unlink(s.db + ".lock")
        new_key = os.path.join(s.dir, "new.key")
        code, out, err = run_cli("rekey", "--db", s.db, "--key-file", s.db + ".key",
                                 "--new-key-file", new_key)
        self.assertEqual(code, 0, out + err)
        r = self.post("/api/v1/clients", {"family_name": "Lost", "given_name": "Write",
                                          "notes": "would be sealed with the old key"})
        self.assertProblem(r, 503, "unavailable")
        self.assertIn("rekeyed", r.json["detail"])
        r = self.patch("/api/v1/clients/%d" % cl["id"], {"notes": "changed"},
                       headers={"If-Match": '"1"'})
        self.assertProblem(r, 503, "unavailable")
        # Reads of values sealed under the new key say why too, instead of a bare 500.
        self.assertProblem(self.get("/api/v1/clients/%d" % cl["id"]), 503, "unavailable")
        deadline = time.monotonic() + 5
        while "no more writes" not in self.server.log_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertRegex(self.server.log_text(), r"key check names another key.*no more writes")
        self.stop()
        # Nothing was sealed with the stale key: with the new key every value opens, and the
        # refused create is not there.
        self.start(db_dir=s.dir, extra_args=["--key-file", new_key])
        self.assertEqual(self.get("/api/v1/clients/%d" % cl["id"]).json["notes"],
                         "written before the rekey")
        names = [c["family_name"] for c in self.get("/api/v1/clients").json["items"]]
        self.assertNotIn("Lost", names)
        self.stop()


if __name__ == "__main__":
    unittest.main()
