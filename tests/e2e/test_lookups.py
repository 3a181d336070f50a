"""Identifier look-ups are no side channel: a client list filtered by `a_number` or
`passport_number` is a read of identifiers, limited per principal (30 in 15 minutes, then 429
`too-many-lookups` with Retry-After) and audited as `lookup_identifiers` (the filters used and the
ids matched, never the value). Narratives (notes, summaries) are left out of list items unless the
list asks `include=notes`, which is audited as `read_notes`; a bad `include` is a 400 naming it.

The attack reproduced: lists show the last four digits of an A-number, so with a read key one
iterates the 10^5 candidates for the hidden digits through `?a_number=` until one matches."""

import contextlib
import json
import sqlite3
import random
import unittest

from harness import CHILDREN, ApiTestCase, NARRATIVES

LIMIT = 30  # look-ups per principal in 15 minutes (lookups.h)
WINDOW = 15 * 60


def random_a_number():
    return "A0%08d" % random.randrange(10**8)


def candidates(a_number, count):
    """A-numbers ending like `a_number` (what a list shows: "*****5678"), other than it."""
    tail = a_number[-4:]
    out = []
    for hidden in random.sample(range(10**5), count + 1):
        guess = "A%05d%s" % (hidden, tail)
        if guess != a_number and len(out) < count:
            out.append(guess)
    return out


class IdentifierLookups(ApiTestCase):
    """The enumeration attack and the audit of every look-up (each test uses fresh keys)."""

    def events(self, key, action):
        """The audit events of an API key with the action, oldest first (read as the admin)."""
        items = self.list_all("/api/v1/audit-events?actor_type=api_key&actor_id=%d" % key.id)
        return [e for e in items if e["action"] == action]

    def test_enumerating_an_a_number_is_refused_after_the_limit(self):
        target = self.make_client(a_number=random_a_number())
        key = self.make_key(("read",))
        listed = self.get("/api/v1/clients?id=%d" % target["id"], auth=key).json["items"][0]
        self.assertEqual(listed["a_number"], "*" * 6 + target["a_number"][-4:])
        guesses = candidates(target["a_number"], LIMIT)
        for guess in guesses:
            r = self.get("/api/v1/clients?a_number=" + guess, auth=key)
            self.assertStatus(r, 200, "look-up within the limit")
            self.assertEqual(r.json["items"], [])
        # Beyond the limit every look-up is refused, the right guess too: nothing is learnt.
        for guess in (candidates(target["a_number"], 1)[0], target["a_number"]):
            r = self.get("/api/v1/clients?a_number=" + guess, auth=key)
            self.assertProblem(r, 429, "too-many-lookups")
            self.assertNotIn("items", r.json)
            wait = int(r.header("Retry-After"))
            self.assertGreaterEqual(wait, 1)
            self.assertLessEqual(wait, WINDOW + 1)
        r = self.get("/api/v1/clients?passport_number=K1234567", auth=key)
        self.assertProblem(r, 429, "too-many-lookups")
        # Refused look-ups are not reads: exactly the allowed ones are in the trail.
        self.assertEqual(len(self.events(key, "lookup_identifiers")), LIMIT)
        # The limit is the principal's: a name search still works for this key, and another key
        # (or a user) has its own budget.
        r = self.get("/api/v1/clients?q=" + target["given_name"].split()[-1], auth=key)
        self.assertStatus(r, 200)
        self.assertEqual([c["id"] for c in r.json["items"]], [target["id"]])
        other = self.make_key(("read",))
        r = self.get("/api/v1/clients?a_number=" + target["a_number"], auth=other)
        self.assertStatus(r, 200)
        self.assertEqual([c["id"] for c in r.json["items"]], [target["id"]])

    def test_parallel_look_ups_cannot_overshoot_the_limit(self):
        import concurrent.futures

        key = self.make_key(("read",))
        guesses = candidates(random_a_number(), LIMIT + 20)
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(
                lambda g: self.get("/api/v1/clients?a_number=" + g, auth=key).status, guesses))
        self.assertEqual(statuses.count(200), LIMIT, statuses)
        self.assertEqual(statuses.count(429), 20, statuses)
        self.assertEqual(len(self.events(key, "lookup_identifiers")), LIMIT)

    def test_each_look_up_is_audited_without_the_value(self):
        a_number, passport = random_a_number(), "K%07d" % random.randrange(10**7)
        target = self.make_client(a_number=a_number, passport_number=passport)
        key = self.make_key(("read",))
        typed = "a-%s %s" % (a_number[1:5], a_number[5:])  # how staff might type it
        hit = self.get("/api/v1/clients?a_number=" + typed.replace(" ", "%20"), auth=key)
        self.assertStatus(hit, 200)
        self.assertEqual([c["id"] for c in hit.json["items"]], [target["id"]])
        miss = self.get("/api/v1/clients?passport_number=Z9999999", auth=key)
        self.assertStatus(miss, 200)
        self.assertEqual(miss.json["items"], [])
        both = self.get("/api/v1/clients?a_number=%s&passport_number=%s" % (a_number, passport),
                        auth=key)
        self.assertEqual([c["id"] for c in both.json["items"]], [target["id"]])
        events = self.events(key, "lookup_identifiers")
        self.assertEqual(len(events), 3, events)
        for e, filters, ids in zip(events, (["a_number"], ["passport_number"],
                                            ["a_number", "passport_number"]),
                                   ([target["id"]], [], [target["id"]])):
            self.assertEqual(e["entity"], "clients")
            self.assertEqual(e["actor"]["type"], "api_key")
            self.assertEqual(e["actor"]["id"], key.id)
            self.assertEqual(e["changes"]["filters"]["after"], filters)
            self.assertEqual(e["changes"]["ids"]["after"], ids)
            self.assertEqual(e["entity_id"], ids[0] if len(ids) == 1 else None)
            # The hash, request id, time and record ids (asserted exactly above)
            # are digits of their own: a 4-digit fragment could match by chance.
            rest = {k: v for k, v in e.items()
                    if k not in ("hash", "request_id", "at", "id", "entity_id", "actor")}
            rest["changes"] = {k: v for k, v in e["changes"].items() if k != "ids"}
            text = json.dumps(rest) + e["actor"]["label"]
            for secret in (a_number, a_number[1:], a_number[-4:], passport, "Z9999999",
                           typed[2:6]):
                self.assertNotIn(secret, text, "the audit event holds a looked-up value")
        # A list without an identifier filter is no look-up.
        self.get("/api/v1/clients?q=nobody", auth=key)
        self.assertEqual(len(self.events(key, "lookup_identifiers")), 3)

    def test_a_bad_identifier_is_refused_before_it_counts(self):
        key = self.make_key(("read",))
        r = self.get("/api/v1/clients?a_number=12", auth=key)
        self.assertProblem(r, 400, "invalid-query", field="a_number")
        self.assertEqual(self.events(key, "lookup_identifiers"), [])


