/* Unit tests of outbound_url: where the server may send data (webhook endpoints, the USCIS
 * API): https anywhere, plain http only to this machine, never credentials in the URL. */
#include <string.h>

#include "check.h"
#include "outbound_url.h"

static int allowed(const char *url)
{
    char why[160] = "";
    int rc = outbound_url_check(url, why, sizeof(why));

    CHECK(rc == 0 ? why[0] == '\0' : why[0] != '\0');
    return rc == 0;
}

int main(void)
{
    static const char *const good[] = {
        "https://crm.example.org/hooks/paroletrack",
        "https://crm.example.org:8443/h?x=1",
        "https://[2001:db8::1]:443/h",
        "http://localhost/h",
        "http://LOCALHOST:8080/h",
        "http://127.0.0.1/h",
        "http://127.45.1.9:9/h",
        "http://[::1]:9000/h",
        "https://api-int.uscis.gov",
    };
    static const char *const bad[] = {
        "ftp://crm.example.org/h",
        "crm.example.org/h",
        "http://crm.example.org/h",      /* plain http to another machine */
        "http://127.attacker.example/h", /* looks like loopback, is a name */
        "http://localhost.evil.example/h",
        "http://localhost@evil.example/h", /* the host is evil.example */
        "https://user:pw@crm.example.org/h",
        "http://128.0.0.1/h",
        "http://[::2]/h",
        "http://[::1/h",
        "https:///h",
        "https://:443/h",
        "https://crm.example.org:0/h",
        "https://crm.example.org:65536/h",
        "https://crm.example.org:80a/h",
        "https://crm.example.org/h#frag",
        "https://crm.example.org/a b",
    };

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        if (!allowed(good[i]))
            fprintf(stderr, "  refused: %s\n", good[i]);
        CHECK(allowed(good[i]));
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (allowed(bad[i]))
            fprintf(stderr, "  allowed: %s\n", bad[i]);
        CHECK(!allowed(bad[i]));
    }
    return CHECK_DONE();
}
