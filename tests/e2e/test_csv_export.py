"""Lists as CSV (issue 13): `?format=csv` or `Accept: text/csv` on any record list answers the
whole filtered list (every page) as RFC 4180 CSV for spreadsheets: UTF-8 with a byte order mark,
CRLF records, a header row of the list items' members, identifiers masked and narratives left
out as in the JSON list, formula cells neutralised, a file name to save as; the export is
audited (`export`, the filters' names and the row count, never values)."""

import csv
import http.client
import io
import socket
import time
import unittest

from harness import ApiTestCase, auth_headers, day, token


class CsvExport(ApiTestCase):

    def rows_of(self, r):
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), "text/csv; charset=utf-8")
        self.assertTrue(r.raw.startswith(b"\xef\xbb\xbf"), r.raw[:10])
        text = r.raw[3:].decode("utf-8")
        self.assertTrue(text == "" or text.endswith("\r\n"), repr(text[-20:]))
        return list(csv.reader(io.StringIO(text, newline="")))

    def test_every_page_of_a_filtered_list(self):
        family = "Csv" + token(8)
        made = [self.make_client(family_name=family, given_name="N%03d" % i,
                                 a_number="A%09d" % (777000000 + i))
                for i in range(205)]
        other = self.make_client(family_name="Other" + token(6))
        r = self.get("/api/v1/clients?format=csv&q=" + family)
        rows = self.rows_of(r)
        header, body = rows[0], rows[1:]
        self.assertEqual(header[:3], ["id", "family_name", "given_name"])
        self.assertEqual(len(body), 205, "all pages, not the first 200")
        ids = [int(row[header.index("id")]) for row in body]
        self.assertEqual(ids, sorted(c["id"] for c in made))
        self.assertNotIn(other["id"], ids)
        a_numbers = {row[header.index("a_number")] for row in body}
        self.assertFalse(any("7770" in a for a in a_numbers), "identifiers masked as in lists")
        self.assertNotIn("notes", header, "narratives only with include=notes")
        self.assertIn('filename="clients-', r.header("Content-Disposition"))
        # streamed as it is read (chunked), every row counted in the audit event first
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")
        self.assertIsNone(r.header("Content-Length"))
        exported = [e for e in self.list_all("/api/v1/audit-events?entity=clients")
                    if e["action"] == "export"][-1]
        self.assertEqual(exported["changes"]["rows"]["after"], 205)
        self.assertEqual(exported["changes"]["filters"]["after"], ["q"])
        # Accept: text/csv does the same; the JSON list is unchanged by format=json.
        same = self.request("GET", "/api/v1/clients?q=" + family,
                            headers={"Accept": "text/csv"})
        self.assertEqual(self.rows_of(same), rows)
        self.assertEqual(len(self.get("/api/v1/clients?format=json&limit=5&q=" + family)
                             .json["items"]), 5)

    def test_a_slow_reader_gets_one_snapshot(self):
        """The rows come from the snapshot they were counted in: a client added while a slow
        spreadsheet tool is still reading the export is in neither."""
        family = "Snap" + token(8)
        # rows of 4 KiB: megabytes in all, more than the socket buffers between us hold
        names = ["Alias %02d " % n + "x" * 190 for n in range(20)]
        for i in range(1000):
            self.make_client(family_name=family, given_name="S%04d" % i, other_names=names)
        # a tiny receive window: the server can send only a little ahead of this reader
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        sock.settimeout(30)
        sock.connect((self.server.host, self.server.port))
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        conn.sock = sock
        conn.request("GET", "/api/v1/clients?format=csv&q=" + family,
                     headers=auth_headers(self.server.admin, "GET"))
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        first = resp.read(64)
        time.sleep(0.3)
        late = self.make_client(family_name=family, given_name="Late")
        text = (first + resp.read()).decode("utf-8-sig")
        conn.close()
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(len(rows) - 1, 1000)
        self.assertNotIn(str(late["id"]), [row[0] for row in rows[1:]])
        exported = [e for e in self.list_all("/api/v1/audit-events?entity=clients")
                    if e["action"] == "export"][-1]
        self.assertEqual(exported["changes"]["rows"]["after"], 1000)

    def test_cells_spreadsheets_would_misread(self):
        c = self.make_client(family_name="=HYPERLINK(\"http://evil.example\")",
                             given_name="Ana, \"Rosa\"", phone="+1 973 555 0100",
                             other_names=["O'Brien", "Шевченко"])
        rows = self.rows_of(self.get("/api/v1/clients?format=csv&id=%d" % c["id"]))
        header, row = rows[0], rows[1]
        self.assertEqual(row[header.index("family_name")], "'=HYPERLINK(\"http://evil.example\")")
        self.assertEqual(row[header.index("given_name")], "Ana, \"Rosa\"")
        self.assertEqual(row[header.index("phone")], "'+1 973 555 0100")
        self.assertEqual(row[header.index("other_names")], '["O\'Brien","Шевченко"]')

    def test_a_request_s_events_and_the_audit_event(self):
        pr = self.make_request()
        for i in range(3):
            self.make_child(pr["id"], "rfes", issued_on=day(-10 - i))
        path = "/api/v1/parole-requests/%d/rfes" % pr["id"]
        rows = self.rows_of(self.get(path + "?format=csv"))
        self.assertEqual(len(rows), 4)
        self.assertIn("response_due_on", rows[0])
        events = [e for e in self.list_all("/api/v1/audit-events?entity=rfes")
                  if e["action"] == "export" and e["parole_request_id"] == pr["id"]]
        self.assertEqual(len(events), 1, events)
        self.assertEqual(events[0]["changes"]["rows"]["after"], 3)
        self.assertEqual(events[0]["changes"]["format"]["after"], "csv")
        self.assertEqual(events[0]["changes"]["filters"]["after"], [])
        family = "Csv" + token(8)
        self.make_client(family_name=family)
        self.rows_of(self.get("/api/v1/clients?format=csv&q=" + family))
        e = [e for e in self.list_all("/api/v1/audit-events?entity=clients")
             if e["action"] == "export"][-1]
        self.assertEqual(e["changes"]["filters"]["after"], ["q"])
        self.assertNotIn(family, str(e), "the filter's value is not in the trail")

    def test_deadlines_as_csv(self):
        pr = self.make_request()
        rfes = [self.make_child(pr["id"], "rfes", issued_on=day(-20 - i)) for i in range(3)]
        alone = self.make_client(passport_expires_on=day(40))
        path = "/api/v1/deadlines?kind=rfe_response&from=%s&to=%s" % (day(40), day(70))
        listed = self.list_all(path)
        r = self.get(path + "&format=csv")
        rows = self.rows_of(r)
        header = rows[0]
        self.assertEqual(header[:6], ["id", "kind", "due_on", "due_at", "opens_on", "status"])
        self.assertEqual([row[0] for row in rows[1:]], [d["id"] for d in listed],
                         "the same rows in the same order as the JSON list, all of them")
        for rfe in rfes:
            self.assertIn("rfes/%d/rfe_response" % rfe["id"], [row[0] for row in rows[1:]])
        self.assertIn('filename="deadlines-', r.header("Content-Disposition"))
        # a client with no request: its request cell is empty
        own = self.rows_of(self.get("/api/v1/clients/%d/deadlines?format=csv" % alone["id"]))
        self.assertEqual(len(own), 2)
        self.assertEqual(own[1][header.index("parole_request_id")], "")
        self.assertEqual(own[1][header.index("client_id")], str(alone["id"]))
        # one request's list, and the audit event with the filters' names
        mine = self.rows_of(self.get("/api/v1/parole-requests/%d/deadlines?format=csv" % pr["id"]))
        self.assertEqual(len(mine), 4)
        events = [e for e in self.list_all("/api/v1/audit-events?entity=deadlines")
                  if e["action"] == "export"]
        self.assertEqual(events[-1]["changes"]["filters"]["after"], [])
        self.assertEqual(events[-1]["parole_request_id"], pr["id"])
        self.assertIn(["kind", "from", "to"], [e["changes"]["filters"]["after"] for e in events])
        # a client's own list names the client
        self.assertIn(alone["id"], [e["changes"].get("client_id", {}).get("after")
                                    for e in events])
        self.assertProblem(self.get("/api/v1/deadlines?format=csv&limit=10"), 400, field="limit")

    def test_a_long_deadline_list_streams_every_page(self):
        for i in range(230):
            self.make_client(passport_expires_on=day(100 + i % 50))
        path = "/api/v1/deadlines?kind=passport_expiry"
        listed = self.list_all(path)
        self.assertGreater(len(listed), 200, "more than one of the stream's pages")
        r = self.get(path + "&format=csv")
        self.assertEqual(r.header("Transfer-Encoding"), "chunked")
        rows = self.rows_of(r)
        self.assertEqual([row[0] for row in rows[1:]], [d["id"] for d in listed],
                         "every row once, in the list's order, across the pages")
        exported = [e for e in self.list_all("/api/v1/audit-events?entity=deadlines")
                    if e["action"] == "export"][-1]
        self.assertEqual(exported["changes"]["rows"]["after"], len(listed))

    def test_bad_export_queries(self):
        self.assertProblem(self.get("/api/v1/clients?format=xlsx"), 400, field="format")
        self.assertProblem(self.get("/api/v1/clients?format=csv&limit=5"), 400, field="limit")
        self.assertProblem(self.get("/api/v1/clients?format=csv&cursor=abc"), 400, field="cursor")
        self.assertProblem(self.get("/api/v1/clients?format=csv&colour=red"), 400, field="colour")
        self.assertProblem(self.get("/api/v1/parole-requests/999999/rfes?format=csv"), 404)
        # A viewer may export what it may read; no one unauthenticated.
        self.assertStatus(self.get("/api/v1/clients?format=csv&q=nobody", auth=None), 401)


if __name__ == "__main__":
    unittest.main()
