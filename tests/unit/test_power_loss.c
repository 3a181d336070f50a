/* Power loss (issue 14): a SQLite VFS shim that keeps every file's writes in memory until SQLite
 * syncs the file, and writes them to the real file only then. "Pulling the plug" drops every
 * write not yet synced (and makes every later write, sync or delete fail, as a dead disk
 * would), so what is left on the real files is exactly what a power loss could leave at worst.
 * Changes are made through the write path (write_run via resource_create) on a WAL database
 * with the server's pragmas; the plug is pulled at a random write of a random change; the
 * database is then reopened with the ordinary VFS and must hold every change whose call
 * returned success (40 rounds; POWER_LOSS_ROUNDS asks for more), pass integrity_check, and verify
 * its audit trail. A control run with synchronous=OFF shows the shim does lose unsynced commits, so
 * the test can fail. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store_fixture.h"
#include "temp_db.h"

/* One open file: the real one (for locks, shared memory and the synced bytes) and the bytes
 * SQLite sees (synced or not). */
struct shim_file {
    sqlite3_file base; /* first: SQLite's part */
    sqlite3_file *real;
    unsigned char *data;
    sqlite3_int64 size, cap;
    sqlite3_int64 dirty_from, dirty_to; /* the bytes written since the last sync (from < to) */
    int truncated;                      /* shortened since the last sync */
};

static sqlite3_vfs *unix_vfs;
static int plug_pulled;   /* after the plug is pulled, nothing reaches the real files */
static long writes_to_go; /* pull the plug at the write this counts down to (-1: never) */

static int shim_close(sqlite3_file *f)
{
    struct shim_file *s = (struct shim_file *)f;
    int rc = s->real->pMethods->xClose(s->real);

    sqlite3_free(s->real);
    free(s->data);
    return rc;
}

static int shim_read(sqlite3_file *f, void *buf, int amount, sqlite3_int64 offset)
{
    struct shim_file *s = (struct shim_file *)f;
    sqlite3_int64 have = s->size - offset;

    if (have >= amount) {
        memcpy(buf, s->data + offset, (size_t)amount);
        return SQLITE_OK;
    }
    memset(buf, 0, (size_t)amount);
    if (have > 0)
        memcpy(buf, s->data + offset, (size_t)have);
    return SQLITE_IOERR_SHORT_READ;
}

/* Grow the in-memory image to hold `size` bytes. Returns 0 or -1. */
static int shim_reserve(struct shim_file *s, sqlite3_int64 size)
{
    if (size <= s->cap)
        return 0;
    sqlite3_int64 cap = s->cap ? s->cap : 65536;
    while (cap < size)
        cap *= 2;
    unsigned char *grown = realloc(s->data, (size_t)cap);
    if (grown == NULL)
        return -1;
    memset(grown + s->cap, 0, (size_t)(cap - s->cap));
    s->data = grown;
    s->cap = cap;
    return 0;
}

static int shim_write(sqlite3_file *f, const void *buf, int amount, sqlite3_int64 offset)
{
    struct shim_file *s = (struct shim_file *)f;

    if (!plug_pulled && writes_to_go >= 0 && writes_to_go-- == 0)
        plug_pulled = 1;
    if (plug_pulled)
        return SQLITE_IOERR_WRITE;
    if (shim_reserve(s, offset + amount) != 0)
        return SQLITE_IOERR_NOMEM;
    memcpy(s->data + offset, buf, (size_t)amount);
    if (offset + amount > s->size)
        s->size = offset + amount;
    if (s->dirty_from >= s->dirty_to || offset < s->dirty_from)
        s->dirty_from = offset;
    if (offset + amount > s->dirty_to)
        s->dirty_to = offset + amount;
    return SQLITE_OK;
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct shim_file *s = (struct shim_file *)f;

    if (plug_pulled)
        return SQLITE_IOERR_TRUNCATE;
    if (size < s->size) {
        s->size = size;
        s->truncated = 1;
    }
    return SQLITE_OK;
}

