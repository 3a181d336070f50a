/* field_key: key check value, key file creation and rekeying. */
#include "field_key.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "dates.h"
#include "db.h"
#include "settings.h"

#define KEY_CHECK_PLAINTEXT "paroletrack key check"
/* The audit key is sealed as "v2:<hex>" since the audit head carries a MAC (migration 0008);
 * a plain "<hex>" marks a database whose head may still be sealed once (audit_head_adopt). */
#define AUDIT_KEY_V2 "v2:"
/* The settings rows sealed here are singletons found by name: no row nonce. */
#define SETTINGS_NONCE ""
/* Set by migration 9 until the start that has the key re-seals every enc1 value. */
#define UPGRADE_SETTING "field_format_upgrade"

/* Set once a write found the database under another key (sticky: this process never writes
 * again, it needs a restart with the new key). */
static atomic_int key_changed;

static int reseal_all(struct db *db, const json_t *all, struct problem *p);

struct sealed_column {
    enum sql_id select, update;
    const char *table, *column;
};

#define SEALED_ROW(name, table, column)                                                            \
    {SQL_SEALED_SELECT_##name, SQL_SEALED_UPDATE_##name, table, column},
static const struct sealed_column sealed_columns[] = {SEALED_COLUMNS(SEALED_ROW)};
#undef SEALED_ROW

void field_key_default_path(const char *db_path, char *out, size_t out_size)
{
    snprintf(out, out_size, "%s.key", db_path);
}

/* Seal plain for the settings row `key` (bound to the row and the settings nonce) and store it,
 * inside the caller's transaction; `what` names it in a failure. Returns 0 or -1 with *p set. */
static int put_sealed_setting(struct db *db, const char *key, const char *plain, const char *what,
                              struct problem *p)
{
    char *sealed = crypto_field_encrypt("settings", key, 0, SETTINGS_NONCE, plain);
    char now[TIMESTAMP_LEN];
    int rc;

    if (sealed == NULL)
        return problem_set(p, PROBLEM_INTERNAL, "cannot seal %s", what);
    dates_format_utc(time(NULL), now);
    rc = settings_put(db, key, sealed, now, p);
    free(sealed);
    return rc;
}

/* Store a new key check value sealed with the current key (inside the caller's transaction). */
static int put_check(struct db *db, struct problem *p)
{
    return put_sealed_setting(db, "key_check", KEY_CHECK_PLAINTEXT, "the key check", p);
}

/* True when the current key opens the stored check value (an enc1 one only when legacy). */
static int check_matches(const char *check, int legacy)
{
    char *plain = legacy && strncmp(check, CRYPTO_FIELD_LEGACY_PREFIX,
                                    strlen(CRYPTO_FIELD_LEGACY_PREFIX)) == 0
                      ? crypto_field_decrypt_legacy("settings", "key_check", 0, check)
                      : crypto_field_decrypt("settings", "key_check", 0, SETTINGS_NONCE, check);
    int ok = plain != NULL && strcmp(plain, KEY_CHECK_PLAINTEXT) == 0;

    free(plain);
    return ok;
}

/* Store the audit chain's key sealed with the current field key (inside the caller's
 * transaction) and use it. */
static int put_audit_key(struct db *db, const unsigned char key[CRYPTO_KEY_BYTES],
                         struct problem *p)
{
    char hex[sizeof(AUDIT_KEY_V2) + CRYPTO_KEY_BYTES * 2];
    int rc;

    memcpy(hex, AUDIT_KEY_V2, strlen(AUDIT_KEY_V2));
    for (int i = 0; i < CRYPTO_KEY_BYTES; i++)
        snprintf(hex + strlen(AUDIT_KEY_V2) + 2 * i, 3, "%02x", key[i]);
    rc = put_sealed_setting(db, "audit_key", hex, "the audit key", p);
    crypto_wipe(hex, sizeof(hex));
    if (rc == 0)
        crypto_use_audit_key(key);
    return rc;
}

/* Open the audit chain's key with the current field key into key; a database without one gets
 * a new random key (stored). Uses it. *form is 2 for a key stored since audit heads are sealed,
 * 1 for an older one, 0 for a new one. Returns 0 or -1. */
static int load_audit_key(struct db *db, unsigned char key[CRYPTO_KEY_BYTES], int *form,
                          struct problem *p)
{
    char stored[512], *hex = NULL;
    int rc = -1;

    /* a sealed value is never empty: "" means there is no row */
    if (settings_value(db, "audit_key", stored, sizeof(stored), p) != 0)
        return -1;
    *form = 0;
    if (stored[0] == '\0') {
        crypto_random_bytes(key, CRYPTO_KEY_BYTES);
        return put_audit_key(db, key, p);
    }
    hex = crypto_field_decrypt("settings", "audit_key", 0, SETTINGS_NONCE, stored);
    *form = hex != NULL && strncmp(hex, AUDIT_KEY_V2, strlen(AUDIT_KEY_V2)) == 0 ? 2 : 1;
    if (hex == NULL ||
        crypto_key_from_hex(hex + (*form == 2 ? strlen(AUDIT_KEY_V2) : 0), key) != 0) {
        problem_set(p, PROBLEM_UNAVAILABLE, "the audit trail's key does not open with this key");
        goto out;
    }
    crypto_use_audit_key(key);
    rc = 0;
out:
    if (hex != NULL) {
        crypto_wipe_string(hex);
        free(hex);
    }
    return rc;
}

/* Wipe and free a decrypted value. */
static void free_plain(char *plain)
{
    crypto_wipe_string(plain);
    free(plain);
}

/* True when a stored value is sealed (enc2, or enc1 awaiting the upgrade). */
static int is_sealed(const char *stored)
{
    return strncmp(stored, CRYPTO_FIELD_PREFIX, strlen(CRYPTO_FIELD_PREFIX)) == 0 ||
           strncmp(stored, CRYPTO_FIELD_LEGACY_PREFIX, strlen(CRYPTO_FIELD_LEGACY_PREFIX)) == 0;
}

/* Re-seal one settings row (key_check, audit_key) stored as enc1 in the enc2 format. Inside
 * the caller's transaction. Returns 0 or -1 with *p set. */
static int upgrade_setting(struct db *db, const char *key, struct problem *p)
{
    char stored[512], *plain = NULL;
    int rc = -1;

    if (settings_value(db, key, stored, sizeof(stored), p) != 0)
        return -1;
    if (strncmp(stored, CRYPTO_FIELD_LEGACY_PREFIX, strlen(CRYPTO_FIELD_LEGACY_PREFIX)) != 0)
        return 0;
    plain = crypto_field_decrypt_legacy("settings", key, 0, stored);
    if (plain == NULL)
        problem_set(p, PROBLEM_UNAVAILABLE, "the setting %s does not open with this key", key);
    else
        rc = put_sealed_setting(db, key, plain, key, p);
    if (plain != NULL)
        free_plain(plain);
    return rc;
}

/* The one-time upgrade after migration 9, in one transaction: every enc1 value (bound to
 * table, column and id only) is opened with the key and sealed again as enc2 (bound to the
 * row's nonce and the key id too), then the marker row goes. A value that does not open is
 * left as it is (it then reads as an error, never as another row's plaintext). Does nothing
 * without the marker, so no enc1 value is ever accepted afterwards. Returns the number of
 * values re-sealed, or -1 with *p set (nothing changed). */
static int upgrade_legacy(struct db *db, int *unopened, struct problem *p)
{
    json_t *pending = json_array(), *binds = json_pack("{s:s}", "key", UPGRADE_SETTING);
    char marker[64] = "";
    int upgraded = -1;

    *unopened = 0;
    if (db_begin_write(db, p) != 0)
        goto out;
    if (settings_value(db, UPGRADE_SETTING, marker, sizeof(marker), p) != 0)
        goto out;
    if (marker[0] == '\0') {
        upgraded = 0;
        goto out;
    }
    if (upgrade_setting(db, "key_check", p) != 0 || upgrade_setting(db, "audit_key", p) != 0)
        goto out;
    for (size_t i = 0; i < sizeof(sealed_columns) / sizeof(sealed_columns[0]); i++) {
        const struct sealed_column *c = &sealed_columns[i];
        db_stmt *stmt = db_prepare(db, c->select, p);

        if (stmt == NULL)
            goto out;
        while (db_step(stmt) == DB_ROW) {
            const char *stored = db_row_text(stmt, "value");
            int64_t id = db_row_int(stmt, "id");
            char *plain;

            if (strncmp(stored, CRYPTO_FIELD_LEGACY_PREFIX, strlen(CRYPTO_FIELD_LEGACY_PREFIX)))
                continue;
            plain = crypto_field_decrypt_legacy(c->table, c->column, id, stored);
            if (plain == NULL) {
                (*unopened)++;
                continue;
            }
            json_array_append_new(pending, json_pack("[I, I, s, s]", (json_int_t)i, (json_int_t)id,
                                                     db_row_text(stmt, "row_nonce"), plain));
            free_plain(plain);
        }
        db_finish(stmt);
    }
    if (json_array_size(pending) > 0 && reseal_all(db, pending, p) != 0)
        goto out;
    if (db_exec_json(db, SQL_SETTING_DELETE, binds, p) != 0 || db_commit(db, p) != 0)
        goto out;
    upgraded = (int)json_array_size(pending);
out:
    if (upgraded < 0 || marker[0] == '\0')
        db_rollback(db);
    json_decref(binds);
    json_decref(pending);
    return upgraded;
}

/* The setting that says every stored value has been sealed: values are written sealed ever
 * after, so later starts need not read every sealed column again (a full scan of the clients,
 * requests and their records, which grew with the firm). */
#define PLAINTEXT_SEALED_SETTING "plaintext_sealed"

/* Seal every value still stored in plain text (written before encryption existed, by
 * migrations 1 and 2) and fill in the clients' blind indexes, in one transaction that also
 * records PLAINTEXT_SEALED_SETTING; nothing to do once it is recorded. Returns the number of
 * values sealed, or -1 with *p set. */
static int seal_plaintext(struct db *db, struct problem *p)
{
    json_t *pending = json_array(), *entry;
    char done[8] = "", now[TIMESTAMP_LEN];
    size_t i;
    int sealed = -1;

    if (db_begin_write(db, p) != 0) {
        json_decref(pending);
        return -1;
    }
    if (settings_value(db, PLAINTEXT_SEALED_SETTING, done, sizeof(done), p) != 0)
        goto out;
    if (strcmp(done, "1") == 0) {
        sealed = 0;
        goto out;
    }
    for (i = 0; i < sizeof(sealed_columns) / sizeof(sealed_columns[0]); i++) {
        db_stmt *stmt = db_prepare(db, sealed_columns[i].select, p);

        if (stmt == NULL)
            goto out;
        while (db_step(stmt) == DB_ROW) {
            const char *stored = db_row_text(stmt, "value");

            if (!is_sealed(stored))
                json_array_append_new(pending, json_pack("[I, I, s, s]", (json_int_t)i,
                                                         (json_int_t)db_row_int(stmt, "id"),
                                                         db_row_text(stmt, "row_nonce"), stored));
        }
        db_finish(stmt);
    }
    if (json_array_size(pending) > 0) {
        if (reseal_all(db, pending, p) != 0)
            goto out;
    }
    dates_format_utc(time(NULL), now);
    if (settings_put(db, PLAINTEXT_SEALED_SETTING, "1", now, p) != 0 || db_commit(db, p) != 0)
        goto out;
    sealed = (int)json_array_size(pending);
out:
    db_rollback(db); /* after a commit: nothing left to roll back */
    (void)entry;
    json_decref(pending);
    return sealed;
}

int field_key_open(struct db *db, const char *key_file, const char *key_hex, struct problem *p)
{
    unsigned char key[CRYPTO_KEY_BYTES], audit_key[CRYPTO_KEY_BYTES];
    char check[512];
    const char *why = NULL;
    int rc = -1, form = 0, fresh;

    if (settings_value(db, "key_check", check, sizeof(check), p) != 0)
        return -1;
    fresh = check[0] == '\0';
    if (fresh) {
        /* No key check yet: a new database, or one from before encryption (plain values, no
         * accounts). Anything only a keyed database holds means the check was removed, with
         * the audit trail's key and head most likely: taking it as new would give it a fresh
         * audit key and head and make an emptied trail verify. */
        int64_t traces = 0;

        if (db_scalar_int(db, SQL_KEYED_TRACES, NULL, &traces, p) != 0)
            return -1;
        if (traces > 0)
            return problem_set(p, PROBLEM_UNAVAILABLE,
                               "this database has lost its key check but holds accounts, audit "
                               "events or sealed values: it was tampered with or damaged; "
                               "restore it from a backup");
    }
    if (key_hex != NULL && key_hex[0] != '\0') {
        if (crypto_key_from_hex(key_hex, key) != 0)
            return problem_set(p, PROBLEM_UNAVAILABLE,
                               "PAROLETRACK_KEY must be 64 hex digits (a 32-byte key)");
    } else if (access(key_file, F_OK) == 0) {
        if (crypto_key_read_file(key_file, key, &why) != 0)
            return problem_set(p, PROBLEM_UNAVAILABLE, "the key file %s %s", key_file, why);
    } else if (check[0] != '\0') {
        return problem_set(p, PROBLEM_UNAVAILABLE,
                           "the key file %s is missing, and this database holds data sealed "
                           "with a key; give its key with --key-file or PAROLETRACK_KEY",
                           key_file);
    } else if (crypto_key_create_file(key_file, key) != 0) {
        return problem_set(p, PROBLEM_UNAVAILABLE, "cannot create the key file %s: %s", key_file,
                           strerror(errno));
    }
    crypto_use_key(key);
    if (check[0] == '\0') {
        if (db_begin_write(db, p) != 0)
            goto out;
        if (put_check(db, p) != 0 || db_commit(db, p) != 0) {
            db_rollback(db);
            goto out;
        }
    } else if (!check_matches(check, 1)) {
        problem_set(p, PROBLEM_UNAVAILABLE,
                    "the key does not open this database (wrong key file or PAROLETRACK_KEY)");
        goto out;
    }
    {
        int unopened = 0, upgraded = upgrade_legacy(db, &unopened, p);

        if (upgraded < 0)
            goto out;
        if (upgraded > 0)
            fprintf(stderr, "paroletrack: re-sealed %d value(s) bound to their row's nonce\n",
                    upgraded);
        if (unopened > 0)
            fprintf(stderr,
                    "paroletrack: %d old value(s) do not open with this key and stay unreadable\n",
                    unopened);
    }
    {
        int sealed = seal_plaintext(db, p);

        if (sealed < 0)
            goto out;
        if (sealed > 0)
            fprintf(stderr, "paroletrack: sealed %d value(s) stored before encryption\n", sealed);
    }
    if (db_begin_write(db, p) != 0)
        goto out;
    if (load_audit_key(db, audit_key, &form, p) != 0)
        goto fail;
    /* The audit head is sealed here once: for a database older than sealed heads, or a new one
     * (its trail empty). Afterwards the key's form says so, and a head without a MAC stays a
     * failure of `audit verify` instead of being sealed again. */
    if (form == 1 || (form == 0 && fresh)) {
        int adopted = audit_head_adopt(db, p);

        if (adopted < 0 || (adopted == 0 && form == 1 && put_audit_key(db, audit_key, p) != 0))
            goto fail;
        if (adopted == 1)
            fprintf(stderr, "paroletrack: the audit trail does not end at its recorded head; "
                            "it stays unsealed (run paroletrack audit verify)\n");
    }
    if (db_commit(db, p) != 0)
        goto fail;
    rc = 0;
fail:
    if (rc != 0)
        db_rollback(db);
out:
    crypto_wipe(key, sizeof(key));
    crypto_wipe(audit_key, sizeof(audit_key));
    return rc;
}

/* Called for each value opened by open_every_sealed_value: column index i, the row's id and
 * nonce, the plaintext (borrowed, wiped after the call) and whether it was sealed (a legacy
 * plain value is handed over as it is). Returns 0 to go on. */
typedef int (*opened_value_fn)(size_t column, int64_t id, const char *nonce, const char *plain,
                               int sealed, void *arg);

/* Open every sealed value of every sealed column with the current key (legacy plain values are
 * taken as they are), handing each to `each`. Returns 0, or -1 with *p set (a value that does
 * not open names its table, column and row: "does not open with <whose> key"). */
static int open_every_sealed_value(struct db *db, const char *whose, opened_value_fn each,
                                   void *arg, struct problem *p)
{
    for (size_t i = 0; i < sizeof(sealed_columns) / sizeof(sealed_columns[0]); i++) {
        const struct sealed_column *c = &sealed_columns[i];
        db_stmt *stmt = db_prepare(db, c->select, p);
        enum db_step step;

        if (stmt == NULL)
            return -1;
        while ((step = db_step(stmt)) == DB_ROW) {
            int64_t id = db_row_int(stmt, "id");
            const char *stored = db_row_text(stmt, "value"),
                       *nonce = db_row_text(stmt, "row_nonce");
            char *plain = is_sealed(stored)
                              ? crypto_field_decrypt(c->table, c->column, id, nonce, stored)
                              : strdup(stored);
            int rc;

            if (plain == NULL) {
                db_finish(stmt);
                return problem_set(p, PROBLEM_UNAVAILABLE,
                                   "%s.%s of row %lld does not open with %s key", c->table,
                                   c->column, (long long)id, whose);
            }
            rc = each(i, id, nonce, plain, is_sealed(stored), arg);
            free_plain(plain);
            if (rc != 0) {
                db_finish(stmt);
                return problem_set(p, PROBLEM_INTERNAL, "out of memory");
            }
        }
        db_finish(stmt);
        if (step != DB_DONE)
            return problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(c->select), db_errmsg(db));
    }
    return 0;
}

