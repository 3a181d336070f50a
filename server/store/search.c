/* search: names forgiving of typos, identifiers exactly (see search.h). */
#include "search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "crypto.h"
#include "identifiers.h"
#include "lookups.h"
#include "text_buffer.h"
#include "textfold.h"

/* The longest query, in bytes; the most three-letter pieces of one; the most names the index
 * hands over before they are scored. */
#define QUERY_MAX_BYTES 800
#define PIECES_MAX      64
#define PIECE_BYTES     16
#define NAME_CANDIDATES 200
#define HITS_MAX        (NAME_CANDIDATES + 16)

/* One hit: what it is, its score and how it matched. */
struct hit {
    const char *kind, *matched; /* static */
    int64_t id, client_id;
    double score;
    char label[200];
};

struct hits {
    struct hit items[HITS_MAX];
    size_t count;
};

/* Add a hit, or raise the score of the same record found another way. */
static void add_hit(struct hits *h, const char *kind, int64_t id, int64_t client_id,
                    const char *label, const char *matched, double score)
{
    for (size_t i = 0; i < h->count; i++)
        if (h->items[i].id == id && strcmp(h->items[i].kind, kind) == 0) {
            if (score > h->items[i].score) {
                h->items[i].score = score;
                h->items[i].matched = matched;
            }
            return;
        }
    if (h->count == HITS_MAX)
        return;
    h->items[h->count] = (struct hit){
        .kind = kind, .matched = matched, .id = id, .client_id = client_id, .score = score};
    snprintf(h->items[h->count].label, sizeof(h->items[h->count].label), "%s", label);
    h->count++;
}

/* Best first: score, then clients before requests, then the lower id. */
static int hit_order(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    int kind;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    kind = strcmp(x->kind, y->kind);
    if (kind != 0)
        return kind;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* A client's label: "Family, Given" (or the one name there is), cut to out_size whole
 * characters. */
static void client_label(db_stmt *stmt, char *out, size_t out_size)
{
    const char *family = db_row_text(stmt, "family_name"), *given = db_row_text(stmt, "given_name");

    family = family ? family : "";
    given = given ? given : "";
    snprintf(out, out_size, "%s%s%s", family, family[0] && given[0] ? ", " : "", given);
    text_cut_partial_utf8(out);
}

/* The pieces of a folded query: every run of three characters (UTF-8 aware) inside each word,
 * or the whole word when it is shorter. Returns how many were written to pieces; *trigrams is
 * set to how many are three characters long (the ones the index can look for). */
static size_t query_pieces(const char *folded, char pieces[][PIECE_BYTES], size_t room,
                           size_t *trigrams)
{
    size_t n = 0;

    *trigrams = 0;
    while (*folded && n < room) {
        size_t starts[PIECE_BYTES * 8], chars = 0, len = strcspn(folded, " ");

        for (size_t i = 0; i < len && chars < sizeof(starts) / sizeof(starts[0]); i++)
            if (((unsigned char)folded[i] & 0xC0) != 0x80)
                starts[chars++] = i;
        if (chars > 0 && chars < 3) {
            snprintf(pieces[n++], PIECE_BYTES, "%.*s", (int)len, folded);
        } else {
            for (size_t c = 0; c + 2 < chars && n < room; c++) {
                size_t end = c + 3 < chars ? starts[c + 3] : len;

                if (end - starts[c] < PIECE_BYTES) {
                    snprintf(pieces[n++], PIECE_BYTES, "%.*s", (int)(end - starts[c]),
                             folded + starts[c]);
                    (*trigrams)++;
                }
            }
        }
        folded += len;
        while (*folded == ' ')
            folded++;
    }
    return n;
}

/* Whether a folded search key holds `word` as a whole word (between its start or end, a space
 * or the U+001F that separates its fields). */
static int holds_word(const char *key, const char *word)
{
    size_t len = strlen(word);

    for (const char *at = strstr(key, word); len && at; at = strstr(at + 1, word)) {
        int starts = at == key || at[-1] == ' ' || at[-1] == '\x1f';
        int ends = at[len] == '\0' || at[len] == ' ' || at[len] == '\x1f';

        if (starts && ends)
            return 1;
    }
    return 0;
}

/* The share of the pieces a folded search key holds. */
static double name_score(const char *key, char pieces[][PIECE_BYTES], size_t count)
{
    size_t held = 0;

    for (size_t i = 0; i < count; i++)
        held += strstr(key, pieces[i]) != NULL;
    return count ? (double)held / (double)count : 0;
}

/* The FTS5 query of the pieces: each three-character piece quoted, joined by OR. Returns new
 * text the caller frees. */
static char *fts_query(char pieces[][PIECE_BYTES], size_t count)
{
    size_t size = count * (PIECE_BYTES * 2 + 6) + 1, used = 0;
    char *out = malloc(size);

    if (out == NULL)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t chars = 0;

        for (const char *c = pieces[i]; *c; c++)
            chars += ((unsigned char)*c & 0xC0) != 0x80;
        if (chars != 3)
            continue;
        used += (size_t)snprintf(out + used, size - used, "%s\"", used ? " OR " : "");
        for (const char *c = pieces[i]; *c; c++) {
            if (*c == '"')
                out[used++] = '"';
            out[used++] = *c;
        }
        out[used++] = '"';
        out[used] = '\0';
    }
    return out;
}