class DocumentNumbers(ApiTestCase):
    """Found in review: an expiration's document number (a passport's number, above all) was
    stored in the clear and listed in full to any reader, around the masking and the audited
    reads that protect the client's own passport number."""

    def test_a_passport_number_on_an_expiration_is_sealed_masked_and_audited(self):
        pr = self.make_request()
        rec = self.make_child(pr["id"], "expirations", kind="passport", expires_on="2031-03-01",
                              document_number="FP7654321")
        self.assertEqual(rec["document_number"], "FP7654321")  # the writer sees what it wrote
        with contextlib.closing(sqlite3.connect(self.server.db)) as c:
            stored = c.execute("SELECT document_number FROM expirations WHERE id = ?",
                               (rec["id"],)).fetchone()[0]
        self.assertTrue(stored.startswith("enc2:"), "sealed at rest, not %r" % stored[:12])
        self.assertNotIn("7654321", stored)
        key = self.make_key(("read",))
        path = "/api/v1/parole-requests/%d/expirations" % pr["id"]
        listed = self.get(path, auth=key)
        self.assertStatus(listed, 200)
        self.assertEqual([e["document_number"] for e in listed.json["items"]], ["*****4321"])
        self.assertNotIn(b"7654321", listed.raw)
        one = self.get("%s/%d" % (path, rec["id"]), auth=key)
        self.assertStatus(one, 200)
        self.assertEqual(one.json["document_number"], "FP7654321")
        events = [e for e in self.list_all("/api/v1/audit-events?actor_type=api_key&actor_id=%d"
                                           % key.id) if e["action"] == "read_identifiers"]
        self.assertEqual([(e["entity"], e["entity_id"], e["changes"]) for e in events],
                         [("expirations", rec["id"],
                           {"document_number": {"before": None, "after": "[redacted]"}})])


