"""Deadline triage (issue 15, Today as a work queue): GET and PATCH
/api/v1/deadlines/{resource}/{id}/{kind}. A person marks a deadline handled with a reason (sealed
at rest, audited without it, reopened only by an admin), snoozes it to a later day or assigns
it; If-Match guards every change; every bad value is a 422 naming the field and changes
nothing; the list filters (`triage`, `assignee_id`) and the CSV export carry it; and the
decision survives every recomputation of the deadline's dates.

Every test makes its own request with an RFE (the deadline under test) and reads its deadline
by id, so the tests of the class share a server without seeing each other's decisions.
"""

import csv
import datetime
import io
import os

from harness import ApiTestCase, Raw, day, token

TRIAGE_FIELDS = {"triage", "handled_reason", "handled_by", "handled_at", "snoozed_until",
                 "assignee_id", "version"}


class TriageCase(ApiTestCase):

    def rfe_deadline(self, **request_fields):
        """A fresh request with an RFE due in 20 days; returns (request, its deadline's id)."""
        pr = self.make_request(**request_fields)
        rfe = self.make_child(pr["id"], "rfes", issued_on=day(-10), response_due_on=day(20))
        return pr, "rfes/%d/rfe_response" % rfe["id"]

    def deadline(self, deadline_id, **kw):
        r = self.get("/api/v1/deadlines/" + deadline_id, **kw)
        self.assertStatus(r, 200)
        self.assertEqual(r.header("ETag"), '"%d"' % r.json["version"])
        return r.json

    def triage(self, deadline_id, body, version=None, **kw):
        headers = {"If-Match": '"%d"' % version} if version is not None else None
        return self.patch("/api/v1/deadlines/" + deadline_id, body, headers=headers, **kw)

    def assertUnchanged(self, deadline_id, before):
        self.assertEqual(self.deadline(deadline_id), before, "a refused change changed nothing")

    def listed_ids(self, query):
        return [d["id"] for d in self.list_all("/api/v1/deadlines" + query)]


class ReadOne(TriageCase):

    def test_one_deadline_by_its_id_untouched(self):
        pr, did = self.rfe_deadline()
        d = self.deadline(did)
        self.assertEqual(d["id"], did)
        self.assertEqual(d["parole_request_id"], pr["id"])
        self.assertEqual(d["due_on"], day(20))
        self.assertEqual({k: d[k] for k in TRIAGE_FIELDS},
                         {"triage": "open", "handled_reason": None, "handled_by": None,
                          "handled_at": None, "snoozed_until": None, "assignee_id": None,
                          "version": 1})
        listed = [x for x in self.list_all("/api/v1/parole-requests/%d/deadlines" % pr["id"])
                  if x["id"] == did]
        self.assertEqual(listed, [d], "the list and the one read agree")

    def test_unknown_deadline_is_404(self):
        for path in ("rfes/999999999/rfe_response", "rfes/1/no_such_kind",
                     "clients/999999999/passport_expiry"):
            r = self.get("/api/v1/deadlines/" + path)
            self.assertProblem(r, 404)
            r = self.triage(path, {"handled_reason": "x"})
            self.assertProblem(r, 404)
        # not the shape of a deadline id: no such route
        for path in ("RFES/1/rfe_response", "rfes/0/rfe_response", "rfes/1", "rfes/x/y"):
            r = self.get("/api/v1/deadlines/" + path)
            self.assertEqual(r.status, 404, repr(r))


