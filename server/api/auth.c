/* auth: identifying the caller and the permission check. The rows behind a cookie or a key
 * are read by the stores (session_store_find, api_key_store_find); this module only takes the
 * cookie or the Authorization header and decides what the caller may do. */
#include "auth.h"

#include <stdio.h>
#include <string.h>

#include "api_key_store.h"
#include "crypto.h"
#include "role.h"
#include "session_store.h"

/* Set once at start, before any request thread runs. */
static const char *session_cookie = SESSION_COOKIE;

void auth_configure(int secure_cookies)
{
    session_cookie = secure_cookies ? SESSION_COOKIE_SECURE : SESSION_COOKIE;
}

const char *auth_session_cookie(void)
{
    return session_cookie;
}

const char *auth_permission_name(enum permission permission)
{
    static const char *const names[PERM__MAX] = {
        [PERM_PUBLIC] = "public", [PERM_SIGNED_IN] = "signed_in", [PERM_READ] = "read",
        [PERM_WRITE] = "write",   [PERM_ADMIN] = "admin",         [PERM_METRICS] = "metrics",
    };

    return permission < PERM__MAX ? names[permission] : "admin";
}

void auth_cookie_value(const char *header, const char *name, char *out, size_t out_size)
{
    size_t name_len = strlen(name);

    out[0] = '\0';
    while (header != NULL && *header) {
        while (*header == ' ' || *header == ';')
            header++;
        if (strncmp(header, name, name_len) == 0 && header[name_len] == '=') {
            size_t len = strcspn(header + name_len + 1, ";");

            if (len < out_size) {
                memcpy(out, header + name_len + 1, len);
                out[len] = '\0';
            }
            return;
        }
        header = strchr(header, ';');
    }
}

/* The principal of a key the store found. */
static void principal_of_key(const struct api_key_store_key *key, struct principal *principal)
{
    principal->kind = PRINCIPAL_KEY;
    principal->key_id = key->id;
    snprintf(principal->key_name, sizeof(principal->key_name), "%s", key->name);
    principal->key_can_read = key->can_read;
    principal->key_can_write = key->can_write;
    principal->key_can_read_metrics = key->can_read_metrics;
}

/* The principal of a session the store found. */
static void principal_of_session(const struct session_store_session *session,
                                 struct principal *principal)
{
    principal->kind = PRINCIPAL_SESSION;
    principal->session_id = session->id;
    principal->user_id = session->user_id;
    snprintf(principal->email, sizeof(principal->email), "%s", session->email);
    snprintf(principal->role, sizeof(principal->role), "%s", session->role);
    snprintf(principal->csrf_token, sizeof(principal->csrf_token), "%s", session->csrf_token);
    snprintf(principal->second_factor, sizeof(principal->second_factor), "%s",
             session->second_factor);
    snprintf(principal->expires_at, sizeof(principal->expires_at), "%s", session->expires_at);
}

int auth_identify(struct db *db, const struct call_request *request, const char *now,
                  struct principal *principal, struct problem *p)
{
    struct api_key_store_key key;
    struct session_store_session session;
    char token[128];
    int rc;

    memset(principal, 0, sizeof(*principal));
    if (request->authorization != NULL && strncmp(request->authorization, "Bearer ", 7) == 0) {
        rc = api_key_store_find(db, request->authorization + 7, now, &key, p);
        if (key.id != 0)
            principal_of_key(&key, principal);
        return rc;
    }
    auth_cookie_value(request->cookie, session_cookie, token, sizeof(token));
    if (token[0] == '\0')
        return 0;
    rc = session_store_find(db, token, now, &session, p);
    if (session.id != 0)
        principal_of_session(&session, principal);
    return rc;
}

/* True for the methods that change something. */
static int unsafe_method(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

int auth_allow(const struct principal *principal, enum permission permission, int enrolment_ok,
               const struct call_request *request, struct problem *p)
{
    int is_session = principal->kind == PRINCIPAL_SESSION;

    if (permission == PERM_PUBLIC)
        return 0;
    if (principal->kind == PRINCIPAL_NONE)
        return problem_set(p, PROBLEM_UNAUTHENTICATED,
                           "sign in, or send an API key as Authorization: Bearer");
    if (is_session && unsafe_method(request->method) &&
        (request->csrf_token == NULL || !crypto_equal(request->csrf_token, principal->csrf_token)))
        return problem_set(p, PROBLEM_CSRF,
                           "send the session's CSRF token in the X-CSRF-Token header");
    if (is_session && strcmp(principal->second_factor, "not_enrolled") == 0 && !enrolment_ok)
        return problem_set(p, PROBLEM_ENROLMENT_REQUIRED,
                           "your role needs a second factor: set up an authenticator app at "
                           "POST /api/v1/me/totp first");
    switch (permission) {
    case PERM_SIGNED_IN:
        if (is_session)
            return 0;
        break;
    case PERM_READ:
        if (is_session || principal->key_can_read)
            return 0;
        break;
    case PERM_WRITE:
        if (is_session ? role_may_write(role_parse(principal->role)) : principal->key_can_write)
            return 0;
        break;
    case PERM_ADMIN:
        if (is_session && strcmp(principal->role, "admin") == 0)
            return 0;
        break;
    case PERM_METRICS:
        if (!is_session && principal->key_can_read_metrics)
            return 0;
        break;
    case PERM_PUBLIC:
    case PERM__MAX:
        break;
    }
    return problem_set(p, PROBLEM_FORBIDDEN, "%s may not do this",
                       is_session ? "your role" : "this API key");
}

void auth_set_actor(const struct principal *principal, struct op_context *ctx)
{
    if (principal->kind == PRINCIPAL_SESSION) {
        ctx->actor.type = ACTOR_USER;
        ctx->actor.id = principal->user_id;
        snprintf(ctx->actor.label, sizeof(ctx->actor.label), "%s", principal->email);
    } else if (principal->kind == PRINCIPAL_KEY) {
        ctx->actor.type = ACTOR_API_KEY;
        ctx->actor.id = principal->key_id;
        snprintf(ctx->actor.label, sizeof(ctx->actor.label), "%s", principal->key_name);
    }
}
