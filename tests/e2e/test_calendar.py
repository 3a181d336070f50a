"""The personal calendar feed: created and revoked by its user, valid RFC 5545 parsed by a real
iCalendar parser (Debian's python3-icalendar), stable UIDs, all-day events for dates and timed
events for appointments, and never a client's name, A-number or narrative."""

import datetime
import http.client

import icalendar

from harness import ApiTestCase, day, token, unique_a_number


class CalendarFeed(ApiTestCase):

    def setUp(self):
        self.me = self.session_as("paralegal")
        name = "Календар" + token(5)
        self.secret_bits = [name, "A012345678", "narrative-" + token(8)]
        cl = self.make_client(family_name=name, a_number=unique_a_number(),
                              notes=self.secret_bits[2])
        self.pr = self.make_request(cl["id"], assigned_paralegal_id=self.me.user["id"],
                                    summary=self.secret_bits[2])
        self.make_child(self.pr["id"], "filings", filed_on=day(-40), receipt_number=None)
        self.rfe = self.make_child(self.pr["id"], "rfes", issued_on=day(-10), mailed=True,
                                   summary=self.secret_bits[2])
        self.appointment = self.make_child(self.pr["id"], "interviews", kind="biometrics",
                                           scheduled_at=day(5) + "T09:30:00-05:00")

    def fetch(self, url):
        """GET the feed without any session or key, as a calendar application would."""
        c = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        c.request("GET", url)
        r = c.getresponse()
        body = r.read()
        headers = dict((k.lower(), v) for k, v in r.getheaders())
        c.close()
        return r.status, headers, body

    def create_feed(self):
        r = self.post("/api/v1/me/calendar-feed", None, auth=self.me)
        self.assertStatus(r, 201)
        return r.json["url"]

    def test_feed_is_valid_icalendar_with_the_deadlines(self):
        url = self.create_feed()
        status, headers, body = self.fetch(url)
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/calendar"))
        cal = icalendar.Calendar.from_ical(body)
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        rfe_uid = "rfes/%d/rfe_response@paroletrack" % self.rfe["id"]
        appt_uid = "interviews/%d/biometrics@paroletrack" % self.appointment["id"]
        self.assertIn(rfe_uid, events)
        self.assertIn(appt_uid, events)
        # A date deadline is an all-day event; 84 + 3 days after the mailed notice.
        rfe = events[rfe_uid]
        self.assertIsInstance(rfe["DTSTART"].dt, datetime.date)
        self.assertNotIsInstance(rfe["DTSTART"].dt, datetime.datetime)
        self.assertEqual(rfe["DTSTART"].dt.isoformat(), day(77))
        self.assertIn("PR-%d" % self.pr["id"], str(rfe["SUMMARY"]))
        self.assertIn("rfe_response", str(rfe["DESCRIPTION"]))
        # An appointment is a timed event at its instant.
        appt = events[appt_uid]
        self.assertIsInstance(appt["DTSTART"].dt, datetime.datetime)
        want = datetime.datetime.fromisoformat(day(5) + "T09:30:00-05:00")
        self.assertEqual(appt["DTSTART"].dt, want)
        # ...written in the firm's zone, which a VTIMEZONE of the feed describes.
        self.assertEqual(appt["DTSTART"].params.get("TZID"), "America/New_York")
        zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
        self.assertEqual(zones, ["America/New_York"])
        summer = datetime.datetime.fromisoformat("2027-07-01T10:00:00-04:00")
        self.make_child(self.pr["id"], "interviews", kind="interview",
                        scheduled_at=summer.isoformat())
        cal = icalendar.Calendar.from_ical(self.fetch(url)[2])
        starts = [e["DTSTART"].dt for e in cal.walk("VEVENT") if "interview" in str(e["UID"])]
        self.assertIn(summer, starts)
        self.assertIn(summer.utcoffset(), [s.utcoffset() for s in starts])
        for e in events.values():
            self.assertIn("DTSTAMP", e)

    def test_what_a_decision_settles_leaves_and_the_issue_12_kinds(self):
        """The feed leaves out what a decision made moot, keeps what survives it, and carries the
        deadlines of issue 12: a program's termination, a missed appointment, a fee, the
        client's asylum and change-of-address deadlines."""
        me = self.me.user["id"]
        url = self.create_feed()
        # the RFE of self.pr turns moot with a denial; its interview too
        self.make_child(self.pr["id"], "decisions", decided_on=day(0), outcome="denied")
        chnv = self.make_request(self.pr["client_id"], parole_type="program", program="chnv",
                                 assigned_paralegal_id=me)
        self.make_child(chnv["id"], "filings", filed_on=day(-400))
        self.make_child(chnv["id"], "decisions", decided_on=day(-300), outcome="approved")
        i94 = self.make_child(chnv["id"], "expirations", kind="i94", expires_on=day(300))
        pending = self.make_request(self.pr["client_id"], assigned_paralegal_id=me)
        self.make_child(pending["id"], "filings", filed_on=day(-30))
        missed = self.make_child(pending["id"], "interviews", kind="interview",
                                 scheduled_at=day(-2) + "T10:00:00-05:00", outcome="missed")
        fee = self.make_child(chnv["id"], "fee-notices", kind="other", amount_cents=5000,
                              issued_on=day(-1), due_on=day(20))
        self.create("/api/v1/clients/%d/entries" % self.pr["client_id"],
                    {"arrived_on": day(-100)})
        self.assertStatus(self.patch("/api/v1/clients/%d" % self.pr["client_id"],
                                     {"address": "5 Fifth Street, Elizabeth NJ"}), 200)
        events = {str(e["UID"]): e
                  for e in icalendar.Calendar.from_ical(self.fetch(url)[2]).walk("VEVENT")}
        self.assertNotIn("rfes/%d/rfe_response@paroletrack" % self.rfe["id"], events, "moot")
        self.assertNotIn("interviews/%d/biometrics@paroletrack" % self.appointment["id"], events)
        end = events["expirations/%d/parole_end@paroletrack" % i94["id"]]
        self.assertEqual(end["DTSTART"].dt.isoformat(), "2025-04-24")
        self.assertIn("90 FR 13611", str(end["DESCRIPTION"]))
        self.assertIn("interviews/%d/missed_appointment@paroletrack" % missed["id"], events)
        self.assertIn("fee_notices/%d/fee_payment@paroletrack" % fee["id"], events)
        cid = self.pr["client_id"]
        self.assertIn("clients/%d/asylum_one_year@paroletrack" % cid, events)
        ar11 = events["clients/%d/address_change_report@paroletrack" % cid]
        self.assertEqual(ar11["DTSTART"].dt.isoformat(), day(10))
        # the client's own deadlines once, though the client has two requests in the feed
        body = self.fetch(url)[2].decode()
        self.assertEqual(body.count("UID:clients/%d/asylum_one_year@paroletrack" % cid), 1)

    def test_format_crlf_folding_and_stable_uids(self):
        url = self.create_feed()
        _, _, first = self.fetch(url)
        _, _, second = self.fetch(url)
        self.assertTrue(first.endswith(b"\r\n"))
        for line in first.split(b"\r\n"):
            self.assertNotIn(b"\n", line)
            self.assertLessEqual(len(line), 75, line)
        uids = lambda b: sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(b).walk("VEVENT"))
        self.assertEqual(uids(first), uids(second))

    def test_no_personal_data_in_the_feed(self):
        _, _, body = self.fetch(self.create_feed())
        unfolded = body.replace(b"\r\n ", b"")
        for secret in self.secret_bits + ["12345678"]:
            self.assertNotIn(secret.encode(), unfolded)

    def test_revoke_and_replace(self):
        first = self.create_feed()
        second = self.create_feed()
        self.assertEqual(self.fetch(first)[0], 401)  # replaced
        self.assertEqual(self.fetch(second)[0], 200)
        self.assertStatus(self.delete("/api/v1/me/calendar-feed", auth=self.me), 204)
        self.assertEqual(self.fetch(second)[0], 401)

    def test_bad_tokens(self):
        self.assertEqual(self.fetch("/api/v1/calendar.ics")[0], 401)
        self.assertEqual(self.fetch("/api/v1/calendar.ics?token=" + "x" * 43)[0], 401)
        self.assertEqual(self.fetch("/api/v1/calendar.ics?token=a&token=b")[0], 400)
        self.assertEqual(self.fetch("/api/v1/calendar.ics?token=a&other=b")[0], 400)

    def test_a_disabled_user_s_feed_stops(self):
        other = self.session_as("paralegal")
        r = self.post("/api/v1/me/calendar-feed", None, auth=other)
        self.assertStatus(r, 201)
        self.assertEqual(self.fetch(r.json["url"])[0], 200)
        self.assertStatus(self.patch("/api/v1/users/%d" % other.user["id"], {"disabled": True}), 200)
        self.assertEqual(self.fetch(r.json["url"])[0], 401)

    def test_long_multibyte_rule_text_never_breaks_the_feed(self):
        """The attack: an admin-editable rule text of 4-byte characters long enough to be cut by
        a fixed buffer. A cut inside a character made the folder emit a NUL and an uninitialised
        byte, which ended everyone's feed there. Every cut position is tried."""
        url = self.create_feed()
        items = self.get("/api/v1/parole-requests/%d/deadlines" % self.pr["id"]).json["items"]
        code = [d for d in items if d["kind"] == "rfe_response"][0]["rule"]["code"]
        rule = [r for r in self.list_all("/api/v1/deadline-rules") if r["code"] == code][0]
        original = rule["citation_source"]
        self.addCleanup(lambda: self.assertStatus(self.patch(
            "/api/v1/deadline-rules/%d" % rule["id"], {"citation_source": original}), 200))
        for shift in range(4):
            source = "x" * shift + "\U0001F642" * (499 - shift) + "é"
            self.assertStatus(self.patch("/api/v1/deadline-rules/%d" % rule["id"],
                                         {"citation_source": source}), 200)
            status, _, body = self.fetch(url)
            self.assertEqual(status, 200)
            self.assertNotIn(b"\x00", body)
            body.decode("utf-8")  # raises on a split or stray byte
            self.assertTrue(body.endswith(b"END:VCALENDAR\r\n"), body[-80:])
            for line in body.split(b"\r\n"):
                self.assertLessEqual(len(line), 75, line)
                line.decode("utf-8")  # each physical line whole: no character split by a fold
            cal = icalendar.Calendar.from_ical(body)
            rfe_uid = "rfes/%d/rfe_response@paroletrack" % self.rfe["id"]
            rfe = [e for e in cal.walk("VEVENT") if str(e["UID"]) == rfe_uid][0]
            self.assertIn(source, str(rfe["DESCRIPTION"]))  # kept whole, not cut
