"""`paroletrack import` (issue 13, CSV in): clients and their parole requests from the
spreadsheets firms keep, through the one write path (the API's checks and messages, audited as
the command line), all or nothing: every refused row is reported by file, line and field and
then nothing is stored; --dry-run stores nothing; a header names the fields, `ref` /
`client_ref` tie a request to a client of the same import."""

import os
import tempfile
import unittest

from harness import ApiTestCase, day, token


class Import(ApiTestCase):

    def write(self, name, text, bom=False):
        d = tempfile.mkdtemp(prefix="paroletrack-import-")
        self.addCleanup(lambda: [os.remove(os.path.join(d, f)) for f in os.listdir(d)]
                        and os.rmdir(d))
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    def run_import(self, *args):
        return self.server.cli("import", *args)

    def named(self, family):
        return [c for c in self.list_all("/api/v1/clients?q=" + family)
                if c["family_name"] == family]

    def test_clients_and_their_requests(self):
        family = "Imp" + token(8)
        clients = self.write("clients.csv", (
            "ref,family_name,given_name,a_number,other_names,track_asylum_deadline,address,"
            "passport_expires_on\r\n"
            'c1,%s,Olena,A0%08d,"Olena K; Олена",no,"1 Main St, Newark",%s\r\n'
            "c2,%s,José,,,,,\r\n") % (family, int(token(8), 36) % 10**8, day(200), family),
            bom=True)
        requests = self.write("requests.csv", (
            "client_ref,parole_type,program,summary,expedite\n"
            'c1,program,U4U,"Sponsor ""Ira"", her sister",yes\n'
            "c2,medical,,,\n"))
        code, out, err = self.run_import("--clients", clients, "--requests", requests)
        self.assertEqual(code, 0, out + err)
        self.assertIn("imported 4 record(s)", out)
        made = {c["given_name"]: c for c in self.named(family)}
        self.assertEqual(set(made), {"Olena", "José"})
        olena = self.get("/api/v1/clients/%d" % made["Olena"]["id"]).json
        self.assertEqual((olena["other_names"], olena["track_asylum_deadline"], olena["address"]),
                         (["Olena K", "Олена"], False, "1 Main St, Newark"))
        prs = self.list_all("/api/v1/parole-requests?client_id=%d" % olena["id"])
        self.assertEqual([(p["program"], p["expedite"]) for p in prs], [("u4u", True)])
        full = self.get("/api/v1/parole-requests/%d" % prs[0]["id"]).json
        self.assertEqual(full["summary"], 'Sponsor "Ira", her sister')
        # the write path ran: audited as the command line, the passport date is a deadline
        events = [e for e in self.list_all("/api/v1/audit-events?entity=clients")
                  if e["entity_id"] == olena["id"] and e["action"] == "create"]
        self.assertEqual([(e["action"], e["actor"]["type"]) for e in events], [("create", "cli")])
        own = self.list_all("/api/v1/clients/%d/deadlines" % olena["id"])
        self.assertIn(("passport_expiry", day(200)), [(d["kind"], d["due_on"]) for d in own])

    def test_every_refused_row_is_named_and_nothing_is_stored(self):
        family = "Imp" + token(8)
        clients = self.write("clients.csv", (
            "ref,family_name,given_name,email,date_of_birth\n"
            "a,%s,Good,good@example.org,1980-01-01\n"
            "b,%s,Bad,not-an-email,1980-01-01\n"
            "c,,Nameless,,\n"
            "d,%s,Future,,2999-01-01\n"
            "a,%s,Twice,,\n"
            "e,%s,Ragged\n") % (family, family, family, family, family))
        code, out, err = self.run_import("--clients", clients)
        self.assertEqual(code, 1, out + err)
        for line, field in ((3, "email"), (4, "family_name"), (5, "date_of_birth"), (6, "ref")):
            self.assertIn("clients.csv line %d: %s:" % (line, field), err)
        self.assertIn("clients.csv line 7: has 3 cells; the header has 5", err)
        self.assertIn("nothing was imported", err)
        self.assertNotIn("line 2", err)
        self.assertEqual(self.named(family), [], "not even the good row")

    def test_a_request_for_an_unknown_client_ref_stops_everything(self):
        family = "Imp" + token(8)
        clients = self.write("clients.csv", "ref,family_name,given_name\nx,%s,Ok\n" % family)
        requests = self.write("requests.csv", "client_ref,parole_type\ny,medical\nx,nope\n")
        code, out, err = self.run_import("--clients", clients, "--requests", requests)
        self.assertEqual(code, 1, out + err)
        self.assertIn("requests.csv line 2: client_ref: names no ref of the clients file", err)
        self.assertIn("requests.csv line 3: parole_type:", err)
        self.assertEqual(self.named(family), [])

    def test_a_dry_run_and_a_bad_header(self):
        family = "Imp" + token(8)
        clients = self.write("clients.csv", "family_name,given_name\n%s,Dry\n" % family)
        code, out, err = self.run_import("--clients", clients, "--dry-run")
        self.assertEqual(code, 0, out + err)
        self.assertIn("dry run: 1 record(s) would be imported", out)
        self.assertEqual(self.named(family), [])
        bad = self.write("clients.csv", "family_name,given_name,colour\n%s,X,red\n" % family)
        code, out, err = self.run_import("--clients", bad)
        self.assertEqual(code, 1)
        self.assertIn('line 1: column 3, "colour", is not a field of clients', err)
        unclosed = self.write("clients.csv", 'family_name,given_name\n"%s,X\n' % family)
        code, out, err = self.run_import("--clients", unclosed)
        self.assertEqual(code, 1)
        self.assertIn("line 2: a quoted cell is never closed", err)
        code, out, err = self.run_import()
        self.assertEqual(code, 2)
        self.assertIn("usage: paroletrack import", err)


if __name__ == "__main__":
    unittest.main()
