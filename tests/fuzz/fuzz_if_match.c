/* libFuzzer target: the If-Match header of a PATCH or DELETE (call_parse_if_match): no crash,
 * and an accepted header names at most the versions it can hold. */
#include "call.h"
#include "fuzz_common.h"
#include "problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    struct if_match cond;
    struct problem p;

    problem_init(&p);
    if (call_parse_if_match(text, &cond, &p) == 0 && cond.count > IF_MATCH_MAX_TAGS)
        abort();
    problem_clear(&p);
    free(text);
    return 0;
}
