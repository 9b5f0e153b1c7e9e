/* provision_url.c - the url: transport of the command provisioner: POSTs the
 * service's JSON with libcurl (connect and total timeouts, no redirects) and
 * succeeds on a 2xx answer whose body is {"ok": true}. */
#include "feature/services/provision.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct answer {
    char *data;
    size_t len;
    bool overflow;
} answer;

static size_t on_data(char *ptr, size_t one, size_t n, void *userdata)
{
    answer *a = userdata;
    size_t bytes = one * n;
    if (a->len + bytes > PROVISION_OUTPUT_MAX) {
        a->overflow = true;
        return 0; /* stops the transfer */
    }
    memcpy(a->data + a->len, ptr, bytes);
    a->len += bytes;
    return bytes;
}

provision_status provision_url_run(const char *url, const char *json, char *message, size_t size)
{
    answer a = {.data = malloc(PROVISION_OUTPUT_MAX)};
    CURL *c = curl_easy_init();
    if (!a.data || !c)
        abort();
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)PROVISION_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)PROVISION_CONNECT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    provision_status st = PROVISION_FAILED;
    if (a.overflow)
        snprintf(message, size, "the answer is longer than %d bytes", PROVISION_OUTPUT_MAX);
    else if (rc != CURLE_OK)
        snprintf(message, size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else {
        st = provision_parse_answer(a.data, a.len, message, size);
        if (code < 200 || code > 299) {
            size_t used = strlen(message);
            snprintf(message + used, size - used, "%sHTTP status %ld", used ? "; " : "", code);
            st = PROVISION_FAILED;
        }
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(a.data);
    return st;
}
