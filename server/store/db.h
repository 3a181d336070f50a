/* db: the only module that includes SQLite. One connection per thread (opened on first use,
 * each with its own prepared-statement cache), the pragmas that make writes durable, the
 * transaction helpers, generic binding of named parameters from JSON and of rows to JSON, and
 * one-call helpers that run a catalogue statement or read its one value. */
#ifndef PAROLETRACK_DB_H
#define PAROLETRACK_DB_H

#include <jansson.h>
#include <stdint.h>

#include "problem.h"
#include "sql.h"
#include "text_buffer.h"

struct db;
typedef struct sqlite3_stmt db_stmt;

/* The result of stepping a statement. */
enum db_step { DB_ROW, DB_DONE, DB_CONSTRAINT_UNIQUE, DB_CONSTRAINT_FOREIGN_KEY, DB_ERROR };

/* Open (creating if needed) the database file at path, set WAL, synchronous=FULL, foreign keys
 * and the busy timeout. Returns a connection the caller closes with db_close(), or NULL with
 * the reason in *p. ":memory:" opens a private in-memory database (tests). */
struct db *db_open(const char *path, struct problem *p);

/* A value this connection remembered under `name` (a static string: the reader's own) and `key`,
 * when the database file has not changed since (no commit by this connection or any other, in
 * this process or another): for firm-wide figures that are costly to compute and read far more
 * often than the firm changes. Call inside a read transaction that has already read something
 * (so its snapshot, and the file's data version, are current). Borrowed; NULL when none. */
json_t *db_memo_get(struct db *db, const char *name, const char *key);

/* Remember value (stolen) under name and key as of this read transaction's data version (the
 * same rule as db_memo_get); a key longer than 63 bytes is not remembered. */
void db_memo_put(struct db *db, const char *name, const char *key, json_t *value);

/* Give this connection a page cache of `mib` MiB (SQLite's default is 2 MiB): for one-shot
 * commands that read much of a large file (remind, deadlines verify), so its pages are read from
 * the file once. Returns 0, or -1 with *p set. */
int db_set_cache_mib(struct db *db, int mib, struct problem *p);

/* Read the database file through a memory map of up to `mib` MiB instead of copying each page
 * (PRAGMA mmap_size): for a batch job that reads most of a large file once. Returns 0 or -1. */
int db_set_mmap_mib(struct db *db, int mib, struct problem *p);

/* Finalise the cached statements and close the connection; NULL is ignored. */
void db_close(struct db *db);

/* Remember the path every thread's connection opens (call once, before db_thread()). */
void db_pool_configure(const char *path);

/* The calling thread's connection, opened on first use and cached for the thread's life; NULL
 * with the reason in *p when it cannot be opened. The pool owns it. */
struct db *db_thread(struct problem *p);

/* A new connection to the pool's database that is no thread's: for a reply that goes on
 * reading after its handler returned (a streamed export, on whatever thread the HTTP library
 * asks for the next part; one thread at a time). The caller closes it with db_close(). NULL
 * with the reason in *p (also when no pool was configured). */
struct db *db_open_detached(struct problem *p);

/* How many serial writers may each keep a connection of their own (db_pool_writer). */
#define DB_WRITER_SLOTS 2

/* The pool's connection for serial writer `slot` (0 to DB_WRITER_SLOTS - 1: a group commit,
 * whose batches run one at a time): only that writer uses it, one thread at a time, so its
 * page cache stays warm from batch to batch (SQLite drops a connection's whole cache when
 * another connection wrote the file since its last read, so batches led on whichever worker
 * thread came first read every page they touch from the file again). Opened on first use and
 * owned by the pool. NULL when no pool is configured (the caller then writes on its own
 * connection) or it cannot be opened (*p says why). */
struct db *db_pool_writer(int slot, struct problem *p);

/* Close every connection the pool opened. Call after all threads that used them have ended. */
void db_pool_close_all(void);

/* The cached prepared statement `id`, reset and with its bindings cleared; NULL with the reason
 * in *p when it cannot be prepared. The connection owns it. */