/* Sync: what was written since the last sync reaches the real file, which is then synced. */
static int shim_sync(sqlite3_file *f, int flags)
{
    struct shim_file *s = (struct shim_file *)f;
    sqlite3_int64 to = s->dirty_to < s->size ? s->dirty_to : s->size;
    int rc = SQLITE_OK;

    if (plug_pulled)
        return SQLITE_IOERR_FSYNC;
    /* in pieces: the unix VFS writes at most 128 KiB a call (it expects pages) */
    for (sqlite3_int64 at = s->dirty_from; rc == SQLITE_OK && at < to; at += 65536) {
        int n = (int)(to - at < 65536 ? to - at : 65536);

        rc = s->real->pMethods->xWrite(s->real, s->data + at, n, at);
    }
    if (rc == SQLITE_OK && s->truncated)
        rc = s->real->pMethods->xTruncate(s->real, s->size);
    if (rc == SQLITE_OK)
        rc = s->real->pMethods->xSync(s->real, flags);
    s->dirty_from = s->dirty_to = 0;
    s->truncated = 0;
    return rc;
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    *size = ((struct shim_file *)f)->size;
    return SQLITE_OK;
}

/* Locks, control and shared memory go to the real file. */
static int shim_lock(sqlite3_file *f, int level)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    return r->pMethods->xLock(r, level);
}
static int shim_unlock(sqlite3_file *f, int level)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    return r->pMethods->xUnlock(r, level);
}
static int shim_check_reserved(sqlite3_file *f, int *out)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    return r->pMethods->xCheckReservedLock(r, out);
}
static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;

    /* a size hint or chunk size would grow the real file behind the image: not supported */
    if (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_CHUNK_SIZE)
        return SQLITE_NOTFOUND;
    return r->pMethods->xFileControl(r, op, arg);
}
static int shim_sector_size(sqlite3_file *f)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    return r->pMethods->xSectorSize(r);
}
static int shim_device(sqlite3_file *f)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    /* no atomic writes and no safe appends promised: the worst case */
    return r->pMethods->xDeviceCharacteristics(r) &
           ~(SQLITE_IOCAP_SAFE_APPEND | SQLITE_IOCAP_SEQUENTIAL | SQLITE_IOCAP_POWERSAFE_OVERWRITE);
}
static int shim_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **out)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    return r->pMethods->xShmMap(r, region, size, extend, out);
}
static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    return r->pMethods->xShmLock(r, offset, n, flags);
}
static void shim_shm_barrier(sqlite3_file *f)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    r->pMethods->xShmBarrier(r);
}
static int shim_shm_unmap(sqlite3_file *f, int delete_flag)
{
    sqlite3_file *r = ((struct shim_file *)f)->real;
    return r->pMethods->xShmUnmap(r, delete_flag);
}

static const sqlite3_io_methods shim_methods = {
    .iVersion = 2,
    .xClose = shim_close,
    .xRead = shim_read,
    .xWrite = shim_write,
    .xTruncate = shim_truncate,
    .xSync = shim_sync,
    .xFileSize = shim_file_size,
    .xLock = shim_lock,
    .xUnlock = shim_unlock,
    .xCheckReservedLock = shim_check_reserved,
    .xFileControl = shim_file_control,
    .xSectorSize = shim_sector_size,
    .xDeviceCharacteristics = shim_device,
    .xShmMap = shim_shm_map,
    .xShmLock = shim_shm_lock,
    .xShmBarrier = shim_shm_barrier,
    .xShmUnmap = shim_shm_unmap,
};

/* Open the real file, then read what it holds (its synced bytes) into the image. */
static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    struct shim_file *s = (struct shim_file *)f;
    sqlite3_int64 size = 0;
    int rc;

    (void)vfs;
    memset(s, 0, sizeof(*s));
    s->real = sqlite3_malloc(unix_vfs->szOsFile);
    if (s->real == NULL)
        return SQLITE_NOMEM;
    memset(s->real, 0, (size_t)unix_vfs->szOsFile);
    rc = unix_vfs->xOpen(unix_vfs, name, s->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        sqlite3_free(s->real);
        return rc;
    }
    s->base.pMethods = &shim_methods;
    if (s->real->pMethods->xFileSize(s->real, &size) == SQLITE_OK && size > 0) {
        if (shim_reserve(s, size) != 0 ||
            s->real->pMethods->xRead(s->real, s->data, (int)size, 0) != SQLITE_OK) {
            shim_close(f);
            s->base.pMethods = NULL; /* a failed open is not closed again */
            return SQLITE_IOERR;
        }
        s->size = size;
    }
    return SQLITE_OK;
}

static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    if (plug_pulled)
        return SQLITE_IOERR_DELETE;
    return unix_vfs->xDelete(unix_vfs, name, sync_dir);
}
static int shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return unix_vfs->xAccess(unix_vfs, name, flags, out);
}
static int shim_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return unix_vfs->xFullPathname(unix_vfs, name, n, out);
}
static int shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return unix_vfs->xRandomness(unix_vfs, n, out);
}
static int shim_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return unix_vfs->xSleep(unix_vfs, us);
}
static int shim_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return unix_vfs->xCurrentTime(unix_vfs, out);
}
static int shim_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return unix_vfs->xGetLastError(unix_vfs, n, out);
}

