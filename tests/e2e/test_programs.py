"""Parole programs as data (issue 12, "Programs and their termination"): the programs API (read
by everyone, changed by admins with If-Match, audited), a request's program checked against it,
and a termination ending parole: the stage, the parole and work permit ends with the program's
citation, no re-parole window, the FRP exception, and an admin's edit moving every deadline of
the program's requests. The upgrade of free-text programs is tested at the end.

Dates are relative to today where the test builds its own program; the seeded CHNV and FRP
terminations (2025-04-24 and 2026-01-14) are in the past of any run of this suite."""

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
import unittest

from harness import ApiTestCase, day, run_cli, token, unique_receipt

PROGRAM_FIELDS = {"id", "code", "name", "aliases", "terminated_on", "citation_source",
                  "citation_date", "exceptions", "created_at", "updated_at", "version"}
I485_EXCEPTION = {"kind": "filing_on_or_before", "form": "I-485", "on_or_before": "2025-12-15",
                  "description": "An I-485 filed on or before 15 December 2025, or pending then."}


class ProgramsCase(ApiTestCase):

    def programs(self, **kw):
        return self.list_all("/api/v1/programs", **kw)

    def program(self, code):
        found = [p for p in self.programs() if p["code"] == code]
        self.assertEqual(len(found), 1, "one program %s" % code)
        return found[0]

    def new_program(self, **fields):
        """A program of the test's own (a fresh code), created as the admin."""
        body = {"code": "t" + token(8).lower(), "name": "Test program " + token(4),
                "citation_source": "Test notice", "citation_date": day(-400)}
        body.update(fields)
        r = self.post("/api/v1/programs", body)
        self.assertStatus(r, 201, "creating program %r" % body)
        return r.json

    def approved(self, program, i94=None, location="outside_us"):
        """A request of `program`, filed, approved 30 days ago, with an I-94 until `i94`."""
        pr = self.make_request(parole_type="program", program=program, location=location)
        self.make_child(pr["id"], "filings", filed_on=day(-200), receipt_number=unique_receipt())
        self.make_child(pr["id"], "decisions", decided_on=day(-30), outcome="approved")
        if i94:
            self.make_child(pr["id"], "expirations", kind="i94", expires_on=i94)
        return pr

    def deadlines(self, pr_id):
        return self.list_all("/api/v1/parole-requests/%d/deadlines" % pr_id)

    def one(self, pr_id, kind):
        got = [d for d in self.deadlines(pr_id) if d["kind"] == kind]
        self.assertEqual(len(got), 1, "one %s of request %d: %s" % (kind, pr_id, json.dumps(got)))
        return got[0]


