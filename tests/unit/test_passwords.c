/* Unit tests of passwords: the policy (length, text, personal information, dictionary and common
 * passwords) and generated passwords. Needs the cracklib dictionary (cracklib-runtime). */
#include "check.h"
#include "passwords.h"

#include <pthread.h>
#include <string.h>

#define EMAIL "maria.gonzalez+intake@firm.example"
#define NAME  "Maria Gonzalez"

/* Check password for the test user: returns the policy's answer, and fails a check when a
 * refusal comes without a message, an acceptance with one, or a message quotes the password. */
static int policy(const char *password)
{
    const char *message = "unset";
    int rc = passwords_check_policy(password, EMAIL, NAME, &message);

    CHECK(rc == 0 ? message == NULL : message != NULL && message[0] != '\0');
    if (rc != 0 && message != NULL && password != NULL && password[0] != '\0')
        CHECK(strstr(message, password) == NULL);
    return rc;
}

/* The message the policy gives for password, or NULL when it accepts it. */
static const char *refusal(const char *password)
{
    const char *message = NULL;

    passwords_check_policy(password, EMAIL, NAME, &message);
    return message;
}

static void test_length(void)
{
    char text[1100];

    CHECK(policy("") == -1);
    CHECK(policy(NULL) == -1);
    CHECK(policy("Xq7#mP2!vL9") == -1); /* 11 characters */
    CHECK_STR(refusal("Xq7#mP2!vL9"), "The password must be at least 12 characters long.");
    CHECK(policy("Xq7#mP2!vL9@") == 0); /* 12 */
    /* 11 characters but 13 bytes: too short, since characters are counted. */
    CHECK(policy("Xq7#mP2!v\xc3\xa9\xc3\xa9") == -1);
    CHECK(policy("Xq7#mP2!v\xc3\xa9\xc3\xa9Z") == 0);

    memset(text, 0, sizeof(text));
    for (int i = 0; i < 1024; i++)
        text[i] = "Xq7#mP2!vL9@kR4$wT"[i % 18];
    CHECK(policy(text) == 0); /* 1024 bytes */
    text[1024] = 'Z';
    CHECK(policy(text) == -1); /* 1025 bytes */
    CHECK(strstr(refusal(text), "too long") != NULL);
}

static void test_text(void)
{
    CHECK(policy("Tiger-lamp\tocean-47-violet") == -1);
    CHECK(policy("Tiger-lamp-ocean-47-violet\n") == -1);
    CHECK(policy("Tiger-lamp-ocean-47-violet\x7f") == -1);
    CHECK(policy("Tiger-lamp-ocean-47-viol\xc2\x85t") == -1); /* C1 NEL */
    CHECK_STR(refusal("Tiger-lamp\rocean-47-violet"),
              "The password must not contain control characters such as tabs or line breaks.");
    CHECK(policy("Tiger-lamp-ocean-47-viol\xe9t") == -1);             /* Latin-1, not UTF-8 */
    CHECK(policy("Tiger-lamp-ocean-47-viol\xc3") == -1);              /* truncated sequence */
    CHECK(policy("Tiger-lamp-ocean-47-viol\xc0\xaft") == -1);         /* overlong '/' */
    CHECK(policy("Tiger-lamp-ocean-47-viol\xed\xa0\x80t") == -1);     /* a surrogate */
    CHECK(policy("Tiger-lamp-ocean-47-viol\xf4\x90\x80\x80t") == -1); /* past U+10FFFF */
    CHECK_STR(refusal("Tiger-lamp-ocean-47-viol\xe9t"), "The password must be valid UTF-8 text.");
    CHECK(policy("Tigre-l\xc3\xa1mpara-oc\xc3\xa9\x61no-47-violeta") == 0);
    CHECK(policy("\xd0\xa2\xd0\xb8\xd0\xb3\xd1\x80-\xd0\xbb\xd0\xb0\xd0\xbc\xd0\xbf\xd0\xb0-"
                 "\xd0\xbe\xd0\xba\xd0\xb5\xd0\xb0\xd0\xbd-47") == 0); /* Cyrillic words */
    CHECK(policy("                ") == -1);
}

static void test_common(void)
{
    CHECK(policy("password1234") == -1);
    CHECK(policy("qwertyuiop123") == -1);
    CHECK(policy("123456789012") == -1);
    CHECK(policy("Password1234!") == -1);
    CHECK(policy("P@ssw0rd2024!") == -1);
    CHECK(policy("!!Passw0rd!!2024") == -1);
    CHECK(policy("iloveyou1234") == -1);
    CHECK(policy("letmein12345") == -1);
    CHECK(policy("asdfghjkl123") == -1);
    CHECK(policy("1qaz2wsx3edc") == -1);
    CHECK(policy("abcdefghijkl") == -1);
    CHECK(policy("aaaaaaaaaaaa") == -1);
    CHECK(policy("111111111111") == -1);
    CHECK_STR(refusal("qwertyuiop123"), "The password is based on a keyboard or alphabet sequence; "
                                        "choose something less predictable.");
}

