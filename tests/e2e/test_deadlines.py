"""Deadlines (docs/deadlines-contract.md, issue 4): the engine through the real API, the
/deadlines list with its filters and pages, a request's own deadlines, and the deadline rules API
(admin only, If-Match, validation, audit, an edit showing at once).

Every date is relative to today in the firm's zone (day(offset)). Tests in one class share a
server, so every list check is scoped to the test's own requests (by id, or through a fresh
paralegal each test assigns its requests to), and every rule edit is undone by a cleanup; the rule
edits live in their own class.
"""

import datetime
import json
import unittest
import urllib.parse
import zoneinfo

from harness import FIRM_TZ, ApiTestCase, day, instant, token, unique_receipt

RULE_CODES = {"rfe_response", "noid_response", "motion_i290b", "appointment", "parole_end",
              "reparole_general", "reparole_u4u", "ead_c11", "travel_document", "passport",
              "ead_c11_hr1", "ead_general", "missed_appointment", "fee_payment",
              "asylum_one_year", "address_change_report"}
RULE_FIELDS = {"id", "code", "kind", "description", "program", "days", "mailed_extra_days",
               "opens_days_before", "lead_times", "enabled", "effective_from", "effective_to",
               "citation_source", "citation_date", "ead_category", "cap_at_parole_end",
               "created_at", "updated_at", "version"}
DEADLINE_FIELDS = {"id", "kind", "due_on", "due_at", "opens_on", "status", "parole_request_id",
                   "client_id", "source", "rule", "title", "program_code", "moot_decision_id",
                   "basis", "premature", "triage", "handled_reason", "handled_by", "handled_at",
                   "snoozed_until", "assignee_id", "version"}
# code -> (kind, days, mailed_extra_days, opens_days_before, program, enabled)
SEEDED = {
    "rfe_response": ("rfe_response", 84, 3, None, None, True),
    "noid_response": ("noid_response", 30, 3, None, None, True),
    "motion_i290b": ("motion", 30, 3, None, None, False),
    "appointment": ("appointment", None, 0, None, None, True),
    "parole_end": ("parole_end", None, 0, None, None, True),
    "reparole_general": ("reparole_filing", 90, 0, None, None, True),
    "reparole_u4u": ("reparole_filing", 90, 0, 180, "u4u", True),
    "ead_c11": ("ead_end", None, 0, None, None, True),
    "ead_c11_hr1": ("ead_end", 365, 0, None, None, True),
    "ead_general": ("ead_end", None, 0, None, None, True),
    "missed_appointment": ("missed_appointment", None, 0, None, None, True),
    "fee_payment": ("fee_payment", None, 0, None, None, True),
    "asylum_one_year": ("asylum_one_year", None, 0, None, None, True),
    "address_change_report": ("address_change_report", 10, 0, None, None, True),
    "travel_document": ("travel_by", None, 0, None, None, True),
    "passport": ("passport_expiry", None, 0, None, None, True),
}
PATCHABLE = ("description", "days", "mailed_extra_days", "opens_days_before", "lead_times",
             "enabled", "effective_from", "effective_to", "citation_source", "citation_date")


def parse_instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_date(text):
    """The firm-local calendar date of an RFC 3339 instant."""
    return parse_instant(text).astimezone(zoneinfo.ZoneInfo(FIRM_TZ)).date().isoformat()


class DeadlineCase(ApiTestCase):

    # ---- rules -------------------------------------------------------------------------------

    def rules(self):
        return self.list_all("/api/v1/deadline-rules")

    def rule(self, code):
        found = [r for r in self.rules() if r["code"] == code]
        self.assertEqual(len(found), 1, "one rule with code %s" % code)
        return found[0]

    def patch_rule(self, code, body, restore=True):
        """PATCH a rule as the admin (asserting 200); undone at cleanup when restore."""
        before = self.rule(code)
        if restore:
            original = {k: before[k] for k in PATCHABLE}
            self.addCleanup(self._restore_rule, before["id"], original)
        r = self.patch("/api/v1/deadline-rules/%d" % before["id"], body,
                       headers={"If-Match": '"%d"' % before["version"]})
        self.assertStatus(r, 200, "patching rule %s with %r" % (code, body))
        return r.json

    def _restore_rule(self, rule_id, original):
        r = self.patch("/api/v1/deadline-rules/%d" % rule_id, original)
        self.assertStatus(r, 200, "restoring rule %d" % rule_id)

    # ---- fixtures ----------------------------------------------------------------------------

    def filed(self, **fields):
        """A parole request with a receipted initial filing made long ago."""
        pr = self.make_request(**fields)
        self.make_child(pr["id"], "filings", filed_on=day(-200), receipt_number=unique_receipt())
        return pr

    def approved(self, decided_on=None, **fields):
        pr = self.filed(**fields)
        d = self.make_child(pr["id"], "decisions", decided_on=decided_on or day(-30),
                            outcome="approved")
        return pr, d

    def assignee(self):
        """A fresh paralegal: assigning a test's requests to them scopes /deadlines to the test."""
        return self.make_user("paralegal")

    # ---- reading deadlines -------------------------------------------------------------------

    def of_request(self, pr_id, **kw):
        return self.list_all("/api/v1/parole-requests/%d/deadlines" % pr_id, **kw)

    def of_kind(self, pr_id, kind):
        return [d for d in self.of_request(pr_id) if d["kind"] == kind]

    def one(self, pr_id, kind):
        got = self.of_kind(pr_id, kind)
        self.assertEqual(len(got), 1, "one %s deadline for request %d, got: %s"
                         % (kind, pr_id, json.dumps(self.of_request(pr_id))[:1500]))
        return got[0]

    def listed(self, query="", **kw):
        return self.list_all("/api/v1/deadlines" + query, **kw)

    def assertNamesField(self, r, *names):
        """A 422/400 whose errors name each field, itself or one of its entries (`f[2]`)."""
        got = r.fields()
        for name in names:
            self.assertTrue(any(f == name or (f or "").startswith(name + "[") for f in got),
                            "errors[].field should name %r: %r" % (name, r))

    def assertDeadline(self, d, kind, due_on, status, rule_code=None, source=None,
                       opens_on=None, pr=None):
        self.assertEqual(set(d), DEADLINE_FIELDS, "fields of a deadline: %r" % d)
        self.assertEqual(d["kind"], kind, repr(d))
        self.assertEqual(d["due_on"], due_on, "due_on of %r" % d)
        self.assertEqual(d["status"], status, "status of %r" % d)
        self.assertEqual(d["opens_on"], opens_on, "opens_on of %r" % d)
        if rule_code is not None:
            self.assertEqual(d["rule"]["code"], rule_code, repr(d))
        if source is not None:
            self.assertEqual(d["source"], {"resource": source[0], "id": source[1]}, repr(d))
            self.assertEqual(d["id"], "%s/%d/%s" % (source[0], source[1], kind), repr(d))
        if pr is not None:
            self.assertEqual(d["parole_request_id"], pr["id"])
            self.assertEqual(d["client_id"], pr["client_id"])
        self.assertIsInstance(d["title"], str)
        self.assertTrue(d["title"].strip(), repr(d))


# ------------------------------------------------------------------------------------------------


