#!/usr/bin/python3
"""Check that the server's shared lists and the enums of api-spec/openapi.yaml agree.

Usage: check_lists.py PATH_TO_PAROLETRACK [PATH_TO_OPENAPI_YAML]

Starts the real binary (`serve` on a free loopback port, a fresh database in a temporary
directory), adds a viewer through the CLI, signs in and reads GET /api/v1/fields, whose
`stages`, `roles`, `deadline_kinds` and `webhook_event_types` come from the one C table of each
list (server/domain/stage.c, role.c, deadline_kind.c, webhook_event.c). Each is compared, in
order, with every enum of the spec that lists the same thing:
  - stages: the `Stage` schema and the `stage` query parameter (`StageFilter`);
  - roles: the `role` of `User`, `UserCreate`, `UserPatch` and of the catalogue's `roles`;
    the `role` of `Assignee` with the roles that can be assigned a request;
  - deadline kinds: the `DeadlineKind` schema;
  - webhook event types: the `WebhookEventType` schema.
Each comparison is one check and a failure names the items missing on either side. The last line
is `N passed, M failed`; the exit status is 1 when any check failed (2 for bad usage).

Needs only the standard library and PyYAML (Debian's python3-yaml).
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

import yaml

from tally import Tally

DEFAULT_SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            os.pardir, os.pardir, "api-spec", "openapi.yaml")
LISTEN_RE = re.compile(r"paroletrack: listening on http://127\.0\.0\.1:([0-9]+)")
EMAIL = "lists@spec.check.invalid"
PASSWORD = "Tq8#vRm3!pLx6Wz-lighthouse"
START_TIMEOUT = 30


def clean_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("PAROLETRACK_")}


def served_catalogue(binary):
    """GET /api/v1/fields from a fresh server as a signed-in viewer; returns the parsed body.
    Raises RuntimeError saying what went wrong."""
    workdir = tempfile.mkdtemp(prefix="paroletrack-lists-")
    db = os.path.join(workdir, "lists.db")
    proc = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:0"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=clean_env())
    found, log = {}, []
    ready = threading.Event()

    def reader():
        for line in iter(proc.stderr.readline, b""):
            text = line.decode("utf-8", "replace")
            log.append(text)
            m = LISTEN_RE.search(text)
            if m and not ready.is_set():
                found["port"] = int(m.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=reader, daemon=True).start()
    try:
        if not ready.wait(START_TIMEOUT) or "port" not in found:
            raise RuntimeError("the server did not start: %s" % "".join(log)[-2000:])
        added = subprocess.run([binary, "user", "add", "--db", db, "--email", EMAIL, "--name",
                                "Spec Lists", "--role", "viewer"], input=PASSWORD + "\n",
                               capture_output=True, text=True, timeout=60, env=clean_env())
        if added.returncode != 0:
            raise RuntimeError("`user add` failed: %s" % added.stderr.strip())
        conn = http.client.HTTPConnection("127.0.0.1", found["port"], timeout=30)
        conn.request("POST", "/api/v1/session", json.dumps({"email": EMAIL, "password": PASSWORD}),
                     {"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        cookie = (r.getheader("Set-Cookie") or "").split(";")[0]
        if r.status != 201 or not cookie:
            raise RuntimeError("signing in answered %d" % r.status)
        conn.request("GET", "/api/v1/fields", headers={"Cookie": cookie})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError("GET /api/v1/fields answered %d" % r.status)
        conn.close()
        return json.loads(body)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def at(spec, *path):
    """The node at `path` below the spec's root (None when any step is missing)."""
    node = spec
    for step in path:
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return node


def compare(tally, what, served, where, enum):
    """One check: the served list equals the spec's enum at `where`, in order."""
    if enum is None:
        tally.check(False, "%s: the spec has no enum at %s" % (what, where))
        return
    missing = [x for x in served if x not in enum]
    extra = [x for x in enum if x not in served]
    detail = []
    if missing:
        detail.append("the server has %s, the spec does not" % ", ".join(missing))
    if extra:
        detail.append("the spec has %s, the server does not" % ", ".join(extra))
    if not detail:
        detail.append("same items, other order: server %s, spec %s"
                      % (", ".join(served), ", ".join(enum)))
    tally.check(list(served) == list(enum), "%s vs %s: %s" % (what, where, "; ".join(detail)))


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: %s PAROLETRACK_BINARY [OPENAPI_YAML]\n" % argv[0])
        return 2
    binary = argv[1]
    spec_path = argv[2] if len(argv) == 3 else os.path.normpath(DEFAULT_SPEC)
    tally = Tally()
    try:
        with open(spec_path, encoding="utf-8") as f:
            spec = yaml.safe_load(f)
        catalogue = served_catalogue(binary)
    except (OSError, yaml.YAMLError, RuntimeError, ValueError,
            subprocess.SubprocessError, http.client.HTTPException) as exc:
        tally.check(False, "cannot compare the lists: %s" % exc)
        print("%d passed, %d failed" % (tally.passed, tally.failed))
        return 1

    schemas = at(spec, "components", "schemas") or {}
    stages = [s["name"] for s in catalogue.get("stages", [])]
    roles = [r["name"] for r in catalogue.get("roles", [])]
    assignable = [r["name"] for r in catalogue.get("roles", []) if r["assignable_paralegal"]]
    kinds = [k["name"] for k in catalogue.get("deadline_kinds", [])]
    event_types = list(catalogue.get("webhook_event_types", []))
    tally.check(stages and roles and kinds and event_types,
                "/api/v1/fields lacks stages, roles, deadline_kinds or webhook_event_types")

    compare(tally, "stages", stages, "Stage", at(schemas, "Stage", "enum"))
    compare(tally, "stages", stages, "parameters.StageFilter",
            at(spec, "components", "parameters", "StageFilter", "schema", "enum"))
    for schema in ("User", "UserCreate", "UserPatch"):
        compare(tally, "roles", roles, "%s.role" % schema,
                at(schemas, schema, "properties", "role", "enum"))
    compare(tally, "roles", roles, "FieldCatalogue.roles[].name",
            at(schemas, "FieldCatalogue", "properties", "roles", "items", "properties", "name",
               "enum"))
    compare(tally, "assignable roles", assignable, "Assignee.role",
            at(schemas, "Assignee", "properties", "role", "enum"))
    compare(tally, "deadline kinds", kinds, "DeadlineKind", at(schemas, "DeadlineKind", "enum"))
    compare(tally, "webhook event types", event_types, "WebhookEventType",
            at(schemas, "WebhookEventType", "enum"))

    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
