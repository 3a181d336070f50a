"""The stored deadline ledger (issue 11): every computed deadline and each request's stage facts
are stored by the write path in the same transaction as the change that moves them;
`paroletrack deadlines verify` recomputes everything and names each difference (exit 1);
`deadlines rebuild` rewrites the ledger; a server start rebuilds a ledger computed in another
firm time zone or never built (a database from before the ledger).

Every class here also ends with the harness's own `deadlines verify` of its database."""

import datetime
import sqlite3
import unittest

import zoneinfo

from harness import FIRM_TZ, ApiTestCase, Server, day, today, unique_receipt


def late_evening(offset, zone=FIRM_TZ):
    """23:30 on day(offset) in `zone`, RFC 3339 (the next day in zones east of it)."""
    d = today(zone) + datetime.timedelta(days=offset)
    return datetime.datetime(d.year, d.month, d.day, 23, 30,
                             tzinfo=zoneinfo.ZoneInfo(zone)).isoformat()


class Ledger(ApiTestCase):
    """The ledger through the API and the command line on one server."""

    def deadlines_of(self, pr_id):
        return self.list_all("/api/v1/parole-requests/%d/deadlines" % pr_id)

    def verify(self, *extra):
        return self.server.cli("deadlines", "verify", *extra)

    def test_verify_names_a_tampered_row_and_rebuild_repairs_it(self):
        pr = self.make_request()
        rfe = self.make_child(pr["id"], "rfes", issued_on=day(-10))
        code, out, err = self.verify()
        self.assertEqual(code, 0, out + err)
        self.assertIn("matches", out)
        deadline_id = "rfes/%d/rfe_response" % rfe["id"]
        with sqlite3.connect(self.server.db) as db:
            db.execute("UPDATE deadlines SET due_on = '2001-01-01' WHERE deadline_id = ?",
                       (deadline_id,))
        code, out, err = self.verify()
        self.assertEqual(code, 1, out + err)
        self.assertIn("request %d: %s: due_on" % (pr["id"], deadline_id), out)
        self.assertIn("2001-01-01", out)
        code, out, err = self.server.cli("deadlines", "rebuild")
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"deadline ledger rebuilt: \d+ deadlines")
        code, out, err = self.verify()
        self.assertEqual(code, 0, out + err)
        got = [d for d in self.deadlines_of(pr["id"]) if d["id"] == deadline_id]
        self.assertEqual(got[0]["due_on"], day(74))

    def test_a_missing_and_an_extra_row_are_named(self):
        pr = self.make_request()
        rfe = self.make_child(pr["id"], "rfes", issued_on=day(-3))
        deadline_id = "rfes/%d/rfe_response" % rfe["id"]
        with sqlite3.connect(self.server.db) as db:
            row = db.execute("SELECT * FROM deadlines WHERE deadline_id = ?",
                             (deadline_id,)).fetchone()
            db.execute("DELETE FROM deadlines WHERE deadline_id = ?", (deadline_id,))
        code, out, _ = self.verify()
        self.assertEqual(code, 1)
        self.assertIn("%s (due %s) is computed but not in the ledger" % (deadline_id, day(81)),
                      out)
        with sqlite3.connect(self.server.db) as db:
            db.execute("INSERT INTO deadlines VALUES (%s)" % ",".join("?" * len(row)),
                       row[:1] + ("rfes/999999/rfe_response",) + row[2:])
            db.execute("INSERT INTO deadlines VALUES (%s)" % ",".join("?" * len(row)), row)
        code, out, _ = self.verify()
        self.assertEqual(code, 1)
        self.assertIn("rfes/999999/rfe_response (due %s) is in the ledger but not computed"
                      % day(81), out)
        with sqlite3.connect(self.server.db) as db:
            db.execute("DELETE FROM deadlines WHERE deadline_id = 'rfes/999999/rfe_response'")
        self.assertEqual(self.verify()[0], 0)

    def test_a_client_alone_is_verified_and_rebuilt(self):
        """The rows of a client with no request are checked like a request's: a changed date, a
        missing row, and a row left behind once the client has a request are each named, and
        a rebuild puts them right."""
        alone = self.make_client(passport_expires_on=day(90))
        deadline_id = "clients/%d/passport_expiry" % alone["id"]
        self.assertEqual(self.verify()[0], 0)
        with sqlite3.connect(self.server.db) as db:
            db.execute("UPDATE deadlines SET due_on = '2001-01-01' WHERE deadline_id = ?",
                       (deadline_id,))
        code, out, _ = self.verify()
        self.assertEqual(code, 1, out)
        self.assertIn("client %d (no request): %s: due_on" % (alone["id"], deadline_id), out)
        with sqlite3.connect(self.server.db) as db:
            row = db.execute("SELECT * FROM deadlines WHERE deadline_id = ?",
                             (deadline_id,)).fetchone()
            db.execute("DELETE FROM deadlines WHERE deadline_id = ?", (deadline_id,))
        code, out, _ = self.verify()
        self.assertEqual(code, 1, out)
        self.assertIn("%s (due %s) is computed but not in the ledger" % (deadline_id, day(90)),
                      out)
        # A client that has a request keeps no row of its own: one left there is named.
        paired = self.make_client(passport_expires_on=day(91))
        self.make_request(paired["id"])
        with sqlite3.connect(self.server.db) as db:
            db.execute("INSERT INTO deadlines VALUES (%s)" % ",".join("?" * len(row)),
                       (None, "clients/%d/passport_expiry" % paired["id"], row[2], paired["id"])
                       + row[4:])
        code, out, _ = self.verify()
        self.assertEqual(code, 1, out)
        self.assertIn("1 deadline(s) stand without a request for a client that has one", out)
        code, out, err = self.server.cli("deadlines", "rebuild")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.verify()[0], 0)
        got = self.list_all("/api/v1/clients/%d/deadlines" % alone["id"])
        self.assertEqual([(d["id"], d["due_on"], d["parole_request_id"]) for d in got],
                         [(deadline_id, day(90), None)])

    def test_one_kind_by_status_pages_in_order_like_the_whole_list(self):
        """A kind with a status (or unmet) reads the kind's own index range: every page size
        walks the same rows, in the same order, as the firm-wide status list filtered to the
        kind, ties on one date included."""
        made = set()
        for i in range(4):
            pr = self.make_request()
            for issued in (-100 - i, -100 - i, -40 - i):  # two on one date; one not overdue yet
                made.add(self.make_child(pr["id"], "rfes", issued_on=day(issued))["id"])
            self.make_child(pr["id"], "rfes", kind="noid", issued_on=day(-60 - i))
            self.make_child(pr["id"], "rfes", issued_on=day(-99 - i), responded_on=day(-1))
        for status in ("overdue", "upcoming", "met"):
            with self.subTest(status=status):
                firm = [d for d in self.list_all("/api/v1/deadlines?status=" + status)
                        if d["kind"] == "rfe_response"]
                self.assertTrue(firm, "the fixture has %s RFE responses" % status)
                for limit in (1, 2, 3, 200):
                    paged = self.list_all("/api/v1/deadlines?kind=rfe_response&status=%s"
                                          % status, limit=limit)
                    self.assertEqual([(d["id"], d["parole_request_id"]) for d in paged],
                                     [(d["id"], d["parole_request_id"]) for d in firm],
                                     "limit %d" % limit)
        unmet = self.list_all("/api/v1/deadlines?kind=rfe_response&status=overdue")
        self.assertLessEqual(8, len([d for d in unmet if d["source"]["id"] in made]))

    def test_stage_facts_and_tally_are_verified(self):
        pr = self.make_request()
        self.make_child(pr["id"], "filings", filed_on=day(-40), receipt_number=unique_receipt())
        with sqlite3.connect(self.server.db) as db:
            db.execute("UPDATE parole_request_facts SET receipted = 0 WHERE parole_request_id = ?",
                       (pr["id"],))
        code, out, _ = self.verify()
        self.assertEqual(code, 1)
        self.assertIn("request %d: stage facts: receipted" % pr["id"], out)
        with sqlite3.connect(self.server.db) as db:
            db.execute("UPDATE parole_request_facts SET receipted = 1 WHERE parole_request_id = ?",
                       (pr["id"],))
            db.execute("UPDATE stage_tally SET requests = requests + 5"
                       " WHERE stage_class = 'receipted'")
        code, out, _ = self.verify()
        self.assertEqual(code, 1)
        self.assertIn("the stage tally differs from the stored facts", out)
        self.assertEqual(self.server.cli("deadlines", "rebuild")[0], 0)
        self.assertEqual(self.verify()[0], 0)

    def test_every_change_keeps_the_ledger_true(self):
        """Each kind of write moves the stored deadlines at once: a new event, an edit, an
        answer, a decision, a client's passport date, a rule, a deleted request."""
        client = self.make_client(passport_expires_on=day(300))
        first = self.make_request(client["id"], location="inside_us")
        second = self.make_request(client["id"])
        rfe = self.make_child(first["id"], "rfes", issued_on=day(-5))
        self.patch("/api/v1/parole-requests/%d/rfes/%d" % (first["id"], rfe["id"]),
                   {"responded_on": day(-1)}, headers={"If-Match": '"1"'})
        self.make_child(first["id"], "decisions", decided_on=day(-2), outcome="approved",
                        valid_from=day(-2), valid_until=day(400))
        self.patch("/api/v1/clients/%d" % client["id"], {"passport_expires_on": day(200)},
                   headers={"If-Match": '"%d"' % client["version"]})
        passport = "clients/%d/passport_expiry" % client["id"]
        firm = [d for d in self.list_all("/api/v1/deadlines") if d["id"] == passport]
        self.assertEqual(len(firm), 1, "a client's passport date shows once")
        self.assertEqual(firm[0]["due_on"], day(200))
        self.assertEqual(firm[0]["parole_request_id"], first["id"], "under its lowest request")
        # A rule edit moves every deadline under it (here only its version: lead times).
        rule = [r for r in self.list_all("/api/v1/deadline-rules")
                if r["kind"] == "passport_expiry"][0]
        r = self.patch("/api/v1/deadline-rules/%d" % rule["id"], {"lead_times": [30, 0]},
                       headers={"If-Match": '"%d"' % rule["version"]})
        self.assertStatus(r, 200)
        with sqlite3.connect(self.server.db) as db:
            versions = {v for (v,) in db.execute(
                "SELECT DISTINCT rule_version FROM deadlines WHERE rule_id = ?", (rule["id"],))}
        self.assertEqual(versions, {rule["version"] + 1})
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % second["id"]), 204)
        code, out, err = self.verify()
        self.assertEqual(code, 0, out + err)
        with sqlite3.connect(self.server.db) as db:
            left = db.execute("SELECT count(*) FROM deadlines WHERE parole_request_id = ?",
                              (second["id"],)).fetchone()[0]
            facts = db.execute("SELECT count(*) FROM parole_request_facts"
                               " WHERE parole_request_id = ?", (second["id"],)).fetchone()[0]
        self.assertEqual((left, facts), (0, 0), "a deleted request leaves no stored rows")

    def test_a_program_rule_edit_recomputes_that_programs_requests(self):
        rule = [r for r in self.list_all("/api/v1/deadline-rules")
                if r["code"] == "reparole_u4u"][0]
        general = [r for r in self.list_all("/api/v1/deadline-rules")
                   if r["code"] == "reparole_general"][0]
        rows = {}
        for program in ("u4u", "oaw"):  # two running programs (CHNV's termination ends its parole)
            pr = self.make_request(parole_type="program", program=program)
            self.make_child(pr["id"], "filings", filed_on=day(-200),
                            receipt_number=unique_receipt())
            self.make_child(pr["id"], "decisions", decided_on=day(-30), outcome="approved")
            self.make_child(pr["id"], "expirations", kind="i94", expires_on=day(400))
            rows[program] = pr["id"]

        def versions():
            with sqlite3.connect(self.server.db) as db:
                return dict(db.execute(
                    "SELECT parole_request_id, rule_version FROM deadlines"
                    " WHERE kind = 'reparole_filing' AND parole_request_id IN (?, ?)",
                    (rows["u4u"], rows["oaw"])).fetchall())

        self.assertEqual(versions(), {rows["u4u"]: rule["version"],
                                      rows["oaw"]: general["version"]})
        r = self.patch("/api/v1/deadline-rules/%d" % rule["id"], {"lead_times": [120, 30, 0]},
                       headers={"If-Match": '"%d"' % rule["version"]})
        self.assertStatus(r, 200)
        self.assertEqual(versions(), {rows["u4u"]: rule["version"] + 1,
                                      rows["oaw"]: general["version"]},
                         "the U4U request is recomputed under the edited rule, CHNV is not")
        code, out, err = self.verify()
        self.assertEqual(code, 0, out + err)

    def test_stage_counts_match_each_requests_stage(self):
        self.make_request()
        pr = self.make_request()
        self.make_child(pr["id"], "filings", filed_on=day(-40), receipt_number=unique_receipt())
        pr = self.make_request()
        self.make_child(pr["id"], "interviews", scheduled_at=late_evening(3))
        pr = self.make_request(location="inside_us")
        self.make_child(pr["id"], "decisions", decided_on=day(-2), outcome="approved",
                        valid_from=day(-2), valid_until=day(-1))
        counts = {}
        for request in self.list_all("/api/v1/parole-requests"):
            counts[request["stage"]] = counts.get(request["stage"], 0) + 1
        r = self.get("/api/v1/stats")
        self.assertStatus(r, 200)
        self.assertEqual({k: v for k, v in r.json["stages"].items() if v}, counts)
        self.assertEqual(r.json["total"], sum(counts.values()))


