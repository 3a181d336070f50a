"""Stage derivation (contract "Stage"), evaluated against today in the firm's time zone.

Every test builds its own request and checks both GET's stage and that the list's stage filter
agrees with it.
"""

import datetime
import unittest

from harness import ApiTestCase, day, instant, unique_receipt

STAGES = ("draft", "filed", "receipted", "interview_scheduled", "rfe_open", "approved",
          "paroled", "expired", "denied", "withdrawn", "closed", "terminated")

FILED = day(-200)  # the request's first filing, well before any decision below


class StageBase(ApiTestCase):

    def assertStage(self, pr_id, expected):
        got = self.stage_of(pr_id)
        self.assertEqual(got, expected, "stage of request %d" % pr_id)
        # The list filter agrees with GET: in the expected stage's list, in no other.
        pr = self.get("/api/v1/parole-requests/%d" % pr_id).json
        for stage in STAGES:
            ids = [p["id"] for p in self.list_all(
                "/api/v1/parole-requests?client_id=%d&stage=%s" % (pr["client_id"], stage))]
            if stage == expected:
                self.assertIn(pr_id, ids, "stage=%s filter misses request %d" % (stage, pr_id))
            else:
                self.assertNotIn(pr_id, ids, "stage=%s filter lists request %d whose stage is "
                                 "%s" % (stage, pr_id, expected))
        # The stage shown in list items is the same too.
        items = self.list_all("/api/v1/parole-requests?client_id=%d" % pr["client_id"])
        self.assertEqual({p["id"]: p["stage"] for p in items}[pr_id], expected)

    def filed_request(self, receipt=True):
        pr = self.make_request()
        fields = {"filed_on": FILED}
        if receipt:
            fields["receipt_number"] = unique_receipt()
        self.make_child(pr["id"], "filings", **fields)
        return pr

    def approved(self, pr_id, decided_on=None):
        return self.make_child(pr_id, "decisions", decided_on=decided_on or day(-30),
                               outcome="approved")


