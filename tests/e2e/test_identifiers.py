"""Identifiers as firms type them (issue 12, "Identifiers"; ../shared/DOMAIN.md): I-94 numbers
of both shapes, A-numbers written with the A#, A- and USCIS# prefixes of forms and work
permits, Kosovo's XK, and a stateless client. Each is stored normalised and found by it; the
refused shapes are rows of test_bad_requests."""

import secrets
import unittest

from harness import ApiTestCase


def random_a_number():
    """An A-number no other test uses: A and nine digits."""
    return "A%09d" % secrets.randbelow(10 ** 9)


class Identifiers(ApiTestCase):

    def test_i94_numbers_of_both_eras(self):
        pr = self.make_request()
        for number, stored in (("12345678901", "12345678901"),    # before May 2019
                               ("123456789A1", "123456789A1"),    # since
                               ("123 456 789 z1", "123456789Z1")):  # as typed, normalised
            e = self.make_child(pr["id"], "expirations", kind="i94", expires_on="2027-01-01",
                                document_number=number)
            got = self.get("/api/v1/parole-requests/%d/expirations/%d" % (pr["id"], e["id"]))
            self.assertStatus(got, 200)
            self.assertEqual(got.json["document_number"], stored)

    def test_a_number_prefixes(self):
        digits = random_a_number()[1:]  # nine digits
        for typed in ("A# " + digits, "USCIS# " + digits, "USCIS #" + digits,
                      "A-%s-%s-%s" % (digits[:3], digits[3:6], digits[6:])):
            with self.subTest(typed=typed):
                client = self.make_client(a_number=typed)
                got = self.get("/api/v1/clients/%d" % client["id"])
                self.assertEqual(got.json["a_number"], "A" + digits)
                found = self.get("/api/v1/clients?a_number=" + "USCIS%23" + digits)
                self.assertStatus(found, 200)
                self.assertIn(client["id"], [c["id"] for c in found.json["items"]])
                self.assertStatus(self.delete("/api/v1/clients/%d" % client["id"]), 204)
        self.assertProblem(self.post("/api/v1/clients", {"family_name": "X", "given_name": "Y",
                                                         "a_number": "USCIS# 12345"}),
                           422, field="a_number")

    def test_kosovo_and_stateless(self):
        kosovar = self.make_client(citizenship="xk", country_of_birth="XK",
                                   passport_country="XK")
        self.assertEqual((kosovar["citizenship"], kosovar["country_of_birth"],
                          kosovar["passport_country"]), ("XK", "XK", "XK"))
        stateless = self.make_client(citizenship="Stateless", country_of_birth="SY")
        self.assertEqual(stateless["citizenship"], "stateless")
        listed = self.list_all("/api/v1/clients?citizenship=stateless")
        self.assertIn(stateless["id"], [c["id"] for c in listed])
        self.assertNotIn(kosovar["id"], [c["id"] for c in listed])
        self.assertProblem(self.post("/api/v1/clients", {"family_name": "X", "given_name": "Y",
                                                         "country_of_birth": "stateless"}),
                           422, field="country_of_birth")


if __name__ == "__main__":
    unittest.main()
