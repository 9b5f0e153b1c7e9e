/* billing_run.c - the billing run (see billing_run.h).
 *
 * For each service that is active or suspended and expires within the
 * furthest horizon (the renewal window or the 30-day reminder), by id in
 * batches of one transaction each:
 *   - auto-renew on and inside the renewal window: renew it for its period,
 *     paid by the first payer that can (the balance today, which the
 *     organization's default saved card has topped up by the shortfall just
 *     before the batch: billing_card.h); when none can, mail the billing
 *     address once per expiry ("renewal_failed", saying when the card was
 *     declined);
 *   - before expiry, without auto-renew or after a failed one: the tightest of
 *     the reminders 30, 7 and 1 days before expiry that applies, once each
 *     (the failure notice stands for the reminder due on its day, and after
 *     it only reminders inside the window follow);
 *   - after expiry: suspended once grace_days have passed, terminated once
 *     termination_days have.
 * A renewal charges its net price plus the VAT decided once per organization
 * per batch (billing_vat.h) and issues its own final invoice (one per
 * renewal: each renewal is its own payment and supply; its frame is taken
 * once per organization per batch) in the same transaction, mailed with the
 * "renewed" mail (one mail per renewal, with the invoice's PDF); a pro-forma
 * still open for the service is cancelled. The wallet pays the gross to
 * revenue per renewal; the batch's VAT passes from revenue to vat_payable in
 * one transfer per currency before the commit.
 * A step is a billing_steps row inserted with ON CONFLICT DO NOTHING in the
 * transaction of its effect and its mail; a renewal is guarded by its expiry
 * and by the ledger's idempotency key, so overlapping runs do each thing once. */
#include "jobs/billing_run.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/currency.h"
#include "core/money.h"
#include "core/period.h"
#include "core/zone.h"
#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/invoices/invoice_files.h"
#include "feature/invoices/sale_invoice.h"
#include "feature/orgs/orgs.h"
#include "feature/renewals/renewals.h"
#include "feature/services/service_renew.h"
#include "jobs/billing_card.h"
#include "jobs/billing_vat.h"
#include "lib/arena.h"
#include "lib/log.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

enum { ORG_CACHE_SLOTS = 64, REMINDER_COUNT = 3, BILLING_BATCH_ATTEMPTS = 3 };

/* Reminders by days before expiry, tightest first, and their step names. */
static const int reminder_days[REMINDER_COUNT] = {1, 7, 30};
static const char *const reminder_steps[REMINDER_COUNT] = {"reminder_1", "reminder_7", "reminder_30"};

/* Where an organization's billing mail goes, in which language, and the
 * frame of its renewals' invoices (taken at its first renewal); per batch. */
typedef struct org_slot {
    int64_t org_id;
    bool has_address;
    char address[FIELD_EMAIL_MAX + 1];
    char lang[3];
    bool framed;
    document frame; /* invoices_sale_frame, in frame.currency */
} org_slot;

typedef struct run {
    db *d;
    const billing_run_opts *o;
    arena *a; /* the batch's mails; freed at every batch */
    billing_counts batch;
    service_renew_cache cache;
    billing_vat_cache vat;
    char date[11]; /* the run's date: the VAT's and the invoices' */
    document invoice; /* the invoice of the renewal being handled (invoice_renewal) */
    int open_n; /* the batch's services on an open pro-forma: how many (> BILLING_BATCH_MAX: more) */
    int64_t open_ids[BILLING_BATCH_MAX]; /* their ids, ascending */
    org_slot orgs[ORG_CACHE_SLOTS];
} run;

billing_run_opts billing_run_opts_from(const app *ap, const saldo_config *cfg, int64_t at)
{
    return (billing_run_opts){.ap = ap, .at = at, .renewal_window_days = cfg->renewal_window_days,
                              .grace_days = cfg->grace_days, .termination_days = cfg->termination_days};
}

/* The org's billing address and language (the first administrator's); NULL
 * on a store error, so that a mail is never skipped for want of a read. */
static const org_slot *org_of(run *r, int64_t org_id)
{
    org_slot *o = &r->orgs[(uint64_t)org_id % ORG_CACHE_SLOTS];
    if (o->org_id == org_id)
        return o;
    memset(o, 0, sizeof *o);
    notify_entry e[NOTIFY_KIND_COUNT];
    if (!notify_addresses_get(r->d, org_id, e))
        return NULL;
    o->has_address = e[NOTIFY_BILLING].effective[0] != '\0';
    snprintf(o->address, sizeof o->address, "%s", e[NOTIFY_BILLING].effective);
    int64_t admin = org_first_admin(r->d, org_id);
    if (admin < 0 || (admin > 0 && !auth_user_language(r->d, admin, o->lang)))
        return NULL; /* an administrator's account always has a language */
    if (!admin)
        snprintf(o->lang, sizeof o->lang, "it");
    o->org_id = org_id;
    return o;
}

