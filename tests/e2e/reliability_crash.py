"""Crashes (issue 14): eight writers create clients, parole requests and expiration dates
(which move the deadline ledger) and change requests through the API, every write tagged
uniquely; a write counts as acknowledged only once its whole 2xx reply was read. The server is
SIGKILLed at a random moment, alone or while a WAL checkpoint, `remind` or `backup` runs beside
it (killed too), then checked offline and restarted: `integrity_check` ok, `foreign_key_check`
empty, every acknowledged write present with its audit event, every unacknowledged one wholly
present (row and event) or wholly absent, `audit verify` and `deadlines verify` pass, no backup
half-written under its final name, and the server starts again on the file.

PAROLETRACK_CRASH_ROUNDS sets the rounds of the plain kill (10 in the suite) and
PAROLETRACK_CRASH_VARIANT_ROUNDS those of each variant (4); the long run,
tests/reliability/run.sh --long, asks for 200 and 50. Not a test_*.py module: meson runs it as
the test `crash` (suite reliability), apart from the end-to-end suite and its time limit."""

import glob
import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from contextlib import closing

from harness import BIN, Server, clean_env, day, run_cli, token

ROUNDS = int(os.environ.get("PAROLETRACK_CRASH_ROUNDS", "10"))
VARIANT_ROUNDS = int(os.environ.get("PAROLETRACK_CRASH_VARIANT_ROUNDS", "4"))
FRESH_EVERY = 25  # rounds on one database before a new one
WRITERS = 8


