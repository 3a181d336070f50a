"""Access control: every route of the server's route table (`paroletrack routes`, lines
`METHOD PATH PERMISSION`), for every role, for a read key, a read/write key, a monitoring key
(scope `metrics` alone), a session that still
has to enrol its second factor, and for no credentials, against the one permission table below.

The check is about 401/403 versus anything else: requests use real ids of existing records, but
bodies are empty (`{}`) and writes carry a stale `If-Match`, so an allowed identity typically gets
a 422 or 412 and nothing changes. Expected:
  - no credentials: 401 `unauthenticated`, except on `public` routes;
  - an identity the permission does not cover: 403 (`forbidden`, or
    `second-factor-enrolment-required` for the session that has not enrolled yet);
  - an identity it covers: anything but 401 and 403.
"""

import unittest

from harness import ApiTestCase, fresh_source, run_cli, unique_receipt, validator
from test_uscis_sync import CLIENT_ID, CLIENT_SECRET, UscisStandIn

# ---- The declared permission table ---------------------------------------------------------

# Who may use each permission.
IDENTITIES = ("none", "viewer", "paralegal", "attorney", "admin", "read key", "read/write key",
              "metrics key", "not enrolled")
WHO_MAY = {
    "public": set(IDENTITIES),
    "signed_in": {"viewer", "paralegal", "attorney", "admin", "not enrolled"},
    "read": {"viewer", "paralegal", "attorney", "admin", "read key", "read/write key"},
    "write": {"paralegal", "attorney", "admin", "read/write key"},
    "admin": {"admin"},
    "metrics": {"metrics key"},
}

CHILDREN = ("filings", "rfes", "interviews", "decisions", "expirations", "fee-notices")
# Child records no route creates (`paroletrack uscis-sync` writes them): read and patched only.
SYNCED = ("uscis-statuses",)
PR = "/api/v1/parole-requests/{id}"
HOOKS = "/api/v1/webhook-endpoints"

