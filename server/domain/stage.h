/* stage: the stages a parole request can be in, derived in SQL from its events (store/sql.c,
 * STAGE_EXPRESSION), and which of them close the request. The one list of stages: the stage
 * filter, /stats, the deadline engine and the dashboard (through GET /api/v1/fields) use it. */
#ifndef PAROLETRACK_STAGE_H
#define PAROLETRACK_STAGE_H

/* In the order the API lists them (the spec's `Stage` enum). */
enum stage {
    STAGE_DRAFT,
    STAGE_FILED,
    STAGE_RECEIPTED,
    STAGE_INTERVIEW_SCHEDULED,
    STAGE_RFE_OPEN,
    STAGE_APPROVED,
    STAGE_DENIED,
    STAGE_WITHDRAWN,
    STAGE_CLOSED,
    STAGE_TERMINATED,
    STAGE_PAROLED,
    STAGE_EXPIRED,
    STAGE__MAX
};

/* The name of every stage, indexed by enum stage and NULL-terminated (a choice list). */
extern const char *const stage_names[STAGE__MAX + 1];

/* The stage called `name`; STAGE__MAX when no stage has that name (or name is NULL). */
enum stage stage_parse(const char *name);

/* True when the stage closes the request (denied, withdrawn, closed, terminated): nothing is
 * due on it any more. False for STAGE__MAX. */
int stage_is_closed(enum stage stage);

#endif
