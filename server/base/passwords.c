/* passwords: the password policy and generated passwords, on top of cracklib. */
#include "passwords.h"

#include "crypto.h"

#include <crack.h>
#include <packer.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* cracklib keeps static state (one open dictionary at a time, a block cache), so every call into
 * it, ours included, holds this lock. */
static pthread_mutex_t cracklib_lock = PTHREAD_MUTEX_INITIALIZER;

#define WORD_MAX      (MAXWORDLEN - 1) /* longest word the cracklib dictionary holds */
#define WORD_MIN      3                /* shorter letter runs are not worth a look-up */
#define PERSONAL_MIN  4                /* shortest name or address word a password may not hold */
#define IDENTITY_SIZE 256              /* local part and name as handed to cracklib */

static const char msg_short[] = "The password must be at least 12 characters long.";
static const char msg_long[] = "The password is too long: use at most 1024 characters (fewer with "
                               "accented or non-Latin letters).";
static const char msg_utf8[] = "The password must be valid UTF-8 text.";
static const char msg_control[] =
    "The password must not contain control characters such as tabs or line breaks.";
static const char msg_personal[] = "The password must not contain your name or e-mail address.";
static const char msg_dictionary[] =
    "The password is based on a dictionary word or a common password; several unrelated words "
    "make a stronger one.";
static const char msg_sequence[] =
    "The password is based on a keyboard or alphabet sequence; choose something less predictable.";
static const char msg_simple[] =
    "The password is too simple or systematic; choose something less predictable.";
static const char msg_repeat[] = "The password does not use enough different characters.";
static const char msg_number[] =
    "The password looks like an identification number; choose something less predictable.";
static const char msg_guessable[] =
    "The password is too easy to guess; choose a longer, less predictable one, such as several "
    "unrelated words.";
static const char msg_unavailable[] =
    "The password cannot be checked right now; please try again later.";

/* cracklib's refusals (their English text, as 2.9 words them) and what the user reads instead.
 * Anything else, such as a translated refusal, reads msg_guessable. */
static const struct {
    const char *cracklib;
    const char *message;
} cracklib_messages[] = {
    {"it is WAY too short", msg_short},
    {"it is too short", msg_short},
    {"it is all whitespace", msg_guessable},
    {"it is based on your username", msg_personal},
    {"it is based upon your password entry", msg_personal},
    {"it is derived from your password entry", msg_personal},
    {"it's derived from your password entry", msg_personal},
    {"it is derivable from your password entry", msg_personal},
    {"it's derivable from your password entry", msg_personal},
    {"it does not contain enough DIFFERENT characters", msg_repeat},
    {"it is too simplistic/systematic", msg_simple},
    {"it looks like a National Insurance number.", msg_number},
    {"it is based on a dictionary word", msg_dictionary},
    {"it is based on a (reversed) dictionary word", msg_dictionary},
};

/* Keyboard rows run together (so a walk from one row into the next counts), keyboard columns
 * (QWERTY, with and without the digit row), the alphabet and the digits. */
static const char *const sequences[] = {
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "qazwsxedcrfvtgbyhnujmikolp",
    "abcdefghijklmnopqrstuvwxyz",
    "1234567890",
};

/* c lower-cased when it is an ASCII capital; any other byte as it is (locale-independent). */
static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* True for an ASCII letter (locale-independent). */
static int is_ascii_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* True for a byte that belongs to a word of a name or address: an ASCII letter or digit, or any
 * byte of a non-ASCII UTF-8 character. */
static int is_word_byte(char c)
{
    return is_ascii_letter(c) || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* True when the needle_len bytes of needle occur in the hay_len bytes of hay, ASCII letters
 * compared without regard to case. */
static int contains_folded(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
    if (needle_len == 0 || needle_len > hay_len)
        return 0;
    for (size_t i = 0; i + needle_len <= hay_len; i++) {
        size_t j = 0;

        while (j < needle_len && ascii_lower(hay[i + j]) == ascii_lower(needle[j]))
            j++;
        if (j == needle_len)
            return 1;
    }
    return 0;
}

/* The length of the UTF-8 sequence that starts with the byte lead (1..4), or 0 when lead cannot
 * start one: a continuation byte, C0 or C1 (only overlong forms start so), F5..FF (only code
 * points past U+10FFFF). */
static size_t utf8_length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead >= 0xE0 && lead <= 0xEF)
        return 3;
    if (lead >= 0xF0 && lead <= 0xF4)
        return 4;
    return 0;
}

/* Check that password (len bytes) is at most PASSWORD_MAX_BYTES of valid UTF-8 (no overlong
 * forms, surrogates or code points past U+10FFFF) without control characters (C0, DEL, C1), and
 * at least PASSWORD_MIN_CHARS code points. Returns NULL, or the static message of the refusal. */
