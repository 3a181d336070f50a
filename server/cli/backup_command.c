/* backup_command: `paroletrack backup` and `paroletrack restore` (see cli.h and store/backup.h).
 *
 * backup: open the database with its key (a shared lock: servers go on), copy it with VACUUM
 * INTO to a temporary file next to DEST, verify the copy (backup.h), seal it with the key when
 * --encrypt (and check the sealed file opens), then give it its name and print one line: size,
 * whether sealed, the schema, the audit head and the SHA-256 of the file. A backup that fails a
 * check leaves nothing under DEST. The backup is recorded in the source's audit trail.
 *
 * restore: take the database's exclusive lock (refused while a server or command uses it), open
 * a sealed backup with the key of the database's key file (or copy a plain one) to a temporary
 * file next to the database, verify it the same way (bringing an older schema up to date and
 * its deadline ledger with it first), then move the database aside as
 * "<db>.replaced-<UTC time>" (its WAL folded in first) and the copy into its place. Nothing is
 * replaced unless every check passed. The restore is recorded in the restored trail. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "backup.h"
#include "crypto.h"
#include "db.h"
#include "dblock.h"
#include "deadline_ledger.h"
#include "field_key.h"
#include "migrate.h"

/* A path next to `path` with `suffix` and random hex: "<path><suffix><16 hex>". */
static void sibling_path(const char *path, const char *suffix, char *out, size_t out_size)
{
    char hex[17];

    crypto_random_hex(hex, 8);
    snprintf(out, out_size, "%s%s%s", path, suffix, hex);
}

