/* camt053.c - camt.053 statement parser (see camt053.h): libxml2 builds a
 * tree from memory with a hardened configuration, then the tree is walked by
 * local names inside the document's camt.053 namespace. */
#include "feature/bank/camt053.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/money.h"
#include "lib/xml_read.h"

#define CAMT_NS_V2 "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
#define CAMT_NS_V8 "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"

typedef struct walk {
    const xmlChar *ns;
    char *err;
    size_t err_size;
} walk;

__attribute__((format(printf, 2, 3)))
static bool fail(walk *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, w->err_size, fmt, ap);
    va_end(ap);
    return false;
}

static bool is(const walk *w, const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, w->ns) &&
           xmlStrEqual(n->name, BAD_CAST name);
}

/* The first child element called name, or NULL. */
static const xmlNode *child(const walk *w, const xmlNode *parent, const char *name)
{
    for (const xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
        if (is(w, n, name))
            return n;
    return NULL;
}

/* Follows a path of names separated by '/', first match at each step. */
static const xmlNode *path(const walk *w, const xmlNode *from, const char *p)
{
    char step[32];
    while (from && *p) {
        size_t len = strcspn(p, "/");
        if (len >= sizeof step)
            return NULL;
        memcpy(step, p, len);
        step[len] = '\0';
        from = child(w, from, step);
        p += len + (p[len] == '/');
    }
    return from;
}

/* The element's text, whitespace-trimmed, into out; false when longer than
 * size - 1 bytes (an error the caller names). NULL n gives "". */
static bool text(const xmlNode *n, char *out, size_t size)
{
    out[0] = '\0';
    if (!n)
        return true;
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = t ? (const char *)t : "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t len = strlen(s);
    while (len > 0 && strchr(" \t\r\n", s[len - 1]))
        len--;
    bool ok = len < size;
    if (ok) {
        memcpy(out, s, len);
        out[len] = '\0';
    }
    xmlFree(t);
    return ok;
}

/* The ISO amount "123.450" in cur, trailing zeros past the currency's
 * decimals dropped; never floats. */
static bool amount(walk *w, const xmlNode *amt, camt_entry *e, const char *where)
{
    char raw[MONEY_TEXT_BYTES_MAX + 1], q[XML_QUOTE_SIZE];
    xmlChar *ccy = amt ? xmlGetProp(amt, BAD_CAST "Ccy") : NULL;
    snprintf(e->currency, sizeof e->currency, "%s", ccy ? (const char *)ccy : "");
    bool ccy_fits = ccy && strlen((const char *)ccy) == 3;
    xmlFree(ccy);
    if (!amt)
        return fail(w, "%s: no amount", where);
    const currency *cur = ccy_fits ? currency_find(e->currency) : NULL;
    if (!cur)
        return fail(w, "%s: unknown currency '%s'", where, xml_quote(e->currency, q));
    if (!text(amt, raw, sizeof raw))
        return fail(w, "%s: amount too long", where);
    char *dot = strchr(raw, '.');
    if (dot && dot[1]) { /* "10." stays malformed */
        size_t keep = strlen(dot + 1);
        while (keep > (size_t)cur->exponent && dot[keep] == '0')
            dot[keep--] = '\0';
        if (keep == 0 && cur->exponent == 0)
            *dot = '\0';
    }
    money m;
    money_err me = money_parse_plain(raw, cur, &m);
    if (me == MONEY_TOO_PRECISE)
        return fail(w, "%s: amount '%s' has too many decimals for %s", where, xml_quote(raw, q), cur->code);
    if (me != MONEY_OK || m.minor <= 0)
        return fail(w, "%s: amount '%s' is not a positive decimal", where, xml_quote(raw, q));
    e->amount_minor = m.minor;
    return true;
}

/* Appends the text of n to e->remittance, space-separated; false when full. */
static bool remit_add(camt_entry *e, const xmlNode *n)
{
    char t[CAMT_TEXT_MAX + 1];
    if (!text(n, t, sizeof t))
        return false;
    size_t have = strlen(e->remittance), add = strlen(t);
    if (!add)
        return true;
    if (have + add + 1 > CAMT_TEXT_MAX)
        return false;
    if (have)
        e->remittance[have++] = ' ';
    memcpy(e->remittance + have, t, add + 1);
    return true;
}

/* Remittance and debtor of every transaction detail of the entry. */
static bool details(walk *w, const xmlNode *ntry, camt_entry *e, const char *where)
{
    for (const xmlNode *nd = ntry->children; nd; nd = nd->next) {
        if (!is(w, nd, "NtryDtls"))
            continue;
        for (const xmlNode *tx = nd->children; tx; tx = tx->next) {
            if (!is(w, tx, "TxDtls"))
                continue;
            const xmlNode *rmt = child(w, tx, "RmtInf");
            for (const xmlNode *ri = rmt ? rmt->children : NULL; ri; ri = ri->next) {
                bool ok = true;
                if (is(w, ri, "Ustrd"))
                    ok = remit_add(e, ri);
                else if (is(w, ri, "Strd"))
                    ok = remit_add(e, path(w, ri, "CdtrRefInf/Ref"));
                if (!ok)
                    return fail(w, "%s: remittance information longer than %d bytes", where, CAMT_TEXT_MAX);
            }
            const xmlNode *parties = child(w, tx, "RltdPties");
            const xmlNode *name = w->ns[strlen((const char *)w->ns) - 1] == '8' ? path(w, parties, "Dbtr/Pty/Nm")
                                                                               : path(w, parties, "Dbtr/Nm");
            if (name && !e->debtor_name[0] && !text(name, e->debtor_name, sizeof e->debtor_name))
                return fail(w, "%s: debtor name too long", where);
            char iban[IBAN_INPUT_LEN_MAX + 1];
            if (!e->debtor_iban[0] && text(path(w, parties, "DbtrAcct/Id/IBAN"), iban, sizeof iban) &&
                !iban_validate(iban, e->debtor_iban, sizeof e->debtor_iban, NULL))
                e->debtor_iban[0] = '\0';
        }
    }
    return true;
}

static bool entry(walk *w, const xmlNode *ntry, camt_entry *e, const char *where)
{
    char ind[8], sts[8], rvsl[8], q[XML_QUOTE_SIZE];
    *e = (camt_entry){0};
    if (!amount(w, child(w, ntry, "Amt"), e, where))
        return false;
    if (!text(child(w, ntry, "CdtDbtInd"), ind, sizeof ind) || (strcmp(ind, "CRDT") && strcmp(ind, "DBIT")))
        return fail(w, "%s: credit/debit indicator '%s' is neither CRDT nor DBIT", where, xml_quote(ind, q));
    e->credit = !strcmp(ind, "CRDT");
    const xmlNode *st = child(w, ntry, "Sts");
    if (child(w, st, "Cd"))
        st = child(w, st, "Cd");
    if (!st || !text(st, sts, sizeof sts) || !*sts)
        return fail(w, "%s: no status", where);
    e->booked = !strcmp(sts, "BOOK");
    e->reversal = text(child(w, ntry, "RvslInd"), rvsl, sizeof rvsl) && (!strcmp(rvsl, "true") || !strcmp(rvsl, "1"));
    const xmlNode *bd = child(w, ntry, "BookgDt");
    const xmlNode *d = child(w, bd, "Dt") ? child(w, bd, "Dt") : child(w, bd, "DtTm");
    char date[40];
    if (d && (!text(d, date, sizeof date) || strlen(date) < 10))
        return fail(w, "%s: bad booking date", where);
    if (d)
        snprintf(e->booking_date, sizeof e->booking_date, "%.10s", date);
    const xmlNode *ref = child(w, ntry, "AcctSvcrRef");
    e->ref_from_servicer = ref != NULL;
    if (!ref)
        ref = child(w, ntry, "NtryRef");
    if (!text(ref, e->ref, sizeof e->ref))
        return fail(w, "%s: entry reference longer than %d bytes", where, CAMT_ID_MAX);
    if (!details(w, ntry, e, where))
        return false;
    const xmlNode *more = child(w, ntry, "AddtlNtryInf");
    if (more && !remit_add(e, more))
        return fail(w, "%s: remittance information longer than %d bytes", where, CAMT_TEXT_MAX);
    return true;
}

static bool statement(walk *w, const xmlNode *stmt, camt_doc *out)
{
    camt_statement *s = &out->statements[out->statement_count];
    char where[96], q[XML_QUOTE_SIZE], iban[IBAN_INPUT_LEN_MAX + 1];
    const char *why;
    *s = (camt_statement){.first_entry = out->entry_count};
    if (!text(child(w, stmt, "Id"), s->id, sizeof s->id) || !s->id[0])
        return fail(w, "statement %zu: missing or too long Id", out->statement_count + 1);
    if (!text(path(w, stmt, "Acct/Id/IBAN"), iban, sizeof iban) || !iban[0])
        return fail(w, "statement '%s': no account IBAN", xml_quote(s->id, q));
    if (!iban_validate(iban, s->iban, sizeof s->iban, &why))
        return fail(w, "statement '%s': account IBAN: %s", xml_quote(s->id, q), why);
    for (const xmlNode *n = stmt->children; n; n = n->next) {
        if (!is(w, n, "Ntry"))
            continue;
        if (out->entry_count == CAMT_ENTRIES_MAX)
            return fail(w, "more than %d entries", CAMT_ENTRIES_MAX);
        snprintf(where, sizeof where, "entry %zu of statement '%s'", s->entry_count + 1, xml_quote(s->id, q));
        if (!entry(w, n, &out->entries[out->entry_count], where))
            return false;
        out->entry_count++;
        s->entry_count++;
    }
    out->statement_count++;
    return true;
}

bool camt053_parse(const char *data, size_t len, camt_doc *out, char *err, size_t err_size)
{
    walk w = {.err = err, .err_size = err_size};
    xmlDocPtr doc = xml_read_untrusted(data, len, CAMT_INPUT_BYTES_MAX, "statement.xml", err, err_size);
    if (!doc)
        return false;
    const xmlNode *root = xmlDocGetRootElement(doc);
    bool ok = false;
    out->statement_count = out->entry_count = 0;
    if (root && root->ns && xmlStrEqual(root->ns->href, BAD_CAST CAMT_NS_V2))
        out->version = 2;
    else if (root && root->ns && xmlStrEqual(root->ns->href, BAD_CAST CAMT_NS_V8))
        out->version = 8;
    else {
        fail(&w, "not a camt.053 statement (version 001.02 or 001.08)");
        goto done;
    }
    w.ns = root->ns->href;
    const xmlNode *bk = is(&w, root, "Document") ? child(&w, root, "BkToCstmrStmt") : NULL;
    if (!bk) {
        fail(&w, "not a camt.053 statement: no Document/BkToCstmrStmt");
        goto done;
    }
    for (const xmlNode *n = bk->children; n; n = n->next) {
        if (!is(&w, n, "Stmt"))
            continue;
        if (out->statement_count == CAMT_STATEMENTS_MAX) {
            fail(&w, "more than %d statements", CAMT_STATEMENTS_MAX);
            goto done;
        }
        if (!statement(&w, n, out))
            goto done;
    }
    ok = out->statement_count > 0 || fail(&w, "no statement in the document");
done:
    xmlFreeDoc(doc);
    return ok;
}