/* An opened_value_fn that keeps [column index, id, row nonce, plaintext] in the array arg. */
static int keep_value(size_t column, int64_t id, const char *nonce, const char *plain, int sealed,
                      void *arg)
{
    (void)sealed;
    return json_array_append_new(
        arg, json_pack("[I, I, s, s]", (json_int_t)column, (json_int_t)id, nonce, plain));
}

/* An opened_value_fn that counts the sealed values in the int64_t arg. */
static int count_value(size_t column, int64_t id, const char *nonce, const char *plain, int sealed,
                       void *arg)
{
    (void)column, (void)id, (void)nonce, (void)plain;
    *(int64_t *)arg += sealed;
    return 0;
}

/* Read every sealed value with the current key into an array of [column index, id, row nonce,
 * plaintext] (legacy plain values are taken as they are). Returns the array or NULL with *p set. */
static json_t *unseal_all(struct db *db, struct problem *p)
{
    json_t *all = json_array();

    if (open_every_sealed_value(db, "the old", keep_value, all, p) != 0) {
        json_decref(all);
        return NULL;
    }
    return all;
}

int field_key_verify_sealed(struct db *db, int64_t *opened, struct problem *p)
{
    int rc;

    *opened = 0;
    if (db_begin_read(db, p) != 0)
        return -1;
    rc = open_every_sealed_value(db, "this", count_value, opened, p);
    db_rollback(db);
    return rc;
}

