/* checkout.c - pricing an order (order_prepare, also the cart's preview) and
 * checking it out: one write transaction that checks the items, the code,
 * the credits, the terms, the quote and the balance, then writes the order,
 * its items and services, the ledger transfers, the redemptions and the
 * confirmation mail, so that all of it is committed or none of it.
 *
 * Prices are net; the order charges net + VAT (the gross, sale_tax) and
 * issues its final invoice (sale_invoice.h) in the same transaction.
 *
 * Ledger transfers of an order (reference "order:<id>", kind "purchase"):
 *   - paid from a wallet in the order's currency: wallet -> revenue for the
 *     net and wallet -> vat_payable for the VAT;
 *   - from a wallet in another currency X (with a quote of the gross):
 *     wallet(X) -> fx:X for the quoted amount, and fx:Y -> revenue(Y) for the
 *     net and fx:Y -> vat_payable(Y) for the VAT;
 *   - lines paid by free credits: promotions -> revenue. */
#include "feature/orders/orders_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/period.h"
#include "core/zone.h"
#include "feature/addresses/addresses.h"
#include "feature/invoices/invoices.h"
#include "feature/invoices/sale_invoice.h"
#include "feature/ledger/ledger.h"
#include "feature/orgs/orgs.h"
#include "feature/orgs/org_audit.h"
#include "feature/services/services.h"
#include "http/json_in.h"
#include "render/i18n.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

const char *const order_pay_with_names[] = {"balance", "card", "paypal", NULL};

bool order_refuse(order_fail *f, int status, const char *code, const char *message, const char *field)
{
    *f = (order_fail){.status = status, .code = code, .message = message, .field = field};
    return false;
}

static bool store_error(order_fail *f)
{
    return order_refuse(f, 500, "store_error", N_("The order could not be saved; nothing was charged."), NULL);
}

/* Checks the free credit chosen for item i against it. */
static bool check_credit(http_request *r, const order_in *in, size_t i, const catalog_product *p,
                         order_fail *fail)
{
    const order_item_in *it = &in->items[i];
    const char *field = arena_printf(r->a, "items[%zu].credit_id", i);
    free_credit c;
    int found = credit_get(r->db, in->org_id, it->credit_id, &c);
    if (found < 0)
        return store_error(fail);
    if (!found || c.used_at || c.revoked_at || c.product_id != p->id ||
        (c.period_months && c.period_months != it->period_months))
        return order_refuse(fail, 422, "invalid_credit",
                            N_("This free credit cannot be used for this product and period."), field);
    for (size_t j = 0; j < i; j++)
        if (in->items[j].credit_id == it->credit_id)
            return order_refuse(fail, 422, "invalid_credit", N_("A free credit pays for one product only."), field);
    return true;
}

/* Looks item i up and prices it as org pays it; refuses what cannot be sold. */
static bool price_item(http_request *r, const order_in *in, size_t i, order_priced_item *out, order_fail *fail)
{
    const order_item_in *it = &in->items[i];
    const char *pfield = arena_printf(r->a, "items[%zu].product_id", i);
    int found = catalog_product_get(r->db, it->product_id, &out->product);
    if (found < 0)
        return store_error(fail);
    if (!found || !org_user_may_service(r->db, in->user_id, in->org_id, 0, out->product.category_id))
        return order_refuse(fail, 422, "unknown_product", N_("There is no such product."), pfield);
    if (out->product.retired_at)
        return order_refuse(fail, 422, "product_retired", N_("This product can no longer be ordered."), pfield);
    if (!catalog_period_allowed(&out->product, it->period_months))
        return order_refuse(fail, 422, "invalid_period", N_("This product is not sold for that period."),
                            arena_printf(r->a, "items[%zu].period", i));
    found = catalog_price_for(r->db, in->org_id, &out->product, in->cur->code, it->period_months, &out->price);
    if (found < 0)
        return store_error(fail);
    if (!found)
        return order_refuse(fail, 422, "no_price", N_("This product has no price in that currency."), "currency");
    if (it->credit_id && !check_credit(r, in, i, &out->product, fail))
        return false;
    out->period_months = it->period_months;
    out->credit_id = it->credit_id;
    out->auto_renew = out->product.auto_renew && (in->auto_renew_all || it->auto_renew != 0);
    return true;
}

