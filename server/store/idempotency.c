/* idempotency: the first answers of keyed writes (see idempotency.h). */
#include "idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

/* The table and column the sealed body is bound to. */
#define SEALED_TABLE  "idempotency_keys"
#define SEALED_COLUMN "body"

int idempotency_key_valid(const char *key)
{
    size_t n = key ? strlen(key) : 0;

    if (n == 0 || n > IDEMPOTENCY_KEY_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)key[i] <= 0x20 || (unsigned char)key[i] >= 0x7f)
            return 0;
    return 1;
}

void idempotency_fingerprint(const char *method, const char *path, const char *body,
                             size_t body_len, char out[65])
{
    size_t head_len = strlen(method) + 1 + strlen(path) + 1;
    char *text = malloc(head_len + body_len + 1), digest[65];

    if (text == NULL) { /* a fingerprint nothing else has: the key cannot match */
        crypto_random_hex(out, 32);
        return;
    }
    /* method NUL path NUL body: no two different requests share the bytes */
    memcpy(text, method, strlen(method) + 1);
    memcpy(text + strlen(method) + 1, path, strlen(path) + 1);
    if (body_len > 0)
        memcpy(text + head_len, body, body_len);
    crypto_sha256_hex(text, head_len + body_len, digest);
    crypto_wipe(text, head_len + body_len);
    free(text);
    /* Keyed with the field key: a body may hold an identifier (a date of birth, an A-number)
     * whose plain hash could be guessed back from a copy of the database. */
    crypto_blind_index("idempotency_keys.fingerprint", digest, out);
}

void idempotency_answer_clear(struct idempotency_answer *answer)
{
    free(answer->body);
    answer->body = NULL;
}

/* The answer of the row under stmt into *answer (its body opened). Returns 0, or -1 with *p. */
static int answer_of_row(db_stmt *stmt, struct idempotency_answer *answer, struct problem *p)
{
    const char *location = db_row_text(stmt, "location"), *etag = db_row_text(stmt, "etag");
    const char *sealed = db_row_text(stmt, "body");

    memset(answer, 0, sizeof(*answer));
    answer->status = (int)db_row_int(stmt, "status");
    answer->is_problem = db_row_int(stmt, "is_problem") != 0;
    snprintf(answer->location, sizeof(answer->location), "%s", location ? location : "");
    snprintf(answer->etag, sizeof(answer->etag), "%s", etag ? etag : "");
    if (sealed == NULL)
        return 0;
    answer->body = crypto_field_decrypt(SEALED_TABLE, SEALED_COLUMN, db_row_int(stmt, "id"),
                                        db_row_text(stmt, "row_nonce"), sealed);
    if (answer->body == NULL)
        return problem_set(p, PROBLEM_INTERNAL,
                           "the stored answer of an idempotency key does "
                           "not open with the field key");
    return 0;
}

/* Inside the caller's write transaction: the row of the key, as idempotency_begin says (1, 0
 * when there is none, -1 with *p). */
static int look_up(struct db *db, const json_t *binds, const char *fingerprint,
                   struct idempotency_answer *answer, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, SQL_IDEMPOTENCY_GET, p);
    enum db_step step;
    int rc = -1;

    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    step = db_step(stmt);
    if (step == DB_DONE) {
        rc = 0;
    } else if (step != DB_ROW) {
        problem_set(p, PROBLEM_INTERNAL, "idempotency_get: %s", db_errmsg(db));
    } else if (strcmp(db_row_text(stmt, "fingerprint"), fingerprint) != 0) {
        problem_add_field(p, "Idempotency-Key",
                          "was used with another request in the last 24 hours; send a new key "
                          "for a new request");
        problem_set(p, PROBLEM_VALIDATION, "this Idempotency-Key belongs to another request");
    } else if (db_row_text(stmt, "status") == NULL) {
        problem_set(p, PROBLEM_CONFLICT,
                    "the first request with this Idempotency-Key is still running (or was cut "
                    "off: read the record to see whether it was made); retry later");
    } else {
        rc = answer_of_row(stmt, answer, p) == 0 ? 1 : -1;
    }
out:
    db_finish(stmt);
    return rc;
}

int idempotency_begin(struct db *db, const char *principal, const char *key,
                      const char *fingerprint, const char *now, int64_t *reservation,
                      struct idempotency_answer *answer, struct problem *p)
{
    char key_hash[65];
    json_t *binds;
    int rc;

    *reservation = 0;
    memset(answer, 0, sizeof(*answer));
    /* keyed too: a caller may use an identifier as its key */
    crypto_blind_index("idempotency_keys.key", key, key_hash);
    binds = json_pack("{s:s, s:s, s:s, s:s}", "principal", principal, "key_hash", key_hash,
                      "fingerprint", fingerprint, "now", now);
    if (db_begin_write(db, p) != 0) {
        json_decref(binds);
        return -1;
    }
    rc = db_exec_json(db, SQL_IDEMPOTENCY_PURGE, binds, p) != 0
             ? -1
             : look_up(db, binds, fingerprint, answer, p);
    if (rc == 0 && (rc = db_exec_json(db, SQL_IDEMPOTENCY_RESERVE, binds, p)) == 0)
        *reservation = db_last_insert_id(db);
    if (rc >= 0 && db_commit(db, p) == 0) {
        json_decref(binds);
        return rc;
    }
    db_rollback(db);
    idempotency_answer_clear(answer);
    *reservation = 0;
    json_decref(binds);
    return -1;
}

int idempotency_finish(struct db *db, int64_t reservation, const struct idempotency_answer *answer,
                       struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)reservation);
    char nonce[CRYPTO_ROW_NONCE_LEN + 1] = "", *sealed = NULL;
    int rc = -1;

    if (db_begin_write(db, p) != 0) {
        json_decref(binds);
        return -1;
    }
    if (db_scalar_text(db, SQL_IDEMPOTENCY_NONCE, binds, nonce, sizeof(nonce), p) != 0)
        goto out;
    if (answer->body != NULL &&
        (sealed = crypto_field_encrypt(SEALED_TABLE, SEALED_COLUMN, reservation, nonce,
                                       answer->body)) == NULL) {
        problem_set(p, PROBLEM_INTERNAL, "sealing the answer of an idempotency key failed");
        goto out;
    }
    json_object_set_new(binds, "status", json_integer(answer->status));
    json_object_set_new(binds, "is_problem", json_integer(answer->is_problem != 0));
    json_object_set_new(binds, "location",
                        answer->location[0] ? json_string(answer->location) : json_null());
    json_object_set_new(binds, "etag", answer->etag[0] ? json_string(answer->etag) : json_null());
    json_object_set_new(binds, "body", sealed ? json_string(sealed) : json_null());
    if (db_exec_json(db, SQL_IDEMPOTENCY_FINISH, binds, p) == 0 && db_commit(db, p) == 0)
        rc = 0;
out:
    if (rc != 0)
        db_rollback(db);
    free(sealed);
    json_decref(binds);
    return rc;
}

int idempotency_release(struct db *db, int64_t reservation, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "id", (json_int_t)reservation);
    int rc = db_exec_alone(db, SQL_IDEMPOTENCY_RELEASE, binds, p);

    json_decref(binds);
    return rc;
}