static const char *money_text(run *r, const char *cur, int64_t minor, const char *lang)
{
    const currency *c = currency_find(cur);
    char text[MONEY_FORMAT_BYTES_MAX];
    if (!c || money_format(money_make(minor, c), lang, text, sizeof text) != MONEY_OK)
        return arena_printf(r->a, "%lld %s", (long long)minor, cur);
    return arena_strdup(r->a, text);
}

static const char *date_text(run *r, int64_t t)
{
    char day[11];
    return arena_strdup(r->a, zone_provider_date(t, day) ? day : "?");
}

/* The fields every billing mail has: product, label, expiry, links. NULL on
 * a store error. */
static json_t *mail_data(run *r, const service *s, const char *lang)
{
    catalog_product scratch;
    const catalog_product *p = NULL;
    int found = service_renew_product(r->d, &r->cache, s, &scratch, &p);
    if (found < 0)
        return NULL;
    const char *product = found ? catalog_product_name(p, lang) : "";
    const char *base = r->o->ap->cfg->base_url;
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "product", product, "label", s->label,
                     "expires", date_text(r, s->expires_at), "service_id", (json_int_t)s->id,
                     "renewals_link", arena_printf(r->a, "%s/renewals", base),
                     "billing_link", arena_printf(r->a, "%s/billing", base),
                     "provider", r->o->ap->cfg->provider.name);
}

/* Queues template name to o's billing address about s, with the PDF of
 * document doc_id (made when the mail is sent) unless 0; data is consumed.
 * An organization without any address gets no mail (logged), which is no
 * error. */
static bool queue_mail(run *r, const org_slot *o, const service *s, const char *name, json_t *data, int64_t doc_id)
{
    if (!data)
        return false; /* a store error while gathering it */
    if (!o->has_address) {
        log_warn("billing_mail", "org_id=%lld service_id=%lld mail=%s msg=\"no billing address\"",
                 (long long)s->org_id, (long long)s->id, name);
        json_decref(data);
        return true;
    }
    const char *subject, *body;
    bool ok = mail_render(r->o->ap, r->a, name, o->lang, data, &subject, &body) &&
              (doc_id ? outbox_enqueue_with_rendered(r->d, o->address, subject, body, INVOICE_FILE_PDF, &doc_id, 1)
                      : outbox_enqueue(r->d, o->address, subject, body));
    json_decref(data);
    return ok;
}

/* Inserts step for s's current expiry unless it is there: *fresh says whether
 * this call did. */
static bool step_once(run *r, const service *s, const char *step, bool *fresh)
{
    db_stmt *st = db_prepare(r->d,
        "INSERT INTO billing_steps (service_id, expires_at, step, created_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT DO NOTHING");
    if (!st)
        return false;
    db_bind_int64(st, 1, s->id);
    db_bind_int64(st, 2, s->expires_at);
    db_bind_text(st, 3, step);
    db_bind_int64(st, 4, r->o->at);
    if (db_exec1(st) != DB_DONE)
        return false;
    *fresh = db_changes(r->d) == 1;
    return true;
}

/* The tightest reminder due for s (index in reminder_days), -1 for none. */
static int reminder_due(const run *r, const service *s)
{
    if (r->o->at >= s->expires_at)
        return -1;
    int64_t days_left = period_days_between(r->o->at, s->expires_at);
    assert(days_left >= 0);
    int i = 0;
    while (i < REMINDER_COUNT && days_left > reminder_days[i])
        i++;
    return i < REMINDER_COUNT ? i : -1;
}

/* ---- automatic renewal ---- */

/* Pays an automatic renewal of s for its period: SERVICE_RENEW_OK when paid;
 * SERVICE_RENEW_INSUFFICIENT_FUNDS to let the next payer try. */
typedef service_renew_result (*renew_payer)(run *r, const service *s, service_renewal *out);

/* The frame of s's organization's invoices in currency_code, taxed by tax
 * (its one decision of the batch): taken at its first renewal of the batch
 * instead of at each. NULL on a store error. */