class Handled(TriageCase):

    def test_marking_handled_records_who_when_and_leaves_the_queue(self):
        pr, did = self.rfe_deadline()
        paralegal = self.session_as("paralegal")
        reason = "Response mailed by courier " + token(8)
        r = self.triage(did, {"handled_reason": reason}, version=1, auth=paralegal)
        self.assertStatus(r, 200)
        self.assertEqual(r.header("ETag"), '"2"')
        d = r.json
        self.assertEqual((d["triage"], d["handled_reason"], d["handled_by"], d["version"]),
                         ("handled", reason, paralegal.account.id, 2))
        at = datetime.datetime.fromisoformat(d["handled_at"].replace("Z", "+00:00"))
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - at).total_seconds()), 120, d["handled_at"])
        # the dates and status the rules computed stay as they were
        self.assertEqual((d["due_on"], d["status"]), (day(20), "upcoming"))
        self.assertEqual(self.deadline(did), d)
        window = "?from=%s&to=%s" % (day(20), day(20))
        self.assertNotIn(did, self.listed_ids(window + "&triage=open"))
        self.assertIn(did, self.listed_ids(window + "&triage=handled"))
        self.assertIn(did, self.listed_ids(window))

    def test_the_reason_is_sealed_and_the_audit_trail_redacts_it(self):
        pr, did = self.rfe_deadline()
        canary = "CanaryReason" + token(12)
        r = self.triage(did, {"handled_reason": "Filed by hand: " + canary})
        self.assertStatus(r, 200)
        # the database file and its WAL never hold the reason in plain text
        for suffix in ("", "-wal"):
            path = self.server.db + suffix
            if os.path.exists(path):
                with open(path, "rb") as f:
                    self.assertNotIn(canary.encode(), f.read(), path)
        events = self.list_all("/api/v1/audit-events?entity=deadlines&order=desc")
        mine = [e for e in events if e["parole_request_id"] == pr["id"]]
        self.assertEqual(len(mine), 1, mine)
        self.assertEqual(mine[0]["action"], "update")
        changes = mine[0]["changes"]
        self.assertEqual(changes["triage"], {"before": "open", "after": "handled"})
        self.assertEqual(changes["deadline"]["after"], did, "the event names the deadline")
        self.assertNotIn(canary, str(changes))

    def test_changing_the_reason_keeps_it_handled_by_whoever_changed_it(self):
        pr, did = self.rfe_deadline()
        first = self.session_as("paralegal")
        second = self.session_as("attorney")
        self.assertStatus(self.triage(did, {"handled_reason": "Mailed"}, auth=first), 200)
        r = self.triage(did, {"handled_reason": "Mailed, tracking 9405 5036"}, auth=second)
        self.assertStatus(r, 200)
        self.assertEqual((r.json["triage"], r.json["handled_by"], r.json["version"]),
                         ("handled", second.account.id, 3))
        # the same reason again changes neither who nor when
        r2 = self.triage(did, {"handled_reason": "Mailed, tracking 9405 5036"}, auth=first)
        self.assertStatus(r2, 200)
        self.assertEqual((r2.json["handled_by"], r2.json["handled_at"]),
                         (second.account.id, r.json["handled_at"]))

    def test_an_api_key_may_mark_it_handled_and_leaves_no_user(self):
        pr, did = self.rfe_deadline()
        key = self.make_key(["read", "write"])
        r = self.triage(did, {"handled_reason": "Closed by the firm's case system"}, auth=key)
        self.assertStatus(r, 200)
        self.assertEqual((r.json["triage"], r.json["handled_by"]), ("handled", None))
        r = self.triage(did, {"snoozed_until": day(3)}, auth=self.make_key(["read"]))
        self.assertProblem(r, 403)

    def test_only_an_admin_reopens_it(self):
        pr, did = self.rfe_deadline()
        self.assertStatus(self.triage(did, {"handled_reason": "Done"}), 200)
        before = self.deadline(did)
        for who in (self.session_as("paralegal"), self.session_as("attorney"),
                    self.make_key(["read", "write"])):
            r = self.triage(did, {"handled_reason": None}, auth=who)
            self.assertProblem(r, 403)
            self.assertUnchanged(did, before)
        r = self.triage(did, {"handled_reason": None}, version=before["version"])
        self.assertStatus(r, 200)
        self.assertEqual({k: r.json[k] for k in ("triage", "handled_reason", "handled_by",
                                                 "handled_at")},
                         {"triage": "open", "handled_reason": None, "handled_by": None,
                          "handled_at": None})
        self.assertIn(did, self.listed_ids("?from=%s&to=%s&triage=open" % (day(20), day(20))))

    def test_the_decision_survives_a_recomputation_of_the_dates(self):
        pr, did = self.rfe_deadline()
        self.assertStatus(self.triage(did, {"handled_reason": "Answered early"}), 200)
        rfe_id = int(did.split("/")[1])
        # an edit of the RFE recomputes its deadlines; the date stays, and so does the mark
        r = self.patch("/api/v1/parole-requests/%d/rfes/%d" % (pr["id"], rfe_id),
                       {"mailed": True, "summary": "Evidence of the sponsor's income"})
        self.assertStatus(r, 200)
        d = self.deadline(did)
        self.assertEqual((d["due_on"], d["triage"], d["handled_reason"]),
                         (day(20), "handled", "Answered early"))

    def test_a_mark_holds_for_its_due_date_only(self):
        # A deadline id can stand for a series (the next change of address) and a due date can
        # move: the mark made for one date does not silence another.
        pr, did = self.rfe_deadline()
        self.assertStatus(self.triage(did, {"handled_reason": "Answered"}), 200)
        rfe = "/api/v1/parole-requests/%d/rfes/%s" % (pr["id"], did.split("/")[1])
        self.assertStatus(self.patch(rfe, {"response_due_on": day(30)}), 200)
        d = self.deadline(did)
        self.assertEqual((d["due_on"], d["triage"], d["handled_reason"]), (day(30), "open", None))
        self.assertIn(did, self.listed_ids("?from=%s&to=%s&triage=open" % (day(30), day(30))))
        # marked again for the new date, a snooze leaves the mark as it is
        self.assertStatus(self.triage(did, {"handled_reason": "Answered again"}), 200)
        r = self.triage(did, {"snoozed_until": day(2)}, auth=self.session_as("paralegal"))
        self.assertStatus(r, 200)
        self.assertEqual((r.json["triage"], r.json["handled_reason"]), ("handled", "Answered again"))

    def test_the_csv_export_carries_the_triage(self):
        pr, did = self.rfe_deadline()
        assignee = self.make_user("paralegal")
        r = self.triage(did, {"handled_reason": "=cmd|' /C calc'!A0", "assignee_id": assignee.id})
        self.assertStatus(r, 200)
        handled_at = r.json["handled_at"]
        r = self.get("/api/v1/parole-requests/%d/deadlines?format=csv" % pr["id"])
        self.assertStatus(r, 200)
        rows = list(csv.DictReader(io.StringIO(r.raw.decode("utf-8-sig"))))
        mine = [row for row in rows if row["id"] == did]
        self.assertEqual(len(mine), 1, rows)
        self.assertEqual(mine[0]["triage"], "handled")
        self.assertEqual(mine[0]["assignee_id"], str(assignee.id))
        self.assertEqual(mine[0]["handled_at"], handled_at)
        # a formula a spreadsheet would run is neutralised
        self.assertFalse(mine[0]["handled_reason"].startswith("="), mine[0])
        # the firm-wide export streams with the triage filter (a copy kept past the handler)
        r = self.get("/api/v1/deadlines?triage=handled&from=%s&to=%s&format=csv"
                     % (day(20), day(20)))
        self.assertStatus(r, 200)
        ids = [row["id"] for row in csv.DictReader(io.StringIO(r.raw.decode("utf-8-sig")))]
        self.assertIn(did, ids)
        self.assertTrue(all(row["triage"] == "handled" for row in csv.DictReader(
            io.StringIO(r.raw.decode("utf-8-sig")))))