class Engine(DeadlineCase):
    """Every kind of deadline from the events of a request, and its status."""

    def test_rfe_due_from_issue_date(self):
        pr = self.filed()
        rfe = self.make_child(pr["id"], "rfes", issued_on=day(-10))
        d = self.one(pr["id"], "rfe_response")
        self.assertDeadline(d, "rfe_response", day(74), "upcoming", "rfe_response",
                            ("rfes", rfe["id"]), pr=pr)
        self.assertIsNone(d["due_at"])

    def test_rfe_mailed_adds_three_days(self):
        pr = self.filed()
        rfe = self.make_child(pr["id"], "rfes", issued_on=day(-10), mailed=True)
        self.assertDeadline(self.one(pr["id"], "rfe_response"), "rfe_response", day(77),
                            "upcoming", "rfe_response", ("rfes", rfe["id"]))

    def test_rfe_due_date_on_notice_wins(self):
        pr = self.filed()
        rfe = self.make_child(pr["id"], "rfes", issued_on=day(-10), response_due_on=day(5),
                              mailed=True)
        self.assertDeadline(self.one(pr["id"], "rfe_response"), "rfe_response", day(5),
                            "upcoming", "rfe_response", ("rfes", rfe["id"]))
        # Clearing the printed date falls back to the rule (84 + 3 mailed).
        r = self.patch("/api/v1/parole-requests/%d/rfes/%d" % (pr["id"], rfe["id"]),
                       {"response_due_on": None})
        self.assertStatus(r, 200)
        self.assertEqual(self.one(pr["id"], "rfe_response")["due_on"], day(77))

    def test_noid_thirty_days_plus_mailed(self):
        pr = self.filed()
        plain = self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-40))
        mailed = self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-40), mailed=True)
        got = {d["source"]["id"]: d for d in self.of_kind(pr["id"], "noid_response")}
        self.assertEqual(set(got), {plain["id"], mailed["id"]})
        self.assertDeadline(got[plain["id"]], "noid_response", day(-10), "overdue",
                            "noid_response", ("rfes", plain["id"]))
        self.assertDeadline(got[mailed["id"]], "noid_response", day(-7), "overdue",
                            "noid_response", ("rfes", mailed["id"]))
        self.assertEqual(self.of_kind(pr["id"], "rfe_response"), [])

    def test_status_due_today(self):
        pr = self.filed()
        by_rule = self.make_child(pr["id"], "rfes", issued_on=day(-84))
        printed = self.make_child(pr["id"], "rfes", issued_on=day(-3), response_due_on=day(0))
        got = {d["source"]["id"]: d for d in self.of_kind(pr["id"], "rfe_response")}
        self.assertDeadline(got[by_rule["id"]], "rfe_response", day(0), "due_today")
        self.assertDeadline(got[printed["id"]], "rfe_response", day(0), "due_today")

    def test_status_overdue_then_met_when_responded(self):
        pr = self.filed()
        rfe = self.make_child(pr["id"], "rfes", issued_on=day(-100), response_due_on=day(-2))
        self.assertEqual(self.one(pr["id"], "rfe_response")["status"], "overdue")
        path = "/api/v1/parole-requests/%d/rfes/%d" % (pr["id"], rfe["id"])
        self.assertStatus(self.patch(path, {"responded_on": day(-1)}), 200)
        d = self.one(pr["id"], "rfe_response")
        self.assertDeadline(d, "rfe_response", day(-2), "met")
        self.assertStatus(self.patch(path, {"responded_on": None}), 200)
        self.assertEqual(self.one(pr["id"], "rfe_response")["status"], "overdue")
        # An upcoming one answered early is met too.
        rfe2 = self.make_child(pr["id"], "rfes", issued_on=day(-5), responded_on=day(-1))
        got = {d["source"]["id"]: d for d in self.of_kind(pr["id"], "rfe_response")}
        self.assertEqual(got[rfe2["id"]]["status"], "met")
        self.assertEqual(got[rfe2["id"]]["due_on"], day(79))

    def test_interview_appointment(self):
        pr = self.filed()
        at = instant(3 * 86400)
        iv = self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=at)
        d = self.one(pr["id"], "interview")
        self.assertDeadline(d, "interview", local_date(at), "upcoming", "appointment",
                            ("interviews", iv["id"]), pr=pr)
        self.assertIsNotNone(d["due_at"])
        self.assertEqual(parse_instant(d["due_at"]), parse_instant(at))

    def test_appointment_due_on_is_the_firm_local_date(self):
        # 03:00 UTC is still the evening before in New York (EST or EDT).
        pr = self.filed()
        at = "%sT03:00:00Z" % day(20)
        iv = self.make_child(pr["id"], "interviews", kind="biometrics", scheduled_at=at)
        d = self.one(pr["id"], "biometrics")
        self.assertDeadline(d, "biometrics", day(19), "upcoming", "appointment",
                            ("interviews", iv["id"]))
        self.assertEqual(parse_instant(d["due_at"]), parse_instant(at))

    def test_appointment_today_completed_and_past(self):
        pr = self.filed()
        now = datetime.datetime.now(zoneinfo.ZoneInfo(FIRM_TZ))
        later = now + datetime.timedelta(minutes=5)
        soon = self.make_child(pr["id"], "interviews", kind="biometrics",
                               scheduled_at=instant(300))
        past = self.make_child(pr["id"], "interviews", kind="interview",
                               scheduled_at=instant(-2 * 86400))
        done = self.make_child(pr["id"], "interviews", kind="interview",
                               scheduled_at=instant(-86400), outcome="completed")
        moved = self.make_child(pr["id"], "interviews", kind="interview",
                                scheduled_at=instant(9 * 86400), outcome="rescheduled")
        got = {d["source"]["id"]: d for d in self.of_request(pr["id"])}
        self.assertEqual(got[soon["id"]]["status"],
                         "due_today" if later.date() == now.date() else "upcoming")
        self.assertEqual(got[past["id"]]["status"], "overdue",
                         "a past appointment with no outcome recorded")
        self.assertEqual(got[done["id"]]["status"], "met")
        self.assertEqual(got[moved["id"]]["status"], "upcoming")
        # Marking the past one completed meets it.
        r = self.patch("/api/v1/parole-requests/%d/interviews/%d" % (pr["id"], past["id"]),
                       {"outcome": "completed"})
        self.assertStatus(r, 200)
        got = {d["source"]["id"]: d for d in self.of_request(pr["id"])}
        self.assertEqual(got[past["id"]]["status"], "met")

    def test_cancelled_appointments_make_none(self):
        pr = self.filed()
        self.make_child(pr["id"], "interviews", kind="interview",
                        scheduled_at=instant(5 * 86400), outcome="cancelled")
        self.make_child(pr["id"], "interviews", kind="biometrics",
                        scheduled_at=instant(-5 * 86400), outcome="cancelled")
        self.assertEqual(self.of_request(pr["id"]), [])
        iv = self.make_child(pr["id"], "interviews", kind="interview",
                             scheduled_at=instant(6 * 86400))
        self.assertEqual(len(self.of_request(pr["id"])), 1)
        r = self.patch("/api/v1/parole-requests/%d/interviews/%d" % (pr["id"], iv["id"]),
                       {"outcome": "cancelled"})
        self.assertStatus(r, 200)
        self.assertEqual(self.of_request(pr["id"]), [])

    def test_a_missed_appointment_is_urgent_until_rescheduled(self):
        """8 CFR 103.2(b)(13): a missed biometrics appointment can get the request denied as
        abandoned. It opens a deadline overdue at once, listed firm-wide, met when a later
        appointment of the same kind is scheduled (an interview does not count)."""
        who = self.assignee()
        pr = self.filed(assigned_paralegal_id=who.id)
        missed = self.make_child(pr["id"], "interviews", kind="biometrics",
                                 scheduled_at=instant(-3 * 86400), outcome="missed")
        d = self.one(pr["id"], "missed_appointment")
        self.assertDeadline(d, "missed_appointment", local_date(missed["scheduled_at"]), "overdue",
                            "missed_appointment", ("interviews", missed["id"]), pr=pr)
        self.assertEqual(d["due_at"], missed["scheduled_at"])
        self.assertIn("103.2(b)(13)", d["rule"]["citation_source"])
        self.assertIn(d["id"], [x["id"] for x in self.listed(
            "?status=overdue&assigned_to=%d" % who.id)])
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(9 * 86400))
        self.assertEqual(self.one(pr["id"], "missed_appointment")["status"], "overdue")
        self.make_child(pr["id"], "interviews", kind="biometrics",
                        scheduled_at=instant(10 * 86400), outcome="rescheduled")
        self.assertEqual(self.one(pr["id"], "missed_appointment")["status"], "met")
        self.assertNotIn(d["id"], [x["id"] for x in self.listed(
            "?status=overdue&assigned_to=%d" % who.id)])

    def test_parole_end_and_general_reparole_window(self):
        pr, dec = self.approved()
        i94 = self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(400))
        self.assertDeadline(self.one(pr["id"], "parole_end"), "parole_end", day(400), "upcoming",
                            "parole_end", ("expirations", i94["id"]), pr=pr)
        self.assertDeadline(self.one(pr["id"], "reparole_filing"), "reparole_filing", day(310),
                            "upcoming", "reparole_general", ("decisions", dec["id"]),
                            opens_on=None, pr=pr)

    def test_reparole_u4u_opens_180_days_before(self):
        pr, dec = self.approved(parole_type="program", program="u4u")
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(400))
        d = self.one(pr["id"], "reparole_filing")
        self.assertDeadline(d, "reparole_filing", day(310), "upcoming", "reparole_u4u",
                            ("decisions", dec["id"]), opens_on=day(220))
        u4u = self.rule("reparole_u4u")
        self.assertEqual(d["rule"], {"id": u4u["id"], "code": "reparole_u4u",
                                     "citation_source": u4u["citation_source"],
                                     "citation_date": u4u["citation_date"]})
        self.assertEqual(d["rule"]["citation_date"], "2024-06-10")
        # Another (running) program gets the general rule.
        pr2, _ = self.approved(parole_type="program", program="oaw")
        self.make_child(pr2["id"], "expirations", kind="parole", expires_on=day(400))
        d2 = self.one(pr2["id"], "reparole_filing")
        self.assertEqual(d2["rule"]["code"], "reparole_general")
        self.assertIsNone(d2["opens_on"])

    def test_a_premature_re_parole_filing_meets_nothing(self):
        """U4U: a re-parole filed before the window opens (180 days before the end) may be
        rejected without refund; the deadline stays open, marked premature, until a filing
        inside the window."""
        pr, dec = self.approved(decided_on=day(-150), parole_type="program", program="u4u")
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(100))
        early = self.make_child(pr["id"], "filings", filed_on=day(-100), kind="re_parole")
        d = self.one(pr["id"], "reparole_filing")
        self.assertEqual((d["status"], d["premature"], d["opens_on"], d["due_on"]),
                         ("upcoming", True, day(-80), day(10)))
        self.assertIn(d["id"], [x["id"] for x in self.listed("?kind=reparole_filing&status=upcoming")
                                if x["parole_request_id"] == pr["id"]])
        self.assertEqual([w["field"] for w in early["warnings"]], ["filed_on"])
        self.assertIn(day(-80), early["warnings"][0]["message"])
        again = self.get("/api/v1/parole-requests/%d/filings/%d" % (pr["id"], early["id"]))
        self.assertEqual(again.json["warnings"], early["warnings"])
        # inside the window: met, and no warning
        r = self.patch("/api/v1/parole-requests/%d/filings/%d" % (pr["id"], early["id"]),
                       {"filed_on": day(-50)})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["warnings"], [])
        d = self.one(pr["id"], "reparole_filing")
        self.assertEqual((d["status"], d["premature"]), ("met", False))

    def test_a_renewing_request_meets_the_old_window(self):
        """A re-parole request names the request it renews: its first filing inside the old
        request's window meets the old re-parole deadline; one before the window leaves it open
        and premature. Only the same client's request can be renewed, and a renewed request is
        not deleted."""
        old, dec = self.approved(decided_on=day(-150), parole_type="program", program="u4u")
        self.make_child(old["id"], "expirations", kind="i94", expires_on=day(100))
        self.assertEqual(self.one(old["id"], "reparole_filing")["status"], "upcoming")
        new = self.make_request(old["client_id"], parole_type="re_parole",
                                renews_request_id=old["id"])
        self.assertEqual(new["renews_request_id"], old["id"])
        # a representative's G-28 is not the re-parole request
        self.make_child(new["id"], "filings", form="G-28", filed_on=day(-60))
        self.assertEqual(self.one(old["id"], "reparole_filing")["status"], "upcoming")
        early = self.make_child(new["id"], "filings", filed_on=day(-100))
        self.assertEqual([w["field"] for w in early["warnings"]], ["filed_on"],
                         "the renewing request's early I-131 warns too")
        d = self.one(old["id"], "reparole_filing")
        self.assertEqual((d["status"], d["premature"], d["opens_on"]), ("upcoming", True, day(-80)))
        r = self.patch("/api/v1/parole-requests/%d/filings/%d" % (new["id"], early["id"]),
                       {"filed_on": day(-40)})
        self.assertStatus(r, 200)
        d = self.one(old["id"], "reparole_filing")
        self.assertEqual((d["status"], d["premature"]), ("met", False))
        # no longer renewing it: open again
        self.assertStatus(self.patch("/api/v1/parole-requests/%d" % new["id"],
                                     {"renews_request_id": None}), 200)
        self.assertEqual(self.one(old["id"], "reparole_filing")["status"], "upcoming")
        # the same client's request only, never itself
        other = self.make_request()
        for value, message in ((other["id"], "same client"), (new["id"], "itself"),
                               (999999, "no parole request")):
            r = self.patch("/api/v1/parole-requests/%d" % new["id"], {"renews_request_id": value})
            self.assertProblem(r, 422, field="renews_request_id")
        self.assertStatus(self.patch("/api/v1/parole-requests/%d" % new["id"],
                                     {"renews_request_id": old["id"]}), 200)
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % old["id"]), 409)
        # no loop, and the renewed request stays the renewing one's client's
        self.assertProblem(self.patch("/api/v1/parole-requests/%d" % old["id"],
                                      {"renews_request_id": new["id"]}), 422,
                           field="renews_request_id")
        self.assertProblem(self.patch("/api/v1/parole-requests/%d" % old["id"],
                                      {"client_id": other["client_id"]}), 422, field="client_id")

    def test_reparole_met_after_a_re_parole_filing(self):
        pr, dec = self.approved(decided_on=day(-30))
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(100))
        self.assertDeadline(self.one(pr["id"], "reparole_filing"), "reparole_filing", day(10),
                            "upcoming")
        # A re-parole filing from before the approval does not meet it.
        self.make_child(pr["id"], "filings", kind="re_parole", filed_on=day(-40))
        self.assertEqual(self.one(pr["id"], "reparole_filing")["status"], "upcoming")
        # One after the approval does.
        self.make_child(pr["id"], "filings", kind="re_parole", filed_on=day(-1))
        self.assertEqual(self.one(pr["id"], "reparole_filing")["status"], "met")

    def test_reparole_overdue_and_earlier_parole_end_met(self):
        pr, _ = self.approved()
        first = self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(30))
        self.assertEqual(self.one(pr["id"], "reparole_filing")["due_on"], day(-60))
        self.assertEqual(self.one(pr["id"], "reparole_filing")["status"], "overdue")
        # A later I-94 recorded: the first end is met, the window follows the latest end.
        second = self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(300))
        ends = {d["source"]["id"]: d for d in self.of_kind(pr["id"], "parole_end")}
        self.assertEqual(ends[first["id"]]["status"], "met")
        self.assertEqual(ends[second["id"]]["status"], "upcoming")
        self.assertEqual(self.one(pr["id"], "reparole_filing")["due_on"], day(210))

    def test_inside_us_approval_valid_until_is_the_parole_end(self):
        """Contract, rule parole_end: "a parole/i94 expiry, else an inside-US approval's
        valid_until"."""
        pr = self.filed(location="inside_us")
        self.make_child(pr["id"], "decisions", decided_on=day(-20), outcome="approved",
                        valid_from=day(-20), valid_until=day(200))
        ends = self.of_kind(pr["id"], "parole_end")
        self.assertEqual([d["due_on"] for d in ends], [day(200)],
                         "parole_end from valid_until: %r" % self.of_request(pr["id"]))
        self.assertEqual(ends[0]["rule"]["code"], "parole_end")
        self.assertEqual(self.one(pr["id"], "reparole_filing")["due_on"], day(110))

    def test_no_reparole_without_a_parole_end(self):
        pr, _ = self.approved(location="outside_us")
        self.assertEqual(self.of_request(pr["id"]), [])

    def test_ead_end_capped_at_parole_end(self):
        # No category recorded: taken as the parole-based (c)(11); no issue date, so the rule in
        # force on its expiry date (H.R. 1's, from 2025-07-04) applies, capped at the parole end.
        pr, _ = self.approved()
        ead = self.make_child(pr["id"], "expirations", kind="ead", expires_on=day(300))
        self.assertDeadline(self.one(pr["id"], "ead_end"), "ead_end", day(300), "upcoming",
                            "ead_c11_hr1", ("expirations", ead["id"]))
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(200))
        self.assertDeadline(self.one(pr["id"], "ead_end"), "ead_end", day(200), "upcoming",
                            "ead_c11_hr1", ("expirations", ead["id"]))
        # An EAD ending before the parole keeps its own date.
        pr2, _ = self.approved()
        self.make_child(pr2["id"], "expirations", kind="i94", expires_on=day(200))
        self.make_child(pr2["id"], "expirations", kind="ead", expires_on=day(100))
        self.assertEqual(self.one(pr2["id"], "ead_end")["due_on"], day(100))

    def test_work_permit_categories(self):
        """The one-year cap only on (c)(11) cards issued from 4 July 2025 (H.R. 1, cited), the
        parole end only on (c)(11) cards, other categories on their own date; the category as
        the card prints it; only on a work permit or an I-765."""
        pr, _ = self.approved()
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(500))
        issued = day(-100)
        after = self.make_child(pr["id"], "expirations", kind="ead", issued_on=issued,
                                expires_on=day(600), ead_category="C11")
        self.assertEqual(after["ead_category"], "c11")
        asylum = self.make_child(pr["id"], "expirations", kind="ead", issued_on=issued,
                                 expires_on=day(700), ead_category="(c)(8)")
        self.assertEqual(asylum["ead_category"], "c8")
        got = {d["source"]["id"]: d for d in self.of_kind(pr["id"], "ead_end")}
        hr1 = [r for r in self.rules() if r["code"] == "ead_c11_hr1"][0]
        year = (datetime.date.fromisoformat(issued) + datetime.timedelta(days=365)).isoformat()
        self.assertEqual(got[after["id"]]["due_on"], year)
        self.assertEqual(got[after["id"]]["rule"]["citation_source"], hr1["citation_source"])
        self.assertIn("Pub. L. 119-21", hr1["citation_source"])
        self.assertEqual((hr1["ead_category"], hr1["cap_at_parole_end"], hr1["days"],
                          hr1["effective_from"]), ("c11", True, 365, "2025-07-04"))
        # the (c)(8) card ends on its own date, past the parole end; the newer card meets the
        # older one
        self.assertEqual((got[asylum["id"]]["due_on"], got[asylum["id"]]["rule"]["code"]),
                         (day(700), "ead_general"))
        # a (c)(11) card issued the day before the law: capped at the parole end only
        pr2, _ = self.approved()
        self.make_child(pr2["id"], "expirations", kind="i94", expires_on=day(500))
        old = self.make_child(pr2["id"], "expirations", kind="ead", issued_on="2025-07-03",
                              expires_on=day(700), ead_category="c11")
        d = self.one(pr2["id"], "ead_end")
        self.assertEqual((d["due_on"], d["rule"]["code"], d["source"]["id"]),
                         (day(500), "ead_c11", old["id"]))
        # the category only on a work permit, and only a known one
        self.assertNamesField(self.post("/api/v1/parole-requests/%d/expirations" % pr2["id"],
                                        {"kind": "passport", "expires_on": day(900),
                                         "ead_category": "c11"}), "ead_category")
        self.assertNamesField(self.post("/api/v1/parole-requests/%d/expirations" % pr2["id"],
                                        {"kind": "ead", "expires_on": day(900),
                                         "ead_category": "c99"}), "ead_category")
        # an I-765 filing records the category it asks for; another form cannot
        f = self.make_child(pr2["id"], "filings", form="I-765", filed_on=day(-5),
                            ead_category="C-11")
        self.assertEqual(f["ead_category"], "c11")
        self.assertNamesField(self.post("/api/v1/parole-requests/%d/filings" % pr2["id"],
                                        {"form": "I-131", "filed_on": day(-5),
                                         "ead_category": "c11"}), "ead_category")

    def test_ead_met_by_a_newer_ead(self):
        pr, _ = self.approved()
        old = self.make_child(pr["id"], "expirations", kind="ead", expires_on=day(20))
        self.assertEqual(self.one(pr["id"], "ead_end")["status"], "upcoming")
        new = self.make_child(pr["id"], "expirations", kind="ead", expires_on=day(380))
        got = {d["source"]["id"]: d for d in self.of_kind(pr["id"], "ead_end")}
        self.assertEqual(got[old["id"]]["status"], "met")
        self.assertEqual(got[new["id"]]["status"], "upcoming")

    def test_travel_by(self):
        pr, _ = self.approved()
        doc = self.make_child(pr["id"], "expirations", kind="travel_document",
                              expires_on=day(60))
        self.assertDeadline(self.one(pr["id"], "travel_by"), "travel_by", day(60), "upcoming",
                            "travel_document", ("expirations", doc["id"]), pr=pr)
        # The client travelled: an I-94 recorded after the travel document meets it.
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(700))
        self.assertEqual(self.one(pr["id"], "travel_by")["status"], "met")

    def test_a_later_decision_leaves_the_approvals_dates(self):
        """The parole an approval granted, its re-parole window and a program's termination of it
        outlive a later decision; an appointment recorded after the decision is not settled by
        it; an I-290B meets the motion."""
        pr, dec = self.approved(decided_on=day(-60))
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(200))
        self.make_child(pr["id"], "decisions", decided_on=day(-5), outcome="terminated")
        d = self.one(pr["id"], "reparole_filing")
        self.assertEqual((d["status"], d["source"]["id"]), ("upcoming", dec["id"]))
        chnv, _ = self.approved(decided_on=day(-100), parole_type="program", program="chnv",
                                location="inside_us")
        self.make_child(chnv["id"], "expirations", kind="i94", expires_on=day(200))
        self.make_child(chnv["id"], "decisions", decided_on=day(-5), outcome="terminated")
        end = self.one(chnv["id"], "parole_end")
        self.assertEqual((end["due_on"], end["program_code"]), ("2025-04-24", "chnv"))
        later = self.make_child(pr["id"], "interviews", kind="biometrics",
                                scheduled_at=instant(9 * 86400))
        got = [x for x in self.of_request(pr["id"]) if x["source"]["id"] == later["id"]
               and x["source"]["resource"] == "interviews"]
        self.assertEqual([x["status"] for x in got], ["upcoming"])

    def test_travel_by_an_approval_abroad(self):
        """An approval abroad with valid_until authorises travel until then: a travel_by
        deadline on that date, met by the entry (an I-94); a denied travel document is moot."""
        pr = self.filed(location="outside_us")
        dec = self.make_child(pr["id"], "decisions", decided_on=day(-10), outcome="approved",
                              valid_until=day(80))
        self.assertEqual(self.stage_of(pr["id"]), "approved")
        self.assertDeadline(self.one(pr["id"], "travel_by"), "travel_by", day(80), "upcoming",
                            "travel_document", ("decisions", dec["id"]), pr=pr)
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(700))
        self.assertEqual(self.one(pr["id"], "travel_by")["status"], "met")
        denied = self.filed(location="outside_us")
        doc = self.make_child(denied["id"], "expirations", kind="travel_document",
                              expires_on=day(60))
        dec = self.make_child(denied["id"], "decisions", decided_on=day(-1), outcome="denied")
        d = self.one(denied["id"], "travel_by")
        self.assertEqual((d["status"], d["moot_decision_id"], d["source"]["id"]),
                         ("moot", dec["id"], doc["id"]))

    def test_response_basis_and_appointments_settled_by_a_decision(self):
        pr = self.filed()
        typed = self.make_child(pr["id"], "rfes", issued_on=day(-10), response_due_on=day(40))
        computed = self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-10))
        iv = self.make_child(pr["id"], "interviews", kind="interview",
                             scheduled_at=instant(20 * 86400))
        got = {d["source"]["id"]: d for d in self.of_request(pr["id"])
               if d["source"]["resource"] == "rfes"}
        self.assertEqual(got[typed["id"]]["basis"], "notice")
        self.assertEqual(got[computed["id"]]["basis"], "computed_maximum")
        dec = self.make_child(pr["id"], "decisions", decided_on=day(0), outcome="approved")
        for d in self.of_request(pr["id"]):
            if d["source"] in ({"resource": "rfes", "id": typed["id"]},
                               {"resource": "rfes", "id": computed["id"]},
                               {"resource": "interviews", "id": iv["id"]}):
                self.assertEqual((d["status"], d["moot_decision_id"]), ("moot", dec["id"]),
                                 repr(d))

    def test_passport_expiry(self):
        pr = self.filed()
        old = self.make_child(pr["id"], "expirations", kind="passport", expires_on=day(-3))
        self.assertDeadline(self.one(pr["id"], "passport_expiry"), "passport_expiry", day(-3),
                            "overdue", "passport", ("expirations", old["id"]), pr=pr)
        new = self.make_child(pr["id"], "expirations", kind="passport", expires_on=day(3000))
        got = {d["source"]["id"]: d for d in self.of_kind(pr["id"], "passport_expiry")}
        self.assertEqual(got[old["id"]]["status"], "met")
        self.assertEqual(got[new["id"]]["status"], "upcoming")
        # An expiry of kind "other" makes no deadline.
        self.make_child(pr["id"], "expirations", kind="other", expires_on=day(30))
        self.assertEqual(len(self.of_request(pr["id"])), 2)

    def test_no_motion_deadline_after_denial_by_default(self):
        pr = self.filed()
        self.make_child(pr["id"], "decisions", decided_on=day(-5), outcome="denied", mailed=True)
        self.assertEqual(self.of_kind(pr["id"], "motion"), [])

    def test_rule_on_every_deadline_matches_the_rules(self):
        pr, _ = self.approved(parole_type="program", program="u4u")
        self.make_child(pr["id"], "rfes", issued_on=day(-10), responded_on=day(-2))
        self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-9), responded_on=day(-2))
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
        for kind, offset in (("i94", 400), ("ead", 350), ("travel_document", 40),
                             ("passport", 900)):
            self.make_child(pr["id"], "expirations", kind=kind, expires_on=day(offset))
        rules = {r["id"]: r for r in self.rules()}
        got = self.of_request(pr["id"])
        want_codes = {"rfe_response": "rfe_response", "noid_response": "noid_response",
                      "interview": "appointment", "parole_end": "parole_end",
                      "reparole_filing": "reparole_u4u", "ead_end": "ead_c11_hr1",
                      "travel_by": "travel_document", "passport_expiry": "passport"}
        self.assertEqual(sorted(d["kind"] for d in got), sorted(want_codes))
        for d in got:
            with self.subTest(kind=d["kind"]):
                self.assertEqual(set(d["rule"]), {"id", "code", "citation_source",
                                                  "citation_date"})
                rule = rules[d["rule"]["id"]]
                self.assertEqual(d["rule"]["code"], want_codes[d["kind"]])
                self.assertEqual(d["rule"]["code"], rule["code"])
                self.assertEqual(d["rule"]["citation_source"], rule["citation_source"])
                self.assertEqual(d["rule"]["citation_date"], rule["citation_date"])
                self.assertTrue(rule["citation_source"])

    def test_titles_carry_no_name_or_identifier(self):
        given = "Zelenska" + token(6).title()
        client = self.make_client(given_name=given, a_number="A%09d" % (123450000 +
                                                                        len(given)))
        pr = self.make_request(client["id"])
        self.make_child(pr["id"], "filings", filed_on=day(-200))
        self.make_child(pr["id"], "rfes", issued_on=day(-3))
        self.make_child(pr["id"], "expirations", kind="passport", expires_on=day(90),
                        document_number="FP1234567")
        for d in self.of_request(pr["id"]):
            self.assertNotIn(given.lower(), d["title"].lower())
            self.assertNotIn("123450", d["title"])
            self.assertNotIn("FP1234567", d["title"])
            self.assertEqual(d["client_id"], client["id"])

    def test_sorted_by_date_then_id(self):
        pr = self.filed()
        self.make_child(pr["id"], "expirations", kind="passport", expires_on=day(50))
        self.make_child(pr["id"], "rfes", issued_on=day(-2), response_due_on=day(10))
        self.make_child(pr["id"], "rfes", issued_on=day(-2), response_due_on=day(10))
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(20 * 86400))
        self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-50))
        got = self.of_request(pr["id"])
        keys = [d["due_on"] for d in got]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(got[0]["kind"], "noid_response")
        same_day = [d["id"] for d in got if d["due_on"] == day(10)]
        self.assertEqual(len(same_day), 2)
        self.assertEqual(same_day, sorted(same_day))
        everything = self.listed()
        keys = [d["due_on"] for d in everything]
        self.assertEqual(keys, sorted(keys), "/deadlines is sorted by due_on")

    def test_unknown_request_is_404(self):
        self.assertProblem(self.get("/api/v1/parole-requests/987654/deadlines"), 404,
                           "not-found")