static const document *frame_of(run *r, const service *s, const sale_tax *tax, const char *currency_code)
{
    if (!org_of(r, s->org_id))
        return NULL;
    org_slot *o = &r->orgs[(uint64_t)s->org_id % ORG_CACHE_SLOTS];
    assert(o->org_id == s->org_id);
    if (!o->framed || strcmp(o->frame.currency, currency_code)) {
        o->framed = false;
        if (!invoices_sale_frame(r->d, r->o->ap, s->org_id, tax, currency_code, "balance", &o->frame))
            return NULL;
        o->framed = true;
    }
    return &o->frame;
}

/* The final invoice of renewal rn of s, taxed by tax, into r->invoice (its
 * mail is the "renewed" one, mail_renewed). */
static bool invoice_renewal(run *r, const service *s, const sale_tax *tax, const service_renewal *rn)
{
    const document *frame = frame_of(r, s, tax, rn->currency);
    catalog_product scratch;
    const catalog_product *p;
    if (!frame || service_renew_product(r->d, &r->cache, s, &scratch, &p) != 1)
        return false;
    doc_line line = {.quantity = 1, .unit_net_minor = rn->amount_minor, .net_minor = rn->amount_minor};
    snprintf(line.description, sizeof line.description, "%s", catalog_product_name(p, frame->language));
    if (!zone_provider_date(rn->old_expires_at, line.period_start) ||
        !zone_provider_date(rn->new_expires_at, line.period_end))
        return false;
    char key[40];
    snprintf(key, sizeof key, "renewal:%lld", (long long)rn->id);
    doc_source src = {.key = key, .renewal_id = rn->id, .key_new = true}; /* rn was inserted just now */
    return invoices_sale_framed(r->d, s->org_id, tax, frame, &line, 1, &src, &r->invoice);
}

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Whether s may be on an open pro-forma (the batch's one question, not one
 * per service). */
static bool proforma_open(const run *r, const service *s)
{
    return r->open_n > BILLING_BATCH_MAX ||
           (r->open_n > 0 && bsearch(&s->id, r->open_ids, (size_t)r->open_n, sizeof r->open_ids[0], id_cmp));
}

static service_renew_result pay_from_balance(run *r, const service *s, service_renewal *out)
{
    memset(out, 0, sizeof *out);
    r->invoice.id = 0;
    int64_t price;
    int priced = service_renew_price(r->d, &r->cache, s, s->period_months, &price);
    if (priced != 1)
        return priced == 0 ? SERVICE_RENEW_NO_PRICE : SERVICE_RENEW_STORE_ERROR;
    sale_tax tax;
    switch (billing_vat_of(r->d, r->o->ap, &r->vat, r->date, s, price, &tax)) {
    case SALE_TAX_OK:
        break;
    case SALE_TAX_STORE_ERROR:
        return SERVICE_RENEW_STORE_ERROR;
    default: /* no VAT rate for its country: it cannot be charged (logged as no price) */
        return SERVICE_RENEW_NO_PRICE;
    }
    service_renew_result res = service_renew(r->d, &r->cache, s, s->period_months, tax.vat_minor,
                                             SERVICE_RENEW_AUTO, r->o->at, out);
    if (res == SERVICE_RENEW_OK &&
        (!invoice_renewal(r, s, &tax, out) ||
         (proforma_open(r, s) && !renewals_proformas_renewed(r->d, s, s->period_months, r->o->at))))
        return SERVICE_RENEW_STORE_ERROR; /* the renewal is written: the batch rolls back */
    return res;
}

/* The ways an automatic renewal is paid, tried in order. The saved card is
 * not one of them: it cannot be charged inside the batch's transaction, so it
 * tops the balance up before the batch (billing_card.h). */
static const renew_payer payers[] = {pay_from_balance};

/* The one mail of a renewal: what was renewed, and its invoice (r->invoice)
 * with the invoice's PDF attached. */
static bool mail_renewed(run *r, const service *s, const service_renewal *rn)
{
    const org_slot *o = org_of(r, s->org_id);
    if (!o)
        return false;
    json_t *data = mail_data(r, s, o->lang);
    json_object_set_new(data, "new_expires", json_string(date_text(r, rn->new_expires_at)));
    json_object_set_new(data, "amount", json_string(money_text(r, rn->currency, rn->gross_minor, o->lang)));
    const document *inv = &r->invoice;
    if (inv->id) {
        json_object_set_new(data, "invoice", json_string(inv->number));
        json_object_set_new(data, "invoice_link", json_string(arena_printf(r->a, "%s/billing/invoices/%lld",
                                                                            r->o->ap->cfg->base_url,
                                                                            (long long)inv->id)));
    }
    return queue_mail(r, o, s, "billing_renewed", data, inv->id);
}

