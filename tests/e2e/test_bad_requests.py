"""The table of bad requests: at least 15 per resource.

Each row is (label, method, body or patch, expected status, expected field(s) or None). For every
row the test asserts the status, that each named field appears in errors[].field, and that nothing
changed: the collection list (every page) and the target record's GET (and for children the parent
request's GET) are byte-identical before and after.

A body may be a function of the fixture (a dict) for values only known at run time.
"""

import unittest
import urllib.parse

from harness import (OMIT, Raw, VALID_CHILD, ApiTestCase, day, token, unique_a_number,
                     unique_receipt)

LISTS = ("clients", "parole-requests", "filings", "rfes", "interviews", "decisions",
         "expirations")
LONG = lambda n: "x" * n  # noqa: E731

MALFORMED = [
    ("malformed JSON (truncated)", Raw('{"a": '), 400, None),
    ("malformed JSON (trailing comma)", Raw('{"a": 1,}'), 400, None),
    ("malformed JSON (trailing garbage)", Raw('{} x'), 400, None),
    ("malformed JSON (empty body)", Raw(b""), 400, None),
    ("body is an array", [], 400, None),
    ("body is a string", "hello", 400, None),
    ("body is null", None, 400, None),
    ("body is a number", 42, 400, None),
]


def _rows_with_malformed(rows, method):
    out = list(rows)
    for label, body, status, field in MALFORMED:
        if body is None:
            body = Raw("null")
        out.append((label + " (" + method + ")", method, body, status, field))
    return out


# ------------------------------------------------------------------------------------------------
# Clients

CLIENT = {"family_name": "Bondarenko", "given_name": "Iryna"}


def c(**kw):
    body = dict(CLIENT)
    body.update(kw)
    for k in [k for k, v in body.items() if v is OMIT]:
        del body[k]
    return body


