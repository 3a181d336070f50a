/* replay: Idempotency-Key on POST and PATCH. A keyed write's first answer is kept (store/
 * idempotency.h) and given again to a retry of the same request by the same caller within a
 * day, with "Idempotent-Replayed: true", instead of a second change; the same key with another
 * request is a 422, and a retry while the first still runs a 409. Routes whose request or
 * answer carries a secret refuse the header. Handler layer: it works on a struct call around
 * the route's handler (api.c runs it). */
#ifndef PAROLETRACK_REPLAY_H
#define PAROLETRACK_REPLAY_H

#include <stdint.h>

#include "call.h"

/* What replay_begin leaves for replay_end: the reservation of a new key, else 0. */
struct replay {
    int64_t reservation;
};

/* Before the handler of an admitted call. Returns 0 when the handler runs (*r holds the new
 * key's reservation, or 0: no key, or not a POST or PATCH); 1 when it must not: *reply holds
 * the first answer again, or call->p a problem (a bad key, a key on a secret-bearing route,
 * another request's key, the first still running). */
int replay_begin(struct call *call, int secret_bearing, struct replay *r, struct call_reply *reply);

/* After the reply is final (a problem already turned into it): keep it as the key's answer, or
 * forget the key when the answer is a server error (nothing changed; a retry runs again). A
 * failure to keep it is logged; the reply is sent as it is. */
void replay_end(struct call *call, const struct replay *r, const struct call_reply *reply);

#endif
