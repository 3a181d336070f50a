/* static_files: lookup of the embedded dashboard files. */
#include "static_files.h"

#include <string.h>

const struct static_file *static_file_find(const char *path)
{
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    for (int i = 0; i < static_file_count; i++)
        if (strcmp(static_files[i].path, path) == 0)
            return &static_files[i];
    return NULL;
}
