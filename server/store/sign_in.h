/* sign_in: the store operations of signing in and of setting up a second factor, callable
 * from the API, the command line and tests without HTTP: a sign-in attempt (throttle, user,
 * password, TOTP or recovery code, the new session, the known address, the audit events), and
 * the two steps of enrolling an authenticator app (a pending secret, then its confirmation with
 * fresh recovery codes). A store module: it may depend on db, signin_throttle, session_store,
 * users, settings, audit, crypto and totp, never on call, auth or anything HTTP; the API's
 * handlers (api/sessions.c) parse the body, call these and reply. */
#ifndef PAROLETRACK_SIGN_IN_H
#define PAROLETRACK_SIGN_IN_H

#include <jansson.h>
#include <stdint.h>

#include "context.h"
#include "crypto.h"
#include "db.h"
#include "problem.h"

/* What a sign-in attempt gives (all borrowed). */
struct sign_in_input {
    const char *email;
    const char *password;
    const char *totp_code;     /* NULL: none given */
    const char *recovery_code; /* NULL: none given; used only when totp_code is NULL */
    const char *address;       /* the client's address (the throttle's key); NULL: unknown */
};

/* What a successful sign-in gives back. The caller wipes token once the cookie is set and
 * frees session. */
struct sign_in_result {
    char token[CRYPTO_TOKEN_LEN + 1]; /* the new session's token, for the cookie */
    json_t *session;                  /* the session as the API shows it (session_store_json) */
};

/* Sign in: count the attempt (signin_throttle), find the user by e-mail, check the password
 * (the same work and answer for an unknown e-mail, a wrong password and a disabled account)
 * and, when the user has an authenticator app, the TOTP code or a recovery code (each usable
 * once); then open a session, forget the address's counted attempts and record the address as
 * known, replace an outdated password hash, and audit sign_in (actor: the user), in one write
 * transaction. ctx: the request's context (its actor is not changed). Returns 0 with *result
 * filled, or -1 with *p set and *result empty:
 *  - 429 too many attempts, p->retry_after the seconds to wait (nothing counted);
 *  - 401 wrong e-mail or password, counted and audited as sign_in_failed with the reason;
 *  - the second factor required (naming totp_code): a wrong code is counted and audited as a
 *    failure; the right password with no code at all is the first step of a sign-in with an
 *    authenticator app, and is not counted;
 *  - a database problem. */
int sign_in_attempt(struct db *db, const struct op_context *ctx, const struct sign_in_input *in,
                    struct sign_in_result *result, struct problem *p);

/* Start enrolling an authenticator app for a signed-in user: the password checked again
 * (users_confirm_password, throttled and audited), a new secret stored sealed as the user's
 * pending secret (409 when an app is already set up). Returns {"secret", "otpauth_uri"}
 * (caller owns) or NULL with *p set. */
json_t *sign_in_totp_begin(struct db *db, int64_t user_id, const char *email, const char *address,
                           const char *password, const struct op_context *ctx, struct problem *p);

/* Confirm the pending secret of user_id with a current code from the app, in one write
 * transaction: the secret becomes the user's TOTP secret, the recovery codes are replaced by
 * new ones, session_id (the confirming session) becomes verified, every other session of the
 * user ends, and totp_enable is audited. 409 when there is nothing pending or an app is already
 * set up, 422 naming `code` when the code is wrong. Returns {"recovery_codes": [...]} (caller
 * owns; the codes are shown only this once) or NULL with *p set. */
json_t *sign_in_totp_confirm(struct db *db, int64_t user_id, int64_t session_id, const char *code,
                             const struct op_context *ctx, struct problem *p);

#endif
