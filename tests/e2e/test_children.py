"""Children of a parole request: filings, rfes, interviews, decisions, expirations, fee
notices."""

import unittest

from harness import (NARRATIVES, VALID_CHILD, ApiTestCase, assert_record_shape, day, listed,
                     unique_receipt)

# (minimal body, defaults expected on create, full body, a patch)
SPECS = {
    "filings": (
        VALID_CHILD["filings"],
        {"kind": "initial", "receipt_number": None, "receipt_notice_on": None,
         "fee_cents": None, "method": None, "notes": None, "warnings": []},
        {"form": "I-131", "filed_on": "2025-01-10", "kind": "re_parole",
         "receipt_notice_on": "2025-01-24", "fee_cents": 63000, "method": "online",
         "notes": "Filed online; fee paid by card."},
        {"method": "mail", "fee_cents": 0, "notes": None},
    ),
    "rfes": (
        VALID_CHILD["rfes"],
        {"kind": "rfe", "response_due_on": None, "mailed": False, "responded_on": None,
         "summary": None},
        {"issued_on": "2025-03-01", "kind": "noid", "response_due_on": "2025-04-03",
         "mailed": True, "responded_on": "2025-03-28", "summary": "Proof of sponsor income."},
        {"responded_on": "2025-03-01", "summary": None, "mailed": True},
    ),
    "interviews": (
        VALID_CHILD["interviews"],
        {"location": None, "outcome": "scheduled", "notes": None},
        {"kind": "biometrics", "scheduled_at": "2030-05-01T08:30:00-04:00",
         "location": "USCIS ASC, 1 Federal Plaza", "outcome": "rescheduled",
         "notes": "Bring passport."},
        {"outcome": "completed", "location": "Newark Field Office",
         "scheduled_at": "2030-05-02T14:00:00Z"},
    ),
    "decisions": (
        VALID_CHILD["decisions"],
        {"valid_from": None, "valid_until": None, "mailed": False, "notes": None},
        {"decided_on": "2025-06-01", "outcome": "approved", "valid_from": "2025-06-15",
         "valid_until": "2027-06-14", "mailed": True, "notes": "Two-year parole."},
        {"outcome": "denied", "valid_from": None, "mailed": True},
    ),
    "expirations": (
        VALID_CHILD["expirations"],
        {"document_number": None, "notes": None},
        {"kind": "i94", "expires_on": "2027-06-14", "document_number": "12345678901",
         "notes": "Admit-until date on the I-94."},
        {"expires_on": "2027-12-31", "document_number": "987654321A1", "notes": None},
    ),
    "fee-notices": (
        VALID_CHILD["fee-notices"],
        {"form": None, "paid_on": None, "notes": None},
        {"kind": "filing_fee", "form": "I-131", "amount_cents": 63000, "issued_on": "2025-10-01",
         "due_on": "2025-10-31", "paid_on": "2025-10-20", "notes": "Paid by card."},
        {"paid_on": "2025-11-15", "notes": None},
    ),
}


