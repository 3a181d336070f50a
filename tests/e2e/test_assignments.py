"""Parole requests assigned to an attorney and a paralegal: validation of the user and role, and
the `assigned_to` list filter (a user id or `me`)."""

import unittest

from harness import ApiTestCase


class Assignments(ApiTestCase):

    def test_assign_and_filter(self):
        attorney = self.session_as("attorney")
        paralegal = self.session_as("paralegal")
        viewer = self.make_user("viewer")
        cl = self.make_client()
        mine = self.make_request(cl["id"], assigned_attorney_id=attorney.account.id)
        self.assertEqual(mine["assigned_attorney_id"], attorney.account.id)
        self.assertIsNone(mine["assigned_paralegal_id"])
        theirs = self.make_request(cl["id"], assigned_paralegal_id=paralegal.account.id)
        both = self.make_request(cl["id"])
        r = self.patch("/api/v1/parole-requests/%d" % both["id"],
                       {"assigned_attorney_id": attorney.account.id,
                        "assigned_paralegal_id": paralegal.account.id})
        self.assertStatus(r, 200)
        nobody = self.make_request(cl["id"])
        ids = lambda items: sorted(i["id"] for i in items)  # noqa: E731
        self.assertEqual(ids(self.list_all("/api/v1/parole-requests?assigned_to=%d"
                                           % attorney.account.id)),
                         sorted([mine["id"], both["id"]]))
        self.assertEqual(ids(self.list_all("/api/v1/parole-requests?assigned_to=%d"
                                           % paralegal.account.id)),
                         sorted([theirs["id"], both["id"]]))
        self.assertEqual(ids(self.list_all("/api/v1/parole-requests?assigned_to=me",
                                           auth=attorney)), sorted([mine["id"], both["id"]]))
        self.assertEqual(ids(self.list_all("/api/v1/parole-requests?assigned_to=me",
                                           auth=paralegal)), sorted([theirs["id"], both["id"]]))
        self.assertEqual(self.list_all("/api/v1/parole-requests?assigned_to=%d" % viewer.id), [])
        self.assertNotIn(nobody["id"], ids(self.list_all(
            "/api/v1/parole-requests?assigned_to=%d" % attorney.account.id)))
        # Clearing.
        r = self.patch("/api/v1/parole-requests/%d" % mine["id"], {"assigned_attorney_id": None})
        self.assertStatus(r, 200)
        self.assertIsNone(r.json["assigned_attorney_id"])

    def test_disabled_assignee_does_not_block_other_edits(self):
        """An assignment is checked when made or changed: once the assigned attorney is
        disabled, the request can still be edited, but nobody can newly assign them."""
        attorney = self.make_user("attorney")
        other = self.make_user("attorney")
        cl = self.make_client()
        pr = self.make_request(cl["id"], assigned_attorney_id=attorney.id)
        other_pr = self.make_request(cl["id"])
        r = self.patch("/api/v1/users/%d" % attorney.id, {"disabled": True})
        self.assertStatus(r, 200)
        r = self.patch("/api/v1/parole-requests/%d" % pr["id"], {"sponsor_name": "Kept Sponsor"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["assigned_attorney_id"], attorney.id)
        r = self.patch("/api/v1/parole-requests/%d" % pr["id"],
                       {"assigned_attorney_id": attorney.id})
        self.assertStatus(r, 200)
        r = self.patch("/api/v1/parole-requests/%d" % other_pr["id"],
                       {"assigned_attorney_id": attorney.id})
        self.assertProblem(r, 422, "validation", field="assigned_attorney_id")
        r = self.patch("/api/v1/parole-requests/%d" % pr["id"],
                       {"assigned_attorney_id": other.id})
        self.assertStatus(r, 200)
        r = self.patch("/api/v1/parole-requests/%d" % pr["id"],
                       {"assigned_attorney_id": attorney.id})
        self.assertProblem(r, 422, "validation", field="assigned_attorney_id")

    def test_wrong_user_or_role_is_422(self):
        """An attorney slot takes an attorney (or admin); a paralegal slot a paralegal (or a
        higher role: the spec leaves "a role that fits" to the server); never a viewer."""
        attorney = self.make_user("attorney")
        paralegal = self.make_user("paralegal")
        viewer = self.make_user("viewer")
        cl = self.make_client()
        for body, field in (({"assigned_attorney_id": paralegal.id}, "assigned_attorney_id"),
                            ({"assigned_attorney_id": viewer.id}, "assigned_attorney_id"),
                            ({"assigned_attorney_id": 987654}, "assigned_attorney_id"),
                            ({"assigned_paralegal_id": viewer.id}, "assigned_paralegal_id"),
                            ({"assigned_paralegal_id": 987654}, "assigned_paralegal_id"),
                            ({"assigned_paralegal_id": "x"}, "assigned_paralegal_id")):
            with self.subTest(body=body):
                r = self.post("/api/v1/parole-requests",
                              dict(body, client_id=cl["id"], parole_type="medical"))
                self.assertProblem(r, 422, "validation", field=field)
        pr = self.make_request(cl["id"])
        r = self.patch("/api/v1/parole-requests/%d" % pr["id"],
                       {"assigned_attorney_id": viewer.id})
        self.assertProblem(r, 422, "validation", field="assigned_attorney_id")

    def test_assigned_to_validation(self):
        key = self.make_key(["read"])
        for query in ("assigned_to=abc", "assigned_to=0", "assigned_to=-1", "assigned_to="):
            with self.subTest(query=query):
                self.assertProblem(self.get("/api/v1/parole-requests?" + query), 400,
                                   "invalid-query", field="assigned_to")
        r = self.get("/api/v1/parole-requests?assigned_to=me", auth=key)
        self.assertIn(r.status, (400, 403), "`me` needs a user session: %r" % r)


if __name__ == "__main__":
    unittest.main()
