/* fuzz_common: what every libFuzzer target here shares: the input as a NUL-terminated string
 * (the parsers under test take C strings, as the HTTP layer hands them over) and the list of
 * every record kind the API writes. Include it in one target file only. */
#ifndef PAROLETRACK_FUZZ_COMMON_H
#define PAROLETRACK_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

/* The input as a new NUL-terminated string (an embedded NUL ends it early, as in a header);
 * the caller frees it. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);

    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

/* Every record kind the API creates and changes. */
static const struct resource_spec *const fuzz_resources[] = {
    &clients_resource,     &parole_requests_resource, &filings_resource,
    &rfes_resource,        &interviews_resource,      &decisions_resource,
    &expirations_resource, &fee_notices_resource,     &entries_resource,
};

#endif