CLIENT_ROWS = [
    ("unknown field", "POST", c(nickname="Ira"), 422, "nickname"),
    ("missing family_name", "POST", c(family_name=OMIT), 422, "family_name"),
    ("missing given_name", "POST", c(given_name=OMIT), 422, "given_name"),
    ("empty object", "POST", {}, 422, ["family_name", "given_name"]),
    ("family_name wrong type (number)", "POST", c(family_name=123), 422, "family_name"),
    ("given_name wrong type (bool)", "POST", c(given_name=True), 422, "given_name"),
    ("family_name null", "POST", c(family_name=None), 422, "family_name"),
    ("given_name empty", "POST", c(given_name=""), 422, "given_name"),
    ("family_name 201 characters", "POST", c(family_name=LONG(201)), 422, "family_name"),
    ("other_names not an array", "POST", c(other_names="Ira"), 422, "other_names"),
    ("other_names element wrong type", "POST", c(other_names=["Ira", 5]), 422, "other_names[1]"),
    ("other_names 21 entries", "POST", c(other_names=["N%d" % i for i in range(21)]), 422,
     "other_names"),
    ("other_names empty entry", "POST", c(other_names=["Ira", "Irka", ""]), 422,
     "other_names[2]"),
    ("date_of_birth impossible 2025-02-30", "POST", c(date_of_birth="2025-02-30"), 422,
     "date_of_birth"),
    ("date_of_birth 2025-02-29 (not a leap year)", "POST", c(date_of_birth="2025-02-29"), 422,
     "date_of_birth"),
    ("date_of_birth not ISO", "POST", c(date_of_birth="03/04/1990"), 422, "date_of_birth"),
    ("date_of_birth unpadded", "POST", c(date_of_birth="1990-3-4"), 422, "date_of_birth"),
    ("date_of_birth in the future", "POST", lambda fx: c(date_of_birth=day(+1)), 422,
     "date_of_birth"),
    ("date_of_birth year 1899", "POST", c(date_of_birth="1899-12-31"), 422, "date_of_birth"),
    ("passport_expires_on month 13", "POST", c(passport_expires_on="2027-13-01"), 422,
     "passport_expires_on"),
    ("a_number too short A123456", "POST", c(a_number="A123456"), 422, "a_number"),
    ("a_number too long A1234567890", "POST", c(a_number="A1234567890"), 422, "a_number"),
    ("a_number with two letters", "POST", c(a_number="AA12345678"), 422, "a_number"),
    ("a_number with letters", "POST", c(a_number="A12345678X"), 422, "a_number"),
    ("citizenship XX", "POST", c(citizenship="XX"), 422, "citizenship"),
    ("country_of_birth USA (alpha-3)", "POST", c(country_of_birth="USA"), 422,
     "country_of_birth"),
    ("passport_country numeric", "POST", c(passport_country="80"), 422, "passport_country"),
    ("preferred_language en_US (underscore)", "POST", c(preferred_language="en_US"), 422,
     "preferred_language"),
    ("preferred_language too-long primary subtag", "POST",
     c(preferred_language="englishlanguage"), 422, "preferred_language"),
    ("preferred_language empty", "POST", c(preferred_language=""), 422, "preferred_language"),
    ("email without @", "POST", c(email="iryna.example.com"), 422, "email"),
    ("email without dot in domain", "POST", c(email="iryna@localhost"), 422, "email"),
    ("email 255 characters", "POST", c(email="a" * 243 + "@example.com"), 422, "email"),
    ("phone too few digits", "POST", c(phone="12-34"), 422, "phone"),
    ("phone with letters", "POST", c(phone="+1 555 CALL NOW"), 422, "phone"),
    ("passport_number too short", "POST", c(passport_number="AB1"), 422, "passport_number"),
    ("passport_number punctuation", "POST", c(passport_number="AB#123456"), 422,
     "passport_number"),
    ("address 1001 characters", "POST", c(address=LONG(1001)), 422, "address"),
    ("notes 10001 characters", "POST", c(notes=LONG(10001)), 422, "notes"),
    ("notes wrong type (object)", "POST", c(notes={"text": "x"}), 422, "notes"),
    ("read-only id in create", "POST", c(id=12345), 422, "id"),
    ("given_name with a newline", "POST", c(given_name="Iryna\nPetrivna"), 422, "given_name"),
    ("family_name with a tab", "POST", c(family_name="Bondar\tenko"), 422, "family_name"),
    ("other_names entry with a control character", "POST", c(other_names=["ok", "a\u0007b"]),
     422, "other_names[1]"),
    ("notes with a NUL character", "POST", c(notes="a\u0000b"), 422, "notes"),
    ("multiple errors at once", "POST",
     {"family_name": 5, "given_name": "", "a_number": "A1", "citizenship": "XX", "bogus": 1,
      "date_of_birth": "2025-02-30"},
     422, ["family_name", "given_name", "a_number", "citizenship", "bogus", "date_of_birth"]),
    ("PATCH family_name null (required)", "PATCH", {"family_name": None}, 422, "family_name"),
    ("PATCH given_name wrong type", "PATCH", {"given_name": ["a"]}, 422, "given_name"),
    ("PATCH read-only id", "PATCH", lambda fx: {"id": fx["id"] + 1000}, 422, "id"),
    ("PATCH read-only version", "PATCH", {"version": 7}, 422, "version"),
    ("PATCH read-only created_at", "PATCH", {"created_at": "2020-01-01T00:00:00Z"}, 422,
     "created_at"),
    ("PATCH read-only updated_at", "PATCH", {"updated_at": "2020-01-01T00:00:00Z"}, 422,
     "updated_at"),
    ("PATCH unknown field", "PATCH", {"middle_name": "M"}, 422, "middle_name"),
    ("PATCH email empty string", "PATCH", {"email": ""}, 422, "email"),
    ("PATCH a_number bad", "PATCH", {"a_number": "B12345678"}, 422, "a_number"),
    ("PATCH valid + invalid together (all-or-nothing)", "PATCH",
     {"notes": "changed", "citizenship": "XX"}, 422, "citizenship"),
    ("DELETE client with parole requests", "DELETE", None, 409, None),
]
CLIENT_ROWS = _rows_with_malformed(CLIENT_ROWS, "POST")
CLIENT_ROWS = _rows_with_malformed(CLIENT_ROWS, "PATCH")

# ------------------------------------------------------------------------------------------------
# Parole requests


def pr(**kw):
    def build(fx):
        body = {"client_id": fx["client_id"], "parole_type": "humanitarian"}
        body.update(kw)
        for k in [k for k, v in body.items() if v is OMIT]:
            del body[k]
        return body
    return build


