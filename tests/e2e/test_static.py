"""The dashboard's files: embedded in the binary, served at / to anyone (the sign-in page must
load first), with content types, ETags and revalidation, the CSP, and no inline script."""

import http.client
import re

from harness import ApiTestCase


class StaticFiles(ApiTestCase):

    def fetch(self, method, path, headers=None):
        c = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        h = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, h, body

    def test_index_and_assets(self):
        for path, ctype in (("/", "text/html"), ("/index.html", "text/html"),
                            ("/app.js", "text/javascript"), ("/app.css", "text/css")):
            with self.subTest(path=path):
                status, h, body = self.fetch("GET", path)
                self.assertEqual(status, 200)
                self.assertTrue(h["content-type"].startswith(ctype), h["content-type"])
                self.assertRegex(h["etag"], r'^"[0-9a-f]{20}"$')
                self.assertEqual(h["cache-control"], "no-cache")
                self.assertIn("default-src 'self'", h["content-security-policy"])
                self.assertIn("frame-ancestors 'none'", h["content-security-policy"])
                self.assertEqual(h["x-content-type-options"], "nosniff")
                self.assertGreater(len(body), 100)

    def test_revalidation_and_head(self):
        _, h, body = self.fetch("GET", "/app.js")
        status, h2, body2 = self.fetch("GET", "/app.js", {"If-None-Match": h["etag"]})
        self.assertEqual(status, 304)
        self.assertEqual(body2, b"")
        status, h3, body3 = self.fetch("GET", "/app.js", {"If-None-Match": '"0000"'})
        self.assertEqual((status, body3), (200, body))
        status, h4, body4 = self.fetch("HEAD", "/app.js")
        self.assertEqual((status, body4), (200, b""))
        self.assertEqual(h4["etag"], h["etag"])

    def test_unknown_and_climbing_paths(self):
        for path in ("/nothing.js", "/../etc/passwd", "/static/index.html", "/%2e%2e/etc/passwd"):
            with self.subTest(path=path):
                self.assertEqual(self.fetch("GET", path)[0], 404)

    def test_no_inline_script_or_handlers(self):
        _, _, html = self.fetch("GET", "/")
        text = html.decode()
        for tag in re.findall(r"<script\b[^>]*>", text):
            self.assertIn("src=", tag, "inline script: %s" % tag)
        self.assertNotRegex(text, r"\son[a-z]+\s*=", "inline event handler")
        self.assertNotIn("<style", text)
        _, _, js = self.fetch("GET", "/app.js")
        self.assertNotIn("innerHTML", js.decode(), "values from the server go in as text only")
