"""The binary's commands: migrate (from the first migration to the latest), refusal of a changed
or newer schema, the demo's refusal to touch a named database, flags and environment, --help,
healthcheck, and what the server writes to its log."""

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
import unittest

from harness import BIN, Account, Server, hold_live


def run(*args, env_extra=None, timeout=30):
    """Run the binary to completion; returns (exit code, stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAROLETRACK_")}
    env.update(env_extra or {})
    p = subprocess.run([BIN, *args], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout, env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class Cli(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="paroletrack-cli-")
        self.db = os.path.join(self.dir, "test.db")  # the name Server uses

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def migrations(self):
        with sqlite3.connect(self.db) as c:
            return c.execute("SELECT number, name, length(checksum) FROM schema_migrations"
                             " ORDER BY number").fetchall()

    def test_upgrade_from_first_migration_keeps_data(self):
        code, _, err = run("migrate", "--db", self.db, "--to", "1")
        self.assertEqual(code, 0, err)
        self.assertEqual([m[0] for m in self.migrations()], [1])
        with sqlite3.connect(self.db) as c:
            c.execute("INSERT INTO clients (family_name, given_name, created_at, updated_at)"
                      " VALUES ('Шевченко', 'Тарас', '2026-01-01T00:00:00Z',"
                      " '2026-01-01T00:00:00Z')")
            tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
        self.assertNotIn("filings", tables)
        code, _, err = run("migrate", "--db", self.db)
        self.assertEqual(code, 0, err)
        ms = self.migrations()
        self.assertGreaterEqual(len(ms), 2)
        self.assertTrue(all(m[2] == 64 for m in ms), ms)  # SHA-256 hex
        s = Server(db_dir=self.dir).start()
        try:
            c = http.client.HTTPConnection(s.host, s.port, timeout=10)
            c.request("GET", "/api/v1/clients/1", headers=s.admin.headers("GET"))
            r = c.getresponse()
            body = json.loads(r.read())
            self.assertEqual(r.status, 200)
            self.assertEqual(body["family_name"], "Шевченко")
            c.request("GET", "/api/v1/parole-requests/1/filings", headers=s.admin.headers("GET"))
            self.assertEqual(c.getresponse().status, 404)  # the table exists; no such request
            c.close()
        finally:
            self.assertEqual(s.stop(), 0)
        # Migrating again applies nothing and changes nothing.
        code, _, err = run("migrate", "--db", self.db)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.migrations(), ms)

    def test_changed_migration_refused(self):
        self.assertEqual(run("migrate", "--db", self.db)[0], 0)
        with sqlite3.connect(self.db) as c:
            c.execute("UPDATE schema_migrations SET checksum = '%s' WHERE number = 1" % ("0" * 64))
        for command in ("serve", "migrate"):
            code, _, err = run(command, "--db", self.db, "--listen", "127.0.0.1:0")
            self.assertNotEqual(code, 0)
            self.assertIn("differs", err)
            self.assertIn("0001_", err)

    def test_newer_database_refused(self):
        self.assertEqual(run("migrate", "--db", self.db)[0], 0)
        with sqlite3.connect(self.db) as c:
            c.execute("INSERT INTO schema_migrations VALUES (999, '0999_from_the_future',"
                      " 'x', '2030-01-01T00:00:00Z')")
        code, _, err = run("serve", "--db", self.db, "--listen", "127.0.0.1:0")
        self.assertNotEqual(code, 0)
        self.assertIn("newer than this binary", err)

    def test_demo_refuses_a_named_database(self):
        code, _, err = run("demo", "--db", self.db, "--listen", "127.0.0.1:0")
        self.assertEqual(code, 2)
        self.assertIn("never writes into a database you name", err)
        self.assertFalse(os.path.exists(self.db))

    def test_flags_and_environment(self):
        code, _, err = run("serve")
        self.assertEqual(code, 2)
        self.assertIn("--db", err)
        code, _, err = run("serve", "--db", self.db, "--timezone", "Mars/Olympus_Mons")
        self.assertEqual(code, 2)
        self.assertIn("unknown time zone", err)
        code, _, err = run("serve", "--db", self.db, "--bogus", "1")
        self.assertEqual(code, 2)
        self.assertIn("unknown option --bogus", err)
        code, _, err = run("serve", "--db", self.db, "--listen", "not-an-address")
        self.assertNotEqual(code, 0)
        self.assertIn("listen", err)
        code, _, err = run("serve", env_extra={"PAROLETRACK_DB": self.db,
                                              "PAROLETRACK_TZ": "Nowhere/Else"})
        self.assertEqual(code, 2)
        self.assertIn("unknown time zone", err)  # read from the environment
        code, _, err = run("frobnicate")
        self.assertEqual(code, 2)

    def test_help_documents_every_flag(self):
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        for word in ("serve", "migrate", "demo", "routes", "healthcheck", "--db", "--listen",
                     "--timezone", "--max-body", "--threads", "--to", "--per-ip-connections", "PAROLETRACK_DB",
                     "--max-connections", "--request-timeout", "PAROLETRACK_REQUEST_TIMEOUT",
                     "PAROLETRACK_LISTEN", "PAROLETRACK_TZ", "user", "api-key", "audit", "rekey",
                     "--key-file", "--new-key-file", "--secure-cookies", "--generate-password",
                     "--email", "--role", "--scopes", "PAROLETRACK_KEY_FILE", "PAROLETRACK_KEY"):
            self.assertIn(word, out)
        self.assertEqual(run("serve", "--help")[1], out)
        code, out, _ = run("version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^paroletrack \d+\.\d+\.\d+\n$")

    def test_healthcheck_and_environment_listen(self):
        s = Server(db_dir=self.dir).start()
        try:
            code, _, _ = run("healthcheck", "--listen", "127.0.0.1:%d" % s.port)
            self.assertEqual(code, 0)
            code, _, _ = run("healthcheck", env_extra={"PAROLETRACK_LISTEN":
                                                       "127.0.0.1:%d" % s.port})
            self.assertEqual(code, 0)
        finally:
            self.assertEqual(s.stop(), 0)
        code, _, _ = run("healthcheck", "--listen", "127.0.0.1:%d" % s.port)
        self.assertEqual(code, 1)  # nothing listens any more

    def test_serve_reports_zone_and_clean_stop(self):
        s = Server(db_dir=self.dir, timezone="Asia/Kabul").start()
        self.assertEqual(s.stop(), 0)
        log = s.log_text()
        self.assertIn("firm time zone Asia/Kabul", log)
        self.assertIn("stopped cleanly", log)
        self.assertRegex(log, re.compile(r"applied \d+ migration\(s\)"))


class ConnectionLimit(unittest.TestCase):
    """--per-ip-connections caps simultaneous connections from one address."""

    def test_third_connection_refused_then_allowed(self):
        import socket
        import time
        # No bootstrap: the sign-in it makes opens connections in quick succession, which a
        # limit of two can refuse while the previous ones are still closing on a busy machine.
        s = Server(extra_args=["--per-ip-connections", "2"]).start(bootstrap=False)
        held = []

        try:
            for _ in range(2):
                held.append(hold_live(s.host, s.port))
            time.sleep(0.2)
            extra = socket.create_connection((s.host, s.port), timeout=5)
            try:
                extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                data = extra.recv(100)
            except OSError:
                data = b""
            extra.close()
            self.assertFalse(data.startswith(b"HTTP/1.1 200"), data)
            held.pop().close()
            time.sleep(0.3)
            c = http.client.HTTPConnection(s.host, s.port, timeout=5)
            c.request("GET", "/healthz")
            self.assertEqual(c.getresponse().status, 200)
            c.close()
        finally:
            for h in held:
                h.close()
            self.assertEqual(s.stop(), 0)
            s.cleanup()


class Demo(unittest.TestCase):
    """The quick start's demo server: every stage present, names in several scripts, and the
    demo login it prints (there is no default account) works."""

    def test_demo_serves_every_stage(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAROLETRACK_")}
        tmp = tempfile.mkdtemp(prefix="paroletrack-demo-test-")
        env["TMPDIR"] = tmp
        proc = subprocess.Popen([BIN, "demo", "--listen", "127.0.0.1:0", "--timezone",
                                 "America/New_York"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        lines = []
        lock = threading.Lock()

        def reader(stream):
            for raw in iter(stream.readline, b""):
                with lock:
                    lines.append(raw.decode("utf-8", "replace"))

        readers = [threading.Thread(target=reader, args=(st,), daemon=True)
                   for st in (proc.stdout, proc.stderr)]
        for t in readers:
            t.start()

        def output():
            with lock:
                return "".join(lines)

        try:
            port = None
            deadline = time.monotonic() + 20
            while port is None and time.monotonic() < deadline and proc.poll() is None:
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", output())
                if m:
                    port = int(m.group(1))
                else:
                    time.sleep(0.05)
            self.assertIsNotNone(port, output())
            self.assertIn(tmp, output(), "demo database is under TMPDIR")
            # The demo login it printed (no default account exists).
            login = None
            deadline = time.monotonic() + 3
            while login is None and time.monotonic() < deadline:
                login = demo_login(output())
                if login is None:
                    time.sleep(0.1)
            self.assertIsNotNone(login, "the demo prints the login it created:\n" + output())
            email, password = login
            c = Server.attach("127.0.0.1", port)
            account = Account(email, password)
            r = c.sign_in(account)
            self.assertEqual(r.status, 201, "signing in with the demo login %r: %r"
                             % (login, r))
            session = r.session
            if session.second_factor == "not_enrolled":
                c.enrol_totp(session)
            # Without it: 401.
            self.assertEqual(c.call("GET", "/api/v1/parole-requests").status, 401)
            r = c.call("GET", "/api/v1/parole-requests?limit=200", auth=session)
            self.assertEqual(r.status, 200, repr(r))
            items = r.json["items"]
            stages = {i["stage"] for i in items}
            self.assertEqual(stages, {"draft", "filed", "receipted", "interview_scheduled",
                                      "rfe_open", "approved", "denied", "withdrawn", "closed",
                                      "terminated", "paroled", "expired"})
            self.assertEqual({i["parole_type"] for i in items},
                             {"humanitarian", "significant_public_benefit", "medical",
                              "family_reunification", "military_parole_in_place",
                              "re_parole", "program"})
            r = c.call("GET", "/api/v1/clients?limit=200", auth=session)
            self.assertEqual(r.status, 200, repr(r))
            clients = r.json["items"]
            self.assertGreaterEqual(len(clients), 24)
            names = " ".join(x["family_name"] + x["given_name"] for x in clients)
            for script in (r"[\u0400-\u04FF]", r"[\u0600-\u06FF]", r"[\u0900-\u097F]",
                           r"[À-ÿ]"):
                self.assertRegex(names, script)
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(15), 0)
            for t in readers:
                t.join(5)
            shutil.rmtree(tmp, ignore_errors=True)


EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def demo_login(text):
    """(email, password) from the demo's output: a line naming an email and one giving the
    password ("password: X", "password X", "password=X", quoted or not)."""
    for line in text.splitlines():
        # "demo login (paralegal): paralegal@demo.example / s3cret-Pass"
        m = re.search(r"(%s)\s*/\s*(\S+)\s*$" % EMAIL_RE.pattern, line)
        if m and "login" in line.lower():
            return m.group(1), m.group(2)
    email = password = None
    for line in text.splitlines():
        if "listening on" in line or "database" in line.lower() and "@" not in line:
            continue
        if email is None:
            m = EMAIL_RE.search(line)
            if m:
                email = m.group(0).rstrip(".")
        m = re.search(r"password\W{0,3}?(?:\s+is)?\s*[:=]?\s*(\S+)", line, re.I)
        if password is None and m:
            candidate = m.group(1).strip("\"'`,;()[]")
            if len(candidate) >= 8:
                password = candidate
    return (email, password) if email and password else None


if __name__ == "__main__":
    unittest.main()
