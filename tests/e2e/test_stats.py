"""The dashboard's reads: GET /api/v1/stats (open caseload by stage, parole and work-permit ends
for the next twelve months), GET /api/v1/fields (the field catalogue the forms are built from,
checked against what the server actually refuses), the session's `firm` (time zone and locale)
and `serve --locale` / PAROLETRACK_LOCALE.

Tests in one class share a server, so every stats check compares the figures before and after
the test's own changes (the deltas), never absolute numbers.
"""

import datetime
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import (BIN, FIELDS, FIRM_TZ, VALID_CHILD, ApiTestCase, Server, clean_env, day,
                     instant, today, token, unique_receipt)

STAGES = ("draft", "filed", "receipted", "interview_scheduled", "rfe_open", "approved", "denied",
          "withdrawn", "closed", "terminated", "paroled", "expired")
COLLECTIONS = ("clients", "parole-requests", "filings", "rfes", "interviews", "decisions",
               "expirations", "fee-notices", "entries")
CHILDREN = ("filings", "rfes", "interviews", "decisions", "expirations", "fee-notices")
# The shared lists /fields serves besides the collections' fields.
LISTS = ("stages", "roles", "deadline_kinds", "webhook_event_types")
FIELD_TYPES = {"text", "date", "timestamp", "enum", "boolean", "integer", "text_array",
               "integer_array"}
FIELD_MEMBERS = {"name", "type", "required", "single_line", "max_length", "max_items", "minimum",
                 "maximum", "not_future", "choices", "default"}
# Record fields a client never writes (read-only, or set from the URL).
NOT_WRITABLE = {"id", "created_at", "updated_at", "version", "stage", "parole_request_id",
                "warnings"}