static bool mail_failed(run *r, const service *s, const service_renewal *rn)
{
    bool fresh = false;
    if (!step_once(r, s, "renewal_failed", &fresh))
        return false;
    if (!fresh)
        return true;
    /* The notice stands for the reminder due today: record it without a mail,
     * so a second run today sends none either. */
    int due = reminder_due(r, s);
    bool ignored;
    if (due >= 0 && !step_once(r, s, reminder_steps[due], &ignored))
        return false;
    r->batch.failed++;
    const org_slot *o = org_of(r, s->org_id);
    if (!o)
        return false;
    json_t *data = mail_data(r, s, o->lang);
    json_object_set_new(data, "amount", json_string(money_text(r, rn->currency, rn->gross_minor, o->lang)));
    json_object_set_new(data, "shortfall", json_string(money_text(r, rn->currency, rn->shortfall_minor, o->lang)));
    int declined = billing_card_declined(r->d, s);
    if (declined < 0) {
        json_decref(data);
        return false;
    }
    json_object_set_new(data, "card_declined", json_boolean(declined));
    return queue_mail(r, o, s, "billing_renewal_failed", data, 0);
}

/* Tries to renew s; *done when nothing else is to be done for it now
 * (renewed, here or by another run). False on a store error. */
static bool auto_renew(run *r, const service *s, bool *done)
{
    service_renewal rn;
    service_renew_result res = SERVICE_RENEW_INSUFFICIENT_FUNDS;
    for (size_t i = 0; i < sizeof payers / sizeof payers[0] && res == SERVICE_RENEW_INSUFFICIENT_FUNDS; i++)
        res = payers[i](r, s, &rn);
    *done = res == SERVICE_RENEW_OK || res == SERVICE_RENEW_CONFLICT;
    switch (res) {
    case SERVICE_RENEW_OK:
        r->batch.renewed++;
        return mail_renewed(r, s, &rn);
    case SERVICE_RENEW_INSUFFICIENT_FUNDS:
        return mail_failed(r, s, &rn);
    case SERVICE_RENEW_CONFLICT:
        return true;
    case SERVICE_RENEW_NO_PRICE:
    case SERVICE_RENEW_NOT_RENEWABLE:
        log_warn("billing_run", "service_id=%lld period=%d msg=\"cannot renew: %s\"", (long long)s->id,
                 s->period_months, service_renew_result_str(res));
        return true;
    default:
        return false;
    }
}

/* ---- reminders and expiry ---- */

static bool remind(run *r, const service *s, bool after_failed_renewal)
{
    int i = reminder_due(r, s);
    if (i < 0 || (after_failed_renewal && reminder_days[i] >= r->o->renewal_window_days))
        return true;
    int64_t days_left = period_days_between(r->o->at, s->expires_at);
    bool fresh = false;
    if (!step_once(r, s, reminder_steps[i], &fresh))
        return false;
    if (!fresh)
        return true;
    r->batch.reminders++;
    const org_slot *o = org_of(r, s->org_id);
    if (!o)
        return false;
    json_t *data = mail_data(r, s, o->lang);
    json_object_set_new(data, "days", json_integer(days_left));
    return queue_mail(r, o, s, "billing_reminder", data, 0);
}

static bool expire(run *r, const service *s)
{
    int64_t since = r->o->at - s->expires_at;
    assert(since >= 0);
    service_status to = since >= (int64_t)r->o->termination_days * BILLING_DAY_S ? SERVICE_TERMINATED
                        : since >= (int64_t)r->o->grace_days * BILLING_DAY_S && s->status == SERVICE_ACTIVE
                            ? SERVICE_SUSPENDED : SERVICE_STATUS_COUNT;
    if (to == SERVICE_STATUS_COUNT)
        return true;
    bool fresh = false;
    if (!step_once(r, s, service_status_names[to], &fresh))
        return false;
    if (!fresh)
        return true;
    int changed = service_expire_to(r->d, s, to, r->o->at);
    if (changed != 1)
        return changed == 0;
    if (to == SERVICE_TERMINATED)
        r->batch.terminated++;
    else
        r->batch.suspended++;
    const org_slot *o = org_of(r, s->org_id);
    if (!o)
        return false;
    return queue_mail(r, o, s, to == SERVICE_TERMINATED ? "billing_terminated" : "billing_suspended",
                      mail_data(r, s, o->lang), 0);
}

static bool handle(run *r, const service *s)
{
    bool attempted = false;
    if (billing_renews_now(r->o, s)) {
        bool done = false;
        if (!auto_renew(r, s, &done))
            return false;
        if (done)
            return true;
        attempted = true;
    }
    if (r->o->at >= s->expires_at)
        return expire(r, s);
    if (s->auto_renew && !attempted)
        return true; /* it renews by itself once inside the window */
    return remind(r, s, attempted);
}

