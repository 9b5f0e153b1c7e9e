/* payments_webhook.c - POST /api/v1/webhooks/gateway, the gateway's events.
 *
 * The Saldo-Signature header (t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>)
 * is checked in constant time with a tolerance of 5 minutes on t; anything
 * else is 400 and changes nothing. An event seen before is a no-op 200. The
 * event's body is never trusted: the payment it names is re-read from the
 * gateway by payment_sync(), which records the event id in the transaction
 * that applies the payment's state; the answer is 2xx only after that commit
 * (a 5xx makes the gateway retry). payment_method.deleted is handed to
 * cards_gateway_deleted(), setup.* (a card verification) to
 * cards_setup_finish(): both ask the gateway too, and are idempotent. */
#include "feature/payments/payments.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/cards/cards.h"

#define EVENT_ID_MAX 64

bool payment_signature_ok(const char *header, const char *body, size_t body_len, const char *secret, int64_t now)
{
    if (!header || strncmp(header, "t=", 2) || header[2] < '0' || header[2] > '9')
        return false;
    char *end;
    long long t = strtoll(header + 2, &end, 10);
    if (end == header + 2 || end - header > 14 || strncmp(end, ",v1=", 4) || strlen(end + 4) != 64)
        return false;
    if (t < now - WEBHOOK_TOLERANCE_S || t > now + WEBHOOK_TOLERANCE_S)
        return false;
    unsigned char sent[crypto_auth_hmacsha256_BYTES], want[crypto_auth_hmacsha256_BYTES];
    size_t n;
    if (sodium_hex2bin(sent, sizeof sent, end + 4, 64, NULL, &n, NULL) || n != sizeof sent)
        return false;
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)header + 2, (size_t)(end - header - 2));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len);
    crypto_auth_hmacsha256_final(&st, want);
    return sodium_memcmp(sent, want, sizeof want) == 0;
}

static bool event_id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '_'))
            return false;
    return n >= 1 && n <= EVENT_ID_MAX;
}

static void answer_sync(http_request *r, payment_sync_result res)
{
    if (res == SYNC_UNAVAILABLE)
        return http_error(r, 503, "gateway_unavailable", "the payment could not be checked with the gateway", NULL);
    if (res != SYNC_OK)
        return http_error(r, 500, "store_error", "the event could not be recorded", NULL);
    http_json(r, 200, json_pack("{s:b}", "received", 1));
}

static void answer_card(http_request *r, cards_sync_result res)
{
    if (res == CARDS_SYNC_UNAVAILABLE)
        return http_error(r, 503, "gateway_unavailable", "the card could not be checked with the gateway", NULL);
    if (res != CARDS_SYNC_OK)
        return http_error(r, 500, "store_error", "the event could not be recorded", NULL);
    http_json(r, 200, json_pack("{s:b}", "received", 1));
}

/* A card verification's outcome: recorded by cards_setup_finish, which asks the gateway. */
static void answer_setup(http_request *r, const char *setup_id)
{
    saved_card c;
    char failure[GATEWAY_CODE_MAX + 1];
    card_setup_result res = cards_setup_finish(r->db, r->app->cfg, setup_id, 0, &c, failure);
    if (res == CARD_SETUP_UNAVAILABLE)
        return answer_card(r, CARDS_SYNC_UNAVAILABLE);
    answer_card(r, res == CARD_SETUP_STORE_ERROR ? CARDS_SYNC_STORE_ERROR : CARDS_SYNC_OK);
}

void payments_webhook(http_request *r)
{
    const char *secret = r->app->cfg->gateway.webhook_secret;
    if (!secret[0] || !payment_signature_ok(http_header(r, "Saldo-Signature"), r->body, r->body_len, secret, (int64_t)time(NULL)))
        return http_error(r, 400, "bad_signature", "Saldo-Signature is missing, wrong or too old", NULL);
    json_t *ev = json_loadb(r->body, r->body_len, 0, NULL);
    const char *id = json_string_value(json_object_get(ev, "id"));
    const char *type = json_string_value(json_object_get(ev, "type"));
    const char *object = json_string_value(json_object_get(json_object_get(ev, "data"), "id"));
    if (!event_id_ok(id) || !type || strlen(type) > EVENT_ID_MAX) {
        json_decref(ev);
        return http_error(r, 400, "bad_event", "the body is not an event", NULL);
    }
    id = arena_strdup(r->a, id);
    type = arena_strdup(r->a, type);
    object = object ? arena_strdup(r->a, object) : NULL;
    json_decref(ev);
    if (!strcmp(type, "payment_method.deleted") && object)
        return answer_card(r, cards_gateway_deleted(r->db, r->app->cfg, object));
    if (!strncmp(type, "setup.", 6) && object)
        return answer_setup(r, object);
    int seen = payment_event_seen(r->db, id);
    payment p;
    int found = seen == 0 && object && !strncmp(type, "payment.", 8) ? payment_by_gateway_id(r->db, object, &p) : 0;
    if (seen < 0 || found < 0)
        return http_error(r, 500, "store_error", "the event could not be read", NULL);
    if (seen || !found)
        return http_json(r, 200, json_pack("{s:b}", "received", 1)); /* done before, or not a top-up of ours */
    answer_sync(r, payment_sync(r->db, r->app, &p, id, type));
}
