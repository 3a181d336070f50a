/* sessions: the routes of browser sign-in and sign-out, and of enrolling the second factor
 * (TOTP and recovery codes). The work is the store's (sign_in, session_store); these handlers
 * check the body, set or clear the session cookie and reply. Session tokens are 256-bit random
 * values sent only in an HttpOnly cookie and stored only as a SHA-256 hash. */
#ifndef PAROLETRACK_SESSIONS_H
#define PAROLETRACK_SESSIONS_H

#include "call.h"

/* Whether session cookies carry the Secure attribute (TLS in front of the server). */
void sessions_configure(int secure_cookies);

/* POST /session: sign_in_attempt; 201 with the session and its cookie. */
void sessions_sign_in(struct call *call, struct call_reply *reply);
/* GET /session: the caller's session (session_store_read). */
void sessions_get(struct call *call, struct call_reply *reply);
/* DELETE /session: session_store_end; 204 and the cookie cleared. */
void sessions_sign_out(struct call *call, struct call_reply *reply);
/* POST /me/totp: sign_in_totp_begin; 201 with the secret and its otpauth URI. */
void sessions_totp_begin(struct call *call, struct call_reply *reply);
/* POST /me/totp/confirm: sign_in_totp_confirm; 200 with the recovery codes. */
void sessions_totp_confirm(struct call *call, struct call_reply *reply);

#endif