/* Judges in->discount_code for these lines; *verdict OK with *have_code
 * false when there is none. */
static bool judge_code(http_request *r, const order_in *in, const order_line *lines, order_priced *out,
                       order_code *code, bool *have_code, order_fail *fail)
{
    *have_code = false;
    out->verdict = ORDER_CODE_OK;
    if (!in->discount_code || !*in->discount_code)
        return true;
    int found = discount_load(r->db, in->discount_code, in->org_id, in->cur, db_in_tx(r->db), code, &out->code_id);
    if (found < 0)
        return store_error(fail);
    snprintf(out->code, sizeof out->code, "%s", in->discount_code);
    out->verdict = found ? order_code_check(code, lines, out->n, (int64_t)time(NULL)) : ORDER_CODE_UNKNOWN;
    *have_code = out->verdict == ORDER_CODE_OK;
    if (!*have_code)
        out->code_id = 0;
    else
        discount_normalize(in->discount_code, out->code);
    return true;
}

/* The VAT of the priced order's nets: decided for the billing address the
 * order names (or the default one) today. */
static bool order_tax(http_request *r, const order_in *in, const int64_t *nets, order_priced *out, order_fail *fail)
{
    char today[11];
    if (!zone_provider_date((int64_t)time(NULL), today))
        return store_error(fail);
    switch (sale_tax_decide_buyer(r->db, r->app, in->org_id, in->billing_address_id, today, &out->tax, &out->buyer)) {
    case SALE_TAX_OK:
        break;
    case SALE_TAX_NOT_FOUND:
        return order_refuse(fail, 422, "invalid_address", N_("There is no such billing address."),
                            "billing_address_id");
    case SALE_TAX_UNDECIDED:
        return order_refuse(fail, 422, "vat_undecided",
                            N_("The VAT of this order cannot be decided for your billing country: please contact us."),
                            "billing_address_id");
    default:
        return store_error(fail);
    }
    if (!sale_tax_compute(&out->tax, nets, out->n))
        return order_refuse(fail, 422, "amount_too_large", N_("The order's total is too large."), "items");
    assert(out->tax.net_minor == out->totals.total_minor);
    return true;
}

bool order_prepare(http_request *r, const order_in *in, order_priced *out, order_fail *fail)
{
    assert(in->org_id > 0 && in->user_id > 0 && in->cur && in->n <= ORDER_ITEMS_MAX);
    memset(out, 0, sizeof *out);
    out->cur = in->cur;
    if (!in->n)
        return order_refuse(fail, 422, "empty_order", N_("The order has no products."), "items");
    order_line lines[ORDER_ITEMS_MAX];
    for (size_t i = 0; i < in->n; i++) {
        order_priced_item *pi = &out->items[i];
        if (!price_item(r, in, i, pi, fail))
            return false;
        lines[i] = (order_line){pi->product.id, pi->product.category_id, pi->price.price_minor,
                                pi->price.setup_minor, pi->credit_id != 0};
    }
    out->n = in->n;
    order_code code;
    bool have_code;
    if (!judge_code(r, in, lines, out, &code, &have_code, fail))
        return false;
    int64_t discount[ORDER_ITEMS_MAX];
    if (order_price(lines, out->n, have_code ? &code : NULL, in->cur, discount, &out->totals) != MONEY_OK)
        return order_refuse(fail, 422, "amount_too_large", N_("The order's total is too large."), "items");
    int64_t nets[ORDER_ITEMS_MAX];
    for (size_t i = 0; i < out->n; i++) {
        out->items[i].discount_minor = discount[i];
        out->items[i].total_minor = lines[i].credited ? 0 : lines[i].price_minor + lines[i].setup_minor - discount[i];
        nets[i] = out->items[i].total_minor;
    }
    return order_tax(r, in, nets, out, fail);
}

/* ---- checkout ---- */

/* The payment: which wallet, how much leaves it, and the quote used. */
typedef struct wallet_plan {
    const currency *wallet_cur;
    int64_t wallet_id;      /* 0 when nothing is paid from a wallet */
    int64_t paid_minor;
    fx_quote quote;         /* quote.id 0 = none */
} wallet_plan;