PR_ROWS = [
    ("unknown field", "POST", pr(priority="high"), 422, "priority"),
    ("missing client_id", "POST", pr(client_id=OMIT), 422, "client_id"),
    ("missing parole_type", "POST", pr(parole_type=OMIT), 422, "parole_type"),
    ("client_id does not exist", "POST", pr(client_id=987654321), 422, "client_id"),
    ("client_id wrong type (string)", "POST",
     lambda fx: pr(client_id=str(fx["client_id"]))(fx), 422, "client_id"),
    ("client_id wrong type (float)", "POST", pr(client_id=1.5), 422, "client_id"),
    ("client_id null", "POST", pr(client_id=None), 422, "client_id"),
    ("parole_type unknown", "POST", pr(parole_type="tourist"), 422, "parole_type"),
    ("parole_type wrong case", "POST", pr(parole_type="Humanitarian"), 422, "parole_type"),
    ("parole_type wrong type", "POST", pr(parole_type=3), 422, "parole_type"),
    ("location unknown", "POST", pr(location="at_sea"), 422, "location"),
    ("sponsor_status unknown", "POST", pr(sponsor_status="friend"), 422, "sponsor_status"),
    ("expedite string", "POST", pr(expedite="yes"), 422, "expedite"),
    ("expedite number", "POST", pr(expedite=1), 422, "expedite"),
    ("program starts with digit", "POST", pr(parole_type="program", program="4u"), 422,
     "program"),
    ("program no row has", "POST", pr(parole_type="program", program="u-4-x"), 422, "program"),
    ("program 33 characters", "POST", pr(parole_type="program", program="a" * 33), 422,
     "program"),
    ("sponsor_name 201 characters", "POST", pr(sponsor_name=LONG(201)), 422, "sponsor_name"),
    ("sponsor_relationship 101 characters", "POST", pr(sponsor_relationship=LONG(101)), 422,
     "sponsor_relationship"),
    ("summary 10001 characters", "POST", pr(summary=LONG(10001)), 422, "summary"),
    ("sponsor_name empty", "POST", pr(sponsor_name=""), 422, "sponsor_name"),
    ("sponsor_name with a newline", "POST", pr(sponsor_name="Ann\nLee"), 422, "sponsor_name"),
    ("summary with a NUL character", "POST", pr(summary="a\u0000b"), 422, "summary"),
    ("read-only stage in create", "POST", pr(stage="paroled"), 422, "stage"),
    ("multiple errors at once", "POST",
     {"client_id": "x", "parole_type": "tourist", "location": "mars", "expedite": "no",
      "foo": 1},
     422, ["client_id", "parole_type", "location", "expedite", "foo"]),
    ("PATCH read-only stage", "PATCH", {"stage": "paroled"}, 422, "stage"),
    ("PATCH read-only id", "PATCH", {"id": 1}, 422, "id"),
    ("PATCH client_id null (required)", "PATCH", {"client_id": None}, 422, "client_id"),
    ("PATCH parole_type null (required)", "PATCH", {"parole_type": None}, 422, "parole_type"),
    ("PATCH client_id to a missing client", "PATCH", {"client_id": 987654321}, 422,
     "client_id"),
    ("PATCH summary empty string", "PATCH", {"summary": ""}, 422, "summary"),
    ("PATCH unknown field", "PATCH", {"status": "open"}, 422, "status"),
    ("PATCH parole_type unknown", "PATCH", {"parole_type": "medical_", "summary": "ok"}, 422,
     "parole_type"),
    ("DELETE request that has a filing", "DELETE", None, 409, None),
]
PR_ROWS = _rows_with_malformed(PR_ROWS, "POST")
PR_ROWS = _rows_with_malformed(PR_ROWS, "PATCH")

# ------------------------------------------------------------------------------------------------
# Children


def child(name, **kw):
    body = dict(VALID_CHILD[name])
    body.update(kw)
    for k in [k for k, v in body.items() if v is OMIT]:
        del body[k]
    return body


def f(**kw):
    return child("filings", **kw)