/* The names that share pieces with the folded query, scored; those at SEARCH_MIN_SCORE or more
 * are hits. Returns 0 or -1 with *p set. */
static int search_names(struct db *db, const char *folded, struct hits *h, struct problem *p)
{
    char pieces[PIECES_MAX][PIECE_BYTES], *match = NULL, label[200], prefix[PIECE_BYTES];
    size_t trigrams, count = query_pieces(folded, pieces, PIECES_MAX, &trigrams);
    enum sql_id sql = trigrams > 0 ? SQL_SEARCH_NAMES : SQL_SEARCH_NAMES_SHORT;
    json_t *binds;
    db_stmt *stmt;
    enum db_step step = DB_ERROR;

    if (count == 0)
        return 0;
    match = trigrams > 0 ? fts_query(pieces, count) : NULL;
    /* no three-letter piece: the names that start with the query (the family name first) */
    /* (every word has one or two letters there: the first fits) */
    snprintf(prefix, sizeof(prefix), "%.*s", trigrams ? 0 : (int)strcspn(folded, " "), folded);
    binds = json_pack("{s:s, s:s, s:s, s:I}", "match", match ? match : "", "q", folded, "prefix",
                      prefix, "limit", (json_int_t)NAME_CANDIDATES);
    stmt = db_prepare(db, sql, p);
    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW) {
            const char *key = db_row_text(stmt, "search_key");
            /* every word found as it is typed: as good as a name gets */
            double score = db_row_int(stmt, "exact") ? 1.0 : name_score(key, pieces, count);

            if (trigrams == 0 && !db_row_int(stmt, "exact"))
                continue; /* a short query matches as typed, or not at all */
            if (trigrams == 0 && !holds_word(key, prefix))
                score = 0.9; /* "li" in "lindqvist": after the Li themselves */

            if (score < SEARCH_MIN_SCORE)
                continue;
            client_label(stmt, label, sizeof(label));
            add_hit(h, "client", db_row_int(stmt, "id"), db_row_int(stmt, "id"), label, "name",
                    score);
        }
    json_decref(binds);
    free(match);
    return db_finish_run(db, stmt, sql, step, p);
}

/* Run one identifier statement bound to `binds`, adding each row as a hit of `kind` matched by
 * `matched`; ids of clients found are appended to `found` (may be NULL). Returns 0 or -1. */
static int search_exact(struct db *db, enum sql_id sql, json_t *binds, const char *kind,
                        const char *matched, struct hits *h, json_t *found, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, sql, p);
    enum db_step step = DB_ERROR;
    char label[200];

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW) {
            int64_t client = db_row_int(stmt, "client_id");

            client_label(stmt, label, sizeof(label));
            if (strcmp(kind, "parole_request") == 0) {
                size_t len = strlen(label);

                snprintf(label + len, sizeof(label) - len, " · %s",
                         db_row_text(stmt, "parole_type"));
                text_cut_partial_utf8(label);
            }
            add_hit(h, kind, db_row_int(stmt, "id"), client, label, matched, 1.0);
            if (found != NULL)
                json_array_append_new(found, json_integer(client));
        }
    return db_finish_run(db, stmt, sql, step, p);
}

