/* metrics_route: GET /metrics, the Prometheus text exposition (version 0.0.4) for an operator's
 * monitoring: the HTTP answers and latencies since the process started (base/request_metrics),
 * the database and write-ahead log sizes, and each nightly job's last run (store/job_runs).
 * Only an API key with the `metrics` scope reads it. Handler layer. */
#ifndef PAROLETRACK_METRICS_ROUTE_H
#define PAROLETRACK_METRICS_ROUTE_H

#include "call.h"

/* GET /metrics. */
void metrics_route_get(struct call *call, struct call_reply *reply);

#endif
