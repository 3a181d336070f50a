/* probe: one blocking HTTP/1.1 request over a socket, with a deadline. */
#include "probe.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* Split "HOST:PORT" / "[V6]:PORT" into host and port; a wildcard host becomes loopback. */
static int split_listen(const char *listen, char *host, size_t host_size, char *port,
                        size_t port_size)
{
    const char *colon;

    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');

        if (close == NULL || close[1] != ':' || (size_t)(close - listen) > host_size)
            return -1;
        snprintf(host, host_size, "%.*s", (int)(close - listen - 1), listen + 1);
        colon = close + 1;
    } else {
        colon = strrchr(listen, ':');
        if (colon == NULL || (size_t)(colon - listen) >= host_size)
            return -1;
        snprintf(host, host_size, "%.*s", (int)(colon - listen), listen);
    }
    snprintf(port, port_size, "%s", colon + 1);
    if (host[0] == '\0' || strcmp(host, "0.0.0.0") == 0)
        snprintf(host, host_size, "127.0.0.1");
    else if (strcmp(host, "::") == 0)
        snprintf(host, host_size, "::1");
    return port[0] ? 0 : -1;
}

int probe_health(const char *listen, unsigned timeout_seconds)
{
    char host[256], port[16], request[512], answer[64] = "";
    struct addrinfo hints = {0}, *found = NULL;
    struct timeval timeout = {.tv_sec = (time_t)timeout_seconds, .tv_usec = 0};
    int fd = -1, rc = 1;
    ssize_t got;

    if (split_listen(listen, host, sizeof(host), port, sizeof(port)) != 0)
        return 1;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &found) != 0 || found == NULL)
        return 1;
    fd = socket(found->ai_family, SOCK_STREAM, 0);
    if (fd < 0)
        goto out;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    if (connect(fd, found->ai_addr, found->ai_addrlen) != 0)
        goto out;
    snprintf(request, sizeof(request),
             "GET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", host);
    if (write(fd, request, strlen(request)) != (ssize_t)strlen(request))
        goto out;
    got = read(fd, answer, sizeof(answer) - 1);
    if (got > 0) {
        answer[got] = '\0';
        rc = strncmp(answer, "HTTP/1.1 200 ", 13) == 0 ? 0 : 1;
    }
out:
    if (fd >= 0)
        close(fd);
    freeaddrinfo(found);
    return rc;
}