class Stage(StageBase):

    # ---- rules 4..6 --------------------------------------------------------------------------

    def test_draft(self):
        pr = self.make_request()
        self.assertEqual(pr["stage"], "draft")
        self.assertStage(pr["id"], "draft")

    def test_filed(self):
        pr = self.filed_request(receipt=False)
        self.assertStage(pr["id"], "filed")

    def test_receipted(self):
        pr = self.filed_request()
        self.assertStage(pr["id"], "receipted")

    def test_receipt_on_a_later_filing_counts(self):
        pr = self.filed_request(receipt=False)
        self.make_child(pr["id"], "filings", kind="expedite_request", filed_on=day(-100),
                        receipt_number=unique_receipt())
        self.assertStage(pr["id"], "receipted")

    def test_patching_receipt_number_moves_stage(self):
        pr = self.make_request()
        f = self.make_child(pr["id"], "filings", filed_on=FILED)
        self.assertStage(pr["id"], "filed")
        path = "/api/v1/parole-requests/%d/filings/%d" % (pr["id"], f["id"])
        self.assertStatus(self.patch(path, {"receipt_number": unique_receipt()}), 200)
        self.assertStage(pr["id"], "receipted")
        self.assertStatus(self.patch(path, {"receipt_number": None}), 200)
        self.assertStage(pr["id"], "filed")
        self.assertStatus(self.delete(path), 204)
        self.assertStage(pr["id"], "draft")

    # ---- rule 3 ------------------------------------------------------------------------------

    def test_future_interview(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
        self.assertStage(pr["id"], "interview_scheduled")

    def test_future_biometrics(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "interviews", kind="biometrics", scheduled_at=instant(3600))
        self.assertStage(pr["id"], "interview_scheduled")

    def test_future_interview_without_filing(self):
        pr = self.make_request()
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
        self.assertStage(pr["id"], "interview_scheduled")

    def test_past_scheduled_interview_does_not_count(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(-3600))
        self.assertStage(pr["id"], "receipted")

    def test_future_interview_not_scheduled_does_not_count(self):
        for outcome in ("completed", "missed", "cancelled"):
            with self.subTest(outcome=outcome):
                pr = self.filed_request()
                self.make_child(pr["id"], "interviews", kind="interview",
                                scheduled_at=instant(86400), outcome=outcome)
                self.assertStage(pr["id"], "receipted")

    def test_future_instant_with_other_offset(self):
        # In the future as an instant, whatever offset it is written with.
        pr = self.filed_request()
        t = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=3))
        ts = t.astimezone(datetime.timezone(datetime.timedelta(hours=-10))).replace(
            microsecond=0).isoformat()
        self.make_child(pr["id"], "interviews", kind="biometrics", scheduled_at=ts)
        self.assertStage(pr["id"], "interview_scheduled")
        pr2 = self.filed_request()
        t = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=3))
        ts = t.astimezone(datetime.timezone(datetime.timedelta(hours=12))).replace(
            microsecond=0).isoformat()
        self.make_child(pr2["id"], "interviews", kind="biometrics", scheduled_at=ts)
        self.assertStage(pr2["id"], "receipted")

    # ---- rule 2 ------------------------------------------------------------------------------

    def test_open_rfe(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "rfes", issued_on=day(-10))
        self.assertStage(pr["id"], "rfe_open")

    def test_open_noid(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-10))
        self.assertStage(pr["id"], "rfe_open")

    def test_open_rfe_beats_future_interview(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
        rfe = self.make_child(pr["id"], "rfes", issued_on=day(-10))
        self.assertStage(pr["id"], "rfe_open")
        # Responding closes it; the interview is next.
        path = "/api/v1/parole-requests/%d/rfes/%d" % (pr["id"], rfe["id"])
        self.assertStatus(self.patch(path, {"responded_on": day(-1)}), 200)
        self.assertStage(pr["id"], "interview_scheduled")
        # Clearing the response reopens it.
        self.assertStatus(self.patch(path, {"responded_on": None}), 200)
        self.assertStage(pr["id"], "rfe_open")

    def test_responded_rfe_does_not_count(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "rfes", issued_on=day(-40), responded_on=day(-5))
        self.assertStage(pr["id"], "receipted")

    def test_open_rfe_past_due_is_still_open(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "rfes", issued_on=day(-100), response_due_on=day(-16))
        self.assertStage(pr["id"], "rfe_open")

    # ---- rule 1 ------------------------------------------------------------------------------

    def test_approved_without_expirations(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        self.assertStage(pr["id"], "approved")

    def test_decision_beats_open_rfe_and_interview(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "rfes", issued_on=day(-60))
        self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
        self.make_child(pr["id"], "decisions", decided_on=day(-1), outcome="denied")
        self.assertStage(pr["id"], "denied")

    def test_each_outcome(self):
        for outcome, stage in (("denied", "denied"), ("withdrawn", "withdrawn"),
                               ("administratively_closed", "closed"),
                               ("terminated", "terminated")):
            with self.subTest(outcome=outcome):
                pr = self.filed_request()
                self.make_child(pr["id"], "decisions", decided_on=day(-3), outcome=outcome)
                self.assertStage(pr["id"], stage)

    def test_parole_expiring_today_is_paroled(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(0))
        self.assertStage(pr["id"], "paroled")

    def test_parole_expired_yesterday_is_expired(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(-1))
        self.assertStage(pr["id"], "expired")

    def test_i94_in_future_is_paroled(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(+365))
        self.assertStage(pr["id"], "paroled")

    def test_i94_expired_yesterday_is_expired(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(-1))
        self.assertStage(pr["id"], "expired")

    def test_any_current_parole_or_i94_is_paroled(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(-400))
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(-2))
        self.assertStage(pr["id"], "expired")
        self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(0))
        self.assertStage(pr["id"], "paroled")

    def test_other_expiry_kinds_do_not_count(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        for kind, offset in (("ead", 200), ("travel_document", 30), ("passport", -5),
                             ("other", 10)):
            self.make_child(pr["id"], "expirations", kind=kind, expires_on=day(offset))
        self.assertStage(pr["id"], "approved")

    def test_expirations_without_approval_do_not_count(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(+30))
        self.assertStage(pr["id"], "receipted")
        pr2 = self.filed_request()
        self.make_child(pr2["id"], "decisions", decided_on=day(-2), outcome="denied")
        self.make_child(pr2["id"], "expirations", kind="i94", expires_on=day(+30))
        self.assertStage(pr2["id"], "denied")

    def test_latest_decision_by_decided_on(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "decisions", decided_on=day(-10), outcome="approved")
        # Created later but decided earlier: not the latest.
        self.make_child(pr["id"], "decisions", decided_on=day(-20), outcome="denied")
        self.assertStage(pr["id"], "approved")
        self.make_child(pr["id"], "decisions", decided_on=day(-5), outcome="terminated")
        self.assertStage(pr["id"], "terminated")

    def test_latest_decision_ties_broken_by_id(self):
        pr = self.filed_request()
        self.make_child(pr["id"], "decisions", decided_on=day(-10), outcome="denied")
        second = self.make_child(pr["id"], "decisions", decided_on=day(-10),
                                 outcome="withdrawn")
        self.assertStage(pr["id"], "withdrawn")
        self.assertStatus(self.delete("/api/v1/parole-requests/%d/decisions/%d"
                                      % (pr["id"], second["id"])), 204)
        self.assertStage(pr["id"], "denied")

    def test_patching_decision_outcome_moves_stage(self):
        pr = self.filed_request()
        d = self.approved(pr["id"])
        self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(+1))
        self.assertStage(pr["id"], "paroled")
        path = "/api/v1/parole-requests/%d/decisions/%d" % (pr["id"], d["id"])
        self.assertStatus(self.patch(path, {"outcome": "terminated"}), 200)
        self.assertStage(pr["id"], "terminated")
        self.assertStatus(self.delete(path), 204)
        self.assertStage(pr["id"], "receipted")

    def test_patching_expiry_moves_between_paroled_and_expired(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        e = self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(0))
        self.assertStage(pr["id"], "paroled")
        path = "/api/v1/parole-requests/%d/expirations/%d" % (pr["id"], e["id"])
        self.assertStatus(self.patch(path, {"expires_on": day(-1)}), 200)
        self.assertStage(pr["id"], "expired")
        self.assertStatus(self.patch(path, {"kind": "ead"}), 200)
        self.assertStage(pr["id"], "approved")

    def test_stage_is_read_only(self):
        pr = self.make_request()
        r = self.patch("/api/v1/parole-requests/%d" % pr["id"], {"stage": "paroled"})
        self.assertProblem(r, 422, "validation", field="stage")
        self.assertStage(pr["id"], "draft")

    def test_stage_in_patch_and_create_responses(self):
        pr = self.filed_request()
        self.approved(pr["id"])
        self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(+10))
        r = self.patch("/api/v1/parole-requests/%d" % pr["id"], {"summary": "x"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["stage"], "paroled")


class StageListPages(StageBase):
    """?stage=S alone reads the stage's classes from their own index ranges; its pages, at every
    size, are exactly the requests the unfiltered list shows in stage S, in id order."""

    def test_stage_pages_match_the_unfiltered_list(self):
        for _ in range(2):
            self.make_request()                                   # draft
            self.filed_request(receipt=False)                     # filed
            self.filed_request()                                  # receipted
            pr = self.make_request()                              # an interview ahead: draft
            self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
            pr = self.filed_request(receipt=False)                # ...and filed
            self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
            pr = self.filed_request()                             # ...and receipted
            self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(86400))
            pr = self.filed_request(receipt=False)                # an interview passed: filed
            self.make_child(pr["id"], "interviews", kind="interview", scheduled_at=instant(-3600))
            pr = self.filed_request()                             # rfe_open
            self.make_child(pr["id"], "rfes", issued_on=day(-10))
            pr = self.filed_request()                             # approved
            self.approved(pr["id"])
            pr = self.filed_request()                             # paroled
            self.approved(pr["id"])
            self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(30))
            pr = self.filed_request()                             # expired
            self.approved(pr["id"])
            self.make_child(pr["id"], "expirations", kind="parole", expires_on=day(-1))
            pr = self.filed_request()                             # denied
            self.make_child(pr["id"], "decisions", decided_on=day(-3), outcome="denied")
        everything = self.list_all("/api/v1/parole-requests")
        for stage in STAGES:
            expected = [p["id"] for p in everything if p["stage"] == stage]
            for limit in (1, 2, 50):
                with self.subTest(stage=stage, limit=limit):
                    got = self.list_all("/api/v1/parole-requests?stage=" + stage, limit=limit)
                    self.assertEqual([p["id"] for p in got], expected)
                    self.assertEqual({p["stage"] for p in got}, {stage} if expected else set())
        seen = {p["stage"] for p in everything}
        self.assertLessEqual({"draft", "filed", "receipted", "interview_scheduled", "rfe_open",
                              "approved", "paroled", "expired", "denied"}, seen)


