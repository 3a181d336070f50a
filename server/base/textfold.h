/* textfold: the search key of a name, so that search is case- and accent-insensitive in any
 * script ("JOSÉ" and "jose" fold alike, as do "ОЛЕНА" and "олена"). Built on GNU libunistring
 * (Unicode case folding and NFD decomposition), the only module that includes it; it also
 * builds the JSON search key stored with a record (jansson). Nothing else of the project. */
#ifndef PAROLETRACK_TEXTFOLD_H
#define PAROLETRACK_TEXTFOLD_H

#include <jansson.h>
#include <stddef.h>

/* Fold UTF-8 text for matching: Unicode case fold, canonical decomposition, combining marks
 * (U+0300..U+036F) and Arabic harakat removed, control characters dropped, runs of white space
 * collapsed to one space. Returns a new NUL-terminated string that the caller frees, or NULL when
 * the input is not valid UTF-8 or memory runs out. */
char *textfold_fold(const char *text);

/* The search key of a record: each of the `count` texts folded (NULL texts give nothing), joined
 * by U+001F so that no word of a query matches across two fields. Returns a new JSON string the
 * caller owns ("" when memory runs out). */
json_t *textfold_search_key(const char *const *texts, size_t count);

#endif