static const char *check_text(const char *password, size_t len)
{
    const unsigned char *s = (const unsigned char *)password;
    size_t i = 0, chars = 0;

    if (len > PASSWORD_MAX_BYTES)
        return msg_long;
    while (i < len) {
        size_t n = utf8_length(s[i]);
        unsigned long cp = n <= 1 ? s[i] : s[i] & (0x7Fu >> n); /* the lead's payload bits */

        if (n == 0 || i + n > len)
            return msg_utf8;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return msg_utf8;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return msg_utf8;
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            return msg_control;
        i += n;
        chars++;
    }
    return chars < PASSWORD_MIN_CHARS ? msg_short : NULL;
}

/* True when password (len bytes) is contained in the text_len bytes of text, or contains one of
 * its words of PERSONAL_MIN or more bytes; ASCII letters compared without regard to case. */
static int mentions(const char *password, size_t len, const char *text, size_t text_len)
{
    size_t start = 0;

    if (contains_folded(text, text_len, password, len))
        return 1;
    while (start < text_len) {
        size_t end = start;

        while (end < text_len && is_word_byte(text[end]))
            end++;
        if (end - start >= PERSONAL_MIN &&
            contains_folded(password, len, text + start, end - start))
            return 1;
        start = end + 1;
    }
    return 0;
}

/* Copy the n bytes at text, lower-cased, into out (WORD_MAX + 1 bytes), undoing the usual
 * letter-for-symbol swaps when leet is set (one_as is the letter 1 stands for). Reversed when
 * reverse is set. */
static void word_variant(const char *text, size_t n, int leet, char one_as, int reverse,
                         char out[WORD_MAX + 1])
{
    static const char from[] = "0345789@$!", to[] = "oeastbgasi";

    for (size_t i = 0; i < n; i++) {
        char c = ascii_lower(text[reverse ? n - 1 - i : i]);
        const char *swap = leet ? strchr(from, c) : NULL;

        if (leet && c == '1')
            c = one_as;
        else if (swap != NULL)
            c = to[swap - from];
        out[i] = c;
    }
    out[n] = '\0';
}

/* True when word is a run of 4 or more characters of a keyboard row or column, the alphabet or the
 * digits. */
static int is_sequence(const char *word)
{
    if (strlen(word) < 4)
        return 0;
    for (size_t i = 0; i < sizeof(sequences) / sizeof(sequences[0]); i++)
        if (strstr(sequences[i], word) != NULL)
            return 1;
    return 0;
}

/* Look at the n bytes at text in six forms, all lower-cased: as typed, with the usual swaps
 * (p@ssw0rd) undone reading 1 as i, then as l, and each of those reversed. Returns msg_dictionary
 * when a form is a word of the cracklib dictionary dict (missing is what FindPW answers for a word
 * it does not hold), msg_sequence when one is a keyboard, alphabet or digit run, else NULL. */
static const char *check_forms(PWDICT *dict, unsigned missing, const char *text, size_t n)
{
    char word[WORD_MAX + 1];

    if (n < WORD_MIN || n > WORD_MAX)
        return NULL;
    for (int form = 0; form < 6; form++) {
        word_variant(text, n, form % 3 != 0, form % 3 == 2 ? 'l' : 'i', form >= 3, word);
        if (FindPW(dict, word) != missing)
            return msg_dictionary;
        if (is_sequence(word))
            return msg_sequence;
    }
    return NULL;
}

/* Check the whole password (len bytes), then its core: what lies between its first and its last
 * ASCII letter, once the digits and symbols added before and after are taken off
 * ("!!Passw0rd!!2024" -> "Passw0rd"). Returns the static message of a refusal, or NULL. Called
 * with cracklib_lock held. */
static const char *check_words(PWDICT *dict, unsigned missing, const char *password, size_t len)
{
    size_t first = 0, last = len;
    const char *found = check_forms(dict, missing, password, len);

    while (first < len && !is_ascii_letter(password[first]))
        first++;
    while (last > first && !is_ascii_letter(password[last - 1]))
        last--;
    if (found == NULL)
        found = check_forms(dict, missing, password + first, last - first);
    return found;
}

/* The length of the shortest unit that password (len bytes) repeats ("trustno1trustno1" -> 8),
 * ASCII letters compared without regard to case; len when it repeats nothing. */
static size_t repeated_unit(const char *password, size_t len)
{
    for (size_t unit = 1; unit <= len / 2; unit++) {
        size_t i = unit;

        if (len % unit != 0)
            continue;
        while (i < len && ascii_lower(password[i]) == ascii_lower(password[i - unit]))
            i++;
        if (i == len)
            return unit;
    }
    return len;
}

