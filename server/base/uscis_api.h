/* uscis_api: the two calls of the USCIS Case Status API (libcurl): an OAuth 2.0 client
 * credentials token (POST {base}/oauth/accesstoken, form-encoded) and a case's status (GET
 * {base}/case-status/{receipt} with the bearer token). It returns what the API answered (status,
 * body, Retry-After) and leaves the reading of case status JSON to its caller; the token is kept
 * in the struct until shortly before it expires. Nothing here logs a body or a credential. */
#ifndef PAROLETRACK_USCIS_API_H
#define PAROLETRACK_USCIS_API_H

#include <stddef.h>
#include <stdint.h>

/* The largest answer kept (a case status is a few KiB; anything longer is an error). */
#define USCIS_API_MAX_BODY (256 * 1024)

struct uscis_api {
    const char *base_url;      /* "https://api-int.uscis.gov", no trailing slash needed */
    const char *client_id;     /* borrowed */
    const char *client_secret; /* borrowed */
    long timeout_seconds;      /* per request, connect included */
    char token[4096];          /* the bearer token, "" when none */
    int64_t token_until;       /* Unix time after which the token is not used */
};

/* What one call answered. */
struct uscis_answer {
    long status;         /* the HTTP status; 0: no answer (refused, timed out, TLS) */
    char *body;          /* the body (NUL-terminated), owned; NULL when none */
    int64_t retry_after; /* seconds the Retry-After header asks for; -1: none */
    char error[256];     /* why there was no usable answer, "" when there was one */
};

/* Free what an answer holds, wiping its body (a token answer holds the token). */
void uscis_answer_clear(struct uscis_answer *answer);

/* Make sure api holds a token usable at `now` (Unix time): a new one is asked for when there is
 * none, or when it expires within a minute, or when `force` (after a 401). Returns 0, or -1 with
 * the answer of the token request in *answer (the caller clears it; a 429's Retry-After is in
 * answer->retry_after). */
int uscis_api_ensure_token(struct uscis_api *api, int64_t now, int force,
                           struct uscis_answer *answer);

/* GET the case status of receipt number `receipt` (13 characters, checked by the caller) with
 * the token into *answer (the caller clears it). Returns 0 when an HTTP answer came, else -1. */
int uscis_api_case_status(struct uscis_api *api, const char *receipt, struct uscis_answer *answer);

#endif