FILING_ROWS = [
    ("unknown field", "POST", f(status="pending"), 422, "status"),
    ("missing form", "POST", f(form=OMIT), 422, "form"),
    ("missing filed_on", "POST", f(filed_on=OMIT), 422, "filed_on"),
    ("form without dash", "POST", f(form="I131"), 422, "form"),
    ("form lower case", "POST", f(form="i-131"), 422, "form"),
    ("form unknown", "POST", f(form="I-999"), 422, "form"),
    ("filed_on in the future", "POST", f(filed_on=day(1)), 422, "filed_on"),
    ("receipt_notice_on in the future", "POST", f(receipt_notice_on=day(2)), 422,
     "receipt_notice_on"),
    ("filed_on impossible 2025-02-30", "POST", f(filed_on="2025-02-30"), 422, "filed_on"),
    ("filed_on year 2200", "POST", f(filed_on="2200-01-01"), 422, "filed_on"),
    ("filed_on wrong type", "POST", f(filed_on=20250110), 422, "filed_on"),
    ("kind unknown", "POST", f(kind="renewal"), 422, "kind"),
    ("receipt_number too short", "POST", f(receipt_number="IOE12345"), 422, "receipt_number"),
    ("receipt_number digit in prefix", "POST", f(receipt_number="1OE0912345678"), 422,
     "receipt_number"),
    ("receipt_number 11 digits", "POST", f(receipt_number="IOE09123456789"), 422,
     "receipt_number"),
    ("receipt_number empty", "POST", f(receipt_number=""), 422, "receipt_number"),
    ("receipt_notice_on before filed_on", "POST", f(receipt_notice_on="2025-01-09"), 422,
     "receipt_notice_on"),
    ("fee_cents negative", "POST", f(fee_cents=-1), 422, "fee_cents"),
    ("fee_cents too large", "POST", f(fee_cents=100000001), 422, "fee_cents"),
    ("fee_cents fractional", "POST", f(fee_cents=630.5), 422, "fee_cents"),
    ("fee_cents string", "POST", f(fee_cents="63000"), 422, "fee_cents"),
    ("method unknown", "POST", f(method="fax"), 422, "method"),
    ("notes 10001 characters", "POST", f(notes=LONG(10001)), 422, "notes"),
    ("read-only warnings in create", "POST", f(warnings=[]), 422, "warnings"),
    ("duplicate receipt number (normalised) -> 409", "POST",
     lambda fx: f(receipt_number=fx["dup_receipt_variant"]), 409, "receipt_number"),
    ("multiple errors at once", "POST",
     {"form": "I-999", "filed_on": "2025-02-30", "fee_cents": -5, "method": "pigeon", "x": 1},
     422, ["form", "filed_on", "fee_cents", "method", "x"]),
    ("PATCH read-only parole_request_id", "PATCH", {"parole_request_id": 1}, 422,
     "parole_request_id"),
    ("PATCH read-only warnings", "PATCH", {"warnings": []}, 422, "warnings"),
    ("PATCH filed_on null (required)", "PATCH", {"filed_on": None}, 422, "filed_on"),
    ("PATCH form null (required)", "PATCH", {"form": None}, 422, "form"),
    ("PATCH receipt_notice_on before stored filed_on", "PATCH",
     {"receipt_notice_on": "2025-01-01"}, 422, "receipt_notice_on"),
    ("PATCH filed_on after stored receipt_notice_on", "PATCH", {"filed_on": "2025-02-01"}, 422,
     "receipt_notice_on"),
    ("PATCH receipt_number on another filing -> 409", "PATCH",
     lambda fx: {"receipt_number": fx["dup_receipt"]}, 409, "receipt_number"),
    ("PATCH notes empty string", "PATCH", {"notes": ""}, 422, "notes"),
]
FILING_ROWS = _rows_with_malformed(FILING_ROWS, "POST")
FILING_ROWS = _rows_with_malformed(FILING_ROWS, "PATCH")


def r_(**kw):
    return child("rfes", **kw)


