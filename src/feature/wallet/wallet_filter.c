/* wallet_filter.c - the filters of the transaction history (dates, types,
 * currency, status), parsed once for the API, the CSV and the page, and the
 * names customers read for the ledger's transfer kinds. */
#include "feature/wallet/wallet.h"

#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "core/zone.h"
#include "render/i18n.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

const char *const wallet_kinds[WALLET_KINDS_COUNT] = {
    "topup", "purchase", "renewal", "withdrawal", "adjustment", "reversal", "refund", "payment",
};

static const char *const kind_labels[WALLET_KINDS_COUNT] = {
    N_("Top-up"),     N_("Purchase"),  N_("Renewal"), N_("Withdrawal"),
    N_("Adjustment"), N_("Reversal"),  N_("Refund"),  N_("Payment"),
};

/* Statuses a movement may have. Ledger movements are always "completed";
 * the others belong to payments still in flight (the payments feature). */
static const char *const statuses[] = {"completed", "pending", "failed"};

const char *wallet_kind_label(const char *lang, const char *kind)
{
    for (size_t i = 0; i < WALLET_KINDS_COUNT; i++)
        if (!strcmp(wallet_kinds[i], kind))
            return i18n_text(lang, kind_labels[i]);
    return kind;
}

const char *wallet_line_label(const char *lang, const char *kind, const char *reference)
{
    if (!strcmp(kind, "topup") && !strncmp(reference, "bank_entry:", 11)) /* feature/bank */
        return i18n_text(lang, N_("Bank transfer"));
    return wallet_kind_label(lang, kind);
}

static const char *known(const char *const *list, size_t n, const char *text, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && !strncmp(list[i], text, len))
            return list[i];
    return NULL;
}

/* Each item of the comma-separated list text, looked up in list; into out
 * (no duplicates) and its count. False on an empty or unknown item. */
static bool parse_list(const char *text, const char *const *list, size_t n, const char **out, size_t *count)
{
    *count = 0;
    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ",");
        const char *item = known(list, n, p, len);
        if (!item)
            return false;
        bool seen = false;
        for (size_t i = 0; i < *count; i++)
            seen = seen || out[i] == item;
        if (!seen)
            out[(*count)++] = item;
        p += len;
        if (!*p)
            return true;
    }
}

static bool fail(const char **bad_field, const char **message, const char *field, const char *msg)
{
    *bad_field = field;
    *message = msg;
    return false;
}

bool wallet_parse_filter(const wallet_query *q, wallet_filter *f, const char **bad_field, const char **message)
{
    memset(f, 0, sizeof *f);
    f->completed = true;
    int64_t from = 0, to = 0, ignored; /* days in Italy, as documents are dated */
    bool has_from = q->from && *q->from, has_to = q->to && *q->to;
    if (has_from && !zone_provider_day(q->from, &from, &ignored))
        return fail(bad_field, message, "from", N_("Enter a date as YYYY-MM-DD."));
    if (has_to && !zone_provider_day(q->to, &ignored, &to))
        return fail(bad_field, message, "to", N_("Enter a date as YYYY-MM-DD."));
    if (has_from && has_to && from >= to)
        return fail(bad_field, message, "from", N_("The start date is after the end date."));
    if (has_from) /* 1970-01-01 starts before 0: no bound, the ledger starts later */
        snprintf(f->from, sizeof f->from, "%s", q->from), f->ledger.from = from > 0 ? from : 0;
    if (has_to)
        snprintf(f->to, sizeof f->to, "%s", q->to), f->ledger.to = to;
    if (q->type && *q->type) {
        if (!parse_list(q->type, wallet_kinds, WALLET_KINDS_COUNT, f->ledger.kinds, &f->ledger.nkinds))
            return fail(bad_field, message, "type", N_("Choose one of the listed types."));
        for (size_t i = 0; i < f->ledger.nkinds; i++)
            snprintf(f->type + strlen(f->type), sizeof f->type - strlen(f->type), "%s%s", i ? "," : "",
                     f->ledger.kinds[i]);
    }
    if (q->currency && *q->currency) {
        if (!currency_find(q->currency) || strlen(q->currency) != 3)
            return fail(bad_field, message, "currency", N_("Choose one of the listed currencies."));
        snprintf(f->ledger.currency, sizeof f->ledger.currency, "%s", q->currency);
    }
    if (q->status && *q->status) {
        const char *st[sizeof statuses / sizeof statuses[0]];
        size_t n;
        if (!parse_list(q->status, statuses, sizeof statuses / sizeof statuses[0], st, &n))
            return fail(bad_field, message, "status", N_("Choose one of the listed statuses."));
        f->completed = false;
        for (size_t i = 0; i < n; i++) {
            f->completed = f->completed || !strcmp(st[i], "completed");
            snprintf(f->status + strlen(f->status), sizeof f->status - strlen(f->status), "%s%s", i ? "," : "", st[i]);
        }
    }
    return true;
}

const char *wallet_filter_query(arena *a, const wallet_filter *f)
{
    const char *parts[] = {"from", f->from, "to", f->to, "type", f->type, "currency", f->ledger.currency,
                           "status", f->status};
    const char *out = "";
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i += 2)
        if (*parts[i + 1])
            out = arena_printf(a, "%s%s%s=%s", out, *out ? "&" : "", parts[i], parts[i + 1]);
    return out;
}
