/* metrics_route: GET /metrics (see metrics_route.h). */
#include "metrics_route.h"

#include <stdio.h>

#include "audit_batch.h"
#include "job_runs.h"
#include "request_metrics.h"
#include "text_buffer.h"
#include "webhook_outbox.h"
#include "write.h"

/* The nightly jobs' last runs as gauges. */
static void job_gauges(struct text_buffer *out, const json_t *runs)
{
    static const struct {
        const char *name, *help, *member;
    } gauges[] = {
        {"paroletrack_job_last_run_finished_timestamp_seconds",
         "When the job's last run finished (Unix time).", "finished_epoch"},
        {"paroletrack_job_last_run_success", "1 when the job's last run delivered everything.",
         "succeeded"},
        {"paroletrack_job_last_run_duration_seconds", "How long the job's last run took.",
         "duration_seconds"},
        {"paroletrack_job_last_run_items", "What the job's last run handled (reminders due).",
         "items"},
        {"paroletrack_job_last_run_failures", "Deliveries the job's last run could not make.",
         "failures"},
    };
    const json_t *run;
    size_t i;

    for (size_t g = 0; g < sizeof(gauges) / sizeof(gauges[0]); g++) {
        text_buffer_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", gauges[g].name, gauges[g].help,
                           gauges[g].name);
        json_array_foreach(runs, i, run)
        {
            const json_t *v = json_object_get(run, gauges[g].member);
            double value = json_is_boolean(v) ? (json_is_true(v) ? 1 : 0) : json_number_value(v);

            text_buffer_printf(out, "%s{job=\"%s\"} %.6g\n", gauges[g].name,
                               json_string_value(json_object_get(run, "job")), value);
        }
    }
}

/* The two group commits (write.h's changes, audit_batch.h's audited reads): how many commits
 * (each one fsync) and how much they carried, so an operator sees writes sharing commits. */
static void group_commit_counters(struct text_buffer *out)
{
    struct write_batch_stats w;
    struct audit_batch_stats a;

    write_batch_stats(&w);
    audit_batch_stats(&a);
    text_buffer_printf(
        out,
        "# HELP paroletrack_write_commits_total Write transactions committed for changes "
        "(each one fsync; changes waiting at the same time share one).\n"
        "# TYPE paroletrack_write_commits_total counter\n"
        "paroletrack_write_commits_total %lld\n"
        "# HELP paroletrack_write_changes_total Changes run in those transactions, committed "
        "or refused.\n"
        "# TYPE paroletrack_write_changes_total counter\n"
        "paroletrack_write_changes_total %lld\n"
        "# HELP paroletrack_write_changes_queued Changes waiting for a commit right now.\n"
        "# TYPE paroletrack_write_changes_queued gauge\n"
        "paroletrack_write_changes_queued %lld\n"
        "# HELP paroletrack_audit_read_commits_total Commits of audited reads' events.\n"
        "# TYPE paroletrack_audit_read_commits_total counter\n"
        "paroletrack_audit_read_commits_total %lld\n"
        "# HELP paroletrack_audit_read_events_total Audited reads' events those commits held.\n"
        "# TYPE paroletrack_audit_read_events_total counter\n"
        "paroletrack_audit_read_events_total %lld\n"
        "# HELP paroletrack_audit_read_commit_failures_total Commits of audited reads' events "
        "that failed (their reads were refused).\n"
        "# TYPE paroletrack_audit_read_commit_failures_total counter\n"
        "paroletrack_audit_read_commit_failures_total %lld\n",
        (long long)w.commits, (long long)w.changes, (long long)w.queued, (long long)a.commits,
        (long long)a.events, (long long)a.failures);
}

void metrics_route_get(struct call *call, struct call_reply *reply)
{
    struct text_buffer out = {0};
    json_t *runs = NULL;
    int64_t size = 0, pending = 0, failed = 0, oldest = 0;

    if (call_refuse_query(call->request, &call->p) != 0)
        return;
    if (db_begin_read(call->db, &call->p) != 0)
        return;
    if (db_scalar_int(call->db, SQL_DATABASE_SIZE, NULL, &size, &call->p) == 0 &&
        webhook_outbox_backlog(call->db, &pending, &failed, &oldest, &call->p) == 0)
        runs = job_runs_list(call->db, &call->p);
    db_rollback(call->db);
    if (runs == NULL)
        return;
    request_metrics_write(&out);
    text_buffer_printf(&out,
                       "# HELP paroletrack_database_size_bytes The database file's size.\n"
                       "# TYPE paroletrack_database_size_bytes gauge\n"
                       "paroletrack_database_size_bytes %lld\n",
                       (long long)size);
    text_buffer_printf(&out,
                       "# HELP paroletrack_database_wal_size_bytes The write-ahead log's size.\n"
                       "# TYPE paroletrack_database_wal_size_bytes gauge\n"
                       "paroletrack_database_wal_size_bytes %lld\n",
                       (long long)db_wal_bytes(call->db));
    text_buffer_printf(&out,
                       "# HELP paroletrack_webhook_deliveries_pending Webhook deliveries not yet "
                       "accepted by their endpoint (the outbox backlog).\n"
                       "# TYPE paroletrack_webhook_deliveries_pending gauge\n"
                       "paroletrack_webhook_deliveries_pending %lld\n"
                       "# HELP paroletrack_webhook_deliveries_failed Webhook deliveries given up "
                       "after three days, kept in the delivery log.\n"
                       "# TYPE paroletrack_webhook_deliveries_failed gauge\n"
                       "paroletrack_webhook_deliveries_failed %lld\n"
                       "# HELP paroletrack_webhook_oldest_pending_timestamp_seconds When the "
                       "oldest event still waiting for delivery happened (0: none).\n"
                       "# TYPE paroletrack_webhook_oldest_pending_timestamp_seconds gauge\n"
                       "paroletrack_webhook_oldest_pending_timestamp_seconds %lld\n",
                       (long long)pending, (long long)failed, (long long)oldest);
    group_commit_counters(&out);
    job_gauges(&out, runs);
    json_decref(runs);
    if (out.failed) {
        text_buffer_free(&out);
        problem_set(&call->p, PROBLEM_INTERNAL, "out of memory writing the metrics");
        return;
    }
    call_reply_text(reply, 200, out.data, "text/plain; version=0.0.4; charset=utf-8");
}
