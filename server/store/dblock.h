/* dblock: the lock file "<db>.lock" that keeps `paroletrack rekey` and `paroletrack restore`
 * away from a database a server is using. A server (and every command that opens the database
 * with its key; `migrate`, which opens no key, takes none) holds a shared flock(2) on it for
 * its whole life; rekey and restore ask for an
 * exclusive one without waiting, so they are refused while any server runs, and a server does
 * not start while one of them runs. The kernel drops the lock when the holder exits or crashes, so
 * a stale lock file never blocks anything; the file itself stays (mode 0600, empty). */
#ifndef PAROLETRACK_DBLOCK_H
#define PAROLETRACK_DBLOCK_H

#include <stddef.h>

enum dblock_mode {
    DBLOCK_SERVE,   /* shared: any number of servers */
    DBLOCK_REKEY,   /* exclusive: nobody else */
    DBLOCK_RESTORE, /* exclusive: nobody else */
};

/* The lock file of a database: "<db>.lock" next to the file the path really names (symbolic
 * links and other spellings of the path resolved, so every way of naming a database finds the
 * same lock). Writes into out. */
void dblock_path(const char *db_path, char *out, size_t out_size);

/* Take the database's lock in `mode` without waiting. Returns the descriptor that holds it
 * (the caller passes it to dblock_release), or -1 with a clear reason for the operator written
 * into why. */
int dblock_acquire(const char *db_path, enum dblock_mode mode, char *why, size_t why_size);

/* Release a lock taken by dblock_acquire (fd < 0: nothing). */
void dblock_release(int fd);

#endif
