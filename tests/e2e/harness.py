"""End-to-end test harness for paroletrack.

Starts the real binary on 127.0.0.1 with a free port and a fresh database (one server per test
class), bootstraps an admin the real way (`paroletrack user add`, sign-in, TOTP enrolment, sign-in
with a TOTP code), talks HTTP to it as that admin by default, and validates every JSON response
against api-spec/openapi.yaml and the hardening headers every response must carry. When a test
class's server stops, its captured log is searched for every password, session token, API key,
TOTP secret, A-number, passport number and narrative sent to it or received from it.

Environment:
  PAROLETRACK_BIN   path of the binary (default: <repo>/build/paroletrack)
  PAROLETRACK_E2E_TIME_SCALE
                    multiplies the harness's waits (server start and stop, HTTP replies, CLI
                    runs): a binary run under valgrind (tests/reliability/valgrind_e2e.sh) is
                    20-50 times slower (default 1)

Python 3 standard library plus Debian's python3-jsonschema (4.10) and python3-yaml.
"""

import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import string
import struct
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
TIME_SCALE = float(os.environ.get("PAROLETRACK_E2E_TIME_SCALE") or 1)
START_TIMEOUT = 15.0 * TIME_SCALE
STOP_TIMEOUT = 15.0 * TIME_SCALE
HTTP_TIMEOUT = 15.0 * TIME_SCALE
CLI_TIMEOUT = 60.0 * TIME_SCALE

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


def unique_a_number():
    """An A-number not used before in this process (two clients may not share one)."""
    with _counter_lock:
        _counter[0] += 1
        n = _counter[0]
    return "A%09d" % ((random.randrange(100, 999) * 1000000 + n) % 10**9)


def unique_passport(prefix="FP"):
    """A passport number not used before in this process."""
    with _counter_lock:
        _counter[0] += 1
        n = _counter[0]
    return "%s%07d" % (prefix, (random.randrange(10, 99) * 100000 + n) % 10**7)


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
        # A JSON body is checked as its value; any other (CSV, iCalendar) as its text.
        errs = self._schema_errors(schema, body if media.endswith("json")
                                   else raw.decode("utf-8", "replace"))
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
# HTTP


class Response:
    def __init__(self, method, path, status, headers, body, raw, json_error=None):
        self.method = method
        self.path = path
        self.status = status
        self.headers = headers  # http.client.HTTPMessage (case-insensitive .get)
        self.json = body
        self.raw = raw
        self.json_error = json_error  # why a JSON-typed body did not parse, or None
        self.session = None  # set by sign-in helpers on a 201 with a session cookie

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

    def cookies(self):
        """Set-Cookie headers parsed: list of Cookie."""
        return [parse_set_cookie(v) for v in self.header_all("Set-Cookie")]

    def cookie(self, name=None):
        """The Set-Cookie of `name` (the session cookie by default), or None."""
        name = name or SESSION_COOKIE
        for c in self.cookies():
            if c.name == name:
                return c
        return None

    def __repr__(self):
        return "<%s %s -> %d %s>" % (self.method, self.path, self.status,
                                      self.raw[:600].decode("utf-8", "replace"))


class Cookie:
    def __init__(self, name, value, attrs, raw):
        self.name = name
        self.value = value
        self.attrs = attrs  # lower-case attribute name -> value (True for flags)
        self.raw = raw

    def __repr__(self):
        return "Cookie(%r)" % self.raw


def parse_set_cookie(header):
    parts = header.split(";")
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, eq, v = p.strip().partition("=")
        if k:
            attrs[k.strip().lower()] = v.strip() if eq else True
    return Cookie(name.strip(), value.strip(), attrs, header)


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


def raw_exchange(host, port, data, timeout=10.0 * TIME_SCALE, read_body=True, half_close=False):
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


