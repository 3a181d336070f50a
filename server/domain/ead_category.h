/* ead_category: the categories of a work permit (EAD) a firm records, as USCIS prints them on
 * the card ("C11" for 8 CFR 274a.12(c)(11)). The one list: expirations of kind `ead` and I-765
 * filings check their `ead_category` against it, the deadline rules are limited to one of them
 * (the parole-based (c)(11) is capped, the others are not), and the dashboard reads it through
 * GET /api/v1/fields. */
#ifndef PAROLETRACK_EAD_CATEGORY_H
#define PAROLETRACK_EAD_CATEGORY_H

#include <stddef.h>

/* Every category, NULL-terminated (a choice list), in the order the API lists them (the spec's
 * `EadCategory` enum): c11 (parole), a12 and c19 (TPS granted / pending), c8 (asylum pending),
 * c9 (adjustment pending), a10 (withholding of removal), a3 (refugee), a5 (asylee), c10
 * (cancellation of removal pending), c18 (order of supervision), c33 (DACA), other. */
extern const char *const ead_category_names[];

/* The category a parole request's work permit is taken for when none is recorded: the
 * parole-based (c)(11), so its end is never shown later than that category's cap allows. */
#define EAD_CATEGORY_UNRECORDED "c11"

/* Normalise a typed category ("(c)(11)", "C11", "c-11", "C08") to its name ("c11", "c8") into
 * out: an identifier_normalizer (identifiers.h). Returns 0, or -1 with *message saying what
 * a category looks like. */
int ead_category_normalize(const char *in, char *out, size_t out_size, const char **message);

#endif
