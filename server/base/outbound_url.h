/* outbound_url: the one check of a URL the server sends data to (a webhook endpoint, the USCIS
 * API's base): https:// to any host, or plain http:// only to this machine (localhost, an IPv4
 * address in 127.0.0.0/8, [::1]); never a user name or password, a space or a fragment, and a
 * port, when given, of 1 to 65535 digits. No I/O. */
#ifndef PAROLETRACK_OUTBOUND_URL_H
#define PAROLETRACK_OUTBOUND_URL_H

#include <stddef.h>

/* Check url. Returns 0, or -1 with the reason (a sentence fragment, e.g. "must start with
 * https://") in why. */
int outbound_url_check(const char *url, char *why, size_t why_size);

#endif
