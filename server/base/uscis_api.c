/* uscis_api: the USCIS Case Status API calls (see uscis_api.h). */
#include "uscis_api.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"

/* The body being read, cut off (and failed) past USCIS_API_MAX_BODY. */
struct body_sink {
    char *data;
    size_t len;
    int too_long;
};

static size_t keep_body(char *data, size_t size, size_t count, void *userdata)
{
    struct body_sink *sink = userdata;
    size_t n = size * count;
    char *grown;

    if (sink->len + n > USCIS_API_MAX_BODY) {
        sink->too_long = 1;
        return 0;
    }
    grown = realloc(sink->data, sink->len + n + 1);
    if (grown == NULL)
        return 0;
    sink->data = grown;
    memcpy(sink->data + sink->len, data, n);
    sink->len += n;
    sink->data[sink->len] = '\0';
    return n;
}

/* Note a Retry-After header given in seconds (an HTTP date is read as one minute). */
static size_t keep_header(char *data, size_t size, size_t count, void *userdata)
{
    struct uscis_answer *answer = userdata;
    size_t n = size * count;

    if (n > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
        char value[64];
        size_t len = n - 12 < sizeof(value) - 1 ? n - 12 : sizeof(value) - 1;
        char *end;
        long long seconds;

        memcpy(value, data + 12, len);
        value[len] = '\0';
        seconds = strtoll(value, &end, 10);
        answer->retry_after = end != value && seconds >= 0 ? seconds : 60;
    }
    return n;
}

void uscis_answer_clear(struct uscis_answer *answer)
{
    /* a token answer holds the access token */
    if (answer->body != NULL)
        crypto_wipe_string(answer->body);
    free(answer->body);
    memset(answer, 0, sizeof(*answer));
    answer->retry_after = -1;
}

/* Run one request: url, with form (a POST body, NULL for GET) and headers. Returns 0 when an
 * HTTP answer came, else -1 with answer->error set. */
static int perform(struct uscis_api *api, const char *url, const char *form,
                   struct curl_slist *headers, struct uscis_answer *answer)
{
    CURL *curl = curl_easy_init();
    struct body_sink sink = {0};
    CURLcode rc = CURLE_FAILED_INIT;

    memset(answer, 0, sizeof(*answer));
    answer->retry_after = -1;
    if (curl != NULL) {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, keep_header);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, answer);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT,
                         api->timeout_seconds > 0 ? api->timeout_seconds : 30L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        if (form != NULL)
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
        rc = curl_easy_perform(curl);
        if (rc == CURLE_OK)
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer->status);
    }
    if (rc != CURLE_OK) {
        snprintf(answer->error, sizeof(answer->error), "%s",
                 sink.too_long ? "the answer is too long" : curl_easy_strerror(rc));
        answer->status = 0;
        free(sink.data);
        sink.data = NULL;
    }
    answer->body = sink.data;
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

/* A token's lifetime: a JSON number of seconds, or (some OAuth servers) the number as text;
 * 0 when it is neither. */
static int64_t seconds_of(const json_t *value)
{
    if (json_is_integer(value))
        return json_integer_value(value);
    return json_is_string(value) ? atoll(json_string_value(value)) : 0;
}

int uscis_api_ensure_token(struct uscis_api *api, int64_t now, int force,
                           struct uscis_answer *answer)
{
    CURL *escaper;
    struct curl_slist *headers = NULL;
    char url[1024], *id = NULL, *secret = NULL, *form = NULL;
    json_t *parsed = NULL;
    const char *token;
    int64_t expires_in;
    int rc = -1;
    size_t form_len;

    memset(answer, 0, sizeof(*answer));
    answer->retry_after = -1;
    if (!force && api->token[0] != '\0' && now < api->token_until)
        return 0;
    api->token[0] = '\0';
    escaper = curl_easy_init();
    if (escaper == NULL)
        return -1;
    id = curl_easy_escape(escaper, api->client_id, 0);
    secret = curl_easy_escape(escaper, api->client_secret, 0);
    form_len = (id ? strlen(id) : 0) + (secret ? strlen(secret) : 0) + 80;
    form = malloc(form_len);
    if (id == NULL || secret == NULL || form == NULL)
        goto out;
    snprintf(form, form_len, "grant_type=client_credentials&client_id=%s&client_secret=%s", id,
             secret);
    snprintf(url, sizeof(url), "%s/oauth/accesstoken", api->base_url);
    headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
    headers = curl_slist_append(headers, "Accept: application/json");
    if (perform(api, url, form, headers, answer) != 0)
        goto out;
    if (answer->status != 200) {
        snprintf(answer->error, sizeof(answer->error), "the token endpoint answered %ld",
                 answer->status);
        goto out;
    }
    parsed = answer->body ? json_loads(answer->body, 0, NULL) : NULL;
    /* (the parsed copy holds the token too: json_decref frees it below; jansson cannot wipe) */
    token = json_string_value(json_object_get(parsed, "access_token"));
    expires_in = seconds_of(json_object_get(parsed, "expires_in"));
    if (token == NULL || token[0] == '\0' || strlen(token) >= sizeof(api->token) ||
        strpbrk(token, "\r\n") != NULL || expires_in <= 0) {
        snprintf(answer->error, sizeof(answer->error),
                 "the token endpoint's answer has no usable access_token and expires_in");
        goto out;
    }
    snprintf(api->token, sizeof(api->token), "%s", token);
    /* used until a minute before it expires (a short-lived one: until half its life), and
     * never believed for more than a day */
    if (expires_in > 86400)
        expires_in = 86400;
    api->token_until = now + (expires_in > 120 ? expires_in - 60 : expires_in / 2);
    rc = 0;
out:
    if (secret != NULL) {
        crypto_wipe(secret, strlen(secret));
        curl_free(secret);
    }
    if (form != NULL) {
        crypto_wipe(form, strlen(form));
        free(form);
    }
    curl_free(id);
    json_decref(parsed);
    curl_slist_free_all(headers);
    curl_easy_cleanup(escaper);
    return rc;
}

int uscis_api_case_status(struct uscis_api *api, const char *receipt, struct uscis_answer *answer)
{
    struct curl_slist *headers = NULL;
    char url[1024], header[4200];
    int rc;

    snprintf(url, sizeof(url), "%s/case-status/%s", api->base_url, receipt);
    snprintf(header, sizeof(header), "Authorization: Bearer %s", api->token);
    headers = curl_slist_append(headers, header);
    headers = curl_slist_append(headers, "Accept: application/json");
    rc = perform(api, url, NULL, headers, answer);
    crypto_wipe(header, sizeof(header));
    curl_slist_free_all(headers);
    return rc;
}