/* Seal every value of `all` ([column index, id, row nonce, plaintext]) with the current key,
 * and recompute the clients' blind indexes. */
static int reseal_all(struct db *db, const json_t *all, struct problem *p)
{
    size_t i;
    json_t *entry, *indexes = json_object();
    int rc = -1;

    json_array_foreach(all, i, entry)
    {
        const struct sealed_column *c =
            &sealed_columns[json_integer_value(json_array_get(entry, 0))];
        int64_t id = json_integer_value(json_array_get(entry, 1));
        const char *nonce = json_string_value(json_array_get(entry, 2));
        const char *plain = json_string_value(json_array_get(entry, 3));
        char *sealed = crypto_field_encrypt(c->table, c->column, id, nonce, plain);
        json_t *binds =
            json_pack("{s:s, s:I}", "value", sealed ? sealed : "", "id", (json_int_t)id);
        db_stmt *stmt = db_prepare(db, c->update, p);
        int ok = sealed != NULL && stmt != NULL && db_bind_json(stmt, binds, p) == 0 &&
                 db_step(stmt) == DB_DONE;

        db_finish(stmt);
        json_decref(binds);
        free(sealed);
        if (!ok) {
            if (p->kind == PROBLEM_NONE)
                problem_set(p, PROBLEM_INTERNAL, "re-sealing %s.%s: %s", c->table, c->column,
                            db_errmsg(db));
            goto out;
        }
        if (strcmp(c->table, "clients") == 0 &&
            (strcmp(c->column, "a_number") == 0 || strcmp(c->column, "passport_number") == 0)) {
            char key[32], index[65], column[40];
            json_t *row;

            snprintf(key, sizeof(key), "%lld", (long long)id);
            row = json_object_get(indexes, key);
            if (row == NULL) {
                row = json_pack("{s:I, s:n, s:n}", "id", (json_int_t)id, "a_number_index",
                                "passport_number_index");
                json_object_set_new(indexes, key, row);
            }
            crypto_blind_index(c->column, plain, index);
            snprintf(column, sizeof(column), "%s_index", c->column);
            json_object_set_new(row, column, json_string(index));
        }
    }
    {
        const char *key;
        json_t *row;

        json_object_foreach(indexes, key, row)
        {
            db_stmt *stmt = db_prepare(db, SQL_CLIENT_SET_INDEXES, p);
            int ok = stmt != NULL && db_bind_json(stmt, row, p) == 0 && db_step(stmt) == DB_DONE;

            db_finish(stmt);
            if (!ok) {
                if (p->kind == PROBLEM_NONE)
                    problem_set(p, PROBLEM_INTERNAL, "blind indexes: %s", db_errmsg(db));
                goto out;
            }
        }
    }
    rc = put_check(db, p);
out:
    json_decref(indexes);
    return rc;
}