/* The query as an identifier would be typed: upper-cased, spaces and dashes dropped. */
static void compact(const char *query, char *out, size_t out_size)
{
    size_t n = 0;

    for (; *query && n + 1 < out_size; query++)
        if (*query != ' ' && *query != '-' && *query != '\t')
            out[n++] = (char)toupper((unsigned char)*query);
    out[n] = '\0';
}

/* A request reference: "PR-49", "PR 49", "#49", "request 49" (any case). Returns the id or 0. */
static int64_t request_reference(const char *query)
{
    static const char *const prefixes[] = {"pr", "#", "request", "parole request", NULL};
    char *end;

    while (*query == ' ')
        query++;
    for (size_t i = 0; prefixes[i]; i++) {
        size_t len = strlen(prefixes[i]);
        const char *rest = query + len;
        long long id;

        if (strncasecmp(query, prefixes[i], len) != 0)
            continue;
        while (*rest == ' ' || *rest == '-')
            rest++;
        if (!isdigit((unsigned char)*rest))
            continue;
        id = strtoll(rest, &end, 10);
        while (*end == ' ')
            end++;
        if (*end == '\0' && id > 0)
            return id;
    }
    return 0;
}

/* What the query may be besides a name: the blind indexes to look up (a_number, passport;
 * empty when none), the receipt number and the request id (empty / 0 when none). */
struct identifiers_typed {
    char a_number_index[65], passport_index[65], receipt[64];
    int64_t request_id;
};

static void read_identifiers(const char *query, struct identifiers_typed *t)
{
    char packed[64], normal[64];
    const char *message;
    size_t len, digits = 0, letters = 0;

    memset(t, 0, sizeof(*t));
    t->request_id = request_reference(query);
    compact(query, packed, sizeof(packed));
    len = strlen(packed);
    for (size_t i = 0; i < len; i++) {
        digits += isdigit((unsigned char)packed[i]) != 0;
        letters += isalpha((unsigned char)packed[i]) != 0;
    }
    if (identifiers_receipt_number(query, normal, sizeof(normal), &message) == 0) {
        snprintf(t->receipt, sizeof(t->receipt), "%s", normal);
        return;
    }
    if (digits == 0 || digits + letters != len || t->request_id != 0)
        return;
    /* an A-number typed with or without its A */
    if (digits >= 7 && digits <= 9 && (letters == 0 || (letters == 1 && packed[0] == 'A'))) {
        char typed[sizeof(packed) + 1];

        snprintf(typed, sizeof(typed), "A%s", letters ? packed + 1 : packed);
        if (identifiers_a_number(typed, normal, sizeof(normal), &message) == 0)
            crypto_blind_index("a_number", normal, t->a_number_index);
    }
    if (identifiers_passport_number(query, normal, sizeof(normal), &message) == 0)
        crypto_blind_index("passport_number", normal, t->passport_index);
}

/* The audit event of a search that looked identifiers up: which kinds (never the value) and the
 * clients found, as a list filtered by them is audited. Returns 0 or -1. */
static int audit_lookup(struct db *db, const struct identifiers_typed *t, json_t *found,
                        const struct op_context *ctx, struct problem *p)
{
    json_t *kinds = json_array(), *changes;
    int rc;

    if (t->a_number_index[0])
        json_array_append_new(kinds, json_string("a_number"));
    if (t->passport_index[0])
        json_array_append_new(kinds, json_string("passport_number"));
    changes = json_pack("{s:{s:n, s:o}, s:{s:n, s:O}}", "filters", "before", "after", kinds, "ids",
                        "before", "after", found);
    {
        const struct audit_event event = {
            .ctx = ctx,
            .action = "lookup_identifiers",
            .entity = "clients",
            .entity_id =
                json_array_size(found) == 1 ? json_integer_value(json_array_get(found, 0)) : 0,
            .changes = changes,
        };

        rc = changes ? audit_append_events(db, &event, 1, p)
                     : problem_set(p, PROBLEM_INTERNAL, "audit: out of memory");
    }
    json_decref(changes);
    return rc;
}

/* Every way the query may match, inside the caller's transaction. */
static int search_all(struct db *db, const char *folded, const struct identifiers_typed *t,
                      struct hits *h, json_t *found, struct problem *p)
{
    json_t *binds = json_pack("{s:s, s:s, s:s, s:I}", "a_number_index", t->a_number_index,
                              "passport_number_index", t->passport_index, "receipt", t->receipt,
                              "request_id", (json_int_t)t->request_id);
    int rc = -1;