class Listing(DeadlineCase):
    """GET /api/v1/deadlines: open requests only, filters, pages, and who may read."""

    def scoped_request(self, assignee, **fields):
        return self.filed(assigned_paralegal_id=assignee.id, **fields)

    def test_a_decision_settles_some_deadlines_and_leaves_the_rest_listed(self):
        """Closed requests no longer fall off the lists: what a decision makes moot (the
        unanswered RFE) is moot, with the decision as its reason; what survives it (the passport)
        stays in every firm-wide list, as upcoming."""
        who = self.assignee()
        open_pr = self.scoped_request(who)
        self.make_child(open_pr["id"], "rfes", issued_on=day(-20))
        closed = {}
        for outcome in ("denied", "withdrawn", "administratively_closed", "terminated"):
            pr = self.scoped_request(who)
            rfe = self.make_child(pr["id"], "rfes", issued_on=day(-20))
            self.make_child(pr["id"], "expirations", kind="passport", expires_on=day(60))
            dec = self.make_child(pr["id"], "decisions", decided_on=day(-5), outcome=outcome)
            closed[outcome] = (pr, rfe, dec)
        listed = {(d["parole_request_id"], d["kind"]): d
                  for d in self.listed("?assigned_to=%d" % who.id)}
        unmet = {(d["parole_request_id"], d["kind"])
                 for d in self.listed("?assigned_to=%d&status=upcoming" % who.id)}
        moot = {(d["parole_request_id"], d["kind"])
                for d in self.listed("?assigned_to=%d&status=moot" % who.id)}
        self.assertEqual(listed[(open_pr["id"], "rfe_response")]["status"], "upcoming")
        for outcome, (pr, rfe, dec) in closed.items():
            with self.subTest(outcome=outcome):
                d = listed[(pr["id"], "rfe_response")]
                self.assertEqual((d["status"], d["moot_decision_id"], d["source"]["id"]),
                                 ("moot", dec["id"], rfe["id"]))
                self.assertIn((pr["id"], "rfe_response"), moot)
                self.assertEqual(listed[(pr["id"], "passport_expiry")]["status"], "upcoming")
                self.assertIn((pr["id"], "passport_expiry"), unmet)
                self.assertNotIn((pr["id"], "rfe_response"), unmet)

    def test_approved_and_paroled_requests_are_listed(self):
        who = self.assignee()
        pr, _ = self.approved(assigned_paralegal_id=who.id)
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(200))
        self.assertEqual(self.stage_of(pr["id"]), "paroled")
        kinds = sorted(d["kind"] for d in self.listed("?assigned_to=%d" % who.id))
        self.assertEqual(kinds, ["parole_end", "reparole_filing"])

    def test_from_to_are_inclusive_dates(self):
        who = self.assignee()
        pr = self.scoped_request(who)
        ids = {}
        for offset in (20, 40, 60, 80):
            rfe = self.make_child(pr["id"], "rfes", issued_on=day(-1),
                                  response_due_on=day(offset))
            ids[offset] = "rfes/%d/rfe_response" % rfe["id"]
        base = "?assigned_to=%d" % who.id

        def got(q):
            return [d["id"] for d in self.listed(base + q)]

        self.assertEqual(got("&from=%s&to=%s" % (day(40), day(60))), [ids[40], ids[60]])
        self.assertEqual(got("&from=%s" % day(41)), [ids[60], ids[80]])
        self.assertEqual(got("&to=%s" % day(20)), [ids[20]])
        self.assertEqual(got("&from=%s&to=%s" % (day(61), day(79))), [])
        for d in self.listed("?from=%s&to=%s" % (day(40), day(60))):
            self.assertTrue(day(40) <= d["due_on"] <= day(60), repr(d))

    def test_kind_and_status_filters(self):
        who = self.assignee()
        pr = self.scoped_request(who)
        self.make_child(pr["id"], "rfes", issued_on=day(-100), response_due_on=day(-1))
        self.make_child(pr["id"], "rfes", issued_on=day(-10))
        self.make_child(pr["id"], "rfes", issued_on=day(-60), responded_on=day(-2))
        self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-30))
        self.make_child(pr["id"], "expirations", kind="passport", expires_on=day(-9))
        base = "?assigned_to=%d" % who.id

        def got(q):
            return sorted((d["kind"], d["status"]) for d in self.listed(base + q))

        self.assertEqual(got("&kind=rfe_response"),
                         [("rfe_response", "met"), ("rfe_response", "overdue"),
                          ("rfe_response", "upcoming")])
        self.assertEqual(got("&kind=noid_response"), [("noid_response", "due_today")])
        self.assertEqual(got("&status=overdue"),
                         [("passport_expiry", "overdue"), ("rfe_response", "overdue")])
        self.assertEqual(got("&status=overdue&kind=rfe_response"), [("rfe_response", "overdue")])
        self.assertEqual(got("&status=due_today"), [("noid_response", "due_today")])
        self.assertEqual(got("&status=met"), [("rfe_response", "met")])
        self.assertEqual(got("&kind=motion"), [])
        for d in self.listed("?status=upcoming&kind=rfe_response"):
            self.assertEqual((d["kind"], d["status"]), ("rfe_response", "upcoming"))

    def test_assigned_to_id_and_me(self):
        paralegal = self.session_as("paralegal")
        attorney = self.make_user("attorney")
        mine = self.filed(assigned_paralegal_id=paralegal.account.id)
        self.make_child(mine["id"], "rfes", issued_on=day(-10))
        self.make_child(mine["id"], "expirations", kind="passport", expires_on=day(100))
        theirs = self.filed(assigned_attorney_id=attorney.id)
        self.make_child(theirs["id"], "rfes", issued_on=day(-11))
        nobody = self.filed()
        self.make_child(nobody["id"], "rfes", issued_on=day(-12))

        def requests(items):
            return {d["parole_request_id"] for d in items}

        by_id = self.listed("?assigned_to=%d" % paralegal.account.id)
        self.assertEqual(requests(by_id), {mine["id"]})
        self.assertEqual(len(by_id), 2)
        me = self.listed("?assigned_to=me", auth=paralegal)
        self.assertEqual(me, by_id)
        self.assertEqual(requests(self.listed("?assigned_to=%d" % attorney.id)), {theirs["id"]})
        admin_me = requests(self.listed("?assigned_to=me"))
        self.assertFalse(admin_me & {mine["id"], theirs["id"], nobody["id"]})
        # The paralegal reads every open request's deadlines without the filter.
        everyone = requests(self.listed("", auth=paralegal))
        self.assertTrue({mine["id"], theirs["id"], nobody["id"]} <= everyone)

    def test_pagination_walk_has_no_gaps_or_duplicates(self):
        who = self.assignee()
        for _ in range(3):
            pr = self.scoped_request(who)
            for i in range(3):
                self.make_child(pr["id"], "rfes", issued_on=day(-1 - i),
                                response_due_on=day(10 + (i % 2)))
            self.make_child(pr["id"], "expirations", kind="passport", expires_on=day(10))
        base = "/api/v1/deadlines?assigned_to=%d" % who.id
        whole = self.get(base + "&limit=200")
        self.assertStatus(whole, 200)
        self.assertIsNone(whole.json["next_cursor"])
        expected = [d["id"] for d in whole.json["items"]]
        self.assertEqual(len(expected), 12)
        for limit in (1, 2, 5, 12):
            with self.subTest(limit=limit):
                seen, cursor, pages = [], None, 0
                while True:
                    url = base + "&limit=%d" % limit
                    if cursor is not None:
                        url += "&cursor=" + urllib.parse.quote(cursor, safe="")
                    r = self.get(url)
                    self.assertStatus(r, 200)
                    self.assertLessEqual(len(r.json["items"]), limit)
                    seen.extend(d["id"] for d in r.json["items"])
                    cursor = r.json["next_cursor"]
                    pages += 1
                    self.assertLess(pages, 50)
                    if cursor is None:
                        break
                    self.assertEqual(len(r.json["items"]), limit, "a short page before the end")
                self.assertEqual(seen, expected)
                self.assertEqual(pages, -(-12 // limit))
        # The whole list walks the same way.
        self.assertEqual([d["id"] for d in self.list_all("/api/v1/deadlines", limit=3)],
                         [d["id"] for d in self.list_all("/api/v1/deadlines", limit=200)])
        # A request's own deadlines page too.
        r = self.get("/api/v1/parole-requests/%d/deadlines?limit=2" % pr["id"])
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json["items"]), 2)
        self.assertIsNotNone(r.json["next_cursor"])
        self.assertEqual(len(self.of_request(pr["id"], limit=1)), 4)

    def test_bad_filters_are_400_naming_the_field(self):
        for query, field in (("kind=nope", "kind"), ("kind=appointment", "kind"),
                             ("from=2025-02-30", "from"), ("to=2025-13-01", "to"),
                             ("from=tomorrow", "from"), ("status=x", "status"),
                             ("limit=0", "limit"), ("limit=201", "limit"),
                             ("limit=abc", "limit"), ("cursor=zzz", "cursor"),
                             ("assigned_to=abc", "assigned_to"), ("assigned_to=0", "assigned_to"),
                             ("color=red", "color"), ("kind=motion&kind=passport_expiry", "kind")):
            with self.subTest(query=query):
                self.assertProblem(self.get("/api/v1/deadlines?" + query), 400, "invalid-query",
                                   field=field)
        r = self.get("/api/v1/deadlines?kind=nope&status=x&from=2025-02-30")
        self.assertProblem(r, 400, "invalid-query", fields=["kind", "status", "from"])
        pr = self.filed()
        for query, field in (("limit=0", "limit"), ("kind=rfe_response", "kind"),
                             ("cursor=zzz", "cursor")):
            with self.subTest(request_query=query):
                self.assertProblem(self.get("/api/v1/parole-requests/%d/deadlines?%s"
                                            % (pr["id"], query)), 400, "invalid-query",
                                   field=field)

    def test_who_may_read_deadlines(self):
        pr = self.filed()
        self.make_child(pr["id"], "rfes", issued_on=day(-4))
        key = self.make_key(["read"])
        paralegal = self.session_as("paralegal")
        viewer = self.session_as("viewer")
        for who in (key, paralegal, viewer):
            with self.subTest(who=repr(who)):
                r = self.get("/api/v1/deadlines?limit=200", auth=who)
                self.assertStatus(r, 200)
                r = self.get("/api/v1/parole-requests/%d/deadlines" % pr["id"], auth=who)
                self.assertStatus(r, 200)
                self.assertEqual([d["kind"] for d in r.json["items"]], ["rfe_response"])
        # "me" needs a signed-in user.
        self.assertProblem(self.get("/api/v1/deadlines?assigned_to=me", auth=key), 400,
                           "invalid-query", field="assigned_to")
        self.assertStatus(self.get("/api/v1/deadlines", auth=None), 401)
        self.assertStatus(self.get("/api/v1/parole-requests/%d/deadlines" % pr["id"], auth=None),
                          401)

    def test_rules_are_admin_only(self):
        paralegal = self.session_as("paralegal")
        attorney = self.session_as("attorney")
        key = self.make_key(["read", "write"])
        rule = self.rule("passport")
        path = "/api/v1/deadline-rules/%d" % rule["id"]
        for who in (paralegal, attorney, key):
            with self.subTest(who=repr(who)):
                self.assertProblem(self.get("/api/v1/deadline-rules", auth=who), 403, "forbidden")
                self.assertProblem(self.get(path, auth=who), 403, "forbidden")
                self.assertProblem(self.patch(path, {"days": 10}, auth=who), 403, "forbidden")
        self.assertStatus(self.get("/api/v1/deadline-rules", auth=None), 401)
        self.assertEqual(self.rule("passport"), rule, "a refused PATCH changes nothing")