/* Remove a database file and the WAL and shared-memory files SQLite may have left beside it. */
static void remove_database_files(const char *path)
{
    char side[4200];

    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

/* Make a rename in the directory of `path` durable. Returns 0 or -1. */
static int sync_directory_of(const char *path)
{
    char copy[4200];
    int fd, rc;

    snprintf(copy, sizeof(copy), "%s", path);
    fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* Open the database file at path for checking, without migrating it (db_open only). Prints
 * why and returns NULL when it cannot be opened. */
static struct db *open_copy(const char *path)
{
    struct problem p;
    struct db *db;

    problem_init(&p);
    db = db_open(path, &p);
    if (db == NULL)
        fprintf(stderr, "paroletrack: cannot open the copy %s: %s\n", path, p.detail);
    problem_clear(&p);
    return db;
}

/* Verify the copy open as `copy` (backup.h) with the key of key_file. When `upgrade`, an
 * older schema is first brought up to date and the ledger rebuilt if it was computed at an
 * older one (a restore); a backup's copy is checked as it is. Prints what failed. Returns 0
 * when every check passed, else 1. */
static int verify_copy(struct db *copy, const struct cli_options *o, const char *key_file,
                       int upgrade, struct backup_check *c)
{
    struct op_context ctx;
    struct problem p;
    int rc, applied = 0;

    problem_init(&p);
    rc = backup_verify_file(copy, c, &p);
    if (rc == 0 && upgrade && migrate_apply(copy, 0, &applied, &p) != 0)
        rc = -1;
    if (rc == 0 && applied > 0) {
        fprintf(stderr, "paroletrack: brought the backup's schema up to date (%d migration(s))\n",
                applied);
        rc = migrate_check(copy, &c->schema, &p) == 0 ? 0 : -1;
    }
    if (rc == 0 && field_key_open(copy, key_file, getenv("PAROLETRACK_KEY"), &p) != 0) {
        snprintf(c->why, sizeof(c->why), "%s", p.detail);
        rc = 1;
    }
    if (rc == 0 && cli_adopt_ledger_zone(copy, o, upgrade ? "restore" : "backup") != 0)
        rc = 1;
    cli_context(&ctx);
    if (rc == 0 && cli_batch_cache(copy) != 0)
        rc = 1;
    if (rc == 0 && upgrade && deadline_ledger_ensure(copy, &ctx, &p) != 0)
        rc = -1;
    if (rc == 0)
        rc = backup_verify_contents(copy, &ctx, stderr, c, &p);
    if (rc < 0)
        fprintf(stderr, "paroletrack: checking the copy: %s\n", p.detail);
    else if (rc > 0 && c->why[0] != '\0')
        fprintf(stderr, "paroletrack: the copy fails its check: %s\n", c->why);
    problem_clear(&p);
    return rc == 0 ? 0 : 1;
}

/* Fold a closed copy's WAL into it and close it, so the file alone is the whole database.
 * Returns 0, or 1 after saying why. */
static int close_copy(struct db *copy, const char *path)
{
    struct problem p;
    char wal[4200];
    struct stat st;
    int rc;

    problem_init(&p);
    rc = backup_checkpoint(copy, &p);
    if (rc != 0)
        fprintf(stderr, "paroletrack: %s: %s\n", path, p.detail);
    problem_clear(&p);
    db_close(copy);
    snprintf(wal, sizeof(wal), "%s-wal", path);
    if (rc == 0 && stat(wal, &st) == 0 && st.st_size > 0) {
        fprintf(stderr, "paroletrack: %s still has a write-ahead log after closing\n", path);
        rc = -1;
    }
    return rc == 0 ? 0 : 1;
}

/* Append one audit event (action, changes) to the database in a write transaction of its own,
 * acting as the command line. The key must be loaded. Returns 0, or 1 after saying why. */
static int record_event(struct db *db, const char *action, json_t *changes)
{
    struct op_context ctx;
    struct problem p;
    int rc = 1;

    cli_context(&ctx);
    problem_init(&p);
    if (db_begin_write(db, &p) == 0 &&
        audit_append(db, &ctx, action, "settings", 0, 0, changes, &p) == 0 &&
        db_commit(db, &p) == 0)
        rc = 0;
    else
        db_rollback(db);
    if (rc != 0)
        fprintf(stderr, "paroletrack: recording the %s in the audit trail: %s\n", action, p.detail);
    problem_clear(&p);
    json_decref(changes);
    return rc;
}

/* The audit head as "<id> <hash>" for the summary line. */
static void head_text(const struct backup_check *c, char *out, size_t out_size)
{
    snprintf(out, out_size, "%lld %s", (long long)c->head.id, c->head.hash);
}

/* Flush the file at path to the disk (VACUUM INTO does not). Returns 0 or -1 (errno set). */
static int sync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* Give the finished file at `from` the name `to`, never replacing a file there (one made since
 * the command started, say): a hard link, then the old name removed. Returns 0, or -1 with
 * errno set (EEXIST: taken). */
static int name_without_replacing(const char *from, const char *to)
{
    if (link(from, to) != 0)
        return -1;
    unlink(from);
    return sync_directory_of(to);
}

int cli_backup(const struct cli_options *o)
{
    char key_file[1024], plain[4200], partial[4200], sha[65], head[100], why[400];
    struct backup_check check;
    struct problem p;
    struct stat st;
    struct db *db = NULL, *copy;
    int64_t size = 0;
    int rc = 1;

    if (o->db == NULL || o->to == NULL || o->to[0] == '\0') {
        fprintf(stderr, "usage: paroletrack backup --db FILE --to DEST [--encrypt]\n");
        return 2;
    }
    if (stat(o->to, &st) == 0 || errno != ENOENT) {
        fprintf(stderr,
                "paroletrack: %s exists already; a backup never overwrites a file (name "
                "each one, by date for instance)\n",
                o->to);
        return 2;
    }
    problem_init(&p);
    plain[0] = partial[0] = '\0';
    db = cli_open_database(o->db, o, CLI_OPEN_WITH_KEY);
    if (db == NULL)
        goto out;
    cli_key_file(o, key_file, sizeof(key_file));
    sibling_path(o->to, ".partial-", partial, sizeof(partial));
    /* A copy to be sealed is made next to the database, never where the sealed one goes (an
     * off-site or synchronised folder must not see the plaintext even for a moment). */
    if (o->encrypt)
        sibling_path(o->db, ".backup-plain-", plain, sizeof(plain));
    else
        snprintf(plain, sizeof(plain), "%s", partial);
    if (backup_copy(db, plain, &p) != 0) {
        fprintf(stderr, "paroletrack: %s\n", p.detail);
        goto out;
    }
    copy = open_copy(plain);
    if (copy == NULL)
        goto out;
    if (verify_copy(copy, o, key_file, 0, &check) != 0) {
        db_close(copy);
        goto out;
    }
    if (close_copy(copy, plain) != 0)
        goto out;
    if (o->encrypt) {
        if (crypto_file_seal(plain, partial, why, sizeof(why)) != 0 ||
            crypto_file_open(partial, NULL, why, sizeof(why)) != 0) {
            fprintf(stderr, "paroletrack: sealing the copy: %s\n", why);
            goto out;
        }
        remove_database_files(plain);
    } else if (sync_file(partial) != 0) {
        fprintf(stderr, "paroletrack: writing %s: %s\n", partial, strerror(errno));
        goto out;
    }
    if (crypto_sha256_file(partial, sha, &size) != 0) {
        fprintf(stderr, "paroletrack: reading %s: %s\n", partial, strerror(errno));
        goto out;
    }
    if (name_without_replacing(partial, o->to) != 0) {
        fprintf(stderr, "paroletrack: naming the backup %s: %s\n", o->to,
                errno == EEXIST ? "a file of that name appeared meanwhile; nothing replaced"
                                : strerror(errno));
        goto out;
    }
    partial[0] = '\0';
    head_text(&check, head, sizeof(head));
    printf("backup %s: %lld bytes, %s, schema %d, %lld sealed values, audit head %s "
           "(%lld events), sha256 %s\n",
           o->to, (long long)size, o->encrypt ? "sealed" : "not sealed", check.schema,
           (long long)check.sealed_values, head, (long long)check.audit_events, sha);
    /* made and verified; a trail that cannot record it is still a failure to report */
    rc = record_event(db, "backup",
                      json_pack("{s:{s:n, s:s}, s:{s:n, s:I}, s:{s:n, s:b}}", "sha256", "before",
                                "after", sha, "size", "before", "after", (json_int_t)size, "sealed",
                                "before", "after", o->encrypt));
out:
    if (plain[0] != '\0' && strcmp(plain, partial) != 0)
        remove_database_files(plain);
    if (partial[0] != '\0')
        remove_database_files(partial);
    problem_clear(&p);
    db_close(db);
    return rc;
}

/* Copy the file at from into the new file to (0600, never replacing one; synced). Returns 0,
 * or 1 after saying why. */
static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out;
    char buf[65536];
    size_t got;
    int fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), rc = 1;

    out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (in != NULL && out != NULL) {
        rc = 0;
        while (rc == 0 && (got = fread(buf, 1, sizeof(buf), in)) > 0)
            rc = fwrite(buf, 1, got, out) == got ? 0 : 1;
        if (ferror(in) || fflush(out) != 0 || fsync(fileno(out)) != 0)
            rc = 1;
    }
    if (rc != 0)
        fprintf(stderr, "paroletrack: copying %s: %s\n", from, strerror(errno));
    if (in != NULL)
        fclose(in);
    if (out != NULL)
        fclose(out);
    else if (fd >= 0)
        close(fd);
    return rc;
}

