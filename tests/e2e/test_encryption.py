"""Encryption at rest: identifiers and narratives written through the API never appear in the
database file, its WAL or the server's log; exact lookups work through the blind index; lists
mask; a wrong or missing key stops the server at start; `paroletrack rekey` rotates the key; a
ciphertext copied to another row does not decrypt there. Passwords, session tokens and API keys
are stored only hashed."""

import base64
import contextlib
import os
import random
import re
import secrets
import shutil
import sqlite3
import stat
import string
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN, FIRM_TZ, KEY_RE, ApiTestCase, Server, clean_env, run_cli


def narrative_token():
    """A distinctive word: found in any plaintext copy or full-text index of a narrative."""
    return "Zq" + "".join(random.choice(string.ascii_lowercase) for _ in range(12))


def random_a_number():
    return "A0%08d" % random.randrange(10**8)


def random_passport():
    return "K" + "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(8))


def wrong_key_like(content):
    """Key material of the same format as `content` but a different key."""
    text = None
    try:
        text = content.decode("ascii")
    except UnicodeDecodeError:
        pass
    if text is not None and re.fullmatch(r"[0-9a-fA-F]+\s*", text):
        core = text.strip()
        new = secrets.token_hex(len(core) // 2 + 1)[:len(core)]
        return (new + text[len(core):]).encode("ascii")
    if text is not None and re.fullmatch(r"[A-Za-z0-9+/_=-]+\s*", text):
        core = text.strip()
        raw = base64.b64decode(core + "=" * (-len(core) % 4), altchars=b"-_") \
            if ("-" in core or "_" in core) else base64.b64decode(core + "=" * (-len(core) % 4))
        new = secrets.token_bytes(len(raw))
        enc = base64.urlsafe_b64encode(new) if ("-" in core or "_" in core) else \
            base64.b64encode(new)
        enc = enc.decode("ascii")
        if not core.endswith("="):
            enc = enc.rstrip("=")
        return (enc + text[len(core):]).encode("ascii")
    return secrets.token_bytes(len(content))


def start_should_fail(db, *extra, env=None, timeout=15.0):
    """Run `serve` expecting it to refuse to start; returns (exit code, stderr). Fails the
    caller (AssertionError) when it starts listening instead."""
    proc = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--timezone",
                             FIRM_TZ, *extra], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=clean_env(env))
    lines = []

    def reader():
        for raw in iter(proc.stderr.readline, b""):
            lines.append(raw.decode("utf-8", "replace"))

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if any("listening on" in ln for ln in lines):
            break
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
        proc.wait(5)
        t.join(5)
        raise AssertionError("the server started (or hung) instead of refusing: %s"
                             % "".join(lines)[-2000:])
    t.join(5)
    return proc.returncode, "".join(lines)