db_stmt *db_prepare(struct db *db, enum sql_id id, struct problem *p);

/* Bind every named parameter of stmt (":name") from the member `name` of values: strings as
 * text, integers, booleans as 0/1, null as NULL, arrays/objects as compact JSON text. A
 * parameter with no member is a programming error reported in *p. Returns 0 or -1. */
int db_bind_json(db_stmt *stmt, const json_t *values, struct problem *p);

/* Bind one named parameter (":name") of a prepared statement: text (NULL binds NULL) or an
 * integer; a statement run many times in a loop binds its changing values this way instead of
 * building a JSON object a row. Returns 0, or -1 with *p set (no such parameter). */
int db_bind_text(db_stmt *stmt, const char *name, const char *value, struct problem *p);
int db_bind_int(db_stmt *stmt, const char *name, int64_t value, struct problem *p);

/* Run a bound write statement to its end and reset it for the next values (bindings kept).
 * Returns 0, or -1 with *p set. */
int db_step_write(struct db *db, db_stmt *stmt, struct problem *p);

/* Step a statement once. */
enum db_step db_step(db_stmt *stmt);

/* The current row as a new JSON object owned by the caller: column names are keys; integers and
 * text map to JSON, NULL to null; columns named in bool_columns become true/false and those in
 * json_columns are parsed JSON text (both NULL-terminated lists, may be NULL). */
json_t *db_row_to_json(db_stmt *stmt, const char *const *bool_columns,
                       const char *const *json_columns);

/* The current row written into out as the JSON text of the object db_row_to_json would build,
 * without the columns named in `skip` (NULL-terminated, may be NULL): the same members in the
 * same order, with no object built. */
void db_row_write_json(db_stmt *stmt, const char *const *bool_columns,
                       const char *const *json_columns, const char *const *skip,
                       struct text_buffer *out);

/* The position of the column called `name` in stmt's result (its name as SQLite reports it:
 * the column's own name, or its AS alias), or -1 when there is none. */
int db_column_index(db_stmt *stmt, const char *name);

/* The current row's column `name`, read by name rather than position: as an integer (0 for
 * NULL), as text (NULL for SQL NULL; owned by the statement until the next step or reset), and
 * whether it is NULL. A name the statement does not return is a programming error: it reads as
 * NULL (0 for the integer). */
int64_t db_row_int(db_stmt *stmt, const char *name);
const char *db_row_text(db_stmt *stmt, const char *name);
int db_row_is_null(db_stmt *stmt, const char *name);

/* The query plan SQLite picks for catalogue statement `id` (EXPLAIN QUERY PLAN): one text per
 * step, such as "SEARCH d USING INDEX deadlines_by_date (due_on>? ...)"
 * or "SCAN p". For the plan test. A new array the caller owns, or NULL with *p set. */
json_t *db_query_plan(struct db *db, enum sql_id id, struct problem *p);

/* Run SQL text with no parameters and no results (schema scripts). Returns 0, or -1 with the
 * SQLite message in *p. */
int db_exec(struct db *db, const char *sql, struct problem *p);

/* A check run inside every write transaction, right after BEGIN IMMEDIATE: 0 lets the
 * write go on; -1 (with *p set) refuses it, and the transaction is rolled back. */
typedef int (*db_write_guard)(struct db *db, struct problem *p);

/* Install the process's write guard (NULL: none). Call before any thread writes. */
void db_set_write_guard(db_write_guard guard);

/* BEGIN IMMEDIATE (takes the write lock up front) / BEGIN (a read snapshot) / COMMIT /
 * ROLLBACK. Each returns 0, or -1 with the reason in *p; db_rollback never fails loudly.
 * Inside a read scope (below) a read's BEGIN and its end join the scope's snapshot, and a
 * write ends the scope first. */
int db_begin_write(struct db *db, struct problem *p);

/* What a client is told when a write failed for the disk under the database (no value named:
 * the API passes these on as the detail of its 503). */
#define DB_DISK_FULL_DETAIL                                                                        \
    "the disk that holds the database is full: nothing was changed; try again once the "           \
    "administrator has freed space"