class SnoozeAndAssign(TriageCase):

    def test_a_snooze_hides_it_from_the_queue_until_that_day(self):
        pr, did = self.rfe_deadline()
        r = self.triage(did, {"snoozed_until": day(3)}, version=1)
        self.assertStatus(r, 200)
        self.assertEqual((r.json["triage"], r.json["snoozed_until"], r.json["version"]),
                         ("snoozed", day(3), 2))
        window = "?from=%s&to=%s" % (day(20), day(20))
        self.assertNotIn(did, self.listed_ids(window + "&triage=open"))
        self.assertIn(did, self.listed_ids(window + "&triage=snoozed"))
        client_list = [d["id"] for d in self.list_all(
            "/api/v1/clients/%d/deadlines?triage=snoozed" % pr["client_id"])]
        self.assertEqual(client_list, [did])
        r = self.triage(did, {"snoozed_until": None})
        self.assertStatus(r, 200)
        self.assertEqual((r.json["triage"], r.json["snoozed_until"]), ("open", None))

    def test_assigning_it_shows_in_the_assignees_queue(self):
        pr, did = self.rfe_deadline()
        paralegal = self.session_as("paralegal")
        r = self.triage(did, {"assignee_id": paralegal.account.id})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["assignee_id"], paralegal.account.id)
        self.assertEqual(self.listed_ids("?assignee_id=%d" % paralegal.account.id), [did])
        self.assertEqual(self.listed_ids("?assignee_id=me&triage=open"), [],
                         "the admin has nothing assigned")
        mine = [d["id"] for d in self.list_all("/api/v1/deadlines?assignee_id=me",
                                               auth=paralegal)]
        self.assertEqual(mine, [did])
        r = self.get("/api/v1/deadlines?assignee_id=me", auth=self.make_key(["read"]))
        self.assertProblem(r, 400, field="assignee_id")
        r = self.triage(did, {"assignee_id": None})
        self.assertStatus(r, 200)
        self.assertEqual(self.listed_ids("?assignee_id=%d" % paralegal.account.id), [])


