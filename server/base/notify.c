/* notify: SMTP and webhook deliveries through libcurl. */
#include "notify.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"

int notify_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* The message being uploaded to the SMTP server. */
struct upload {
    const char *data;
    size_t len, sent;
};

static size_t read_upload(char *buffer, size_t size, size_t count, void *userdata)
{
    struct upload *u = userdata;
    size_t room = size * count, left = u->len - u->sent;
    size_t n = left < room ? left : room;

    memcpy(buffer, u->data + u->sent, n);
    u->sent += n;
    return n;
}

/* Discard a response body. */
static size_t discard(char *data, size_t size, size_t count, void *userdata)
{
    (void)data, (void)userdata;
    return size * count;
}

/* True when the URL starts with the scheme (compared without case). */
static int has_scheme(const char *url, const char *scheme)
{
    return strncasecmp(url, scheme, strlen(scheme)) == 0;
}

int notify_smtp_check(const struct notify_smtp *smtp, char *why, size_t why_size)
{
    const char *authority, *at, *end;

    if (!has_scheme(smtp->url, "smtp://") && !has_scheme(smtp->url, "smtps://")) {
        snprintf(why, why_size, "--smtp-url must start with smtps:// or smtp://");
        return -1;
    }
    authority = strstr(smtp->url, "://") + 3;
    end = authority + strcspn(authority, "/?#");
    at = memchr(authority, '@', (size_t)(end - authority));
    if (smtp->insecure && has_scheme(smtp->url, "smtp://") && at != NULL) {
        snprintf(why, why_size,
                 "--smtp-insecure with a user name or password in --smtp-url would send them in "
                 "the clear: use smtps:// or drop --smtp-insecure (STARTTLS)");
        return -1;
    }
    return 0;
}

int notify_email(const struct notify_smtp *smtp, const char *to, const char *subject,
                 const char *body, char *error, size_t error_size)
{
    const char *from = smtp->from;
    CURL *curl = curl_easy_init();
    struct curl_slist *recipients = NULL;
    struct upload upload = {0};
    char *message = NULL, date[64], id[40];
    size_t size;
    CURLcode rc = CURLE_FAILED_INIT;
    time_t now = time(NULL);
    struct tm tm;

    if (curl == NULL)
        goto out;
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    crypto_random_hex(id, 16);
    size = 2 * strlen(body) + strlen(subject) + strlen(from) + strlen(to) + 512;
    message = malloc(size);
    if (message == NULL)
        goto out;
    {
        /* SMTP lines end in CRLF, never a bare LF (RFC 5321 2.3.8). */
        size_t n = (size_t)snprintf(message, size,
                                    "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n"
                                    "Message-ID: <%s@paroletrack>\r\nMIME-Version: 1.0\r\n"
                                    "Content-Type: text/plain; charset=utf-8\r\n"
                                    "Content-Transfer-Encoding: 8bit\r\n\r\n",
                                    date, from, to, subject, id);

        for (const char *c = body; *c && n + 3 < size; c++) {
            if (*c == '\n' && (c == body || c[-1] != '\r'))
                message[n++] = '\r';
            message[n++] = *c;
        }
        if (n >= 1 && message[n - 1] != '\n') {
            message[n++] = '\r';
            message[n++] = '\n';
        }
        message[n] = '\0';
    }
    upload.data = message;
    upload.len = strlen(message);
    recipients = curl_slist_append(NULL, to);
    curl_easy_setopt(curl, CURLOPT_URL, smtp->url);
    /* TLS for the whole session (STARTTLS on smtp://, refused when the server offers none)
     * before AUTH or any message; certificates are verified (libcurl's default, kept). */
    if (!smtp->insecure)
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (smtp->ca_file != NULL)
        curl_easy_setopt(curl, CURLOPT_CAINFO, smtp->ca_file);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    rc = curl_easy_perform(curl);
out:
    if (rc != CURLE_OK)
        snprintf(error, error_size, "smtp: %s", curl_easy_strerror(rc));
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    free(message);
    return rc == CURLE_OK ? 0 : -1;
}

int notify_webhook(const char *url, const char *secret, const char *msg_id, int64_t timestamp,
                   const char *body, char *error, size_t error_size)
{
    long status = 0;

    return notify_webhook_status(url, secret, msg_id, timestamp, body, &status, error, error_size);
}

int notify_webhook_status(const char *url, const char *secret, const char *msg_id,
                          int64_t timestamp, const char *body, long *status_out, char *error,
                          size_t error_size)
{
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = NULL;
    char header[512], signature[128];
    long status = 0;
    CURLcode rc = CURLE_FAILED_INIT;

    *status_out = 0;
    if (curl == NULL)
        goto out;
    if (crypto_webhook_signature(secret, msg_id, timestamp, body, signature) != 0) {
        snprintf(error, error_size, "webhook: the secret is not whsec_<base64>");
        goto out;
    }
    headers = curl_slist_append(headers, "Content-Type: application/json");
    snprintf(header, sizeof(header), "webhook-id: %s", msg_id);
    headers = curl_slist_append(headers, header);
    snprintf(header, sizeof(header), "webhook-timestamp: %lld", (long long)timestamp);
    headers = curl_slist_append(headers, header);
    snprintf(header, sizeof(header), "webhook-signature: v1,%s", signature);
    headers = curl_slist_append(headers, header);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    rc = curl_easy_perform(curl);
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    *status_out = status;
    if (rc != CURLE_OK)
        snprintf(error, error_size, "webhook: %s", curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(error, error_size, "webhook: the receiver answered %ld", status);
out:
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK && status >= 200 && status <= 299 ? 0 : -1;
}