RFE_ROWS = [
    ("unknown field", "POST", r_(due="2025-05-01"), 422, "due"),
    ("missing issued_on", "POST", r_(issued_on=OMIT), 422, "issued_on"),
    ("issued_on in the future", "POST", r_(issued_on=day(1)), 422, "issued_on"),
    ("responded_on in the future", "POST", r_(responded_on=day(3)), 422, "responded_on"),
    ("a bad kind and dates out of order: both named", "POST",
     r_(kind="nope", issued_on="2025-03-10", responded_on="2025-03-01"), 422,
     ("kind", "responded_on")),
    ("issued_on impossible 2025-02-30", "POST", r_(issued_on="2025-02-30"), 422, "issued_on"),
    ("issued_on US format", "POST", r_(issued_on="03/01/2025"), 422, "issued_on"),
    ("issued_on year 1899", "POST", r_(issued_on="1899-12-31"), 422, "issued_on"),
    ("issued_on year 2200", "POST", r_(issued_on="2200-01-01"), 422, "issued_on"),
    ("issued_on wrong type", "POST", r_(issued_on=20250301), 422, "issued_on"),
    ("kind unknown", "POST", r_(kind="rfi"), 422, "kind"),
    ("kind upper case", "POST", r_(kind="RFE"), 422, "kind"),
    ("response_due_on before issued_on", "POST", r_(response_due_on="2025-02-28"), 422,
     "response_due_on"),
    ("responded_on before issued_on", "POST", r_(responded_on="2025-02-01"), 422,
     "responded_on"),
    ("responded_on impossible", "POST", r_(responded_on="2025-04-31"), 422, "responded_on"),
    ("mailed string", "POST", r_(mailed="true"), 422, "mailed"),
    ("summary 10001 characters", "POST", r_(summary=LONG(10001)), 422, "summary"),
    ("read-only parole_request_id in create", "POST", r_(parole_request_id=1), 422,
     "parole_request_id"),
    ("multiple errors at once", "POST",
     {"issued_on": "2025-13-01", "kind": "memo", "mailed": "y", "extra": True},
     422, ["issued_on", "kind", "mailed", "extra"]),
    ("PATCH issued_on null (required)", "PATCH", {"issued_on": None}, 422, "issued_on"),
    ("PATCH read-only id", "PATCH", {"id": 99}, 422, "id"),
    ("PATCH responded_on before stored issued_on", "PATCH", {"responded_on": "2025-02-27"},
     422, "responded_on"),
    ("PATCH issued_on after stored response_due_on", "PATCH", {"issued_on": "2025-06-01"}, 422,
     "response_due_on"),
    ("PATCH summary empty string", "PATCH", {"summary": ""}, 422, "summary"),
    ("PATCH kind unknown", "PATCH", {"kind": "notice"}, 422, "kind"),
]
RFE_ROWS = _rows_with_malformed(RFE_ROWS, "POST")
RFE_ROWS = _rows_with_malformed(RFE_ROWS, "PATCH")


def i_(**kw):
    return child("interviews", **kw)


INTERVIEW_ROWS = [
    ("unknown field", "POST", i_(officer="Smith"), 422, "officer"),
    ("missing kind", "POST", i_(kind=OMIT), 422, "kind"),
    ("missing scheduled_at", "POST", i_(scheduled_at=OMIT), 422, "scheduled_at"),
    ("kind unknown", "POST", i_(kind="meeting"), 422, "kind"),
    ("kind capitalised", "POST", i_(kind="Interview"), 422, "kind"),
    ("scheduled_at without offset", "POST", i_(scheduled_at="2030-05-01T10:00:00"), 422,
     "scheduled_at"),
    ("scheduled_at date only", "POST", i_(scheduled_at="2030-05-01"), 422, "scheduled_at"),
    ("scheduled_at impossible day", "POST", i_(scheduled_at="2030-02-30T10:00:00Z"), 422,
     "scheduled_at"),
    ("scheduled_at hour 25", "POST", i_(scheduled_at="2030-05-01T25:00:00Z"), 422,
     "scheduled_at"),
    ("scheduled_at bad offset", "POST", i_(scheduled_at="2030-05-01T10:00:00+25:00"), 422,
     "scheduled_at"),
    ("scheduled_at wrong type", "POST", i_(scheduled_at=1893456000), 422, "scheduled_at"),
    ("outcome unknown", "POST", i_(outcome="done"), 422, "outcome"),
    ("location 501 characters", "POST", i_(location=LONG(501)), 422, "location"),
    ("notes 10001 characters", "POST", i_(notes=LONG(10001)), 422, "notes"),
    ("multiple errors at once", "POST",
     {"kind": "chat", "scheduled_at": "tomorrow", "outcome": "maybe", "room": 5},
     422, ["kind", "scheduled_at", "outcome", "room"]),
    ("PATCH kind null (required)", "PATCH", {"kind": None}, 422, "kind"),
    ("PATCH scheduled_at null (required)", "PATCH", {"scheduled_at": None}, 422,
     "scheduled_at"),
    ("PATCH read-only parole_request_id", "PATCH", {"parole_request_id": 2}, 422,
     "parole_request_id"),
    ("PATCH location empty string", "PATCH", {"location": ""}, 422, "location"),
    ("PATCH outcome unknown", "PATCH", {"outcome": "Completed"}, 422, "outcome"),
]
INTERVIEW_ROWS = _rows_with_malformed(INTERVIEW_ROWS, "POST")
INTERVIEW_ROWS = _rows_with_malformed(INTERVIEW_ROWS, "PATCH")


