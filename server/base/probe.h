/* probe: `paroletrack healthcheck`, a tiny HTTP client for container health checks, so the
 * image needs no curl: GET /healthz on a loopback address and report success by exit code. */
#ifndef PAROLETRACK_PROBE_H
#define PAROLETRACK_PROBE_H

/* GET http://<listen>/healthz (listen is "HOST:PORT" or "[V6]:PORT"; a wildcard host is asked
 * on loopback). Returns 0 when the answer is 200 within timeout_seconds, else 1. */
int probe_health(const char *listen, unsigned timeout_seconds);

#endif
