"""Text round-trips exactly (any script, quotes, backslashes, SQL, HTML), lengths count
characters, and q search is case- and accent-insensitive across scripts."""

import unittest
import urllib.parse

from harness import ApiTestCase, Raw, token, unique_receipt

TEXTS = {
    "latin_accents": "Zoë Ñúñez-Çağlar Åsa Øre Ærø Łukasz Đorđević",
    "cyrillic": "Олена Шевченко-Ковальчук Їжак",
    "arabic": "محمد عبد الله الأفغاني",
    "arabic_harakat": "مُحَمَّد",
    "devanagari": "अनुराधा शर्मा",
    "emoji": "🙂 👨‍👩‍👧‍👦 🇺🇦 ❤️",
    "astral": "𝕏𝔸𝕄 𐍈 𠜎",
    "cjk": "王小明",
    "greek": "Ελένη Παπαδοπούλου",
    "quotes": "O'Brien \"Bobby\" ‘curly’ “double” «guillemets» `back`",
    "backslashes": "C:\\Users\\name\\ \\n \\u0041 \\\\ \\\"",
    "sql": "Robert'); DROP TABLE clients;-- ' OR '1'='1 /* */ %",
    "html": "<script>alert(\"x\")</script> &amp; <b>bold</b> <!-- c -->",
    "format": "%s %d %n %x %% {0} ${name} {{x}}",
    "decomposed": "Jose\u0301 Mu\u0308ller",
    "zero_width": "a\u200bb\u200dc\ufeffd",
    "bidi": "Ali علي 123 \u202eevil\u202c",
    "json_like": "{\"a\": [1, 2]} null true",
}


def url_q(q):
    return "?q=" + urllib.parse.quote(q)


