/* csv: RFC 4180 text (see csv.h). */
#include "csv.h"

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