# The permission of every route.
ROUTES = {
    ("GET", "/healthz"): "public",
    ("POST", "/api/v1/session"): "public",
    ("GET", "/api/v1/session"): "signed_in",
    ("DELETE", "/api/v1/session"): "signed_in",
    ("POST", "/api/v1/me/password"): "signed_in",
    ("POST", "/api/v1/me/totp"): "signed_in",
    ("POST", "/api/v1/me/totp/confirm"): "signed_in",
    ("GET", "/api/v1/users"): "admin",
    ("POST", "/api/v1/users"): "admin",
    ("GET", "/api/v1/users/{id}"): "admin",
    ("PATCH", "/api/v1/users/{id}"): "admin",
    ("GET", "/api/v1/users/{id}/sessions"): "admin",
    ("DELETE", "/api/v1/users/{id}/sessions"): "admin",
    ("DELETE", "/api/v1/users/{id}/sessions/{child_id}"): "admin",
    ("GET", "/api/v1/api-keys"): "admin",
    ("POST", "/api/v1/api-keys"): "admin",
    ("DELETE", "/api/v1/api-keys/{id}"): "admin",
    ("GET", "/api/v1/settings"): "admin",
    ("PATCH", "/api/v1/settings"): "admin",
    ("GET", "/api/v1/audit-events"): "admin",
    ("GET", "/api/v1/clients"): "read",
    ("POST", "/api/v1/clients"): "write",
    ("GET", "/api/v1/clients/{id}"): "read",
    ("PATCH", "/api/v1/clients/{id}"): "write",
    ("DELETE", "/api/v1/clients/{id}"): "admin",
    ("GET", "/api/v1/parole-requests"): "read",
    ("POST", "/api/v1/parole-requests"): "write",
    ("GET", PR): "read",
    ("PATCH", PR): "write",
    ("DELETE", PR): "admin",
    ("GET", PR + "/timeline"): "read",
    ("GET", PR + "/history"): "read",
    ("GET", PR + "/deadlines"): "read",
    ("GET", "/api/v1/deadlines"): "read",
    ("GET", "/api/v1/search"): "read",
    ("GET", "/api/v1/deadlines/{resource}/{id}/{kind}"): "read",
    ("PATCH", "/api/v1/deadlines/{resource}/{id}/{kind}"): "write",
    ("GET", "/api/v1/stats"): "read",
    ("GET", "/api/v1/fields"): "read",
    ("GET", "/api/v1/assignees"): "read",
    ("GET", "/api/v1/deadline-rules"): "admin",
    ("GET", "/api/v1/deadline-rules/{id}"): "admin",
    ("PATCH", "/api/v1/deadline-rules/{id}"): "admin",
    ("GET", "/api/v1/programs"): "read",
    ("POST", "/api/v1/programs"): "admin",
    ("GET", "/api/v1/programs/{id}"): "read",
    ("PATCH", "/api/v1/programs/{id}"): "admin",
    ("GET", "/api/v1/fee-schedule"): "read",
    ("POST", "/api/v1/fee-schedule"): "admin",
    ("GET", "/api/v1/fee-schedule/{id}"): "read",
    ("PATCH", "/api/v1/fee-schedule/{id}"): "admin",
    ("GET", HOOKS): "admin",
    ("POST", HOOKS): "admin",
    ("GET", HOOKS + "/{id}"): "admin",
    ("PATCH", HOOKS + "/{id}"): "admin",
    ("DELETE", HOOKS + "/{id}"): "admin",
    ("POST", HOOKS + "/{id}/secret"): "admin",
    ("GET", HOOKS + "/{id}/deliveries"): "admin",
    ("GET", HOOKS + "/{id}/deliveries/{child_id}"): "admin",
    ("POST", HOOKS + "/{id}/deliveries/{child_id}/replay"): "admin",
    ("GET", "/api/v1/clients/{id}/entries"): "read",
    ("POST", "/api/v1/clients/{id}/entries"): "write",
    ("GET", "/api/v1/clients/{id}/entries/{child_id}"): "read",
    ("PATCH", "/api/v1/clients/{id}/entries/{child_id}"): "write",
    ("DELETE", "/api/v1/clients/{id}/entries/{child_id}"): "write",
    ("GET", "/api/v1/clients/{id}/deadlines"): "read",
    ("GET", "/metrics"): "metrics",
    ("POST", "/api/v1/me/calendar-feed"): "signed_in",
    ("DELETE", "/api/v1/me/calendar-feed"): "signed_in",
    ("GET", "/api/v1/calendar.ics"): "public",
}
for _child in CHILDREN:
    ROUTES[("GET", "%s/%s" % (PR, _child))] = "read"
    ROUTES[("POST", "%s/%s" % (PR, _child))] = "write"
    ROUTES[("GET", "%s/%s/{child_id}" % (PR, _child))] = "read"
    ROUTES[("PATCH", "%s/%s/{child_id}" % (PR, _child))] = "write"
    ROUTES[("DELETE", "%s/%s/{child_id}" % (PR, _child))] = "write"
for _child in SYNCED:
    ROUTES[("GET", "%s/%s" % (PR, _child))] = "read"
    ROUTES[("GET", "%s/%s/{child_id}" % (PR, _child))] = "read"
    ROUTES[("PATCH", "%s/%s/{child_id}" % (PR, _child))] = "write"

# Where a route's own rules go past its permission: the calendar feed's credential is the token
# in its URL (calendar applications cannot sign in), so without one every identity gets 401;
# managing a feed is closed to a session that still has to enrol its second factor.
OVERRIDES = {("GET", "/api/v1/calendar.ics", identity): 401 for identity in IDENTITIES}
OVERRIDES.update({(method, "/api/v1/me/calendar-feed", "not enrolled"): 403
                  for method in ("POST", "DELETE")})

STALE = '"999999"'


def server_routes():
    """[(method, path, permission)] from `paroletrack routes`."""
    code, out, err = run_cli("routes")
    if code != 0:
        raise AssertionError("paroletrack routes exited %d: %s" % (code, err))
    rows = []
    for line in out.splitlines():
        if line.strip():
            parts = line.split()
            if len(parts) != 3:
                raise AssertionError("a routes line is not 'METHOD PATH PERMISSION': %r" % line)
            rows.append(tuple(parts))
    return rows