class ProgramsApi(ProgramsCase):

    def test_seeded_programs_with_their_terminations(self):
        programs = {p["code"]: p for p in self.programs()}
        self.assertTrue({"u4u", "oaw", "frp", "chnv"} <= set(programs), sorted(programs))
        for p in programs.values():
            self.assertEqual(set(p), PROGRAM_FIELDS, repr(p))
        self.assertEqual(programs["chnv"]["terminated_on"], "2025-04-24")
        self.assertIn("90 FR 13611", programs["chnv"]["citation_source"])
        self.assertEqual(programs["frp"]["terminated_on"], "2026-01-14")
        self.assertEqual(programs["frp"]["citation_date"], "2025-12-15")
        self.assertEqual([(e["kind"], e["form"], e["on_or_before"])
                          for e in programs["frp"]["exceptions"]],
                         [("filing_on_or_before", "I-485", "2025-12-15")])
        self.assertIsNone(programs["u4u"]["terminated_on"])
        self.assertEqual(programs["u4u"]["exceptions"], [])

    def test_everyone_reads_only_admins_change(self):
        viewer = self.session_as("viewer")
        r = self.get("/api/v1/programs", auth=viewer)
        self.assertStatus(r, 200)
        one = r.json["items"][0]
        g = self.get("/api/v1/programs/%d" % one["id"], auth=viewer)
        self.assertStatus(g, 200)
        self.assertEqual(g.header("ETag"), '"%d"' % one["version"])
        key = self.make_key(("read",))
        self.assertStatus(self.get("/api/v1/programs", auth=key), 200)
        paralegal = self.session_as("paralegal")
        self.assertStatus(self.post("/api/v1/programs", {"code": "x", "name": "X",
                                                         "citation_source": "s",
                                                         "citation_date": "2025-01-01"},
                                    auth=paralegal), 403)
        self.assertStatus(self.patch("/api/v1/programs/%d" % one["id"], {"name": "X"},
                                     auth=paralegal), 403)
        self.assertEqual(self.get("/api/v1/programs/%d" % one["id"]).json, one)

    def test_create_normalises_and_is_audited(self):
        code = "Test Program " + token(6)
        r = self.post("/api/v1/programs", {"code": code, "name": "A test program",
                                           "aliases": ["Other Spelling " + token(4)],
                                           "citation_source": "Notice", "citation_date":
                                           "2024-01-01"})
        self.assertStatus(r, 201)
        p = r.json
        self.assertEqual(p["code"], code.lower().replace(" ", "_"))
        self.assertTrue(p["aliases"][0].startswith("other_spelling_"), p["aliases"])
        self.assertEqual(r.header("Location"), "/api/v1/programs/%d" % p["id"])
        self.assertEqual((p["terminated_on"], p["exceptions"], p["version"]), (None, [], 1))
        events = self.list_all("/api/v1/audit-events?entity=programs&entity_id=%d" % p["id"])
        self.assertEqual([e["action"] for e in events], ["create"])
        self.assertEqual(events[0]["changes"]["code"]["after"], p["code"])

    def test_bad_programs_are_refused_naming_the_field(self):
        before = self.programs()
        base = {"code": "t" + token(8).lower(), "name": "N", "citation_source": "S",
                "citation_date": "2025-01-01"}
        cases = [
            ({"code": "4u"}, "code"),
            ({"code": "u4u"}, "code"),                     # another program's code
            ({"aliases": ["uniting_for_ukraine"]}, "aliases[0]"),  # another program's alias
            ({"aliases": [base["code"]]}, "aliases[0]"),   # its own code
            ({"aliases": ["other_name", "other_name"]}, "aliases[1]"),  # twice
            ({"name": None}, "name"),
            ({"citation_date": "2025-02-30"}, "citation_date"),
            ({"terminated_on": "soon"}, "terminated_on"),
            ({"exceptions": [I485_EXCEPTION]}, "exceptions"),  # not terminated
            ({"terminated_on": "2026-01-01", "exceptions": [dict(I485_EXCEPTION, form="I-999")]},
             "exceptions"),
            ({"terminated_on": "2026-01-01", "exceptions": [dict(I485_EXCEPTION, kind="any")]},
             "exceptions"),
            ({"terminated_on": "2026-01-01",
              "exceptions": [dict(I485_EXCEPTION, on_or_before="2025-13-01")]}, "exceptions"),
            ({"terminated_on": "2026-01-01", "exceptions": [dict(I485_EXCEPTION, extra=1)]},
             "exceptions[0].extra"),
            ({"terminated_on": "2026-01-01", "exceptions": "I-485"}, "exceptions"),
            ({"id": 99}, "id"),
        ]
        for change, field in cases:
            body = dict(base)
            body.update(change)
            body = {k: v for k, v in body.items() if v is not None}
            r = self.post("/api/v1/programs", body)
            self.assertProblem(r, 422, field=field)
        self.assertEqual(self.programs(), before, "a refused program changes nothing")

    def test_patch_with_if_match_and_read_only_code(self):
        p = self.new_program()
        path = "/api/v1/programs/%d" % p["id"]
        self.assertStatus(self.patch(path, {"name": "Stale"}, headers={"If-Match": '"99"'}), 412)
        self.assertProblem(self.patch(path, {"code": "other"}), 422, field="code")
        r = self.patch(path, {"name": "Renamed", "terminated_on": day(10)},
                       headers={"If-Match": '"%d"' % p["version"]})
        self.assertStatus(r, 200)
        self.assertEqual((r.json["name"], r.json["terminated_on"], r.json["version"]),
                         ("Renamed", day(10), p["version"] + 1))
        events = self.list_all("/api/v1/audit-events?entity=programs&entity_id=%d" % p["id"])
        update = [e for e in events if e["action"] == "update"]
        self.assertEqual(len(update), 1)
        self.assertEqual(update[0]["changes"]["terminated_on"], {"before": None, "after": day(10)})
        self.assertNotIn("citation_source", update[0]["changes"])
        self.assertStatus(self.get("/api/v1/programs/999999"), 404)