    if ((t->a_number_index[0] &&
         search_exact(db, SQL_SEARCH_A_NUMBER, binds, "client", "a_number", h, found, p) != 0) ||
        (t->passport_index[0] && search_exact(db, SQL_SEARCH_PASSPORT, binds, "client",
                                              "passport_number", h, found, p) != 0) ||
        (t->receipt[0] && search_exact(db, SQL_SEARCH_RECEIPT, binds, "parole_request",
                                       "receipt_number", h, NULL, p) != 0) ||
        (t->request_id && search_exact(db, SQL_SEARCH_REQUEST, binds, "parole_request",
                                       "request_id", h, NULL, p) != 0) ||
        (folded[0] && search_names(db, folded, h, p) != 0))
        goto out;
    rc = 0;
out:
    json_decref(binds);
    return rc;
}

json_t *search_run(struct db *db, const char *query, int64_t limit, const struct op_context *ctx,
                   struct problem *p)
{
    struct hits *h = NULL;
    struct identifiers_typed typed;
    json_t *items = NULL, *found = json_array(), *out = NULL;
    char *folded = NULL;
    int lookup;

    if (query == NULL || strlen(query) > QUERY_MAX_BYTES || query[strspn(query, " \t")] == '\0') {
        problem_add_field(p, "q",
                          query && query[0] ? "is too long: at most 200 characters"
                                            : "type a name, an A-number, a receipt "
                                              "number or a passport number");
        problem_set(p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
        goto out;
    }
    folded = textfold_fold(query);
    h = calloc(1, sizeof(*h));
    if (folded == NULL || h == NULL) {
        problem_add_field(p, "q", "is not valid UTF-8 text");
        problem_set(p, PROBLEM_INVALID_QUERY, "1 query parameter(s) are invalid");
        goto out;
    }
    read_identifiers(query, &typed);
    lookup = typed.a_number_index[0] || typed.passport_index[0];
    /* a look-up by identifier: its count, its reads and its audit event are one transaction */
    if ((lookup ? db_begin_write(db, p) : db_begin_read(db, p)) != 0)
        goto out;
    if ((lookup && lookups_claim(db, ctx, p) != 0) ||
        search_all(db, folded, &typed, h, found, p) != 0 ||
        (lookup && (audit_lookup(db, &typed, found, ctx, p) != 0 || db_commit(db, p) != 0)))
        goto out;
    qsort(h->items, h->count, sizeof(h->items[0]), hit_order);
    items = json_array();
    for (size_t i = 0; i < h->count && (int64_t)i < limit; i++) {
        const struct hit *x = &h->items[i];

        json_array_append_new(items,
                              json_pack("{s:s, s:I, s:I, s:s, s:s, s:f}", "kind", x->kind, "id",
                                        (json_int_t)x->id, "client_id", (json_int_t)x->client_id,
                                        "label", x->label, "matched", x->matched, "score",
                                        (double)((int)(x->score * 100 + 0.5)) / 100));
    }
    out = json_pack("{s:o}", "items", items);
out:
    db_rollback(db);
    free(h);
    free(folded);
    json_decref(found);
    return out;
}

/* Add {client_id, label, matched, score} for each row of an identifier statement. Returns 0 or
 * -1. */
static int same_identifier(struct db *db, enum sql_id sql, json_t *binds, const char *matched,
                           json_t *out, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, sql, p);
    enum db_step step = DB_ERROR;
    char label[200];

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW) {
            client_label(stmt, label, sizeof(label));
            json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:f}", "client_id",
                                                 (json_int_t)db_row_int(stmt, "id"), "label", label,
                                                 "matched", matched, "score", 1.0));
        }
    return db_finish_run(db, stmt, sql, step, p);
}

/* Whether a JSON array (text or value) of ids holds `id`. */
static int lists_id(const json_t *ids, int64_t id)
{
    size_t i;
    json_t *v;

    json_array_foreach(ids, i, v)
    {
        if (json_integer_value(v) == id)
            return 1;
    }
    return 0;
}

/* Candidate `candidate` (found by name, `score`) is a likely duplicate when its sealed date of
 * birth opens to `dob` and neither side lists the other as a different person: then it is
 * appended to out. Returns 0 or -1. */