class Permissions(ApiTestCase):

    _fx = None

    def fixtures(self):
        """Users, sessions, keys and records, built once per class."""
        cls = type(self)
        if cls._fx is not None:
            return cls._fx
        fx = {}
        ids = {}
        # A webhook endpoint with one delivery (the client's creation), then disabled: nothing is
        # ever posted (port 9 of this machine) and the walk's writes raise no further events.
        hook = self.create(HOOKS, {"url": "http://127.0.0.1:9/permissions",
                                   "events": ["client.created"]})
        ids["webhook"] = hook["id"]
        cl = self.make_client(notes="permissions")
        r = self.patch("%s/%d" % (HOOKS, hook["id"]), {"enabled": False})
        self.assertStatus(r, 200, "disabling the webhook endpoint")
        deliveries = self.get("%s/%d/deliveries" % (HOOKS, hook["id"])).json["items"]
        self.assertEqual(len(deliveries), 1, "the client's creation is the endpoint's one delivery")
        ids["delivery"] = deliveries[0]["id"]
        pr = self.make_request(cl["id"], summary="permissions")
        ids["client"] = cl["id"]
        ids["entry"] = self.create("/api/v1/clients/%d/entries" % cl["id"],
                                   {"arrived_on": "2024-03-01"})["id"]
        ids["pr"] = pr["id"]
        receipt = unique_receipt("IOE")
        for child in CHILDREN:
            extra = {"receipt_number": receipt} if child == "filings" else {}
            ids[child] = self.make_child(pr["id"], child, **extra)["id"]
        ids["uscis-statuses"] = self.uscis_status(pr["id"], receipt)
        ids["user"] = self.make_user("viewer").id
        fx["ids"] = ids
        who, spare = {"none": None}, {}
        for role in ("viewer", "paralegal", "attorney", "admin"):
            account = self.make_user(role)
            who[role] = self.sign_in(account, enrol=True)
            # A second session for the sign-out route (a recovery code: no TOTP step to wait).
            if account.recovery_codes:
                spare[role] = self.sign_in(account, totp=None,
                                           recovery_code=account.recovery_codes.pop(0))
            else:
                spare[role] = self.sign_in(account)
        pending = self.make_user("attorney")
        who["not enrolled"] = self.sign_in(pending)
        spare["not enrolled"] = self.sign_in(pending)
        for s in (who["not enrolled"], spare["not enrolled"]):
            self.assertEqual(s.second_factor, "not_enrolled")
        who["read key"] = self.make_key(["read"])
        who["read/write key"] = self.make_key(["read", "write"])
        who["metrics key"] = self.make_key(["metrics"])
        fx["who"], fx["spare"] = who, spare
        fx["walker"] = self.make_user("viewer")
        cls._fx = fx
        return fx

    def uscis_status(self, pr_id, receipt):
        """The id of a USCIS status of the request pr_id: `paroletrack uscis-sync` against a
        stand-in of the Case Status API records the one status of its filing's `receipt` (this
        class's only receipt number), which proposes an RFE."""
        api = UscisStandIn()
        try:
            api.script[receipt] = [("status", "Request for Evidence Was Sent")]
            self.server.note_secret("USCIS client secret", CLIENT_SECRET)
            code, out, err = self.server.cli(
                "uscis-sync", "--uscis-base-url", api.url, timeout=120,
                env_extra={"PAROLETRACK_USCIS_CLIENT_ID": CLIENT_ID,
                           "PAROLETRACK_USCIS_CLIENT_SECRET": CLIENT_SECRET})
        finally:
            api.stop()
        self.assertEqual(code, 0, "uscis-sync exited %d:\n%s%s" % (code, out, err))
        r = self.get("%s/uscis-statuses" % PR.replace("{id}", str(pr_id)))
        self.assertStatus(r, 200)
        self.assertEqual([(s["receipt_number"], s["proposes"]) for s in r.json["items"]],
                         [(receipt, "rfe")], "the sync recorded the filing's one status")
        return r.json["items"][0]["id"]

    def concrete(self, path, ids):
        if path.startswith("/api/v1/deadlines/{resource}"):
            # the RFE's response deadline (its id after the collection's path)
            path = "/api/v1/deadlines/rfes/%d/rfe_response" % ids["rfes"]
        elif path.startswith("/api/v1/clients/"):
            path = path.replace("{id}", str(ids["client"]))
            if "/entries/{child_id}" in path:
                path = path.replace("{child_id}", str(ids["entry"]))
        elif path.startswith("/api/v1/parole-requests/"):
            path = path.replace("{id}", str(ids["pr"]))
            for child in CHILDREN + SYNCED:
                if "/%s/{child_id}" % child in path:
                    path = path.replace("{child_id}", str(ids[child]))
        elif path.startswith("/api/v1/users/"):
            path = path.replace("{id}", str(ids["user"]))
        elif path.startswith(HOOKS + "/"):
            path = path.replace("{id}", str(ids["webhook"]))
            path = path.replace("{child_id}", str(ids["delivery"]))
        return path.replace("{id}", "1").replace("{child_id}", "1")

    def expect(self, permission, identity):
        if identity in WHO_MAY.get(permission, ()):
            return "allowed"
        if identity == "none":
            return 401
        return 403

    def check(self, method, template, permission, identity, r, problems):
        want = OVERRIDES.get((method, template, identity)) or self.expect(permission, identity)
        got = r.status
        slug = (r.json or {}).get("type", "") if isinstance(r.json, dict) else ""
        slug = slug.rsplit(":", 1)[-1]
        where = "%-6s %-52s %-9s as %-14s" % (method, template, permission, identity)
        if want == "allowed":
            if got in (401, 403):
                problems.append("%s -> %d %s (should be allowed)" % (where, got, slug))
            elif got >= 500:
                problems.append("%s -> %d (server error)" % (where, got))
            return
        if got != want:
            problems.append("%s -> %d %s (expected %d)" % (where, got, slug, want))
            return
        ctype = (r.header("Content-Type") or "").split(";")[0].strip()
        if ctype != "application/problem+json":
            problems.append("%s -> %d with Content-Type %r" % (where, got, ctype))
        expected_slug = {401: "unauthenticated", 403: "forbidden"}[want]
        if identity == "not enrolled" and want == 403:
            expected_slug = "second-factor-enrolment-required"
        if slug != expected_slug:
            problems.append("%s -> %d %s (expected type %s)" % (where, got, slug, expected_slug))

    # ---- the table itself --------------------------------------------------------------------

    def test_table_agrees_with_the_route_table(self):
        declared = {(m, p): perm for m, p, perm in server_routes()}
        self.assertEqual(sorted(set(declared) - set(ROUTES)), [],
                         "routes the test's permission table does not declare")
        self.assertEqual(sorted(set(ROUTES) - set(declared)), [],
                         "routes of the test's table that the server lacks")
        differ = sorted("%s %s: server %s, test %s" % (m, p, declared[(m, p)], ROUTES[(m, p)])
                        for (m, p) in set(declared) & set(ROUTES)
                        if declared[(m, p)] != ROUTES[(m, p)])
        self.assertEqual(differ, [], "permissions that differ")
        self.assertEqual(sorted(set(declared.values()) - set(WHO_MAY)), [],
                         "permissions the table does not know")

    def test_table_agrees_with_the_spec(self):
        spec = validator().spec
        self.assertIsNotNone(spec, "api-spec/openapi.yaml is missing")
        differ = []
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method not in ("get", "post", "patch", "delete", "put"):
                    continue
                key = (method.upper(), path)
                got = op.get("x-permission")
                if key not in ROUTES:
                    differ.append("%s %s is in the spec, not in the table" % key)
                elif got != ROUTES[key]:
                    differ.append("%s %s: spec x-permission %r, table %r"
                                  % (key + (got, ROUTES[key])))
                if got == "public" and op.get("security") != []:
                    differ.append("%s %s is public but the spec requires security" % key)
        self.assertEqual(differ, [])

    # ---- the walk ----------------------------------------------------------------------------

    def test_every_route_for_every_identity(self):
        fx = self.fixtures()
        ids, who = fx["ids"], fx["who"]
        routes = server_routes()
        problems = []
        last = []
        for method, template, declared in routes:
            permission = ROUTES.get((method, template), declared)
            if (method, template) in (("POST", "/api/v1/session"),
                                      ("DELETE", "/api/v1/session")):
                last.append((method, template, permission))
                continue
            for identity in IDENTITIES:
                path = self.concrete(template, ids)
                if template == "/api/v1/api-keys/{id}":
                    path = template.replace("{id}", str(self.make_key(["read"]).id))
                headers = {}
                body = None
                if method in ("POST", "PATCH"):
                    body = {}
                if method in ("PATCH", "DELETE") and not template.startswith(
                        ("/api/v1/api-keys", "/api/v1/settings")):
                    headers["If-Match"] = STALE
                r = self.request(method, path, body, auth=who[identity], headers=headers,
                                 validate=False)
                self.check(method, template, permission, identity, r, problems)
        # Signing out: each session identity signs out a spare session of its own.
        for method, template, permission in last:
            for identity in IDENTITIES:
                if method == "DELETE":
                    auth = fx["spare"].get(identity, who[identity])
                    r = self.request(method, template, auth=auth, validate=False)
                else:
                    # Signing in with a cookie or key already present is allowed for anyone.
                    walker = fx["walker"]
                    r = self.request(method, template, {"email": walker.email,
                                                        "password": walker.password},
                                     auth=who[identity], source=fresh_source(), validate=False)
                    if r.status not in (201, 401, 403):
                        problems.append("POST /api/v1/session as %s -> %d (expected 201)"
                                        % (identity, r.status))
                self.check(method, template, permission, identity, r, problems)
        if problems:
            self.fail("%d of %d checks failed:\n  %s"
                      % (len(problems), len(routes) * len(IDENTITIES), "\n  ".join(problems)))

    def test_head_needs_credentials_too(self):
        ids = self.fixtures()["ids"]
        problems = []
        for method, template, declared in server_routes():
            if method != "GET" or ROUTES.get((method, template), declared) == "public":
                continue
            path = self.concrete(template, ids)
            r = self.request("HEAD", path, auth=None, validate=False)
            if r.status != 401:
                problems.append("HEAD %s without credentials -> %d" % (template, r.status))
            # an identity the route's permission covers (the admin, or the monitoring key)
            who = "metrics key" if ROUTES.get((method, template), declared) == "metrics" \
                else "admin"
            r = self.request("HEAD", path, auth=self.fixtures()["who"][who], validate=False)
            if r.status in (401, 403):
                problems.append("HEAD %s as %s -> %d" % (template, who, r.status))
        if problems:
            self.fail("\n".join(problems))

    def test_sessions_survive_the_walk(self):
        """The walk's requests changed nothing they should not have: every identity still
        works and the records are untouched."""
        fx = self.fixtures()
        for identity, auth in fx["who"].items():
            if identity in ("none", "not enrolled"):
                continue
            with self.subTest(identity=identity):
                path = ("/metrics" if identity == "metrics key"
                        else "/api/v1/clients/%d" % fx["ids"]["client"])
                self.assertStatus(self.get(path, auth=auth), 200)

    def test_unknown_routes_without_credentials_do_not_leak(self):
        """Without credentials an unknown path is a 401 or a 404, never data or a 5xx."""
        for path in ("/api/v1/nope", "/api/v1/clients/1/extra", "/api/v1/users/1/tokens"):
            with self.subTest(path=path):
                r = self.get(path, auth=None, validate=False)
                self.assertIn(r.status, (401, 404), repr(r))


if __name__ == "__main__":
    unittest.main()