class StageTimeZoneEast(StageBase):
    """The firm's 'today' is taken in the configured zone, not UTC nor the system's.

    Pacific/Kiritimati is UTC+14 and Pacific/Pago_Pago UTC-11: their dates always differ, so
    whichever zone the server uses instead of the configured one, one of these tests fails.
    """

    timezone = "Pacific/Kiritimati"
    other = "Pacific/Pago_Pago"

    def test_expiry_today_in_firm_zone_is_paroled(self):
        pr = self.filed_request()
        self.approved(pr["id"], decided_on=day(-30, tz=self.timezone))
        self.make_child(pr["id"], "expirations", kind="parole",
                        expires_on=day(0, tz=self.timezone))
        self.assertStage(pr["id"], "paroled")

    def test_expiry_today_in_other_zone_is_not(self):
        firm, other = day(0, tz=self.timezone), day(0, tz=self.other)
        self.assertNotEqual(firm, other)
        pr = self.filed_request()
        self.approved(pr["id"], decided_on=day(-30, tz=self.timezone))
        self.make_child(pr["id"], "expirations", kind="parole", expires_on=other)
        self.assertStage(pr["id"], "paroled" if other > firm else "expired")


class StageTimeZoneWest(StageTimeZoneEast):
    timezone = "Pacific/Pago_Pago"
    other = "Pacific/Kiritimati"


if __name__ == "__main__":
    unittest.main()