class SeededRules(DeadlineCase):
    """The rules as migration 0004 seeds them, on a server no test has edited a rule of."""

    def test_seeded_rules(self):
        rules = self.rules()
        self.assertEqual(len(rules), 16)
        self.assertEqual({r["code"] for r in rules}, RULE_CODES)
        self.assertEqual([r["id"] for r in rules], sorted(r["id"] for r in rules))
        for r in rules:
            with self.subTest(code=r["code"]):
                self.assertEqual(set(r), RULE_FIELDS)
                kind, days, mailed, opens, program, enabled = SEEDED[r["code"]]
                self.assertEqual((r["kind"], r["days"], r["mailed_extra_days"],
                                  r["opens_days_before"], r["program"], r["enabled"]),
                                 (kind, days, mailed, opens, program, enabled))
                # (c)(11) work permits: the parole period until H.R. 1, its one-year cap from it
                effective = {"ead_c11": ("2000-01-01", "2025-07-04", 2),
                             "ead_c11_hr1": ("2025-07-04", None, 1),
                             "travel_document": ("2000-01-01", None, 2)}.get(
                                 r["code"], ("2000-01-01", None, 1))
                self.assertEqual((r["effective_from"], r["effective_to"], r["version"]),
                                 effective)
                self.assertEqual((r["ead_category"], r["cap_at_parole_end"]),
                                 ("c11", True) if r["code"].startswith("ead_c11")
                                 else (None, False))
                self.assertTrue(r["citation_source"].strip())
                self.assertRegex(r["citation_date"], r"^\d{4}-\d{2}-\d{2}$")
                self.assertTrue(r["lead_times"])
                self.assertTrue(all(isinstance(x, int) and x >= 0 for x in r["lead_times"]))
                self.assertEqual(len(set(r["lead_times"])), len(r["lead_times"]))
                self.assertTrue(r["description"].strip())
        page = self.get("/api/v1/deadline-rules?limit=4")
        self.assertStatus(page, 200)
        self.assertEqual(len(page.json["items"]), 4)
        self.assertIsNotNone(page.json["next_cursor"])
        self.assertProblem(self.get("/api/v1/deadline-rules?limit=0"), 400, "invalid-query",
                           field="limit")


