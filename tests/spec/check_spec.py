#!/usr/bin/python3
"""Check that the server's route table and api-spec/openapi.yaml agree.

Usage: check_spec.py PATH_TO_PAROLETRACK [PATH_TO_OPENAPI_YAML]

Runs `PAROLETRACK routes` (one `METHOD PATH PERMISSION` per line, placeholders `{id}` /
`{child_id}` exactly as in the spec, PERMISSION one of public, signed_in, read, write, admin,
metrics) and
compares its (method, path) pairs with the operations of the spec, in both directions. It also
checks that every operation of the spec has a 2xx response and that every 4xx response is
`application/problem+json` with the Problem schema.

Access (docs/accounts-contract.md): every operation declares its permission in `x-permission`,
which must equal the route table's. A `public` operation has `security: []`; every other one
inherits or declares a non-empty `security` naming only schemes of `components.securitySchemes`
(`admin` and `signed_in` ones the session cookie only, `metrics` ones API keys only, `read` and
`write` ones the cookie and API keys), documents 401 and 403, and, when it is a POST, PATCH or DELETE usable with the cookie,
documents the `X-CSRF-Token` header parameter.

Each comparison is one check; every failure is printed. The last line is `N passed, M failed`,
and the exit status is 1 when any check failed (2 for bad usage).

Needs only the standard library and PyYAML (Debian's python3-yaml).
"""

import os
import subprocess
import sys

import yaml

from tally import Tally

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PERMISSIONS = ("public", "signed_in", "read", "write", "admin", "metrics")
UNSAFE_METHODS = ("POST", "PATCH", "DELETE", "PUT")
SESSION_SCHEME = "sessionCookie"
KEY_SCHEME = "apiKey"
CSRF_HEADER = "x-csrf-token"
PROBLEM_REF = "#/components/schemas/Problem"
PROBLEM_MEDIA = "application/problem+json"
DEFAULT_SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            os.pardir, os.pardir, "api-spec", "openapi.yaml")


