"""The audit trail: every change of every resource, sign-ins and their failures, sign-outs, keys,
users, password changes and reads of full identifiers append an event (actor, action, entity, id,
request id, changes with encrypted fields redacted); the admin list filters; a parole request's
history is readable by a viewer; `paroletrack audit verify` checks the hash chain, and catches a
row changed behind the server's back; triggers refuse UPDATE and DELETE."""

import contextlib
import json
import os
import re
import shutil
import sqlite3
import unittest
import urllib.parse

from harness import (CHILDREN, KEY_RE, RFC3339_UTC_RE, Account, ApiTestCase, fresh_source,
                     run_cli, strong_password, token, unique_email)

ENTITY = {"clients": "clients", "parole-requests": "parole_requests", "filings": "filings",
          "rfes": "rfes", "interviews": "interviews", "decisions": "decisions",
          "expirations": "expirations"}
REDACTED = "[redacted]"
EVENT_FIELDS = {"id", "at", "actor", "action", "entity", "entity_id", "parole_request_id",
                "request_id", "changes", "hash"}


def rid(tag):
    return "audit-%s-%s" % (tag, token(8))


class AuditCase(ApiTestCase):

    def all_events(self, query=""):
        return self.list_all("/api/v1/audit-events" + query)

    def page_ids(self, query, pages, per_page):
        """The event ids of the first `pages` pages of /audit-events?query, following the
        cursor; each page must be full."""
        ids, cursor = [], None
        for _ in range(pages):
            url = "/api/v1/audit-events?" + query + (
                "&cursor=" + urllib.parse.quote(cursor, safe="") if cursor else "")
            r = self.get(url)
            self.assertStatus(r, 200)
            self.assertEqual(len(r.json["items"]), per_page)
            ids += [e["id"] for e in r.json["items"]]
            cursor = r.json["next_cursor"]
        return ids

    def mark(self):
        events = self.all_events()
        return events[-1]["id"] if events else 0

    def events_since(self, mark):
        return [e for e in self.all_events() if e["id"] > mark]

    def by_request(self, events, request_id, actions=None):
        out = [e for e in events if e["request_id"] == request_id]
        if actions is not None:
            out = [e for e in out if e["action"] in actions]
        return out

    def one(self, events, request_id, action):
        got = self.by_request(events, request_id)
        matching = [e for e in got if e["action"] == action]
        self.assertEqual(len(matching), 1, "one %s event for request %s, got: %s"
                         % (action, request_id, json.dumps(got, ensure_ascii=False)[:1500]))
        return matching[0]

    def assertEventShape(self, e):
        self.assertEqual(set(e), EVENT_FIELDS, "fields of an audit event")
        self.assertRegex(e["at"], RFC3339_UTC_RE)
        self.assertRegex(e["hash"], r"^[0-9a-f]{64}$")
        self.assertEqual(set(e["actor"]), {"type", "id", "label"})
        self.assertIsInstance(e["changes"], dict)
        for name, ch in e["changes"].items():
            self.assertEqual(set(ch), {"before", "after"}, "change of %s: %r" % (name, ch))

    def assertNotInEvent(self, e, *plaintexts):
        # The hash and request id are hex: a short digit value could match by chance.
        text = json.dumps({k: v for k, v in e.items() if k not in ("hash", "request_id")},
                          ensure_ascii=False)
        for p in plaintexts:
            if p:
                self.assertNotIn(p, text, "an audit event shows a secret or an encrypted value")

    def assertAdminActor(self, e):
        self.assertEqual(e["actor"]["type"], "user", e)
        self.assertEqual(e["actor"]["id"], self.server.admin_account.id, e)
        self.assertIsInstance(e["actor"]["label"], str)