/* ---- batches ---- */

static int64_t horizon(const billing_run_opts *o)
{
    int days = o->renewal_window_days > reminder_days[REMINDER_COUNT - 1] ? o->renewal_window_days
                                                                           : reminder_days[REMINDER_COUNT - 1];
    return o->at + ((int64_t)days + 1) * BILLING_DAY_S - 1; /* up to "days" whole days left */
}

/* One transaction: up to max services after *after_id. *n = how many were
 * read (0 = the run is over). False on a store error (rolled back). */
static bool run_batch(run *r, service *batch, int max, int64_t *after_id, int *n)
{
    if (db_begin(r->d, DB_TX_WRITE) != DB_OK)
        return false;
    service_renew_cache_reset(&r->cache);
    r->cache.vat_per_batch = true; /* one VAT transfer per currency per batch (service_renew_pass_vat) */
    billing_vat_reset(&r->vat);
    memset(r->orgs, 0, sizeof r->orgs);
    memset(&r->batch, 0, sizeof r->batch);
    *n = service_due_batch(r->d, *after_id, horizon(r->o), batch, max);
    bool ok = *n >= 0;
    if (ok && *n > 0) {
        r->open_n = renewals_proformas_open_in(r->d, batch[0].id, batch[*n - 1].id, r->open_ids, BILLING_BATCH_MAX);
        ok = r->open_n >= 0;
    }
    for (int i = 0; ok && i < *n; i++)
        ok = handle(r, &batch[i]);
    if (ok && service_renew_pass_vat(r->d, &r->cache) && db_commit(r->d) == DB_OK) {
        if (*n > 0)
            *after_id = batch[*n - 1].id; /* only once committed: a retry redoes the batch */
        return true;
    }
    log_warn("billing_run", "after_id=%lld error=\"%s\"", (long long)*after_id, db_errmsg(r->d));
    db_rollback(r->d);
    return false;
}

static void add_counts(billing_counts *to, const billing_counts *c)
{
    to->renewed += c->renewed;
    to->failed += c->failed;
    to->reminders += c->reminders;
    to->suspended += c->suspended;
    to->terminated += c->terminated;
    to->batches++;
}

bool billing_run(db *d, const billing_run_opts *o, billing_counts *out)
{
    assert(d && o && o->ap && out && !db_in_tx(d));
    assert(o->renewal_window_days > 0 && o->grace_days >= 0 && o->termination_days > 0);
    int max = o->batch_size > 0 ? o->batch_size : BILLING_BATCH_DEFAULT;
    assert(max <= BILLING_BATCH_MAX);
    memset(out, 0, sizeof *out);
    int64_t started_at = (int64_t)time(NULL);
    run *r = calloc(1, sizeof *r);
    service *batch = calloc((size_t)max, sizeof *batch);
    if (!r || !batch)
        abort();
    r->d = d;
    r->o = o;
    bool dated = zone_provider_date(o->at, r->date);
    assert(dated);
    (void)dated;
    int64_t after_id = 0;
    int n = max;
    bool ok = true;
    while (ok && n == max && !(o->should_stop && o->should_stop(o->stop_ctx))) {
        /* A batch that failed is retried: two runs at once on PostgreSQL may
         * deadlock on a wallet or race to create the revenue account, and
         * the loser's transaction is aborted as a whole. */
        if (!billing_card_charge_batch(d, o, after_id, horizon(o), batch, max))
            log_warn("billing_run", "after_id=%lld msg=\"the saved cards could not be charged\" error=\"%s\"",
                     (long long)after_id, db_errmsg(d));
        ok = false;
        for (int attempt = 0; !ok && attempt < BILLING_BATCH_ATTEMPTS; attempt++) {
            r->a = arena_new();
            ok = run_batch(r, batch, max, &after_id, &n);
            arena_free(r->a);
        }
        if (ok)
            add_counts(out, &r->batch);
    }
    free(batch);
    free(r);
    log_info("billing_run", "at=%lld renewed=%lld failed=%lld reminders=%lld suspended=%lld terminated=%lld"
             " batches=%lld ok=%d", (long long)o->at, (long long)out->renewed, (long long)out->failed,
             (long long)out->reminders, (long long)out->suspended, (long long)out->terminated,
             (long long)out->batches, ok);
    billing_run_record(d, o->at, started_at, ok, out);
    return ok;
}