int field_key_rekey(struct db *db, const unsigned char old_key[CRYPTO_KEY_BYTES],
                    const unsigned char new_key[CRYPTO_KEY_BYTES], struct problem *p)
{
    char check[512];
    unsigned char audit_key[CRYPTO_KEY_BYTES];
    json_t *all = NULL;
    int rc = -1, form = 0;

    crypto_use_key(old_key);
    if (db_begin_write(db, p) != 0)
        return -1;
    if (settings_value(db, "key_check", check, sizeof(check), p) != 0)
        goto out;
    if (check[0] != '\0' && !check_matches(check, 0)) {
        problem_set(p, PROBLEM_UNAVAILABLE, "the old key does not open this database");
        goto out;
    }
    all = unseal_all(db, p);
    if (all == NULL || load_audit_key(db, audit_key, &form, p) != 0)
        goto out;
    crypto_use_key(new_key);
    if (reseal_all(db, all, p) != 0)
        goto out;
    {
        /* The audit chain's own key moves to the new key like every sealed value (the chain
         * itself stays as it is), then the rekey is recorded. */
        struct op_context ctx;

        context_init(&ctx);
        ctx.actor.type = ACTOR_CLI;
        snprintf(ctx.actor.label, sizeof(ctx.actor.label), "cli");
        if (put_audit_key(db, audit_key, p) != 0 ||
            audit_append(db, &ctx, "rekey", "settings", 0, 0, NULL, p) != 0)
            goto out;
    }
    rc = db_commit(db, p);
out:
    if (rc != 0) {
        db_rollback(db);
        crypto_use_key(old_key);
    }
    crypto_wipe(audit_key, sizeof(audit_key));
    json_decref(all);
    return rc;
}

int field_key_check_unchanged(struct db *db, struct problem *p)
{
    char check[512], id[CRYPTO_KEY_ID_LEN + 1];

    if (!atomic_load(&key_changed)) {
        if (settings_value(db, "key_check", check, sizeof(check), p) != 0)
            return -1;
        if (crypto_field_key_id(check, id) == 0 && strcmp(id, crypto_key_id()) == 0)
            return 0;
        if (atomic_exchange(&key_changed, 1) == 0)
            fprintf(stderr, "paroletrack: the database's key check names another key than "
                            "this server's (rekeyed while it runs?): no more writes; restart "
                            "the server with the new key file\n");
    }
    return problem_set(p, PROBLEM_UNAVAILABLE, "%s", FIELD_KEY_CHANGED_DETAIL);
}