/* The user-facing sentence for a cracklib refusal. */
static const char *translate_cracklib(const char *refusal)
{
    for (size_t i = 0; i < sizeof(cracklib_messages) / sizeof(cracklib_messages[0]); i++)
        if (strcmp(refusal, cracklib_messages[i].cracklib) == 0)
            return cracklib_messages[i].message;
    return msg_guessable;
}

/* Run the dictionary checks (check_words on the password and on the unit it repeats, if any, then
 * cracklib's FascistCheckUser with the address's local part as user name and the name as GECOS)
 * under cracklib_lock. Returns 0, -1 with *message set on a refusal, or -2 with *message set when
 * the dictionary cannot be read. */
static int check_dictionary(const char *password, size_t len, const char *user, const char *gecos,
                            const char **message)
{
    char mode[] = "r", empty[] = "";
    const char *path = GetDefaultCracklibDict(), *refusal;
    PWDICT *dict = NULL;
    unsigned missing;
    size_t unit;
    int rc = -2;

    *message = msg_unavailable;
    unit = repeated_unit(password, len);
    pthread_mutex_lock(&cracklib_lock);
    /* cracklib holds one dictionary open at a time: ours is closed before FascistCheckUser. */
    dict = PWOpen(path, mode);
    if (dict == NULL)
        goto out;
    missing = FindPW(dict, empty);
    *message = check_words(dict, missing, password, len);
    if (*message == NULL && unit < len)
        *message = check_words(dict, missing, password, unit);
    PWClose(dict);
    dict = NULL;
    if (*message != NULL) {
        rc = -1;
        goto out;
    }
    refusal = FascistCheckUser(password, path, user, gecos);
    if (refusal == NULL) {
        rc = 0;
    } else if (strncmp(refusal, "error loading dictionary", 24) == 0 ||
               strcmp(refusal, "memory allocation error") == 0) {
        *message = msg_unavailable;
    } else {
        *message = translate_cracklib(refusal);
        rc = -1;
    }
out:
    if (dict != NULL)
        PWClose(dict);
    pthread_mutex_unlock(&cracklib_lock);
    return rc;
}

int passwords_check_policy(const char *password, const char *email, const char *name,
                           const char **message)
{
    char user[IDENTITY_SIZE] = "", gecos[IDENTITY_SIZE] = "";
    size_t len, local_len = 0;
    int rc = -1;

    *message = msg_short;
    if (password == NULL)
        goto out;
    len = strlen(password);
    *message = check_text(password, len);
    if (*message != NULL)
        goto out;
    if (email != NULL) {
        const char *at = strrchr(email, '@');

        local_len = at != NULL ? (size_t)(at - email) : strlen(email);
        snprintf(user, sizeof(user), "%.*s",
                 (int)(local_len < sizeof(user) ? local_len : sizeof(user) - 1), email);
    }
    if (name != NULL)
        snprintf(gecos, sizeof(gecos), "%s", name);
    if ((email != NULL && mentions(password, len, email, local_len)) ||
        (name != NULL && mentions(password, len, name, strlen(name)))) {
        *message = msg_personal;
        goto out;
    }
    rc = check_dictionary(password, len, user, gecos, message);
out:
    if (rc == 0)
        *message = NULL;
    return rc;
}

/* The characters of generated passwords, by kind, without look-alikes (no O or 0, no I, l or 1). */
static const char *const generated_kinds[] = {
    "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "abcdefghijkmnopqrstuvwxyz",
    "23456789",
    "!#%+-.=?@_",
};

#define GENERATE_ATTEMPTS 32

/* True when the password holds at least one character of every kind. */
static int has_every_kind(const char *password)
{
    for (size_t k = 0; k < sizeof(generated_kinds) / sizeof(generated_kinds[0]); k++)
        if (strpbrk(password, generated_kinds[k]) == NULL)
            return 0;
    return 1;
}

int passwords_generate(char *out, size_t out_size)
{
    char alphabet[128] = "";
    const char *message;
    int rc = -1;

    if (out == NULL || out_size < PASSWORD_GENERATED_LEN + 1)
        goto out;
    for (size_t k = 0; k < sizeof(generated_kinds) / sizeof(generated_kinds[0]); k++)
        strcat(alphabet, generated_kinds[k]);
    for (int attempt = 0; attempt < GENERATE_ATTEMPTS && rc != 0; attempt++) {
        crypto_random_chars(alphabet, out, PASSWORD_GENERATED_LEN);
        out[PASSWORD_GENERATED_LEN] = '\0';
        if (has_every_kind(out) && passwords_check_policy(out, NULL, NULL, &message) == 0)
            rc = 0;
    }
out:
    if (rc != 0 && out != NULL && out_size > 0)
        memset(out, 0, out_size);
    return rc;
}
