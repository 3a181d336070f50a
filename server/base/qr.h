/* qr: a QR code of a text (libqrencode, the only module that includes it), as the modules of
 * its square: the authenticator app's otpauth:// URI shown at TOTP set-up, so a phone can scan
 * it instead of typing the secret. The dashboard draws the modules itself (no markup from the
 * server is ever inserted). */
#ifndef PAROLETRACK_QR_H
#define PAROLETRACK_QR_H

#include <jansson.h>

/* The QR code of `text` (error correction level M, 8-bit mode, the smallest version that
 * holds it): {"size": N, "rows": [N strings of N characters, '1' a dark module, '0' a light
 * one, top row first]}, a new object the caller owns; NULL when the text does not fit a QR
 * code or memory runs out. */
json_t *qr_modules(const char *text);

#endif