def months_from(date, n=12):
    """n consecutive "YYYY-MM" starting with the month of date."""
    out = []
    for i in range(n):
        index = date.month - 1 + i
        out.append("%04d-%02d" % (date.year + index // 12, index % 12 + 1))
    return out


def in_month(k, dom=15, tz=FIRM_TZ):
    """Day `dom` of the month k months after the current firm-local one, as YYYY-MM-DD."""
    t = today(tz)
    index = t.month - 1 + k
    return datetime.date(t.year + index // 12, index % 12 + 1, dom).isoformat()


class StatsCase(ApiTestCase):

    def stats(self, **kw):
        r = self.get("/api/v1/stats", **kw)
        self.assertStatus(r, 200)
        return r.json

    def stage_delta(self, before, after):
        """{stage: change} of the stages that changed."""
        return {s: after["stages"][s] - before["stages"][s] for s in STAGES
                if after["stages"][s] != before["stages"][s]}

    def month_delta(self, before, after):
        """{month: (parole_end change, ead_end change)} of the months that changed."""
        self.assertEqual([m["month"] for m in before["expirations_by_month"]],
                         [m["month"] for m in after["expirations_by_month"]],
                         "the months moved during the test (midnight at the end of a month?)")
        out = {}
        for b, a in zip(before["expirations_by_month"], after["expirations_by_month"]):
            change = (a["parole_end"] - b["parole_end"], a["ead_end"] - b["ead_end"])
            if change != (0, 0):
                out[a["month"]] = change
        return out

    def child(self, pr_id, child, **fields):
        return self.make_child(pr_id, child, **fields)

    def child_path(self, pr_id, child, child_id):
        return "/api/v1/parole-requests/%d/%s/%d" % (pr_id, child, child_id)

    def approved(self, **fields):
        """An approved request (receipted filing, approval a month ago)."""
        pr = self.make_request(**fields)
        self.child(pr["id"], "filings", filed_on=day(-200), receipt_number=unique_receipt())
        self.child(pr["id"], "decisions", decided_on=day(-30), outcome="approved")
        return pr


class Stats(StatsCase):
    """GET /api/v1/stats."""

    def test_shape_every_stage_and_twelve_months_from_the_current_one(self):
        s = self.stats()
        self.assertEqual(set(s), {"as_of", "total", "stages", "expirations_by_month"})
        self.assertEqual(s["as_of"], day(0), "as_of is today in the firm's zone")
        self.assertEqual(set(s["stages"]), set(STAGES), "every stage is present, zeros too")
        for stage, n in s["stages"].items():
            self.assertIsInstance(n, int, stage)
            self.assertGreaterEqual(n, 0, stage)
        self.assertEqual(s["total"], sum(s["stages"].values()))
        months = s["expirations_by_month"]
        self.assertEqual([m["month"] for m in months], months_from(today()))
        self.assertEqual(months[0]["month"], s["as_of"][:7])
        for m in months:
            self.assertEqual(set(m), {"month", "parole_end", "ead_end"})
            self.assertGreaterEqual(m["parole_end"], 0)
            self.assertGreaterEqual(m["ead_end"], 0)

    def test_stage_counts_follow_the_records(self):
        def step(what, expected, total_change=0):
            after = self.stats()
            self.assertEqual(self.stage_delta(state[0], after), expected, what)
            self.assertEqual(after["total"] - state[0]["total"], total_change, what)
            self.assertEqual(after["total"], sum(after["stages"].values()), what)
            state[0] = after

        state = [self.stats()]
        pr = self.make_request()
        pid = pr["id"]
        self.assertEqual(self.stage_of(pid), "draft")
        step("a new request is a draft", {"draft": 1}, total_change=1)

        filing = self.child(pid, "filings", filed_on=day(-20))
        step("a filing without a receipt number", {"draft": -1, "filed": 1})

        r = self.patch(self.child_path(pid, "filings", filing["id"]),
                       {"receipt_number": unique_receipt()})
        self.assertStatus(r, 200)
        step("the filing gets its receipt number", {"filed": -1, "receipted": 1})

        self.child(pid, "interviews", kind="biometrics",
                   scheduled_at="%sT10:00:00-05:00" % day(20))
        step("biometrics scheduled", {"receipted": -1, "interview_scheduled": 1})

        rfe = self.child(pid, "rfes", issued_on=day(-1))
        step("an RFE not answered yet", {"interview_scheduled": -1, "rfe_open": 1})

        r = self.patch(self.child_path(pid, "rfes", rfe["id"]), {"responded_on": day(0)})
        self.assertStatus(r, 200)
        step("the RFE answered", {"rfe_open": -1, "interview_scheduled": 1})

        self.child(pid, "decisions", decided_on=day(0), outcome="approved")
        step("approved, no parole date yet", {"interview_scheduled": -1, "approved": 1})

        exp = self.child(pid, "expirations", kind="parole", expires_on=day(90))
        step("a parole end ahead", {"approved": -1, "paroled": 1})

        r = self.patch(self.child_path(pid, "expirations", exp["id"]), {"expires_on": day(-1)})
        self.assertStatus(r, 200)
        step("the parole end passed", {"paroled": -1, "expired": 1})

        self.child(pid, "decisions", decided_on=day(0), outcome="withdrawn")
        step("a later decision: withdrawn", {"expired": -1, "withdrawn": 1})
        self.assertEqual(self.stage_of(pid), "withdrawn")

        # A second request denied, a third deleted while still a draft.
        other = self.make_request()
        self.child(other["id"], "decisions", decided_on=day(-2), outcome="denied")
        step("a denied request", {"denied": 1}, total_change=1)
        draft = self.make_request()
        step("another draft", {"draft": 1}, total_change=1)
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % draft["id"]), 204)
        step("the draft deleted", {"draft": -1}, total_change=-1)

    def test_a_passing_interview_moves_its_request_without_a_write(self):
        """An interview's instant turns the stage by itself: figures remembered between writes
        must not outlive it. Read several times on each side (the server's threads each keep
        their own)."""
        pr = self.make_request()
        self.child(pr["id"], "filings", filed_on=day(-20), receipt_number=unique_receipt())
        before = self.stats()
        for _ in range(4):
            self.stats()  # figures remembered now, with nothing written after them
        self.child(pr["id"], "interviews", kind="interview", scheduled_at=instant(3))
        during = self.stats()
        self.assertEqual(self.stage_delta(before, during),
                         {"receipted": -1, "interview_scheduled": 1})
        for _ in range(4):
            self.assertEqual(self.stats(), during)
        time.sleep(4.5)
        for _ in range(6):
            self.assertEqual(self.stage_delta(during, self.stats()),
                             {"receipted": 1, "interview_scheduled": -1},
                             "the interview has passed")

    def test_parole_and_ead_ends_by_month(self):
        before = self.stats()
        months = months_from(today())
        pr = self.approved()
        pid = pr["id"]
        self.assertEqual(self.month_delta(before, self.stats()), {},
                         "an approval without an end date counts in no month")

        parole_on = in_month(5)
        self.child(pid, "expirations", kind="parole", expires_on=parole_on)
        self.assertEqual(self.month_delta(before, self.stats()), {months[5]: (1, 0)})

        # An EAD ending before the parole: its own month.
        self.child(pid, "expirations", kind="ead", expires_on=in_month(2))
        self.assertEqual(self.month_delta(before, self.stats()),
                         {months[5]: (1, 0), months[2]: (0, 1)})

        # The I-94 with the same date as the parole document is the same end: counted once.
        self.child(pid, "expirations", kind="i94", expires_on=parole_on)
        self.assertEqual(self.month_delta(before, self.stats()),
                         {months[5]: (1, 0), months[2]: (0, 1)})

        # Re-parole granted: a later I-94 replaces the first end (now `met`); the person is
        # counted once, in the month of the new end.
        self.child(pid, "expirations", kind="i94", expires_on=in_month(9))
        ends = {d["due_on"]: d["status"]
                for d in self.list_all("/api/v1/parole-requests/%d/deadlines" % pid)
                if d["kind"] == "parole_end"}
        self.assertEqual(ends.get(parole_on), "met", ends)
        self.assertEqual(self.month_delta(before, self.stats()),
                         {months[9]: (1, 0), months[2]: (0, 1)})

        # The parole and work permit ends outlive a later withdrawal: the client's dates do not
        # change with the request's stage, so they stay on the dashboard.
        self.child(pid, "decisions", decided_on=day(0), outcome="withdrawn")
        self.assertEqual(self.month_delta(before, self.stats()),
                         {months[9]: (1, 0), months[2]: (0, 1)})

    def test_inside_us_approval_valid_until_counts_as_the_parole_end(self):
        before = self.stats()
        months = months_from(today())
        pr = self.make_request(location="inside_us")
        self.child(pr["id"], "decisions", decided_on=day(-10), outcome="approved",
                   valid_from=day(-10), valid_until=in_month(3, dom=1))
        self.assertEqual(self.month_delta(before, self.stats()), {months[3]: (1, 0)})

    def test_ends_outside_the_twelve_months_are_not_counted(self):
        before = self.stats()
        for k in (-1, 12, 20):
            pr = self.approved()
            self.child(pr["id"], "expirations", kind="parole", expires_on=in_month(k))
        after = self.stats()
        self.assertEqual(self.month_delta(before, after), {})
        self.assertEqual(self.stage_delta(before, after), {"paroled": 2, "expired": 1})

    def test_query_parameters_are_refused(self):
        for path in ("/api/v1/stats", "/api/v1/fields"):
            with self.subTest(path=path):
                r = self.get(path + "?limit=5")
                self.assertProblem(r, 400, "invalid-query", field="limit")
                r = self.get(path + "?month=2027-01&stage=draft")
                self.assertProblem(r, 400, "invalid-query", fields=["month", "stage"])

    def test_every_role_and_read_keys_may_read_nobody_without_credentials(self):
        viewer = self.session_as("viewer")
        key = self.make_key(("read",))
        for path in ("/api/v1/stats", "/api/v1/fields"):
            with self.subTest(path=path):
                self.assertStatus(self.get(path, auth=viewer), 200)
                self.assertStatus(self.get(path, auth=key), 200)
                self.assertProblem(self.get(path, auth=None), 401, "unauthenticated")
        self.assertEqual(self.get("/api/v1/stats", auth=viewer).json["as_of"], day(0))


class Fields(ApiTestCase):
    """GET /api/v1/fields, and that it says what the validation does."""

    _catalogue = None

    def catalogue(self):
        if Fields._catalogue is None:
            r = self.get("/api/v1/fields")
            self.assertStatus(r, 200)
            Fields._catalogue = r.json
        return Fields._catalogue

    def field(self, collection, name):
        found = [f for f in self.catalogue()[collection] if f["name"] == name]
        self.assertEqual(len(found), 1, "%s.%s in the catalogue" % (collection, name))
        return found[0]

    def path_of(self, collection):
        """Where to POST a new record of the collection (a fresh request for children)."""
        if collection in CHILDREN:
            if not hasattr(self, "_pr"):
                self._pr = self.make_request()
            return "/api/v1/parole-requests/%d/%s" % (self._pr["id"], collection)
        if collection == "entries":  # a client's own events
            if not hasattr(self, "_entries_client"):
                self._entries_client = self.make_client()
            return "/api/v1/clients/%d/entries" % self._entries_client["id"]
        return "/api/v1/" + collection

    def minimal(self, collection):
        """A create body holding only the required fields."""
        if collection == "clients":
            return {"family_name": "Bondarenko", "given_name": "Test " + token(5)}
        if collection == "parole-requests":
            if not hasattr(self, "_client"):
                self._client = self.make_client()
            return {"client_id": self._client["id"], "parole_type": "humanitarian"}
        if collection == "entries":
            return {"arrived_on": "2024-03-01"}
        return dict(VALID_CHILD[collection])

    def test_keys_and_fields_of_every_collection(self):
        cat = self.catalogue()
        self.assertEqual(set(cat), set(COLLECTIONS) | set(LISTS))
        for collection in COLLECTIONS:
            with self.subTest(collection=collection):
                fields = cat[collection]
                names = [f["name"] for f in fields]
                self.assertEqual(len(names), len(set(names)), "no field twice")
                # an entry's client is its parent (in the path), as a child's request is
                parent = {"client_id"} if collection == "entries" else set()
                self.assertEqual(set(names), set(FIELDS[collection]) - NOT_WRITABLE - parent,
                                 "the writable fields of the records")
                for f in fields:
                    self.assertLessEqual(set(f), FIELD_MEMBERS, f)
                    self.assertIn(f["type"], FIELD_TYPES, f)
                    self.assertIsInstance(f["required"], bool, f)
                    self.assertEqual("choices" in f, f["type"] == "enum", f)
                    self.assertEqual("max_length" in f, f["type"] in ("text", "text_array"), f)
                    if "single_line" in f or "not_future" in f:
                        self.assertIs(f.get("single_line", f.get("not_future")), True, f)
                    if "not_future" in f:
                        self.assertEqual(f["type"], "date", f)
                    if "default" in f and f["type"] == "enum":
                        self.assertIn(f["default"], f["choices"], f)

    def test_shared_lists(self):
        cat = self.catalogue()
        self.assertEqual([s["name"] for s in cat["stages"]], list(STAGES))
        self.assertEqual({s["name"] for s in cat["stages"] if s["closed"]},
                         {"denied", "withdrawn", "closed", "terminated"})
        self.assertEqual(cat["roles"], [
            {"name": "admin", "needs_totp": True, "may_write": True,
             "assignable_attorney": True, "assignable_paralegal": True},
            {"name": "attorney", "needs_totp": True, "may_write": True,
             "assignable_attorney": True, "assignable_paralegal": True},
            {"name": "paralegal", "needs_totp": False, "may_write": True,
             "assignable_attorney": False, "assignable_paralegal": True},
            {"name": "viewer", "needs_totp": False, "may_write": False,
             "assignable_attorney": False, "assignable_paralegal": False}])
        self.assertEqual([k["name"] for k in cat["deadline_kinds"]],
                         ["rfe_response", "noid_response", "motion", "interview", "biometrics",
                          "parole_end", "reparole_filing", "ead_end", "travel_by",
                          "passport_expiry", "missed_appointment", "fee_payment",
                          "asylum_one_year", "address_change_report"])

    def test_family_name_and_enums(self):
        self.assertEqual(self.field("clients", "family_name"),
                         {"name": "family_name", "type": "text", "required": True,
                          "single_line": True, "max_length": 200})
        self.assertEqual(self.field("clients", "other_names"),
                         {"name": "other_names", "type": "text_array", "required": False,
                          "single_line": True, "max_length": 200, "max_items": 20,
                          "default": []})
        parole_type = self.field("parole-requests", "parole_type")
        self.assertEqual(parole_type["type"], "enum")
        self.assertTrue(parole_type["required"])
        self.assertIn("humanitarian", parole_type["choices"])
        self.assertNotIn("default", parole_type)
        self.assertEqual(self.field("filings", "kind"),
                         {"name": "kind", "type": "enum", "required": False,
                          "choices": ["initial", "re_parole", "expedite_request", "rfe_response",
                                      "motion", "other"], "default": "initial"})
        self.assertEqual(self.field("interviews", "outcome")["choices"],
                         ["scheduled", "completed", "rescheduled", "missed", "cancelled"])
        self.assertEqual(self.field("decisions", "outcome")["choices"],
                         ["approved", "denied", "withdrawn", "administratively_closed",
                          "terminated"])
        self.assertEqual(self.field("expirations", "kind")["choices"],
                         ["parole", "i94", "ead", "travel_document", "passport", "other"])
        self.assertEqual(self.field("filings", "filed_on"),
                         {"name": "filed_on", "type": "date", "required": True,
                          "not_future": True})
        self.assertEqual(self.field("rfes", "mailed"),
                         {"name": "mailed", "type": "boolean", "required": False,
                          "default": False})
        self.assertEqual(self.field("interviews", "scheduled_at")["type"], "timestamp")

    def test_required_fields_are_what_an_empty_create_is_refused_for(self):
        for collection in COLLECTIONS:
            with self.subTest(collection=collection):
                fields = self.catalogue()[collection]
                names = {f["name"] for f in fields}
                r = self.post(self.path_of(collection), {})
                self.assertProblem(r, 422, "validation")
                self.assertEqual({n for n in r.fields() if n in names},
                                 {f["name"] for f in fields if f["required"]}, repr(r))

    def test_defaults_are_what_a_minimal_create_stores(self):
        for collection in COLLECTIONS:
            with self.subTest(collection=collection):
                body = self.minimal(collection)
                rec = self.create(self.path_of(collection), body)
                for f in self.catalogue()[collection]:
                    if f["name"] in body:
                        continue
                    self.assertEqual(rec[f["name"]], f.get("default"),
                                     "%s.%s left out" % (collection, f["name"]))

    def test_max_length_is_enforced_in_characters(self):
        cases = [("clients", "family_name"), ("clients", "address"),
                 ("parole-requests", "sponsor_name"), ("parole-requests", "summary"),
                 ("interviews", "location"), ("decisions", "notes")]
        for collection, name in cases:
            with self.subTest(field="%s.%s" % (collection, name)):
                limit = self.field(collection, name)["max_length"]
                if (collection, name) == ("clients", "family_name"):
                    self.assertEqual(limit, 200)
                body = self.minimal(collection)
                body[name] = "Ж" * limit  # two bytes each in UTF-8: characters count
                self.create(self.path_of(collection), body)
                body = self.minimal(collection)
                body[name] = "Ж" * (limit + 1)
                self.assertProblem(self.post(self.path_of(collection), body), 422, "validation",
                                   field=name)

    def test_max_items_and_single_line(self):
        f = self.field("clients", "other_names")
        body = self.minimal("clients")
        body["other_names"] = ["Name %d" % i for i in range(f["max_items"])]
        self.create("/api/v1/clients", body)
        body["other_names"].append("One too many")
        self.assertProblem(self.post("/api/v1/clients", body), 422, "validation",
                           field="other_names")
        body = self.minimal("clients")
        body["given_name"] = "Two\nlines"
        self.assertTrue(self.field("clients", "given_name")["single_line"])
        self.assertProblem(self.post("/api/v1/clients", body), 422, "validation",
                           field="given_name")
        # A field without single_line takes a line break.
        self.assertNotIn("single_line", self.field("clients", "address"))
        body = self.minimal("clients")
        body["address"] = "1 Main St\nSpringfield"
        self.create("/api/v1/clients", body)

    def test_integer_range(self):
        f = self.field("filings", "fee_cents")
        self.assertEqual(f["type"], "integer")
        path = self.path_of("filings")
        self.create(path, dict(VALID_CHILD["filings"], fee_cents=f["maximum"]))
        self.create(path, dict(VALID_CHILD["filings"], fee_cents=f["minimum"]))
        for bad in (f["maximum"] + 1, f["minimum"] - 1):
            self.assertProblem(self.post(path, dict(VALID_CHILD["filings"], fee_cents=bad)),
                               422, "validation", field="fee_cents")

    def test_not_future_dates(self):
        for collection in CHILDREN:
            for f in self.catalogue()[collection]:
                if not f.get("not_future"):
                    continue
                with self.subTest(field="%s.%s" % (collection, f["name"])):
                    body = dict(VALID_CHILD[collection])
                    body[f["name"]] = day(1)
                    r = self.post(self.path_of(collection), body)
                    self.assertProblem(r, 422, "validation", field=f["name"])
        # A date the catalogue does not mark may lie ahead.
        self.assertNotIn("not_future", self.field("rfes", "response_due_on"))
        self.create(self.path_of("rfes"), dict(VALID_CHILD["rfes"], response_due_on=day(30)))

    def test_enum_choices_are_exactly_what_is_accepted(self):
        for collection in COLLECTIONS:
            for f in self.catalogue()[collection]:
                if f["type"] != "enum":
                    continue
                with self.subTest(field="%s.%s" % (collection, f["name"])):
                    # A field another field must allow (a fee notice's form: a filing fee's).
                    companion = {("fee-notices", "form"): {"kind": "filing_fee"}}.get(
                        (collection, f["name"]), {})
                    for choice in f["choices"]:
                        r = self.post(self.path_of(collection),
                                      dict(self.minimal(collection), **companion,
                                           **{f["name"]: choice}))
                        # Other rules may refuse the record (e.g. a program request without
                        # its program), never the listed choice itself.
                        self.assertNotIn(f["name"], r.fields(), repr(r))
                        self.assertIn(r.status, (201, 422), repr(r))
                    for bad in (f["choices"][0].upper(), "not_a_choice"):
                        if bad in f["choices"]:
                            continue
                        r = self.post(self.path_of(collection),
                                      dict(self.minimal(collection), **{f["name"]: bad}))
                        self.assertProblem(r, 422, "validation", field=f["name"])


class Firm(StatsCase):
    """The session's `firm` on the default server (the harness passes --timezone)."""

    def test_session_reports_the_firm_zone_and_default_locale(self):
        r = self.get("/api/v1/session")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["firm"], {"time_zone": FIRM_TZ, "locale": "en-US"})
        viewer = self.session_as("viewer")
        self.assertEqual(viewer.body["firm"], {"time_zone": FIRM_TZ, "locale": "en-US"},
                         "the sign-in answer carries it too")