class EncryptionCase(ApiTestCase):
    """Each test runs its own servers (self.server is set per test)."""

    @classmethod
    def setUpClass(cls):
        unittest.TestCase.setUpClass()

    @classmethod
    def tearDownClass(cls):
        unittest.TestCase.tearDownClass()

    def setUp(self):
        self._servers = []
        self.addCleanup(self._stop_all)

    def _stop_all(self):
        for s in self._servers:
            s.kill()
        for s in self._servers:
            if s.own_dir:
                s.cleanup()

    def start(self, **kw):
        s = Server(**kw)
        self._servers.append(s)
        s.start()
        self.server = s
        return s

    def stop(self):
        code = self.server.stop()
        self.assertEqual(code, 0, "clean exit on SIGTERM: %s" % self.server.log_text()[-2000:])
        leaks = self.server.leaks()
        self.assertEqual(leaks, [], "the server log holds secrets")

    def files(self, db):
        """{name: bytes} of the database file, its WAL and shared-memory file when present."""
        out = {}
        for suffix in ("", "-wal", "-journal"):
            p = db + suffix
            if os.path.exists(p):
                with open(p, "rb") as f:
                    out[os.path.basename(p)] = f.read()
        return out

    def assertNowhere(self, needles, blobs, where):
        hits = []
        for label, needle in needles:
            b = needle.encode("utf-8") if isinstance(needle, str) else needle
            for name, data in blobs.items():
                if b in data:
                    hits.append("%s found in %s %s" % (label, where, name))
        self.assertEqual(hits, [], "plaintext at rest")

    def fill(self):
        """Write one client with identifiers and a request with every kind of narrative;
        returns (client, request, [(label, needle)])."""
        a_number, passport, dob = random_a_number(), random_passport(), "1979-03-14"
        words = {k: narrative_token() for k in ("client notes", "request summary",
                                                 "filing notes", "interview notes",
                                                 "decision notes", "expiration notes",
                                                 "rfe summary", "handled reason")}
        texts = {k: "%s: Сестра в Харкові — %s, está bien ✓" % (k, w) for k, w in words.items()}
        cl = self.create("/api/v1/clients", {
            "family_name": "Encrypted", "given_name": "Person", "a_number": a_number,
            "passport_number": passport, "date_of_birth": dob, "notes": texts["client notes"]})
        pr = self.create("/api/v1/parole-requests", {
            "client_id": cl["id"], "parole_type": "medical", "summary": texts["request summary"]})
        base = "/api/v1/parole-requests/%d/" % pr["id"]
        self.create(base + "filings", {"form": "I-131", "filed_on": "2025-01-10",
                                       "notes": texts["filing notes"]})
        self.create(base + "interviews", {"kind": "interview",
                                          "scheduled_at": "2030-05-01T10:00:00-04:00",
                                          "notes": texts["interview notes"]})
        self.create(base + "decisions", {"decided_on": "2025-06-01", "outcome": "approved",
                                         "notes": texts["decision notes"]})
        self.create(base + "expirations", {"kind": "parole", "expires_on": "2026-01-01",
                                           "notes": texts["expiration notes"]})
        rfe = self.create(base + "rfes", {"issued_on": "2025-03-01",
                                          "summary": texts["rfe summary"]})
        # A deadline marked handled: its reason is sealed like every narrative.
        self.handled = ("rfes/%d/rfe_response" % rfe["id"], texts["handled reason"])
        self.assertStatus(self.patch("/api/v1/deadlines/" + self.handled[0],
                                     {"handled_reason": self.handled[1]}), 200)
        # Changes write new ciphertexts (and audit rows); reads append read_identifiers.
        self.assertStatus(self.patch("/api/v1/clients/%d" % cl["id"],
                                     {"given_name": "Persona"}), 200)
        self.assertStatus(self.get("/api/v1/clients/%d" % cl["id"]), 200)
        needles = [("A-number", a_number), ("A-number digits", a_number[1:]),
                   ("passport number", passport), ("date of birth", dob)]
        for k in texts:
            needles.append((k, texts[k]))
            needles.append((k + " (its unique word)", words[k]))
        return cl, pr, needles, {"a_number": a_number, "passport_number": passport,
                                 "date_of_birth": dob, "notes": texts["client notes"]}


class AtRest(EncryptionCase):

    def test_no_plaintext_in_database_wal_or_log(self):
        s = self.start()
        cl, pr, needles, _ = self.fill()
        # Secrets that are stored only hashed (or encrypted).
        key = self.make_key(["read"])
        account = self.make_user("viewer")
        session = self.sign_in(account)
        hashed = [("API key", key.key), ("API key secret", KEY_RE.match(key.key).group(2)),
                  ("password", account.password), ("admin password", s.admin_account.password),
                  ("session token", session.token), ("admin session token", s.admin.token)]
        secret = s.admin_account.totp_secret
        raw_secret = base64.b32decode(secret + "=" * (-len(secret) % 8))
        hashed += [("TOTP secret", secret), ("TOTP secret bytes", raw_secret)]
        running = self.files(s.db)
        self.assertIn("test.db", running)
        self.assertNowhere(needles + hashed, running, "(server running)")
        self.stop()
        stopped = self.files(s.db)
        self.assertNowhere(needles + hashed, stopped, "(server stopped)")
        log = s.log_text().encode("utf-8")
        self.assertNowhere(needles + hashed, {"stderr": log}, "the server's")
        # Not even the column values, read through SQLite.
        with contextlib.closing(sqlite3.connect(s.db)) as c:
            dump = "\n".join(c.iterdump()).encode("utf-8")
        self.assertNowhere(needles + hashed, {"SQL dump": dump}, "the database's")

    def test_key_file_created_0600(self):
        s = self.start()
        key_file = s.db + ".key"
        self.assertTrue(os.path.exists(key_file), "the key file is created at first start")
        mode = stat.S_IMODE(os.stat(key_file).st_mode)
        self.assertEqual(mode, 0o600, "key file mode %o" % mode)
        with open(key_file, "rb") as f:
            content = f.read()
        self.assertGreaterEqual(len(content.strip()), 32)
        self.stop()
        # The key is never in the database.
        core = content.strip()
        blobs = self.files(s.db)
        self.assertNowhere([("key file content", core)], blobs, "")
        if re.fullmatch(rb"[0-9a-fA-F]+", core):
            self.assertNowhere([("key bytes", bytes.fromhex(core.decode()))], blobs, "")


