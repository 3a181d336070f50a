/* sessions: browser sign-in and sign-out, and enrolment of the second factor (TOTP and
 * recovery codes); attempts are throttled by signin_throttle. Session tokens are 256-bit
 * random values sent only in an HttpOnly cookie and stored only as a SHA-256 hash. */
#ifndef PAROLETRACK_SESSIONS_H
#define PAROLETRACK_SESSIONS_H

#include "call.h"

/* Whether session cookies carry the Secure attribute (TLS in front of the server). */
void sessions_configure(int secure_cookies);

void sessions_sign_in(struct call *call, struct call_reply *reply);
void sessions_get(struct call *call, struct call_reply *reply);
void sessions_sign_out(struct call *call, struct call_reply *reply);
void sessions_totp_begin(struct call *call, struct call_reply *reply);
void sessions_totp_confirm(struct call *call, struct call_reply *reply);

#endif
