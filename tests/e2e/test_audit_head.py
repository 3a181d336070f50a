"""The audit trail's sealed head and anchors, attacked as someone with write access to the
database file but not the key would: with the sqlite3 command-line tool on a copy of the server's
database (no process holds it), they drop the append-only triggers, then cut off the newest
events and point the head at the new last one, delete every event and the head, strip the head's
MAC, or append a forged event. `paroletrack audit verify` must fail on each, also after a server
and a CLI command opened the database with its key (nothing reseals a tampered head), and
`audit verify --anchor` must catch a rollback past an anchor printed by `audit anchor`."""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from harness import ApiTestCase, Server, run_cli

ANCHOR_RE = re.compile(r"^paroletrack-audit-anchor v1 id=(\d+) count=(\d+) hash=([0-9a-f]{64}) "
                       r"at=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$")
TRIGGERS = ("audit_events_no_update", "audit_events_no_delete", "audit_head_no_delete")


class AuditHead(ApiTestCase):

    def make_events(self, n=3):
        """n changes through the API (each appends one event)."""
        cl = self.make_client()
        for i in range(n - 1):
            self.assertStatus(self.patch("/api/v1/clients/%d" % cl["id"],
                                         {"given_name": "Head %d" % i}), 200)

    def copy(self):
        """A consistent copy of the running server's database and its key, in a new directory
        removed after the test. Returns the copy's path."""
        d = tempfile.mkdtemp(prefix="paroletrack-audit-head-")
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, "test.db")
        src = sqlite3.connect(self.server.db, timeout=10)
        dst = sqlite3.connect(path)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        shutil.copy(self.server.db + ".key", path + ".key")
        os.chmod(path + ".key", 0o600)
        return path

    def sqlite3_cli(self, path, sql):
        """Run SQL with the sqlite3 command-line tool, as the attacker would."""
        p = subprocess.run(["sqlite3", "-bail", path], input=sql.encode(), capture_output=True,
                           timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr.decode())

    def query(self, path, sql):
        c = sqlite3.connect(path)
        try:
            return c.execute(sql).fetchall()
        finally:
            c.close()

    def drop_triggers(self, path):
        names = [r[0] for r in self.query(path, "SELECT name FROM sqlite_master "
                                                "WHERE type = 'trigger'")]
        self.sqlite3_cli(path, "".join('DROP TRIGGER "%s";\n' % t for t in names
                                       if t in TRIGGERS))

    def rewrite_head(self, path, last_id):
        """Point the recorded head at event last_id with the fields an attacker can compute
        (id, its hash, the count): the unkeyed settings row of older versions, or the head
        table's columns, leaving the MAC as it is."""
        tables = [r[0] for r in self.query(path, "SELECT name FROM sqlite_master "
                                                 "WHERE type = 'table'")]
        sql = ("UPDATE settings SET value = %d || ' ' || (SELECT hash FROM audit_events "
               "WHERE id = %d) WHERE key = 'audit_head';\n" % (last_id, last_id))
        if "audit_head" in tables:
            sql += ("UPDATE audit_head SET event_id = %d, event_count = (SELECT count(*) FROM "
                    "audit_events), hash = (SELECT hash FROM audit_events WHERE id = %d);\n"
                    % (last_id, last_id))
        self.sqlite3_cli(path, sql)

    def verify(self, path, *extra):
        return run_cli("audit", "verify", "--db", path, *extra)

    def assertBroken(self, path, pattern, *extra):
        code, out, err = self.verify(path, *extra)
        self.assertEqual(code, 1, "tampering went unnoticed: " + out + err)
        self.assertRegex(out + err, pattern)

    def reopen_with_key(self, path):
        """What a later start does: a server opens the database with its key and stops; a CLI
        command appends an event."""
        s = Server(db_dir=os.path.dirname(path))
        try:
            s.start(bootstrap=False)
        finally:
            self.assertEqual(s.stop(), 0)
        code, out, err = run_cli("user", "add", "--db", path, "--email", "late@example.org",
                                 "--name", "Late", "--role", "viewer", "--generate-password")
        self.assertEqual(code, 0, out + err)

    def anchor(self, path):
        code, out, err = run_cli("audit", "anchor", "--db", path)
        self.assertEqual(code, 0, out + err)
        line = out.strip()
        self.assertRegex(line, ANCHOR_RE)
        return line

    def test_cutting_off_the_newest_events_and_rewriting_the_head(self):
        self.make_events(6)
        path = self.copy()
        code, out, err = self.verify(path)
        self.assertEqual(code, 0, out + err)
        last = self.query(path, "SELECT max(id) FROM audit_events")[0][0]
        self.drop_triggers(path)
        self.sqlite3_cli(path, "DELETE FROM audit_events WHERE id > %d;" % (last - 3))
        self.rewrite_head(path, last - 3)
        self.assertBroken(path, r"audit trail broken at event \d+: the audit head's MAC is wrong")
        # A start with the key and a later append do not make it pass again.
        self.reopen_with_key(path)
        self.assertBroken(path, r"audit trail broken at event \d+: ")

    def test_cut_without_touching_the_head(self):
        self.make_events(4)
        path = self.copy()
        last = self.query(path, "SELECT max(id) FROM audit_events")[0][0]
        self.drop_triggers(path)
        self.sqlite3_cli(path, "DELETE FROM audit_events WHERE id > %d;" % (last - 2))
        self.assertBroken(path, r"audit trail broken at event %d: the trail ends at event %d "
                                r"\(\d+ events\) but its sealed head is event %d .*removed"
                          % (last - 2, last - 2, last))

    def test_stripping_the_heads_mac(self):
        self.make_events(4)
        path = self.copy()
        last = self.query(path, "SELECT max(id) FROM audit_events")[0][0]
        self.drop_triggers(path)
        self.sqlite3_cli(path, "DELETE FROM audit_events WHERE id = %d;" % last)
        self.rewrite_head(path, last - 1)
        self.sqlite3_cli(path, "UPDATE audit_head SET mac = NULL;")
        self.assertBroken(path, r"the audit head is not sealed")
        self.reopen_with_key(path)
        self.assertBroken(path, r"audit trail broken at event \d+: ")

    def test_deleting_every_event_and_the_head(self):
        self.make_events(3)
        path = self.copy()
        self.drop_triggers(path)
        self.sqlite3_cli(path, "DELETE FROM audit_events; DELETE FROM settings WHERE key = "
                               "'audit_head';")
        if self.query(path, "SELECT 1 FROM sqlite_master WHERE name = 'audit_head'"):
            self.sqlite3_cli(path, "DELETE FROM audit_head;")
        self.assertBroken(path, r"audit trail broken at event 0: the audit head is missing")
        self.reopen_with_key(path)
        self.assertBroken(path, r"the audit head is missing")

    def test_deleting_every_event_with_the_key_check_and_the_audit_key(self):
        """Found in review: with the key check and the audit key gone too, the database was
        taken for a new one; it got a fresh audit key and an empty sealed head, and the emptied
        trail verified ("intact: 0 events"). Now nothing opens it, and no new key appears."""
        self.make_events(3)
        self.make_client(notes="sealed at rest")
        path = self.copy()
        self.drop_triggers(path)
        self.sqlite3_cli(path, "DELETE FROM audit_events; DELETE FROM audit_head; DELETE FROM "
                               "settings WHERE key IN ('key_check', 'audit_key');")
        code, out, err = self.verify(path)
        self.assertNotEqual(code, 0, "tampering went unnoticed: " + out + err)
        self.assertIn("lost its key check", out + err)
        self.assertNotIn("intact", out + err)
        # The server refuses it as well, and it stays as the attacker left it.
        code, out, err = run_cli("serve", "--db", path, "--listen", "127.0.0.1:0", timeout=15)
        self.assertNotEqual(code, 0)
        self.assertIn("lost its key check", err)
        self.assertEqual(self.query(path, "SELECT count(*) FROM settings WHERE key IN "
                                          "('key_check', 'audit_key')"), [(0,)])
        # Deleting the accounts as well does not help: the sealed values remain.
        self.sqlite3_cli(path, "DELETE FROM sessions; DELETE FROM recovery_codes; "
                               "DELETE FROM calendar_feeds; UPDATE parole_requests SET "
                               "assigned_attorney_id = NULL, assigned_paralegal_id = NULL; "
                               "UPDATE api_keys SET created_by = NULL; DELETE FROM users;")
        self.assertIn("lost its key check", "".join(self.verify(path)[1:]))

    def test_forged_event_appended(self):
        self.make_events(3)
        path = self.copy()
        last, = self.query(path, "SELECT max(id) FROM audit_events")[0]
        self.drop_triggers(path)
        # A copy of the last event's row as the next one, linked to it by its stored hash.
        self.sqlite3_cli(path, "INSERT INTO audit_events (id, at, actor_type, actor_id, "
                               "actor_label, action, entity, entity_id, parole_request_id, "
                               "request_id, changes, prev_hash, hash) SELECT id + 1, at, "
                               "actor_type, actor_id, actor_label, 'delete', entity, entity_id,"
                               " parole_request_id, request_id, changes, hash, hash FROM "
                               "audit_events WHERE id = %d;" % last)
        self.assertBroken(path, r"audit trail broken at event %d: " % (last + 1))

    def test_anchor_holds_while_the_trail_grows_and_catches_a_rollback(self):
        self.make_events(3)
        code, out, err = self.server.cli("audit", "anchor")
        self.assertEqual(code, 0, out + err)
        line = out.strip()
        m = ANCHOR_RE.match(line)
        self.assertIsNotNone(m, line)
        anchored_id, anchored_count = int(m.group(1)), int(m.group(2))
        events = self.list_all("/api/v1/audit-events")
        self.assertEqual(anchored_count, len(events))
        self.assertEqual(anchored_id, events[-1]["id"])
        self.assertEqual(m.group(3), events[-1]["hash"])
        code, out, err = self.server.cli("audit", "verify", "--anchor", line)
        self.assertEqual(code, 0, out + err)
        self.assertIn("holds the anchored event %d" % anchored_id, out)
        # More events: the anchor is still held, and the new head is a later anchor.
        self.make_events(3)
        code, out, err = self.server.cli("audit", "verify", "--anchor", line)
        self.assertEqual(code, 0, out + err)
        path = self.copy()
        later = ANCHOR_RE.match(self.anchor(path))
        self.assertGreater(int(later.group(1)), anchored_id)
        # Rolled back past the anchor, with a head the attacker wrote.
        self.drop_triggers(path)
        self.sqlite3_cli(path, "DELETE FROM audit_events WHERE id >= %d;" % anchored_id)
        self.rewrite_head(path, anchored_id - 1)
        self.assertBroken(path, r"audit trail broken", "--anchor", line)

    def test_anchor_catches_a_rollback_behind_a_valid_head(self):
        # The database as it was (a backup), and the anchor taken later: restoring the backup
        # is a rollback that only the anchor can see.
        self.make_events(2)
        backup = self.copy()
        self.make_events(2)
        code, out, err = self.server.cli("audit", "anchor")
        self.assertEqual(code, 0, out + err)
        line = out.strip()
        code, out, err = self.verify(backup)
        self.assertEqual(code, 0, out + err)
        anchored_id = int(ANCHOR_RE.match(line).group(1))
        self.assertBroken(backup, r"audit trail broken at event %d: the anchored event %d is "
                                  r"gone: the trail was rolled back past the anchor"
                          % (anchored_id, anchored_id), "--anchor", line)
        # A rewritten anchor (another hash or count for that event) fails on the live trail.
        forged = re.sub(r"hash=[0-9a-f]{64}", "hash=" + "ab" * 32, line)
        code, out, err = self.server.cli("audit", "verify", "--anchor", forged)
        self.assertEqual(code, 1, out + err)
        self.assertIn("does not have the anchored hash", out)
        forged = re.sub(r"count=\d+", "count=1", line)
        code, out, err = self.server.cli("audit", "verify", "--anchor", forged)
        self.assertEqual(code, 1, out + err)

    def test_malformed_anchor(self):
        good = ("paroletrack-audit-anchor v1 id=3 count=3 hash=%s at=2025-01-01T00:00:00Z"
                % ("0" * 64))
        for bad in ("", "yesterday", good.replace("v1", "v9"), good.replace("id=3", "id=three"),
                    good.replace("hash=" + "0" * 64, "hash=00"),
                    good.replace("at=2025-01-01T00:00:00Z", "at=2025-13-01"),
                    good + " extra"):
            with self.subTest(anchor=bad):
                code, out, err = self.server.cli("audit", "verify", "--anchor", bad)
                self.assertEqual(code, 2, out + err)
                self.assertRegex(err, r"paroletrack: malformed --anchor: the anchor")
        code, out, err = self.server.cli("audit", "anchor", "--anchor", good)
        self.assertEqual(code, 2, out + err)


if __name__ == "__main__":
    unittest.main()
