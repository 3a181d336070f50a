/* identifiers: validation and normalisation of the identifiers and codes a case carries
 * (A-numbers, USCIS receipt numbers, passports, ISO 3166-1 countries, BCP 47 language tags,
 * e-mail addresses, phone numbers). Each normaliser has the same shape so field tables can
 * point at it: it reads `in`, writes the normalised text into `out` (out_size bytes) and returns
 * 0, or returns -1 and points *message at a static explanation. */
#ifndef PAROLETRACK_IDENTIFIERS_H
#define PAROLETRACK_IDENTIFIERS_H

#include <stddef.h>

typedef int (*identifier_normalizer)(const char *in, char *out, size_t out_size,
                                     const char **message);

/* "A" + 7..9 digits, or the 7..9 digits alone (spaces and dashes ignored, any case) -> "A" + 9
 * digits. */
int identifiers_a_number(const char *in, char *out, size_t out_size, const char **message);

/* USCIS receipt number: upper-cased, spaces/dashes removed, then ^[A-Z]{3}[0-9]{10}$. */
int identifiers_receipt_number(const char *in, char *out, size_t out_size, const char **message);

/* True when a normalised receipt number starts with a service-centre prefix USCIS is known to
 * use; an unknown prefix is a warning, never an error. */
int identifiers_receipt_prefix_known(const char *receipt_number);

/* ISO 3166-1 alpha-2 country code (case-insensitive in, upper-case out). */
int identifiers_country(const char *in, char *out, size_t out_size, const char **message);

/* Citizenship: a country code as identifiers_country, or "stateless" (any case). */
int identifiers_citizenship(const char *in, char *out, size_t out_size, const char **message);

/* True when an already normalised (upper-cased, separators dropped) document number has the
 * shape of an I-94 number: 11 digits (before May 2019), or since then 9 digits, a letter or
 * digit and a digit (^[0-9]{9}[A-Z0-9][0-9]$). */
int identifiers_i94_number_shaped(const char *number);

/* BCP 47 language tag, checked against the RFC 5646 syntax (returned as given). */
int identifiers_language_tag(const char *in, char *out, size_t out_size, const char **message);

/* E-mail address: local@domain, a dot in the domain, no spaces, at most 254 bytes. */
int identifiers_email(const char *in, char *out, size_t out_size, const char **message);

/* Phone number: 7..20 digits with an optional leading '+', spaces, dashes, dots, parentheses;
 * returned as given. */
int identifiers_phone(const char *in, char *out, size_t out_size, const char **message);

/* Program code: ^[a-z][a-z0-9_]{0,31}$ (u4u, oaw, frp, chnv, ...) after trimming, lower-casing
 * and joining words with '_' ("U4U" -> u4u, "Uniting for Ukraine" -> uniting_for_ukraine); the
 * store resolves a program's aliases to its code. */
int identifiers_program(const char *in, char *out, size_t out_size, const char **message);

/* Passport number: 5..20 letters/digits once spaces are removed; upper-cased. */
int identifiers_passport_number(const char *in, char *out, size_t out_size, const char **message);

/* Document number (EAD card, I-94, travel document...): 1..30 letters/digits once spaces and
 * dashes are removed; upper-cased. */
int identifiers_document_number(const char *in, char *out, size_t out_size, const char **message);

#endif
