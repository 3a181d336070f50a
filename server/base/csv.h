/* csv: RFC 4180 text for spreadsheets. A cell is quoted when it holds a comma, a quote, CR or LF
 * (quotes doubled); a cell a spreadsheet would run as a formula (it starts with =, +, -, @, a
 * tab or CR) is neutralised with a leading apostrophe (OWASP's advice against CSV injection).
 * Records end with CRLF. A base module: it knows nothing of records. */
#ifndef PAROLETRACK_CSV_H
#define PAROLETRACK_CSV_H

#include <jansson.h>
#include <stddef.h>

#include "text_buffer.h"

/* The UTF-8 byte order mark spreadsheets look for, written once at the start of a file. */
void csv_begin(struct text_buffer *out);

/* Append one cell (NULL: an empty cell), preceded by a comma unless it is the record's first. */
void csv_cell(struct text_buffer *out, const char *value, int first);

/* End the record (CRLF). */
void csv_end_record(struct text_buffer *out);

/* Parse CSV text (RFC 4180: quoted cells may hold commas, quotes doubled and line breaks;
 * records end with CRLF or LF; a leading byte order mark is skipped; blank lines are skipped).
 * Returns a new array of records, each {"line": the line it starts on, "cells": [strings]},
 * or NULL with a message naming the line in error (an unclosed quote, text after a closing
 * quote, a NUL byte, a cell that is not UTF-8). */
json_t *csv_parse(const char *text, size_t len, char *error, size_t error_size);

#endif
