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

/* How e-mail leaves: the SMTP server and the transport's security. */
struct notify_smtp {
    const char *url;     /* "smtps://host:port" (TLS from the start) or "smtp://host:port"
                          * (STARTTLS required unless insecure); may carry user:password@ */
    const char *from;    /* the envelope and header sender */
    int insecure;        /* --smtp-insecure: plain smtp:// without TLS allowed (no credentials) */
    const char *ca_file; /* PEM bundle to verify the server with; NULL: the system's */
};

/* Check an SMTP configuration before anything is sent: the URL is smtp:// or smtps://, and a
 * password is never allowed where it could travel in the clear (smtp:// with insecure). Returns
 * 0, or -1 with the reason (naming the option) in why. */
int notify_smtp_check(const struct notify_smtp *smtp, char *why, size_t why_size);

/* Send a plain-text UTF-8 e-mail through smtp. TLS is required (smtps://, or STARTTLS on smtp://,
 * the server's certificate verified) unless smtp->insecure; a server that offers no STARTTLS is a
 * failure before any credential or message is sent. Returns 0, or -1 with a short reason (no
 * message content) in error. */
int notify_email(const struct notify_smtp *smtp, const char *to, const char *subject,
                 const char *body, char *error, size_t error_size);

/* POST body (JSON) to url with the Standard Webhooks headers for message id msg_id at the Unix
 * time `timestamp`, signed with secret ("whsec_<base64>"). A 2xx answer is success. Returns 0,
 * or -1 with a short reason in error. */
int notify_webhook(const char *url, const char *secret, const char *msg_id, int64_t timestamp,
                   const char *body, char *error, size_t error_size);

/* notify_webhook, also saying the receiver's HTTP status in *status (0: no answer: refused,
 * timed out, TLS failed). Redirects are not followed; only http and https are spoken. */
int notify_webhook_status(const char *url, const char *secret, const char *msg_id,
                          int64_t timestamp, const char *body, long *status, char *error,
                          size_t error_size);

#endif
