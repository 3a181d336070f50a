/* client_address: trusted proxy ranges, the X-Forwarded-For walk and the throttling key. */
#include "client_address.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* True for the blanks HTTP allows around list elements. */
static int blank(char c)
{
    return c == ' ' || c == '\t';
}

/* True when text[0..len) is 1..digits_max decimal digits. */
static int all_digits(const char *text, size_t len, size_t digits_max)
{
    if (len == 0 || len > digits_max)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] < '0' || text[i] > '9')
            return 0;
    return 1;
}

/* Parse a bare address (no brackets, no port, no prefix) of len bytes into *family and bytes
 * (an IPv4-mapped IPv6 address becomes IPv4). Returns 0 or -1. */
static int parse_plain(const char *text, size_t len, int *family, unsigned char bytes[16])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char buf[64];

    memset(bytes, 0, 16);
    if (len == 0 || len >= sizeof(buf) || memchr(text, '\0', len) != NULL)
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, bytes) == 1) {
        *family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, buf, bytes) != 1)
        return -1;
    *family = AF_INET6;
    if (memcmp(bytes, mapped, sizeof(mapped)) == 0) {
        memmove(bytes, bytes + 12, 4);
        memset(bytes + 4, 0, 12);
        *family = AF_INET;
    }
    return 0;
}

/* Parse an address as it appears in X-Forwarded-For or as a peer: bare, "[v6]", "[v6]:port"
 * or "v4:port". Returns 0 or -1. */
static int parse_address(const char *text, size_t len, int *family, unsigned char bytes[16])
{
    const char *colon;

    if (len > 0 && text[0] == '[') {
        const char *close = memchr(text, ']', len);
        size_t after;

        if (close == NULL)
            return -1;
        after = len - (size_t)(close + 1 - text);
        if (after != 0 && (close[1] != ':' || !all_digits(close + 2, after - 1, 5)))
            return -1;
        /* IPv6 syntax inside (an IPv4-mapped one comes out as IPv4) */
        if (memchr(text + 1, ':', (size_t)(close - text - 1)) == NULL)
            return -1;
        return parse_plain(text + 1, (size_t)(close - text - 1), family, bytes);
    }
    colon = memchr(text, ':', len);
    if (colon != NULL && memchr(colon + 1, ':', len - (size_t)(colon + 1 - text)) == NULL) {
        /* exactly one colon: IPv4 with a port */
        if (!all_digits(colon + 1, len - (size_t)(colon + 1 - text), 5) ||
            parse_plain(text, (size_t)(colon - text), family, bytes) != 0 || *family != AF_INET)
            return -1;
        return 0;
    }
    return parse_plain(text, len, family, bytes);
}

/* The address as text (inet_ntop's canonical form) into out. */
static void format_address(int family, const unsigned char bytes[16], char out[CLIENT_ADDRESS_SIZE])
{
    if (inet_ntop(family, bytes, out, CLIENT_ADDRESS_SIZE) == NULL)
        snprintf(out, CLIENT_ADDRESS_SIZE, "%s", CLIENT_ADDRESS_UNKNOWN);
}

/* True when the address is inside the range. */
static int in_range(const struct client_address_range *range, int family,
                    const unsigned char bytes[16])
{
    size_t whole = range->prefix / 8;
    unsigned rest = range->prefix % 8;

    if (range->family != family || memcmp(range->bytes, bytes, whole) != 0)
        return 0;
    return rest == 0 || ((range->bytes[whole] ^ bytes[whole]) & (0xffu << (8 - rest)) & 0xffu) == 0;
}

/* Parse one trimmed range "ADDRESS[/N]" of len bytes into *range. Returns 0, or -1 with the
 * reason in err. */
static int parse_range(const char *text, size_t len, struct client_address_range *range, char *err,
                       size_t err_size)
{
    const char *slash = memchr(text, '/', len);
    size_t address_len = slash ? (size_t)(slash - text) : len;
    unsigned long prefix;
    unsigned max;

    if (parse_plain(text, address_len, &range->family, range->bytes) != 0) {
        snprintf(err, err_size, "\"%.*s\" is not an IPv4 or IPv6 address or CIDR range",
                 (int)(len > 64 ? 64 : len), text);
        return -1;
    }
    max = range->family == AF_INET ? 32 : 128;
    if (slash == NULL) {
        range->prefix = max;
        return 0;
    }
    if (!all_digits(slash + 1, len - address_len - 1, 3)) {
        snprintf(err, err_size, "\"%.*s\": the prefix after / must be a number",
                 (int)(len > 64 ? 64 : len), text);
        return -1;
    }
    prefix = strtoul(slash + 1, NULL, 10);
    /* an IPv4-mapped IPv6 range (::ffff:a.b.c.d/N, N >= 96) was read as IPv4 */
    if (range->family == AF_INET && memchr(text, ':', address_len) != NULL) {
        if (prefix < 96 || prefix > 128) {
            snprintf(err, err_size, "\"%.*s\": an IPv4-mapped range needs a prefix of 96 to 128",
                     (int)(len > 64 ? 64 : len), text);
            return -1;
        }
        prefix -= 96;
    }
    if (prefix > max) {
        snprintf(err, err_size, "\"%.*s\": the prefix must be at most %u",
                 (int)(len > 64 ? 64 : len), text, max);
        return -1;
    }
    range->prefix = (unsigned)prefix;
    for (unsigned bit = range->prefix; bit < max; bit++)
        if (range->bytes[bit / 8] & (0x80u >> (bit % 8))) {
            snprintf(err, err_size,
                     "\"%.*s\" has bits set after the first %u (write the network address)",
                     (int)(len > 64 ? 64 : len), text, range->prefix);
            return -1;
        }
    return 0;
}

