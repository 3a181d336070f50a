/* libFuzzer target: a JSON request body through every record kind's validators, as a create
 * and as a merge patch of a record that passed them (fields_check_create, fields_check_patch):
 * no crash, no leak, whatever the body. */
#include <jansson.h>

#include "fields.h"
#include "fuzz_common.h"
#include "problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

    if (body == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(fuzz_resources) / sizeof(fuzz_resources[0]); i++) {
        struct problem p;
        json_t *created, *patched;

        problem_init(&p);
        created = fields_check_create(&fuzz_resources[i]->table, body, "2026-12-07", &p);
        problem_clear(&p);
        if (created != NULL) {
            patched =
                fields_check_patch(&fuzz_resources[i]->table, created, body, "2026-12-07", &p);
            problem_clear(&p);
            json_decref(patched);
        }
        json_decref(created);
    }
    json_decref(body);
    return 0;
}
