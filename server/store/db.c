/* db: SQLite connections, the statement cache and JSON binding. */
#include "db.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "json_text.h"

/* How many values a connection remembers (db_memo_*): one per reader that asks. */
#define MEMO_SLOTS 4

/* The transaction statements every call runs, kept prepared per connection instead of parsed
 * on each run (db_exec looks its text up here). */
enum control {
    CONTROL_BEGIN,
    CONTROL_BEGIN_IMMEDIATE,
    CONTROL_COMMIT,
    CONTROL_ROLLBACK,
    CONTROL_SAVEPOINT,
    CONTROL_ROLLBACK_TO_SAVEPOINT,
    CONTROL_RELEASE,
    CONTROL_COUNT
};
static const char *const control_texts[CONTROL_COUNT] = {
    [CONTROL_BEGIN] = "BEGIN",
    [CONTROL_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
    [CONTROL_COMMIT] = "COMMIT",
    [CONTROL_ROLLBACK] = "ROLLBACK",
    [CONTROL_SAVEPOINT] = "SAVEPOINT write_change",
    [CONTROL_ROLLBACK_TO_SAVEPOINT] = "ROLLBACK TO write_change",
    [CONTROL_RELEASE] = "RELEASE write_change",
};

struct db {
    sqlite3 *handle;
    sqlite3_stmt *statements[SQL__MAX];
    sqlite3_stmt *control[CONTROL_COUNT]; /* control_texts, prepared when first run */
    struct db *next_in_pool;              /* the pool's list of every connection it opened */
    int holds_writer_lock; /* this connection owns writer_lock (between BEGIN and the end) */
    int read_scope;        /* a read scope's BEGIN is open (db_read_scope_begin) */
    int scope_reads;       /* reads begun inside the scope and not yet ended */
    struct {
        const char *name;     /* the reader's static name; NULL: a free slot */
        char key[64];         /* what else the value depends on (a date, say) */
        unsigned int version; /* the file's data version when it was computed */
        json_t *value;        /* owned */
    } memo[MEMO_SLOTS];
};

static char *pool_path;
static struct db *pool_head;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct db *thread_connection;
/* The primary SQLite code of a full, read-only or failing disk this thread met since its last
 * db_begin_write (0: none); see db_storage_failure. */
static _Thread_local int storage_error;
static struct db *pool_writers[DB_WRITER_SLOTS]; /* db_pool_writer's, in pool_head's list too */
/* Writers of this process queue here before BEGIN IMMEDIATE: waiting on a mutex wakes the next
 * writer at once, where SQLite's busy handler would sleep and poll. Other processes (a cron
 * job, the sqlite3 shell) still meet the busy timeout. */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;
/* Run inside every write transaction once set (a server: "is the key still ours?"). */
static db_write_guard write_guard;

/* SQL function search_match(key, query): true when every space-separated word of the folded
 * query occurs in the folded search key, in any order ("garcia hernandez" finds
 * "hernandez garcia"). Both arguments are already folded by textfold. */
static void search_match(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    const char *key = (const char *)sqlite3_value_text(argv[0]);
    const char *query = (const char *)sqlite3_value_text(argv[1]);
    char word[256];

    (void)argc;
    if (key == NULL || query == NULL) {
        sqlite3_result_int(context, 0);
        return;
    }
    while (*query) {
        size_t len = strcspn(query, " ");

        if (len > 0) {
            if (len >= sizeof(word))
                len = sizeof(word) - 1;
            memcpy(word, query, len);
            word[len] = '\0';
            if (strstr(key, word) == NULL) {
                sqlite3_result_int(context, 0);
                return;
            }
        }
        query += strcspn(query, " ");
        while (*query == ' ')
            query++;
    }
    sqlite3_result_int(context, 1);
}

/* Apply the connection settings every connection needs. Returns 0 or -1 with *p set. */
static int db_configure(struct db *db, struct problem *p)
{
    static const char *const setup = "PRAGMA journal_mode = WAL;"
                                     "PRAGMA synchronous = FULL;"
                                     "PRAGMA foreign_keys = ON;"
                                     "PRAGMA secure_delete = ON;"
                                     "PRAGMA temp_store = MEMORY;";

    if (sqlite3_create_function(db->handle, "search_match", 2,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                search_match, NULL, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(db->handle, 5000) != SQLITE_OK)
        return problem_set(p, PROBLEM_INTERNAL, "database: %s", sqlite3_errmsg(db->handle));
    return db_exec(db, setup, p);
}

int db_set_cache_mib(struct db *db, int mib, struct problem *p)
{
    char pragma[64];

    snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = -%d", mib * 1024);
    return db_exec(db, pragma, p);
}

int db_set_mmap_mib(struct db *db, int mib, struct problem *p)
{
    char pragma[64];

    snprintf(pragma, sizeof(pragma), "PRAGMA mmap_size = %lld", (long long)mib * 1024 * 1024);
    return db_exec(db, pragma, p);
}

/* Once per process, before SQLite initialises: no memory statistics. Debian's SQLite keeps
 * them by default, and keeping them takes one process-wide mutex on every allocation of every
 * connection; nothing here reads them. */
static void configure_library(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct db *db_open(const char *path, struct problem *p)
{
    static pthread_once_t library_configured = PTHREAD_ONCE_INIT;
    struct db *db;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

    pthread_once(&library_configured, configure_library);
    db = calloc(1, sizeof(*db));
    if (db == NULL) {
        problem_set(p, PROBLEM_INTERNAL, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &db->handle, flags, NULL) != SQLITE_OK) {
        problem_set(p, PROBLEM_UNAVAILABLE, "cannot open database %s: %s", path,
                    db->handle ? sqlite3_errmsg(db->handle) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(db->handle, 1);
    if (db_configure(db, p) != 0)
        goto fail;
    return db;
fail:
    db_close(db);
    return NULL;
}

void db_close(struct db *db)
{
    if (db == NULL)
        return;
    for (int i = 0; i < MEMO_SLOTS; i++)
        json_decref(db->memo[i].value);
    for (int i = 0; i < SQL__MAX; i++)
        sqlite3_finalize(db->statements[i]);
    for (enum control i = 0; i < CONTROL_COUNT; i++)
        sqlite3_finalize(db->control[i]);
    sqlite3_close(db->handle);
    free(db);
}

/* The data version of the main database as this connection's read transaction sees it: it
 * changes with every commit to the file, this connection's and any other's (another thread's
 * connection, another process). */
static unsigned int data_version(struct db *db)
{
    unsigned int version = 0;

    if (sqlite3_file_control(db->handle, "main", SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK)
        return 0;
    return version;
}

json_t *db_memo_get(struct db *db, const char *name, const char *key)
{
    unsigned int version = data_version(db);

    for (int i = 0; i < MEMO_SLOTS; i++)
        if (db->memo[i].name == name)
            return version != 0 && db->memo[i].version == version &&
                           strcmp(db->memo[i].key, key) == 0
                       ? db->memo[i].value
                       : NULL;
    return NULL;
}

void db_memo_put(struct db *db, const char *name, const char *key, json_t *value)
{
    int slot = -1;

    for (int i = 0; i < MEMO_SLOTS && slot < 0; i++)
        if (db->memo[i].name == name || db->memo[i].name == NULL)
            slot = i;
    if (slot < 0 || strlen(key) >= sizeof(db->memo[slot].key)) {
        json_decref(value);
        return;
    }
    json_decref(db->memo[slot].value);
    db->memo[slot].name = name;
    snprintf(db->memo[slot].key, sizeof(db->memo[slot].key), "%s", key);
    db->memo[slot].version = data_version(db);
    db->memo[slot].value = value;
}

void db_pool_configure(const char *path)
{
    pthread_mutex_lock(&pool_lock);
    free(pool_path);
    pool_path = strdup(path);
    memset(pool_writers, 0, sizeof(pool_writers)); /* the old file's stay in the list to close */
    pthread_mutex_unlock(&pool_lock);
}

struct db *db_thread(struct problem *p)
{
    struct db *db;

    if (thread_connection != NULL)
        return thread_connection;
    db = db_open(pool_path, p);
    if (db == NULL)
        return NULL;
    pthread_mutex_lock(&pool_lock);
    db->next_in_pool = pool_head;
    pool_head = db;
    pthread_mutex_unlock(&pool_lock);
    thread_connection = db;
    return db;
}

struct db *db_open_detached(struct problem *p)
{
    if (pool_path == NULL) {
        problem_set(p, PROBLEM_INTERNAL, "no database to open a detached connection to");
        return NULL;
    }
    return db_open(pool_path, p);
}

struct db *db_pool_writer(int slot, struct problem *p)
{
    struct db *db;

    if (slot < 0 || slot >= DB_WRITER_SLOTS)
        return NULL;
    pthread_mutex_lock(&pool_lock);
    db = pool_writers[slot];
    if (db == NULL && pool_path != NULL) {
        db = db_open(pool_path, p);
        if (db != NULL) {
            db->next_in_pool = pool_head;
            pool_head = db;
            pool_writers[slot] = db;
        }
    }
    pthread_mutex_unlock(&pool_lock);
    return db;
}

void db_pool_close_all(void)
{
    pthread_mutex_lock(&pool_lock);
    memset(pool_writers, 0, sizeof(pool_writers));
    while (pool_head != NULL) {
        struct db *next = pool_head->next_in_pool;

        db_close(pool_head);
        pool_head = next;
    }
    free(pool_path);
    pool_path = NULL;
    pthread_mutex_unlock(&pool_lock);
    thread_connection = NULL;
}

db_stmt *db_prepare(struct db *db, enum sql_id id, struct problem *p)
{
    sqlite3_stmt *stmt = db->statements[id];

    if (stmt == NULL) {
        if (sqlite3_prepare_v3(db->handle, sql_text(id), -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                               NULL) != SQLITE_OK) {
            problem_set(p, PROBLEM_INTERNAL, "prepare %s: %s", sql_name(id),
                        sqlite3_errmsg(db->handle));
            return NULL;
        }
        db->statements[id] = stmt;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return stmt;
}

int db_bind_json(db_stmt *stmt, const json_t *values, struct problem *p)
{
    int count = sqlite3_bind_parameter_count(stmt);

    for (int i = 1; i <= count; i++) {
        const char *name = sqlite3_bind_parameter_name(stmt, i);
        const json_t *value;
        int rc = SQLITE_OK;

        if (name == NULL || name[0] != ':')
            return problem_set(p, PROBLEM_INTERNAL, "statement has an unnamed parameter");
        value = json_object_get(values, name + 1);
        if (value == NULL)
            return problem_set(p, PROBLEM_INTERNAL, "no value for parameter %s", name);
        switch (json_typeof(value)) {
        case JSON_STRING:
            rc = sqlite3_bind_text(stmt, i, json_string_value(value),
                                   (int)json_string_length(value), SQLITE_TRANSIENT);
            break;
        case JSON_INTEGER:
            rc = sqlite3_bind_int64(stmt, i, json_integer_value(value));
            break;
        case JSON_TRUE:
        case JSON_FALSE:
            rc = sqlite3_bind_int(stmt, i, json_is_true(value));
            break;
        case JSON_NULL:
            rc = sqlite3_bind_null(stmt, i);
            break;
        case JSON_REAL:
            rc = sqlite3_bind_double(stmt, i, json_real_value(value));
            break;
        case JSON_ARRAY:
        case JSON_OBJECT: {
            char *text = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII);

            if (text == NULL)
                return problem_set(p, PROBLEM_INTERNAL, "out of memory");
            rc = sqlite3_bind_text(stmt, i, text, -1, free);
            break;
        }
        }
        if (rc != SQLITE_OK)
            return problem_set(p, PROBLEM_INTERNAL, "bind %s failed", name);
    }
    return 0;
}

/* Remember a result code of handle that says the disk is full, read-only or failing. SQLite
 * reports most of these as a bare I/O error, so an I/O error looks at os_error (errno right
 * after the call failed: ENOSPC, EROFS) and then at the file system of the database file
 * (mounted read-only, or no block left). */
static void note_storage_error(sqlite3 *handle, int os_error)
{
    int primary = sqlite3_extended_errcode(handle) & 0xff;

    if (primary == SQLITE_IOERR && os_error == ENOSPC)
        primary = SQLITE_FULL;
    else if (primary == SQLITE_IOERR && os_error == EROFS)
        primary = SQLITE_READONLY;
    if (primary == SQLITE_IOERR) {
        const char *file = sqlite3_db_filename(handle, "main");
        struct statvfs fs;

        if (file != NULL && file[0] != '\0' && statvfs(file, &fs) == 0) {
            if (fs.f_flag & ST_RDONLY)
                primary = SQLITE_READONLY;
            else if (fs.f_bavail == 0)
                primary = SQLITE_FULL;
        }
    }
    /* a later, vaguer error (the rollback's I/O error, say) keeps the first one's cause */
    if (primary == SQLITE_FULL || primary == SQLITE_READONLY ||
        (primary == SQLITE_IOERR && storage_error == 0))
        storage_error = primary;
}

const char *db_storage_failure(void)
{
    switch (storage_error) {
    case SQLITE_FULL:
        return DB_DISK_FULL_DETAIL;
    case SQLITE_READONLY:
        return DB_DISK_READ_ONLY_DETAIL;
    case SQLITE_IOERR:
        return DB_DISK_ERROR_DETAIL;
    default:
        return NULL;
    }
}

int db_finish_run(struct db *db, db_stmt *stmt, enum sql_id sql, enum db_step step,
                  struct problem *p)
{
    db_finish(stmt);
    if (step == DB_DONE)
        return 0;
    if (p->kind == PROBLEM_NONE)
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(sql), db_errmsg(db));
    return -1;
}

int db_storage_problem(struct problem *p, const char *what)
{
    const char *storage = db_storage_failure();

    if (storage == NULL || (p->kind != PROBLEM_INTERNAL && p->kind != PROBLEM_NONE))
        return 0;
    if (what != NULL)
        fprintf(stderr, "paroletrack: %s failed: %s\n", what, p->detail);
    problem_set(p, PROBLEM_UNAVAILABLE, "%s", storage);
    return 1;
}

enum db_step db_step(db_stmt *stmt)
{
    int rc, os_error;

    errno = 0;
    rc = sqlite3_step(stmt);
    os_error = errno;

    switch (rc) {
    case SQLITE_ROW:
        return DB_ROW;
    case SQLITE_DONE:
        return DB_DONE;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return DB_CONSTRAINT_UNIQUE;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return DB_CONSTRAINT_FOREIGN_KEY;
    default:
        note_storage_error(sqlite3_db_handle(stmt), os_error);
        return DB_ERROR;
    }
}

/* True when name is in the NULL-terminated list. */
static int name_in(const char *name, const char *const *list)
{
    for (; list != NULL && *list != NULL; list++)
        if (strcmp(name, *list) == 0)
            return 1;
    return 0;
}

json_t *db_row_to_json(db_stmt *stmt, const char *const *bool_columns,
                       const char *const *json_columns)
{
    json_t *row = json_object();
    int count = sqlite3_column_count(stmt);

    for (int i = 0; i < count; i++) {
        const char *name = sqlite3_column_name(stmt, i);
        json_t *value;

        switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_NULL:
            value = json_null();
            break;
        case SQLITE_INTEGER:
            if (name_in(name, bool_columns))
                value = json_boolean(sqlite3_column_int64(stmt, i) != 0);
            else
                value = json_integer(sqlite3_column_int64(stmt, i));
            break;
        case SQLITE_FLOAT:
            value = json_real(sqlite3_column_double(stmt, i));
            break;
        default: {
            const char *text = (const char *)sqlite3_column_text(stmt, i);
            size_t len = (size_t)sqlite3_column_bytes(stmt, i);

            if (name_in(name, json_columns))
                value = json_loadb(text, len, JSON_DECODE_ANY, NULL);
            else
                value = json_stringn(text, len);
            if (value == NULL)
                value = json_null();
            break;
        }
        }
        json_object_set_new(row, name, value);
    }
    return row;
}

/* Write column i (called name) of the row under stmt into out as db_row_to_json reads it. */
static void write_column(db_stmt *stmt, int i, const char *name, const char *const *bool_columns,
                         const char *const *json_columns, struct text_buffer *out)
{
    int type = sqlite3_column_type(stmt, i); /* before any read converts the value */
    const char *text;
    size_t len;
    json_t *value;

    if (type == SQLITE_NULL) {
        text_buffer_add(out, "null", 4);
        return;
    }
    if (type == SQLITE_INTEGER) {
        if (name_in(name, bool_columns))
            text_buffer_add_string(out, sqlite3_column_int64(stmt, i) != 0 ? "true" : "false");
        else
            json_text_int(out, sqlite3_column_int64(stmt, i));
        return;
    }
    if (type == SQLITE_FLOAT) {
        value = json_real(sqlite3_column_double(stmt, i));
    } else {
        text = (const char *)sqlite3_column_text(stmt, i);
        len = (size_t)sqlite3_column_bytes(stmt, i);
        if (!name_in(name, json_columns)) {
            /* the text as it is; null where jansson would refuse its UTF-8 */
            json_text_utf8_string(out, text ? text : "", len);
            return;
        }
        value = json_loadb(text, len, JSON_DECODE_ANY, NULL);
    }
    if (value != NULL)
        json_text_value(out, value);
    else
        text_buffer_add(out, "null", 4);
    json_decref(value);
}

void db_row_write_json(db_stmt *stmt, const char *const *bool_columns,
                       const char *const *json_columns, const char *const *skip,
                       struct text_buffer *out)
{
    int count = sqlite3_column_count(stmt), written = 0;

    text_buffer_add(out, "{", 1);
    for (int i = 0; i < count; i++) {
        const char *name = sqlite3_column_name(stmt, i);

        if (name_in(name, skip))
            continue;
        if (written++ > 0)
            text_buffer_add(out, ",", 1);
        json_text_key(out, name);
        write_column(stmt, i, name, bool_columns, json_columns, out);
    }
    text_buffer_add(out, "}", 1);
}

/* The current row's column at `column` (positions are for this module only: the scalar
 * helpers read column 0; everyone else reads by name). */
static int64_t db_column_int(db_stmt *stmt, int column)
{
    return sqlite3_column_int64(stmt, column);
}

static const char *db_column_text(db_stmt *stmt, int column)
{
    return (const char *)sqlite3_column_text(stmt, column);
}

static int db_column_is_null(db_stmt *stmt, int column)
{
    return sqlite3_column_type(stmt, column) == SQLITE_NULL;
}

/* Where db_column_index last found a name in a statement, per thread: reading a row by name
 * asks the same (statement, name) pairs row after row, so a hit costs one comparison instead
 * of a walk over every column. Keyed by the pointers (the names are the callers' literals);
 * a hit is confirmed by the column's name, so a stale slot only costs the walk. */
#define COLUMN_CACHE_SLOTS 256
static _Thread_local struct {
    const db_stmt *stmt;
    const char *name;
    int index;
} column_cache[COLUMN_CACHE_SLOTS];

int db_column_index(db_stmt *stmt, const char *name)
{
    uintptr_t key = ((uintptr_t)stmt >> 4) ^ ((uintptr_t)name >> 2) * 31u;
    size_t slot = (size_t)(key % COLUMN_CACHE_SLOTS);
    int count = sqlite3_column_count(stmt);

    if (column_cache[slot].stmt == stmt && column_cache[slot].name == name &&
        column_cache[slot].index < count &&
        strcmp(sqlite3_column_name(stmt, column_cache[slot].index), name) == 0)
        return column_cache[slot].index;
    for (int i = 0; i < count; i++)
        if (strcmp(sqlite3_column_name(stmt, i), name) == 0) {
            column_cache[slot].stmt = stmt;
            column_cache[slot].name = name;
            column_cache[slot].index = i;
            return i;
        }
    return -1;
}

int64_t db_row_int(db_stmt *stmt, const char *name)
{
    int column = db_column_index(stmt, name);

    return column < 0 ? 0 : sqlite3_column_int64(stmt, column);
}

const char *db_row_text(db_stmt *stmt, const char *name)
{
    int column = db_column_index(stmt, name);

    return column < 0 ? NULL : (const char *)sqlite3_column_text(stmt, column);
}

int db_row_is_null(db_stmt *stmt, const char *name)
{
    int column = db_column_index(stmt, name);

    return column < 0 || sqlite3_column_type(stmt, column) == SQLITE_NULL;
}

/* Run the transaction statement control_texts[which] on db through its prepared copy. Returns
 * SQLite's result code (SQLITE_DONE on success). */
static int run_control(struct db *db, enum control which)
{
    int rc;

    if (db->control[which] == NULL &&
        sqlite3_prepare_v3(db->handle, control_texts[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &db->control[which], NULL) != SQLITE_OK)
        return sqlite3_errcode(db->handle);
    errno = 0;
    rc = sqlite3_step(db->control[which]);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        note_storage_error(db->handle, errno);
    sqlite3_reset(db->control[which]);
    return rc;
}

int db_exec(struct db *db, const char *sql, struct problem *p)
{
    char *message = NULL;

    for (enum control i = 0; i < CONTROL_COUNT; i++) {
        if (strcmp(sql, control_texts[i]) != 0)
            continue;
        if (run_control(db, i) != SQLITE_DONE)
            return problem_set(p, PROBLEM_INTERNAL, "database: %s", sqlite3_errmsg(db->handle));
        return 0;
    }
    errno = 0;
    if (sqlite3_exec(db->handle, sql, NULL, NULL, &message) != SQLITE_OK) {
        note_storage_error(db->handle, errno);
        problem_set(p, PROBLEM_INTERNAL, "database: %s", message ? message : "error");
        sqlite3_free(message);
        return -1;
    }
    return 0;
}

json_t *db_query_plan(struct db *db, enum sql_id id, struct problem *p)
{
    char *text = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql_text(id));
    sqlite3_stmt *stmt = NULL;
    json_t *plan = NULL;
    int rc;

    if (text == NULL) {
        problem_set(p, PROBLEM_INTERNAL, "out of memory");
        return NULL;
    }
    if (sqlite3_prepare_v2(db->handle, text, -1, &stmt, NULL) != SQLITE_OK) {
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(id), sqlite3_errmsg(db->handle));
        goto out;
    }
    plan = json_array();
    /* EXPLAIN QUERY PLAN rows: id, parent, notused, detail */
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        json_array_append_new(plan, json_string((const char *)sqlite3_column_text(stmt, 3)));
    if (rc != SQLITE_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(id), sqlite3_errmsg(db->handle));
        json_decref(plan);
        plan = NULL;
    }
out:
    sqlite3_finalize(stmt);
    sqlite3_free(text);
    return plan;
}

void db_set_write_guard(db_write_guard guard)
{
    write_guard = guard;
}

/* End the connection's read scope, if one is open: its snapshot (a read transaction) ends and
 * the reads begun inside it are forgotten (they only read). */
static void end_read_scope(struct db *db)
{
    /* A read-only transaction: should its COMMIT fail, ROLLBACK ends it all the same, so the
     * thread's connection never stays inside a transaction. */
    if (db->read_scope && !sqlite3_get_autocommit(db->handle) &&
        run_control(db, CONTROL_COMMIT) != SQLITE_DONE && !sqlite3_get_autocommit(db->handle))
        run_control(db, CONTROL_ROLLBACK);
    db->read_scope = 0;
    db->scope_reads = 0;
}

void db_read_scope_begin(struct db *db)
{
    end_read_scope(db);
    /* Deferred: the snapshot starts at the first read. Without one, reads run alone. */
    if (sqlite3_get_autocommit(db->handle) && run_control(db, CONTROL_BEGIN) == SQLITE_DONE)
        db->read_scope = 1;
}

void db_read_scope_end(struct db *db)
{
    end_read_scope(db);
}

int db_begin_write(struct db *db, struct problem *p)
{
    storage_error = 0;
    end_read_scope(db);
    pthread_mutex_lock(&writer_lock);
    db->holds_writer_lock = 1;
    if (db_exec(db, "BEGIN IMMEDIATE", p) != 0) {
        db->holds_writer_lock = 0;
        pthread_mutex_unlock(&writer_lock);
        return -1;
    }
    /* Checked after BEGIN IMMEDIATE: no other process can change what the guard reads until
     * this transaction ends. */
    if (write_guard != NULL && write_guard(db, p) != 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

/* Let the next writer of this process in, once this connection's transaction has ended. */
static void release_writer(struct db *db)
{
    if (db->holds_writer_lock && sqlite3_get_autocommit(db->handle)) {
        db->holds_writer_lock = 0;
        pthread_mutex_unlock(&writer_lock);
    }
}

int db_begin_read(struct db *db, struct problem *p)
{
    if (db->read_scope && !sqlite3_get_autocommit(db->handle)) {
        db->scope_reads++;
        return 0;
    }
    return db_exec(db, "BEGIN", p);
}

int db_commit(struct db *db, struct problem *p)
{
    int rc;

    if (db->scope_reads > 0) {
        db->scope_reads--;
        return 0;
    }
    rc = db_exec(db, "COMMIT", p);

    release_writer(db);
    return rc;
}

void db_rollback(struct db *db)
{
    if (db->scope_reads > 0) {
        db->scope_reads--;
        return;
    }
    if (!sqlite3_get_autocommit(db->handle))
        run_control(db, CONTROL_ROLLBACK);
    release_writer(db);
}

int db_in_transaction(struct db *db)
{
    return !sqlite3_get_autocommit(db->handle);
}

int db_changes(struct db *db)
{
    return sqlite3_changes(db->handle);
}

int64_t db_last_insert_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->handle);
}

const char *db_errmsg(struct db *db)
{
    return sqlite3_errmsg(db->handle);
}

void db_finish(db_stmt *stmt)
{
    if (stmt != NULL)
        sqlite3_reset(stmt);
}

/* The index of parameter `name` of stmt, or 0 with *p set. */
static int parameter_index(db_stmt *stmt, const char *name, struct problem *p)
{
    int i = sqlite3_bind_parameter_index(stmt, name);

    if (i == 0)
        problem_set(p, PROBLEM_INTERNAL, "statement has no parameter %s", name);
    return i;
}

int db_bind_text(db_stmt *stmt, const char *name, const char *value, struct problem *p)
{
    int i = parameter_index(stmt, name, p);

    if (i == 0)
        return -1;
    if ((value == NULL ? sqlite3_bind_null(stmt, i)
                       : sqlite3_bind_text(stmt, i, value, -1, SQLITE_TRANSIENT)) != SQLITE_OK)
        return problem_set(p, PROBLEM_INTERNAL, "bind %s failed", name);
    return 0;
}

int db_bind_int(db_stmt *stmt, const char *name, int64_t value, struct problem *p)
{
    int i = parameter_index(stmt, name, p);

    if (i == 0)
        return -1;
    if (sqlite3_bind_int64(stmt, i, value) != SQLITE_OK)
        return problem_set(p, PROBLEM_INTERNAL, "bind %s failed", name);
    return 0;
}

int db_step_write(struct db *db, db_stmt *stmt, struct problem *p)
{
    enum db_step step = db_step(stmt);

    sqlite3_reset(stmt);
    if (step == DB_CONSTRAINT_UNIQUE)
        return problem_set(p, PROBLEM_CONFLICT, "%s: already taken", sqlite3_sql(stmt));
    if (step != DB_DONE)
        return problem_set(p, PROBLEM_INTERNAL, "write failed: %s", db_errmsg(db));
    return 0;
}

int db_exec_json(struct db *db, enum sql_id sql, const json_t *binds, struct problem *p)
{
    db_stmt *stmt = db_prepare(db, sql, p);
    enum db_step step;

    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0) {
        db_finish(stmt);
        return -1;
    }
    step = db_step(stmt);
    db_finish(stmt);
    if (step == DB_CONSTRAINT_UNIQUE)
        return problem_set(p, PROBLEM_CONFLICT, "%s: already taken", sql_name(sql));
    if (step != DB_DONE)
        return problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(sql), db_errmsg(db));
    return 0;
}