static bool check_quote(http_request *r, const order_in *in, const order_priced *pr, wallet_plan *pay,
                        order_fail *fail)
{
    if (!in->quote_id)
        return order_refuse(fail, 422, "quote_required",
                            N_("Paying from a wallet in another currency needs a quote: ask for one first."), "quote_id");
    int found = quote_get(r->db, in->org_id, in->quote_id, &pay->quote);
    if (found < 0)
        return store_error(fail);
    const fx_quote *q = &pay->quote;
    if (!found)
        return order_refuse(fail, 422, "invalid_quote", N_("There is no such quote."), "quote_id");
    if (q->used_at)
        return order_refuse(fail, 422, "quote_used", N_("This quote has been used already."), "quote_id");
    if (q->expires_at <= (int64_t)time(NULL))
        return order_refuse(fail, 422, "quote_expired", N_("The quote has expired: ask for a new one."), "quote_id");
    if (strcmp(q->from, pay->wallet_cur->code) || strcmp(q->to, in->cur->code) ||
        q->amount_minor != pr->tax.gross_minor)
        return order_refuse(fail, 422, "quote_mismatch",
                            N_("The quote is for another amount or currency: ask for a new one."), "quote_id");
    pay->paid_minor = q->converted_minor;
    return true;
}

static bool insufficient(order_fail *fail, int64_t shortfall, const currency *cur)
{
    order_refuse(fail, 422, "insufficient_funds", N_("The balance is not enough for this order."), "pay_with");
    fail->shortfall_minor = shortfall;
    fail->shortfall_cur = cur;
    return false;
}

/* Decides what leaves which wallet and checks the balance covers it. */
static bool plan_payment(http_request *r, const order_in *in, const order_priced *pr, wallet_plan *pay,
                         order_fail *fail)
{
    assert(in->pay_with == ORDER_PAY_BALANCE);
    *pay = (wallet_plan){.wallet_cur = in->wallet_cur ? in->wallet_cur : in->cur};
    if (pr->tax.gross_minor == 0)
        return true; /* everything paid by codes and credits */
    pay->paid_minor = pr->tax.gross_minor;
    if (pay->wallet_cur != in->cur && !check_quote(r, in, pr, pay, fail))
        return false;
    ledger_result lr = ledger_wallet(r->db, in->org_id, pay->wallet_cur->code, false, &pay->wallet_id);
    if (lr == LEDGER_NOT_FOUND)
        return insufficient(fail, pay->paid_minor, pay->wallet_cur);
    int64_t balance;
    if (lr != LEDGER_OK || ledger_balance(r->db, pay->wallet_id, &balance) != LEDGER_OK)
        return store_error(fail);
    if (balance < pay->paid_minor)
        return insufficient(fail, pay->paid_minor - balance, pay->wallet_cur);
    return true;
}

/* The billing address the priced order names (checked live), else the
 * default one (0 when there is none), as order_tax read it. */
static bool resolve_address(const order_in *in, const order_priced *pr, int64_t *out, order_fail *fail)
{
    const sale_buyer *b = &pr->buyer;
    *out = 0;
    if (!in->billing_address_id) {
        *out = b->has_address && b->address.is_default ? b->address.id : 0;
        return true;
    }
    assert(b->has_address && b->address.id == in->billing_address_id);
    if (b->address.retired_at)
        return order_refuse(fail, 422, "invalid_address", N_("There is no such billing address."), "billing_address_id");
    *out = b->address.id;
    return true;
}

