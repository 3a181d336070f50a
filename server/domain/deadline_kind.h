/* deadline_kind: the kinds of deadline the engine computes (store/deadline_engine.c). The one
 * list of kinds: the `kind` filter of GET /api/v1/deadlines and the dashboard (through
 * GET /api/v1/fields) use it. */
#ifndef PAROLETRACK_DEADLINE_KIND_H
#define PAROLETRACK_DEADLINE_KIND_H

/* In the order the API lists them (the spec's `DeadlineKind` enum). */
enum deadline_kind {
    DEADLINE_KIND_RFE_RESPONSE,
    DEADLINE_KIND_NOID_RESPONSE,
    DEADLINE_KIND_MOTION,
    DEADLINE_KIND_INTERVIEW,
    DEADLINE_KIND_BIOMETRICS,
    DEADLINE_KIND_PAROLE_END,
    DEADLINE_KIND_REPAROLE_FILING,
    DEADLINE_KIND_EAD_END,
    DEADLINE_KIND_TRAVEL_BY,
    DEADLINE_KIND_PASSPORT_EXPIRY,
    DEADLINE_KIND_MISSED_APPOINTMENT,
    DEADLINE_KIND_FEE_PAYMENT,
    DEADLINE_KIND_ASYLUM_ONE_YEAR,
    DEADLINE_KIND_ADDRESS_CHANGE_REPORT,
    DEADLINE_KIND__MAX
};

/* The name of every kind, indexed by enum deadline_kind and NULL-terminated (a choice list). */
extern const char *const deadline_kind_names[DEADLINE_KIND__MAX + 1];

/* The kind called `name`; DEADLINE_KIND__MAX when no kind has that name (or name is NULL). */
enum deadline_kind deadline_kind_parse(const char *name);

#endif
