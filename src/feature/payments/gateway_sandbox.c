/* gateway_sandbox.c - the adapter of `saldo gateway-sandbox`
 * (docs/GATEWAY-SANDBOX.md) over HTTP with libcurl: the API key as Bearer,
 * an Idempotency-Key on creation, connect and total timeouts, no redirects,
 * answers of at most GW_ANSWER_MAX bytes. Saved methods are listed with
 * GET /v1/customers/{customer}/payment-methods and deleted with
 * DELETE /v1/payment-methods/{token}; card verifications with POST /v1/setups
 * and GET /v1/setups/{id}. */
#include "feature/payments/gateway.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GW_ANSWER_MAX (64 * 1024)
#define GW_TIMEOUT_S 15L
#define GW_CONNECT_TIMEOUT_S 5L

typedef struct answer {
    char *data;
    size_t len;
} answer;

static size_t on_data(char *ptr, size_t one, size_t n, void *userdata)
{
    answer *a = userdata;
    size_t bytes = one * n;
    if (a->len + bytes >= GW_ANSWER_MAX)
        return 0; /* too long: stops the transfer */
    memcpy(a->data + a->len, ptr, bytes);
    a->len += bytes;
    a->data[a->len] = '\0';
    return bytes;
}

/* One call; *status is the HTTP status (0 without an answer), *body the JSON or NULL. */
static void call_verb(const saldo_config *cfg, const char *verb, const char *path, const char *post,
                      const char *idem, long *status, json_t **body)
{
    answer a = {.data = malloc(GW_ANSWER_MAX)};
    CURL *c = curl_easy_init();
    if (!a.data || !c)
        abort();
    a.data[0] = '\0';
    char url[CONFIG_URL_MAX + 128], auth[CONFIG_GATEWAY_SECRET_MAX + 32], key[300];
    snprintf(url, sizeof url, "%s%s", cfg->gateway.url, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->gateway.api_key);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    if (post) {
        h = curl_slist_append(h, "Content-Type: application/json");
        snprintf(key, sizeof key, "Idempotency-Key: %s", idem);
        h = curl_slist_append(h, key);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
    }
    if (verb)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, verb);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, GW_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, GW_CONNECT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
    *status = 0;
    *body = NULL;
    if (curl_easy_perform(c) == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
        *body = json_loadb(a.data, a.len, 0, NULL);
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(a.data);
}

static void call(const saldo_config *cfg, const char *path, const char *post, const char *idem, long *status,
                 json_t **body)
{
    call_verb(cfg, NULL, path, post, idem, status, body);
}

static bool copy(char *out, size_t size, json_t *v)
{
    const char *s = json_string_value(v);
    out[0] = '\0';
    if (!s)
        return json_is_null(v) || !v;
    if (strlen(s) >= size)
        return false;
    memcpy(out, s, strlen(s) + 1);
    return true;
}

static bool parse_status(const char *s, gateway_status *out)
{
    static const struct { const char *name; gateway_status st; } map[] = {
        {"requires_action", GW_PENDING}, {"processing", GW_PENDING}, {"succeeded", GW_SUCCEEDED},
        {"failed", GW_FAILED}, {"canceled", GW_CANCELED},
    };
    for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(s, map[i].name))
            return *out = map[i].st, true;
    return false;
}

/* {brand, last4, exp_month, exp_year} into out (token untouched); NULL or null is no card. */
static bool parse_card(json_t *j, gateway_card *out)
{
    if (!j || json_is_null(j))
        return true;
    json_int_t m = json_integer_value(json_object_get(j, "exp_month"));
    json_int_t y = json_integer_value(json_object_get(j, "exp_year"));
    if (m < 1 || m > 12 || y < 2000 || y > 9999)
        return false;
    out->exp_month = (int)m;
    out->exp_year = (int)y;
    return copy(out->brand, sizeof out->brand, json_object_get(j, "brand")) && out->brand[0] &&
           copy(out->last4, sizeof out->last4, json_object_get(j, "last4")) && strlen(out->last4) == 4;
}