class Refused(TriageCase):

    def test_every_bad_value_names_its_field_and_changes_nothing(self):
        pr, did = self.rfe_deadline()
        viewer = self.make_user("viewer")
        disabled = self.make_user("paralegal")
        self.assertStatus(self.patch("/api/v1/users/%d" % disabled.id, {"disabled": True}), 200)
        before = self.deadline(did)
        cases = [
            ({"handled_reason": "   "}, "handled_reason"),
            ({"handled_reason": ""}, "handled_reason"),
            ({"handled_reason": "x" * 1001}, "handled_reason"),
            ({"handled_reason": 7}, "handled_reason"),
            ({"snoozed_until": day(0)}, "snoozed_until"),
            ({"snoozed_until": day(-1)}, "snoozed_until"),
            ({"snoozed_until": day(367)}, "snoozed_until"),
            ({"snoozed_until": "2027-02-30"}, "snoozed_until"),
            ({"snoozed_until": "next week"}, "snoozed_until"),
            ({"assignee_id": viewer.id}, "assignee_id"),
            ({"assignee_id": disabled.id}, "assignee_id"),
            ({"assignee_id": 999999999}, "assignee_id"),
            ({"assignee_id": "4"}, "assignee_id"),
            ({"due_on": day(40)}, "due_on"),
            ({"status": "met"}, "status"),
            ({"version": 9}, "version"),
            ({"triage": "handled"}, "triage"),
            ({"surprise": 1}, "surprise"),
            ({"handled_reason": "ok", "snoozed_until": day(-3)}, "snoozed_until"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                r = self.triage(did, body)
                self.assertProblem(r, 422, field=field)
        for raw in (b"[]", b"\"handled\"", b"{"):
            r = self.request("PATCH", "/api/v1/deadlines/" + did, Raw(raw))
            self.assertProblem(r, 400)
        self.assertUnchanged(did, before)

    def test_a_stale_if_match_is_412_and_changes_nothing(self):
        pr, did = self.rfe_deadline()
        self.assertStatus(self.triage(did, {"snoozed_until": day(2)}, version=1), 200)
        before = self.deadline(did)
        r = self.triage(did, {"handled_reason": "Late edit"}, version=1)
        self.assertProblem(r, 412)
        self.assertUnchanged(did, before)
        r = self.triage(did, {"handled_reason": "Fresh edit"}, version=before["version"])
        self.assertStatus(r, 200)