class Narratives(ApiTestCase):
    """Notes and summaries stay out of lists unless asked for, and asking is audited."""

    BODIES = {"filings": {"form": "I-131", "filed_on": "2024-03-01", "notes": "Fee paid by card."},
              "rfes": {"kind": "rfe", "issued_on": "2024-04-01", "summary": "Proof of income."},
              "interviews": {"kind": "biometrics", "scheduled_at": "2024-05-01T09:00:00-04:00",
                             "notes": "Bring passport."},
              "decisions": {"outcome": "approved", "decided_on": "2024-06-01",
                            "notes": "Two-year parole."},
              "expirations": {"kind": "parole", "expires_on": "2026-06-01",
                              "notes": "From the I-94."}}

    def setUp(self):
        self.client = self.make_client(notes="Client fears return; see intake memo.")
        self.pr = self.make_request(self.client["id"], summary="Sponsor is the client's sister.")
        self.children = {}
        for child in CHILDREN:
            self.children[child] = self.create(
                "/api/v1/parole-requests/%d/%s" % (self.pr["id"], child), self.BODIES[child])
        self.key = self.make_key(("read",))

    def lists(self):
        """(resource, list path, the record created) for every resource with a narrative."""
        yield "clients", "/api/v1/clients?id=%d" % self.client["id"], self.client
        yield "parole-requests", "/api/v1/parole-requests?client_id=%d" % self.client["id"], self.pr
        for child in CHILDREN:
            yield child, "/api/v1/parole-requests/%d/%s" % (self.pr["id"], child), \
                self.children[child]

    def read_notes_events(self):
        items = self.list_all("/api/v1/audit-events?actor_type=api_key&actor_id=%d" % self.key.id)
        return [e for e in items if e["action"] == "read_notes"]

    def test_lists_leave_narratives_out(self):
        for resource, path, record in self.lists():
            field = NARRATIVES[resource]
            self.assertTrue(record[field])
            r = self.get(path, auth=self.key)
            self.assertStatus(r, 200, path)
            self.assertEqual([i["id"] for i in r.json["items"]], [record["id"]], path)
            self.assertNotIn(field, r.json["items"][0], "%s lists its %s" % (resource, field))
            self.assertNotIn(record[field], r.raw.decode("utf-8"), path)
            # A single GET still returns it.
            one = self.get("%s/%d" % (path.split("?")[0], record["id"]), auth=self.key)
            self.assertEqual(one.json[field], record[field])
        self.assertEqual(self.read_notes_events(), [], "plain lists are no read of notes")

    def test_include_notes_returns_them_and_is_audited(self):
        for resource, path, record in self.lists():
            field = NARRATIVES[resource]
            sep = "&" if "?" in path else "?"
            r = self.get(path + sep + "include=notes", auth=self.key)
            self.assertStatus(r, 200, path)
            self.assertEqual(r.json["items"][0][field], record[field], path)
        events = self.read_notes_events()
        self.assertEqual(len(events), 2 + len(CHILDREN), events)
        entities = [e["entity"] for e in events]
        self.assertEqual(entities, ["clients", "parole_requests"] + list(CHILDREN))
        for e, (resource, _, record) in zip(events, self.lists()):
            self.assertEqual(e["changes"]["fields"]["after"], [NARRATIVES[resource]])
            self.assertEqual(e["changes"]["ids"]["after"], [record["id"]])
            self.assertEqual(e["entity_id"], record["id"])
            self.assertNotIn(record[NARRATIVES[resource]], json.dumps(e))
        # The reads of a request's events show in its history.
        history = self.list_all("/api/v1/parole-requests/%d/history" % self.pr["id"])
        self.assertEqual(sum(1 for e in history if e["action"] == "read_notes"),
                         1 + len(CHILDREN))

    def test_bad_include_is_refused_naming_it(self):
        paths = ["/api/v1/clients", "/api/v1/parole-requests",
                 "/api/v1/parole-requests/%d/rfes" % self.pr["id"]]
        for path in paths:
            for query in ("include=summary", "include=NOTES", "include=", "include=notes,x",
                          "include=notes&include=notes"):
                r = self.get(path + "?" + query, auth=self.key)
                self.assertProblem(r, 400, "invalid-query", field="include")
        self.assertEqual(self.read_notes_events(), [])


if __name__ == "__main__":
    unittest.main()
