"""End-to-end test harness for paroletrack.

Starts the real binary on 127.0.0.1 with a free port and a fresh database (one server per test
class), talks HTTP to it, and validates every JSON response against api-spec/openapi.yaml.

Environment:
  PAROLETRACK_BIN   path of the binary (default: <repo>/build/paroletrack)

Python 3 standard library plus Debian's python3-jsonschema (4.10) and python3-yaml.
"""

import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("PAROLETRACK_BIN") or os.path.join(REPO, "build", "paroletrack")
if not os.environ.get("PAROLETRACK_BIN") and not os.path.exists(BIN):
    # meson puts the executable under the subdirectory that defines it.
    BIN = os.path.join(REPO, "build", "server", "paroletrack")
SPEC_PATH = os.path.join(REPO, "api-spec", "openapi.yaml")

FIRM_TZ = "America/New_York"
LISTEN_RE = re.compile(r"paroletrack: listening on http://([0-9.]+|\[[0-9a-fA-F:]+\]):([0-9]+)")
START_TIMEOUT = 15.0
STOP_TIMEOUT = 15.0
HTTP_TIMEOUT = 15.0

RFC3339_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHILDREN = ("filings", "rfes", "interviews", "decisions", "expirations")


# --------------------------------------------------------------------------------------------
# Dates


def today(tz=FIRM_TZ):
    """Today's calendar date in a time zone (the firm's by default)."""
    return datetime.datetime.now(zoneinfo.ZoneInfo(tz)).date()


def day(offset=0, tz=FIRM_TZ):
    """Today + offset days in the zone, as YYYY-MM-DD."""
    return (today(tz) + datetime.timedelta(days=offset)).isoformat()


def instant(offset_seconds):
    """Now + offset as an RFC 3339 timestamp with an explicit -05:00/-04:00 style offset of the
    firm's zone (what staff would type)."""
    t = datetime.datetime.now(zoneinfo.ZoneInfo(FIRM_TZ)) + datetime.timedelta(
        seconds=offset_seconds)
    return t.replace(microsecond=0).isoformat()


def token(n=10):
    """A random lower-case ASCII token, to keep searches of one test apart from another's."""
    return "".join(random.choice(string.ascii_lowercase) for _ in range(n))


_counter = [int(time.time()) % 1000000]
_counter_lock = threading.Lock()


def unique_receipt(prefix="IOE"):
    """A receipt number not used before in this process (prefix + 10 digits)."""
    with _counter_lock:
        _counter[0] += 1
        n = _counter[0]
    return "%s%010d" % (prefix, (random.randrange(0, 9999) * 1000000 + n) % 10**10)


# --------------------------------------------------------------------------------------------
# The spec and the response validator


