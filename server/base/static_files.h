/* static_files: the dashboard (static/), embedded in the binary at build time and served at /
 * with its content type, an ETag and revalidation (If-None-Match -> 304). */
#ifndef PAROLETRACK_STATIC_FILES_H
#define PAROLETRACK_STATIC_FILES_H

#include <stddef.h>

struct static_file {
    const char *path;         /* "/index.html" */
    const char *content_type; /* "text/html; charset=utf-8" */
    const char *etag;         /* quoted, strong */
    const unsigned char *data;
    size_t size;
};

extern const struct static_file static_files[];
extern const int static_file_count;

/* The embedded file served at `path` ("/" is "/index.html"), or NULL. Paths with ".." or other
 * oddities simply match nothing. */
const struct static_file *static_file_find(const char *path);

#endif