/* Take the backup at `from` into the private file `taken` (so what is hashed, checked and
 * restored is one file nobody changes meanwhile), its SHA-256 and size into sha and *size, and
 * put it into `temp` as a plain database file: opened with the loaded key when sealed, else
 * `taken` itself is renamed. Returns 0, or 1 after saying why. */
static int take_backup(const char *from, const char *taken, const char *temp, char sha[65],
                       int64_t *size)
{
    char why[400], wal[4200];
    struct stat st;
    int sealed;

    snprintf(wal, sizeof(wal), "%s-wal", from);
    if (stat(wal, &st) == 0 && st.st_size > 0) {
        fprintf(stderr,
                "paroletrack: %s has a write-ahead log beside it (%s): it is not a closed "
                "backup\n",
                from, wal);
        return 1;
    }
    if (copy_file(from, taken) != 0)
        return 1;
    if (crypto_sha256_file(taken, sha, size) != 0 || (sealed = crypto_file_is_sealed(taken)) < 0) {
        fprintf(stderr, "paroletrack: reading %s: %s\n", taken, strerror(errno));
        return 1;
    }
    if (!sealed) {
        if (rename(taken, temp) == 0)
            return 0;
        fprintf(stderr, "paroletrack: %s: %s\n", temp, strerror(errno));
        return 1;
    }
    if (crypto_file_open(taken, temp, why, sizeof(why)) == 0)
        return 0;
    fprintf(stderr, "paroletrack: %s does not open: %s\n", from, why);
    return 1;
}

/* Move the database at path aside to "<path>.replaced-<UTC time>-<hex>" (written into aside;
 * never replacing a file), its WAL folded in first. Nothing at path: aside is "". Returns 0,
 * or 1 after saying why. */
