"""Idempotent writes (issue 13): a POST or PATCH sent with an Idempotency-Key gives a retry of
the same request by the same caller its first answer again (status, Location, ETag, body, and
`Idempotent-Replayed: true`) and changes nothing; the same key with another request is a 422
naming Idempotency-Key; keys are per caller and kept a day; the kept answer is sealed at rest;
routes whose request or answer carries a secret refuse the header."""

import concurrent.futures
import hashlib
import sqlite3
import unittest
import uuid

from harness import ApiTestCase, day, dumps, token


class Idempotency(ApiTestCase):

    def keyed(self, method, path, body, key, auth=None):
        kw = {"headers": {"Idempotency-Key": key}}
        if auth is not None:
            kw["auth"] = auth
        return self.request(method, path, body, **kw)

    def clients_named(self, family):
        return [c for c in self.list_all("/api/v1/clients?q=" + family)
                if c["family_name"] == family]

    def audit_count(self, entity):
        return len(self.list_all("/api/v1/audit-events?entity=" + entity))

    def test_a_retried_create_is_answered_once(self):
        key, family = str(uuid.uuid4()), "Idem" + token(8)
        body = {"family_name": family, "given_name": "Olena", "a_number": "A%09d" % (
            uuid.uuid4().int % 10**9)}
        first = self.keyed("POST", "/api/v1/clients", body, key)
        self.assertStatus(first, 201)
        self.assertIsNone(first.header("Idempotent-Replayed"))
        events = self.audit_count("clients")
        again = self.keyed("POST", "/api/v1/clients", body, key)
        self.assertStatus(again, 201)
        self.assertEqual(again.header("Idempotent-Replayed"), "true")
        self.assertEqual((again.header("Location"), again.header("ETag"), again.json),
                         (first.header("Location"), first.header("ETag"), first.json))
        self.assertEqual(len(self.clients_named(family)), 1, "one client, not two")
        self.assertEqual(self.audit_count("clients"), events, "a replay writes no audit event")
        # Another request under the same key: 422 naming it, nothing created.
        other = self.keyed("POST", "/api/v1/clients", dict(body, given_name="Iryna"), key)
        self.assertProblem(other, 422, field="Idempotency-Key")
        self.assertEqual(len(self.clients_named(family)), 1)
        # The same key on another path is another request too.
        self.assertProblem(self.keyed("POST", "/api/v1/parole-requests",
                                      {"client_id": first.json["id"], "parole_type": "medical"},
                                      key), 422, field="Idempotency-Key")
        # Without the key, the same body is a new request: its A-number is already the first
        # client's (409); without the A-number it makes a second client.
        self.assertProblem(self.post("/api/v1/clients", body), 409, "conflict")
        self.assertStatus(self.post("/api/v1/clients", dict(body, a_number=None)), 201)
        self.assertEqual(len(self.clients_named(family)), 2)

    def test_keys_belong_to_their_caller(self):
        one, two = self.make_key(("read", "write")), self.make_key(("read", "write"))
        key, family = "order-" + token(10), "Idem" + token(8)
        body = {"family_name": family, "given_name": "Andrii"}
        a = self.keyed("POST", "/api/v1/clients", body, key, auth=one)
        b = self.keyed("POST", "/api/v1/clients", body, key, auth=two)
        self.assertStatus(a, 201)
        self.assertStatus(b, 201)
        self.assertIsNone(b.header("Idempotent-Replayed"), "another caller's key is its own")
        self.assertNotEqual(a.json["id"], b.json["id"])
        c = self.keyed("POST", "/api/v1/clients", body, key, auth=one)
        self.assertEqual((c.header("Idempotent-Replayed"), c.json["id"]), ("true", a.json["id"]))

    def test_a_retried_patch_gives_its_first_answer(self):
        client = self.make_client()
        path = "/api/v1/clients/%d" % client["id"]
        key = str(uuid.uuid4())
        first = self.keyed("PATCH", path, {"phone": "+1 973 555 0101"}, key)
        self.assertStatus(first, 200)
        self.assertStatus(self.patch(path, {"phone": "+1 973 555 0199"}), 200)
        again = self.keyed("PATCH", path, {"phone": "+1 973 555 0101"}, key)
        self.assertEqual((again.status, again.header("Idempotent-Replayed"), again.json["version"],
                          again.header("ETag")),
                         (200, "true", first.json["version"], first.header("ETag")))
        self.assertEqual(self.get(path).json["phone"], "+1 973 555 0199",
                         "the replay changed nothing")

    def test_a_refused_write_is_refused_again_and_a_server_error_is_not_kept(self):
        key = str(uuid.uuid4())
        bad = {"family_name": "Idem" + token(6), "given_name": "X", "email": "not-an-email"}
        first = self.keyed("POST", "/api/v1/clients", bad, key)
        self.assertProblem(first, 422, field="email")
        again = self.keyed("POST", "/api/v1/clients", bad, key)
        self.assertProblem(again, 422, field="email")
        self.assertEqual(again.header("Idempotent-Replayed"), "true")
        self.assertEqual(again.json, first.json)

    def test_bad_keys_and_secret_routes_are_refused(self):
        body = {"family_name": "Idem" + token(6), "given_name": "Bad"}
        for key in ("", " ", "x" * 256, "tab\there", "caf\u00e9"):
            with self.subTest(key=key):
                r = self.request("POST", "/api/v1/clients", body,
                                 headers={"Idempotency-Key": key.encode("utf-8").decode("latin-1")})
                self.assertProblem(r, 400, field="Idempotency-Key")
        self.assertEqual(self.clients_named(body["family_name"]), [])
        r = self.keyed("POST", "/api/v1/api-keys", {"name": "Sync", "scopes": ["read"]},
                       str(uuid.uuid4()))
        self.assertProblem(r, 400, field="Idempotency-Key")
        self.assertNotIn("key", r.json)
        r = self.keyed("POST", "/api/v1/users", {"email": "idem%s@firm.test" % token(6).lower(),
                                                 "name": "Idem", "role": "viewer",
                                                 "password": "vT9#qLx2!mWz8Rk-idem"},
                       str(uuid.uuid4()))
        self.assertProblem(r, 400, field="Idempotency-Key")
        # A GET or DELETE ignores the header (they are idempotent already).
        self.assertStatus(self.request("GET", "/api/v1/clients?limit=1",
                                       headers={"Idempotency-Key": "x"}), 200)

    def test_a_day_old_key_is_forgotten(self):
        key, family = str(uuid.uuid4()), "Idem" + token(8)
        body = {"family_name": family, "given_name": "Day"}
        self.assertStatus(self.keyed("POST", "/api/v1/clients", body, key), 201)
        with sqlite3.connect(self.server.db) as db:
            db.execute("UPDATE idempotency_keys SET created_at = strftime("
                       "'%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day', '-1 minute')")
        again = self.keyed("POST", "/api/v1/clients", body, key)
        self.assertStatus(again, 201)
        self.assertIsNone(again.header("Idempotent-Replayed"))
        self.assertEqual(len(self.clients_named(family)), 2)

    def test_the_kept_answer_is_sealed(self):
        a_number, key = "A%09d" % (uuid.uuid4().int % 10**9), str(uuid.uuid4())
        body = {"family_name": "Idem" + token(6), "given_name": "Sealed", "a_number": a_number}
        r = self.keyed("POST", "/api/v1/clients", body, key)
        self.assertStatus(r, 201)
        with sqlite3.connect(self.server.db) as db:
            rows = db.execute("SELECT key_hash, fingerprint, body FROM idempotency_keys").fetchall()
        self.assertTrue(rows)
        # The fingerprint is keyed: the plain hash of a guessed body never matches it.
        plain = hashlib.sha256(b"POST\0/api/v1/clients\0" + dumps(body)).hexdigest()
        for key_hash, fingerprint, body in rows:
            self.assertNotIn(a_number[1:], body or "")
            self.assertTrue((body or "enc2:").startswith("enc2:"), body[:20])
            self.assertNotEqual(fingerprint, plain)
            self.assertNotEqual(key_hash, hashlib.sha256(key.encode()).hexdigest())

    def test_concurrent_retries_make_one_record(self):
        key, family = str(uuid.uuid4()), "Idem" + token(8)
        body = {"family_name": family, "given_name": "Race"}
        keyring = self.make_key(("read", "write"))
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(lambda _: self.keyed("POST", "/api/v1/clients", body, key,
                                                         auth=keyring), range(6)))
        statuses = sorted(a.status for a in answers)
        self.assertTrue(set(statuses) <= {201, 409}, statuses)
        created = {a.json["id"] for a in answers if a.status == 201}
        self.assertEqual(len(created), 1, statuses)
        self.assertEqual(len(self.clients_named(family)), 1)


if __name__ == "__main__":
    unittest.main()