/* The payment object into out; false when it is not one. */
static bool parse_payment(json_t *j, gateway_payment *out)
{
    json_t *amount = json_object_get(j, "amount");
    json_t *minor = json_object_get(amount, "minor");
    *out = (gateway_payment){0};
    return parse_card(json_object_get(j, "card"), &out->card) &&
           copy(out->card.token, sizeof out->card.token, json_object_get(j, "payment_method")) &&
           copy(out->id, sizeof out->id, json_object_get(j, "id")) && out->id[0] &&
           parse_status(json_string_value(json_object_get(j, "status")), &out->status) && json_is_integer(minor) &&
           (out->amount_minor = json_integer_value(minor)) > 0 &&
           copy(out->currency, sizeof out->currency, json_object_get(amount, "currency")) && out->currency[0] &&
           copy(out->customer, sizeof out->customer, json_object_get(j, "customer")) &&
           copy(out->redirect_url, sizeof out->redirect_url, json_object_get(j, "redirect_url")) &&
           copy(out->failure_code, sizeof out->failure_code, json_object_get(j, "failure_code"));
}

static gateway_result result_of(long status, json_t *body, gateway_payment *out)
{
    gateway_result r = GATEWAY_UNAVAILABLE;
    if (status >= 200 && status <= 299 && parse_payment(body, out))
        r = GATEWAY_OK;
    else if (status >= 400 && status <= 499)
        r = GATEWAY_REFUSED;
    json_decref(body);
    return r;
}

static gateway_result sandbox_create(const saldo_config *cfg, const gateway_create *in, gateway_payment *out)
{
    json_t *req = json_pack("{s:{s:s, s:I}, s:s, s:s, s:s}", "amount", "currency", in->currency, "minor",
                            (json_int_t)in->amount_minor, "method", in->method, "customer", in->customer,
                            "return_url", in->return_url);
    if (req && in->save_method)
        json_object_set_new(req, "save_method", json_true());
    if (req && in->payment_method)
        json_object_set_new(req, "payment_method", json_string(in->payment_method));
    char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!text)
        abort(); /* out of memory */
    long status;
    json_t *body;
    call(cfg, "/v1/payments", text, in->idempotency_key, &status, &body);
    free(text);
    return result_of(status, body, out);
}

/* Whether id may go into a URL path: [a-z0-9_], 1..GATEWAY_ID_MAX. */
static bool id_ok(const char *id)
{
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return id[0] && strlen(id) <= GATEWAY_ID_MAX;
}

static gateway_result sandbox_get(const saldo_config *cfg, const char *id, gateway_payment *out)
{
    if (!id_ok(id))
        return GATEWAY_REFUSED; /* not an id: never put it in a URL */
    char path[GATEWAY_ID_MAX + 32];
    snprintf(path, sizeof path, "/v1/payments/%s", id);
    long status;
    json_t *body;
    call(cfg, path, NULL, NULL, &status, &body);
    return result_of(status, body, out);
}

/* POST /v1/refunds {payment_id, amount}: 201 with the refund object. */
static gateway_result sandbox_refund(const saldo_config *cfg, const char *payment_id, const char *currency,
                                     int64_t amount_minor, const char *idempotency_key, gateway_refund *out,
                                     char refused[GATEWAY_CODE_MAX + 1])
{
    json_t *req = json_pack("{s:s, s:{s:s, s:I}}", "payment_id", payment_id, "amount", "currency", currency, "minor",
                            (json_int_t)amount_minor);
    char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!text)
        abort(); /* out of memory */
    long status;
    json_t *body;
    call(cfg, "/v1/refunds", text, idempotency_key, &status, &body);
    free(text);
    json_t *amount = json_object_get(body, "amount");
    *out = (gateway_refund){0};
    refused[0] = '\0';
    gateway_result r = GATEWAY_UNAVAILABLE;
    if (status >= 200 && status <= 299 && copy(out->id, sizeof out->id, json_object_get(body, "id")) && out->id[0] &&
        copy(out->payment_id, sizeof out->payment_id, json_object_get(body, "payment_id")) &&
        copy(out->currency, sizeof out->currency, json_object_get(amount, "currency")) &&
        json_is_integer(json_object_get(amount, "minor"))) {
        out->amount_minor = json_integer_value(json_object_get(amount, "minor"));
        r = GATEWAY_OK;
    } else if (status >= 400 && status <= 499) {
        if (!copy(refused, GATEWAY_CODE_MAX + 1, json_object_get(json_object_get(body, "error"), "code")) ||
            !refused[0])
            snprintf(refused, GATEWAY_CODE_MAX + 1, "http_%ld", status);
        r = GATEWAY_REFUSED;
    }
    json_decref(body);
    return r;
}

