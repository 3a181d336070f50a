/* request_metrics: the HTTP layer's counters for /metrics, kept in memory since the process
 * started: answers by method, route pattern and status, and a latency histogram by method and
 * route. Labels are the route table's patterns (never a path or a value), so their number is
 * bounded. Thread-safe (one mutex; an observation is a few additions). A base module: no
 * database, no records. */
#ifndef PAROLETRACK_REQUEST_METRICS_H
#define PAROLETRACK_REQUEST_METRICS_H

#include <stdint.h>

#include "text_buffer.h"

/* Count one answered request: method and route are static labels ("GET", "/api/v1/clients";
 * "-" for no route), status its HTTP status, micros how long it took. */
void request_metrics_observe(const char *method, const char *route, int status, int64_t micros);

/* Append the counters in the Prometheus text exposition format (version 0.0.4):
 * paroletrack_http_requests_total{method,route,status} and the histogram
 * paroletrack_http_request_duration_seconds{method,route} with its buckets, sum and count. */
void request_metrics_write(struct text_buffer *out);

#endif
