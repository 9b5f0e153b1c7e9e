/* service_renew.c - renewing a service, the services due, and their suspension
 * and termination after expiry (see service_renew.h).
 *
 * A renewal writes in this order: the guarded service UPDATE (expiry still the
 * one read, status still renewable), then the ledger transfer, then the
 * renewal row. When the transfer is refused (funds short), the service row is
 * put back as it was, so the caller's transaction holds nothing of it and a
 * billing run can go on with the next service in the same transaction. */
#include "feature/services/service_renew.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "feature/ledger/ledger.h"

static const char *const result_names[SERVICE_RENEW_RESULT_COUNT] = {
    "ok", "insufficient_funds", "no_price", "not_renewable", "conflict", "store_error",
};

const char *service_renew_result_str(service_renew_result r)
{
    assert(r >= 0 && r < SERVICE_RENEW_RESULT_COUNT);
    return result_names[r];
}

void service_renew_cache_reset(service_renew_cache *c)
{
    if (c)
        memset(c, 0, sizeof *c);
}

static unsigned slot_of(int64_t a, int64_t b)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15u ^ (uint64_t)b * 0xC2B2AE3D27D4EB4Fu;
    return (unsigned)(h >> 58) & (SERVICE_RENEW_CACHE_SLOTS - 1);
}

int service_renew_product(db *d, service_renew_cache *c, const service *s, catalog_product *scratch,
                          const catalog_product **out)
{
    if (!c) {
        int found = catalog_product_get(d, s->product_id, scratch);
        *out = scratch;
        return found;
    }
    unsigned i = slot_of(s->product_id, 0);
    if (c->product[i].id != s->product_id) {
        int found = catalog_product_get(d, s->product_id, &c->product[i].p);
        if (found != 1)
            return found;
        c->product[i].id = s->product_id;
    }
    *out = &c->product[i].p;
    return 1;
}

static int price_uncached(db *d, service_renew_cache *c, const service *s, int months, int64_t *out_minor)
{
    catalog_product scratch;
    const catalog_product *p;
    int found = service_renew_product(d, c, s, &scratch, &p);
    if (found != 1)
        return found;
    catalog_price price;
    found = catalog_price_for(d, s->org_id, p, s->currency, months, &price);
    if (found == 1)
        *out_minor = price.price_minor;
    return found;
}

int service_renew_price(db *d, service_renew_cache *c, const service *s, int months, int64_t *out_minor)
{
    if (!c)
        return price_uncached(d, NULL, s, months, out_minor);
    unsigned i = slot_of(s->product_id, s->org_id * 61 + months);
    if (c->price[i].product_id == s->product_id && c->price[i].org_id == s->org_id &&
        c->price[i].months == months && !strcmp(c->price[i].currency, s->currency)) {
        *out_minor = c->price[i].minor;
        return c->price[i].found;
    }
    int found = price_uncached(d, c, s, months, out_minor);
    if (found < 0)
        return found;
    c->price[i].product_id = s->product_id;
    c->price[i].org_id = s->org_id;
    c->price[i].months = months;
    snprintf(c->price[i].currency, sizeof c->price[i].currency, "%s", s->currency);
    c->price[i].found = found;
    c->price[i].minor = found ? *out_minor : 0;
    return found;
}

/* The wallet of org in currency_code, 0 when it has none yet (nothing to pay with). */
static ledger_result wallet_of(db *d, service_renew_cache *c, int64_t org_id, const char *currency_code, int64_t *out)
{
    unsigned i = slot_of(org_id, currency_code[0]);
    if (c && c->wallet[i].org_id == org_id && !strcmp(c->wallet[i].currency, currency_code)) {
        *out = c->wallet[i].id;
        return LEDGER_OK;
    }
    ledger_result r = ledger_wallet(d, org_id, currency_code, false, out);
    if (r == LEDGER_NOT_FOUND) {
        *out = 0;
        r = LEDGER_OK;
    }
    if (r == LEDGER_OK && c) {
        c->wallet[i].org_id = org_id;
        snprintf(c->wallet[i].currency, sizeof c->wallet[i].currency, "%s", currency_code);
        c->wallet[i].id = *out;
    }
    return r;
}