class ChildMixin:
    child = None

    def base(self, pr_id):
        return "/api/v1/parole-requests/%d/%s" % (pr_id, self.child)

    def test_create_minimal_defaults(self):
        minimal, defaults, _, _ = SPECS[self.child]
        pr = self.make_request()
        r = self.post(self.base(pr["id"]), minimal)
        self.assertStatus(r, 201)
        rec = r.json
        assert_record_shape(self, self.child, rec)
        self.assertEqual(rec["parole_request_id"], pr["id"])
        for k, v in minimal.items():
            self.assertEqual(rec[k], v, k)
        for k, v in defaults.items():
            self.assertEqual(rec[k], v, k)
        self.assertEqual(rec["version"], 1)
        self.assertEqual(r.header("Location"), "%s/%d" % (self.base(pr["id"]), rec["id"]))
        self.assertEqual(r.header("ETag"), '"1"')

    def test_create_full_get_and_list(self):
        _, _, full, _ = SPECS[self.child]
        pr = self.make_request()
        body = dict(full)
        if self.child == "filings":
            body["receipt_number"] = unique_receipt("IOE")
        r = self.post(self.base(pr["id"]), body)
        self.assertStatus(r, 201)
        for k, v in body.items():
            self.assertEqual(r.json[k], v, k)
        g = self.get("%s/%d" % (self.base(pr["id"]), r.json["id"]))
        self.assertStatus(g, 200)
        self.assertEqual(g.json, r.json)
        self.assertEqual(g.header("ETag"), '"1"')
        lst = self.get(self.base(pr["id"]))
        self.assertStatus(lst, 200)
        self.assertEqual(lst.json, {"items": [listed(self.child, r.json)], "next_cursor": None})
        full_list = self.get(self.base(pr["id"]) + "?include=notes")
        self.assertStatus(full_list, 200)
        with_notes = dict(listed(self.child, r.json), **{k: v for k, v in r.json.items()
                                                         if k == NARRATIVES[self.child]})
        self.assertEqual(full_list.json, {"items": [with_notes], "next_cursor": None})

    def test_list_only_own_children_in_id_order(self):
        pr, other = self.make_request(), self.make_request()
        a = self.make_child(pr["id"], self.child)
        self.make_child(other["id"], self.child)
        b = self.make_child(pr["id"], self.child)
        items = self.list_all(self.base(pr["id"]))
        self.assertEqual([c["id"] for c in items], [a["id"], b["id"]])
        for item in items:
            self.assertEqual(item["parole_request_id"], pr["id"])

    def test_empty_list(self):
        pr = self.make_request()
        r = self.get(self.base(pr["id"]))
        self.assertStatus(r, 200)
        self.assertEqual(r.json, {"items": [], "next_cursor": None})

    def test_patch(self):
        _, _, full, patch = SPECS[self.child]
        pr = self.make_request()
        body = dict(full)
        if self.child == "filings":
            body["receipt_number"] = unique_receipt("IOE")
        rec = self.create(self.base(pr["id"]), body)
        path = "%s/%d" % (self.base(pr["id"]), rec["id"])
        r = self.patch(path, patch)
        self.assertStatus(r, 200)
        for k, v in patch.items():
            self.assertEqual(r.json[k], v, k)
        for k in body:
            if k not in patch:
                self.assertEqual(r.json[k], rec[k], k)
        self.assertEqual(r.json["version"], 2)
        self.assertEqual(r.header("ETag"), '"2"')
        self.assertEqual(r.json["parole_request_id"], pr["id"])
        self.assertEqual(self.get(path).json, r.json)

    def test_delete(self):
        pr = self.make_request()
        rec = self.make_child(pr["id"], self.child)
        path = "%s/%d" % (self.base(pr["id"]), rec["id"])
        r = self.delete(path)
        self.assertStatus(r, 204)
        self.assertEqual(r.raw, b"")
        self.assertProblem(self.get(path), 404, "not-found")
        self.assertProblem(self.delete(path), 404, "not-found")
        self.assertEqual(self.get(self.base(pr["id"])).json["items"], [])

    def test_unknown_parent(self):
        minimal = SPECS[self.child][0]
        self.assertProblem(self.get(self.base(987654321)), 404, "not-found")
        self.assertProblem(self.post(self.base(987654321), minimal), 404, "not-found")
        self.assertProblem(self.get(self.base(987654321) + "/1"), 404, "not-found")

    def test_child_under_wrong_parent_is_404(self):
        pr, other = self.make_request(), self.make_request()
        rec = self.make_child(pr["id"], self.child)
        wrong = "%s/%d" % (self.base(other["id"]), rec["id"])
        right = "%s/%d" % (self.base(pr["id"]), rec["id"])
        before = self.get(right).raw
        self.assertProblem(self.get(wrong), 404, "not-found")
        self.assertProblem(self.patch(wrong, {"notes": "x"} if self.child != "rfes"
                                      else {"summary": "x"}), 404, "not-found")
        self.assertProblem(self.delete(wrong), 404, "not-found")
        self.assertEqual(self.get(right).raw, before)

    def test_unknown_child_id(self):
        pr = self.make_request()
        self.assertProblem(self.get(self.base(pr["id"]) + "/987654321"), 404, "not-found")
        self.assertProblem(self.patch(self.base(pr["id"]) + "/987654321", {}), 404,
                           "not-found")

    def test_parent_unchanged_by_child_writes_except_stage(self):
        # Child writes never touch the parent's own fields.
        pr = self.make_request(summary="S")
        self.make_child(pr["id"], self.child)
        g = self.get("/api/v1/parole-requests/%d" % pr["id"]).json
        for k in ("client_id", "parole_type", "summary", "expedite", "created_at"):
            self.assertEqual(g[k], pr[k], k)