static gateway_result sandbox_list_methods(const saldo_config *cfg, const char *customer, gateway_card *out,
                                           size_t max, size_t *n)
{
    char path[GATEWAY_ID_MAX + 64];
    *n = 0;
    if (!id_ok(customer))
        return GATEWAY_REFUSED;
    snprintf(path, sizeof path, "/v1/customers/%s/payment-methods", customer);
    long status;
    json_t *body, *data, *m;
    size_t i;
    call(cfg, path, NULL, NULL, &status, &body);
    gateway_result r = status >= 400 && status <= 499 ? GATEWAY_REFUSED : GATEWAY_UNAVAILABLE;
    if (status >= 200 && status <= 299 && json_is_array(data = json_object_get(body, "data"))) {
        r = GATEWAY_OK;
        json_array_foreach(data, i, m) {
            gateway_card c = {0};
            if (!copy(c.token, sizeof c.token, json_object_get(m, "id")) || !c.token[0] || !parse_card(m, &c) ||
                !c.brand[0]) {
                r = GATEWAY_UNAVAILABLE;
                break;
            }
            if (*n < max)
                out[(*n)++] = c;
        }
    }
    json_decref(body);
    return r;
}

static gateway_result sandbox_delete_method(const saldo_config *cfg, const char *token)
{
    if (!id_ok(token))
        return GATEWAY_REFUSED;
    char path[GATEWAY_ID_MAX + 32];
    snprintf(path, sizeof path, "/v1/payment-methods/%s", token);
    long status;
    json_t *body;
    call_verb(cfg, "DELETE", path, NULL, NULL, &status, &body);
    json_decref(body);
    return status >= 200 && status <= 299 ? GATEWAY_OK
           : status >= 400 && status <= 499 ? GATEWAY_REFUSED : GATEWAY_UNAVAILABLE;
}

/* The setup object into out; false when it is not one. */
static bool parse_setup(json_t *j, gateway_setup *out)
{
    *out = (gateway_setup){0};
    const char *status = json_string_value(json_object_get(j, "status"));
    if (!status || !parse_status(status, &out->status) || out->status == GW_CANCELED)
        return false;
    return copy(out->id, sizeof out->id, json_object_get(j, "id")) && out->id[0] &&
           copy(out->customer, sizeof out->customer, json_object_get(j, "customer")) &&
           copy(out->redirect_url, sizeof out->redirect_url, json_object_get(j, "redirect_url")) &&
           copy(out->failure_code, sizeof out->failure_code, json_object_get(j, "failure_code")) &&
           copy(out->card.token, sizeof out->card.token, json_object_get(j, "payment_method")) &&
           parse_card(json_object_get(j, "card"), &out->card);
}

static gateway_result setup_result(long status, json_t *body, gateway_setup *out)
{
    gateway_result r = GATEWAY_UNAVAILABLE;
    if (status >= 200 && status <= 299 && parse_setup(body, out))
        r = GATEWAY_OK;
    else if (status >= 400 && status <= 499)
        r = GATEWAY_REFUSED;
    json_decref(body);
    return r;
}

static gateway_result sandbox_create_setup(const saldo_config *cfg, const char *customer, const char *return_url,
                                           const char *idempotency_key, gateway_setup *out)
{
    json_t *req = json_pack("{s:s, s:s}", "customer", customer, "return_url", return_url);
    char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!text)
        abort(); /* out of memory */
    long status;
    json_t *body;
    call(cfg, "/v1/setups", text, idempotency_key, &status, &body);
    free(text);
    return setup_result(status, body, out);
}

static gateway_result sandbox_get_setup(const saldo_config *cfg, const char *id, gateway_setup *out)
{
    if (!id_ok(id))
        return GATEWAY_REFUSED;
    char path[GATEWAY_ID_MAX + 32];
    snprintf(path, sizeof path, "/v1/setups/%s", id);
    long status;
    json_t *body;
    call(cfg, path, NULL, NULL, &status, &body);
    return setup_result(status, body, out);
}

static const gateway sandbox = {
    .name = "sandbox",
    .create_payment = sandbox_create,
    .get_payment = sandbox_get,
    .refund = sandbox_refund,
    .list_methods = sandbox_list_methods,
    .delete_method = sandbox_delete_method,
    .create_setup = sandbox_create_setup,
    .get_setup = sandbox_get_setup,
};

const gateway *gateway_get(const saldo_config *cfg)
{
    return cfg->gateway.url[0] ? &sandbox : NULL;
}