def d_(**kw):
    return child("decisions", **kw)


DECISION_ROWS = [
    ("unknown field", "POST", d_(officer="Smith"), 422, "officer"),
    ("missing decided_on", "POST", d_(decided_on=OMIT), 422, "decided_on"),
    ("missing outcome", "POST", d_(outcome=OMIT), 422, "outcome"),
    ("outcome unknown", "POST", d_(outcome="granted"), 422, "outcome"),
    ("outcome is a stage name, not an outcome", "POST", d_(outcome="closed"), 422, "outcome"),
    ("outcome upper case", "POST", d_(outcome="APPROVED"), 422, "outcome"),
    ("decided_on in the future", "POST", d_(decided_on=day(1)), 422, "decided_on"),
    ("decided_on impossible 2025-02-30", "POST", d_(decided_on="2025-02-30"), 422,
     "decided_on"),
    ("decided_on before the first filing", "POST", d_(decided_on="2025-01-09"), 422,
     "decided_on"),
    ("valid_until before valid_from", "POST",
     d_(valid_from="2025-06-01", valid_until="2025-05-31"), 422, "valid_until"),
    ("valid_from impossible", "POST", d_(valid_from="2025-06-31"), 422, "valid_from"),
    ("valid_until wrong type", "POST", d_(valid_until=True), 422, "valid_until"),
    ("mailed string", "POST", d_(mailed="no"), 422, "mailed"),
    ("notes 10001 characters", "POST", d_(notes=LONG(10001)), 422, "notes"),
    ("read-only created_at in create", "POST", d_(created_at="2025-01-01T00:00:00Z"), 422,
     "created_at"),
    ("multiple errors at once", "POST",
     {"decided_on": "2025-00-10", "outcome": "yes", "valid_from": "x", "mailed": 0, "z": 1},
     422, ["decided_on", "outcome", "valid_from", "mailed", "z"]),
    ("PATCH outcome null (required)", "PATCH", {"outcome": None}, 422, "outcome"),
    ("PATCH decided_on null (required)", "PATCH", {"decided_on": None}, 422, "decided_on"),
    ("PATCH read-only version", "PATCH", {"version": 1}, 422, "version"),
    ("PATCH valid_until before stored valid_from", "PATCH", {"valid_until": "2025-05-01"}, 422,
     "valid_until"),
    ("PATCH decided_on before the first filing", "PATCH", {"decided_on": "2024-12-31"}, 422,
     "decided_on"),
    ("PATCH notes empty string", "PATCH", {"notes": ""}, 422, "notes"),
]
DECISION_ROWS = _rows_with_malformed(DECISION_ROWS, "POST")
DECISION_ROWS = _rows_with_malformed(DECISION_ROWS, "PATCH")


def e_(**kw):
    return child("expirations", **kw)


