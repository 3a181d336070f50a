/* job_runs: the last run of each nightly job (see job_runs.h). */
#include "job_runs.h"

int job_runs_record(struct db *db, const char *job, const char *started_at, const char *finished_at,
                    int succeeded, int64_t items, int64_t failures, struct problem *p)
{
    json_t *binds = json_pack("{s:s, s:s, s:s, s:i, s:I, s:I}", "job", job, "started_at",
                              started_at, "finished_at", finished_at, "succeeded", succeeded != 0,
                              "items", (json_int_t)items, "failures", (json_int_t)failures);
    int rc = db_exec_alone(db, SQL_JOB_RUN_RECORD, binds, p);

    json_decref(binds);
    return rc;
}

json_t *job_runs_list(struct db *db, struct problem *p)
{
    static const char *const bools[] = {"succeeded", NULL};

    return db_rows(db, SQL_JOB_RUNS_LIST, NULL, bools, p);
}