# What each resource is created with and patched with: (plain fields, encrypted fields).
def crud_plan(resource):
    t = token(6)
    if resource == "clients":
        return ({"family_name": "Audit" + t, "given_name": "Trail", "citizenship": "UA"},
                {"a_number": "A0%08d" % (int.from_bytes(os.urandom(3), "big") % 10**8),
                 "passport_number": "FX%s" % t.upper(), "date_of_birth": "1981-04-05",
                 "notes": "Client narrative " + t},
                {"given_name": "Trails", "citizenship": "PL"},
                {"notes": "Client narrative changed " + t})
    if resource == "parole-requests":
        return ({"parole_type": "medical", "program": "u4u"},
                {"summary": "Request summary " + t},
                {"parole_type": "humanitarian", "sponsor_name": "Sponsor " + t},
                {"summary": "Request summary changed " + t})
    plain = {"filings": ({"form": "I-131", "filed_on": "2025-01-10"},
                         {"filed_on": "2025-01-11"}),
             "rfes": ({"issued_on": "2025-03-01"}, {"issued_on": "2025-03-02"}),
             "interviews": ({"kind": "interview", "scheduled_at": "2030-05-01T10:00:00-04:00"},
                            {"location": "Newark field office"}),
             "decisions": ({"decided_on": "2025-06-01", "outcome": "approved"},
                           {"outcome": "denied"}),
             "expirations": ({"kind": "parole", "expires_on": "2026-01-01"},
                             {"expires_on": "2026-02-01"})}[resource]
    field = "summary" if resource == "rfes" else "notes"
    return (plain[0], {field: "%s narrative %s" % (resource, t)}, plain[1],
            {field: "%s narrative changed %s" % (resource, t)})