class Rules(DeadlineCase):
    """The rules API, and rule edits showing at once in the deadlines."""

    def test_get_one_with_etag(self):
        rule = self.rule("noid_response")
        r = self.get("/api/v1/deadline-rules/%d" % rule["id"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json, rule)
        self.assertEqual(r.header("ETag"), '"%d"' % rule["version"])
        self.assertProblem(self.get("/api/v1/deadline-rules/987654"), 404, "not-found")
        self.assertProblem(self.patch("/api/v1/deadline-rules/987654", {"days": 3}), 404,
                           "not-found")

    def test_patch_with_if_match_and_stale_412(self):
        rule = self.rule("passport")
        path = "/api/v1/deadline-rules/%d" % rule["id"]
        self.addCleanup(self._restore_rule, rule["id"], {k: rule[k] for k in PATCHABLE})
        r = self.patch(path, {"days": 30, "lead_times": [90, 30, 7, 0], "enabled": True},
                       headers={"If-Match": '"%d"' % rule["version"]})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["days"], 30)
        self.assertEqual(r.json["lead_times"], [90, 30, 7, 0])
        self.assertTrue(r.json["enabled"])
        self.assertEqual(r.json["version"], rule["version"] + 1)
        self.assertEqual(r.header("ETag"), '"%d"' % (rule["version"] + 1))
        self.assertGreaterEqual(r.json["updated_at"], rule["updated_at"])
        for k in ("code", "kind", "program", "citation_source", "description", "created_at"):
            self.assertEqual(r.json[k], rule[k], k)
        self.assertEqual(self.get(path).json, r.json)
        # The old version is stale now.
        stale = self.patch(path, {"days": 45}, headers={"If-Match": '"%d"' % rule["version"]})
        self.assertProblem(stale, 412, "precondition-failed")
        self.assertEqual(self.get(path).json, r.json, "a 412 changes nothing")
        # The current one, or *, goes through.
        r2 = self.patch(path, {"enabled": False}, headers={"If-Match": "*"})
        self.assertStatus(r2, 200)
        self.assertFalse(r2.json["enabled"])
        self.assertEqual(r2.json["version"], rule["version"] + 2)

    def test_patch_validation_422_names_the_field(self):
        rule = self.rule("rfe_response")
        path = "/api/v1/deadline-rules/%d" % rule["id"]
        for body, field in (({"lead_times": [-1]}, "lead_times"),
                            ({"lead_times": [30, 7, 30]}, "lead_times"),
                            ({"lead_times": "30"}, "lead_times"),
                            ({"lead_times": [1.5]}, "lead_times"),
                            ({"days": 5000}, "days"),
                            ({"days": -1}, "days"),
                            ({"days": "84"}, "days"),
                            ({"mailed_extra_days": 31}, "mailed_extra_days"),
                            ({"enabled": "yes"}, "enabled"),
                            ({"effective_from": "2025-02-30"}, "effective_from"),
                            ({"effective_from": "2020-01-01", "effective_to": "2019-12-31"},
                             "effective_to"),
                            ({"effective_to": "1999-06-01"}, "effective_to"),
                            ({"citation_date": None}, "citation_date"),
                            ({"code": "other"}, "code"),
                            ({"kind": "motion"}, "kind"),
                            ({"program": "u4u"}, "program"),
                            ({"version": 9}, "version"),
                            ({"nonsense": 1}, "nonsense")):
            with self.subTest(body=body):
                r = self.patch(path, body, headers={"If-Match": '"%d"' % rule["version"]})
                self.assertProblem(r, 422, "validation")
                self.assertNamesField(r, field)
        r = self.patch(path, {"days": 5000, "lead_times": [-1]})
        self.assertProblem(r, 422, "validation")
        self.assertNamesField(r, "days", "lead_times")
        self.assertEqual(self.rule("rfe_response"), rule, "a refused PATCH changes nothing")

    def test_null_resets_defaults_or_is_refused(self):
        rule = self.rule("travel_document")
        path = "/api/v1/deadline-rules/%d" % rule["id"]
        self.patch_rule("travel_document", {"lead_times": [5, 2], "mailed_extra_days": 4})
        r = self.patch(path, {"lead_times": None, "mailed_extra_days": None})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["lead_times"], [180, 90, 60, 30, 14, 7, 1, 0])
        self.assertEqual(r.json["mailed_extra_days"], 0)
        for field in ("description", "enabled", "effective_from", "citation_source",
                      "citation_date"):
            with self.subTest(field=field):
                bad = self.patch(path, {field: None})
                self.assertProblem(bad, 422, "validation", field=field)
        # Clearing effective_to keeps the rule in force.
        self.patch_rule("travel_document", {"effective_to": "2100-01-01"})
        r = self.patch(path, {"effective_to": None})
        self.assertStatus(r, 200)
        self.assertIsNone(r.json["effective_to"])

    def test_patch_is_audited(self):
        rule = self.rule("noid_response")
        query = "/api/v1/audit-events?entity=deadline_rules&entity_id=%d" % rule["id"]
        mark = max([e["id"] for e in self.list_all(query)] or [0])
        self.patch_rule("noid_response", {"days": 28, "lead_times": [14, 7, 0]})
        events = [e for e in self.list_all(query) if e["id"] > mark]
        updates = [e for e in events if e["action"] == "update"]
        self.assertEqual(len(updates), 1, json.dumps(events)[:1500])
        e = updates[0]
        self.assertEqual(e["entity"], "deadline_rules")
        self.assertEqual(e["entity_id"], rule["id"])
        self.assertEqual(e["actor"]["type"], "user")
        self.assertEqual(e["actor"]["id"], self.server.admin_account.id)
        self.assertEqual(e["changes"]["days"], {"before": rule["days"], "after": 28})
        self.assertEqual(e["changes"]["lead_times"]["after"], [14, 7, 0])
        self.assertNotIn("description", e["changes"], "unchanged fields are not listed")
        listed = [x["id"] for x in self.list_all("/api/v1/audit-events?entity=deadline_rules")]
        self.assertIn(e["id"], listed)
        for other in self.list_all("/api/v1/audit-events?entity=deadline_rules"):
            self.assertEqual(other["entity"], "deadline_rules")
        # A refused PATCH appends nothing.
        self.assertStatus(self.patch("/api/v1/deadline-rules/%d" % rule["id"], {"days": 5000}),
                          422)
        self.assertEqual([x["id"] for x in self.list_all(query) if x["id"] > e["id"]
                          and x["action"] == "update"], [])

    def test_rule_edit_takes_effect_at_once(self):
        pr = self.filed()
        old = self.make_child(pr["id"], "rfes", issued_on=day(-20))
        self.assertEqual(self.one(pr["id"], "rfe_response")["due_on"], day(64))
        self.patch_rule("rfe_response", {"days": 60})
        fresh = self.make_child(pr["id"], "rfes", issued_on=day(-1))
        got = {d["source"]["id"]: d["due_on"] for d in self.of_kind(pr["id"], "rfe_response")}
        self.assertEqual(got[fresh["id"]], day(59))
        self.assertEqual(got[old["id"]], day(40),
                         "the PATCHed rule is in force on the old RFE's issue date too")
        self.patch_rule("rfe_response", {"mailed_extra_days": 5})
        mailed = self.make_child(pr["id"], "rfes", issued_on=day(-1), mailed=True)
        got = {d["source"]["id"]: d["due_on"] for d in self.of_kind(pr["id"], "rfe_response")}
        self.assertEqual(got[mailed["id"]], day(64))
        self.doCleanups()
        got = {d["source"]["id"]: d["due_on"] for d in self.of_kind(pr["id"], "rfe_response")}
        self.assertEqual(got[fresh["id"]], day(83), "restored rule: 84 days again")
        self.assertEqual(got[mailed["id"]], day(86))

    def test_effective_window_decides_which_events_a_rule_covers(self):
        # noid_response in force only until 5 days ago: a NOID issued before keeps its
        # deadline, one issued since has no rule in force (and so no deadline).
        pr = self.filed()
        before = self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-10))
        after = self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-2))
        self.patch_rule("noid_response", {"effective_to": day(-5)})
        got = {d["source"]["id"]: d for d in self.of_kind(pr["id"], "noid_response")}
        self.assertEqual(set(got), {before["id"]})
        self.assertEqual(got[before["id"]]["due_on"], day(20))
        self.doCleanups()
        got = {d["source"]["id"] for d in self.of_kind(pr["id"], "noid_response")}
        self.assertEqual(got, {before["id"], after["id"]})

    def test_motion_deadline_once_the_rule_is_enabled(self):
        pr = self.filed()
        plain = self.make_child(pr["id"], "decisions", decided_on=day(-10), outcome="denied")
        pr2 = self.filed()
        mailed = self.make_child(pr2["id"], "decisions", decided_on=day(-10), outcome="denied",
                                 mailed=True)
        self.assertEqual(self.of_kind(pr["id"], "motion"), [])
        rule = self.patch_rule("motion_i290b", {"enabled": True})
        self.assertTrue(rule["enabled"])
        d = self.one(pr["id"], "motion")
        self.assertDeadline(d, "motion", day(20), "upcoming", "motion_i290b",
                            ("decisions", plain["id"]), pr=pr)
        self.assertEqual(d["rule"]["id"], rule["id"])
        self.assertEqual(d["rule"]["citation_source"], rule["citation_source"])
        self.assertEqual(d["rule"]["citation_date"], rule["citation_date"])
        self.assertDeadline(self.one(pr2["id"], "motion"), "motion", day(23), "upcoming",
                            "motion_i290b", ("decisions", mailed["id"]))
        # A motion outlives the denial: it shows in the firm-wide list too.
        listed = {d["parole_request_id"] for d in self.listed("?kind=motion")}
        self.assertEqual(listed & {pr["id"], pr2["id"]}, {pr["id"], pr2["id"]})
        # No motion after an approval.
        pr3, _ = self.approved()
        self.assertEqual(self.of_kind(pr3["id"], "motion"), [])
        self.doCleanups()
        self.assertEqual(self.of_kind(pr["id"], "motion"), [])

    def test_disabled_rule_makes_no_deadline(self):
        pr = self.filed()
        self.make_child(pr["id"], "expirations", kind="passport", expires_on=day(40))
        self.make_child(pr["id"], "rfes", issued_on=day(-3))
        self.assertEqual(len(self.of_kind(pr["id"], "passport_expiry")), 1)
        self.patch_rule("passport", {"enabled": False})
        self.assertEqual([d["kind"] for d in self.of_request(pr["id"])], ["rfe_response"])
        self.doCleanups()
        self.assertEqual(len(self.of_kind(pr["id"], "passport_expiry")), 1)

    def test_reparole_rule_edit_moves_the_window(self):
        pr, _ = self.approved(parole_type="program", program="u4u")
        self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(300))
        d = self.one(pr["id"], "reparole_filing")
        self.assertEqual((d["opens_on"], d["due_on"]), (day(120), day(210)))
        self.patch_rule("reparole_u4u", {"opens_days_before": 150, "days": 60})
        d = self.one(pr["id"], "reparole_filing")
        self.assertEqual((d["opens_on"], d["due_on"]), (day(150), day(240)))
        # Disabling the program's rule falls back to the general one.
        self.patch_rule("reparole_u4u", {"enabled": False})
        d = self.one(pr["id"], "reparole_filing")
        self.assertEqual(d["rule"]["code"], "reparole_general")
        self.assertEqual((d["opens_on"], d["due_on"]), (None, day(210)))


