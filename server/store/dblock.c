/* dblock: the database's lock file, held with flock(2). */
#include "dblock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

void dblock_path(const char *db_path, char *out, size_t out_size)
{
    char *real = realpath(db_path, NULL);

    if (real == NULL) {
        /* A database not created yet: the real path of its directory, and its name. */
        char *copy = strdup(db_path), *slash = copy ? strrchr(copy, '/') : NULL;
        char *directory = NULL;

        if (copy != NULL) {
            if (slash == copy)
                directory = realpath("/", NULL);
            else if (slash != NULL) {
                *slash = '\0';
                directory = realpath(copy, NULL);
            } else
                directory = realpath(".", NULL);
        }
        if (directory != NULL)
            snprintf(out, out_size, "%s/%s.lock", directory, slash != NULL ? slash + 1 : db_path);
        else
            snprintf(out, out_size, "%s.lock", db_path);
        free(directory);
        free(copy);
        return;
    }
    snprintf(out, out_size, "%s.lock", real);
    free(real);
}

int dblock_acquire(const char *db_path, enum dblock_mode mode, char *why, size_t why_size)
{
    char path[4096];
    int fd, rc;

    dblock_path(db_path, path, sizeof(path));
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(why, why_size, "cannot open the lock file %s: %s", path, strerror(errno));
        return -1;
    }
    do
        rc = flock(fd, (mode == DBLOCK_SERVE ? LOCK_SH : LOCK_EX) | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc == 0)
        return fd;
    if (errno == EWOULDBLOCK && mode == DBLOCK_REKEY)
        snprintf(why, why_size,
                 "a paroletrack server is using this database (it holds %s); stop it, then run "
                 "rekey again, and start it with the new key file",
                 path);
    else if (errno == EWOULDBLOCK && mode == DBLOCK_RESTORE)
        snprintf(why, why_size,
                 "a paroletrack server or command is using this database (it holds %s); stop "
                 "it, then run restore again",
                 path);
    else if (errno == EWOULDBLOCK)
        snprintf(why, why_size,
                 "a rekey or restore is running on this database (it holds %s); start when it "
                 "is done (after a rekey, with the new key file)",
                 path);
    else
        snprintf(why, why_size, "cannot lock %s: %s", path, strerror(errno));
    close(fd);
    return -1;
}

void dblock_release(int fd)
{
    if (fd >= 0)
        close(fd); /* closing the only descriptor drops the flock */
}
