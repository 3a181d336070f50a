/* csv: RFC 4180 text (see csv.h). */
#include "csv.h"

#include <stdio.h>
#include <string.h>

void csv_begin(struct text_buffer *out)
{
    text_buffer_add(out, "\xEF\xBB\xBF", 3);
}

void csv_cell(struct text_buffer *out, const char *value, int first)
{
    const char *v = value ? value : "";
    int formula = v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL;
    int quoted = strpbrk(v, ",\"\r\n") != NULL;

    if (!first)
        text_buffer_add(out, ",", 1);
    if (quoted)
        text_buffer_add(out, "\"", 1);
    if (formula)
        text_buffer_add(out, "'", 1);
    for (const char *c = v; *c; c++) {
        const char *quote = strchr(c, '"');
        size_t run = quote ? (size_t)(quote - c) : strlen(c);

        text_buffer_add(out, c, run);
        c += run;
        if (*c == '\0')
            break;
        text_buffer_add(out, "\"\"", 2); /* a quote inside a quoted cell is doubled */
    }
    if (quoted)
        text_buffer_add(out, "\"", 1);
}

void csv_end_record(struct text_buffer *out)
{
    text_buffer_add(out, "\r\n", 2);
}

/* Append the cell being read to the record and start the next one. Returns 0, or -1 when the
 * cell is not UTF-8 (a spreadsheet saved in another encoding). */
static int end_cell(json_t *cells, struct text_buffer *cell)
{
    json_t *value = json_stringn(cell->data ? cell->data : "", cell->len);

    text_buffer_free(cell);
    if (value == NULL)
        return -1;
    json_array_append_new(cells, value);
    return 0;
}

/* Append the record being read (unless it is a blank line) and start the next one. */
static void end_record(json_t *records, json_t **cells, int line)
{
    size_t n = json_array_size(*cells);

    if (!(n == 1 && json_string_length(json_array_get(*cells, 0)) == 0))
        json_array_append_new(records, json_pack("{s:i, s:O}", "line", line, "cells", *cells));
    json_decref(*cells);
    *cells = json_array();
}

json_t *csv_parse(const char *text, size_t len, char *error, size_t error_size)
{
    json_t *records = json_array(), *cells = json_array();
    struct text_buffer cell = {0};
    size_t i = 0;
    int line = 1, record_line = 1, quoted = 0, after_quote = 0, started = 0;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (; i < len; i++) {
        char c = text[i];

        if (c == '\0') {
            snprintf(error, error_size, "line %d: a NUL byte", line);
            goto fail;
        }
        if (quoted) {
            if (c == '"' && i + 1 < len && text[i + 1] == '"') {
                text_buffer_add(&cell, "\"", 1);
                i++;
            } else if (c == '"') {
                quoted = 0;
                after_quote = 1;
            } else {
                if (c == '\n')
                    line++;
                text_buffer_add(&cell, &c, 1);
            }
            continue;
        }
        if (c == ',') {
            if (end_cell(cells, &cell) != 0)
                goto not_utf8;
            after_quote = 0;
            started = 1;
        } else if (c == '\r' && i + 1 < len && text[i + 1] == '\n') {
            continue; /* the LF ends the record */
        } else if (c == '\n') {
            if (end_cell(cells, &cell) != 0)
                goto not_utf8;
            end_record(records, &cells, record_line);
            after_quote = started = 0;
            record_line = ++line;
        } else if (after_quote) {
            snprintf(error, error_size, "line %d: text after a closing quote", line);
            goto fail;
        } else if (c == '"' && cell.len == 0) {
            quoted = 1;
            started = 1;
        } else {
            text_buffer_add(&cell, &c, 1);
            started = 1;
        }
    }
    if (quoted) {
        snprintf(error, error_size, "line %d: a quoted cell is never closed", record_line);
        goto fail;
    }
    if (started || cell.len > 0) {
        if (end_cell(cells, &cell) != 0)
            goto not_utf8;
        end_record(records, &cells, record_line);
    }
    json_decref(cells);
    text_buffer_free(&cell);
    return records;
not_utf8:
    snprintf(error, error_size, "line %d: not UTF-8 (save the file as CSV UTF-8)", line);
fail:
    json_decref(cells);
    json_decref(records);
    text_buffer_free(&cell);
    return NULL;
}