EXPIRATION_ROWS = [
    ("unknown field", "POST", e_(reminder=True), 422, "reminder"),
    ("missing kind", "POST", e_(kind=OMIT), 422, "kind"),
    ("missing expires_on", "POST", e_(expires_on=OMIT), 422, "expires_on"),
    ("kind unknown", "POST", e_(kind="visa"), 422, "kind"),
    ("kind I-94 spelled as a form", "POST", e_(kind="I-94"), 422, "kind"),
    ("kind upper case", "POST", e_(kind="PAROLE"), 422, "kind"),
    ("EAD card number of the wrong shape", "POST",
     e_(kind="ead", document_number="12345678901"), 422, "document_number"),
    ("I-94 number of the wrong shape", "POST",
     e_(kind="i94", document_number="EAC1234567890"), 422, "document_number"),
    ("I-94 number with a letter in the last place", "POST",
     e_(kind="i94", document_number="123456789A"), 422, "document_number"),
    ("I-94 number with two letters", "POST",
     e_(kind="i94", document_number="123456789AB"), 422, "document_number"),
    ("expires_on impossible 2025-02-30", "POST", e_(expires_on="2025-02-30"), 422,
     "expires_on"),
    ("expires_on 2025-02-29 (not a leap year)", "POST", e_(expires_on="2025-02-29"), 422,
     "expires_on"),
    ("expires_on year 2200", "POST", e_(expires_on="2200-01-01"), 422, "expires_on"),
    ("expires_on with time", "POST", e_(expires_on="2026-01-01T00:00:00Z"), 422, "expires_on"),
    ("expires_on wrong type", "POST", e_(expires_on=20260101), 422, "expires_on"),
    ("document_number empty", "POST", e_(document_number=""), 422, "document_number"),
    ("document_number 31 characters", "POST", e_(document_number="A" * 31), 422,
     "document_number"),
    ("document_number punctuation", "POST", e_(document_number="AB#123"), 422,
     "document_number"),
    ("notes 10001 characters", "POST", e_(notes=LONG(10001)), 422, "notes"),
    ("multiple errors at once", "POST",
     {"kind": "permit", "expires_on": "soon", "document_number": "!!", "q": 1},
     422, ["kind", "expires_on", "document_number", "q"]),
    ("PATCH expires_on null (required)", "PATCH", {"expires_on": None}, 422, "expires_on"),
    ("PATCH kind null (required)", "PATCH", {"kind": None}, 422, "kind"),
    ("PATCH read-only created_at", "PATCH", {"created_at": "2025-01-01T00:00:00Z"}, 422,
     "created_at"),
    ("PATCH kind unknown", "PATCH", {"kind": "green_card"}, 422, "kind"),
    ("PATCH document_number empty string", "PATCH", {"document_number": ""}, 422,
     "document_number"),
]
EXPIRATION_ROWS = _rows_with_malformed(EXPIRATION_ROWS, "POST")
EXPIRATION_ROWS = _rows_with_malformed(EXPIRATION_ROWS, "PATCH")


# ------------------------------------------------------------------------------------------------
# The machinery


class BadRequestTable(ApiTestCase):
    resource = None

    def fixture(self):
        """Returns a dict with: collection (POST/list path), record (PATCH/DELETE path),
        watch (paths whose GET must not change) and values rows may need."""
        raise NotImplementedError

    def snapshot(self, fx):
        """Raw bytes of every watched GET (every page of lists)."""
        snap = []
        for path in fx["watch"]:
            if path.rsplit("/", 1)[-1] in LISTS:
                cursor = None
                while True:
                    url = path + "?limit=200"
                    if cursor:
                        url += "&cursor=" + urllib.parse.quote(cursor, safe="")
                    r = self.get(url)
                    self.assertStatus(r, 200)
                    snap.append((url, r.raw))
                    cursor = r.json["next_cursor"]
                    if cursor is None:
                        break
            else:
                r = self.get(path)
                self.assertStatus(r, 200)
                snap.append((path, r.raw, r.header("ETag")))
        return snap

    def run_row(self, row):
        label, method, body, status, field = row
        fx = self.fixture()
        if callable(body):
            body = body(fx)
        path = fx["collection"] if method == "POST" else fx["record"]
        before = self.snapshot(fx)
        r = self.request(method, path, body if method != "DELETE" else None)
        self.assertEqual(r.status, status, "%s: %r" % (label, r))
        fields = [] if field is None else ([field] if isinstance(field, str) else list(field))
        for name in fields:
            self.assertIn(name, r.fields(), "%s: errors[].field should name %r: %r"
                          % (label, name, r))
        self.assertIsInstance(r.json, dict, "%s: problem body expected: %r" % (label, r))
        if status == 422:
            self.assertEqual(r.json.get("type"), "urn:paroletrack:problem:validation", repr(r))
            self.assertIsInstance(r.json.get("errors"), list, repr(r))
            if "unknown field" in label and field:
                msgs = [e.get("message") for e in r.json["errors"] if e.get("field") == field]
                self.assertIn("unknown field", msgs, repr(r))
        elif status == 409:
            self.assertEqual(r.json.get("type"), "urn:paroletrack:problem:conflict", repr(r))
        elif status == 400 and label.startswith("malformed JSON"):
            self.assertEqual(r.json.get("type"), "urn:paroletrack:problem:malformed-json",
                             repr(r))
            self.assertNotIn("errors", r.json, "malformed JSON has no errors[]: %r" % r)
            self.assertTrue(r.json.get("detail"), "detail should say where: %r" % r)
        after = self.snapshot(fx)
        self.assertEqual(before, after, "%s: something changed after a refused request" % label)