/* The system account code in currency_code, through the cache's slots[n]. */
static ledger_result system_of(db *d, service_renew_account *slots, size_t n, const char *code, const char *currency_code,
                               int64_t *out)
{
    size_t i = 0;
    for (; i < n && slots[i].id; i++)
        if (!strcmp(slots[i].currency, currency_code)) {
            *out = slots[i].id;
            return LEDGER_OK;
        }
    ledger_result r = ledger_system_account(d, code, currency_code, out);
    if (r == LEDGER_OK && i < n) {
        snprintf(slots[i].currency, sizeof slots[i].currency, "%s", currency_code);
        slots[i].id = *out;
    }
    return r;
}

static ledger_result revenue_of(db *d, service_renew_cache *c, const char *currency_code, int64_t *out)
{
    return system_of(d, c ? c->revenue : NULL, c ? SERVICE_RENEW_CURRENCIES : 0, "revenue", currency_code, out);
}

static ledger_result vat_payable_of(db *d, service_renew_cache *c, const char *currency_code, int64_t *out)
{
    return system_of(d, c ? c->vat_payable : NULL, c ? SERVICE_RENEW_CURRENCIES : 0, "vat_payable", currency_code,
                     out);
}

/* The guarded move of the expiry: only if s still expires where it did and
 * has the status it had; a suspended service becomes active. Sets *moved.
 * An active service's row changes in expires_at only (the common case of a
 * billing run, and the cheapest update). */
static bool move_expiry(db *d, const service *s, int64_t new_expiry, int64_t now, bool *moved)
{
    assert(s->status == SERVICE_ACTIVE || s->status == SERVICE_SUSPENDED);
    db_stmt *st = s->status == SERVICE_ACTIVE
        ? db_prepare(d, "UPDATE services SET expires_at = $1 WHERE id = $2 AND expires_at = $3 AND status = 'active'")
        : db_prepare(d, "UPDATE services SET expires_at = $1, status = 'active', status_changed_at = $2"
                        " WHERE id = $3 AND expires_at = $4 AND status = 'suspended'");
    if (!st)
        return false;
    int i = 1;
    db_bind_int64(st, i++, new_expiry);
    if (s->status == SERVICE_SUSPENDED)
        db_bind_int64(st, i++, now);
    db_bind_int64(st, i++, s->id);
    db_bind_int64(st, i, s->expires_at);
    if (db_exec1(st) != DB_DONE)
        return false;
    *moved = db_changes(d) == 1;
    return true;
}

/* Puts the service row back as s had it, after move_expiry moved it. */
static bool restore_service(db *d, const service *s, int64_t new_expiry)
{
    db_stmt *st = db_prepare(d,
        "UPDATE services SET expires_at = $1, status = $2, status_changed_at = $3"
        " WHERE id = $4 AND expires_at = $5");
    if (!st)
        return false;
    db_bind_int64(st, 1, s->expires_at);
    db_bind_text(st, 2, service_status_names[s->status]);
    db_bind_int64(st, 3, s->status_changed_at);
    db_bind_int64(st, 4, s->id);
    db_bind_int64(st, 5, new_expiry);
    return db_exec1(st) == DB_DONE && db_changes(d) == 1;
}

