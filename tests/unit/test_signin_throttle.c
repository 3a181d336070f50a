/* Unit tests of signin_throttle on a migrated in-memory store: the pair limit (any case of the
 * e-mail, an IPv6 /64 as one address), the address limit, clearing and releasing attempts, and
 * the account delay that never holds back an address the account is known at. */
#include <stdio.h>

#include "check.h"
#include "migrate.h"
#include "signin_throttle.h"

static struct db *db;

/* Claim one attempt; returns the wait (-1 on error) and the claim in *claim (may be NULL). */
static int claim(const char *email, const char *address, int64_t *id)
{
    struct problem p;
    int wait = -1;

    problem_init(&p);
    if (signin_throttle_claim(db, email, address, &wait, id, &p) != 0) {
        fprintf(stderr, "  claim: %s\n", p.detail);
        wait = -1;
    }
    problem_clear(&p);
    return wait;
}

/* Claim n attempts that all must go ahead; returns how many did. */
static int claim_n(int n, const char *email, const char *address)
{
    int ahead = 0;

    for (int i = 0; i < n; i++)
        ahead += claim(email, address, NULL) == 0;
    return ahead;
}

/* A success: forget the pair in its own transaction. Returns 0 or -1. */
static int clear(const char *email, const char *address)
{
    struct problem p;
    int rc;

    problem_init(&p);
    rc = db_begin_write(db, &p) == 0 && signin_throttle_clear(db, email, address, &p) == 0 &&
                 db_commit(db, &p) == 0
             ? 0
             : -1;
    db_rollback(db);
    problem_clear(&p);
    return rc;
}

/* Five failures of a pair, then a wait until the oldest leaves the 15-minute window; the
 * e-mail's case does not matter and other pairs are not affected. */
static void test_pair(void)
{
    int64_t id = -1;
    int wait;

    CHECK(claim("ana@example.org", "203.0.113.7", &id) == 0 && id > 0);
    CHECK(claim_n(4, "Ana@Example.org", "203.0.113.7") == 4);
    wait = claim("ANA@example.org", "203.0.113.7", &id);
    CHECK(wait > 15 * 60 - 5 && wait <= 15 * 60 + 1);
    CHECK(id == 0);
    CHECK(claim("ana@example.org", "203.0.113.8", NULL) == 0);
    CHECK(claim("ben@example.org", "203.0.113.7", NULL) == 0);
    /* a success forgets the pair */
    CHECK(clear("ana@example.org", "203.0.113.7") == 0);
    CHECK(claim("ana@example.org", "203.0.113.7", NULL) == 0);
}

/* An IPv6 client's /64 is one address. */
static void test_ipv6_prefix(void)
{
    CHECK(claim_n(3, "cy@example.org", "2001:db8:1:2::1") == 3);
    CHECK(claim_n(2, "cy@example.org", "2001:db8:1:2:ffff::9") == 2);
    CHECK(claim("cy@example.org", "2001:db8:1:2::77", NULL) > 0);
    CHECK(claim("cy@example.org", "2001:db8:1:3::1", NULL) == 0);
}

/* A released attempt is not counted. */
static void test_release(void)
{
    struct problem p;
    int64_t id = 0;

    problem_init(&p);
    CHECK(claim_n(4, "dee@example.org", "198.51.100.4") == 4);
    CHECK(claim("dee@example.org", "198.51.100.4", &id) == 0 && id > 0);
    CHECK(signin_throttle_release(db, id, &p) == 0);
    CHECK(claim("dee@example.org", "198.51.100.4", NULL) == 0);
    CHECK(claim("dee@example.org", "198.51.100.4", NULL) > 0);
    problem_clear(&p);
}

/* 100 failures from one address for any accounts, then it waits. */
static void test_address(void)
{
    char email[64];
    int ahead = 0;

    for (int i = 0; i < 100; i++) {
        snprintf(email, sizeof(email), "spray%d@example.org", i);
        ahead += claim(email, "192.0.2.50", NULL) == 0;
    }
    CHECK(ahead == 100);
    CHECK(claim("someone-else@example.org", "192.0.2.50", NULL) > 0);
    CHECK(claim("someone-else@example.org", "192.0.2.51", NULL) == 0);
}

/* After 10 failures from anywhere the account waits 2 s after the latest (the 11th is held
 * back even from a new address), except from an address it is known at. */
static void test_account_delay(void)
{
    int ahead = 0;
    char address[32];

    CHECK(clear("eve@example.org", "198.51.100.200") == 0); /* signed in from there once */
    for (int i = 0; i < 10; i++) {
        snprintf(address, sizeof(address), "198.51.100.%d", 10 + i / 4);
        ahead += claim("eve@example.org", address, NULL) == 0;
    }
    CHECK(ahead == 10);
    {
        int wait = claim("eve@example.org", "198.51.100.99", NULL);

        CHECK(wait > 0 && wait <= 2);
    }
    CHECK(claim("eve@example.org", "198.51.100.200", NULL) == 0);
}

int main(void)
{
    struct problem p;

    problem_init(&p);
    db = db_open(":memory:", &p);
    if (db == NULL || migrate_apply(db, 0, NULL, &p) != 0) {
        fprintf(stderr, "setup: %s\n", p.detail);
        return 1;
    }
    test_pair();
    test_ipv6_prefix();
    test_release();
    test_address();
    test_account_delay();
    db_close(db);
    problem_clear(&p);
    return CHECK_DONE();
}