class NullResetsDefaults(ApiTestCase):
    """PATCH null on a field with a default puts the default back."""

    def test_defaults_restored(self):
        pr = self.make_request(expedite=True)
        p = "/api/v1/parole-requests/%d" % pr["id"]
        r = self.patch(p, {"expedite": None})
        self.assertStatus(r, 200)
        self.assertIs(r.json["expedite"], False)
        cases = [
            ("filings", {"kind": "motion"}, "kind", "initial"),
            ("rfes", {"kind": "noid"}, "kind", "rfe"),
            ("rfes", {"mailed": True}, "mailed", False),
            ("interviews", {"outcome": "missed"}, "outcome", "scheduled"),
            ("decisions", {"mailed": True}, "mailed", False),
        ]
        for child, fields, key, default in cases:
            with self.subTest(child=child, field=key):
                rec = self.make_child(pr["id"], child, **fields)
                r = self.patch("%s/%s/%d" % (p, child, rec["id"]), {key: None})
                self.assertStatus(r, 200)
                self.assertEqual(r.json[key], default)
                self.assertEqual(r.json["version"], 2)


class Filings(ChildMixin, ApiTestCase):
    child = "filings"

    def test_every_form_and_kind(self):
        pr = self.make_request()
        for form in ("I-131", "I-131F", "I-134", "I-134A", "I-765", "I-290B", "other"):
            self.assertEqual(self.make_child(pr["id"], "filings", form=form)["form"], form)
        for kind in ("initial", "re_parole", "expedite_request", "rfe_response", "motion",
                     "other"):
            self.assertEqual(self.make_child(pr["id"], "filings", kind=kind)["kind"], kind)

    def test_receipt_number_normalised(self):
        pr = self.make_request()
        rn = unique_receipt("IOE")
        messy = " %s-%s %s " % (rn[:3].lower(), rn[3:7], rn[7:])
        rec = self.make_child(pr["id"], "filings", receipt_number=messy)
        self.assertEqual(rec["receipt_number"], rn)
        self.assertEqual(rec["warnings"], [])

    def test_known_prefixes_have_no_warning(self):
        pr = self.make_request()
        for prefix in ("EAC", "VSC", "WAC", "CSC", "LIN", "NSC", "SRC", "TSC", "MSC", "NBC",
                       "IOE", "YSC"):
            rec = self.make_child(pr["id"], "filings", receipt_number=unique_receipt(prefix))
            self.assertEqual(rec["warnings"], [], prefix)

    def test_unknown_prefix_is_a_warning(self):
        pr = self.make_request()
        rn = unique_receipt("ZZZ")
        r = self.post(self.base(pr["id"]), {"form": "I-131", "filed_on": "2025-01-10",
                                            "receipt_number": rn})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["receipt_number"], rn)
        self.assertEqual([w["field"] for w in r.json["warnings"]], ["receipt_number"])
        self.assertTrue(r.json["warnings"][0]["message"])
        self.assertEqual(self.get(r.header("Location")).json["warnings"], r.json["warnings"])
        # Fixing the prefix clears the warning.
        p = self.patch(r.header("Location"), {"receipt_number": unique_receipt("IOE")})
        self.assertStatus(p, 200)
        self.assertEqual(p.json["warnings"], [])

    def test_duplicate_receipt_number_409(self):
        pr, other = self.make_request(), self.make_request()
        rn = unique_receipt()
        self.make_child(pr["id"], "filings", receipt_number=rn)
        before = self.get(self.base(other["id"])).raw
        r = self.post(self.base(other["id"]), {"form": "I-765", "filed_on": "2025-02-01",
                                               "receipt_number": rn.lower()})
        self.assertProblem(r, 409, "conflict", field="receipt_number")
        # Same request, other filing: also a conflict.
        r = self.post(self.base(pr["id"]), {"form": "I-765", "filed_on": "2025-02-01",
                                            "receipt_number": rn})
        self.assertProblem(r, 409, "conflict", field="receipt_number")
        self.assertEqual(self.get(self.base(other["id"])).raw, before)

    def test_patch_own_receipt_number_again_is_fine(self):
        pr = self.make_request()
        rn = unique_receipt()
        rec = self.make_child(pr["id"], "filings", receipt_number=rn)
        r = self.patch("%s/%d" % (self.base(pr["id"]), rec["id"]), {"receipt_number": rn})
        self.assertStatus(r, 200)

    def test_receipt_number_reusable_after_delete_or_clear(self):
        pr = self.make_request()
        rn = unique_receipt()
        a = self.make_child(pr["id"], "filings", receipt_number=rn)
        self.assertStatus(self.patch("%s/%d" % (self.base(pr["id"]), a["id"]),
                                     {"receipt_number": None}), 200)
        b = self.make_child(pr["id"], "filings", receipt_number=rn)
        self.assertStatus(self.delete("%s/%d" % (self.base(pr["id"]), b["id"])), 204)
        self.make_child(pr["id"], "filings", receipt_number=rn)

    def test_fee_bounds_and_same_day_receipt(self):
        pr = self.make_request()
        self.assertEqual(self.make_child(pr["id"], "filings", fee_cents=0)["fee_cents"], 0)
        self.assertEqual(self.make_child(pr["id"], "filings", fee_cents=100000000)["fee_cents"],
                         100000000)
        rec = self.make_child(pr["id"], "filings", filed_on="2025-03-03",
                              receipt_notice_on="2025-03-03")
        self.assertEqual(rec["receipt_notice_on"], "2025-03-03")


