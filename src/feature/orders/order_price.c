/* order_price.c - see order_price.h: pure pricing of an order. */
#include "feature/orders/order_price.h"

#include <assert.h>

#include "core/checked.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

static const char *const verdict_names[ORDER_CODE_VERDICT_COUNT] = {
    "ok", "unknown", "not_yet_valid", "expired", "used_up", "used_up_org", "not_for_products",
    "first_order_only", "wrong_currency",
};

static const char *const verdict_messages[ORDER_CODE_VERDICT_COUNT] = {
    N_("The code applies."),
    N_("There is no such discount code."),
    N_("This discount code is not valid yet."),
    N_("This discount code has expired."),
    N_("This discount code has been used up."),
    N_("Your organization has already used this discount code as many times as it may."),
    N_("This discount code is not valid for the products in your order."),
    N_("This discount code is valid on a first order only."),
    N_("This discount code cannot be used in this currency."),
};

const char *order_code_verdict_name(order_code_verdict v)
{
    assert(v < ORDER_CODE_VERDICT_COUNT);
    return verdict_names[v];
}

const char *order_code_verdict_message(order_code_verdict v)
{
    assert(v < ORDER_CODE_VERDICT_COUNT);
    return verdict_messages[v];
}

static bool in_list(const int64_t *list, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == id)
            return true;
    return false;
}

bool order_code_eligible(const order_code *c, const order_line *l)
{
    assert(c && l && c->product_count <= ORDER_CODE_RESTRICT_MAX && c->category_count <= ORDER_CODE_RESTRICT_MAX);
    if (l->credited)
        return false;
    if (!c->product_count && !c->category_count)
        return true;
    return in_list(c->products, c->product_count, l->product_id) ||
           in_list(c->categories, c->category_count, l->category_id);
}

order_code_verdict order_code_check(const order_code *c, const order_line *lines, size_t n, int64_t now)
{
    assert(c && lines && n > 0 && n <= ORDER_ITEMS_MAX);
    assert(c->percent ? c->percent_bp > 0 && c->percent_bp <= 10000 : c->amount_minor >= 0);
    if (now < c->valid_from)
        return ORDER_CODE_NOT_YET_VALID;
    if (c->valid_until && now >= c->valid_until)
        return ORDER_CODE_EXPIRED;
    if (c->max_uses && c->uses >= c->max_uses)
        return ORDER_CODE_USED_UP;
    if (c->max_uses_per_org && c->org_uses >= c->max_uses_per_org)
        return ORDER_CODE_USED_UP_ORG;
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = order_code_eligible(c, &lines[i]);
    if (!any)
        return ORDER_CODE_NOT_FOR_PRODUCTS;
    if (c->first_order_only && c->org_orders > 0)
        return ORDER_CODE_FIRST_ORDER_ONLY;
    if (!c->percent && !c->has_amount)
        return ORDER_CODE_WRONG_CURRENCY;
    return ORDER_CODE_OK;
}

/* A fixed amount spread over the eligible lines by their prices; the amount
 * is capped at their sum, so no line goes below zero. */
static money_err spread_fixed(const order_line *lines, size_t n, const order_code *c, const currency *cur,
                              int64_t discount[])
{
    int64_t ratios[ORDER_ITEMS_MAX], eligible_minor = 0;
    for (size_t i = 0; i < n; i++) {
        ratios[i] = order_code_eligible(c, &lines[i]) ? lines[i].price_minor : 0;
        if (!checked_add(eligible_minor, ratios[i], &eligible_minor))
            return MONEY_OVERFLOW;
    }
    int64_t amount = c->amount_minor < eligible_minor ? c->amount_minor : eligible_minor;
    if (amount == 0) /* nothing to discount (free products): every share is 0 */
        return MONEY_OK;
    money_err e = money_allocate(money_make(amount, cur), ratios, n, discount);
    for (size_t i = 0; e == MONEY_OK && i < n; i++)
        assert(discount[i] >= 0 && discount[i] <= lines[i].price_minor);
    return e;
}

static money_err percent_lines(const order_line *lines, size_t n, const order_code *c, const currency *cur,
                               int64_t discount[])
{
    for (size_t i = 0; i < n; i++) {
        if (!order_code_eligible(c, &lines[i]))
            continue;
        money d;
        money_err e = money_percent_bp(money_make(lines[i].price_minor, cur), c->percent_bp, ROUND_HALF_UP, &d);
        if (e != MONEY_OK)
            return e;
        assert(d.minor >= 0 && d.minor <= lines[i].price_minor);
        discount[i] = d.minor;
    }
    return MONEY_OK;
}

money_err order_price(const order_line *lines, size_t n, const order_code *c, const currency *cur,
                      int64_t discount[], order_totals *totals)
{
    assert(lines && n > 0 && n <= ORDER_ITEMS_MAX && cur && discount && totals);
    for (size_t i = 0; i < n; i++) {
        assert(lines[i].price_minor >= 0 && lines[i].setup_minor >= 0);
        discount[i] = 0;
    }
    money_err e = MONEY_OK;
    if (c)
        e = c->percent ? percent_lines(lines, n, c, cur, discount) : spread_fixed(lines, n, c, cur, discount);
    if (e != MONEY_OK)
        return e;
    order_totals t = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        int64_t line;
        if (!checked_add(lines[i].price_minor, lines[i].setup_minor, &line) ||
            !checked_add(t.subtotal_minor, line, &t.subtotal_minor) ||
            !checked_add(t.discount_minor, discount[i], &t.discount_minor) ||
            (lines[i].credited && !checked_add(t.credit_minor, line, &t.credit_minor)))
            return MONEY_OVERFLOW;
    }
    t.total_minor = t.subtotal_minor - t.discount_minor - t.credit_minor;
    assert(t.total_minor >= 0 && t.discount_minor <= t.subtotal_minor);
    *totals = t;
    return MONEY_OK;
}