int db_exec_alone(struct db *db, enum sql_id sql, const json_t *binds, struct problem *p)
{
    if (db_begin_write(db, p) != 0)
        return -1;
    if (db_exec_json(db, sql, binds, p) != 0 || db_commit(db, p) != 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int db_scalar_int(struct db *db, enum sql_id id, const json_t *binds, int64_t *out,
                  struct problem *p)
{
    db_stmt *stmt = db_prepare(db, id, p);
    enum db_step step;
    int rc = -1;

    *out = 0;
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    step = db_step(stmt);
    if (step == DB_ROW)
        *out = db_column_int(stmt, 0);
    else if (step != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(id), db_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    db_finish(stmt);
    return rc;
}

json_t *db_rows(struct db *db, enum sql_id id, const json_t *binds, const char *const *bool_columns,
                struct problem *p)
{
    db_stmt *stmt = db_prepare(db, id, p);
    json_t *rows = json_array();
    enum db_step step = DB_ERROR;

    if (stmt != NULL && db_bind_json(stmt, binds, p) == 0)
        while ((step = db_step(stmt)) == DB_ROW)
            json_array_append_new(rows, db_row_to_json(stmt, bool_columns, NULL));
    db_finish(stmt);
    if (step != DB_DONE) {
        if (p->kind == PROBLEM_NONE)
            problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(id), db_errmsg(db));
        json_decref(rows);
        return NULL;
    }
    return rows;
}

int db_scalar_text(struct db *db, enum sql_id id, const json_t *binds, char *out, size_t out_size,
                   struct problem *p)
{
    db_stmt *stmt = db_prepare(db, id, p);
    enum db_step step;
    int rc = -1;

    out[0] = '\0';
    if (stmt == NULL || db_bind_json(stmt, binds, p) != 0)
        goto out;
    step = db_step(stmt);
    if (step == DB_ROW && !db_column_is_null(stmt, 0))
        snprintf(out, out_size, "%s", db_column_text(stmt, 0));
    else if (step != DB_ROW && step != DB_DONE) {
        problem_set(p, PROBLEM_INTERNAL, "%s: %s", sql_name(id), db_errmsg(db));
        goto out;
    }
    rc = 0;
out:
    db_finish(stmt);
    return rc;
}

int64_t db_wal_bytes(struct db *db)
{
    const char *path = sqlite3_db_filename(db->handle, "main");
    char wal[4096];
    struct stat st;

    if (path == NULL || path[0] == '\0' ||
        snprintf(wal, sizeof(wal), "%s-wal", path) >= (int)sizeof(wal) || stat(wal, &st) != 0)
        return 0;
    return (int64_t)st.st_size;
}