def server_routes(binary, tally):
    """Returns a dict {(METHOD, path): permission} of what `binary routes` prints, or None if it
    failed."""
    try:
        proc = subprocess.run([binary, "routes"], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        tally.check(False, "could not run `%s routes`: %s" % (binary, exc))
        return None
    if not tally.check(proc.returncode == 0,
                       "`%s routes` exited with status %d: %s"
                       % (binary, proc.returncode, proc.stderr.strip())):
        return None
    routes = {}
    well_formed = True
    for lineno, line in enumerate(proc.stdout.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != 3 or not fields[1].startswith("/"):
            well_formed = False
            print("FAIL: `routes` line %d is not `METHOD PATH PERMISSION`: %r" % (lineno, line))
            continue
        if fields[2] not in PERMISSIONS:
            well_formed = False
            print("FAIL: `routes` line %d: unknown permission %r (expected one of %s)"
                  % (lineno, fields[2], ", ".join(PERMISSIONS)))
            continue
        route = (fields[0].upper(), fields[1])
        if route in routes:
            well_formed = False
            print("FAIL: `routes` lists %s %s twice" % route)
        routes[route] = fields[2]
    tally.check(well_formed, "`routes` output has malformed or duplicate lines (see above)")
    tally.check(len(routes) > 0, "`routes` printed no route")
    return routes


def resolve(spec, node):
    """Follows local `$ref`s (`#/a/b`) until reaching a node without one."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            return None
        seen.add(ref)
        node = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
    return node


def spec_operations(spec):
    """Yields (METHOD, path, operation, path item) for every operation of the spec."""
    for path, item in sorted((spec.get("paths") or {}).items()):
        item = resolve(spec, item)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method], item


def header_parameters(spec, op, item):
    """The lower-cased names of the header parameters of an operation (its own and its path's)."""
    names = set()
    for param in list(item.get("parameters") or []) + list((op or {}).get("parameters") or []):
        param = resolve(spec, param)
        if isinstance(param, dict) and param.get("in") == "header" \
                and isinstance(param.get("name"), str):
            names.add(param["name"].lower())
    return names


def check_access(spec, tally, method, path, op, item, permission):
    """The operation's security, 401/403 responses and CSRF header agree with its permission."""
    where = "%s %s" % (method, path)
    op = op or {}
    security = op["security"] if "security" in op else spec.get("security")
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    codes = {str(code) for code in (op.get("responses") or {})}
    if permission == "public":
        tally.check(security == [],
                    "%s is public but its security is %r, not []" % (where, security))
        return
    if not tally.check(isinstance(security, list) and len(security) > 0,
                       "%s (permission %s) neither inherits nor declares a non-empty security"
                       % (where, permission)):
        return
    named = set()
    anonymous = False
    for requirement in security:
        if not isinstance(requirement, dict) or not requirement:
            anonymous = True
            continue
        named.update(requirement)
    tally.check(not anonymous,
                "%s (permission %s): security allows anonymous access (an empty requirement)"
                % (where, permission))
    unknown = sorted(name for name in named if name not in schemes)
    tally.check(not unknown, "%s: security names undefined schemes %s"
                % (where, ", ".join(unknown)))
    if permission in ("admin", "signed_in"):
        tally.check(named == {SESSION_SCHEME},
                    "%s (permission %s) must allow the session cookie only (%s), not %s"
                    % (where, permission, SESSION_SCHEME, ", ".join(sorted(named))))
    elif permission == "metrics":
        tally.check(named == {KEY_SCHEME},
                    "%s (permission %s) must allow API keys only (%s), not %s"
                    % (where, permission, KEY_SCHEME, ", ".join(sorted(named))))
    else:
        tally.check(named == {SESSION_SCHEME, KEY_SCHEME},
                    "%s (permission %s) must allow the session cookie and API keys (%s, %s), not %s"
                    % (where, permission, SESSION_SCHEME, KEY_SCHEME, ", ".join(sorted(named))))
    for code, name in (("401", "Unauthenticated"), ("403", "Forbidden")):
        tally.check(code in codes, "%s (permission %s) does not document %s (%s)"
                    % (where, permission, code, name))
    if method in UNSAFE_METHODS and SESSION_SCHEME in named:
        tally.check(CSRF_HEADER in header_parameters(spec, op, item),
                    "%s is unsafe and usable with the session cookie but does not document the "
                    "X-CSRF-Token header" % where)


def check_problem_response(spec, tally, where, response):
    """A 4xx response must be application/problem+json with the Problem schema and nothing else."""
    resolved = resolve(spec, response)
    if not tally.check(isinstance(resolved, dict), "%s: response does not resolve" % where):
        return
    content = resolved.get("content") or {}
    media = content.get(PROBLEM_MEDIA)
    schema = media.get("schema") if isinstance(media, dict) else None
    others = sorted(k for k in content if k != PROBLEM_MEDIA)
    ok = (isinstance(schema, dict) and schema.get("$ref") == PROBLEM_REF and not others)
    detail = ("no %s content" % PROBLEM_MEDIA if media is None else
              "schema is %r, not {$ref: %s}" % (schema, PROBLEM_REF)
              if not (isinstance(schema, dict) and schema.get("$ref") == PROBLEM_REF) else
              "other media types %s" % ", ".join(others))
    tally.check(ok, "%s: 4xx response must be %s with the Problem schema (%s)"
                % (where, PROBLEM_MEDIA, detail))


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
    except (OSError, yaml.YAMLError) as exc:
        spec = None
        print("FAIL: cannot load %s: %s" % (spec_path, exc))
    if not tally.check(isinstance(spec, dict) and isinstance(spec.get("paths"), dict),
                       "%s is not an OpenAPI document with `paths`" % spec_path):
        print("%d passed, %d failed" % (tally.passed, tally.failed))
        return 1
    tally.check(isinstance(resolve(spec, {"$ref": PROBLEM_REF}), dict),
                "the spec has no %s schema" % PROBLEM_REF)

    operations = list(spec_operations(spec))
    spec_routes = {(method, path) for method, path, _, _ in operations}

    # 1. The route table and the spec list the same (method, path) pairs.
    routes = server_routes(binary, tally)
    if routes is not None:
        for method, path in sorted(spec_routes | set(routes), key=lambda r: (r[1], r[0])):
            in_spec = (method, path) in spec_routes
            in_server = (method, path) in routes
            tally.check(in_spec and in_server,
                        "%s %s is %s" % (method, path,
                                         "in the spec but not in the server's route table"
                                         if in_spec else
                                         "in the server's route table but not in the spec"))

    # 2. Every operation has a success response; every 4xx response is a Problem.
    for method, path, op, _ in operations:
        where = "%s %s" % (method, path)
        responses = {str(code).upper(): response
                     for code, response in ((op or {}).get("responses") or {}).items()}
        tally.check(any(code.startswith("2") for code in responses),
                    "%s has no 2xx response" % where)
        for code, response in sorted(responses.items()):
            if code.startswith("4"):
                check_problem_response(spec, tally, "%s %s" % (where, code), response)

    # 3. Access: the spec's permission (`x-permission`) is the route table's, and the operation's
    #    security, 401/403 responses and CSRF header fit it.
    for method, path, op, item in operations:
        where = "%s %s" % (method, path)
        declared = (op or {}).get("x-permission")
        if not tally.check(declared in PERMISSIONS,
                           "%s: x-permission is %r, not one of %s"
                           % (where, declared, ", ".join(PERMISSIONS))):
            declared = None
        permission = routes.get((method, path)) if routes is not None else None
        if permission is not None and declared is not None:
            tally.check(declared == permission,
                        "%s: the spec says permission %s, the route table %s"
                        % (where, declared, permission))
        permission = permission or declared
        if permission is not None:
            check_access(spec, tally, method, path, op, item, permission)

    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