static int same_birth(struct db *db, int64_t candidate, double score, const char *dob, int64_t id,
                      const json_t *distinct_from, json_t *out, struct problem *p)
{
    json_t *binds = json_pack("{s:I}", "candidate", (json_int_t)candidate), *theirs = NULL;
    db_stmt *stmt = db_prepare(db, SQL_DUPLICATE_FACTS, p);
    enum db_step step = DB_ERROR;
    char label[200], *birth = NULL;
    int rc = -1;

    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    step = db_step(stmt);
    if (step == DB_ROW) {
        const char *sealed = db_row_text(stmt, "date_of_birth");

        birth = sealed && sealed[0] ? crypto_field_decrypt("clients", "date_of_birth", candidate,
                                                           db_row_text(stmt, "row_nonce"), sealed)
                                    : NULL;
        theirs = json_loads(db_row_text(stmt, "distinct_from"), 0, NULL);
        if (birth != NULL && strcmp(birth, dob) == 0 && !lists_id(distinct_from, candidate) &&
            !lists_id(theirs, id)) {
            client_label(stmt, label, sizeof(label));
            json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:f}", "client_id",
                                                 (json_int_t)candidate, "label", label, "matched",
                                                 "name_and_date_of_birth", "score",
                                                 (double)((int)(score * 100 + 0.5)) / 100));
        }
        rc = 0;
    } else if (step == DB_DONE) {
        rc = 0;
    } else if (p->kind == PROBLEM_NONE) {
        problem_set(p, PROBLEM_INTERNAL, "duplicate_facts: %s", db_errmsg(db));
    }
out:
    crypto_wipe_string(birth);
    free(birth);
    json_decref(theirs);
    db_finish(stmt);
    json_decref(binds);
    return rc;
}

/* The clients whose names hold SEARCH_DUPLICATE_MIN_SCORE of the record's family and given
 * names' pieces and whose date of birth is the record's. Returns 0 or -1. */
static int likely_duplicates(struct db *db, const json_t *record, int64_t id, json_t *out,
                             struct problem *p)
{
    const char *dob = json_string_value(json_object_get(record, "date_of_birth"));
    const char *family = json_string_value(json_object_get(record, "family_name"));
    const char *given = json_string_value(json_object_get(record, "given_name"));
    char typed[2 * 800 + 2], *folded; /* two names of 200 characters, 4 bytes each at most */
    struct hits *h;
    int rc = -1;

    if (dob == NULL)
        return 0;
    snprintf(typed, sizeof(typed), "%s %s", family ? family : "", given ? given : "");
    folded = textfold_fold(typed);
    h = calloc(1, sizeof(*h));
    if (folded == NULL || h == NULL) {
        problem_set(p, PROBLEM_INTERNAL, "duplicate check: out of memory");
        goto out;
    }
    if (search_names(db, folded, h, p) != 0)
        goto out;
    rc = 0;
    for (size_t i = 0; i < h->count && rc == 0; i++)
        if (h->items[i].id != id && h->items[i].score >= SEARCH_DUPLICATE_MIN_SCORE)
            rc = same_birth(db, h->items[i].id, h->items[i].score, dob, id,
                            json_object_get(record, "distinct_from"), out, p);
out:
    free(h);
    free(folded);
    return rc;
}

json_t *search_duplicates(struct db *db, const json_t *record, int64_t id, int identifiers,
                          int likely, struct problem *p)
{
    json_t *out = json_array(), *binds;
    const char *a_number = json_string_value(json_object_get(record, "a_number_index"));
    const char *passport = json_string_value(json_object_get(record, "passport_number_index"));
    int rc = 0;

    binds = json_pack("{s:s?, s:s?, s:I}", "a_number_index", a_number, "passport_number_index",
                      passport, "id", (json_int_t)id);
    if (identifiers && a_number != NULL)
        rc = same_identifier(db, SQL_DUPLICATE_A_NUMBER, binds, "a_number", out, p);
    if (rc == 0 && identifiers && passport != NULL)
        rc = same_identifier(db, SQL_DUPLICATE_PASSPORT, binds, "passport_number", out, p);
    if (rc == 0 && likely && json_array_size(out) == 0)
        rc = likely_duplicates(db, record, id, out, p);
    json_decref(binds);
    if (rc == 0)
        return out;
    json_decref(out);
    return NULL;
}
