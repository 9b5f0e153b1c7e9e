/* gw_webhook.c - the worker thread: advances crypto confirmations and
 * delivers queued events to the webhook URL, signed with HMAC-SHA256 over
 * "<t>.<body>", retrying with exponential backoff until a 2xx answer. */
#include "gateway/gw_webhook.h"

#include <assert.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

enum {
    GW_POLL_MS = 200,                  /* how often the worker looks for work */
    GW_DELIVERY_TIMEOUT_S = 10,        /* one POST to the webhook URL */
    GW_DELIVERIES_PER_POLL = 20,       /* a limit per pass, so stop stays prompt */
    GW_ATTEMPTS_MAX = 30,              /* then the delivery is given up (logged) */
    GW_RETRY_MAX_MS = 60 * 60 * 1000,  /* backoff stops doubling at one hour */
};

void gw_signature(const char *secret, int64_t t, const char *body, char *out, size_t out_size)
{
    assert(out_size >= 80);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    char ts[24];
    snprintf(ts, sizeof ts, "%lld.", (long long)t);
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[sizeof mac * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(out, out_size, "t=%lld,v1=%s", (long long)t, hex);
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p, (void)ctx;
    return size * n;
}

/* POSTs body; the HTTP status, 0 when there was no answer. */
static long post_event(const char *body, const char *event_id)
{
    char sig[128], header_sig[160], header_id[80];
    gw_signature(gw_cfg.webhook_secret, gw_now_s(), body, sig, sizeof sig);
    snprintf(header_sig, sizeof header_sig, "Saldo-Signature: %s", sig);
    snprintf(header_id, sizeof header_id, "Saldo-Event-Id: %s", event_id);
    CURL *c = curl_easy_init();
    if (!c)
        return 0;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    h = curl_slist_append(h, header_sig);
    h = curl_slist_append(h, header_id);
    curl_easy_setopt(c, CURLOPT_URL, gw_cfg.webhook_url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)GW_DELIVERY_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return status;
}

static int64_t backoff_ms(int64_t attempts)
{
    assert(attempts >= 1);
    int64_t ms = gw_cfg.retry_base_ms;
    for (int64_t i = 1; i < attempts && ms < GW_RETRY_MAX_MS; i++)
        ms *= 2;
    return ms < GW_RETRY_MAX_MS ? ms : GW_RETRY_MAX_MS;
}

static bool record(db *d, int64_t delivery, int64_t attempts, long status)
{
    bool ok2xx = status >= 200 && status < 300;
    db_stmt *s = db_prepare(d, "UPDATE gw_deliveries SET attempts = $1, last_status = $2, next_at_ms = $3,"
                               " delivered_at = $4 WHERE id = $5");
    if (!s)
        return false;
    db_bind_int64(s, 1, attempts);
    db_bind_int64(s, 2, status);
    db_bind_int64(s, 3, gw_now_ms() + backoff_ms(attempts));
    if (ok2xx)
        db_bind_int64(s, 4, gw_now_s());
    else
        db_bind_null(s, 4);
    db_bind_int64(s, 5, delivery);
    return db_exec1(s) == DB_DONE;
}

/* Delivers the due deliveries, oldest event first; how many were tried. */
static int deliver_due(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT v.id, v.attempts, e.id, e.type, e.created, e.data FROM gw_deliveries AS v"
                               " JOIN gw_events AS e ON e.seq = v.event_seq WHERE v.delivered_at IS NULL"
                               " AND v.next_at_ms <= $1 AND v.attempts < $2 ORDER BY v.event_seq, v.id LIMIT $3");
    if (!s)
        return 0;
    db_bind_int64(s, 1, gw_now_ms());
    db_bind_int64(s, 2, GW_ATTEMPTS_MAX);
    db_bind_int64(s, 3, GW_DELIVERIES_PER_POLL);
    int64_t ids[GW_DELIVERIES_PER_POLL], attempts[GW_DELIVERIES_PER_POLL];
    char *bodies[GW_DELIVERIES_PER_POLL], *event_ids[GW_DELIVERIES_PER_POLL];
    int n = 0;
    while (n < GW_DELIVERIES_PER_POLL && db_step(s) == DB_ROW) {
        ids[n] = db_col_int64(s, 0);
        attempts[n] = db_col_int64(s, 1);
        json_t *ev = gw_event_json_cols(s, 2);
        bodies[n] = json_dumps(ev, JSON_COMPACT);
        event_ids[n] = strdup(db_col_text(s, 2));
        json_decref(ev);
        n++;
    }
    db_done(s);
    for (int i = 0; i < n; i++) {
        long status = post_event(bodies[i], event_ids[i]);
        if (!record(d, ids[i], attempts[i] + 1, status))
            log_error("gateway_webhook", "error=\"%s\"", db_errmsg(d));
        log_info("gateway_webhook", "event=%s attempt=%lld status=%ld", event_ids[i], (long long)attempts[i] + 1,
                 status);
        free(bodies[i]);
        free(event_ids[i]);
    }
    return n;
}

/* Advances crypto payments and delivers one pass of due events. */
static bool deliver_round(worker *wk, db *d, void *ctx)
{
    (void)wk, (void)ctx;
    gw_crypto_tick(d);
    deliver_due(d);
    return false;
}

worker *gw_worker_start(const char *db_url)
{
    return worker_start("gateway_worker", db_url, GW_POLL_MS, deliver_round, NULL);
}