class FilingDeletesKeepDecisionOrder(ApiTestCase):
    """Deleting a filing must not leave a decision before the request's first filing."""

    def test_delete_that_would_leave_a_decision_first_is_409(self):
        pr = self.make_request()
        base = "/api/v1/parole-requests/%d" % pr["id"]
        first = self.make_child(pr["id"], "filings", filed_on="2025-01-10", receipt_number=None)
        later = self.make_child(pr["id"], "filings", filed_on="2025-03-01", receipt_number=None)
        self.make_child(pr["id"], "decisions", decided_on="2025-02-01", outcome="denied")
        before = self.get(base + "/filings").raw
        r = self.delete(base + "/filings/%d" % first["id"])
        self.assertProblem(r, 409, "conflict")
        self.assertEqual(self.get(base + "/filings").raw, before)
        # The later filing can go; so can the first once the decision is gone.
        self.assertStatus(self.delete(base + "/filings/%d" % later["id"]), 204)

    def test_create_in_missing_request_is_404_before_validation(self):
        r = self.post("/api/v1/parole-requests/999999/filings", {"form": "nope"})
        self.assertProblem(r, 404, "not-found")


class Rfes(ChildMixin, ApiTestCase):
    child = "rfes"

    def test_same_day_dates_accepted(self):
        pr = self.make_request()
        rec = self.make_child(pr["id"], "rfes", issued_on="2025-03-01",
                              response_due_on="2025-03-01", responded_on="2025-03-01")
        self.assertEqual(rec["responded_on"], "2025-03-01")

    def test_responded_after_due_date_is_allowed(self):
        # A late response is a fact to record, not an invalid one.
        pr = self.make_request()
        rec = self.make_child(pr["id"], "rfes", issued_on="2025-03-01",
                              response_due_on="2025-04-01", responded_on="2025-04-10")
        self.assertEqual(rec["responded_on"], "2025-04-10")


class Interviews(ChildMixin, ApiTestCase):
    child = "interviews"

    def test_scheduled_at_returned_as_given(self):
        pr = self.make_request()
        for ts in ("2030-05-01T10:00:00-04:00", "2030-05-01T14:00:00Z",
                   "2030-05-01T19:30:00+05:30", "2030-12-01T09:00:00-05:00"):
            with self.subTest(ts=ts):
                rec = self.make_child(pr["id"], "interviews", scheduled_at=ts)
                self.assertEqual(rec["scheduled_at"], ts)
                self.assertEqual(self.get("%s/%d" % (self.base(pr["id"]), rec["id"]))
                                 .json["scheduled_at"], ts)

    def test_every_outcome(self):
        pr = self.make_request()
        for outcome in ("scheduled", "completed", "rescheduled", "missed", "cancelled"):
            self.assertEqual(self.make_child(pr["id"], "interviews",
                                             outcome=outcome)["outcome"], outcome)


