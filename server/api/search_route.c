/* search_route: the search box's route (see search_route.h). */
#include "search_route.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

/* Read q and limit from the query; anything else, a repeat, or a limit out of range is a field
 * error. Returns 0, or -1 with a 400 in *p. */
static int read_query(const struct call_request *request, const char **q, int64_t *limit,
                      struct problem *p)
{
    int seen_q = 0, seen_limit = 0;

    *q = NULL;
    *limit = SEARCH_LIMIT_DEFAULT;
    for (size_t i = 0; i < request->query_count; i++) {
        const struct query_param *param = &request->query[i];

        if (strcmp(param->name, "q") == 0 && !seen_q++) {
            *q = param->value;
        } else if (strcmp(param->name, "limit") == 0 && !seen_limit++) {
            char *end;
            long long n;

            errno = 0;
            n = strtoll(param->value, &end, 10);
            if (errno != 0 || end == param->value || *end != '\0' || n < 1 || n > SEARCH_LIMIT_MAX)
                problem_add_field(p, "limit", "must be a whole number from 1 to %d",
                                  SEARCH_LIMIT_MAX);
            else
                *limit = n;
        } else {
            problem_add_field(p, param->name,
                              seen_q > 1 || seen_limit > 1 ? "must be given at most once"
                                                           : "is not a parameter of the search");
        }
    }
    if (!problem_has_field_errors(p))
        return 0;
    return problem_set(p, PROBLEM_INVALID_QUERY, "the search's query parameters are invalid");
}

void search_route_get(struct call *call, struct call_reply *reply)
{
    const char *q;
    int64_t limit;
    json_t *found;

    if (read_query(call->request, &q, &limit, &call->p) != 0)
        return;
    found = search_run(call->db, q, limit, &call->ctx, &call->p);
    if (found != NULL)
        call_reply_json(reply, 200, found);
}
