/* client_address: who is really calling. Parses the operator's trusted proxy ranges
 * (--trusted-proxy CIDR[,CIDR]), and finds the client's address from the TCP peer and the
 * X-Forwarded-For headers: only when the peer is a trusted proxy, the right-most entry that is
 * not itself trusted. Also the key sign-in throttling counts by (an IPv6 client's /64). Pure
 * text in, text out: no sockets, no allocation, so it is unit-tested on its own. */
#ifndef PAROLETRACK_CLIENT_ADDRESS_H
#define PAROLETRACK_CLIENT_ADDRESS_H

#include <stddef.h>

#define CLIENT_ADDRESS_SIZE        46 /* INET6_ADDRSTRLEN */
#define CLIENT_ADDRESS_MAX_RANGES  32
#define CLIENT_ADDRESS_MAX_HEADERS 16 /* X-Forwarded-For headers looked at (the last ones) */
/* The client when it cannot be known: no peer address, or a forwarded entry that is not an
 * address. Every such client shares this one name, so garbage cannot buy a fresh throttle. */
#define CLIENT_ADDRESS_UNKNOWN "unknown"

struct client_address_range {
    int family; /* AF_INET or AF_INET6 */
    unsigned char bytes[16];
    unsigned prefix; /* bits */
};

/* The trusted proxy ranges; count 0 trusts nobody (X-Forwarded-For is always ignored). */
struct client_address_trust {
    size_t count;
    struct client_address_range ranges[CLIENT_ADDRESS_MAX_RANGES];
};

/* Parse "CIDR[,CIDR...]" (IPv4 or IPv6, "/N" optional: a bare address is one host; spaces
 * around entries allowed) into *trust. Host bits set below the prefix, an empty entry, a bad
 * prefix or more than CLIENT_ADDRESS_MAX_RANGES ranges are errors. Returns 0, or -1 with a
 * sentence naming the bad entry in err. */
int client_address_parse_trust(const char *text, struct client_address_trust *trust, char *err,
                               size_t err_size);

/* Normalise one address of len bytes ("203.0.113.7", "2001:DB8::1", "[2001:db8::1]:443",
 * "203.0.113.7:5000", "::ffff:203.0.113.7" -> "203.0.113.7") into out. Returns 0, or -1 when
 * it is not an address (out is then CLIENT_ADDRESS_UNKNOWN). */
int client_address_normalize(const char *text, size_t len, char out[CLIENT_ADDRESS_SIZE]);

/* True when the address (any form client_address_normalize takes) is inside a trusted range. */
int client_address_trusted(const struct client_address_trust *trust, const char *address);

/* The client's address into out: the normalised peer, unless the peer is trusted; then walk
 * the X-Forwarded-For values (headers[0..count), in arrival order; comma-separated entries)
 * from the right: the first entry that is not trusted is the client; an entry that is not an
 * address stops the walk and makes the client CLIENT_ADDRESS_UNKNOWN; when every entry is
 * trusted, the left-most one (or the peer when there are none). truncated: earlier headers
 * were dropped (then a walk that runs out gives CLIENT_ADDRESS_UNKNOWN). */
void client_address_resolve(const struct client_address_trust *trust, const char *peer,
                            const char *const *headers, size_t count, int truncated,
                            char out[CLIENT_ADDRESS_SIZE]);

/* The key sign-in failures are counted by: an IPv6 address reduced to its /64 (one subscriber
 * holds a whole /64), anything else as it is. */
void client_address_throttle_key(const char *address, char out[CLIENT_ADDRESS_SIZE]);

#endif