class Lookup(EncryptionCase):

    def test_exact_lookup_masking_and_full_read(self):
        self.start()
        a = self.create("/api/v1/clients", {"family_name": "Lookup", "given_name": "One",
                                            "a_number": "A012345678",
                                            "passport_number": "X1234567",
                                            "date_of_birth": "1990-01-02"})
        b = self.create("/api/v1/clients", {"family_name": "Lookup", "given_name": "Two",
                                            "a_number": "A1234567", "passport_number": "Y7654321",
                                            "date_of_birth": "1991-02-03"})
        self.assertEqual(b["a_number"], "A001234567")
        for query, expected in (("a_number=A012345678", [a["id"]]),
                                ("a_number=a012345678", [a["id"]]),
                                ("a_number=A%20012-345-678", [a["id"]]),
                                ("a_number=A1234567", [b["id"]]),
                                ("a_number=A001234567", [b["id"]]),
                                ("a_number=A099999999", []),
                                ("passport_number=X1234567", [a["id"]]),
                                ("passport_number=x1234567", [a["id"]]),
                                ("passport_number=Y7654321", [b["id"]]),
                                ("passport_number=Z0000000", []),
                                ("a_number=A012345678&passport_number=Y7654321", []),
                                ("a_number=A012345678&q=lookup", [a["id"]])):
            with self.subTest(query=query):
                r = self.get("/api/v1/clients?" + query)
                self.assertStatus(r, 200)
                self.assertEqual([c["id"] for c in r.json["items"]], expected)
        for query, field in (("a_number=B12", "a_number"), ("a_number=A12", "a_number"),
                             ("passport_number=%21%21", "passport_number")):
            with self.subTest(query=query):
                self.assertProblem(self.get("/api/v1/clients?" + query), 400, "invalid-query",
                                   field=field)
        # Lists mask; GET by id shows everything.
        # Masked to the last four characters, as in the spec's example ("******5678").
        items = {c["id"]: c for c in self.list_all("/api/v1/clients")}
        self.assertEqual(items[a["id"]]["a_number"], "******5678")
        self.assertEqual(items[a["id"]]["passport_number"], "****4567")
        self.assertIsNone(items[a["id"]]["date_of_birth"])
        self.assertEqual(items[b["id"]]["a_number"], "******4567")
        self.assertEqual(items[b["id"]]["passport_number"], "****4321")
        found = self.get("/api/v1/clients?a_number=A012345678").json["items"][0]
        self.assertEqual(found["a_number"], "******5678")
        self.assertIsNone(found["date_of_birth"])
        g = self.get("/api/v1/clients/%d" % a["id"])
        self.assertEqual((g.json["a_number"], g.json["passport_number"],
                          g.json["date_of_birth"]), ("A012345678", "X1234567", "1990-01-02"))
        # Changing an identifier moves the blind index along.
        self.assertStatus(self.patch("/api/v1/clients/%d" % a["id"],
                                     {"a_number": "A055555555"}), 200)
        self.assertEqual(self.get("/api/v1/clients?a_number=A012345678").json["items"], [])
        self.assertEqual([c["id"] for c in
                          self.get("/api/v1/clients?a_number=A055555555").json["items"]],
                         [a["id"]])
        self.stop()