static int64_t insert_order(http_request *r, const order_in *in, const order_priced *pr, const wallet_plan *pay,
                            int64_t address_id, const char *idem_key, int64_t now)
{
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO orders (org_id, user_id, status, currency, subtotal_minor, discount_minor, credit_minor,"
        " total_minor, discount_code_id, pay_with, wallet_currency, paid_minor, quote_id, terms_version,"
        " terms_accepted_at, billing_address_id, idempotency_key, created_at, vat_minor, gross_minor, vat_rate_bp,"
        " vat_scheme, vat_mention) VALUES ($1, $2, 'paid', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $14,"
        " $17, $18, $19, $20, $21) RETURNING id");
    if (!s)
        return 0;
    db_bind_int64(s, 1, in->org_id);
    db_bind_int64(s, 2, in->user_id);
    db_bind_text(s, 3, in->cur->code);
    db_bind_int64(s, 4, pr->totals.subtotal_minor);
    db_bind_int64(s, 5, pr->totals.discount_minor);
    db_bind_int64(s, 6, pr->totals.credit_minor);
    db_bind_int64(s, 7, pr->totals.total_minor);
    if (pr->code_id)
        db_bind_int64(s, 8, pr->code_id);
    else
        db_bind_null(s, 8);
    db_bind_text(s, 9, order_pay_with_names[in->pay_with]);
    db_bind_text(s, 10, pay->wallet_cur->code);
    db_bind_int64(s, 11, pay->paid_minor);
    if (pay->quote.id)
        db_bind_int64(s, 12, pay->quote.id);
    else
        db_bind_null(s, 12);
    db_bind_text(s, 13, order_terms_version(r));
    db_bind_int64(s, 14, now);
    if (address_id)
        db_bind_int64(s, 15, address_id);
    else
        db_bind_null(s, 15);
    db_bind_text(s, 16, idem_key);
    db_bind_int64(s, 17, pr->tax.vat_minor);
    db_bind_int64(s, 18, pr->tax.gross_minor);
    db_bind_int64(s, 19, pr->tax.decision.rate_bp);
    db_bind_text(s, 20, vat_scheme_name(pr->tax.decision.scheme));
    db_bind_text(s, 21, vat_mention_name(pr->tax.decision.mention));
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return id;
}