class Decisions(ChildMixin, ApiTestCase):
    child = "decisions"

    def test_every_outcome(self):
        pr = self.make_request()
        for outcome in ("approved", "denied", "withdrawn", "administratively_closed",
                        "terminated"):
            self.assertEqual(self.make_child(pr["id"], "decisions",
                                             outcome=outcome)["outcome"], outcome)

    def test_decided_on_against_earliest_filing(self):
        pr = self.make_request()
        self.make_child(pr["id"], "filings", filed_on="2025-03-01")
        self.make_child(pr["id"], "filings", filed_on="2025-02-01")  # the earliest
        ok = self.make_child(pr["id"], "decisions", decided_on="2025-02-01")
        self.assertEqual(ok["decided_on"], "2025-02-01")
        r = self.post(self.base(pr["id"]), {"decided_on": "2025-01-31", "outcome": "denied"})
        self.assertProblem(r, 422, "validation", field="decided_on")

    def test_no_filing_no_date_rule(self):
        pr = self.make_request()
        rec = self.make_child(pr["id"], "decisions", decided_on="1999-01-01")
        self.assertEqual(rec["decided_on"], "1999-01-01")

    def test_valid_range_same_day(self):
        pr = self.make_request()
        rec = self.make_child(pr["id"], "decisions", valid_from="2025-07-01",
                              valid_until="2025-07-01")
        self.assertEqual(rec["valid_until"], "2025-07-01")


class Expirations(ChildMixin, ApiTestCase):
    child = "expirations"

    def test_every_kind(self):
        pr = self.make_request()
        for kind in ("parole", "i94", "ead", "travel_document", "passport", "other"):
            self.assertEqual(self.make_child(pr["id"], "expirations", kind=kind)["kind"], kind)

    def test_document_number_normalised(self):
        pr = self.make_request()
        rec = self.make_child(pr["id"], "expirations", kind="ead",
                              document_number=" ioe-098 765 4321 ")
        self.assertEqual(rec["document_number"], "IOE0987654321")

    def test_past_expiry_accepted(self):
        pr = self.make_request()
        rec = self.make_child(pr["id"], "expirations", expires_on="2001-01-01")
        self.assertEqual(rec["expires_on"], "2001-01-01")


