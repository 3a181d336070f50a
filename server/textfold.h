/* textfold: the search key of a name, so that search is case- and accent-insensitive in any
 * script ("JOSÉ" and "jose" fold alike, as do "ОЛЕНА" and "олена"). Built on GNU libunistring
 * (Unicode case folding and NFD decomposition), the only module that includes it. */
#ifndef PAROLETRACK_TEXTFOLD_H
#define PAROLETRACK_TEXTFOLD_H

/* Fold UTF-8 text for matching: Unicode case fold, canonical decomposition, combining marks
 * (U+0300..U+036F) and Arabic harakat removed, control characters dropped, runs of white space
 * collapsed to one space. Returns a new NUL-terminated string that the caller frees, or NULL when
 * the input is not valid UTF-8 or memory runs out. */
char *textfold_fold(const char *text);

#endif