#define DB_DISK_READ_ONLY_DETAIL                                                                   \
    "the database cannot be written (its disk or file is read-only): nothing was changed"
#define DB_DISK_ERROR_DETAIL                                                                       \
    "the disk that holds the database failed a write (an I/O error): nothing was changed"

/* When SQLite told this thread, since its last db_begin_write, that the disk is full, read-only
 * or failing: the matching DB_DISK_*_DETAIL (static), else NULL. A failed write asks, so that
 * its caller answers 503 with the cause instead of a bare 500. */
const char *db_storage_failure(void);

/* Make a failed write's problem P (internal or unset) the 503 that names the disk's fault when
 * db_storage_failure has one, logging WHAT and P's former detail first (no line when WHAT is
 * NULL: a batch logs its first refusal only). Returns 1 when P became the 503, 0 when it was
 * left as it was. */
int db_storage_problem(struct problem *p, const char *what);
int db_begin_read(struct db *db, struct problem *p);
int db_commit(struct db *db, struct problem *p);
void db_rollback(struct db *db);

/* A read scope: one read snapshot for every read of a call that only reads (the caller's
 * authentication and the handler's reads share one transaction, so one WAL read lock, not
 * one per statement). A write inside it ends the snapshot first (reads after it see the
 * write). db_read_scope_end ends whatever of the scope is still open; call it once for each
 * db_read_scope_begin, on every path. */
void db_read_scope_begin(struct db *db);
void db_read_scope_end(struct db *db);

/* Whether a transaction is open on db (SQLite may have rolled one back by itself after a
 * full disk or an I/O error). */
int db_in_transaction(struct db *db);

/* Number of rows the last INSERT/UPDATE/DELETE changed, and the last inserted row id. */
int db_changes(struct db *db);
int64_t db_last_insert_id(struct db *db);

/* The size of the database's write-ahead log file in bytes (0 when it has none). */
int64_t db_wal_bytes(struct db *db);

/* The connection's last error message (owned by SQLite). */
const char *db_errmsg(struct db *db);

/* Reset a statement after use so it holds no read snapshot; NULL is ignored. */
void db_finish(db_stmt *stmt);

/* Finish statement `sql` after its last step `step`: 0 when it ran to its end (DB_DONE), else
 * -1 with *p set (the database's error under the statement's name, unless *p already holds a
 * problem). For a loop of db_step that stops at the first non-row. */
int db_finish_run(struct db *db, db_stmt *stmt, enum sql_id sql, enum db_step step,
                  struct problem *p);

/* Run one catalogue statement that returns no rows, with named parameters bound from binds (may
 * be NULL), to completion inside the caller's transaction. A unique constraint is a 409.
 * Returns 0, or -1 with *p set. */
int db_exec_json(struct db *db, enum sql_id sql, const json_t *binds, struct problem *p);

/* db_exec_json in a write transaction of its own (BEGIN IMMEDIATE, the statement, COMMIT),
 * for a lone bookkeeping write such as a last-used time. Returns 0, or -1 with *p set (rolled
 * back). */
int db_exec_alone(struct db *db, enum sql_id sql, const json_t *binds, struct problem *p);

/* Read a single integer from the first column of a catalogue statement's first row, binding
 * `binds` (may be NULL). Returns 0 and *out (0 when the value is NULL or there is no row), or
 * -1 with *p set. */
int db_scalar_int(struct db *db, enum sql_id id, const json_t *binds, int64_t *out,
                  struct problem *p);

/* Every row of a catalogue statement, binding `binds` (may be NULL), inside the caller's
 * transaction, as a new array of objects (db_row_to_json with bool_columns, may be NULL); NULL
 * with *p set. */
json_t *db_rows(struct db *db, enum sql_id id, const json_t *binds, const char *const *bool_columns,
                struct problem *p);

/* Like db_scalar_int for text: copies the value into out, out_size bytes with the NUL
 * (empty for NULL / no row). Returns 0, or -1 with *p set. */
int db_scalar_text(struct db *db, enum sql_id id, const json_t *binds, char *out, size_t out_size,
                   struct problem *p);

#endif