def hold_live(host, port, source="127.0.0.1", patience=5.0):
    """A connection the server has accepted and keeps: it answered a keep-alive request (the
    connections of an earlier exchange may still count for a moment after they closed)."""
    deadline = time.monotonic() + patience
    while True:
        h = socket.create_connection((host, port), timeout=3, source_address=(source, 0))
        try:
            h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            data = h.recv(4096)
        except OSError:
            data = b""
        if data.startswith(b"HTTP/1.1 200"):
            return h
        h.close()
        if time.monotonic() > deadline:
            raise AssertionError("no connection accepted")
        time.sleep(0.1)


def inject_headers(data, headers):
    """Raw request bytes with header lines added right after the request line."""
    i = data.find(b"\r\n")
    if i < 0 or not headers:
        return data
    extra = b"".join(("%s: %s\r\n" % (k, v)).encode("latin-1") for k, v in headers.items())
    return data[:i + 2] + extra + data[i + 2:]


def http_call(host, port, method, path, body=None, headers=None,
              content_type="application/json", conn=None, source=None, timeout=HTTP_TIMEOUT):
    """One HTTP exchange; returns Response. `source` binds the client end to that local address
    (any 127.x.y.z works on Linux), so per-address limits can be exercised from many addresses."""
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
        conn = http.client.HTTPConnection(host, port, timeout=timeout,
                                          source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        status, msg = resp.status, resp.msg
    finally:
        if own:
            conn.close()
    ctype = msg.get("Content-Type") or ""
    parsed, err = None, None
    media = ctype.split(";")[0].strip().lower()
    if raw and (media == "application/json" or media.endswith("+json")):
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            err = str(e)
    return Response(method, path, status, msg, parsed, raw, err)


# --------------------------------------------------------------------------------------------
# Accounts: passwords, TOTP, sessions, API keys

SESSION_COOKIE = "pt_session"
SECURE_SESSION_COOKIE = "__Host-pt_session"  # the name with --secure-cookies
ADMIN_EMAIL = "admin@example.org"
ADMIN_NAME = "Admin"
ROLES = ("viewer", "paralegal", "attorney", "admin")
TOTP_ROLES = ("admin", "attorney")
UNSAFE_METHODS = ("POST", "PATCH", "DELETE", "PUT")
TOTP_PERIOD = 30
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
# 7 groups of 4 over the 31 unambiguous characters: 28 * log2(31) > 138 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_RE = re.compile(r"^[%s]{4}(-[%s]{4}){6}$" % (RECOVERY_ALPHABET, RECOVERY_ALPHABET))
KEY_RE = re.compile(r"^pt_([^_]+)_(.+)$")


def strong_password(length=24):
    """A random password no dictionary check can object to: random letters, digits and a few
    signs, never two neighbours that are consecutive characters (cracklib calls a password with
    more than four such steps "too simplistic/systematic")."""
    alphabet = string.ascii_letters + string.digits + "-_.!#"
    out = ["P", "t", "-"]
    while len(out) < length:
        c = secrets.choice(alphabet)
        if abs(ord(c.lower()) - ord(out[-1].lower())) <= 1:
            continue
        out.append(c)
    return "".join(out)


def unique_email(tag="user"):
    return "%s-%s@example.org" % (tag, token(10))


def totp_step(t=None):
    return int((time.time() if t is None else t) // TOTP_PERIOD)


def totp_code(secret, step):
    """RFC 6238 (RFC 4226 with a time counter): HMAC-SHA-1, 6 digits, 30-s steps."""
    s = re.sub(r"[\s=]", "", secret).upper()
    key = base64.b32decode(s + "=" * (-len(s) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[off:off + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


_source_counter = [1]
_source_lock = threading.Lock()


def fresh_source():
    """A loopback address not handed out before in this process (127.0.0.2, 127.0.0.3, ...):
    requests sent from it start with a clean per-address sign-in throttle."""
    with _source_lock:
        _source_counter[0] += 1
        n = _source_counter[0]
    return "127.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255, max(n & 255, 1))


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAROLETRACK_")}
    env.update(extra or {})
    return env


def run_cli(*args, input=None, env_extra=None, timeout=CLI_TIMEOUT):
    """Run the binary to completion without any PAROLETRACK_* variable (unless given);
    returns (exit code, stdout, stderr)."""
    kw = {}
    if input is None:
        kw["stdin"] = subprocess.DEVNULL
    else:
        kw["input"] = input.encode("utf-8") if isinstance(input, str) else input
    p = subprocess.run([BIN, *args], capture_output=True, timeout=timeout,
                       env=clean_env(env_extra), **kw)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class Account:
    """A user as the tests know it: credentials, TOTP secret, recovery codes."""

    def __init__(self, email, password, role=None, name=None, user=None):
        self.email = email
        self.password = password
        self.role = role
        self.name = name
        self.user = user
        self.id = user["id"] if user else None
        self.totp_secret = None
        self.last_step = None  # the last TOTP step this account sent
        self.recovery_codes = []
        self._lock = threading.Lock()

    def totp(self, wait=True):
        """A TOTP code the server has not seen yet for this account: the current step's, or the
        next step's when the current one was used (the server accepts one step either side);
        waits for the next 30-s step only when even that is spent."""
        if not self.totp_secret:
            raise ValueError("%s has no TOTP secret" % self.email)
        with self._lock:
            now = totp_step()
            step = now if self.last_step is None else max(now, self.last_step + 1)
            while step > totp_step() + 1:
                if not wait:
                    raise RuntimeError("no fresh TOTP step for %s without waiting" % self.email)
                time.sleep(0.25)
            self.last_step = step
            return totp_code(self.totp_secret, step)

    def __repr__(self):
        return "Account(%s, %s)" % (self.email, self.role)


class Session:
    """A signed-in browser session: the cookie's token and the CSRF token."""

    kind = "session"

    def __init__(self, account, token_value, body, cookie_name=SESSION_COOKIE):
        self.account = account
        self.token = token_value
        self.cookie_name = cookie_name
        self.body = body if isinstance(body, dict) else {}
        self.csrf = self.body.get("csrf_token")
        self.second_factor = self.body.get("second_factor")
        self.user = self.body.get("user")

    def headers(self, method, csrf=True):
        h = {"Cookie": "%s=%s" % (self.cookie_name, self.token)}
        if csrf and method.upper() in UNSAFE_METHODS and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        return h

    def __repr__(self):
        return "Session(%s, %s)" % (self.account.email if self.account else "?",
                                    self.second_factor)


class ApiKey:
    """An integration key (sent as a Bearer token, no CSRF)."""

    kind = "key"

    def __init__(self, key, record):
        self.key = key
        self.record = record
        self.id = record.get("id") if isinstance(record, dict) else None
        self.scopes = record.get("scopes") if isinstance(record, dict) else None

    def headers(self, method, csrf=True):
        return {"Authorization": "Bearer " + self.key}

    def __repr__(self):
        return "ApiKey(%s, %s)" % (self.id, self.scopes)


def auth_headers(auth, method, csrf=True):
    """Headers for an identity: None (no credentials), a Session or ApiKey, or a key string."""
    if auth is None:
        return {}
    if isinstance(auth, str):
        return {"Authorization": "Bearer " + auth}
    return auth.headers(method, csrf)


class BootstrapError(RuntimeError):
    pass


class _Sentinel:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


AUTO = _Sentinel("AUTO")  # sign-in: send a fresh TOTP code when the account has a secret
ADMIN = _Sentinel("ADMIN")  # request(): act as the server's bootstrapped admin (the default)


# --------------------------------------------------------------------------------------------
# Hardening headers every response carries


def parse_csp(value):
    out = {}
    for part in (value or "").split(";"):
        words = part.split()
        if words:
            out.setdefault(words[0].lower(), [w for w in words[1:]])
    return out


def hardening_problems(path, get):
    """What a response lacks of the headers of the issue's "response hardening"."""
    out = []
    csp = get("Content-Security-Policy")
    if not csp:
        out.append("no Content-Security-Policy")
    else:
        d = parse_csp(csp)
        if d.get("default-src") != ["'self'"]:
            out.append("CSP default-src is not 'self': %r" % csp)
        if d.get("frame-ancestors") != ["'none'"]:
            out.append("CSP frame-ancestors is not 'none': %r" % csp)
        for directive in ("default-src", "script-src"):
            if any(s.lower() == "'unsafe-inline'" for s in d.get(directive, [])):
                out.append("CSP allows inline script (%s): %r" % (directive, csp))
    if (get("X-Content-Type-Options") or "").strip().lower() != "nosniff":
        out.append("X-Content-Type-Options is %r, not nosniff" % get("X-Content-Type-Options"))
    if (get("Referrer-Policy") or "").strip().lower() != "no-referrer":
        out.append("Referrer-Policy is %r, not no-referrer" % get("Referrer-Policy"))
    if urllib.parse.urlsplit(path).path.startswith("/api/"):
        cc = [d.strip().lower() for d in (get("Cache-Control") or "").split(",")]
        if "no-store" not in cc:
            out.append("API response without Cache-Control: no-store (got %r)"
                       % get("Cache-Control"))
    return out


# --------------------------------------------------------------------------------------------
# The server

# Admins the harness created, by database path, so that a server restarted on the same database
# signs in as the same admin (with a recovery code: no waiting for a fresh TOTP step).
_ADMINS = {}
_ADMINS_LOCK = threading.Lock()


def remember_admin(db_path, account):
    with _ADMINS_LOCK:
        _ADMINS[os.path.realpath(db_path)] = account


def known_admin(db_path):
    with _ADMINS_LOCK:
        return _ADMINS.get(os.path.realpath(db_path))


SECRET_FIELDS = {
    "password": "password", "new_password": "password", "old_password": "password",
    "recovery_code": "recovery code",
    "a_number": "A-number", "passport_number": "passport number",
    "notes": "narrative", "summary": "narrative",
}


class Server:
    """One paroletrack process with its own fresh database directory. After start() (unless
    bootstrap=False) `admin` is a verified admin Session and `admin_account` its Account."""

    def __init__(self, timezone=FIRM_TZ, extra_args=(), db_dir=None, env_extra=None,
                 cli_args=(), cli_env=None):
        self.timezone = timezone
        self.extra_args = list(extra_args)
        # the session cookie's name: __Host-pt_session behind TLS (--secure-cookies)
        self.cookie_name = (SECURE_SESSION_COOKIE if "--secure-cookies" in self.extra_args
                            else SESSION_COOKIE)
        self.env_extra = dict(env_extra or {})
        self.cli_args = list(cli_args)  # added to every CLI call (e.g. --key-file)
        self.cli_env = dict(cli_env or {})  # environment of CLI calls (none by default)
        self.own_dir = db_dir is None
        self.dir = db_dir or tempfile.mkdtemp(prefix="paroletrack-e2e-")
        self.db = os.path.join(self.dir, "test.db")
        self.proc = None
        self.host = None
        self.port = None
        self.admin = None
        self.admin_account = None
        self.secrets = {}  # value -> kind: never to be found in the log
        self._secrets_lock = threading.Lock()
        self._buf = []
        self._buf_lock = threading.Lock()
        self._reader = None

    @classmethod
    def attach(cls, host, port):
        """A Server object for a process started elsewhere (e.g. the demo): call(), sign_in()
        and enrol_totp() work; start() and stop() do not."""
        s = cls.__new__(cls)
        s.__init__(db_dir=os.devnull)
        s.own_dir = False
        s.host, s.port = host, port
        return s

    def start(self, bootstrap=True):
        if not os.path.exists(BIN):
            raise RuntimeError("paroletrack binary not found at %s (set PAROLETRACK_BIN)" % BIN)
        args = [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0",
                "--timezone", self.timezone] + self.extra_args
        env = clean_env(self.env_extra)
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
        if bootstrap:
            try:
                self.bootstrap()
            except BaseException:
                self.kill()
                raise
        return self

    # ---- secrets that must never reach the log ----------------------------------------------

    def note_secret(self, kind, value):
        if not isinstance(value, str):
            return
        value = value.strip()
        if len(value) < 8 or not re.search(r"[A-Za-z0-9]", value):
            return
        with self._secrets_lock:
            self.secrets.setdefault(value, kind)

    def note_request(self, body):
        if not isinstance(body, dict):
            return
        for k, v in body.items():
            kind = SECRET_FIELDS.get(k)
            if kind is None or not isinstance(v, str):
                continue
            self.note_secret(kind, v)
            if k == "a_number":
                digits = re.sub(r"[^0-9]", "", v)
                if re.match(r"^\s*[Aa]", v) and 7 <= len(digits) <= 9:
                    self.note_secret(kind, digits.zfill(9))
                    self.note_secret(kind, "A" + digits.zfill(9))
            elif k == "passport_number":
                self.note_secret(kind, re.sub(r"\s", "", v).upper())

    def note_response(self, r):
        c = r.cookie()
        if c is not None and c.value:
            self.note_secret("session token", c.value)
        if isinstance(r.json, dict):
            if isinstance(r.json.get("key"), str):
                self.note_secret("API key", r.json["key"])
            if isinstance(r.json.get("secret"), str):
                self.note_secret("TOTP secret", r.json["secret"])
            for code in r.json.get("recovery_codes") or []:
                self.note_secret("recovery code", code)

    def leaks(self):
        """[(kind, value)] of the noted secrets found in the captured log."""
        log = self.log_text()
        with self._secrets_lock:
            items = list(self.secrets.items())
        return [(kind, value) for value, kind in items if value in log]

    # ---- HTTP and CLI -----------------------------------------------------------------------

    def call(self, method, path, body=None, headers=None, content_type="application/json",
             auth=None, csrf=True, conn=None, source=None):
        """One request with the given identity (no credentials by default); notes secrets."""
        hdrs = auth_headers(auth, method, csrf)
        if headers:
            hdrs.update(headers)
        self.note_request(body)
        r = http_call(self.host, self.port, method, path, body, hdrs, content_type, conn, source)
        self.note_response(r)
        return r

    def cli(self, *args, input=None, env_extra=None, timeout=CLI_TIMEOUT):
        """Run `paroletrack ARGS --db <this db>` (plus cli_args); (code, stdout, stderr)."""
        env = dict(self.cli_env)
        env.update(env_extra or {})
        return run_cli(*args, "--db", self.db, *self.cli_args, input=input, env_extra=env,
                       timeout=timeout)

    def add_user_cli(self, account):
        """`paroletrack user add` with the password on standard input."""
        self.note_secret("password", account.password)
        return self.cli("user", "add", "--email", account.email, "--name",
                        account.name or account.email, "--role", account.role,
                        input=account.password + "\n")

    def sign_in(self, account, totp=AUTO, recovery_code=None, source=None, headers=None):
        """POST /api/v1/session for an Account; returns the Response, with .session set (a
        Session) when it succeeded. totp: AUTO (a fresh code when the account has a secret and
        no recovery code is sent), None (no code) or the code to send."""
        body = {"email": account.email, "password": account.password}
        if totp is AUTO:
            totp = account.totp() if (account.totp_secret and recovery_code is None) else None
        if totp is not None:
            body["totp_code"] = totp
        if recovery_code is not None:
            body["recovery_code"] = recovery_code
        r = self.call("POST", "/api/v1/session", body, headers=headers, source=source)
        c = r.cookie(self.cookie_name)
        if r.status == 201 and c is not None:
            r.session = Session(account, c.value, r.json, self.cookie_name)
            if account.id is None and isinstance(r.json, dict) and r.json.get("user"):
                account.user = r.json["user"]
                account.id = r.json["user"].get("id")
        return r

    def enrol_totp(self, session):
        """POST /api/v1/me/totp (with the account's password, asked again), then confirm with a
        code: the account gets its secret and recovery codes, the session becomes verified and
        every other session of the account ends. Returns the confirm Response."""
        account = session.account
        r = self.call("POST", "/api/v1/me/totp", {"password": account.password}, auth=session)
        if r.status != 201 or not isinstance(r.json, dict) or "secret" not in r.json:
            raise BootstrapError("POST /api/v1/me/totp: %r" % r)
        account.totp_secret = r.json["secret"]
        account.last_step = None
        r = self.call("POST", "/api/v1/me/totp/confirm", {"code": account.totp()}, auth=session)
        if r.status != 200 or not isinstance(r.json, dict):
            raise BootstrapError("POST /api/v1/me/totp/confirm: %r" % r)
        account.recovery_codes = list(r.json.get("recovery_codes") or [])
        session.second_factor = "verified"
        return r

    def bootstrap(self):
        """Create (or, on a database the harness set up before, reuse) the admin and sign in
        with a second factor."""
        account = known_admin(self.db)
        if account is not None:
            self.note_secret("password", account.password)
            if account.recovery_codes:
                r = self.sign_in(account, totp=None, recovery_code=account.recovery_codes.pop(0))
            else:
                r = self.sign_in(account)
            if r.session is None:
                raise BootstrapError("admin sign-in on a restarted server: %r" % r)
            self.admin, self.admin_account = r.session, account
            return
        account = Account(ADMIN_EMAIL, strong_password(), role="admin", name=ADMIN_NAME)
        code, out, err = self.add_user_cli(account)
        if code != 0:
            raise BootstrapError("paroletrack user add (admin) exited %d: %s%s" % (code, out, err))
        r = self.sign_in(account, totp=None)
        if r.session is None:
            raise BootstrapError("first admin sign-in: %r (Set-Cookie %r)"
                                 % (r, r.header_all("Set-Cookie")))
        if r.session.second_factor != "not_enrolled":
            raise BootstrapError("first admin sign-in: second_factor %r, expected not_enrolled"
                                 % r.session.second_factor)
        self.enrol_totp(r.session)
        # Sign in again the way an admin does every morning: password and a TOTP code (the next
        # step's: the confirmation used the current one and a code is accepted once).
        r = self.sign_in(account)
        if r.session is None or r.session.second_factor != "verified":
            raise BootstrapError("admin sign-in with a TOTP code: %r" % r)
        remember_admin(self.db, account)
        self.admin, self.admin_account = r.session, account

    # ---- log and process ----------------------------------------------------------------------

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
# Test case base


class ApiTestCase(unittest.TestCase):
    """Base class: one fresh server + database per test class, requests made as its admin."""

    timezone = FIRM_TZ
    server_args = ()
    check_hardening = True
    # After the class: `paroletrack deadlines verify` on its database must find no difference.
    # Only a class that leaves its database unreadable on purpose turns it off, and says why.
    verify_deadlines = True
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
            leaks = server.leaks()
            # The stored deadlines must match a fresh computation after everything this class
            # did: a write path that forgets the deadline ledger fails here.
            verified = server.cli("deadlines", "verify") if cls.verify_deadlines else (0, "", "")
            server.cleanup()
            cls.server = None
            if code != 0:
                raise AssertionError("server did not exit cleanly on SIGTERM (exit code %r); "
                                     "stderr tail:\n%s" % (code, server.log_text()[-3000:]))
            if leaks:
                raise AssertionError(
                    "the server log holds secrets sent during this class's tests: %s" %
                    "; ".join("%s %s..." % (kind, value[:6]) for kind, value in leaks[:10]))
            if verified[0] != 0:
                raise AssertionError("`paroletrack deadlines verify` after this class's tests "
                                     "exited %d:\n%s%s" % (verified[0], verified[1][-3000:],
                                                            verified[2][-1000:]))
        super().tearDownClass()

    # ---- HTTP --------------------------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, content_type="application/json",
                conn=None, validate=True, auth=ADMIN, csrf=True, source=None):
        """Send one request; returns Response (iterable as (status, headers, json, raw)).

        auth: ADMIN (the default: the bootstrapped admin's session), None (no credentials), a
        Session (another user's), an ApiKey, or a key string (sent as a Bearer token). With a
        session, unsafe methods carry X-CSRF-Token unless csrf=False. Explicit headers win.
        source: the local address to send from (see fresh_source()).

        Every response is checked: JSON bodies parse, the body matches the spec's schema for the
        operation and status, every error response with a body is application/problem+json, and
        the hardening headers are present.
        """
        if auth is ADMIN:
            auth = self.server.admin
        r = self.server.call(method, path, body, headers=headers, content_type=content_type,
                             auth=auth, csrf=csrf, conn=conn, source=source)
        if r.json_error:
            self.fail("%s %s -> %d: body is not valid UTF-8 JSON (%s): %r"
                      % (method, path, r.status, r.json_error, r.raw[:300]))
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
        if self.check_hardening:
            problems = hardening_problems(r.path, r.header)
            if problems:
                self.fail("%s %s -> %d lacks hardening headers: %s"
                          % (r.method, r.path, r.status, "; ".join(problems)))
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

    def auth_header_lines(self, method="POST", auth=ADMIN):
        """The credential header lines (CRLF-terminated bytes) for hand-written requests."""
        if auth is ADMIN:
            auth = self.server.admin
        return b"".join(("%s: %s\r\n" % kv).encode("latin-1")
                        for kv in auth_headers(auth, method).items())

    def raw(self, data, auth=ADMIN, **kw):
        """Raw socket exchange, sent with the admin's credentials (added after the request line)
        unless auth=None; error responses are checked for problem+json like the rest."""
        if auth is ADMIN:
            auth = self.server.admin
        method = data.split(b" ", 1)[0].decode("latin-1", "replace")
        data = inject_headers(data, auth_headers(auth, method))
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
        if r.status is not None and self.check_hardening:
            path = data.split(b" ", 2)[1].decode("latin-1", "replace") if data.count(b" ") >= 2 \
                else "/"
            problems = hardening_problems(path, r.header)
            self.assertFalse(problems, "raw request -> %s lacks hardening headers: %s"
                             % (r.status, "; ".join(problems)))
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

    # ---- accounts ----------------------------------------------------------------------------

    def make_user(self, role="viewer", email=None, password=None, name=None, auth=ADMIN):
        """Create a user through POST /api/v1/users (as the admin); returns its Account."""
        account = Account(email or unique_email(role), password or strong_password(), role=role,
                          name=name or "Test %s %s" % (role.title(), token(5)))
        r = self.post("/api/v1/users", {"email": account.email, "name": account.name,
                                        "role": role, "password": account.password}, auth=auth)
        self.assertStatus(r, 201, "creating a %s user" % role)
        account.user = r.json
        account.id = r.json["id"]
        return account

    def sign_in_response(self, who, password=None, totp=AUTO, recovery_code=None, source=None,
                         headers=None, validate=True):
        """POST /api/v1/session; returns the Response (with .session when it succeeded).
        who: an Account, or an email (with password)."""
        if isinstance(who, Account):
            account = who if password is None else Account(who.email, password, who.role)
            if password is not None:
                account.totp_secret, account.last_step = who.totp_secret, who.last_step
        else:
            account = Account(who, password)
        r = self.server.sign_in(account, totp=totp, recovery_code=recovery_code, source=source,
                                headers=headers)
        if isinstance(who, Account) and account is not who:
            who.last_step = account.last_step
        if r.json_error:
            self.fail("POST /api/v1/session -> %d: body is not JSON: %r" % (r.status, r.raw[:300]))
        if validate:
            self.check_response(r)
        return r

    def sign_in(self, who, password=None, totp=AUTO, recovery_code=None, source=None,
                enrol=False):
        """Sign in (asserting 201 and a session cookie); returns the Session. With enrol=True a
        session that must enrol a second factor enrols it (and is then verified)."""
        r = self.sign_in_response(who, password, totp=totp, recovery_code=recovery_code,
                                  source=source)
        self.assertStatus(r, 201, "signing in as %s" % getattr(who, "email", who))
        self.assertIsNotNone(r.session, "sign-in without a %s cookie: %r"
                             % (SESSION_COOKIE, r.header_all("Set-Cookie")))
        if enrol and r.session.second_factor == "not_enrolled":
            self.enrol_totp(r.session)
        return r.session

    def enrol_totp(self, session):
        """Enrol TOTP for the session's user; returns the recovery codes."""
        try:
            self.server.enrol_totp(session)
        except BootstrapError as e:
            self.fail("TOTP enrolment failed: %s" % e)
        return session.account.recovery_codes

    def session_as(self, role, **kw):
        """A new user of the role, signed in (and enrolled in TOTP where the role needs it)."""
        account = self.make_user(role, **kw)
        return self.sign_in(account, enrol=True)

    def make_key(self, scopes=("read",), name=None):
        """Create an API key as the admin; returns an ApiKey."""
        r = self.post("/api/v1/api-keys", {"name": name or "Integration " + token(6),
                                           "scopes": list(scopes)})
        self.assertStatus(r, 201, "creating an API key")
        return ApiKey(r.json["key"], r.json)

    # ---- fixtures ----------------------------------------------------------------------------

    def create(self, path, body, **kw):
        r = self.post(path, body, **kw)
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

    def list_all(self, path, limit=200, **kw):
        """Walk every page of a list; returns items."""
        items, cursor, pages = [], None, 0
        sep = "&" if "?" in path else "?"
        while True:
            url = path + sep + "limit=%d" % limit
            if cursor is not None:
                url += "&cursor=" + urllib.parse.quote(cursor, safe="")
            r = self.get(url, **kw)
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
    "fee-notices": {"kind": "parole_fee", "amount_cents": 100000, "issued_on": "2025-11-01",
                    "due_on": "2025-12-01"},
}

COMMON_READONLY = ("id", "created_at", "updated_at", "version")

FIELDS = {
    "clients": ["family_name", "given_name", "other_names", "date_of_birth", "country_of_birth",
                "citizenship", "a_number", "passport_number", "passport_country",
                "passport_expires_on", "email", "phone", "address", "address_since",
                "preferred_language", "track_asylum_deadline", "notes", "distinct_from"],
    "parole-requests": ["client_id", "parole_type", "program", "location", "summary",
                        "renews_request_id",
                        "sponsor_name", "sponsor_relationship", "sponsor_status", "expedite",
                        "assigned_attorney_id", "assigned_paralegal_id", "stage"],
    "filings": ["parole_request_id", "form", "filed_on", "kind", "receipt_number",
                "receipt_notice_on", "fee_cents", "method", "decided_on", "outcome",
                "ead_category", "notes", "warnings"],
    "rfes": ["parole_request_id", "issued_on", "kind", "response_due_on", "mailed",
             "responded_on", "summary"],
    "interviews": ["parole_request_id", "kind", "scheduled_at", "location", "outcome", "notes"],
    "decisions": ["parole_request_id", "decided_on", "outcome", "valid_from", "valid_until",
                  "mailed", "notes"],
    "expirations": ["parole_request_id", "kind", "issued_on", "expires_on", "document_number",
                    "ead_category", "notes"],
    "fee-notices": ["parole_request_id", "kind", "form", "amount_cents", "issued_on", "due_on",
                    "paid_on", "notes"],
    "entries": ["client_id", "arrived_on", "departed_on", "port", "class_of_admission", "notes"],
}


# The narrative of each resource: lists leave it out unless they ask `include=notes`.
NARRATIVES = {"clients": "notes", "parole-requests": "summary", "filings": "notes",
              "rfes": "summary", "interviews": "notes", "decisions": "notes",
              "expirations": "notes", "fee-notices": "notes"}


def masked(value):
    """An identifier as lists show it: the last four characters, the rest as asterisks."""
    return None if value is None else "*" * max(len(value) - 4, 0) + value[-4:]


def listed(resource, rec):
    """A record as a list without `include=notes` shows it: without its narrative, and an
    expiration's document number masked."""
    out = {k: v for k, v in rec.items() if k != NARRATIVES[resource]}
    if resource == "expirations" and "document_number" in out:
        out["document_number"] = masked(out["document_number"])
    return out


def assert_record_shape(tc, resource, rec, in_list=False):
    """Every field is present (in a list item, every field but the narrative); read-only metadata
    is well formed."""
    tc.assertIsInstance(rec, dict)
    expected = set(FIELDS[resource]) | set(COMMON_READONLY)
    if in_list:
        expected.discard(NARRATIVES[resource])
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
