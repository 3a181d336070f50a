/* records: helpers shared by the resource specs. */
#include "records.h"

#include <string.h>

void records_check_order(const json_t *record, const char *earlier_field, const char *later_field,
                         const char *message, struct problem *p)
{
    const char *earlier = json_string_value(json_object_get(record, earlier_field));
    const char *later = json_string_value(json_object_get(record, later_field));

    if (earlier != NULL && later != NULL && strcmp(later, earlier) < 0)
        problem_add_field(p, later_field, "%s (%s is %s)", message, earlier_field, earlier);
}
