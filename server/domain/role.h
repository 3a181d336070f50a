/* role: the roles a user can have and what each one allows. The one list of roles: the user
 * store, the assignee checks, sign-in and the dashboard (through GET /api/v1/fields) use it. */
#ifndef PAROLETRACK_ROLE_H
#define PAROLETRACK_ROLE_H

/* In the order the API lists them (the spec's `role` enums). */
enum role { ROLE_ADMIN, ROLE_ATTORNEY, ROLE_PARALEGAL, ROLE_VIEWER, ROLE__MAX };

/* The name of every role, indexed by enum role and NULL-terminated (a choice list). */
extern const char *const role_names[ROLE__MAX + 1];

/* The role called `name`; ROLE__MAX when no role has that name (or name is NULL). */
enum role role_parse(const char *name);

/* True when a user of the role needs a second factor whatever the firm's settings (admin,
 * attorney). False for ROLE__MAX. */
int role_needs_totp(enum role role);

/* True when the role may change records (every role but viewer). False for ROLE__MAX. */
int role_may_write(enum role role);

/* True when a user of the role can be a request's assigned attorney (attorney, admin). */
int role_is_assignable_attorney(enum role role);

/* True when a user of the role can be a request's assigned paralegal (anyone who may write). */
int role_is_assignable_paralegal(enum role role);

#endif