class Text(ApiTestCase):

    def roundtrip(self, path, body, fields):
        r = self.post(path, body)
        self.assertStatus(r, 201)
        for k in fields:
            self.assertEqual(r.json[k], body[k], "create response, field %s" % k)
        g = self.get(r.header("Location"))
        self.assertStatus(g, 200)
        for k in fields:
            self.assertEqual(g.json[k], body[k], "GET, field %s" % k)
        return g.json

    def test_client_fields_round_trip(self):
        for name, text in TEXTS.items():
            with self.subTest(text=name):
                body = {"family_name": text, "given_name": text,
                        "other_names": [text, text + " 2"],
                        "notes": "  " + text + "\n\tline two\r\n  ",
                        "address": text + "\n" + text}
                rec = self.roundtrip("/api/v1/clients", body, list(body))
                items = self.list_all("/api/v1/clients?include=notes")
                got = [c for c in items if c["id"] == rec["id"]][0]
                self.assertEqual(got, rec)

    def test_parole_request_fields_round_trip(self):
        cl = self.make_client()
        for name, text in TEXTS.items():
            with self.subTest(text=name):
                body = {"client_id": cl["id"], "parole_type": "humanitarian",
                        "summary": text + "\n" + text, "sponsor_name": text,
                        "sponsor_relationship": text[:100]}
                self.roundtrip("/api/v1/parole-requests", body,
                               ["summary", "sponsor_name", "sponsor_relationship"])

    def test_child_fields_round_trip(self):
        pr = self.make_request()
        base = "/api/v1/parole-requests/%d/" % pr["id"]
        for name, text in TEXTS.items():
            with self.subTest(text=name):
                self.roundtrip(base + "filings", {"form": "other", "filed_on": "2025-01-01",
                                                  "notes": text}, ["notes"])
                self.roundtrip(base + "rfes", {"issued_on": "2025-01-02", "summary": text,
                                               "responded_on": "2025-01-03"}, ["summary"])
                self.roundtrip(base + "interviews", {"kind": "interview",
                                                     "scheduled_at": "2030-01-01T09:00:00Z",
                                                     "location": text, "notes": text},
                               ["location", "notes"])
                self.roundtrip(base + "decisions", {"decided_on": "2025-02-01",
                                                    "outcome": "denied", "notes": text},
                               ["notes"])
                self.roundtrip(base + "expirations", {"kind": "other",
                                                      "expires_on": "2025-02-01",
                                                      "notes": text}, ["notes"])

    def test_patch_round_trip(self):
        cl = self.make_client()
        for name, text in TEXTS.items():
            with self.subTest(text=name):
                r = self.patch("/api/v1/clients/%d" % cl["id"], {"given_name": text,
                                                                 "notes": text})
                self.assertStatus(r, 200)
                self.assertEqual(r.json["given_name"], text)
                self.assertEqual(self.get("/api/v1/clients/%d" % cl["id"]).json["notes"], text)

    def test_json_escapes_decoded(self):
        r = self.post("/api/v1/clients", Raw(
            b'{"family_name":"\\u00c9lodie \\ud83d\\ude42","given_name":"x\\/\\"q\\"",'
            b'"notes":"tab\\there\\nnew line"}'))
        self.assertStatus(r, 201)
        self.assertEqual(r.json["family_name"], "Élodie 🙂")
        self.assertEqual(r.json["given_name"], 'x/"q"')
        self.assertEqual(r.json["notes"], "tab\there\nnew line")

    def test_raw_utf8_bytes_accepted(self):
        body = '{"family_name":"Шевченко","given_name":"देव 🙂"}'.encode("utf-8")
        r = self.post("/api/v1/clients", Raw(body))
        self.assertStatus(r, 201)
        self.assertEqual(r.json["family_name"], "Шевченко")
        self.assertEqual(r.json["given_name"], "देव 🙂")

    def test_lone_surrogate_refused(self):
        r = self.post("/api/v1/clients", Raw(b'{"family_name":"\\ud800x","given_name":"y"}'))
        self.assertIn(r.status, (400, 422), repr(r))
        if r.status == 422:
            self.assertIn("family_name", r.fields())

    def test_nul_character_refused(self):
        r = self.post("/api/v1/clients", {"family_name": "Nul", "given_name": "Char",
                                          "notes": "before\u0000after"})
        self.assertProblem(r, 422, "validation", field="notes")

    def test_control_characters_only_in_multiline_fields(self):
        text = "line one\n\tline two\r\nthree"
        rec = self.make_client(notes=text, address=text)
        self.assertEqual(rec["notes"], text)
        self.assertEqual(rec["address"], text)
        pr = self.make_request(rec["id"], summary=text)
        self.assertEqual(pr["summary"], text)
        for field in ("family_name", "given_name"):
            with self.subTest(field=field):
                r = self.post("/api/v1/clients", {"family_name": "A", "given_name": "B",
                                                  field: "A\nB"})
                self.assertProblem(r, 422, "validation", field=field)

    def test_lengths_count_characters_not_bytes(self):
        for ch in ("Ж", "ह", "🙂", "é"):
            with self.subTest(ch=ch):
                rec = self.make_client(family_name=ch * 200, given_name=ch,
                                       address=ch * 1000)
                self.assertEqual(rec["family_name"], ch * 200)
                r = self.post("/api/v1/clients", {"family_name": ch * 201, "given_name": "x"})
                self.assertProblem(r, 422, "validation", field="family_name")
        rec = self.make_client(notes="Ж" * 10000)
        self.assertEqual(len(rec["notes"]), 10000)
        r = self.post("/api/v1/clients", {"family_name": "a", "given_name": "b",
                                          "notes": "🙂" * 10001})
        self.assertProblem(r, 422, "validation", field="notes")

    def test_free_text_not_trimmed_identifiers_trimmed(self):
        rec = self.make_client(notes="  spaced  ", a_number="  A1234567  ",
                               citizenship=" mx ")
        self.assertEqual(rec["notes"], "  spaced  ")
        self.assertEqual(rec["a_number"], "A001234567")
        self.assertEqual(rec["citizenship"], "MX")
        pr = self.make_request(rec["id"], program=" u4u ", parole_type="program")
        self.assertEqual(pr["program"], "u4u")
        rn = unique_receipt()
        f = self.make_child(pr["id"], "filings", receipt_number="  " + rn + "  ")
        self.assertEqual(f["receipt_number"], rn)

    def test_sql_and_html_are_data(self):
        t = token()
        evil = "x'); DELETE FROM clients; --" + t
        a = self.make_client(family_name=evil)
        r = self.get("/api/v1/clients" + url_q("'); DELETE FROM clients; --" + t))
        self.assertStatus(r, 200)
        self.assertEqual([c["id"] for c in r.json["items"]], [a["id"]])
        r = self.get("/api/v1/clients" + url_q("' OR '1'='1" + token(12)))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["items"], [])
        self.assertStatus(self.get("/api/v1/clients/%d" % a["id"]), 200)


