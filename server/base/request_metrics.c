/* request_metrics: in-memory HTTP counters (see request_metrics.h). */
#include "request_metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The latency buckets' upper bounds (seconds), as Prometheus client libraries default to. */
static const double bucket_bounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define BUCKETS (sizeof(bucket_bounds) / sizeof(bucket_bounds[0]))

/* The most series kept; later ones are counted under route "other" (never happens with the
 * route table's ~80 patterns, but the memory stays bounded whatever comes). */
#define MAX_SERIES 512
#define MAX_ROUTES 256

struct status_series {
    const char *method, *route;
    int status;
    uint64_t count;
};

struct route_series {
    const char *method, *route;
    uint64_t buckets[BUCKETS]; /* cumulative counts are built when written */
    uint64_t count;
    double sum;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct status_series statuses[MAX_SERIES];
static size_t status_count;
static struct route_series routes[MAX_ROUTES];
static size_t route_count;

/* The series of (method, route, status), created when new; NULL when the table is full. */
static struct status_series *status_series_of(const char *method, const char *route, int status)
{
    for (size_t i = 0; i < status_count; i++)
        if (statuses[i].status == status && strcmp(statuses[i].route, route) == 0 &&
            strcmp(statuses[i].method, method) == 0)
            return &statuses[i];
    if (status_count == MAX_SERIES)
        return NULL;
    statuses[status_count] = (struct status_series){method, route, status, 0};
    return &statuses[status_count++];
}

/* The histogram of (method, route), created when new; NULL when the table is full. */
static struct route_series *route_series_of(const char *method, const char *route)
{
    for (size_t i = 0; i < route_count; i++)
        if (strcmp(routes[i].route, route) == 0 && strcmp(routes[i].method, method) == 0)
            return &routes[i];
    if (route_count == MAX_ROUTES)
        return NULL;
    memset(&routes[route_count], 0, sizeof(routes[route_count]));
    routes[route_count].method = method;
    routes[route_count].route = route;
    return &routes[route_count++];
}

void request_metrics_observe(const char *method, const char *route, int status, int64_t micros)
{
    double seconds = (double)(micros < 0 ? 0 : micros) / 1e6;
    struct status_series *s;
    struct route_series *r;

    pthread_mutex_lock(&lock);
    s = status_series_of(method, route, status);
    if (s == NULL)
        s = status_series_of("OTHER", "other", 0);
    if (s != NULL)
        s->count++;
    r = route_series_of(method, route);
    if (r == NULL)
        r = route_series_of("OTHER", "other");
    if (r != NULL) {
        for (size_t b = 0; b < BUCKETS; b++)
            if (seconds <= bucket_bounds[b]) {
                r->buckets[b]++;
                break;
            }
        r->count++;
        r->sum += seconds;
    }
    pthread_mutex_unlock(&lock);
}

void request_metrics_write(struct text_buffer *out)
{
    pthread_mutex_lock(&lock);
    text_buffer_printf(
        out, "# HELP paroletrack_http_requests_total HTTP requests answered, by method, route "
             "pattern and status.\n# TYPE paroletrack_http_requests_total counter\n");
    for (size_t i = 0; i < status_count; i++)
        text_buffer_printf(
            out, "paroletrack_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
            statuses[i].method, statuses[i].route, statuses[i].status,
            (unsigned long long)statuses[i].count);
    text_buffer_printf(
        out, "# HELP paroletrack_http_request_duration_seconds Time from a request's first byte "
             "to its answer, by method and route pattern.\n"
             "# TYPE paroletrack_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < route_count; i++) {
        const struct route_series *r = &routes[i];
        uint64_t cumulative = 0;

        for (size_t b = 0; b < BUCKETS; b++) {
            cumulative += r->buckets[b];
            text_buffer_printf(
                out,
                "paroletrack_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                "le=\"%g\"} %llu\n",
                r->method, r->route, bucket_bounds[b], (unsigned long long)cumulative);
        }
        text_buffer_printf(
            out,
            "paroletrack_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
            "le=\"+Inf\"} %llu\n",
            r->method, r->route, (unsigned long long)r->count);
        text_buffer_printf(
            out, "paroletrack_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
            r->method, r->route, r->sum);
        text_buffer_printf(
            out,
            "paroletrack_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
            r->method, r->route, (unsigned long long)r->count);
    }
    pthread_mutex_unlock(&lock);
}