class FirmFromFlags(StatsCase):
    """A server started with another zone and --locale: the session says so, and stats count
    in that zone."""

    timezone = "Asia/Kabul"
    server_args = ("--locale", "es-MX")

    def test_session_and_stats_follow_the_flags(self):
        r = self.get("/api/v1/session")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["firm"], {"time_zone": "Asia/Kabul", "locale": "es-MX"})
        s = self.stats()
        self.assertEqual(s["as_of"], day(0, tz="Asia/Kabul"))
        self.assertEqual([m["month"] for m in s["expirations_by_month"]],
                         months_from(today("Asia/Kabul")))


def run(*args, env_extra=None, timeout=30):
    """Run the binary to completion; returns (exit code, stdout, stderr)."""
    p = subprocess.run([BIN, *args], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout, env=clean_env(env_extra))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class LocaleOption(unittest.TestCase):
    """serve --locale TAG / PAROLETRACK_LOCALE."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="paroletrack-locale-")
        self.db = os.path.join(self.dir, "test.db")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_a_malformed_tag_stops_the_server_before_it_starts(self):
        for args, env in ((("--locale", "not_a_tag!!"), None),
                          ((), {"PAROLETRACK_LOCALE": "en-"})):
            with self.subTest(args=args, env=env):
                code, _, err = run("serve", "--db", self.db, "--listen", "127.0.0.1:0", *args,
                                   env_extra=env, timeout=15)
                self.assertEqual(code, 2, err)
                self.assertIn("locale", err)
                self.assertIn(args[1] if args else env["PAROLETRACK_LOCALE"], err)
                self.assertNotIn("listening", err)
                self.assertFalse(os.path.exists(self.db), "no database made")

    def test_help_documents_it(self):
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        self.assertIn("--locale", out)
        self.assertIn("PAROLETRACK_LOCALE", out)

    def test_locale_from_the_environment(self):
        s = Server(db_dir=self.dir, env_extra={"PAROLETRACK_LOCALE": "uk-UA"}).start()
        try:
            r = s.call("GET", "/api/v1/session", auth=s.admin)
            self.assertEqual(r.status, 200, repr(r))
            self.assertEqual(r.json["firm"], {"time_zone": FIRM_TZ, "locale": "uk-UA"})
        finally:
            self.assertEqual(s.stop(), 0)


if __name__ == "__main__":
    unittest.main()
