/* libFuzzer target: every identifier normaliser (A-number, receipt, passport, I-94 shape,
 * country, citizenship, language tag, e-mail, phone, program, document number) on any text:
 * no crash, no read or write out of bounds, and an accepted value is a string that fits. */
#include "fuzz_common.h"
#include "identifiers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const identifier_normalizer normalizers[] = {
        identifiers_a_number,        identifiers_receipt_number, identifiers_country,
        identifiers_citizenship,     identifiers_language_tag,   identifiers_email,
        identifiers_phone,           identifiers_program,        identifiers_passport_number,
        identifiers_document_number,
    };
    char *text = fuzz_text(data, size);

    for (size_t i = 0; i < sizeof(normalizers) / sizeof(normalizers[0]); i++) {
        char out[256];
        const char *message = NULL;

        memset(out, 'x', sizeof(out));
        if (normalizers[i](text, out, sizeof(out), &message) == 0 &&
            memchr(out, '\0', sizeof(out)) == NULL)
            abort(); /* accepted, but not a string within the buffer */
    }
    (void)identifiers_receipt_prefix_known(text);
    (void)identifiers_i94_number_shaped(text);
    free(text);
    return 0;
}
