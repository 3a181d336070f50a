/* filing_form: the USCIS forms a filing may be (the `form` of a filing, and the form a
 * program's termination exception names). The one list: records/filings.c checks filings
 * against it, store/program_store.c the exceptions of a program, and the dashboard reads it
 * through GET /api/v1/fields. */
#ifndef PAROLETRACK_FILING_FORM_H
#define PAROLETRACK_FILING_FORM_H

/* Every form, NULL-terminated (a choice list), in the order the API lists them (the spec's
 * `FilingForm` enum): parole (I-131, I-131F), support (I-134, I-134A), work (I-765), motions
 * (I-290B), asylum (I-589), TPS (I-821), adjustment (I-485), a relative's petition (I-130), a fee
 * waiver (I-912), a representative's notice (G-28), a change of address (AR-11), other. */
extern const char *const filing_form_names[];

/* True when `name` is one of filing_form_names (false for NULL). */
int filing_form_known(const char *name);

#endif