class Search(ApiTestCase):
    """q: substring of names, case- and accent-insensitive in any script."""

    def found(self, path, q, sep="?"):
        r = self.get(path + url_q(q).replace("?", sep, 1))
        self.assertStatus(r, 200)
        return [x["id"] for x in r.json["items"]]

    def check(self, stored, queries, field="family_name"):
        """stored + a random token is a name; each query is either the whole name written
        differently (then query + token must find exactly that client) or, when it starts
        with "~", a part of it (then the query alone must find it among others)."""
        t = token()
        rec = self.make_client(**{field: stored + t})
        pr = self.make_request(rec["id"])
        for q in queries:
            for path, want in (("/api/v1/clients", rec["id"]),
                               ("/api/v1/parole-requests", pr["id"])):
                with self.subTest(stored=stored, q=q, list=path.rsplit("/", 1)[-1]):
                    if q.startswith("~"):
                        self.assertIn(want, self.found(path + "?limit=200&", q[1:], sep=""))
                    else:
                        self.assertEqual(self.found(path, q + t), [want])

    def test_separator_and_controls_match_nothing_extra(self):
        a = self.make_client(family_name="Separator" + token(), other_names=["Alias" + token()])
        self.make_request(a["id"], sponsor_name="Sponsor" + token())
        for q in ("|", " | "):
            with self.subTest(q=q):
                self.assertNotIn(a["id"], self.found("/api/v1/clients", q))
        # A control character in q is ignored, not matched.
        self.assertEqual(self.found("/api/v1/clients", a["family_name"] + "\x1f"), [a["id"]])

    def test_latin_accents(self):
        self.check("José", ["jose", "JOSE", "José", "JOSÉ", "josé", "~OSÉ", "~ose"])
        self.check("Jose", ["josé", "JOSÉ"])
        self.check("Müller", ["muller", "MÜLLER", "MULLER", "~üll", "~ULL"])
        self.check("Çağlar", ["caglar", "ÇAĞLAR", "CAGLAR"])
        self.check("Hernández García", ["hernandez garcia", "~DEZ GAR"])
        self.check("Ñúñez", ["nunez", "ÑÚÑEZ"])

    def test_every_word_in_any_order(self):
        t = token()
        b = self.make_client(family_name="Hernández García", given_name="Tok" + t)
        for q in ("garcia hernandez tok" + t, "TOK%s  GARCÍA HERNÁNDEZ" % t.upper()):
            with self.subTest(q=q):
                self.assertEqual(self.found("/api/v1/clients", q), [b["id"]])
        self.assertIn(b["id"], self.found("/api/v1/clients?limit=200&", "garcia hern", sep=""))
        a = self.make_client(family_name="Hernández" + t, given_name="José Luis",
                             other_names=["Pepe"])
        for q in ("jose hernandez" + t, "hernandez%s pepe" % t, "luis JOSÉ hernández" + t,
                  "pepe hernandez" + t):
            with self.subTest(q=q):
                self.assertEqual(self.found("/api/v1/clients", q), [a["id"]])
        for q in ("jose maria hernandez" + t, "hernandez%s q9" % t):
            with self.subTest(q=q, expect="nothing"):
                self.assertEqual(self.found("/api/v1/clients", q), [])

    def test_decomposed_and_composed_match(self):
        self.check("Jose\u0301", ["José", "jose"])  # stored NFD, searched NFC
        self.check("José", ["Jose\u0301"])  # stored NFC, searched NFD

    def test_cyrillic_case(self):
        self.check("Олена", ["олена", "ОЛЕНА", "~лен", "~ЛЕН"])
        self.check("ОЛЕНА", ["олена", "Олена"])
        self.check("Їжакова", ["їжакова", "ЇЖАКОВА"])

    def test_greek_case_and_accents(self):
        self.check("Ελένη", ["ελενη", "ΕΛΕΝΗ", "ελένη"])

    def test_scripts_without_case(self):
        self.check("محمد عبد الله", ["~محمد", "عبد الله"])
        self.check("अनुराधा शर्मा", ["शर्मा", "~अनुराधा"])
        self.check("王小明", ["小明"])
        self.check("🙂 Smile", ["🙂 smile"])

    def test_arabic_diacritics_ignored(self):
        self.check("مُحَمَّد", ["محمد"])

    def test_given_and_other_names(self):
        self.check("Олександр", ["олександр"], field="given_name")
        t = token()
        rec = self.make_client(other_names=["Алёна" + t])
        self.assertEqual(self.found("/api/v1/clients", "АЛЕНА" + t), [rec["id"]])

    def test_sponsor_name(self):
        t = token()
        pr = self.make_request(sponsor_name="Анна Müller-Łęcka" + t)
        for q in ("анна muller-łęcka" + t, "MÜLLER-ŁĘCKA" + t.upper(), "łecka" + t,
                  "АННА" + " MULLER-ŁĘCKA" + t):
            with self.subTest(q=q):
                self.assertEqual(self.found("/api/v1/parole-requests", q), [pr["id"]])

    def test_search_follows_renames(self):
        t = token()
        rec = self.make_client(family_name="Старе" + t)
        self.assertStatus(self.patch("/api/v1/clients/%d" % rec["id"],
                                     {"family_name": "Нове" + t}), 200)
        self.assertEqual(self.found("/api/v1/clients", "нове" + t), [rec["id"]])
        self.assertEqual(self.found("/api/v1/clients", "старе" + t), [])

    def test_notes_are_not_searched(self):
        t = token()
        self.make_client(notes="hidden" + t)
        self.assertEqual(self.found("/api/v1/clients", "hidden" + t), [])


if __name__ == "__main__":
    unittest.main()
