/* test_csv: the RFC 4180 cells csv writes: plain text as it is, a cell with a comma, quote, CR
 * or LF quoted (quotes doubled), a formula-looking cell (=, +, -, @, tab, CR first) neutralised
 * with an apostrophe (inside the quotes when quoted), an empty and a NULL cell empty, records
 * ended by CRLF, and the byte order mark first; and csv_parse reading it back: quoted commas,
 * doubled quotes and line breaks, CRLF or LF, a BOM skipped, blank lines skipped, each record's
 * first line, and errors naming their line. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csv.h"

/* The text of one record of the given cells (count of them), as csv writes it. A new string. */
static char *record_of(const char *const *cells, size_t count)
{
    struct text_buffer out = {0};
    char *text;

    for (size_t i = 0; i < count; i++)
        csv_cell(&out, cells[i], i == 0);
    csv_end_record(&out);
    text = strdup(out.data ? out.data : "");
    text_buffer_free(&out);
    return text;
}

/* Check that the one cell `value` is written as `expected` (plus the record's CRLF). */
static void check_cell(const char *value, const char *expected)
{
    const char *cells[] = {value};
    char *got = record_of(cells, 1), want[256];

    snprintf(want, sizeof(want), "%s\r\n", expected);
    CHECK_STR(got, want);
    free(got);
}

int main(void)
{
    struct text_buffer bom = {0};

    check_cell("Kowalenko", "Kowalenko");
    check_cell("Шевченко Олена", "Шевченко Олена");
    check_cell("", "");
    check_cell(NULL, "");
    check_cell("a,b", "\"a,b\"");
    check_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
    check_cell("line one\nline two", "\"line one\nline two\"");
    check_cell("cr\rhere", "\"cr\rhere\"");
    check_cell("\"", "\"\"\"\"");
    /* formulas a spreadsheet would run */
    check_cell("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    check_cell("=1+1", "'=1+1");
    check_cell("+1 973 555 0100", "'+1 973 555 0100");
    check_cell("-5", "'-5");
    check_cell("@SUM(A1)", "'@SUM(A1)");
    check_cell("\tTAB", "'\tTAB");
    check_cell("\rx", "\"'\rx\"");
    check_cell("a=b", "a=b");
    {
        const char *cells[] = {"1", NULL, "x,y", "2026-12-07"};
        char *got = record_of(cells, 4);

        CHECK_STR(got, "1,,\"x,y\",2026-12-07\r\n");
        free(got);
    }
    {
        const char text[] = "\xEF\xBB\xBF"
                            "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\n"
                            "\"two\nlines\",\r\nlast,row";
        char error[128] = "";
        json_t *rows = csv_parse(text, sizeof(text) - 1, error, sizeof(error));
        char *dumped = rows ? json_dumps(rows, JSON_COMPACT) : NULL;

        CHECK_STR(dumped ? dumped : error,
                  "[{\"line\":1,\"cells\":[\"a\",\"b\"]},{\"line\":2,\"cells\":[\"x, y\","
                  "\"say \\\"hi\\\"\"]},{\"line\":4,\"cells\":[\"two\\nlines\",\"\"]},"
                  "{\"line\":6,\"cells\":[\"last\",\"row\"]}]");
        free(dumped);
        json_decref(rows);
        CHECK(csv_parse("a\n\"open,b\n", 10, error, sizeof(error)) == NULL);
        CHECK_STR(error, "line 2: a quoted cell is never closed");
        CHECK(csv_parse("\"q\"x,b\n", 7, error, sizeof(error)) == NULL);
        CHECK_STR(error, "line 1: text after a closing quote");
        CHECK(csv_parse("a,b\nJos\xE9,x\n", 12, error, sizeof(error)) == NULL);
        CHECK_STR(error, "line 2: not UTF-8 (save the file as CSV UTF-8)");
        rows = csv_parse("", 0, error, sizeof(error));
        CHECK(rows != NULL && json_array_size(rows) == 0);
        json_decref(rows);
    }
    csv_begin(&bom);
    CHECK(bom.len == 3 && memcmp(bom.data, "\xEF\xBB\xBF", 3) == 0);
    text_buffer_free(&bom);
    return CHECK_DONE();
}
