/* signin_throttle: counting and refusing attempts that check a password. Depends on db, sql,
 * dates, client_address and the statement helpers of resource.h only. */
#include "signin_throttle.h"

#include <ctype.h>
#include <time.h>

#include "client_address.h"
#include "dates.h"
#include "db.h"
#include "sql.h"

/* The rules (docs/accounts-contract.md, "Sign-in throttling"). Every attempt that checks a
 * password is counted as a failure under (account, address) until it succeeds; the address
 * is the client's throttling key (an IPv6 client's /64). An attempt is refused (429) while any
 * of these holds, and a refused attempt is not counted:
 * - the pair: PAIR_LIMIT failures of this account from this address in the window;
 * - the address: ADDRESS_LIMIT failures from this address, any accounts, in the window (sprays);
 * - the account: after ACCOUNT_FREE_FAILURES failures from anywhere in ACCOUNT_WINDOW_SECONDS,
 *   the n-th failure (n >= ACCOUNT_FREE_FAILURES) holds every attempt for the account back for
 *   min(ACCOUNT_DELAY_BASE * 2^(n - ACCOUNT_FREE_FAILURES), ACCOUNT_DELAY_MAX) seconds after
 *   it: 2, 4, 8, ... 256, then 300 s. Not a lock, and not for the owner: an address the
 *   account signed in from in the last KNOWN_ADDRESS_SECONDS is never held back by this rule
 *   (a guesser who keeps the delay going cannot keep the owner out); elsewhere, once the delay
 *   has passed, one attempt goes through. */
#define FAILURE_WINDOW_SECONDS (15 * 60)
#define PAIR_LIMIT             5
#define ADDRESS_LIMIT          100
#define ACCOUNT_FREE_FAILURES  10
#define ACCOUNT_WINDOW_SECONDS (24 * 60 * 60)
#define ACCOUNT_DELAY_BASE     2
#define ACCOUNT_DELAY_MAX      300
#define KNOWN_ADDRESS_SECONDS  (30 * 24 * 60 * 60)

/* The lower-cased e-mail that failures are counted by, into out. */
static void email_key(const char *email, char out[256])
{
    size_t i;

    for (i = 0; email[i] && i < 255; i++)
        out[i] = (char)tolower((unsigned char)email[i]);
    out[i] = '\0';
}

/* The per-account delay in seconds after the n-th failure (0 below ACCOUNT_FREE_FAILURES). */
static int account_delay(int64_t failures)
{
    int64_t steps = failures - ACCOUNT_FREE_FAILURES;
    int delay = ACCOUNT_DELAY_BASE;

    if (steps < 0)
        return 0;
    for (int64_t i = 0; i < steps && delay < ACCOUNT_DELAY_MAX; i++)
        delay *= 2;
    return delay < ACCOUNT_DELAY_MAX ? delay : ACCOUNT_DELAY_MAX;
}

/* Seconds the caller must wait before trying again (0: go ahead), by the three rules above;
 * binds holds email_key, address (the throttling key), since, account_since and known_since.
 * Returns the seconds or -1 (*p). */
static int throttle_wait(struct db *db, json_t *binds, time_t now, struct problem *p)
{
    static const struct {
        enum sql_id sql;
        int64_t limit;
    } windows[] = {{SQL_FAILURE_BY_PAIR, PAIR_LIMIT}, {SQL_FAILURE_BY_ADDRESS, ADDRESS_LIMIT}};
    int wait = 0;
    db_stmt *stmt;

    for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
        stmt = db_prepare(db, windows[i].sql, p);
        if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW &&
            db_row_int(stmt, "failures") >= windows[i].limit) {
            int64_t oldest = 0;

            /* until the oldest failure leaves the window */
            dates_parse_timestamp(db_row_text(stmt, "oldest"), NULL, &oldest);
            if ((int)(oldest + FAILURE_WINDOW_SECONDS - now) + 1 > wait)
                wait = (int)(oldest + FAILURE_WINDOW_SECONDS - now) + 1;
        }
        db_finish(stmt);
        if (p->kind != PROBLEM_NONE)
            return -1;
    }
    {
        int64_t known = 0;

        if (db_scalar_int(db, SQL_KNOWN_ADDRESS_COUNT, binds, &known, p) != 0)
            return -1;
        if (known > 0)
            return wait; /* the owner's own address: the account rule does not hold it back */
    }
    stmt = db_prepare(db, SQL_FAILURE_BY_EMAIL, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0 && db_step(stmt) == DB_ROW &&
        db_row_int(stmt, "failures") >= ACCOUNT_FREE_FAILURES) {
        int64_t latest = 0;
        int delay = account_delay(db_row_int(stmt, "failures"));

        /* until the delay after the latest failure has passed */
        dates_parse_timestamp(db_row_text(stmt, "latest"), NULL, &latest);
        if ((int)(latest + delay - now) > wait)
            wait = (int)(latest + delay - now);
    }
    db_finish(stmt);
    return p->kind != PROBLEM_NONE ? -1 : wait;
}