if __name__ == "__main__":
    unittest.main()


class Unguarded(ApiTestCase):
    """GET /api/v1/parole-requests?unguarded=true: open requests that nothing protects."""

    def unguarded_ids(self, limit=200):
        return {x["id"] for x in self.list_all("/api/v1/parole-requests?unguarded=true",
                                               limit=limit)}

    def test_which_requests_are_unguarded(self):
        draft = self.make_request()
        stale_filing = self.make_request()
        self.make_child(stale_filing["id"], "filings", filed_on=day(-40), receipt_number=None)
        fresh_filing = self.make_request()
        self.make_child(fresh_filing["id"], "filings", filed_on=day(-5), receipt_number=None)
        guarded = self.make_request()
        self.make_child(guarded["id"], "filings", filed_on=day(-60))
        self.make_child(guarded["id"], "rfes", issued_on=day(-3))
        approved_no_end = self.make_request(location="outside_us")
        self.make_child(approved_no_end["id"], "filings", filed_on=day(-100))
        self.make_child(approved_no_end["id"], "decisions", decided_on=day(-10),
                        outcome="approved")
        paroled = self.make_request()
        self.make_child(paroled["id"], "filings", filed_on=day(-200))
        self.make_child(paroled["id"], "decisions", decided_on=day(-150), outcome="approved")
        self.make_child(paroled["id"], "expirations", kind="i94", expires_on=day(300))
        denied = self.make_request()
        self.make_child(denied["id"], "filings", filed_on=day(-90))
        self.make_child(denied["id"], "decisions", decided_on=day(-1), outcome="denied")

        ids = self.unguarded_ids()
        self.assertIn(draft["id"], ids, "no deadline at all")
        self.assertIn(stale_filing["id"], ids, "filed 40 days ago, no receipt number")
        self.assertIn(approved_no_end["id"], ids, "approved with no parole or I-94 end")
        self.assertNotIn(guarded["id"], ids, "an RFE response is due ahead")
        self.assertNotIn(paroled["id"], ids, "the parole end lies ahead")
        self.assertNotIn(denied["id"], ids, "not open")
        # Small pages walk to the same set.
        self.assertEqual(self.unguarded_ids(limit=1), ids)
        # An RFE response due ahead protects it.
        self.make_child(stale_filing["id"], "rfes", issued_on=day(-1))
        self.assertNotIn(stale_filing["id"], self.unguarded_ids())

    def test_unguarded_values(self):
        r = self.get("/api/v1/parole-requests?unguarded=maybe")
        self.assertProblem(r, 400, "invalid-query", field="unguarded")
        everyone = {x["id"] for x in self.list_all("/api/v1/parole-requests")}
        self.assertEqual({x["id"] for x in self.list_all(
            "/api/v1/parole-requests?unguarded=false")}, everyone)