static bool insert_renewal(db *d, service_renewal *r, service_renew_source source, int64_t now)
{
    db_stmt *st = db_prepare(d,
        "INSERT INTO service_renewals (service_id, org_id, old_expires_at, new_expires_at, period_months,"
        " currency, amount_minor, transfer_id, source, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    if (!st)
        return false;
    db_bind_int64(st, 1, r->service_id);
    db_bind_int64(st, 2, r->org_id);
    db_bind_int64(st, 3, r->old_expires_at);
    db_bind_int64(st, 4, r->new_expires_at);
    db_bind_int64(st, 5, r->period_months);
    db_bind_text(st, 6, r->currency);
    db_bind_int64(st, 7, r->amount_minor);
    if (r->transfer_id)
        db_bind_int64(st, 8, r->transfer_id);
    else
        db_bind_null(st, 8);
    db_bind_text(st, 9, source == SERVICE_RENEW_AUTO ? "auto" : "manual");
    db_bind_int64(st, 10, now);
    if (db_exec1(st) != DB_DONE || db_changes(d) != 1)
        return false;
    r->id = db_last_id(d);
    assert(r->id > 0);
    return true;
}

/* The wallet's balance, to tell the customer the shortfall. */
static service_renew_result short_of_funds(db *d, int64_t wallet_id, service_renewal *r)
{
    int64_t balance = 0;
    if (wallet_id && ledger_balance(d, wallet_id, &balance) != LEDGER_OK)
        return SERVICE_RENEW_STORE_ERROR;
    assert(balance < r->gross_minor);
    r->shortfall_minor = r->gross_minor - balance;
    return SERVICE_RENEW_INSUFFICIENT_FUNDS;
}

/* Passes r's VAT from revenue to vat_payable (the wallet paid the gross to
 * revenue): system accounts, so it cannot be refused for funds. */
static bool pass_vat(db *d, service_renew_cache *c, service_renewal *r, int64_t revenue, const char *key,
                     const char *reference)
{
    int64_t vat_payable;
    if (vat_payable_of(d, c, r->currency, &vat_payable) != LEDGER_OK)
        return false;
    char vat_key[SERVICE_RENEW_KEY_MAX + 4];
    snprintf(vat_key, sizeof vat_key, "%s:vat", key);
    ledger_transfer t = {.debit_account_id = revenue, .credit_account_id = vat_payable, .amount_minor = r->vat_minor,
                         .currency = r->currency, .kind = "renewal", .reference = reference,
                         .idempotency_key = vat_key};
    return ledger_post(d, &t, &r->vat_transfer_id) == LEDGER_OK;
}

/* Adds r's VAT to c's sum of its currency: false when c has no room for
 * another currency (the caller passes it now). */
static bool defer_vat(service_renew_cache *c, const service_renewal *r)
{
    for (size_t i = 0; i < SERVICE_RENEW_CURRENCIES; i++) {
        service_renew_vat_due *v = &c->vat_due[i];
        if (!v->currency[0])
            snprintf(v->currency, sizeof v->currency, "%s", r->currency);
        if (!strcmp(v->currency, r->currency)) {
            assert(v->minor <= LEDGER_AMOUNT_MAX - r->vat_minor); /* a batch is far below it */
            v->minor += r->vat_minor;
            return true;
        }
    }
    return false;
}

/* Passes r's VAT to vat_payable now, or adds it to the batch's sum. */
static bool vat_of(db *d, service_renew_cache *c, service_renewal *r, int64_t revenue, const char *key,
                   const char *reference)
{
    if (r->vat_minor == 0 || (c && c->vat_per_batch && defer_vat(c, r)))
        return true;
    return pass_vat(d, c, r, revenue, key, reference);
}

bool service_renew_pass_vat(db *d, service_renew_cache *c)
{
    assert(db_in_tx(d) && c && c->vat_per_batch);
    for (size_t i = 0; i < SERVICE_RENEW_CURRENCIES && c->vat_due[i].currency[0]; i++) {
        service_renew_vat_due *v = &c->vat_due[i];
        assert(c->first_renewal_id > 0 && c->last_renewal_id >= c->first_renewal_id);
        int64_t revenue, vat_payable, id;
        if (!v->minor)
            continue;
        if (revenue_of(d, c, v->currency, &revenue) != LEDGER_OK ||
            vat_payable_of(d, c, v->currency, &vat_payable) != LEDGER_OK)
            return false;
        char key[SERVICE_RENEW_KEY_MAX], reference[64];
        snprintf(key, sizeof key, "renewal-vat:%lld:%s", (long long)c->first_renewal_id, v->currency);
        snprintf(reference, sizeof reference, "service_renewals:%lld-%lld", (long long)c->first_renewal_id,
                 (long long)c->last_renewal_id);
        ledger_transfer t = {.debit_account_id = revenue, .credit_account_id = vat_payable, .amount_minor = v->minor,
                             .currency = v->currency, .kind = "renewal", .reference = reference,
                             .idempotency_key = key};
        if (ledger_post(d, &t, &id) != LEDGER_OK)
            return false;
    }
    memset(c->vat_due, 0, sizeof c->vat_due);
    c->first_renewal_id = c->last_renewal_id = 0;
    return true;
}

/* Posts the transfers that pay r. Nothing written unless SERVICE_RENEW_OK. */
static service_renew_result pay(db *d, service_renew_cache *c, service_renewal *r)
{
    assert(r->gross_minor > 0 && r->gross_minor <= LEDGER_AMOUNT_MAX);
    int64_t wallet = 0, revenue = 0;
    if (wallet_of(d, c, r->org_id, r->currency, &wallet) != LEDGER_OK)
        return SERVICE_RENEW_STORE_ERROR;
    if (!wallet)
        return short_of_funds(d, 0, r);
    if (revenue_of(d, c, r->currency, &revenue) != LEDGER_OK)
        return SERVICE_RENEW_STORE_ERROR;
    char key[SERVICE_RENEW_KEY_MAX], reference[40];
    snprintf(key, sizeof key, "renewal:%lld:%lld", (long long)r->service_id, (long long)r->old_expires_at);
    snprintf(reference, sizeof reference, "service:%lld", (long long)r->service_id);
    ledger_transfer t = {.debit_account_id = wallet, .credit_account_id = revenue, .amount_minor = r->gross_minor,
                         .currency = r->currency, .kind = "renewal", .reference = reference,
                         .idempotency_key = key};
    switch (ledger_post(d, &t, &r->transfer_id)) {
    case LEDGER_OK:
        /* A store error here leaves the gross transfer written: the caller rolls back. */
        return vat_of(d, c, r, revenue, key, reference) ? SERVICE_RENEW_OK : SERVICE_RENEW_STORE_ERROR;
    case LEDGER_INSUFFICIENT_FUNDS:
        return short_of_funds(d, wallet, r);
    case LEDGER_REPLAYED:
    case LEDGER_KEY_CONFLICT: /* this expiry was charged already: never twice */
        r->transfer_id = 0;
        return SERVICE_RENEW_CONFLICT;
    default:
        return SERVICE_RENEW_STORE_ERROR;
    }
}

static void renewal_init(service_renewal *r, const service *s, int months)
{
    memset(r, 0, sizeof *r);
    r->service_id = s->id;
    r->org_id = s->org_id;
    r->old_expires_at = s->expires_at;
    r->period_months = months;
    snprintf(r->currency, sizeof r->currency, "%s", s->currency);
}

service_renew_result service_renew(db *d, service_renew_cache *c, const service *s, int months, int64_t vat_minor,
                                   service_renew_source source, int64_t now, service_renewal *out)
{
    assert(d && s && out && db_in_tx(d) && vat_minor >= 0);
    assert(source >= 0 && source < SERVICE_RENEW_SOURCE_COUNT);
    renewal_init(out, s, months);
    if (s->status != SERVICE_ACTIVE && s->status != SERVICE_SUSPENDED)
        return SERVICE_RENEW_NOT_RENEWABLE;
    int priced = service_renew_price(d, c, s, months, &out->amount_minor);
    if (priced != 1)
        return priced == 0 ? SERVICE_RENEW_NO_PRICE : SERVICE_RENEW_STORE_ERROR;
    out->vat_minor = vat_minor;
    out->gross_minor = out->amount_minor + vat_minor;
    if (out->amount_minor > LEDGER_AMOUNT_MAX || vat_minor > LEDGER_AMOUNT_MAX - out->amount_minor)
        return SERVICE_RENEW_NO_PRICE;
    out->new_expires_at = period_add(s->expires_at, months);
    if (out->new_expires_at <= s->expires_at)
        return SERVICE_RENEW_NO_PRICE; /* beyond the calendar period_add knows */
    bool moved = false;
    if (!move_expiry(d, s, out->new_expires_at, now, &moved))
        return SERVICE_RENEW_STORE_ERROR;
    if (!moved)
        return SERVICE_RENEW_CONFLICT;
    service_renew_result r = out->gross_minor > 0 ? pay(d, c, out) : SERVICE_RENEW_OK;
    if (r != SERVICE_RENEW_OK)
        return restore_service(d, s, out->new_expires_at) ? r : SERVICE_RENEW_STORE_ERROR;
    if (!insert_renewal(d, out, source, now))
        return SERVICE_RENEW_STORE_ERROR; /* the transfer is written: the caller rolls back */
    if (c && c->vat_per_batch && out->vat_minor > 0 && !out->vat_transfer_id) { /* its VAT is in the batch's sum */
        if (!c->first_renewal_id)
            c->first_renewal_id = out->id;
        c->last_renewal_id = out->id;
    }
    assert(out->new_expires_at > out->old_expires_at);
    return SERVICE_RENEW_OK;
}

#define SERVICE_COLUMNS                                                                                          \
    "id, org_id, product_id, COALESCE(order_id, 0), COALESCE(billing_address_id, 0), status, label, currency," \
    " period_months, price_minor, auto_renew, created_at, starts_at, expires_at, COALESCE(activated_at, 0),"   \
    " status_changed_at"

static void read_service(db_stmt *st, service *out)
{
    memset(out, 0, sizeof *out);
    out->id = db_col_int64(st, 0);
    out->org_id = db_col_int64(st, 1);
    out->product_id = db_col_int64(st, 2);
    out->order_id = db_col_int64(st, 3);
    out->billing_address_id = db_col_int64(st, 4);
    out->status = service_status_parse(db_col_text(st, 5));
    snprintf(out->label, sizeof out->label, "%s", db_col_text(st, 6));
    snprintf(out->currency, sizeof out->currency, "%s", db_col_text(st, 7));
    out->period_months = (int)db_col_int64(st, 8);
    out->price_minor = db_col_int64(st, 9);
    out->auto_renew = db_col_int64(st, 10) != 0;
    out->created_at = db_col_int64(st, 11);
    out->starts_at = db_col_int64(st, 12);
    out->expires_at = db_col_int64(st, 13);
    out->activated_at = db_col_int64(st, 14);
    out->status_changed_at = db_col_int64(st, 15);
    assert(out->status < SERVICE_STATUS_COUNT && out->id > 0);
}

static int read_services(db_stmt *st, service *out, int max)
{
    int n = 0;
    db_status rc;
    while (n < max && (rc = db_step(st)) == DB_ROW)
        read_service(st, &out[n++]);
    bool ok = n == max || rc == DB_DONE;
    db_done(st);
    return ok ? n : -1;
}

int service_due_batch(db *d, int64_t after_id, int64_t until, service *out, int max)
{
    assert(db_in_tx(d) && max > 0);
    static const char sql_sqlite[] =
        "SELECT " SERVICE_COLUMNS " FROM services WHERE id > $1 AND expires_at <= $2"
        " AND status IN ('active', 'suspended') ORDER BY id LIMIT $3";
    static const char sql_pg[] =
        "SELECT " SERVICE_COLUMNS " FROM services WHERE id > $1 AND expires_at <= $2"
        " AND status IN ('active', 'suspended') ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED";
    db_stmt *st = db_prepare(d, strcmp(db_driver_name(d), "sqlite") ? sql_pg : sql_sqlite);
    if (!st)
        return -1;
    db_bind_int64(st, 1, after_id);
    db_bind_int64(st, 2, until);
    db_bind_int64(st, 3, max);
    return read_services(st, out, max);
}

int service_due_for_org(db *d, int64_t org_id, int64_t until, service *out, int max)
{
    assert(org_id > 0 && max > 0);
    db_stmt *st = db_prepare(d,
        "SELECT " SERVICE_COLUMNS " FROM services WHERE org_id = $1 AND expires_at <= $2"
        " AND status IN ('active', 'suspended') ORDER BY expires_at, id LIMIT $3");
    if (!st)
        return -1;
    db_bind_int64(st, 1, org_id);
    db_bind_int64(st, 2, until);
    db_bind_int64(st, 3, max);
    return read_services(st, out, max);
}

int service_expire_to(db *d, const service *s, service_status to, int64_t now)
{
    assert(db_in_tx(d) && (to == SERVICE_SUSPENDED || to == SERVICE_TERMINATED));
    db_stmt *st = db_prepare(d,
        "UPDATE services SET status = $1, status_changed_at = $2"
        " WHERE id = $3 AND expires_at = $4 AND status = $5");
    if (!st)
        return -1;
    db_bind_text(st, 1, service_status_names[to]);
    db_bind_int64(st, 2, now);
    db_bind_int64(st, 3, s->id);
    db_bind_int64(st, 4, s->expires_at);
    db_bind_text(st, 5, service_status_names[s->status]);
    if (db_exec1(st) != DB_DONE)
        return -1;
    return db_changes(d) == 1 ? 1 : 0;
}