class Writer(threading.Thread):
    """Writes until the connection fails, recording each write as acknowledged (its reply read
    whole, 2xx) or in doubt (sent, no whole reply)."""

    def __init__(self, host, port, key, index):
        super().__init__(daemon=True)
        self.host, self.port, self.key, self.index = host, port, key, index
        self.acked = []  # (kind, tag, id)
        self.doubt = []  # (kind, tag, id or None)
        self.refused = []  # (status, body) of a write the server refused: a bug

    def call(self, conn, method, path, body):
        conn.request(method, path, body=json.dumps(body),
                     headers={"Authorization": "Bearer " + self.key,
                              "Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        return r.status, json.loads(data) if data else None

    def run(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        requests = []  # ids of this writer's acknowledged parole requests
        n = 0
        while True:
            n += 1
            tag = "W%d-%d-%s" % (self.index, n, token(6))
            choice = n % 3 if requests else 0
            if choice == 0:
                kind, method, path, body = "client", "POST", "/api/v1/clients", {
                    "family_name": tag, "given_name": "Crash"}
            elif choice == 1:
                target = random.choice(requests)
                kind, method = "expiration", "POST"
                path = "/api/v1/parole-requests/%d/expirations" % target
                body = {"kind": "i94", "expires_on": day(random.randint(30, 400))}
                tag = None  # an expiration carries no text of ours: found by its id
            else:
                target = random.choice(requests)
                kind, method = "sponsor", "PATCH"
                path = "/api/v1/parole-requests/%d" % target
                body = {"sponsor_name": tag}
            try:
                status, reply = self.call(conn, method, path, body)
            except (OSError, http.client.HTTPException, ValueError):
                self.doubt.append((kind, tag, path))
                return
            if status >= 300:
                self.refused.append((status, reply))
                return
            self.acked.append((kind, tag, reply["id"] if kind != "sponsor" else target))
            if kind == "client":
                # and a parole request for it, so later writes move the deadline ledger
                try:
                    status, reply = self.call(conn, "POST", "/api/v1/parole-requests", {
                        "client_id": reply["id"], "parole_type": "humanitarian",
                        "sponsor_name": tag + "-request"})
                except (OSError, http.client.HTTPException, ValueError):
                    self.doubt.append(("request", tag + "-request", None))
                    return
                if status >= 300:
                    self.refused.append((status, reply))
                    return
                self.acked.append(("request", tag + "-request", reply["id"]))
                requests.append(reply["id"])


class CrashRecovery(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dir = None
        cls.fresh_database()

    @classmethod
    def fresh_database(cls):
        """A new database (and its writers' API key): the checks read the whole file after each
        round, so a long run starts over every FRESH_EVERY rounds instead of growing one."""
        if cls.dir is not None:
            shutil.rmtree(cls.dir, ignore_errors=True)
        cls.dir = tempfile.mkdtemp(prefix="paroletrack-crash-")
        cls.db = os.path.join(cls.dir, "test.db")
        first = Server(db_dir=cls.dir).start()
        try:
            c = http.client.HTTPConnection(first.host, first.port, timeout=10)
            c.request("POST", "/api/v1/api-keys",
                      body=json.dumps({"name": "Crash writers", "scopes": ["read", "write"]}),
                      headers=dict(first.admin.headers("POST"),
                                   **{"Content-Type": "application/json"}))
            r = c.getresponse()
            cls.key = json.loads(r.read())["key"]
            assert r.status == 201
            c.close()
        finally:
            first.stop()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def rows(self, sql, *args):
        return self.reader.execute(sql, args).fetchall()

    def check_store(self, writers):
        # One read-only connection for every check (each new one would recover the WAL anew).
        with closing(sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)) as self.reader:
            self.check_rows(writers)
        for args in (("audit", "verify"), ("deadlines", "verify")):
            code, out, err = run_cli(*args, "--db", self.db)
            self.assertEqual(code, 0, "%s after the crash: %s%s" % (" ".join(args), out, err))

    def check_rows(self, writers):
        self.assertEqual(self.rows("PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(self.rows("PRAGMA foreign_key_check"), [])
        for w in writers:
            self.assertEqual(w.refused, [], "a write was refused before the crash")
            for kind, tag, rid in w.acked:
                with self.subTest(kind=kind, tag=tag):
                    if kind == "client":
                        self.assertEqual(self.rows("SELECT family_name FROM clients WHERE id=?",
                                                   rid), [(tag,)], "acknowledged, then lost")
                    elif kind == "request":  # (its sponsor may have changed since)
                        self.assertEqual(len(self.rows("SELECT id FROM parole_requests"
                                                       " WHERE id=?", rid)), 1)
                    elif kind == "expiration":
                        self.assertEqual(len(self.rows("SELECT id FROM expirations WHERE id=?",
                                                       rid)), 1, "acknowledged, then lost")
                    entity = {"client": "clients", "request": "parole_requests",
                              "expiration": "expirations", "sponsor": "parole_requests"}[kind]
                    self.assertGreaterEqual(len(self.rows(
                        "SELECT id FROM audit_events WHERE entity=? AND entity_id=?", entity,
                        rid)), 1, "an acknowledged write without its audit event")
            for kind, tag, _ in w.doubt:
                if tag is None:
                    continue  # an expiration in doubt: checked wholly by the verifies below
                table, column = {"client": ("clients", "family_name"),
                                 "request": ("parole_requests", "sponsor_name"),
                                 "sponsor": ("parole_requests", "sponsor_name")}[kind]
                found = self.rows("SELECT id FROM %s WHERE %s=?" % (table, column), tag)
                events = [r for (r,) in self.rows(
                    "SELECT changes FROM audit_events WHERE entity=? AND changes LIKE ?", table,
                    "%" + tag + "%")]
                # wholly there (the row and its event) or wholly absent
                self.assertEqual(bool(found), bool(events),
                                 "a write in doubt half there: %s %s" % (kind, tag))

    def crash_rounds(self, beside=None):
        """ROUNDS times (VARIANT_ROUNDS with `beside`): start the server, start the writers (and `beside`, a function that
        starts a process next to them and returns it), kill everything at a random moment,
        check."""
        total = 0
        rounds = VARIANT_ROUNDS if beside else ROUNDS
        for n in range(rounds):
            if n > 0 and n % FRESH_EVERY == 0:
                self.fresh_database()
            server = Server(db_dir=self.dir).start(bootstrap=False)
            writers = [Writer(server.host, server.port, self.key, i) for i in range(WRITERS)]
            for w in writers:
                w.start()
            other = beside() if beside else None
            time.sleep(random.uniform(0.15, 0.8))
            server.proc.kill()  # SIGKILL
            if other is not None and other.poll() is None:
                other.kill()
            server.stop()  # reaps it and its log reader
            if other is not None:
                # it was killed with the server, or had finished its work: never failed
                self.assertIn(other.wait(10), (0, -9), "the process beside the server failed")
            for w in writers:
                w.join(15)
                self.assertFalse(w.is_alive(), "a writer hung after the server died")
            total += sum(len(w.acked) for w in writers)
            self.check_store(writers)
            for partial in glob.glob(os.path.join(self.dir, "*.partial-*")):
                os.unlink(partial)
        self.assertGreater(total, rounds * 5, "too few writes were acknowledged to prove much")
        print("kill -9 %s: %d rounds, %d acknowledged writes, every one held" % (
            self._testMethodName[len("test_kill_9_"):].replace("_", " "), rounds, total),
            file=sys.stderr, flush=True)

    def test_kill_9_while_writing(self):
        self.crash_rounds()

    def test_kill_9_during_wal_checkpoints(self):
        # Another process checkpoints the WAL over and over while the server writes (the
        # database's path is read each round: a long run starts new databases).
        def checkpointer():
            script = ("import sqlite3, time\n"
                      "c = sqlite3.connect(%r, timeout=5)\n"
                      "while True:\n"
                      "    c.execute('PRAGMA wal_checkpoint(TRUNCATE)').fetchall()\n"
                      "    time.sleep(0.005)\n" % self.db)
            return subprocess.Popen(["/usr/bin/python3", "-c", script], stderr=subprocess.DEVNULL)
        self.crash_rounds(checkpointer)

    def test_kill_9_during_remind(self):
        self.crash_rounds(lambda: subprocess.Popen(
            [BIN, "remind", "--db", self.db], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env=clean_env()))

    def test_kill_9_during_backup(self):
        backups = []

        def start():
            dest = os.path.join(self.dir, "backup-%s.db" % token(6))
            backups.append(dest)
            return subprocess.Popen([BIN, "backup", "--db", self.db, "--to", dest],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    env=clean_env())
        self.crash_rounds(start)
        # A backup killed half-way leaves nothing under its name; one that finished restores.
        for dest in backups:
            if os.path.exists(dest):
                restored = dest + ".restored"
                shutil.copy(self.db + ".key", restored + ".key")
                code, out, err = run_cli("restore", "--from", dest, "--db", restored)
                self.assertEqual(code, 0, out + err)