class Keys(EncryptionCase):

    def test_wrong_or_missing_key_refused(self):
        s = self.start()
        _, _, _, values = self.fill()
        cl_id = self.get("/api/v1/clients?a_number=" + values["a_number"]).json["items"][0]["id"]
        self.stop()
        key_file = s.db + ".key"
        with open(key_file, "rb") as f:
            good = f.read()
        wrong_file = os.path.join(s.dir, "wrong.key")
        with open(wrong_file, "wb") as f:
            f.write(wrong_key_like(good))
        os.chmod(wrong_file, 0o600)
        code, err = start_should_fail(s.db, "--key-file", wrong_file)
        self.assertNotEqual(code, 0)
        self.assertRegex(err.lower(), r"key", "a clear message about the key: %r" % err)
        self.assertNotIn(values["a_number"], err)
        # The same through the environment.
        code, err = start_should_fail(s.db, env={"PAROLETRACK_KEY_FILE": wrong_file})
        self.assertNotEqual(code, 0, err)
        code, err = start_should_fail(s.db, env={"PAROLETRACK_KEY": secrets.token_hex(32)})
        self.assertNotEqual(code, 0, err)
        # A missing key file for a database with encrypted data.
        os.rename(key_file, key_file + ".away")
        code, err = start_should_fail(s.db)
        self.assertNotEqual(code, 0)
        self.assertRegex(err.lower(), r"key", "a clear message about the key: %r" % err)
        self.assertFalse(os.path.exists(key_file),
                         "a new key must not be made for a database that has encrypted data")
        code, err = start_should_fail(s.db, "--key-file", os.path.join(s.dir, "nowhere.key"))
        self.assertNotEqual(code, 0)
        # Back in place, the data reads.
        os.rename(key_file + ".away", key_file)
        s2 = self.start(db_dir=s.dir)
        g = self.get("/api/v1/clients/%d" % cl_id)
        self.assertStatus(g, 200)
        for k, v in values.items():
            self.assertEqual(g.json[k], v, k)
        self.stop()

    def test_rekey(self):
        s = self.start()
        _, pr, _, values = self.fill()
        cl_id = self.get("/api/v1/clients?a_number=" + values["a_number"]).json["items"][0]["id"]
        self.stop()
        old_key = s.db + ".key"
        with open(old_key, "rb") as f:
            old_content = f.read()
        new_key = os.path.join(s.dir, "new.key")
        code, out, err = run_cli("rekey", "--db", s.db, "--key-file", old_key,
                                 "--new-key-file", new_key)
        self.assertEqual(code, 0, out + err)
        self.assertTrue(os.path.exists(new_key), "rekey writes the new key file")
        self.assertEqual(stat.S_IMODE(os.stat(new_key).st_mode), 0o600)
        with open(new_key, "rb") as f:
            self.assertNotEqual(f.read(), old_content)
        # The new key works.
        self.start(db_dir=s.dir, extra_args=["--key-file", new_key])
        g = self.get("/api/v1/clients/%d" % cl_id)
        self.assertStatus(g, 200)
        for k, v in values.items():
            self.assertEqual(g.json[k], v, k)
        self.assertEqual([c["id"] for c in self.get(
            "/api/v1/clients?a_number=" + values["a_number"]).json["items"]], [cl_id],
            "the blind index follows the new key")
        self.assertStatus(self.get("/api/v1/parole-requests/%d" % pr["id"]), 200)
        self.assertEqual(self.get("/api/v1/deadlines/" + self.handled[0]).json["handled_reason"],
                         self.handled[1], "the handled reason opens with the new key")
        self.stop()
        # The old one no longer does.
        code, err = start_should_fail(s.db, "--key-file", old_key)
        self.assertNotEqual(code, 0)
        self.assertRegex(err.lower(), r"key")
        # A wrong old key makes rekey fail without changing anything.
        other = os.path.join(s.dir, "other.key")
        code, out, err = run_cli("rekey", "--db", s.db, "--key-file", old_key,
                                 "--new-key-file", other)
        self.assertNotEqual(code, 0, out + err)
        self.start(db_dir=s.dir, extra_args=["--key-file", new_key])
        self.assertEqual(self.get("/api/v1/clients/%d" % cl_id).json["a_number"],
                         values["a_number"])
        self.stop()

    def test_environment_key(self):
        hexkey = secrets.token_hex(32)
        s = self.start(env_extra={"PAROLETRACK_KEY": hexkey},
                       cli_env={"PAROLETRACK_KEY": hexkey})
        cl = self.create("/api/v1/clients", {"family_name": "Env", "given_name": "Key",
                                             "a_number": "A076543210"})
        self.assertFalse(os.path.exists(s.db + ".key"),
                         "no key file is made when the key comes from PAROLETRACK_KEY")
        self.stop()
        code, err = start_should_fail(s.db, env={"PAROLETRACK_KEY": secrets.token_hex(32)})
        self.assertNotEqual(code, 0)
        self.start(db_dir=s.dir, env_extra={"PAROLETRACK_KEY": hexkey})
        self.assertEqual(self.get("/api/v1/clients/%d" % cl["id"]).json["a_number"],
                         "A076543210")
        self.stop()

    def test_upgrade_seals_plaintext_of_an_older_database(self):
        """A database from before encryption (schema 2) holds identifiers in the clear; after
        the upgrade they read back the same, are found by exact lookup, and are gone from the
        file."""
        d = tempfile.mkdtemp(prefix="paroletrack-upgrade-")
        self.addCleanup(shutil.rmtree, d, True)
        db = os.path.join(d, "test.db")
        code, out, err = run_cli("migrate", "--db", db, "--to", "2")
        self.assertEqual(code, 0, out + err)
        a_number, passport = random_a_number(), random_passport()
        words = [narrative_token() for _ in range(3)]
        now = "2026-01-01T00:00:00Z"
        with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as c:
            c.execute("INSERT INTO clients (family_name, given_name, a_number, passport_number,"
                      " date_of_birth, notes, created_at, updated_at) VALUES"
                      " ('Legacy', 'Row', ?, ?, '1966-06-16', ?, ?, ?)",
                      (a_number, passport, "legacy notes " + words[0], now, now))
            cid = c.execute("SELECT max(id) FROM clients").fetchone()[0]
            c.execute("INSERT INTO parole_requests (client_id, parole_type, summary, created_at,"
                      " updated_at) VALUES (?, 'medical', ?, ?, ?)",
                      (cid, "legacy summary " + words[1], now, now))
            pid = c.execute("SELECT max(id) FROM parole_requests").fetchone()[0]
            c.execute("INSERT INTO filings (parole_request_id, form, filed_on, kind, notes,"
                      " created_at, updated_at) VALUES (?, 'I-131', '2025-01-10', 'initial', ?,"
                      " ?, ?)", (pid, "legacy filing " + words[2], now, now))
        s = self.start(db_dir=d)
        g = self.get("/api/v1/clients/%d" % cid)
        self.assertStatus(g, 200)
        self.assertEqual((g.json["a_number"], g.json["passport_number"], g.json["date_of_birth"],
                          g.json["notes"]),
                         (a_number, passport, "1966-06-16", "legacy notes " + words[0]))
        self.assertEqual(self.get("/api/v1/parole-requests/%d" % pid).json["summary"],
                         "legacy summary " + words[1])
        self.assertEqual([c["id"] for c in self.get(
            "/api/v1/clients?a_number=" + a_number).json["items"]], [cid])
        self.assertEqual([c["id"] for c in self.get(
            "/api/v1/clients?passport_number=" + passport).json["items"]], [cid])
        self.stop()
        with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as c:
            self.assertEqual(c.execute("SELECT value FROM settings WHERE key ="
                                       " 'plaintext_sealed'").fetchall(), [("1",)],
                             "the sealing pass is recorded, so later starts skip the scan")
        needles = [("A-number", a_number), ("A-number digits", a_number[1:]),
                   ("passport number", passport), ("date of birth", "1966-06-16")]
        needles += [("legacy narrative", w) for w in words]
        self.assertNowhere(needles, self.files(db), "(upgraded)")

    def test_an_old_i94_number_does_not_block_an_edit(self):
        """An I-94 number stored under the old rule (any 11 letters and digits) still reads
        back; an edit of another field of its expiration succeeds, while an edit of the number
        itself must meet today's shape."""
        d = tempfile.mkdtemp(prefix="paroletrack-upgrade-")
        self.addCleanup(shutil.rmtree, d, True)
        db = os.path.join(d, "test.db")
        code, out, err = run_cli("migrate", "--db", db, "--to", "2")
        self.assertEqual(code, 0, out + err)
        now = "2026-01-01T00:00:00Z"
        with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as c:
            c.execute("INSERT INTO clients (family_name, given_name, created_at, updated_at)"
                      " VALUES ('Legacy', 'Number', ?, ?)", (now, now))
            cid = c.execute("SELECT max(id) FROM clients").fetchone()[0]
            c.execute("INSERT INTO parole_requests (client_id, parole_type, created_at,"
                      " updated_at) VALUES (?, 'medical', ?, ?)", (cid, now, now))
            pid = c.execute("SELECT max(id) FROM parole_requests").fetchone()[0]
            c.execute("INSERT INTO expirations (parole_request_id, kind, expires_on,"
                      " document_number, created_at, updated_at) VALUES"
                      " (?, 'i94', '2027-03-01', 'AB123456789', ?, ?)", (pid, now, now))
            eid = c.execute("SELECT max(id) FROM expirations").fetchone()[0]
        self.start(db_dir=d)
        path = "/api/v1/parole-requests/%d/expirations/%d" % (pid, eid)
        self.assertEqual(self.get(path).json["document_number"], "AB123456789")
        fixed = self.patch(path, {"expires_on": "2027-04-01"})
        self.assertStatus(fixed, 200)
        self.assertEqual((fixed.json["expires_on"], fixed.json["document_number"]),
                         ("2027-04-01", "AB123456789"))
        self.assertProblem(self.patch(path, {"document_number": "CD123456789"}), 422,
                           "validation", field="document_number")
        self.assertProblem(self.patch(path, {"kind": "ead"}), 422, "validation",
                           field="document_number")
        self.assertEqual(self.get(path).json["expires_on"], "2027-04-01")
        self.stop()

    def test_ciphertext_bound_to_its_row(self):
        s = self.start()
        a = self.create("/api/v1/clients", {"family_name": "Row", "given_name": "A",
                                            "a_number": "A011111111", "notes": "Row A notes"})
        b = self.create("/api/v1/clients", {"family_name": "Row", "given_name": "B",
                                            "a_number": "A022222222", "notes": "Row B notes"})
        self.stop()
        with contextlib.closing(sqlite3.connect(s.db, isolation_level=None)) as c:
            cols = [row[1] for row in c.execute("PRAGMA table_info(clients)")]
            moved = [col for col in cols if "a_number" in col or "notes" in col]
            self.assertTrue(moved, "no a_number/notes columns in clients: %r" % cols)
            for col in moved:
                c.execute('UPDATE clients SET "%s" = (SELECT "%s" FROM clients WHERE id = ?) '
                          'WHERE id = ?' % (col, col), (a["id"], b["id"]))
        self.start(db_dir=s.dir)
        r = self.get("/api/v1/clients/%d" % b["id"], validate=False)
        if r.status == 200:
            self.assertNotEqual(r.json.get("a_number"), "A011111111",
                                "a ciphertext copied from another row decrypted")
            self.assertNotEqual(r.json.get("notes"), "Row A notes",
                                "a ciphertext copied from another row decrypted")
        else:
            self.assertGreaterEqual(r.status, 500, repr(r))
            self.assertNotIn(b"A011111111", r.raw)
        self.assertStatus(self.get("/healthz"), 200)
        self.assertEqual(self.get("/api/v1/clients/%d" % a["id"]).json["a_number"], "A011111111")
        self.stop()


if __name__ == "__main__":
    unittest.main()
