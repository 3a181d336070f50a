"""A client's travel history and the deadlines it starts (issue 12): entries under
/api/v1/clients/{id}/entries, the asylum one-year deadline from the last arrival (tracked or
not, met by an I-589 on any of the client's requests), and the AR-11 change-of-address report
10 days after a move (met by an AR-11 filed since). Both are the client's: shown under each of
its requests, once in the firm-wide list, and never settled by a decision."""

import datetime
import unittest

from harness import ApiTestCase, day


def year_after(date):
    d = datetime.date.fromisoformat(date)
    try:
        return d.replace(year=d.year + 1).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28).isoformat()


class Entries(ApiTestCase):

    def entries_path(self, client):
        return "/api/v1/clients/%d/entries" % client["id"]

    def of_kind(self, pr, kind):
        return [d for d in self.list_all("/api/v1/parole-requests/%d/deadlines" % pr["id"])
                if d["kind"] == kind]

    def test_entries_are_a_clients_own_records(self):
        client = self.make_client()
        r = self.post(self.entries_path(client), {"arrived_on": day(-300), "port": "JFK",
                                                   "class_of_admission": " uhp ",
                                                   "notes": "Arrived with her son."})
        self.assertStatus(r, 201)
        e = r.json
        self.assertEqual((e["client_id"], e["class_of_admission"], e["departed_on"]),
                         (client["id"], "UHP", None))
        self.assertEqual(r.header("Location"), "%s/%d" % (self.entries_path(client), e["id"]))
        listed = self.list_all(self.entries_path(client))
        self.assertEqual([x["id"] for x in listed], [e["id"]])
        self.assertNotIn("notes", listed[0], "narratives stay out of lists")
        p = self.patch("%s/%d" % (self.entries_path(client), e["id"]),
                       {"departed_on": day(-10)}, headers={"If-Match": '"1"'})
        self.assertStatus(p, 200)
        self.assertEqual(p.json["version"], 2)
        for body, field in (({"arrived_on": day(1)}, "arrived_on"),
                            ({"arrived_on": day(-5), "departed_on": day(-6)}, "departed_on"),
                            ({"arrived_on": day(-5), "class_of_admission": "PAROLEE"},
                             "class_of_admission"),
                            ({"departed_on": day(-5)}, "arrived_on")):
            self.assertProblem(self.post(self.entries_path(client), body), 422, field=field)
        self.assertProblem(self.get("/api/v1/clients/999999/entries"), 404)
        self.assertProblem(self.get("%s/%d" % ("/api/v1/clients/%d/entries"
                                               % self.make_client()["id"], e["id"])), 404)
        # A client with recorded entries is not deleted along with them.
        self.assertStatus(self.delete("/api/v1/clients/%d" % client["id"]), 409)
        self.assertStatus(self.delete("%s/%d" % (self.entries_path(client), e["id"])), 204)
        events = self.list_all("/api/v1/audit-events?entity=entries&entity_id=%d" % e["id"])
        self.assertEqual([x["action"] for x in events], ["create", "update", "delete"])

    def test_asylum_one_year_from_the_last_arrival(self):
        client = self.make_client()
        first = self.make_request(client["id"])
        second = self.make_request(client["id"])
        self.assertEqual(self.of_kind(first, "asylum_one_year"), [], "no entry, no deadline")
        self.create(self.entries_path(client), {"arrived_on": day(-700), "departed_on": day(-500)})
        last = self.create(self.entries_path(client), {"arrived_on": day(-200)})
        d = self.of_kind(first, "asylum_one_year")[0]
        self.assertEqual((d["due_on"], d["status"], d["source"]),
                         (year_after(last["arrived_on"]), "upcoming",
                          {"resource": "clients", "id": client["id"]}))
        self.assertIn("208.4(a)(2)", d["rule"]["citation_source"])
        rule = [r for r in self.list_all("/api/v1/deadline-rules")
                if r["code"] == "asylum_one_year"][0]
        self.assertIn("208.4(a)(5)(iv)", rule["description"] + rule["citation_source"])
        # under each request, once firm-wide
        self.assertEqual(self.of_kind(second, "asylum_one_year")[0]["due_on"], d["due_on"])
        firm = [x for x in self.list_all("/api/v1/deadlines?kind=asylum_one_year")
                if x["client_id"] == client["id"]]
        self.assertEqual(len(firm), 1)
        # a denial of the first request leaves it running
        self.make_child(first["id"], "filings", filed_on=day(-100))
        self.make_child(first["id"], "decisions", decided_on=day(-1), outcome="denied")
        self.assertEqual(self.of_kind(first, "asylum_one_year")[0]["status"], "upcoming")
        # an I-589 on the second request meets it for the client
        self.make_child(second["id"], "filings", form="I-589", filed_on=day(-3))
        self.assertEqual(self.of_kind(first, "asylum_one_year")[0]["status"], "met")
        self.assertEqual(self.of_kind(second, "asylum_one_year")[0]["status"], "met")

    def test_asylum_deadline_not_tracked(self):
        client = self.make_client(track_asylum_deadline=False)
        self.assertIs(client["track_asylum_deadline"], False)
        pr = self.make_request(client["id"])
        self.create(self.entries_path(client), {"arrived_on": day(-30)})
        self.assertEqual(self.of_kind(pr, "asylum_one_year"), [])
        r = self.patch("/api/v1/clients/%d" % client["id"], {"track_asylum_deadline": True})
        self.assertStatus(r, 200)
        self.assertEqual(self.of_kind(pr, "asylum_one_year")[0]["due_on"], year_after(day(-30)))

    def test_a_change_of_address_is_reported_within_ten_days(self):
        client = self.make_client(address="1 Old Road, Newark NJ")
        self.assertIsNone(client["address_since"], "the first address is not a move")
        pr = self.make_request(client["id"])
        self.assertEqual(self.of_kind(pr, "address_change_report"), [])
        r = self.patch("/api/v1/clients/%d" % client["id"], {"address": "2 New Street, Trenton"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["address_since"], day(0))
        d = self.of_kind(pr, "address_change_report")[0]
        self.assertEqual((d["due_on"], d["status"]), (day(10), "upcoming"))
        self.assertIn("265", d["rule"]["citation_source"])
        # a move typed with its own date counts from that date
        r = self.patch("/api/v1/clients/%d" % client["id"],
                       {"address": "3 Third Avenue, Camden", "address_since": day(-12)})
        self.assertStatus(r, 200)
        d = self.of_kind(pr, "address_change_report")[0]
        self.assertEqual((d["due_on"], d["status"]), (day(-2), "overdue"))
        # an AR-11 filed before the move does not meet it; one filed since does
        self.make_child(pr["id"], "filings", form="AR-11", filed_on=day(-13))
        self.assertEqual(self.of_kind(pr, "address_change_report")[0]["status"], "overdue")
        self.make_child(pr["id"], "filings", form="AR-11", filed_on=day(-1))
        self.assertEqual(self.of_kind(pr, "address_change_report")[0]["status"], "met")
        # an edit that leaves the address alone keeps its date
        r = self.patch("/api/v1/clients/%d" % client["id"], {"phone": "+1 973 555 0100"})
        self.assertEqual(r.json["address_since"], day(-12))


class ClientWithNoRequest(ApiTestCase):
    """A client's own deadlines stand before the client has a parole request: the asylum
    one-year deadline, the change-of-address report and the passport date show on the client's
    deadlines and in the firm-wide list (parole_request_id null), move under the first request
    once there is one, and stand alone again when that request goes."""

    def own(self, client):
        return {d["kind"]: d for d in self.list_all("/api/v1/clients/%d/deadlines" % client["id"])}

    def firm(self, client, kind):
        return [d for d in self.list_all("/api/v1/deadlines?kind=%s" % kind)
                if d["client_id"] == client["id"]]

    def test_own_deadlines_stand_without_a_request(self):
        client = self.make_client(passport_expires_on=day(400), address="1 First Street")
        self.assertEqual(set(self.own(client)), {"passport_expiry"})
        self.create("/api/v1/clients/%d/entries" % client["id"], {"arrived_on": day(-300)})
        self.assertStatus(self.patch("/api/v1/clients/%d" % client["id"],
                                     {"address": "2 Second Street", "address_since": day(-12)}),
                          200)
        own = self.own(client)
        self.assertEqual(set(own), {"passport_expiry", "asylum_one_year", "address_change_report"})
        for d in own.values():
            self.assertIsNone(d["parole_request_id"], d)
            self.assertEqual(d["source"], {"resource": "clients", "id": client["id"]})
        self.assertEqual((own["asylum_one_year"]["due_on"], own["asylum_one_year"]["status"]),
                         (year_after(day(-300)), "upcoming"))
        self.assertEqual((own["address_change_report"]["due_on"],
                          own["address_change_report"]["status"]), (day(-2), "overdue"))
        # firm-wide once, in the overdue list too, and on no one's own list
        self.assertEqual([d["parole_request_id"] for d in self.firm(client, "asylum_one_year")],
                         [None])
        overdue = self.list_all("/api/v1/deadlines?status=overdue&kind=address_change_report")
        self.assertIn(own["address_change_report"]["id"], [d["id"] for d in overdue])
        mine = self.list_all("/api/v1/deadlines?assigned_to=me")
        self.assertNotIn(client["id"], [d["client_id"] for d in mine])
        # filters on the client's list
        self.assertEqual([d["kind"] for d in self.list_all(
            "/api/v1/clients/%d/deadlines?status=overdue" % client["id"])],
            ["address_change_report"])
        # a first request: they move under it, still once firm-wide
        pr = self.make_request(client["id"])
        own = self.own(client)
        self.assertEqual({d["parole_request_id"] for d in own.values()}, {pr["id"]})
        self.assertEqual([d["parole_request_id"] for d in self.firm(client, "asylum_one_year")],
                         [pr["id"]])
        # an I-589 under it meets the asylum deadline
        f = self.make_child(pr["id"], "filings", form="I-589", filed_on=day(-1))
        self.assertEqual(self.own(client)["asylum_one_year"]["status"], "met")
        # the request gone (its filing first): the client's own stand alone again
        self.assertStatus(self.delete("/api/v1/parole-requests/%d/filings/%d"
                                      % (pr["id"], f["id"])), 204)
        self.assertStatus(self.delete("/api/v1/parole-requests/%d" % pr["id"]), 204)
        own = self.own(client)
        self.assertEqual({d["parole_request_id"] for d in own.values()}, {None})
        self.assertEqual(own["asylum_one_year"]["status"], "upcoming")
        # untracked, then the client deleted: nothing is left behind
        self.assertStatus(self.patch("/api/v1/clients/%d" % client["id"],
                                     {"track_asylum_deadline": False}), 200)
        self.assertNotIn("asylum_one_year", self.own(client))
        for e in self.list_all("/api/v1/clients/%d/entries" % client["id"]):
            self.assertStatus(self.delete("/api/v1/clients/%d/entries/%d"
                                          % (client["id"], e["id"])), 204)
        self.assertStatus(self.delete("/api/v1/clients/%d" % client["id"]), 204)
        self.assertEqual(self.firm(client, "passport_expiry"), [])
        self.assertEqual(self.firm(client, "address_change_report"), [])
        self.assertProblem(self.get("/api/v1/clients/%d/deadlines" % client["id"]), 404)

    def test_a_page_boundary_on_a_client_alone(self):
        """Paged one at a time, the firm's list shows a client's own deadline with no request
        exactly once, between those of requests due the same day."""
        alone = self.make_client(passport_expires_on=day(523))
        with_request = self.make_client(passport_expires_on=day(523))
        self.make_request(with_request["id"])
        third = self.make_client(passport_expires_on=day(523))
        seen = [(d["client_id"], d["parole_request_id"]) for d in self.list_all(
            "/api/v1/deadlines?kind=passport_expiry&from=%s&to=%s" % (day(523), day(523)),
            limit=1)]
        ours = [x for x in seen if x[0] in (alone["id"], with_request["id"], third["id"])]
        self.assertEqual(len(ours), 3, seen)
        self.assertEqual(len(set(seen)), len(seen), "a deadline listed twice: %r" % seen)
        self.assertIn((alone["id"], None), ours)
        self.assertIn((third["id"], None), ours)

if __name__ == "__main__":
    unittest.main()
