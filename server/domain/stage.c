/* stage: the stage names and which of them are closed (see stage.h). A domain module: it
 * depends on nothing. */
#include "stage.h"

#include <string.h>

const char *const stage_names[STAGE__MAX + 1] = {
    [STAGE_DRAFT] = "draft",
    [STAGE_FILED] = "filed",
    [STAGE_RECEIPTED] = "receipted",
    [STAGE_INTERVIEW_SCHEDULED] = "interview_scheduled",
    [STAGE_RFE_OPEN] = "rfe_open",
    [STAGE_APPROVED] = "approved",
    [STAGE_DENIED] = "denied",
    [STAGE_WITHDRAWN] = "withdrawn",
    [STAGE_CLOSED] = "closed",
    [STAGE_TERMINATED] = "terminated",
    [STAGE_PAROLED] = "paroled",
    [STAGE_EXPIRED] = "expired",
    [STAGE__MAX] = NULL,
};

enum stage stage_parse(const char *name)
{
    int s;

    for (s = 0; name != NULL && s < STAGE__MAX; s++)
        if (strcmp(stage_names[s], name) == 0)
            return (enum stage)s;
    return STAGE__MAX;
}

int stage_is_closed(enum stage stage)
{
    return stage == STAGE_DENIED || stage == STAGE_WITHDRAWN || stage == STAGE_CLOSED ||
           stage == STAGE_TERMINATED;
}