class RequestProgram(ProgramsCase):

    def test_a_known_code_or_alias_any_case(self):
        for typed in ("U4U", "Uniting for Ukraine", "uniting-for-ukraine", " u4u "):
            pr = self.make_request(parole_type="program", program=typed)
            self.assertEqual(pr["program"], "u4u", typed)
        pr = self.make_request(parole_type="program", program="CHNV")
        self.assertEqual(pr["program"], "chnv")
        # a patch resolves too
        r = self.patch("/api/v1/parole-requests/%d" % pr["id"], {"program": "Ukraine"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["program"], "u4u")

    def test_an_unknown_program_is_refused_with_the_known_ones(self):
        client = self.make_client()
        mark = self.list_all("/api/v1/parole-requests?client_id=%d" % client["id"])
        r = self.post("/api/v1/parole-requests", {"client_id": client["id"],
                                                  "parole_type": "program",
                                                  "program": "nowhere"})
        self.assertProblem(r, 422, field="program")
        message = [e["message"] for e in r.json["errors"] if e["field"] == "program"][0]
        for code in ("chnv", "frp", "oaw", "u4u"):
            self.assertIn(code, message)
        self.assertEqual(self.list_all("/api/v1/parole-requests?client_id=%d" % client["id"]),
                         mark, "nothing stored")
        # a program added by an admin is known at once
        p = self.new_program()
        pr = self.make_request(client["id"], parole_type="program", program=p["code"].upper())
        self.assertEqual(pr["program"], p["code"])


class Termination(ProgramsCase):

    def test_chnv_parole_ends_on_the_termination_date(self):
        pr = self.approved("chnv", i94=day(200))
        ead = self.make_child(pr["id"], "expirations", kind="ead", expires_on=day(300))
        self.assertEqual(self.stage_of(pr["id"]), "terminated")
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["status"], end["program_code"]),
                         ("2025-04-24", "overdue", "chnv"))
        self.assertIn("90 FR 13611", end["rule"]["citation_source"])
        self.assertEqual(end["rule"]["citation_date"], "2025-03-25")
        self.assertEqual(end["title"], "Parole ends: program terminated")
        work = self.one(pr["id"], "ead_end")
        self.assertEqual((work["due_on"], work["program_code"], work["source"]["id"]),
                         ("2025-04-24", "chnv", ead["id"]))
        self.assertEqual([d for d in self.deadlines(pr["id"]) if d["kind"] == "reparole_filing"],
                         [], "no re-parole under a terminated program")
        # It stays in the firm-wide overdue list: the case that needs attention most.
        overdue = self.list_all("/api/v1/deadlines?status=overdue&from=2025-04-24&to=2025-04-24"
                                "&kind=parole_end")
        self.assertIn(end["id"], [d["id"] for d in overdue if d["parole_request_id"] == pr["id"]])
        # and in the stage filter
        self.assertIn(pr["id"], [p["id"] for p in self.list_all(
            "/api/v1/parole-requests?stage=terminated&client_id=%d" % pr["client_id"])])

    def test_a_parole_that_ended_before_is_untouched(self):
        pr = self.make_request(parole_type="program", program="chnv")
        self.make_child(pr["id"], "filings", filed_on="2023-01-10")
        self.make_child(pr["id"], "decisions", decided_on="2023-02-01", outcome="approved")
        self.make_child(pr["id"], "expirations", kind="i94", expires_on="2025-04-23")
        self.assertEqual(self.stage_of(pr["id"]), "expired")
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["program_code"]), ("2025-04-23", None))

    def test_frp_i485_exception(self):
        pr = self.approved("frp", i94=day(200))
        self.assertEqual(self.stage_of(pr["id"]), "terminated")
        self.assertEqual(self.one(pr["id"], "parole_end")["due_on"], "2026-01-14")
        # An I-485 filed on the exception's last day, still pending: parole runs to its own end.
        f = self.make_child(pr["id"], "filings", form="I-485", filed_on="2025-12-15")
        self.assertEqual(self.stage_of(pr["id"]), "paroled")
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["program_code"]), (day(200), None))
        # Decided: parole ends with the decision, FRP's notice cited.
        r = self.patch("/api/v1/parole-requests/%d/filings/%d" % (pr["id"], f["id"]),
                       {"decided_on": day(-2)})
        self.assertStatus(r, 200)
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["program_code"], end["status"]),
                         (day(-2), "frp", "overdue"))
        self.assertEqual(self.stage_of(pr["id"]), "expired")
        self.assertProblem(self.patch("/api/v1/parole-requests/%d/filings/%d" % (pr["id"],
                                                                             f["id"]),
                                      {"decided_on": "2025-12-01"}), 422, field="decided_on")

    def test_frp_exception_filed_under_another_request_of_the_client(self):
        """The I-485 is its own application: recorded under another request of the client, it
        still keeps the FRP parole."""
        pr = self.approved("frp", i94=day(200))
        self.assertEqual(self.stage_of(pr["id"]), "terminated")
        adjustment = self.make_request(pr["client_id"])
        self.make_child(adjustment["id"], "filings", form="I-485", filed_on="2025-12-01")
        self.assertEqual(self.stage_of(pr["id"]), "paroled")
        self.assertEqual(self.one(pr["id"], "parole_end")["due_on"], day(200))

    def test_an_approved_i485_settles_the_parole(self):
        """A permanent resident lives on parole no more: once the exception's I-485 is approved
        the parole end and the work permit end are met (the title says why) and leave the
        overdue list; a denial leaves the parole ended on the decision, overdue."""
        pr = self.approved("frp", i94=day(200))
        self.make_child(pr["id"], "expirations", kind="ead", ead_category="c11",
                        expires_on=day(300))
        adjustment = self.make_request(pr["client_id"])
        f = self.make_child(adjustment["id"], "filings", form="I-485", filed_on="2025-12-01")
        path = "/api/v1/parole-requests/%d/filings/%d" % (adjustment["id"], f["id"])
        # An outcome needs its date: 422 naming decided_on, nothing stored.
        self.assertProblem(self.patch(path, {"outcome": "approved"}), 422, field="decided_on")
        self.assertIsNone(self.get(path).json["outcome"])
        r = self.patch(path, {"decided_on": day(-2), "outcome": "denied"})
        self.assertStatus(r, 200)
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["status"], end["program_code"]),
                         (day(-2), "overdue", "frp"))
        overdue = self.list_all("/api/v1/deadlines?status=overdue&kind=parole_end&from=%s&to=%s"
                                % (day(-2), day(-2)))
        self.assertIn(end["id"], [d["id"] for d in overdue])
        self.assertStatus(self.patch(path, {"outcome": "approved"}), 200)
        for kind in ("parole_end", "ead_end"):
            d = self.one(pr["id"], kind)
            self.assertEqual((d["due_on"], d["status"]), (day(-2), "met"), d)
            self.assertTrue(d["title"].endswith("(settled: I-485 approved %s)" % day(-2)), d)
        overdue = self.list_all("/api/v1/deadlines?status=overdue&kind=parole_end&from=%s&to=%s"
                                % (day(-2), day(-2)))
        self.assertNotIn(end["id"], [d["id"] for d in overdue])
        # Rejected (returned unfiled): no exception, the termination ends the parole again.
        self.assertStatus(self.patch(path, {"outcome": "rejected"}), 200)
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["status"], end["program_code"]),
                         ("2026-01-14", "overdue", "frp"))
        self.assertEqual(self.stage_of(pr["id"]), "terminated")

    def test_an_admin_edit_moves_the_programs_deadlines(self):
        p = self.new_program()
        pr = self.approved(p["code"], i94=day(200))
        self.assertEqual(self.stage_of(pr["id"]), "paroled")
        self.assertEqual(self.one(pr["id"], "parole_end")["due_on"], day(200))
        self.assertEqual(len([d for d in self.deadlines(pr["id"])
                              if d["kind"] == "reparole_filing"]), 1)
        # Terminated from 20 days ahead: paroled until then, its parole end that date.
        r = self.patch("/api/v1/programs/%d" % p["id"], {"terminated_on": day(20),
                                                         "citation_source": "Notice " + token(4)})
        self.assertStatus(r, 200)
        self.assertEqual(self.stage_of(pr["id"]), "paroled")
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["status"], end["program_code"]),
                         (day(20), "upcoming", p["code"]))
        self.assertEqual(end["rule"]["citation_source"], r.json["citation_source"])
        self.assertEqual([d for d in self.deadlines(pr["id"]) if d["kind"] == "reparole_filing"],
                         [])
        # From yesterday: terminated now.
        self.assertStatus(self.patch("/api/v1/programs/%d" % p["id"],
                                     {"terminated_on": day(-1)}), 200)
        self.assertEqual(self.stage_of(pr["id"]), "terminated")
        # Undone: the request's own dates again.
        self.assertStatus(self.patch("/api/v1/programs/%d" % p["id"], {"terminated_on": None}),
                          200)
        self.assertEqual(self.stage_of(pr["id"]), "paroled")
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["program_code"]), (day(200), None))

    def test_an_unused_approval_abroad_ends_with_the_program(self):
        pr = self.approved("chnv")
        self.assertEqual(self.stage_of(pr["id"]), "terminated")
        end = self.one(pr["id"], "parole_end")
        self.assertEqual((end["due_on"], end["source"]["resource"], end["program_code"]),
                         ("2025-04-24", "decisions", "chnv"))