static sqlite3_vfs shim_vfs = {
    .iVersion = 1,
    .mxPathname = 512,
    .zName = "powerloss",
    .xOpen = shim_open,
    .xDelete = shim_delete,
    .xAccess = shim_access,
    .xFullPathname = shim_full_pathname,
    .xRandomness = shim_randomness,
    .xSleep = shim_sleep,
    .xCurrentTime = shim_current_time,
    .xGetLastError = shim_last_error,
};

/* One round: a new database through the shim, `changes` clients created through the write
 * path with the plug pulled at a random write once `armed` of them are in, then the database
 * reopened on the real files. Returns how many acknowledged changes were lost (and checks the
 * rest when `expect_intact`). */
static int round_with_plug_pulled(unsigned seed, int changes, int armed, const char *sync_pragma,
                                  int expect_intact)
{
    struct temp_db file;
    int64_t acknowledged[64];
    int acked = 0, lost = 0;
    struct problem p;
    char name[32];

    srand(seed);
    plug_pulled = 0;
    writes_to_go = -1;
    if (temp_db_make(&file, "power") != 0 || fixture_open_path(file.path) != 0)
        return -1;
    problem_init(&p);
    if (sync_pragma != NULL)
        db_exec(db, sync_pragma, &p);
    for (int i = 0; i < changes && i < 64; i++) {
        json_t *body, *record;

        if (i == armed)
            writes_to_go = rand() % 40; /* somewhere in the next few changes' writes */
        snprintf(name, sizeof(name), "Power%d", i);
        body = json_pack("{s:s, s:s}", "family_name", name, "given_name", "Loss");
        record = resource_create(db, &clients_resource, 0, body, &ctx, &p);
        if (record != NULL)
            acknowledged[acked++] = json_integer_value(json_object_get(record, "id"));
        problem_clear(&p);
        json_decref(record);
        json_decref(body);
    }
    plug_pulled = 1; /* whatever the last change left unsynced is lost */
    db_close(db);
    sqlite3_vfs_unregister(&shim_vfs);
    db = db_open(file.path, &p);
    CHECK(db != NULL);
    if (db != NULL) {
        json_t *rows = db_rows(db, SQL_INTEGRITY_CHECK, NULL, NULL, &p);

        CHECK(rows != NULL && json_array_size(rows) == 1);
        json_decref(rows);
        for (int i = 0; i < acked; i++) {
            json_t *record = resource_get(db, &clients_resource, 0, acknowledged[i], &ctx, &p);

            lost += record == NULL;
            problem_clear(&p);
            json_decref(record);
        }
        if (expect_intact) {
            CHECK(lost == 0);
            CHECK(fixture_verified_events() >= acked);
            CHECK(acked >= armed); /* the changes before the plug was armed all went in */
        }
        db_close(db);
    }
    db = NULL;
    sqlite3_vfs_register(&shim_vfs, 1);
    temp_db_remove(&file);
    problem_clear(&p);
    return lost;
}

int main(void)
{
    /* POWER_LOSS_ROUNDS: the long run (tests/reliability/run.sh --long) asks for more */
    const char *asked = getenv("POWER_LOSS_ROUNDS");
    unsigned rounds = asked != NULL && atoi(asked) > 0 ? (unsigned)atoi(asked) : 40;
    int lost_unsynced = 0;

    unix_vfs = sqlite3_vfs_find(NULL);
    shim_vfs.szOsFile = (int)sizeof(struct shim_file);
    shim_vfs.mxPathname = unix_vfs->mxPathname;
    sqlite3_vfs_register(&shim_vfs, 1);
    /* With the server's synchronous=FULL, no acknowledged change is ever lost. */
    for (unsigned seed = 1; seed <= rounds; seed++)
        round_with_plug_pulled(seed, 12, 4 + (int)(seed % 6), NULL, 1);
    /* The control: without syncs the same rounds lose acknowledged changes, so the shim does
     * drop what was not synced. */
    for (unsigned seed = 1; seed <= 10; seed++)
        lost_unsynced += round_with_plug_pulled(seed, 12, 4, "PRAGMA synchronous = OFF", 0);
    CHECK(lost_unsynced > 0);
    printf("power loss: %u rounds kept every acknowledged change; without syncs %d were lost\n",
           rounds, lost_unsynced);
    return CHECK_DONE();
}
