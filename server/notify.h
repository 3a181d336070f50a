/* notify: outgoing deliveries, the only module that includes libcurl: an e-mail over SMTP and a
 * JSON webhook signed the way the Standard Webhooks specification says (webhook-id,
 * webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256>), so receivers can use its
 * verifier libraries. */
#ifndef PAROLETRACK_NOTIFY_H
#define PAROLETRACK_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

/* Initialise libcurl once per process. Returns 0 or -1. */
int notify_init(void);

/* Send a plain-text UTF-8 e-mail through the SMTP server at url ("smtp://host:port"; smtps://
 * for TLS). Returns 0, or -1 with a short reason (no message content) in error. */
int notify_email(const char *url, const char *from, const char *to, const char *subject,
                 const char *body, char *error, size_t error_size);

/* POST body (JSON) to url with the Standard Webhooks headers for message id msg_id at the Unix
 * time `timestamp`, signed with secret ("whsec_<base64>"). A 2xx answer is success. Returns 0,
 * or -1 with a short reason in error. */
int notify_webhook(const char *url, const char *secret, const char *msg_id, int64_t timestamp,
                   const char *body, char *error, size_t error_size);

#endif