class UpgradeOfFreeTextPrograms(unittest.TestCase):
    """Migration 16 maps the free-text programs of an older database to codes (by code or
    alias, ignoring case) and `migrate` names the ones it could not."""

    def test_migration_maps_and_reports(self):
        d = tempfile.mkdtemp(prefix="paroletrack-programs-")
        self.addCleanup(shutil.rmtree, d, True)
        db = os.path.join(d, "test.db")
        code, out, err = run_cli("migrate", "--db", db, "--to", "15")
        self.assertEqual(code, 0, out + err)
        now = "2026-01-01T00:00:00Z"
        typed = ["u4u", "uniting_for_ukraine", "chnv_parole", "local_pilot", None]
        with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as c:
            c.execute("INSERT INTO clients (family_name, given_name, created_at, updated_at)"
                      " VALUES ('Legacy', 'Row', ?, ?)", (now, now))
            cid = c.execute("SELECT max(id) FROM clients").fetchone()[0]
            for program in typed + ["local_pilot"]:
                c.execute("INSERT INTO parole_requests (client_id, parole_type, program,"
                          " created_at, updated_at) VALUES (?, 'program', ?, ?, ?)",
                          (cid, program, now, now))
            c.execute("UPDATE parole_requests SET program = 'U4U' WHERE id = 1")
        code, out, err = run_cli("migrate", "--db", db)
        self.assertEqual(code, 0, out + err)
        self.assertIn('2 parole request(s) name the program "local_pilot"', err)
        self.assertNotIn("u4u", err.lower().replace("up to date", ""))
        with contextlib.closing(sqlite3.connect(db)) as c:
            got = [r[0] for r in c.execute("SELECT program FROM parole_requests ORDER BY id")]
        self.assertEqual(got, ["u4u", "u4u", "chnv", "local_pilot", None, "local_pilot"])


if __name__ == "__main__":
    unittest.main()
