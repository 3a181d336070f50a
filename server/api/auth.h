/* auth: who is calling. Turns the session cookie or the API key of a request into a principal,
 * and decides whether a principal may use a route of a given permission (deny by default). */
#ifndef PAROLETRACK_AUTH_H
#define PAROLETRACK_AUTH_H

#include <stdint.h>

#include "call.h"
#include "dates.h"

enum permission {
    PERM_PUBLIC,    /* anyone */
    PERM_SIGNED_IN, /* any user with a session, even one still to enrol a second factor */
    PERM_READ,      /* every role, read and read/write keys */
    PERM_WRITE,     /* paralegal, attorney, admin, read/write keys */
    PERM_ADMIN,     /* admin only, never a key */
    PERM_METRICS,   /* an API key with the metrics scope, never a session */
    PERM__MAX
};

enum principal_kind { PRINCIPAL_NONE, PRINCIPAL_SESSION, PRINCIPAL_KEY };

struct principal {
    enum principal_kind kind;
    int64_t user_id; /* sessions */
    char email[256];
    char role[16];
    int64_t session_id;
    char csrf_token[64];
    char second_factor[16]; /* "verified", "not_enrolled", "not_required" */
    char expires_at[TIMESTAMP_LEN];
    int64_t key_id; /* keys */
    char key_name[201];
    int key_can_read;
    int key_can_write;
    int key_can_read_metrics;
};

/* The session cookie's name: "pt_session", or "__Host-pt_session" with --secure-cookies (a
 * browser keeps a __Host- cookie only when it is Secure, host-only and Path=/, so neither a
 * sibling subdomain nor a plain-HTTP answer can plant or shadow it). */
#define SESSION_COOKIE        "pt_session"
#define SESSION_COOKIE_SECURE "__Host-pt_session"

/* Choose the session cookie's name once at start (before serving): the __Host- name when the
 * server sits behind TLS (--secure-cookies). */
void auth_configure(int secure_cookies);

/* The value of cookie `name` in a Cookie header, copied into out (empty when absent, or when
 * it would not fit in out_size bytes with its NUL). */
void auth_cookie_value(const char *header, const char *name, char *out, size_t out_size);

/* The configured session cookie's name (static). */
const char *auth_session_cookie(void);

/* The name of a permission as the route table prints it ("public", "read", ...). */
const char *auth_permission_name(enum permission permission);

/* Identify the caller of a request from its cookie or bearer key (refreshing the session's
 * last use and the key's last_used_at). *principal is PRINCIPAL_NONE when it carries neither
 * or they are not valid. Returns 0, or -1 with a database problem in *p. */
int auth_identify(struct db *db, const struct call_request *request, const char *now,
                  struct principal *principal, struct problem *p);

/* Check that the principal may use a route of `permission` with `method` (CSRF for unsafe
 * cookie requests; a session still to enrol a second factor only where enrolment_ok). Returns 0,
 * or -1 with 401/403 in *p. */
int auth_allow(const struct principal *principal, enum permission permission, int enrolment_ok,
               const struct call_request *request, struct problem *p);

/* Set the context's actor from the principal (users by e-mail, keys by name). */
void auth_set_actor(const struct principal *principal, struct op_context *ctx);

#endif