static void test_dictionary(void)
{
    const char *dictionary = "The password is based on a dictionary word or a common password; "
                             "several unrelated words make a stronger one.";

    CHECK(policy("elephant12345") == -1);
    CHECK(policy("Elephantine1") == -1);
    CHECK(policy("Dragonfly1234") == -1);
    CHECK(policy("sunshine2024!") == -1);
    CHECK(policy("2024-Butterfly!") == -1);
    CHECK(policy("M0nk3y!!2024!") == -1); /* monkey, letters swapped for digits */
    CHECK(policy("ylfrettub2024") == -1); /* reversed */
    CHECK(policy("Extraordinary") == -1);
    CHECK(policy("Cl1mb1ng!2025") == -1);
    CHECK(policy("trustno1trustno1") == -1);     /* a common password, twice */
    CHECK(policy("Butterfly-butterfly-") == -1); /* a word, twice */
    CHECK_STR(refusal("elephant12345"), dictionary);
    CHECK_STR(refusal("P@ssw0rd2024!"), dictionary);
}

static void test_personal(void)
{
    const char *personal = "The password must not contain your name or e-mail address.";

    CHECK(policy("maria.gonzalez+intake") == -1); /* the local part itself */
    CHECK(policy("Maria.Gonzalez+Intake") == -1); /* in another case */
    CHECK(policy("gonzalez+intake") == -1);       /* contained in it */
    CHECK(policy("GONZALEZ-orchard-47") == -1);   /* contains a word of it */
    CHECK(policy("orchard-47-intake!") == -1);
    CHECK(policy("orchard-47-Maria!") == -1); /* a word of the name */
    CHECK(policy("Maria Gonzalez") == -1);    /* the name */
    CHECK_STR(refusal("GONZALEZ-orchard-47"), personal);
    CHECK_STR(refusal("zelaznog-airam"), personal); /* reversed: cracklib's GECOS check */
    /* Short words of the address and the domain are not personal. */
    CHECK(passwords_check_policy("firm-Tiger-lamp-ocean-47", "jo@firm.example", "Jo Li",
                                 &(const char *){NULL}) == 0);
    CHECK(passwords_check_policy("Jo-Tiger-lamp-ocean-47", "jo@firm.example", "Jo Li",
                                 &(const char *){NULL}) == 0);
    /* No e-mail address and no name. */
    CHECK(passwords_check_policy("Tiger-lamp-ocean-47-violet", NULL, NULL, &(const char *){NULL}) ==
          0);
    CHECK(passwords_check_policy("GONZALEZ-orchard-47", NULL, NULL, &(const char *){NULL}) == 0);
}

static void test_good(void)
{
    CHECK(policy("Tiger-lamp-ocean-47-violet") == 0);
    CHECK(policy("Xq7#mP2!vL9@kR4$") == 0);     /* 16 random characters */
    CHECK(policy("hT3$wq9Zk!pN7vRb") == 0);     /* another */
    CHECK(policy("correct staple horse") == 0); /* words with spaces */
    CHECK(policy("Velvet tractor, 9 lemons") == 0);
    CHECK(policy("Elephant-tiger-lamp") == 0); /* a passphrase starting with a word */
}

static void test_generate(void)
{
    char password[PASSWORD_GENERATED_LEN + 1], previous[PASSWORD_GENERATED_LEN + 1] = "";
    char small[PASSWORD_GENERATED_LEN];
    int ok = 1, distinct = 1;

    for (int i = 0; i < 50; i++) {
        const char *message = "unset";

        ok &= passwords_generate(password, sizeof(password)) == 0;
        ok &= strlen(password) == PASSWORD_GENERATED_LEN;
        ok &= strspn(password, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
                               "!#%+-.=?@_") == PASSWORD_GENERATED_LEN;
        ok &= strpbrk(password, "23456789") != NULL && strpbrk(password, "!#%+-.=?@_") != NULL;
        ok &= passwords_check_policy(password, NULL, NULL, &message) == 0 && message == NULL;
        distinct &= strcmp(password, previous) != 0;
        memcpy(previous, password, sizeof(password));
    }
    CHECK(ok);
    CHECK(distinct);
    CHECK(passwords_generate(small, sizeof(small)) == -1);
}

/* Run policy checks from several threads at once: cracklib is serialised inside. */
static void *check_many(void *arg)
{
    int *bad = arg;
    const char *message;

    for (int i = 0; i < 40; i++) {
        if (passwords_check_policy("Tiger-lamp-ocean-47-violet", EMAIL, NAME, &message) != 0)
            (*bad)++;
        if (passwords_check_policy("elephant12345", EMAIL, NAME, &message) != -1)
            (*bad)++;
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t threads[4];
    int bad[4] = {0}, started = 0;

    for (int i = 0; i < 4; i++)
        if (pthread_create(&threads[i], NULL, check_many, &bad[i]) == 0)
            started++;
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    CHECK(started == 4);
    CHECK(bad[0] + bad[1] + bad[2] + bad[3] == 0);
}

int main(void)
{
    test_length();
    test_text();
    test_common();
    test_dictionary();
    test_personal();
    test_good();
    test_generate();
    test_threads();
    return CHECK_DONE();
}
