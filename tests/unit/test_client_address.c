/* Unit tests of client_address: trusted proxy ranges, the X-Forwarded-For walk from the right,
 * garbage entries, IPv4/IPv6 forms and the throttling key. */
#include <string.h>

#include "check.h"
#include "client_address.h"

static struct client_address_trust trust;

/* Parse ranges that must be accepted. */
static void trust_ok(const char *text, size_t count)
{
    char err[160] = "";

    CHECK(client_address_parse_trust(text, &trust, err, sizeof(err)) == 0);
    CHECK(trust.count == count);
    if (err[0])
        fprintf(stderr, "  %s: %s\n", text, err);
}

/* Parse ranges that must be refused, with a message that mentions `mentions`. */
static void trust_bad(const char *text, const char *mentions)
{
    struct client_address_trust t;
    char err[160] = "";

    CHECK(client_address_parse_trust(text, &t, err, sizeof(err)) == -1);
    CHECK(err[0] != '\0');
    CHECK(strstr(err, mentions) != NULL);
    if (strstr(err, mentions) == NULL)
        fprintf(stderr, "  \"%s\" -> \"%s\"\n", text, err);
}

/* Resolve with the current trust, one or more X-Forwarded-For header values. */
static void resolve(const char *peer, const char *const *headers, size_t count,
                    const char *expected)
{
    char out[CLIENT_ADDRESS_SIZE];

    client_address_resolve(&trust, peer, headers, count, 0, out);
    CHECK_STR(out, expected);
}

/* Resolve with a single header (NULL: none). */
static void resolve1(const char *peer, const char *header, const char *expected)
{
    const char *headers[1] = {header};

    resolve(peer, headers, header ? 1 : 0, expected);
}

static void check_normalize(const char *in, int rc, const char *expected)
{
    char out[CLIENT_ADDRESS_SIZE];

    CHECK(client_address_normalize(in, strlen(in), out) == rc);
    CHECK_STR(out, expected);
}

static void check_key(const char *in, const char *expected)
{
    char out[CLIENT_ADDRESS_SIZE];

    client_address_throttle_key(in, out);
    CHECK_STR(out, expected);
}

static void test_parse_trust(void)
{
    trust_ok("127.0.0.1/32", 1);
    trust_ok("10.0.0.0/8, 192.168.0.0/16 ,2001:db8::/32", 3);
    trust_ok("127.0.0.1", 1); /* a bare address is one host */
    trust_ok("::1", 1);
    trust_ok("0.0.0.0/0", 1);
    trust_ok("::/0", 1);
    trust_ok("::ffff:10.0.0.0/104", 1); /* IPv4-mapped: read as 10.0.0.0/8 */
    CHECK(trust.ranges[0].prefix == 8);
    trust_bad("", "empty");
    trust_bad("10.0.0.0/8,", "empty");
    trust_bad("10.0.0.0/8,,10.1.0.0/16", "empty");
    trust_bad("10.0.0.300/8", "not an IPv4 or IPv6");
    trust_bad("proxy.example.com", "not an IPv4 or IPv6");
    trust_bad("10.0.0.0/33", "at most 32");
    trust_bad("2001:db8::/129", "at most 128");
    trust_bad("10.0.0.0/", "prefix");
    trust_bad("10.0.0.0/-1", "prefix");
    trust_bad("10.0.0.0/8x", "prefix");
    trust_bad("10.0.0.0/0008", "prefix");
    trust_bad("10.1.2.3/8", "bits set");
    trust_bad("2001:db8::1/64", "bits set");
    trust_bad("::ffff:10.0.0.0/90", "96 to 128");
    trust_bad("[::1]", "not an IPv4 or IPv6");
    trust_bad("10.0.0.1:80", "not an IPv4 or IPv6");
    {
        char many[1024] = "";

        for (int i = 0; i <= CLIENT_ADDRESS_MAX_RANGES; i++)
            snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s10.%d.0.0/16",
                     i ? "," : "", i);
        trust_bad(many, "at most");
    }
}