class FeeNotices(ChildMixin, ApiTestCase):
    child = "fee-notices"

    def path(self, pr):
        return "/api/v1/parole-requests/%d/fee-notices" % pr["id"]

    def test_the_schedule_proposes_the_amount_in_force_on_the_issue_date(self):
        pr = self.make_request()
        schedule = {r["code"]: r for r in self.list_all("/api/v1/fee-schedule")}
        self.assertEqual((schedule["parole_fee_hr1"]["amount_cents"],
                          schedule["parole_fee_hr1"]["effective_from"]), (100000, "2025-10-16"))
        self.assertIn("119-21", schedule["parole_fee_hr1"]["citation_source"])
        self.assertEqual((schedule["i131_2024"]["amount_cents"], schedule["i131_2024"]["form"]),
                         (63000, "I-131"))
        fee = self.make_child(pr["id"], "fee-notices", kind="parole_fee", amount_cents=None,
                              issued_on="2025-10-16", due_on="2025-11-15")
        self.assertEqual(fee["amount_cents"], 100000)
        i131 = self.make_child(pr["id"], "fee-notices", kind="filing_fee", form="I-131",
                               amount_cents=None, issued_on="2024-04-01", due_on="2024-05-01")
        self.assertEqual(i131["amount_cents"], 63000)
        typed = self.make_child(pr["id"], "fee-notices", kind="parole_fee", amount_cents=50000,
                                issued_on="2025-11-01", due_on="2025-12-01")
        self.assertEqual(typed["amount_cents"], 50000, "a typed amount is kept")
        # before the parole fee existed there is nothing to propose
        r = self.post(self.path(pr), {"kind": "parole_fee", "issued_on": "2025-10-15",
                                      "due_on": "2025-11-15"})
        self.assertProblem(r, 422, field="amount_cents")

    def test_an_admin_edits_the_schedule_and_a_new_notice_follows(self):
        """The fee schedule is rules as data: an admin adds a row (audited), and a notice
        issued from its date takes its amount; an edit needs If-Match; bad rows name the field;
        others read it but cannot change it."""
        pr = self.make_request()
        r = self.post("/api/v1/fee-schedule", {
            "code": "I-131 2027", "kind": "filing_fee", "form": "I-131", "amount_cents": 70000,
            "effective_from": day(-10), "citation_source": "Test fee rule",
            "citation_date": day(-30)})
        self.assertStatus(r, 201)
        row = r.json
        self.assertEqual((row["code"], row["version"]), ("i_131_2027", 1))
        self.assertEqual(r.header("Location"), "/api/v1/fee-schedule/%d" % row["id"])
        fee = self.make_child(pr["id"], "fee-notices", kind="filing_fee", form="I-131",
                              amount_cents=None, issued_on=day(-1), due_on=day(20))
        self.assertEqual(fee["amount_cents"], 70000)
        path = "/api/v1/fee-schedule/%d" % row["id"]
        self.assertStatus(self.patch(path, {"amount_cents": 71000},
                                     headers={"If-Match": '"9"'}), 412)
        p = self.patch(path, {"amount_cents": 71000}, headers={"If-Match": '"1"'})
        self.assertStatus(p, 200)
        self.assertEqual((p.json["amount_cents"], p.json["version"]), (71000, 2))
        events = self.list_all("/api/v1/audit-events?entity=fee_schedule&entity_id=%d"
                               % row["id"])
        self.assertEqual([e["action"] for e in events], ["create", "update"])
        self.assertEqual(events[1]["changes"]["amount_cents"], {"before": 70000, "after": 71000})
        for body, field in (({"code": "other"}, "code"),
                            ({"form": "I-131", "kind": "parole_fee"}, "form"),
                            ({"effective_to": day(-20)}, "effective_to"),
                            ({"amount_cents": -5}, "amount_cents")):
            self.assertProblem(self.patch(path, body), 422, field=field)
        self.assertEqual(self.get(path).json["version"], 2, "refused edits change nothing")
        viewer = self.session_as("viewer")
        self.assertStatus(self.get(path, auth=viewer), 200)
        self.assertStatus(self.patch(path, {"amount_cents": 1}, auth=viewer), 403)

    def test_order_and_form_checked(self):
        pr = self.make_request()
        for body, field in (({"due_on": "2025-10-31"}, "due_on"),
                            ({"paid_on": "2025-10-31"}, "paid_on"),
                            ({"form": "I-131"}, "form"),
                            ({"kind": "visa"}, "kind"),
                            ({"amount_cents": -1}, "amount_cents")):
            full = dict(VALID_CHILD["fee-notices"])
            full.update(body)
            self.assertProblem(self.post(self.path(pr), full), 422, field=field)
        self.assertEqual(self.list_all(self.path(pr)), [])

    def test_an_unpaid_notice_is_a_deadline_until_paid(self):
        pr = self.make_request()
        fee = self.make_child(pr["id"], "fee-notices", kind="parole_fee", amount_cents=100000,
                              issued_on=day(-20), due_on=day(10))
        ds = [d for d in self.list_all("/api/v1/parole-requests/%d/deadlines" % pr["id"])
              if d["kind"] == "fee_payment"]
        self.assertEqual([(d["due_on"], d["status"], d["source"]) for d in ds],
                         [(day(10), "upcoming", {"resource": "fee_notices", "id": fee["id"]})])
        self.assertEqual(ds[0]["rule"]["code"], "fee_payment")
        # it outlives a denial
        self.make_child(pr["id"], "filings", filed_on=day(-100))
        self.make_child(pr["id"], "decisions", decided_on=day(-1), outcome="denied")
        listed_ids = [d["id"] for d in self.list_all("/api/v1/deadlines?kind=fee_payment")
                      if d["parole_request_id"] == pr["id"]]
        self.assertEqual(listed_ids, [ds[0]["id"]])
        r = self.patch(self.path(pr) + "/%d" % fee["id"], {"paid_on": day(0)})
        self.assertStatus(r, 200)
        ds = [d for d in self.list_all("/api/v1/parole-requests/%d/deadlines" % pr["id"])
              if d["kind"] == "fee_payment"]
        self.assertEqual(ds[0]["status"], "met")
        timeline = self.get("/api/v1/parole-requests/%d/timeline" % pr["id"]).json["items"]
        self.assertEqual({t["type"] for t in timeline} & {"fee_notice", "fee_paid"},
                         {"fee_notice", "fee_paid"})


if __name__ == "__main__":
    unittest.main()
