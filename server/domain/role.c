/* role: the role names and what each role allows (see role.h). A domain module: it depends on
 * nothing. */
#include "role.h"

#include <string.h>

const char *const role_names[ROLE__MAX + 1] = {
    [ROLE_ADMIN] = "admin",   [ROLE_ATTORNEY] = "attorney", [ROLE_PARALEGAL] = "paralegal",
    [ROLE_VIEWER] = "viewer", [ROLE__MAX] = NULL,
};

enum role role_parse(const char *name)
{
    int r;

    for (r = 0; name != NULL && r < ROLE__MAX; r++)
        if (strcmp(role_names[r], name) == 0)
            return (enum role)r;
    return ROLE__MAX;
}

int role_needs_totp(enum role role)
{
    return role == ROLE_ADMIN || role == ROLE_ATTORNEY;
}

int role_may_write(enum role role)
{
    return role == ROLE_ADMIN || role == ROLE_ATTORNEY || role == ROLE_PARALEGAL;
}

int role_is_assignable_attorney(enum role role)
{
    return role == ROLE_ADMIN || role == ROLE_ATTORNEY;
}

int role_is_assignable_paralegal(enum role role)
{
    return role_may_write(role);
}