class Trail(AuditCase):

    def test_every_change_of_every_resource(self):
        base_client = self.make_client()
        for resource in ("clients", "parole-requests") + CHILDREN:
            with self.subTest(resource=resource):
                self.check_crud(resource, base_client["id"])

    def check_crud(self, resource, client_id):
        plain, secret, plain_patch, secret_patch = crud_plan(resource)
        pr_id = None
        if resource == "clients":
            collection = "/api/v1/clients"
        elif resource == "parole-requests":
            collection = "/api/v1/parole-requests"
            plain = dict(plain, client_id=client_id)
        else:
            pr_id = self.make_request(client_id)["id"]
            collection = "/api/v1/parole-requests/%d/%s" % (pr_id, resource)
        mark = self.mark()
        rids = [rid("create"), rid("update"), rid("delete")]
        r = self.post(collection, dict(plain, **secret), headers={"X-Request-Id": rids[0]})
        self.assertStatus(r, 201)
        rec = r.json
        path = "%s/%d" % (collection, rec["id"])
        if resource == "parole-requests":
            pr_id = rec["id"]
        r = self.patch(path, dict(plain_patch, **secret_patch), headers={"X-Request-Id": rids[1]})
        self.assertStatus(r, 200)
        updated = r.json
        r = self.delete(path, headers={"X-Request-Id": rids[2]})
        self.assertStatus(r, 204)
        events = self.events_since(mark)
        created = self.one(events, rids[0], "create")
        update = self.one(events, rids[1], "update")
        deleted = self.one(events, rids[2], "delete")
        self.assertLess(created["id"], update["id"])
        self.assertLess(update["id"], deleted["id"])
        plaintexts = list(secret.values()) + list(secret_patch.values())
        for e in (created, update, deleted):
            self.assertEventShape(e)
            self.assertAdminActor(e)
            self.assertEqual(e["entity"], ENTITY[resource])
            self.assertEqual(e["entity_id"], rec["id"])
            self.assertEqual(e["parole_request_id"], pr_id)
            self.assertNotInEvent(e, *plaintexts)
            if resource == "clients":
                self.assertNotInEvent(e, secret["a_number"][1:], rec["a_number"][1:])
        # create: every field sent, before null; encrypted ones redacted.
        for k in plain:
            self.assertIn(k, created["changes"], "create event lacks %s" % k)
            self.assertEqual(created["changes"][k], {"before": None, "after": rec[k]}, k)
        for k in secret:
            self.assertIn(k, created["changes"], "create event lacks %s" % k)
            self.assertIsNone(created["changes"][k]["before"])
            self.assertEqual(created["changes"][k]["after"], REDACTED, k)
        # update: the changed fields only.
        for k in plain_patch:
            self.assertEqual(update["changes"].get(k), {"before": rec[k], "after": updated[k]},
                             k)
        for k in secret_patch:
            self.assertEqual(update["changes"].get(k), {"before": REDACTED, "after": REDACTED},
                             k)
        untouched = [k for k in plain if k not in plain_patch and k != "client_id"]
        for k in untouched:
            self.assertNotIn(k, update["changes"], "an unchanged field in the update event")
        # delete: what was there, encrypted fields redacted.
        for k, ch in deleted["changes"].items():
            if k in secret:
                self.assertIn(ch["before"], (REDACTED, None), k)

    def test_failed_changes_append_nothing(self):
        cl = self.make_client()
        pr = self.make_request(cl["id"])
        self.make_child(pr["id"], "filings")
        mark = self.mark()
        self.assertStatus(self.post("/api/v1/clients", {"family_name": ""}), 422)
        self.assertStatus(self.patch("/api/v1/clients/%d" % cl["id"], {"notes": "x"},
                                     headers={"If-Match": '"99"'}), 412)
        self.assertStatus(self.delete("/api/v1/clients/%d" % cl["id"]), 409)
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % pr["id"]), 409)
        self.assertStatus(self.post("/api/v1/clients", {"family_name": "X", "given_name": "Y"},
                                    csrf=False), 403)
        self.assertEqual(self.events_since(mark), [])

    def test_read_of_full_identifiers_is_audited(self):
        cl = self.make_client(a_number="A087654321", passport_number="RD1234567")
        key = self.make_key(["read"])
        mark = self.mark()
        r1, r2, r3 = rid("read"), rid("list"), rid("keyread")
        self.assertStatus(self.get("/api/v1/clients/%d" % cl["id"],
                                   headers={"X-Request-Id": r1}), 200)
        self.assertStatus(self.get("/api/v1/clients?limit=5", headers={"X-Request-Id": r2}), 200)
        self.assertStatus(self.get("/api/v1/clients/%d" % cl["id"], auth=key,
                                   headers={"X-Request-Id": r3}), 200)
        events = self.events_since(mark)
        e = self.one(events, r1, "read_identifiers")
        self.assertEventShape(e)
        self.assertAdminActor(e)
        self.assertEqual((e["entity"], e["entity_id"]), ("clients", cl["id"]))
        self.assertNotInEvent(e, "087654321", "RD1234567")
        self.assertEqual(self.by_request(events, r2), [], "a list (masked) reads no identifiers")
        e = self.one(events, r3, "read_identifiers")
        self.assertEqual((e["actor"]["type"], e["actor"]["id"]), ("api_key", key.id))

    def test_accounts_and_keys_are_audited(self):
        mark = self.mark()
        rids = {k: rid(k) for k in ("user_create", "user_update", "sign_in", "bad_password",
                                    "unknown_email", "sign_out", "key_create", "key_revoke",
                                    "password_change", "totp", "settings")}
        account = Account(unique_email("audited"), strong_password(), "attorney", "Audited")
        r = self.post("/api/v1/users", {"email": account.email, "name": account.name,
                                        "role": "attorney", "password": account.password},
                      headers={"X-Request-Id": rids["user_create"]})
        self.assertStatus(r, 201)
        account.id = r.json["id"]
        r = self.patch("/api/v1/users/%d" % account.id, {"role": "paralegal"},
                       headers={"X-Request-Id": rids["user_update"]})
        self.assertStatus(r, 200)
        account.role = "paralegal"
        r = self.sign_in_response(account, headers={"X-Request-Id": rids["sign_in"]})
        self.assertStatus(r, 201)
        session = r.session
        wrong = strong_password()
        r = self.sign_in_response(account, password=wrong, source=fresh_source(),
                                  headers={"X-Request-Id": rids["bad_password"]})
        self.assertStatus(r, 401)
        ghost = unique_email("ghost")
        r = self.sign_in_response(ghost, wrong, source=fresh_source(),
                                  headers={"X-Request-Id": rids["unknown_email"]})
        self.assertStatus(r, 401)
        r = self.post("/api/v1/api-keys", {"name": "Audited key", "scopes": ["read"]},
                      headers={"X-Request-Id": rids["key_create"]})
        self.assertStatus(r, 201)
        key, key_id = r.json["key"], r.json["id"]
        self.assertStatus(self.delete("/api/v1/api-keys/%d" % key_id,
                                      headers={"X-Request-Id": rids["key_revoke"]}), 204)
        new = strong_password()
        r = self.post("/api/v1/me/password", {"old_password": account.password,
                                              "new_password": new}, auth=session,
                      headers={"X-Request-Id": rids["password_change"]})
        self.assertStatus(r, 204)
        account.password = new
        session = self.sign_in(account)
        # TOTP enrolment by the user.
        r = self.post("/api/v1/me/totp", {"password": account.password}, auth=session)
        self.assertStatus(r, 201)
        account.totp_secret = r.json["secret"]
        r = self.post("/api/v1/me/totp/confirm", {"code": account.totp()}, auth=session,
                      headers={"X-Request-Id": rids["totp"]})
        self.assertStatus(r, 200)
        self.assertStatus(self.delete("/api/v1/session", auth=session,
                                      headers={"X-Request-Id": rids["sign_out"]}), 204)
        r = self.patch("/api/v1/settings", {"session_idle_minutes": 45},
                       headers={"X-Request-Id": rids["settings"]})
        self.assertStatus(r, 200)
        self.assertStatus(self.patch("/api/v1/settings", {"session_idle_minutes": 30}), 200)

        events = self.events_since(mark)
        for e in events:
            self.assertEventShape(e)
            self.assertNotInEvent(e, account.password, wrong, key, account.totp_secret,
                                  KEY_RE.match(key).group(2))
        e = self.one(events, rids["user_create"], "user_create")
        self.assertAdminActor(e)
        self.assertEqual((e["entity"], e["entity_id"]), ("users", account.id))
        e = self.one(events, rids["user_update"], "user_update")
        self.assertEqual((e["entity"], e["entity_id"]), ("users", account.id))
        self.assertEqual(e["changes"].get("role"), {"before": "attorney", "after": "paralegal"})
        e = self.one(events, rids["sign_in"], "sign_in")
        self.assertEqual((e["actor"]["type"], e["actor"]["id"]), ("user", account.id))
        e = self.one(events, rids["bad_password"], "sign_in_failed")
        self.assertIn(account.id, (e["actor"]["id"], e["entity_id"]),
                      "a failed sign-in of a known user names the user")
        e = self.one(events, rids["unknown_email"], "sign_in_failed")
        self.assertIsNone(e["actor"]["id"])
        e = self.one(events, rids["key_create"], "api_key_create")
        self.assertAdminActor(e)
        self.assertEqual((e["entity"], e["entity_id"]), ("api_keys", key_id))
        e = self.one(events, rids["key_revoke"], "api_key_revoke")
        self.assertEqual((e["entity"], e["entity_id"]), ("api_keys", key_id))
        e = self.one(events, rids["password_change"], "password_change")
        self.assertEqual((e["actor"]["type"], e["actor"]["id"]), ("user", account.id))
        self.assertEqual(e["entity_id"], account.id)
        e = self.one(events, rids["totp"], "totp_enable")
        self.assertEqual((e["actor"]["type"], e["actor"]["id"]), ("user", account.id))
        e = self.one(events, rids["sign_out"], "sign_out")
        self.assertEqual((e["actor"]["type"], e["actor"]["id"]), ("user", account.id))
        e = self.one(events, rids["settings"], "settings_update")
        self.assertEqual(e["changes"].get("session_idle_minutes"), {"before": 30, "after": 45})

    def test_cli_changes_are_audited_with_actor_cli(self):
        events = self.all_events()
        admin_created = [e for e in events if e["action"] == "user_create"
                         and e["entity_id"] == self.server.admin_account.id]
        self.assertEqual(len(admin_created), 1, "the bootstrap `user add` is on the trail")
        e = admin_created[0]
        self.assertEqual(e["actor"]["type"], "cli")
        self.assertIsNone(e["actor"]["id"])
        self.assertIsNone(e["request_id"])
        mark = self.mark()
        email = unique_email("clitrail")
        code, out, err = self.server.add_user_cli(Account(email, strong_password(), "viewer"))
        self.assertEqual(code, 0, out + err)
        code, out, err = self.server.cli("user", "disable", "--email", email)
        self.assertEqual(code, 0, out + err)
        code, out, err = self.server.cli("api-key", "add", "--name", "cli key", "--scopes",
                                         "read")
        self.assertEqual(code, 0, out + err)
        m = re.search(r"pt_[^_\s]+_\S+", out)
        if m:
            self.server.note_secret("API key", m.group(0))
        events = self.events_since(mark)
        actions = [e["action"] for e in events]
        for action in ("user_create", "user_update", "api_key_create"):
            self.assertIn(action, actions)
        for e in events:
            self.assertEqual(e["actor"]["type"], "cli", e)
            self.assertIsNone(e["request_id"], e)

    def test_hashes_are_chained_values(self):
        self.make_client()
        events = self.all_events()
        self.assertGreater(len(events), 2)
        ids = [e["id"] for e in events]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len({e["hash"] for e in events}), len(events), "hashes must differ")

    def test_filters(self):
        key = self.make_key(["read", "write"])
        cl = self.create("/api/v1/clients", {"family_name": "Filter", "given_name": "Me"},
                         auth=key)
        self.assertStatus(self.patch("/api/v1/clients/%d" % cl["id"], {"given_name": "You"}),
                          200)
        other = self.make_client()
        items = self.all_events("?entity=clients&entity_id=%d" % cl["id"])
        self.assertEqual([e["action"] for e in items], ["create", "update"])
        self.assertTrue(all(e["entity_id"] == cl["id"] for e in items))
        items = self.all_events("?entity=clients")
        self.assertTrue(all(e["entity"] == "clients" for e in items))
        self.assertIn(other["id"], [e["entity_id"] for e in items])
        items = self.all_events("?actor_type=api_key&actor_id=%d" % key.id)
        self.assertEqual([(e["action"], e["entity_id"]) for e in items], [("create", cl["id"])])
        items = self.all_events("?actor_type=cli")
        self.assertTrue(items)
        self.assertTrue(all(e["actor"]["type"] == "cli" for e in items))
        items = self.all_events("?actor_type=user&actor_id=%d" % self.server.admin_account.id)
        self.assertTrue(all(e["actor"]["id"] == self.server.admin_account.id for e in items))
        self.assertEqual(self.all_events("?from=2199-01-01T00:00:00Z"), [])
        self.assertEqual(self.all_events("?to=2000-01-01T00:00:00Z"), [])
        everything = self.all_events()
        window = self.all_events("?from=%s&to=%s" % (
            urllib.parse.quote("2000-01-01T00:00:00+01:00"),
            urllib.parse.quote("2199-01-01T00:00:00Z")))
        self.assertEqual([e["id"] for e in window], [e["id"] for e in everything])
        first_at = everything[-1]["at"]
        items = self.all_events("?from=" + first_at)
        self.assertIn(everything[-1]["id"], [e["id"] for e in items])
        self.assertTrue(all(e["at"] >= first_at for e in items))
        # Paging.
        self.assertEqual(self.page_ids("limit=1", 4, per_page=1), [e["id"] for e in everything[:4]])
        # Newest first: the same events in reverse, page by page, with the filters applied.
        newest = self.all_events("?order=desc")
        self.assertEqual([e["id"] for e in newest], [e["id"] for e in reversed(everything)])
        self.assertEqual(self.page_ids("order=desc&limit=2", 3, per_page=2),
                         [e["id"] for e in newest[:6]])
        mine = self.all_events("?order=desc&entity=clients&entity_id=%d" % cl["id"])
        self.assertEqual([e["action"] for e in mine], ["update", "create"])
        self.assertEqual(self.all_events("?order=asc"), everything)
        for query, field in (("order=newest", "order"), ("actor_type=robot", "actor_type"), ("entity_id=abc", "entity_id"),
                             ("from=yesterday", "from"), ("to=2025-01-01", "to"),
                             ("actor_id=0", "actor_id"), ("limit=0", "limit"),
                             ("color=red", "color")):
            with self.subTest(query=query):
                self.assertProblem(self.get("/api/v1/audit-events?" + query), 400,
                                   "invalid-query", field=field)

    def test_history_of_a_parole_request(self):
        viewer = self.session_as("viewer")
        cl = self.make_client()
        pr = self.make_request(cl["id"], summary="History summary")
        other = self.make_request(cl["id"])
        f = self.make_child(pr["id"], "filings", notes="History filing notes")
        self.make_child(other["id"], "filings")
        self.assertStatus(self.patch("/api/v1/parole-requests/%d" % pr["id"],
                                     {"sponsor_name": "Hist Sponsor"}), 200)
        r = self.get("/api/v1/parole-requests/%d/history" % pr["id"], auth=viewer)
        self.assertStatus(r, 200)
        items = self.list_all("/api/v1/parole-requests/%d/history" % pr["id"], auth=viewer)
        self.assertTrue(all(e["parole_request_id"] == pr["id"] for e in items), items)
        seen = [(e["action"], e["entity"], e["entity_id"]) for e in items]
        self.assertEqual(seen, [("create", "parole_requests", pr["id"]),
                                ("create", "filings", f["id"]),
                                ("update", "parole_requests", pr["id"])])
        ids = [e["id"] for e in items]
        self.assertEqual(ids, sorted(ids))
        for e in items:
            self.assertNotInEvent(e, "History summary", "History filing notes")
        # The viewer reads a request's history, not the whole trail.
        self.assertProblem(self.get("/api/v1/audit-events", auth=viewer), 403, "forbidden")
        self.assertProblem(self.get("/api/v1/parole-requests/987654/history", auth=viewer), 404,
                           "not-found")
        key = self.make_key(["read"])
        self.assertStatus(self.get("/api/v1/parole-requests/%d/history" % pr["id"], auth=key),
                          200)