static bool insert_item(db *d, int64_t order_id, const order_priced_item *it, int64_t service_id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO order_items (order_id, product_id, period_months, price_minor, setup_minor, discount_minor,"
        " credit_id, total_minor, service_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    if (!s)
        return false;
    db_bind_int64(s, 1, order_id);
    db_bind_int64(s, 2, it->product.id);
    db_bind_int64(s, 3, it->period_months);
    db_bind_int64(s, 4, it->price.price_minor);
    db_bind_int64(s, 5, it->price.setup_minor);
    db_bind_int64(s, 6, it->discount_minor);
    if (it->credit_id)
        db_bind_int64(s, 7, it->credit_id);
    else
        db_bind_null(s, 7);
    db_bind_int64(s, 8, it->total_minor);
    db_bind_int64(s, 9, service_id);
    return db_exec1(s) == DB_DONE;
}

/* One service per item (pending), its order item, and its credit used: 1
 * done, 0 a credit was used by a concurrent order meanwhile, -1 store error. */
static int write_items(http_request *r, const order_in *in, order_result *res, int64_t address_id, int64_t now)
{
    const order_priced *pr = &res->priced;
    for (size_t i = 0; i < pr->n; i++) {
        const order_priced_item *it = &pr->items[i];
        service_new n = {
            .org_id = in->org_id, .product_id = it->product.id, .order_id = res->order_id,
            .billing_address_id = address_id, .currency = in->cur->code, .period_months = it->period_months,
            .price_minor = it->price.price_minor - it->discount_minor, .auto_renew = it->auto_renew,
            .starts_at = now,
        };
        if (!service_create_row(r->db, &n, &res->services[i]) ||
            !insert_item(r->db, res->order_id, it, res->services[i].id))
            return -1;
        if (it->credit_id && !credit_use(r->db, it->credit_id, res->order_id))
            return 0;
    }
    return 1;
}

static ledger_result post(http_request *r, const char *debit_code, int64_t debit_id, const char *credit_code,
                          const currency *cur, int64_t amount, int64_t order_id, const char *key)
{
    int64_t debit = debit_id, credit, transfer;
    ledger_result lr = LEDGER_OK;
    if ((!debit && (lr = ledger_system_account(r->db, debit_code, cur->code, &debit)) != LEDGER_OK) ||
        (lr = ledger_system_account(r->db, credit_code, cur->code, &credit)) != LEDGER_OK)
        return lr;
    ledger_transfer t = {
        .debit_account_id = debit, .credit_account_id = credit, .amount_minor = amount, .currency = cur->code,
        .kind = "purchase", .reference = arena_printf(r->a, "order:%" PRId64, order_id),
        .idempotency_key = key,
    };
    return ledger_post(r->db, &t, &transfer);
}

/* The order's transfers; LEDGER_INSUFFICIENT_FUNDS when another request spent
 * the wallet since plan_payment read it. */
static ledger_result post_transfers(http_request *r, const order_in *in, const order_result *res,
                                   const wallet_plan *pay)
{
    const order_totals *t = &res->priced.totals;
    const sale_tax *tax = &res->priced.tax;
    const char *k = arena_printf(r->a, "order:%" PRId64, res->order_id); /* order ids are unique */
    ledger_result lr = LEDGER_OK;
    const char *fx = arena_printf(r->a, "fx:%s", in->cur->code);
    bool same = pay->wallet_cur == in->cur;
    if (tax->gross_minor > 0 && !same)
        lr = post(r, NULL, pay->wallet_id, arena_printf(r->a, "fx:%s", pay->wallet_cur->code), pay->wallet_cur,
                  pay->paid_minor, res->order_id, arena_printf(r->a, "%s:pay", k));
    /* From the wallet itself, or from the FX account the quote filled. */
    if (lr == LEDGER_OK && t->total_minor > 0)
        lr = post(r, same ? NULL : fx, same ? pay->wallet_id : 0, "revenue", in->cur, t->total_minor, res->order_id,
                  arena_printf(r->a, same ? "%s:pay" : "%s:fx", k));
    if (lr == LEDGER_OK && tax->vat_minor > 0)
        lr = post(r, same ? NULL : fx, same ? pay->wallet_id : 0, "vat_payable", in->cur, tax->vat_minor,
                  res->order_id, arena_printf(r->a, "%s:vat", k));
    if (lr == LEDGER_OK && t->credit_minor > 0)
        lr = post(r, "promotions", 0, "revenue", in->cur, t->credit_minor, res->order_id,
                  arena_printf(r->a, "%s:credit", k));
    return lr;
}

/* "order.placed" in the organization's audit log: who paid what, from which wallet. */
static bool order_audit(http_request *r, const order_in *in, const order_result *out)
{
    json_t *detail = json_pack("{s:I, s:o, s:o, s:i}", "order_id", (json_int_t)out->order_id, "total",
                               jout_money(money_make(out->priced.totals.total_minor, in->cur), "en"), "paid",
                               jout_money(money_make(out->paid_minor, out->wallet_cur), "en"), "items",
                               (int)out->priced.n);
    return org_audit_record_json(r->db, in->org_id, r->user_id, "order.placed", detail, r->client_ip);
}

/* The invoice's lines of item it: its period (net of its discount) and its
 * setup fee when there is one; a credited item's lines are discounted to 0.
 * Returns how many. */
static size_t item_lines(const order_priced_item *it, const char *lang, int64_t now, doc_line *out)
{
    doc_line *l = &out[0];
    *l = (doc_line){.quantity = 1, .unit_net_minor = it->price.price_minor,
                    .discount_minor = it->credit_id ? it->price.price_minor : it->discount_minor};
    l->net_minor = l->unit_net_minor - l->discount_minor;
    snprintf(l->description, sizeof l->description, "%s", catalog_product_name(&it->product, lang));
    bool dates = zone_provider_date(now, l->period_start) &&
                 zone_provider_date(period_add(now, it->period_months), l->period_end);
    assert(dates);
    (void)dates;
    if (!it->price.setup_minor)
        return 1;
    doc_line *setup = &out[1];
    *setup = (doc_line){.quantity = 1, .unit_net_minor = it->price.setup_minor,
                        .discount_minor = it->credit_id ? it->price.setup_minor : 0};
    setup->net_minor = setup->unit_net_minor - setup->discount_minor;
    snprintf(setup->description, sizeof setup->description, "%s: %s",
             i18n_text(lang, N_("Setup fee")), catalog_product_name(&it->product, lang));
    return 2;
}

/* The final invoice of the order: one line per item and per setup fee,
 * framed from what order_tax read; mailed to to (NULL: nobody to tell). */
static bool order_invoice(http_request *r, const order_in *in, order_result *res, const char *to)
{
    const order_priced *pr = &res->priced;
    document frame, doc;
    if (!invoices_sale_frame_buyer(r->db, r->app, &pr->tax, &pr->buyer, in->cur->code,
                                   in->paid_by ? in->paid_by : "balance", &frame))
        return false;
    doc_line *lines = arena_alloc(r->a, 2 * pr->n * sizeof *lines); /* an item and its setup fee */
    size_t n = 0;
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < pr->n; i++)
        n += item_lines(&pr->items[i], frame.language, now, &lines[n]);
    doc_source src = {.key = arena_printf(r->a, "order:%" PRId64, res->order_id), .order_id = res->order_id};
    if (!invoices_sale_framed(r->db, in->org_id, &pr->tax, &frame, lines, n, &src, &doc))
        return false;
    res->invoice_id = doc.id;
    return !doc.id || !to || invoices_mail_to(r->db, r->app, to, &doc);
}