/* The binds of the failure statements: the account's key, the address's throttling key, the
 * start of the three windows and now. Returns a new object the caller owns. */
static json_t *failure_binds(const char *email, const char *address, time_t now)
{
    char key[256], throttle_key[CLIENT_ADDRESS_SIZE], since[TIMESTAMP_LEN],
        account_since[TIMESTAMP_LEN], known_since[TIMESTAMP_LEN], now_text[TIMESTAMP_LEN];

    email_key(email, key);
    client_address_throttle_key(address, throttle_key);
    dates_format_utc(now, now_text);
    dates_format_utc(now - FAILURE_WINDOW_SECONDS, since);
    dates_format_utc(now - ACCOUNT_WINDOW_SECONDS, account_since);
    dates_format_utc(now - KNOWN_ADDRESS_SECONDS, known_since);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "email_key", key, "address", throttle_key,
                     "now", now_text, "since", since, "account_since", account_since, "known_since",
                     known_since);
}

int signin_throttle_claim(struct db *db, const char *email, const char *address, int *wait,
                          int64_t *claim, struct problem *p)
{
    time_t now = time(NULL);
    json_t *binds = failure_binds(email, address, now);
    int rc = -1;

    if (db_begin_write(db, p) != 0)
        goto out;
    if (db_exec_json(db, SQL_FAILURE_PRUNE, binds, p) != 0 ||
        db_exec_json(db, SQL_KNOWN_ADDRESS_PRUNE, binds, p) != 0)
        goto fail;
    *wait = throttle_wait(db, binds, now, p);
    if (*wait < 0)
        goto fail;
    /* Counted as a failure until it succeeds: parallel attempts all see each other. */
    if (*wait == 0 && db_exec_json(db, SQL_FAILURE_INSERT, binds, p) != 0)
        goto fail;
    if (claim != NULL)
        *claim = *wait == 0 ? db_last_insert_id(db) : 0;
    if (db_commit(db, p) != 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    db_rollback(db);
out:
    json_decref(binds);
    return rc;
}

int signin_throttle_clear(struct db *db, const char *email, const char *address, struct problem *p)
{
    json_t *binds = failure_binds(email, address, time(NULL));
    int rc = db_exec_json(db, SQL_FAILURE_CLEAR_PAIR, binds, p) == 0 &&
                     db_exec_json(db, SQL_KNOWN_ADDRESS_PUT, binds, p) == 0
                 ? 0
                 : -1;

    json_decref(binds);
    return rc;
}

int signin_throttle_fail(struct db *db, int64_t claim, struct problem *p)
{
    char now[TIMESTAMP_LEN];
    json_t *binds;
    int rc;

    dates_format_utc(time(NULL), now);
    binds = json_pack("{s:I, s:s}", "id", (json_int_t)claim, "now", now);
    rc = db_exec_json(db, SQL_FAILURE_TOUCH, binds, p);
    json_decref(binds);
    return rc;
}

int signin_throttle_release(struct db *db, int64_t claim, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)claim);
    int rc = -1;

    if (db_begin_write(db, p) == 0) {
        if (db_exec_json(db, SQL_FAILURE_RELEASE, binds, p) == 0 && db_commit(db, p) == 0)
            rc = 0;
        db_rollback(db);
    }
    json_decref(binds);
    return rc;
}