class SpecValidator:
    """Validates response bodies against the schemas of api-spec/openapi.yaml."""

    def __init__(self, path=SPEC_PATH):
        self.path = path
        self.spec = None
        self.load_error = None
        self.ops = []  # (regex, template, path_item)
        self.problem_schema = None
        if not os.path.exists(path):
            return
        try:
            import yaml
            with open(path, "rb") as f:
                self.spec = yaml.safe_load(f)
        except Exception as e:  # a broken spec fails every test that validates
            self.load_error = "cannot load %s: %s" % (path, e)
            return
        import jsonschema
        self.jsonschema = jsonschema
        self.resolver = jsonschema.RefResolver(base_uri="", referrer=self.spec)
        self.format_checker = self._format_checker()
        bases = [""]
        for server in self.spec.get("servers") or []:
            url = server.get("url", "")
            p = urllib.parse.urlsplit(url).path.rstrip("/")
            if p and p not in bases:
                bases.append(p)
        for template, item in (self.spec.get("paths") or {}).items():
            item = self.deref(item)
            for base in bases:
                full = base + template
                rx = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(full)) + "$"
                self.ops.append((re.compile(rx), full, template.count("{"), item))
        # Literal routes before templated ones.
        self.ops.sort(key=lambda o: o[2])
        self.problem_schema = self._find_problem_schema()

    def _format_checker(self):
        fc = self.jsonschema.FormatChecker(formats=())

        @fc.checks("date", raises=ValueError)
        def _date(value):
            if not isinstance(value, str):
                return True
            if not DATE_RE.match(value):
                raise ValueError("not YYYY-MM-DD")
            datetime.date.fromisoformat(value)
            return True

        @fc.checks("date-time", raises=ValueError)
        def _date_time(value):
            if not isinstance(value, str):
                return True
            if not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
                            value):
                raise ValueError("not RFC 3339")
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return True

        return fc

    def deref(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise AssertionError("spec: only local $refs are supported: %r" % ref)
            cur = self.spec
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                cur = cur[part]
            node = cur
            seen += 1
        return node

    def _find_problem_schema(self):
        for _, _, _, item in self.ops:
            for method, op in item.items():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                for resp in op["responses"].values():
                    resp = self.deref(resp)
                    content = (resp or {}).get("content") or {}
                    if "application/problem+json" in content:
                        return content["application/problem+json"].get("schema")
        comps = (self.spec.get("components") or {}).get("schemas") or {}
        for name in ("Problem", "problem", "ProblemDetails"):
            if name in comps:
                return {"$ref": "#/components/schemas/" + name}
        return None

    def find_operation(self, method, path):
        for rx, template, _, item in self.ops:
            if rx.match(path):
                op = item.get(method.lower())
                return template, op
        return None, None

    def _schema_errors(self, schema, body):
        v = self.jsonschema.Draft202012Validator(schema, resolver=self.resolver,
                                                 format_checker=self.format_checker)
        errs = sorted(v.iter_errors(body), key=lambda e: list(e.absolute_path))
        out = []
        for e in errs[:5]:
            out.append("at %s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)",
                                      e.message[:300]))
        return out

    def check(self, method, path, status, content_type, body, raw):
        """Returns a list of problems (empty when the response matches the spec)."""
        if self.load_error:
            return [self.load_error]
        if self.spec is None:
            return []
        path = urllib.parse.urlsplit(path).path
        template, op = self.find_operation(method, path)
        media = (content_type or "").split(";")[0].strip().lower()
        if op is None:
            # Unknown path or method: the body is a problem document.
            if raw and media == "application/problem+json" and self.problem_schema:
                errs = self._schema_errors(self.problem_schema, body)
                if errs:
                    return ["%s %s -> %d: problem body does not match the spec's problem schema: "
                            "%s" % (method, path, status, "; ".join(errs))]
            return []
        responses = op.get("responses") or {}
        resp = (responses.get(str(status)) or responses.get("%dXX" % (status // 100))
                or responses.get("%dxx" % (status // 100)) or responses.get("default"))
        if resp is None:
            return ["spec: %s %s documents no response %d (documented: %s)"
                    % (method.upper(), template, status, ", ".join(sorted(map(str, responses))))]
        resp = self.deref(resp)
        content = resp.get("content") or {}
        if not raw:
            return []
        if not content:
            return ["spec: %s %s response %d has no content but the server sent %d bytes (%s)"
                    % (method.upper(), template, status, len(raw), content_type)]
        if media not in content:
            return ["spec: %s %s response %d: media type %r not documented (documented: %s)"
                    % (method.upper(), template, status, media, ", ".join(content))]
        schema = (content[media] or {}).get("schema")
        if schema is None:
            return []
        errs = self._schema_errors(schema, body)
        if errs:
            return ["%s %s -> %d: body does not match the spec schema: %s"
                    % (method.upper(), path, status, "; ".join(errs))]
        return []


_validator = None
_validator_lock = threading.Lock()


def validator():
    global _validator
    with _validator_lock:
        if _validator is None:
            _validator = SpecValidator()
        return _validator


# --------------------------------------------------------------------------------------------
# The server


class Server:
    """One paroletrack process with its own fresh database directory."""

    def __init__(self, timezone=FIRM_TZ, extra_args=(), db_dir=None):
        self.timezone = timezone
        self.extra_args = list(extra_args)
        self.own_dir = db_dir is None
        self.dir = db_dir or tempfile.mkdtemp(prefix="paroletrack-e2e-")
        self.db = os.path.join(self.dir, "test.db")
        self.proc = None
        self.host = None
        self.port = None
        self._buf = []
        self._buf_lock = threading.Lock()
        self._reader = None

    def start(self):
        if not os.path.exists(BIN):
            raise RuntimeError("paroletrack binary not found at %s (set PAROLETRACK_BIN)" % BIN)
        args = [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0",
                "--timezone", self.timezone] + self.extra_args
        env = dict(os.environ)
        for k in ("PAROLETRACK_DB", "PAROLETRACK_LISTEN", "PAROLETRACK_TZ"):
            env.pop(k, None)
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=env)
        ready = threading.Event()
        found = {}

        def reader():
            for line in iter(self.proc.stderr.readline, b""):
                text = line.decode("utf-8", "replace")
                with self._buf_lock:
                    self._buf.append(text)
                if not ready.is_set():
                    m = LISTEN_RE.search(text)
                    if m:
                        found["host"] = m.group(1).strip("[]")
                        found["port"] = int(m.group(2))
                        ready.set()
            ready.set()

        self._reader = threading.Thread(target=reader, daemon=True)
        self._reader.start()
        if not ready.wait(START_TIMEOUT) or "port" not in found:
            self.kill()
            raise RuntimeError("server did not report 'paroletrack: listening on ...' within "
                               "%.0fs; stderr:\n%s" % (START_TIMEOUT, self.log_text()[-4000:]))
        self.host, self.port = found["host"], found["port"]
        if self.host != "127.0.0.1":
            self.kill()
            raise RuntimeError("server listens on %s, expected 127.0.0.1" % self.host)
        return self

    def log_text(self):
        with self._buf_lock:
            return "".join(self._buf)

    def log_len(self):
        with self._buf_lock:
            return len(self._buf)

    def log_since(self, n):
        with self._buf_lock:
            return "".join(self._buf[n:])

    def stop(self):
        """SIGTERM, wait; returns the exit code (None when it had to be killed)."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        if self._reader:
            self._reader.join(5)
        return self.proc.returncode

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)

    def cleanup(self):
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, method, path, status, headers, body, raw):
        self.method = method
        self.path = path
        self.status = status
        self.headers = headers  # http.client.HTTPMessage (case-insensitive .get)
        self.json = body
        self.raw = raw

    def __iter__(self):  # (status, headers, json, raw)
        return iter((self.status, self.headers, self.json, self.raw))

    def header(self, name):
        return self.headers.get(name)

    def header_all(self, name):
        return self.headers.get_all(name) or []

    def fields(self):
        """The error fields named in a problem body."""
        if not isinstance(self.json, dict):
            return []
        return [e.get("field") for e in self.json.get("errors") or [] if isinstance(e, dict)]

    def __repr__(self):
        return "<%s %s -> %d %s>" % (self.method, self.path, self.status,
                                      self.raw[:600].decode("utf-8", "replace"))


class RawResponse:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers  # dict lower-name -> list of values
        self.raw = raw

    def header(self, name):
        v = self.headers.get(name.lower())
        return v[0] if v else None


class Raw:
    """A request body sent exactly as given (bytes), for malformed JSON."""

    def __init__(self, data):
        self.data = data if isinstance(data, bytes) else data.encode("utf-8")

    def __repr__(self):
        return "Raw(%r)" % self.data[:60]


def qs(**params):
    return "?" + urllib.parse.urlencode(params) if params else ""


def dumps(body):
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def raw_exchange(host, port, data, timeout=10.0, read_body=True, half_close=False):
    """Send raw bytes, read one HTTP response. Returns RawResponse (status None on no answer)."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        buf = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in buf:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            buf += chunk
        if b"\r\n\r\n" not in buf:
            return RawResponse(None, {}, buf)
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers.setdefault(k.strip().lower(), []).append(v.strip())
        body = rest
        if read_body:
            length = headers.get("content-length")
            if length:
                n = int(length[0])
                while len(body) < n and time.monotonic() < deadline:
                    s.settimeout(max(0.1, deadline - time.monotonic()))
                    try:
                        chunk = s.recv(65536)
                    except (socket.timeout, ConnectionResetError):
                        break
                    if not chunk:
                        break
                    body += chunk
                body = body[:n]
        return RawResponse(status, headers, body)
    finally:
        s.close()


# --------------------------------------------------------------------------------------------
# Test case base


class ApiTestCase(unittest.TestCase):
    """Base class: one fresh server + database per test class."""

    timezone = FIRM_TZ
    server_args = ()
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = Server(timezone=cls.timezone, extra_args=cls.server_args)
        try:
            server.start()
        except BaseException:
            server.kill()
            server.cleanup()
            raise
        cls.server = server
        cls.base_url = "http://%s:%d" % (cls.server.host, cls.server.port)

    @classmethod
    def tearDownClass(cls):
        server = getattr(cls, "server", None)
        if server is not None:
            code = server.stop()
            logdir = os.environ.get("PAROLETRACK_E2E_LOGS")
            if logdir:
                os.makedirs(logdir, exist_ok=True)
                with open(os.path.join(logdir, "%s.%s.log" % (cls.__module__, cls.__name__)),
                          "w") as f:
                    f.write(server.log_text())
                    f.write("\n[exit code %r]\n" % code)
            server.cleanup()
            cls.server = None
            if code != 0:
                raise AssertionError("server did not exit cleanly on SIGTERM (exit code %r); "
                                     "stderr tail:\n%s" % (code, server.log_text()[-3000:]))
        super().tearDownClass()

    # ---- HTTP --------------------------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, content_type="application/json",
                conn=None, validate=True):
        """Send one request; returns Response (iterable as (status, headers, json, raw)).

        Every response is checked: JSON bodies parse, the body matches the spec's schema for the
        operation and status, and every error response with a body is application/problem+json.
        """
        hdrs = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = body.data if isinstance(body, Raw) else dumps(body)
            if content_type is not None:
                hdrs["Content-Type"] = content_type
        if headers:
            hdrs.update(headers)
        own = conn is None
        if own:
            conn = http.client.HTTPConnection(self.server.host, self.server.port,
                                              timeout=HTTP_TIMEOUT)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            status, msg = resp.status, resp.msg
        finally:
            if own:
                conn.close()
        ctype = msg.get("Content-Type") or ""
        parsed = None
        media = ctype.split(";")[0].strip().lower()
        if raw and (media == "application/json" or media.endswith("+json")):
            try:
                parsed = json.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                self.fail("%s %s -> %d: body is not valid UTF-8 JSON (%s): %r"
                          % (method, path, status, e, raw[:300]))
        r = Response(method, path, status, msg, parsed, raw)
        if validate:
            self.check_response(r)
        return r

    def check_response(self, r):
        if r.status >= 400 and r.raw:
            ctype = (r.header("Content-Type") or "").split(";")[0].strip().lower()
            self.assertEqual(ctype, "application/problem+json",
                             "%s %s -> %d: error responses must be application/problem+json, "
                             "got %r" % (r.method, r.path, r.status, r.header("Content-Type")))
            self.assertIsInstance(r.json, dict, repr(r))
            self.assertEqual(r.json.get("status"), r.status, "problem.status != HTTP status: %r"
                             % r)
        if r.status == 204 or r.method == "HEAD":
            self.assertEqual(r.raw, b"", "%s %s -> %d must have an empty body" %
                             (r.method, r.path, r.status))
        problems = validator().check(r.method, r.path, r.status, r.header("Content-Type"),
                                     r.json, r.raw)
        if problems:
            self.fail("response does not match api-spec/openapi.yaml:\n  " +
                      "\n  ".join(problems))

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def raw(self, data, **kw):
        """Raw socket exchange; error responses are checked for problem+json like the rest."""
        r = raw_exchange(self.server.host, self.server.port, data, **kw)
        if r.status is not None and r.status >= 400 and r.raw:
            ctype = (r.header("Content-Type") or "").split(";")[0].strip().lower()
            self.assertEqual(ctype, "application/problem+json",
                             "raw request -> %d: error body must be application/problem+json"
                             % r.status)
            body = json.loads(r.raw.decode("utf-8"))
            self.assertEqual(body.get("status"), r.status)
            v = validator()
            if v.spec is not None and v.problem_schema is not None:
                errs = v._schema_errors(v.problem_schema, body)
                self.assertFalse(errs, "problem body does not match the spec: %s" % errs)
        return r

    # ---- assertions --------------------------------------------------------------------------

    def assertStatus(self, r, status, msg=""):
        self.assertEqual(r.status, status, "%s%r" % (msg + ": " if msg else "", r))

    def assertProblem(self, r, status, slug=None, field=None, fields=None):
        self.assertStatus(r, status)
        self.assertEqual((r.header("Content-Type") or "").split(";")[0].strip(),
                         "application/problem+json", repr(r))
        for k in ("type", "title", "status", "detail"):
            self.assertIn(k, r.json, "problem lacks %r: %r" % (k, r))
        if slug:
            self.assertEqual(r.json["type"], "urn:paroletrack:problem:" + slug, repr(r))
        want = list(fields or []) + ([field] if field else [])
        for f in want:
            self.assertIn(f, r.fields(), "errors[].field should name %r: %r" % (f, r))
        if want:
            for e in r.json["errors"]:
                self.assertIsInstance(e.get("message"), str, repr(r))
                self.assertTrue(e["message"], repr(r))

    # ---- fixtures ----------------------------------------------------------------------------

    def create(self, path, body):
        r = self.post(path, body)
        self.assertStatus(r, 201, "creating %s" % path)
        return r.json

    def make_client(self, **fields):
        body = {"family_name": "Kowalenko", "given_name": "Test " + token(6)}
        body.update(fields)
        return self.create("/api/v1/clients", body)

    def make_request(self, client_id=None, **fields):
        if client_id is None:
            client_id = self.make_client()["id"]
        body = {"client_id": client_id, "parole_type": "humanitarian"}
        body.update(fields)
        return self.create("/api/v1/parole-requests", body)

    def make_child(self, pr_id, child, **fields):
        body = dict(VALID_CHILD[child])
        body.update(fields)
        for k in [k for k, v in body.items() if v is OMIT]:
            del body[k]
        return self.create("/api/v1/parole-requests/%d/%s" % (pr_id, child), body)

    def list_all(self, path, limit=200):
        """Walk every page of a list; returns items."""
        items, cursor, pages = [], None, 0
        sep = "&" if "?" in path else "?"
        while True:
            url = path + sep + "limit=%d" % limit
            if cursor is not None:
                url += "&cursor=" + urllib.parse.quote(cursor, safe="")
            r = self.get(url)
            self.assertStatus(r, 200)
            items.extend(r.json["items"])
            cursor = r.json["next_cursor"]
            pages += 1
            self.assertLess(pages, 10000, "list never ends")
            if cursor is None:
                return items

    def stage_of(self, pr_id):
        r = self.get("/api/v1/parole-requests/%d" % pr_id)
        self.assertStatus(r, 200)
        return r.json["stage"]


class _Omit:
    def __repr__(self):
        return "OMIT"


OMIT = _Omit()

VALID_CHILD = {
    "filings": {"form": "I-131", "filed_on": "2025-01-10"},
    "rfes": {"issued_on": "2025-03-01"},
    "interviews": {"kind": "interview", "scheduled_at": "2030-05-01T10:00:00-04:00"},
    "decisions": {"decided_on": "2025-06-01", "outcome": "approved"},
    "expirations": {"kind": "parole", "expires_on": "2026-01-01"},
}

COMMON_READONLY = ("id", "created_at", "updated_at", "version")

FIELDS = {
    "clients": ["family_name", "given_name", "other_names", "date_of_birth", "country_of_birth",
                "citizenship", "a_number", "passport_number", "passport_country",
                "passport_expires_on", "email", "phone", "address", "preferred_language",
                "notes"],
    "parole-requests": ["client_id", "parole_type", "program", "location", "summary",
                        "sponsor_name", "sponsor_relationship", "sponsor_status", "expedite",
                        "stage"],
    "filings": ["parole_request_id", "form", "filed_on", "kind", "receipt_number",
                "receipt_notice_on", "fee_cents", "method", "notes", "warnings"],
    "rfes": ["parole_request_id", "issued_on", "kind", "response_due_on", "mailed",
             "responded_on", "summary"],
    "interviews": ["parole_request_id", "kind", "scheduled_at", "location", "outcome", "notes"],
    "decisions": ["parole_request_id", "decided_on", "outcome", "valid_from", "valid_until",
                  "mailed", "notes"],
    "expirations": ["parole_request_id", "kind", "expires_on", "document_number", "notes"],
}


def assert_record_shape(tc, resource, rec):
    """Every field is present; read-only metadata is well formed."""
    tc.assertIsInstance(rec, dict)
    expected = set(FIELDS[resource]) | set(COMMON_READONLY)
    tc.assertEqual(set(rec), expected, "fields of a %s record" % resource)
    tc.assertIsInstance(rec["id"], int)
    tc.assertNotIsInstance(rec["id"], bool)
    tc.assertIsInstance(rec["version"], int)
    tc.assertRegex(rec["created_at"], RFC3339_UTC_RE)
    tc.assertRegex(rec["updated_at"], RFC3339_UTC_RE)
    tc.assertGreaterEqual(rec["updated_at"], rec["created_at"])
    now = datetime.datetime.now(datetime.timezone.utc)
    for k in ("created_at", "updated_at"):
        t = datetime.datetime.strptime(rec[k], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        tc.assertLess(abs((t - now).total_seconds()), 600,
                      "%s %r is not the current UTC time" % (k, rec[k]))