/* The invoice and the confirmation, both mailed to the billing notification
 * address read once. */
static bool invoice_and_mail(http_request *r, const order_in *in, order_result *res)
{
    char to[FIELD_EMAIL_MAX + 1];
    int found = notify_address(r->db, in->org_id, NOTIFY_BILLING, to);
    return found >= 0 && order_invoice(r, in, res, found ? to : NULL) && order_mail(r, in, res, found ? to : NULL);
}

/* Services, items, transfers and redemptions of the inserted order. */
static bool write_rest(http_request *r, const order_in *in, order_result *out, const wallet_plan *pay,
                       int64_t address_id, int64_t now, order_fail *fail)
{
    const order_priced *pr = &out->priced;
    int written = write_items(r, in, out, address_id, now);
    if (written <= 0)
        return written ? store_error(fail)
                       : order_refuse(fail, 422, "invalid_credit",
                                      N_("This free credit cannot be used for this product and period."), "items");
    ledger_result lr = post_transfers(r, in, out, pay);
    if (lr == LEDGER_INSUFFICIENT_FUNDS)
        return insufficient(fail, pay->paid_minor, pay->wallet_cur);
    if (lr != LEDGER_OK ||
        (pr->code_id && !discount_redeem(r->db, pr->code_id, in->org_id, out->order_id,
                                         money_make(pr->totals.discount_minor, in->cur))) ||
        (pay->quote.id && !quote_use(r->db, pay->quote.id, now)) ||
        (in->clear_cart && !cart_clear(r->db, in->org_id)) || !invoice_and_mail(r, in, out) ||
        !order_audit(r, in, out))
        return store_error(fail);
    return true;
}

bool order_validate(http_request *r, const order_in *in, order_priced *out, int64_t *address_id, order_fail *fail)
{
    if (!order_prepare(r, in, out, fail))
        return false;
    if (out->verdict != ORDER_CODE_OK)
        return order_refuse(fail, 422, arena_printf(r->a, "discount_code_%s", order_code_verdict_name(out->verdict)),
                            order_code_verdict_message(out->verdict), "discount_code");
    if (!in->accept_terms)
        return order_refuse(fail, 422, "terms_not_accepted", N_("Accept the terms of contract to order."), "accept_terms");
    return resolve_address(in, out, address_id, fail);
}

bool order_checkout(http_request *r, const order_in *in, const char *idem_key, order_result *out,
                    order_fail *fail)
{
    assert(db_in_tx(r->db) && in->pay_with == ORDER_PAY_BALANCE && idem_key && *idem_key);
    memset(out, 0, sizeof *out);
    const order_priced *pr = &out->priced;
    int64_t address_id = 0, now = (int64_t)time(NULL);
    wallet_plan pay;
    if (!order_validate(r, in, &out->priced, &address_id, fail) || !plan_payment(r, in, pr, &pay, fail))
        return false;
    out->order_id = insert_order(r, in, pr, &pay, address_id, idem_key, now);
    out->paid_minor = pay.paid_minor;
    out->wallet_cur = pay.wallet_cur;
    if (!out->order_id)
        return store_error(fail);
    return write_rest(r, in, out, &pay, address_id, now, fail);
}