static void test_normalize(void)
{
    check_normalize("203.0.113.7", 0, "203.0.113.7");
    check_normalize("203.0.113.7:51234", 0, "203.0.113.7");
    check_normalize("2001:DB8:0:0::1", 0, "2001:db8::1");
    check_normalize("[2001:db8::1]", 0, "2001:db8::1");
    check_normalize("[2001:db8::1]:443", 0, "2001:db8::1");
    check_normalize("::ffff:203.0.113.7", 0, "203.0.113.7");
    check_normalize("[::ffff:203.0.113.7]:80", 0, "203.0.113.7");
    check_normalize("unknown", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("203.0.113.7:", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("203.0.113.7:123456", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("[2001:db8::1", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("[2001:db8::1]x", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("[203.0.113.7]", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("fe80::1%eth0", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("1.2.3.4.5", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("<script>", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("203.0.113.7 extra", -1, CLIENT_ADDRESS_UNKNOWN);
    check_normalize("_hidden", -1, CLIENT_ADDRESS_UNKNOWN);
    {
        char long_text[200];

        memset(long_text, '1', sizeof(long_text) - 1);
        long_text[sizeof(long_text) - 1] = '\0';
        check_normalize(long_text, -1, CLIENT_ADDRESS_UNKNOWN);
    }
    /* a length shorter than the string: only those bytes count */
    {
        char out[CLIENT_ADDRESS_SIZE];

        CHECK(client_address_normalize("10.0.0.1,10.0.0.2", 8, out) == 0);
        CHECK_STR(out, "10.0.0.1");
    }
}

static void test_trusted(void)
{
    trust_ok("10.0.0.0/8, 2001:db8:1::/48, 192.0.2.128/25", 3);
    CHECK(client_address_trusted(&trust, "10.255.1.2"));
    CHECK(client_address_trusted(&trust, "::ffff:10.1.1.1"));
    CHECK(!client_address_trusted(&trust, "11.0.0.1"));
    CHECK(client_address_trusted(&trust, "2001:db8:1:ffff::9"));
    CHECK(!client_address_trusted(&trust, "2001:db8:2::1"));
    CHECK(client_address_trusted(&trust, "192.0.2.128"));
    CHECK(client_address_trusted(&trust, "192.0.2.255"));
    CHECK(!client_address_trusted(&trust, "192.0.2.127"));
    CHECK(!client_address_trusted(&trust, "garbage"));
    CHECK(!client_address_trusted(&trust, NULL));
    CHECK(!client_address_trusted(NULL, "10.0.0.1"));
    trust_ok("0.0.0.0/0", 1);
    CHECK(client_address_trusted(&trust, "203.0.113.9"));
    CHECK(!client_address_trusted(&trust, "2001:db8::1")); /* another family */
}

static void test_resolve(void)
{
    /* Nobody trusted: the header is ignored entirely. */
    memset(&trust, 0, sizeof(trust));
    resolve1("127.0.0.1", "203.0.113.7", "127.0.0.1");
    resolve1("::ffff:127.0.0.1", NULL, "127.0.0.1");
    resolve1(NULL, "203.0.113.7", CLIENT_ADDRESS_UNKNOWN);
    resolve1("garbage", "203.0.113.7", CLIENT_ADDRESS_UNKNOWN);

    trust_ok("127.0.0.1/32, 10.0.0.0/8, 2001:db8:ffff::/48", 3);
    /* A peer outside the ranges: ignored too. */
    resolve1("127.0.0.2", "203.0.113.7", "127.0.0.2");
    resolve1("192.0.2.1", "10.0.0.1", "192.0.2.1");
    /* A trusted peer without the header is the client. */
    resolve1("127.0.0.1", NULL, "127.0.0.1");
    resolve1("127.0.0.1", "", "127.0.0.1");
    resolve1("127.0.0.1", " , ,", "127.0.0.1");
    /* The right-most entry that is not trusted; spoofed entries left of it do not count. */
    resolve1("127.0.0.1", "203.0.113.7", "203.0.113.7");
    resolve1("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7");
    resolve1("127.0.0.1", "198.51.100.1,203.0.113.7, 10.1.1.1 ,10.2.2.2", "203.0.113.7");
    resolve1("10.9.9.9", "1.1.1.1, 203.0.113.7, 10.1.1.1", "203.0.113.7");
    resolve1("127.0.0.1", "\t203.0.113.7\t", "203.0.113.7");
    resolve1("127.0.0.1", "203.0.113.7:4711", "203.0.113.7");
    resolve1("127.0.0.1", "198.51.100.1, , 203.0.113.7,", "203.0.113.7");
    /* Every entry trusted: the left-most. */
    resolve1("127.0.0.1", "10.0.0.5, 10.0.0.6", "10.0.0.5");
    /* IPv6 clients and proxies. */
    resolve1("127.0.0.1", "2001:DB8::7", "2001:db8::7");
    resolve1("127.0.0.1", "[2001:db8::7]:5555", "2001:db8::7");
    resolve1("2001:db8:ffff::1", "203.0.113.7", "203.0.113.7");
    resolve1("[2001:db8:ffff::1]", "2001:db8::9, 2001:db8:ffff::2", "2001:db8::9");
    resolve1("127.0.0.1", "::ffff:203.0.113.7", "203.0.113.7");
    /* Garbage where the client should be: stop, and the client is "unknown" (never the
     * garbage, never an entry further left). */
    resolve1("127.0.0.1", "203.0.113.7, not-an-address", CLIENT_ADDRESS_UNKNOWN);
    resolve1("127.0.0.1", "203.0.113.7, unknown, 10.0.0.1", CLIENT_ADDRESS_UNKNOWN);
    resolve1("127.0.0.1", "203.0.113.7, fe80::1%eth0", CLIENT_ADDRESS_UNKNOWN);
    /* Garbage left of the client does not matter. */
    resolve1("127.0.0.1", "<script>, 203.0.113.7", "203.0.113.7");
    /* Several headers are one list, in arrival order. */
    {
        const char *two[] = {"198.51.100.1, 203.0.113.7", "10.0.0.1"};
        const char *three[] = {"198.51.100.1", "203.0.113.7, 10.0.0.2", " 10.0.0.1 "};
        const char *last_client[] = {"203.0.113.7", "198.51.100.9"};
        const char *empty_last[] = {"203.0.113.7", ""};

        resolve("127.0.0.1", two, 2, "203.0.113.7");
        resolve("127.0.0.1", three, 3, "203.0.113.7");
        resolve("127.0.0.1", last_client, 2, "198.51.100.9");
        resolve("127.0.0.1", empty_last, 2, "203.0.113.7");
    }
    /* Dropped headers: a walk that runs out does not guess. */
    {
        const char *kept[] = {"10.0.0.1"};
        const char *client[] = {"203.0.113.7"};
        char out[CLIENT_ADDRESS_SIZE];

        client_address_resolve(&trust, "127.0.0.1", kept, 1, 1, out);
        CHECK_STR(out, CLIENT_ADDRESS_UNKNOWN);
        client_address_resolve(&trust, "127.0.0.1", client, 1, 1, out);
        CHECK_STR(out, "203.0.113.7");
    }
}

static void test_throttle_key(void)
{
    check_key("203.0.113.7", "203.0.113.7");
    check_key("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::");
    check_key("2001:db8:1:2::ffff", "2001:db8:1:2::");
    check_key("::ffff:203.0.113.7", "203.0.113.7");
    check_key(CLIENT_ADDRESS_UNKNOWN, CLIENT_ADDRESS_UNKNOWN);
    check_key(NULL, CLIENT_ADDRESS_UNKNOWN);
}

int main(void)
{
    test_parse_trust();
    test_normalize();
    test_trusted();
    test_resolve();
    test_throttle_key();
    return CHECK_DONE();
}
