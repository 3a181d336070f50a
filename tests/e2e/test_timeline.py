"""GET /api/v1/parole-requests/{id}/timeline."""

import datetime
import unittest

from harness import ApiTestCase, unique_receipt

TYPE_ORDER = ["filing", "receipt_notice", "rfe_issued", "rfe_response_due", "rfe_responded",
              "interview", "biometrics", "decision", "expiration"]


def instant_of(ts):
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))


class Timeline(ApiTestCase):

    def timeline(self, pr_id):
        r = self.get("/api/v1/parole-requests/%d/timeline" % pr_id)
        self.assertStatus(r, 200)
        self.assertEqual(set(r.json), {"items"})
        for ev in r.json["items"]:
            self.assertEqual(set(ev), {"type", "date", "at", "resource", "resource_id", "title"},
                             ev)
            self.assertIn(ev["type"], TYPE_ORDER)
            self.assertIsInstance(ev["title"], str)
            self.assertTrue(ev["title"].strip(), ev)
            self.assertIsInstance(ev["resource_id"], int)
            if ev["type"] in ("interview", "biometrics"):
                self.assertEqual(ev["resource"], "interviews")
                self.assertIsNotNone(ev["at"])
            else:
                self.assertIsNone(ev["at"], ev)
        return r.json["items"]

    def brief(self, items):
        return [(e["type"], e["date"], e["resource"], e["resource_id"]) for e in items]

    def test_empty(self):
        pr = self.make_request()
        self.assertEqual(self.timeline(pr["id"]), [])

    def test_unknown_request(self):
        self.assertProblem(self.get("/api/v1/parole-requests/987654321/timeline"), 404,
                           "not-found")

    def test_every_event_type_in_date_order(self):
        pr = self.make_request()
        p = pr["id"]
        # Created deliberately out of date order.
        d = self.make_child(p, "decisions", decided_on="2025-07-01", outcome="approved")
        e = self.make_child(p, "expirations", kind="parole", expires_on="2027-07-01")
        i2 = self.make_child(p, "interviews", kind="interview",
                             scheduled_at="2025-06-03T01:30:00Z")  # 2025-06-02 21:30 in NY
        r = self.make_child(p, "rfes", issued_on="2025-03-01", response_due_on="2025-05-24",
                            responded_on="2025-04-15")
        i1 = self.make_child(p, "interviews", kind="biometrics",
                             scheduled_at="2025-02-14T09:00:00-05:00")
        f = self.make_child(p, "filings", filed_on="2025-01-10",
                            receipt_notice_on="2025-01-24", receipt_number=unique_receipt())
        items = self.timeline(p)
        self.assertEqual(self.brief(items), [
            ("filing", "2025-01-10", "filings", f["id"]),
            ("receipt_notice", "2025-01-24", "filings", f["id"]),
            ("biometrics", "2025-02-14", "interviews", i1["id"]),
            ("rfe_issued", "2025-03-01", "rfes", r["id"]),
            ("rfe_responded", "2025-04-15", "rfes", r["id"]),
            ("rfe_response_due", "2025-05-24", "rfes", r["id"]),
            ("interview", "2025-06-02", "interviews", i2["id"]),
            ("decision", "2025-07-01", "decisions", d["id"]),
            ("expiration", "2027-07-01", "expirations", e["id"]),
        ])
        at = {e["resource_id"]: e["at"] for e in items if e["at"]}
        self.assertEqual(instant_of(at[i1["id"]]), instant_of("2025-02-14T09:00:00-05:00"))
        self.assertEqual(instant_of(at[i2["id"]]), instant_of("2025-06-03T01:30:00Z"))

    def test_interview_date_in_firm_time_zone(self):
        pr = self.make_request()
        cases = [
            ("2025-03-09T06:30:00Z", "2025-03-09"),       # 01:30 EST, the day DST starts
            ("2025-03-09T03:30:00Z", "2025-03-08"),       # 22:30 EST the evening before
            ("2025-11-02T04:30:00Z", "2025-11-02"),       # 00:30 EDT, the day DST ends
            ("2025-11-02T03:59:59Z", "2025-11-01"),       # 23:59:59 EDT
            ("2025-12-31T23:30:00-08:00", "2026-01-01"),  # 02:30 in New York
            ("2026-01-01T03:00:00+05:30", "2025-12-31"),  # 16:30 in New York
            ("2025-07-04T00:00:00-04:00", "2025-07-04"),
        ]
        made = {}
        for ts, _ in cases:
            made[ts] = self.make_child(pr["id"], "interviews", kind="interview",
                                       scheduled_at=ts)["id"]
        by_id = {e["resource_id"]: e for e in self.timeline(pr["id"])}
        for ts, date in cases:
            with self.subTest(scheduled_at=ts):
                self.assertEqual(by_id[made[ts]]["date"], date)
                self.assertEqual(instant_of(by_id[made[ts]]["at"]), instant_of(ts))

    def test_same_day_ties_by_instant_not_text(self):
        pr = self.make_request()
        a = self.make_child(pr["id"], "interviews", kind="interview",
                            scheduled_at="2030-05-01T12:00:00-04:00")  # 16:00Z
        b = self.make_child(pr["id"], "interviews", kind="interview",
                            scheduled_at="2030-05-01T15:00:00Z")  # 11:00 in New York
        c = self.make_child(pr["id"], "interviews", kind="biometrics",
                            scheduled_at="2030-05-01T08:00:00-04:00")
        self.assertEqual([e["resource_id"] for e in self.timeline(pr["id"])],
                         [c["id"], b["id"], a["id"]])

    def test_same_day_fixed_type_order(self):
        # Read as: the order in which the contract lists the types.
        pr = self.make_request()
        D = "2025-05-05"
        e = self.make_child(pr["id"], "expirations", kind="i94", expires_on=D)
        r = self.make_child(pr["id"], "rfes", issued_on=D, response_due_on=D, responded_on=D)
        f = self.make_child(pr["id"], "filings", filed_on=D, receipt_notice_on=D)
        d = self.make_child(pr["id"], "decisions", decided_on=D, outcome="denied")
        self.assertEqual(self.brief(self.timeline(pr["id"])), [
            ("filing", D, "filings", f["id"]),
            ("receipt_notice", D, "filings", f["id"]),
            ("rfe_issued", D, "rfes", r["id"]),
            ("rfe_response_due", D, "rfes", r["id"]),
            ("rfe_responded", D, "rfes", r["id"]),
            ("decision", D, "decisions", d["id"]),
            ("expiration", D, "expirations", e["id"]),
        ])

    def test_same_day_same_type_by_resource_id(self):
        pr = self.make_request()
        ids = [self.make_child(pr["id"], "expirations", kind=k, expires_on="2026-02-02")["id"]
               for k in ("passport", "ead", "parole")]
        self.assertEqual([e["resource_id"] for e in self.timeline(pr["id"])], ids)

    def test_unset_dates_make_no_events(self):
        pr = self.make_request()
        f = self.make_child(pr["id"], "filings", filed_on="2025-01-10")
        r = self.make_child(pr["id"], "rfes", issued_on="2025-02-01")
        self.assertEqual(self.brief(self.timeline(pr["id"])), [
            ("filing", "2025-01-10", "filings", f["id"]),
            ("rfe_issued", "2025-02-01", "rfes", r["id"]),
        ])

    def test_follows_patches_and_deletes(self):
        pr = self.make_request()
        base = "/api/v1/parole-requests/%d" % pr["id"]
        f = self.make_child(pr["id"], "filings", filed_on="2025-01-10")
        x = self.make_child(pr["id"], "expirations", kind="ead", expires_on="2025-01-05")
        self.assertEqual([e["type"] for e in self.timeline(pr["id"])], ["expiration", "filing"])
        self.assertStatus(self.patch("%s/expirations/%d" % (base, x["id"]),
                                     {"expires_on": "2026-01-05"}), 200)
        self.assertEqual([e["type"] for e in self.timeline(pr["id"])], ["filing", "expiration"])
        self.assertStatus(self.patch("%s/filings/%d" % (base, f["id"]),
                                     {"receipt_notice_on": "2025-01-20"}), 200)
        self.assertEqual([e["type"] for e in self.timeline(pr["id"])],
                         ["filing", "receipt_notice", "expiration"])
        self.assertStatus(self.delete("%s/filings/%d" % (base, f["id"])), 204)
        self.assertEqual(self.brief(self.timeline(pr["id"])),
                         [("expiration", "2026-01-05", "expirations", x["id"])])

    def test_only_own_events(self):
        a, b = self.make_request(), self.make_request()
        fa = self.make_child(a["id"], "filings", filed_on="2025-01-10")
        self.make_child(b["id"], "filings", filed_on="2025-01-11")
        self.assertEqual(self.brief(self.timeline(a["id"])),
                         [("filing", "2025-01-10", "filings", fa["id"])])


if __name__ == "__main__":
    unittest.main()