class Tamper(AuditCase):
    """`paroletrack audit verify`, triggers, and a row changed directly in SQLite."""

    @contextlib.contextmanager
    def sqlite(self, path=None):
        c = sqlite3.connect(path or self.server.db, timeout=10, isolation_level=None)
        try:
            yield c
        finally:
            c.close()

    def test_verify_triggers_and_tampering(self):
        cl = self.make_client(notes="tamper notes")
        pr = self.make_request(cl["id"])
        for i in range(3):
            self.assertStatus(self.patch("/api/v1/clients/%d" % cl["id"],
                                         {"given_name": "Tamper %d" % i}), 200)
        self.make_child(pr["id"], "rfes")
        n_api = len(self.all_events())
        # While the server runs.
        code, out, err = self.server.cli("audit", "verify")
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out + err, r"audit trail intact: %d events" % n_api)
        self.assertEqual(self.server.stop(), 0)
        db = self.server.db
        with self.sqlite() as c:
            n = c.execute("SELECT count(*) FROM audit_events").fetchone()[0]
            ids = [row[0] for row in c.execute("SELECT id FROM audit_events ORDER BY id")]
            cols = [row[1] for row in c.execute("PRAGMA table_info(audit_events)")]
            triggers = [row[0] for row in c.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
                "'audit_events'")]
        self.assertEqual(n, n_api)
        self.assertIn("changes", cols)
        self.assertTrue(triggers, "no triggers protect audit_events")
        target = ids[len(ids) // 2]
        # The triggers refuse UPDATE and DELETE.
        with self.sqlite() as c:
            for sql in ("UPDATE audit_events SET changes = '{}' WHERE id = %d" % target,
                        "UPDATE audit_events SET action = 'delete'",
                        "DELETE FROM audit_events WHERE id = %d" % target,
                        "DELETE FROM audit_events"):
                with self.subTest(sql=sql):
                    with self.assertRaises(sqlite3.DatabaseError):
                        c.execute(sql)
            self.assertEqual(c.execute("SELECT count(*) FROM audit_events").fetchone()[0], n)
        code, out, err = self.server.cli("audit", "verify")
        self.assertEqual(code, 0, out + err)
        # Copies for the other kinds of tampering (deleting a row, cutting off the newest).
        copy_dir = os.path.join(self.server.dir, "copy")
        os.mkdir(copy_dir)
        copy = os.path.join(copy_dir, "test.db")
        copy2 = os.path.join(copy_dir, "tail.db")
        for path in (copy, copy2):
            with self.sqlite() as src, self.sqlite(path) as dst:
                src.backup(dst)
            if os.path.exists(db + ".key"):
                shutil.copy(db + ".key", path + ".key")
        # Drop the triggers and change one event's recorded changes.
        with self.sqlite() as c:
            for t in triggers:
                c.execute('DROP TRIGGER "%s"' % t)
            old = c.execute("SELECT changes FROM audit_events WHERE id = ?",
                            (target,)).fetchone()[0]
            forged = json.dumps({"given_name": {"before": "Someone", "after": "Else"}})
            self.assertNotEqual(old, forged)
            c.execute("UPDATE audit_events SET changes = ? WHERE id = ?", (forged, target))
        code, out, err = self.server.cli("audit", "verify")
        self.assertEqual(code, 1, out + err)
        self.assertIn("audit trail broken at event %d" % target, out + err)
        # Deleting a row from the middle breaks the chain too.
        with self.sqlite(copy) as c:
            for t in triggers:
                c.execute('DROP TRIGGER "%s"' % t)
            c.execute("DELETE FROM audit_events WHERE id = ?", (target,))
        code, out, err = run_cli("audit", "verify", "--db", copy)
        self.assertEqual(code, 1, out + err)
        m = re.search(r"audit trail broken at event (\d+)", out + err)
        self.assertIsNotNone(m, out + err)
        self.assertGreaterEqual(int(m.group(1)), target)
        # Cutting off the newest event is noticed too (the server records the chain's head).
        with self.sqlite(copy2) as c:
            for t in triggers:
                c.execute('DROP TRIGGER "%s"' % t)
            last = c.execute("SELECT max(id) FROM audit_events").fetchone()[0]
            c.execute("DELETE FROM audit_events WHERE id = ?", (last,))
        code, out, err = run_cli("audit", "verify", "--db", copy2)
        self.assertEqual(code, 1, "deleting the newest event went unnoticed: " + out + err)


if __name__ == "__main__":
    unittest.main()