def attach(cls, rows):
    assert len(rows) >= 15, "%s has only %d rows" % (cls.__name__, len(rows))
    for i, row in enumerate(rows):
        def test(self, row=row):
            self.run_row(row)
        slug = "".join(ch if ch.isalnum() else "_" for ch in row[0].lower()).strip("_")
        name = "test_%02d_%s_%s" % (i + 1, row[1].lower(), slug)[:110]
        test.__name__ = name
        test.__doc__ = "%s %s -> %d" % (row[1], row[0], row[3])
        setattr(cls, name, test)
    return cls


class BadClients(BadRequestTable):
    def fixture(self):
        cl = self.make_client(email="iryna@example.com", notes="original",
                              other_names=["Ira"], a_number=unique_a_number())
        # A client with a parole request: DELETE of it must be 409.
        self.make_request(cl["id"])
        return {"collection": "/api/v1/clients", "record": "/api/v1/clients/%d" % cl["id"],
                "id": cl["id"],
                "watch": ["/api/v1/clients", "/api/v1/clients/%d" % cl["id"]]}


class BadParoleRequests(BadRequestTable):
    def fixture(self):
        cl = self.make_client()
        req = self.make_request(cl["id"], summary="original", sponsor_name="Ann Lee")
        self.make_child(req["id"], "filings")
        rec = "/api/v1/parole-requests/%d" % req["id"]
        return {"collection": "/api/v1/parole-requests", "record": rec, "id": req["id"],
                "client_id": cl["id"],
                "watch": ["/api/v1/parole-requests", rec, rec + "/filings",
                          "/api/v1/clients/%d" % cl["id"]]}


class BadChild(BadRequestTable):
    child = None
    record_fields = {}

    def fixture(self):
        req = self.make_request()
        base = "/api/v1/parole-requests/%d" % req["id"]
        first = self.make_child(req["id"], "filings", filed_on="2025-01-10",
                                receipt_notice_on="2025-01-20",
                                receipt_number=unique_receipt())
        if self.child == "filings":
            rec = first
        else:
            rec = self.make_child(req["id"], self.child, **self.record_fields)
        # A receipt number on a filing of another request, for the 409 rows.
        other = self.make_request()
        dup = unique_receipt()
        self.make_child(other["id"], "filings", receipt_number=dup)
        variant = "%s-%s %s" % (dup[:3].lower(), dup[3:8], dup[8:])
        coll = base + "/" + self.child
        return {"collection": coll, "record": "%s/%d" % (coll, rec["id"]), "id": rec["id"],
                "dup_receipt": dup, "dup_receipt_variant": variant,
                "watch": [coll, "%s/%d" % (coll, rec["id"]), base, base + "/filings",
                          base + "/timeline"]}


class BadFilings(BadChild):
    child = "filings"


class BadRfes(BadChild):
    child = "rfes"
    record_fields = {"issued_on": "2025-03-01", "response_due_on": "2025-05-24",
                     "summary": "original"}


class BadInterviews(BadChild):
    child = "interviews"
    record_fields = {"kind": "biometrics", "scheduled_at": "2030-05-01T10:00:00-04:00",
                     "location": "ASC Newark"}


class BadDecisions(BadChild):
    child = "decisions"
    record_fields = {"decided_on": "2025-06-01", "outcome": "approved",
                     "valid_from": "2025-06-01", "valid_until": "2026-06-01",
                     "notes": "original"}


class BadExpirations(BadChild):
    child = "expirations"
    record_fields = {"kind": "i94", "expires_on": "2026-06-01", "document_number": "12345678901"}


attach(BadClients, CLIENT_ROWS)
attach(BadParoleRequests, PR_ROWS)
attach(BadFilings, FILING_ROWS)
attach(BadRfes, RFE_ROWS)
attach(BadInterviews, INTERVIEW_ROWS)
attach(BadDecisions, DECISION_ROWS)
attach(BadExpirations, EXPIRATION_ROWS)

if __name__ == "__main__":
    unittest.main()