static int move_aside(const char *path, char *aside, size_t aside_size)
{
    struct problem p;
    struct db *db;
    char stamp[40], hex[9];
    time_t now = time(NULL);
    int rc;

    aside[0] = '\0';
    if (access(path, F_OK) != 0)
        return 0;
    problem_init(&p);
    db = db_open(path, &p);
    rc = db != NULL && backup_checkpoint(db, &p) == 0 ? 0 : 1;
    db_close(db);
    if (rc != 0) {
        fprintf(stderr, "paroletrack: cannot fold the WAL of %s before moving it aside: %s\n", path,
                p.detail);
        problem_clear(&p);
        return 1;
    }
    problem_clear(&p);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&now));
    crypto_random_hex(hex, 4);
    snprintf(aside, aside_size, "%s.replaced-%s-%s", path, stamp, hex);
    if (name_without_replacing(path, aside) != 0) {
        fprintf(stderr, "paroletrack: cannot move %s aside: %s\n", path, strerror(errno));
        aside[0] = '\0';
        return 1;
    }
    remove_database_files(path); /* the emptied -wal and -shm of the file moved aside */
    return 0;
}

int cli_restore(const struct cli_options *o)
{
    unsigned char key[CRYPTO_KEY_BYTES];
    char key_file[1024], taken[4300], temp[4200], aside[4300], busy[4200], head[100], sha[65];
    const char *why = NULL, *env_key = getenv("PAROLETRACK_KEY");
    struct backup_check check;
    struct db *copy = NULL, *restored;
    int64_t size = 0;
    int rc = 1, lock;

    if (o->db == NULL || o->from == NULL || o->from[0] == '\0') {
        fprintf(stderr, "usage: paroletrack restore --from BACKUP --db FILE\n");
        return 2;
    }
    taken[0] = temp[0] = '\0';
    lock = dblock_acquire(o->db, DBLOCK_RESTORE, busy, sizeof(busy));
    if (lock < 0) {
        fprintf(stderr, "paroletrack: restore refused, nothing changed: %s\n", busy);
        return 1;
    }
    cli_key_file(o, key_file, sizeof(key_file));
    if (env_key != NULL && env_key[0] != '\0' ? crypto_key_from_hex(env_key, key) != 0
                                              : crypto_key_read_file(key_file, key, &why) != 0) {
        fprintf(stderr,
                "paroletrack: restore refused, nothing changed: the key file %s %s (put the "
                "firm's key file there first, or name it with --key-file)\n",
                key_file, why != NULL ? why : "is not a valid key");
        goto out;
    }
    crypto_use_key(key);
    sibling_path(o->db, ".restoring-", temp, sizeof(temp));
    snprintf(taken, sizeof(taken), "%s.backup", temp);
    if (take_backup(o->from, taken, temp, sha, &size) != 0)
        goto out;
    copy = open_copy(temp);
    if (copy == NULL || verify_copy(copy, o, key_file, 1, &check) != 0) {
        fprintf(stderr, "paroletrack: restore refused, nothing changed\n");
        db_close(copy);
        goto out;
    }
    rc = close_copy(copy, temp);
    if (rc != 0 || (rc = move_aside(o->db, aside, sizeof(aside))) != 0)
        goto out;
    if (rename(temp, o->db) != 0 || sync_directory_of(o->db) != 0) {
        fprintf(stderr, "paroletrack: cannot move the restored copy into place: %s\n",
                strerror(errno));
        /* put the database back where it was: never leave no database at all */
        if (aside[0] != '\0' && access(o->db, F_OK) != 0 && rename(aside, o->db) != 0)
            fprintf(stderr, "paroletrack: the replaced database is at %s\n", aside);
        rc = 1;
        goto out;
    }
    temp[0] = '\0';
    restored = open_copy(o->db);
    rc = restored == NULL ||
         record_event(restored, "restore",
                      json_pack("{s:{s:n, s:s}, s:{s:n, s:I}}", "sha256", "before", "after", sha,
                                "size", "before", "after", (json_int_t)size));
    db_close(restored);
    head_text(&check, head, sizeof(head));
    printf("restored %s from %s (sha256 %s): schema %d, %lld sealed values, audit head %s "
           "(%lld events)%s%s\n",
           o->db, o->from, sha, check.schema, (long long)check.sealed_values, head,
           (long long)check.audit_events, aside[0] ? "; the database it replaced is kept as " : "",
           aside);
out:
    crypto_wipe(key, sizeof(key));
    if (taken[0] != '\0')
        unlink(taken);
    if (temp[0] != '\0')
        remove_database_files(temp);
    dblock_release(lock);
    return rc;
}