int client_address_parse_trust(const char *text, struct client_address_trust *trust, char *err,
                               size_t err_size)
{
    const char *entry = text;

    memset(trust, 0, sizeof(*trust));
    for (;;) {
        const char *comma = strchr(entry, ',');
        const char *end = comma ? comma : entry + strlen(entry);
        const char *start = entry;

        while (start < end && blank(*start))
            start++;
        while (end > start && blank(end[-1]))
            end--;
        if (end == start) {
            snprintf(err, err_size, "an empty entry");
            return -1;
        }
        if (trust->count == CLIENT_ADDRESS_MAX_RANGES) {
            snprintf(err, err_size, "at most %d ranges", CLIENT_ADDRESS_MAX_RANGES);
            return -1;
        }
        if (parse_range(start, (size_t)(end - start), &trust->ranges[trust->count], err,
                        err_size) != 0)
            return -1;
        trust->count++;
        if (comma == NULL)
            return 0;
        entry = comma + 1;
    }
}

int client_address_normalize(const char *text, size_t len, char out[CLIENT_ADDRESS_SIZE])
{
    unsigned char bytes[16];
    int family;

    if (parse_address(text, len, &family, bytes) != 0) {
        snprintf(out, CLIENT_ADDRESS_SIZE, "%s", CLIENT_ADDRESS_UNKNOWN);
        return -1;
    }
    format_address(family, bytes, out);
    return 0;
}

int client_address_trusted(const struct client_address_trust *trust, const char *address)
{
    unsigned char bytes[16];
    int family;

    if (trust == NULL || address == NULL ||
        parse_address(address, strlen(address), &family, bytes) != 0)
        return 0;
    for (size_t i = 0; i < trust->count; i++)
        if (in_range(&trust->ranges[i], family, bytes))
            return 1;
    return 0;
}

void client_address_resolve(const struct client_address_trust *trust, const char *peer,
                            const char *const *headers, size_t count, int truncated,
                            char out[CLIENT_ADDRESS_SIZE])
{
    char candidate[CLIENT_ADDRESS_SIZE];

    if (peer == NULL || client_address_normalize(peer, strlen(peer), out) != 0) {
        snprintf(out, CLIENT_ADDRESS_SIZE, "%s", CLIENT_ADDRESS_UNKNOWN);
        return;
    }
    if (!client_address_trusted(trust, out))
        return; /* the header is the client's own word: ignored */
    for (size_t h = count; h-- > 0;) {
        const char *value = headers[h];
        size_t end = value ? strlen(value) : 0;

        while (value != NULL) {
            size_t start = end, s, e;

            while (start > 0 && value[start - 1] != ',')
                start--;
            for (s = start, e = end; s < e && blank(value[s]); s++)
                ;
            while (e > s && blank(value[e - 1]))
                e--;
            if (e > s) {
                if (client_address_normalize(value + s, e - s, candidate) != 0) {
                    snprintf(out, CLIENT_ADDRESS_SIZE, "%s", CLIENT_ADDRESS_UNKNOWN);
                    return;
                }
                memcpy(out, candidate, CLIENT_ADDRESS_SIZE);
                if (!client_address_trusted(trust, candidate))
                    return;
            }
            if (start == 0)
                break;
            end = start - 1;
        }
    }
    if (truncated)
        snprintf(out, CLIENT_ADDRESS_SIZE, "%s", CLIENT_ADDRESS_UNKNOWN);
}

void client_address_throttle_key(const char *address, char out[CLIENT_ADDRESS_SIZE])
{
    unsigned char bytes[16];
    int family;

    if (address == NULL || parse_address(address, strlen(address), &family, bytes) != 0) {
        snprintf(out, CLIENT_ADDRESS_SIZE, "%s", CLIENT_ADDRESS_UNKNOWN);
        return;
    }
    if (family == AF_INET6)
        memset(bytes + 8, 0, 8);
    format_address(family, bytes, out);
}
