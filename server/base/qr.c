/* qr: a QR code's modules (see qr.h). */
#include "qr.h"

#include <qrencode.h>
#include <stdlib.h>

json_t *qr_modules(const char *text)
{
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    json_t *rows, *out = NULL;
    char *row;

    if (code == NULL)
        return NULL;
    rows = json_array();
    row = malloc((size_t)code->width + 1);
    if (rows == NULL || row == NULL)
        goto done;
    for (int y = 0; y < code->width; y++) {
        for (int x = 0; x < code->width; x++)
            row[x] = (code->data[y * code->width + x] & 1) ? '1' : '0'; /* bit 0: dark */
        row[code->width] = '\0';
        json_array_append_new(rows, json_string(row));
    }
    out = json_pack("{s:i, s:O}", "size", code->width, "rows", rows);
done:
    free(row);
    json_decref(rows);
    QRcode_free(code);
    return out;
}
