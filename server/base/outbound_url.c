/* outbound_url: the check of a URL the server sends data to (see outbound_url.h). */
#include "outbound_url.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* True when host (len bytes, brackets of an IPv6 literal included) is this machine. */
static int host_is_loopback(const char *host, size_t len)
{
    char text[64];
    unsigned char v4[4], v6[16];
    static const unsigned char loopback6[16] = {[15] = 1};

    if (len == 0 || len >= sizeof(text))
        return 0;
    memcpy(text, host, len);
    text[len] = '\0';
    if (strcasecmp(text, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, text, v4) == 1)
        return v4[0] == 127;
    if (len > 2 && text[0] == '[' && text[len - 1] == ']') {
        text[len - 1] = '\0';
        return inet_pton(AF_INET6, text + 1, v6) == 1 && memcmp(v6, loopback6, 16) == 0;
    }
    return 0;
}

/* The port of `digits` decimal digits at text, or 0 when it is not 1..65535. */
static int atoi_port(const char *text, size_t digits)
{
    long value = 0;

    for (size_t i = 0; i < digits; i++)
        value = value * 10 + (text[i] - '0');
    return value >= 1 && value <= 65535 ? (int)value : 0;
}

int outbound_url_check(const char *url, char *why, size_t why_size)
{
    const char *authority, *end, *host_end, *port;
    int plain;

    if (strncmp(url, "https://", 8) == 0)
        authority = url + 8, plain = 0;
    else if (strncmp(url, "http://", 7) == 0)
        authority = url + 7, plain = 1;
    else {
        snprintf(why, why_size, "must start with https:// (or http:// to this machine)");
        return -1;
    }
    if (strpbrk(url, " \t\r\n#") != NULL) {
        snprintf(why, why_size, "must hold no space and no fragment (#)");
        return -1;
    }
    end = authority + strcspn(authority, "/?");
    if (memchr(authority, '@', (size_t)(end - authority)) != NULL) {
        snprintf(why, why_size, "must not carry a user name or password");
        return -1;
    }
    if (authority[0] == '[') {
        host_end = memchr(authority, ']', (size_t)(end - authority));
        host_end = host_end ? host_end + 1 : end;
    } else {
        host_end = memchr(authority, ':', (size_t)(end - authority));
        host_end = host_end ? host_end : end;
    }
    if (host_end == authority) {
        snprintf(why, why_size, "must name a host");
        return -1;
    }
    port = host_end;
    if (port < end) {
        size_t digits = (size_t)(end - port - 1);

        if (*port != ':' || digits == 0 || digits > 5 || strspn(port + 1, "0123456789") < digits ||
            atoi_port(port + 1, digits) == 0) {
            snprintf(why, why_size, "must give its port as a number from 1 to 65535");
            return -1;
        }
    }
    if (plain && !host_is_loopback(authority, (size_t)(host_end - authority))) {
        snprintf(why, why_size,
                 "must use https:// unless the receiver is on this machine (localhost, "
                 "127.0.0.1 or [::1])");
        return -1;
    }
    return 0;
}