class LedgerAcrossRestarts(unittest.TestCase):
    """What a server start does to a ledger: its own servers on one database directory."""

    def setUp(self):
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            server.stop()
        if self.servers:
            self.servers[0].cleanup()

    def start(self, timezone, db_dir=None):
        server = Server(timezone=timezone, db_dir=db_dir)
        if db_dir is not None:
            server.own_dir = False
        server.start(bootstrap=db_dir is None)
        self.servers.append(server)
        return server

    def call(self, server, method, path, body=None, headers=None):
        h = {"Authorization": "Bearer " + self.key}
        h.update(headers or {})
        return server.call(method, path, body, headers=h)

    def test_a_new_zone_rebuilds_and_verify_adopts_the_stored_zone(self):
        first = self.start(FIRM_TZ)
        code, out, err = first.cli("api-key", "add", "--name", "ledger", "--scopes", "read,write")
        self.assertEqual(code, 0, err)
        self.key = out.strip()
        client = self.call(first, "POST", "/api/v1/clients",
                           {"family_name": "Zone", "given_name": "Test"}).json
        pr = self.call(first, "POST", "/api/v1/parole-requests",
                       {"client_id": client["id"], "parole_type": "humanitarian"}).json
        interview = self.call(first, "POST", "/api/v1/parole-requests/%d/interviews" % pr["id"],
                              {"kind": "interview", "scheduled_at": late_evening(5)}).json
        path = "/api/v1/parole-requests/%d/deadlines" % pr["id"]
        ny_day = [d for d in self.call(first, "GET", path).json["items"]
                  if d["source"]["id"] == interview["id"]][0]["due_on"]
        self.assertEqual(ny_day, day(5))
        first.stop()
        tokyo = self.start("Asia/Tokyo", db_dir=first.dir)
        self.assertIn("stored deadlines rebuilt", tokyo.log_text())
        tokyo_day = [d for d in self.call(tokyo, "GET", path).json["items"]
                     if d["source"]["id"] == interview["id"]][0]["due_on"]
        self.assertEqual(datetime.date.fromisoformat(tokyo_day),
                         datetime.date.fromisoformat(ny_day) + datetime.timedelta(days=1),
                         "23:30 in New York is the next day in Tokyo")
        # The command line works in the zone the ledger was built in, unless told another.
        code, out, err = tokyo.cli("deadlines", "verify")
        self.assertEqual(code, 0, out + err)
        code, out, err = tokyo.cli("deadlines", "verify", "--timezone", FIRM_TZ)
        self.assertEqual(code, 2)
        self.assertIn("computed in the firm's time zone Asia/Tokyo", err)
        code, out, err = tokyo.cli("remind", "--dry-run", "--timezone", FIRM_TZ)
        self.assertEqual(code, 2)
        self.assertIn("--timezone Asia/Tokyo", err)
        self.assertEqual(tokyo.cli("remind", "--dry-run")[0], 0)

    def test_a_database_without_a_ledger_gets_one_at_start(self):
        """What an upgrade from before the ledger looks like: data, no stored deadlines."""
        first = self.start(FIRM_TZ)
        code, out, err = first.cli("api-key", "add", "--name", "ledger", "--scopes", "read,write")
        self.key = out.strip()
        client = self.call(first, "POST", "/api/v1/clients",
                           {"family_name": "Upgrade", "given_name": "Test"}).json
        pr = self.call(first, "POST", "/api/v1/parole-requests",
                       {"client_id": client["id"], "parole_type": "humanitarian"}).json
        self.call(first, "POST", "/api/v1/parole-requests/%d/rfes" % pr["id"],
                  {"issued_on": day(-10)})
        first.stop()
        with sqlite3.connect(first.db) as db:
            for table in ("deadlines", "parole_request_facts", "stage_tally",
                          "deadline_ledger_basis"):
                db.execute("DELETE FROM %s" % table)
        self.assertEqual(first.cli("deadlines", "verify")[0], 1, "the empty ledger differs")
        again = self.start(FIRM_TZ, db_dir=first.dir)
        self.assertIn("stored deadlines rebuilt", again.log_text())
        items = self.call(again, "GET", "/api/v1/deadlines").json["items"]
        self.assertEqual([d["kind"] for d in items if d["parole_request_id"] == pr["id"]],
                         ["rfe_response"])
        self.assertEqual(again.cli("deadlines", "verify")[0], 0)
        again.stop()
        # A start with nothing changed rebuilds nothing.
        third = self.start(FIRM_TZ, db_dir=first.dir)
        self.assertNotIn("stored deadlines rebuilt", third.log_text())


if __name__ == "__main__":
    unittest.main()
