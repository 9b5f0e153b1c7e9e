/* ecb.c - ECB eurofxref parser (see ecb.h): libxml2 builds a tree from
 * memory with a hardened configuration, then the tree is walked strictly. */
#include "feature/fx/ecb.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "lib/xml_read.h"

#define ECB_NS_GESMES "http://www.gesmes.org/xml/2002-08-01"
#define ECB_NS_REF "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
/* Longest attribute value read; longer ones are errors. */
#define ECB_ATTR_BYTES_MAX 48

__attribute__((format(printf, 3, 4)))
static bool ecb_fail(char *err, size_t err_size, const char *fmt, ...)
{
    if (err_size == 0)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return false;
}

/* Whether n is the element `name` in namespace `ns`. */
static bool ecb_is(const xmlNode *n, const char *name, const char *ns)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name) && n->ns &&
           xmlStrEqual(n->ns->href, BAD_CAST ns);
}

/* The only element child of parent that is a Cube, or NULL with err written
 * when there is none, more than one, or another element in the way. With
 * `others_ok`, elements other than Cube are skipped. */
static const xmlNode *ecb_only_cube(const xmlNode *parent, bool others_ok, const char *where,
                                    char *err, size_t err_size)
{
    const xmlNode *found = NULL;
    for (const xmlNode *n = parent->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!ecb_is(n, "Cube", ECB_NS_REF)) {
            if (others_ok)
                continue;
            char quoted[XML_QUOTE_SIZE];
            ecb_fail(err, err_size, "unexpected element <%s> in %s (line %d)",
                     xml_quote((const char *)n->name, quoted), where, (int)xmlGetLineNo(n));
            return NULL;
        }
        if (found) {
            ecb_fail(err, err_size, "more than one Cube in %s (line %d)", where,
                     (int)xmlGetLineNo(n));
            return NULL;
        }
        found = n;
    }
    if (!found)
        ecb_fail(err, err_size, "no Cube in %s", where);
    return found;
}

/* Reads attribute `name` (no namespace) of n into out (ECB_ATTR_BYTES_MAX + 1
 * bytes). False, with err written, when missing or too long. */
static bool ecb_attr(const xmlNode *n, const char *name, char *out, char *err,
                     size_t err_size)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    if (!v)
        return ecb_fail(err, err_size, "missing attribute '%s' on Cube (line %d)", name,
                        (int)xmlGetLineNo(n));
    size_t len = strlen((const char *)v);
    if (len > ECB_ATTR_BYTES_MAX) {
        xmlFree(v);
        return ecb_fail(err, err_size, "attribute '%s' too long (line %d)", name,
                        (int)xmlGetLineNo(n));
    }
    memcpy(out, v, len + 1);
    xmlFree(v);
    return true;
}

static bool ecb_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Whether s is "YYYY-MM-DD", a real date, year 1999..9999. */
static bool ecb_date_valid(const char *s)
{
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
            return false;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    if (year < 1999 || month < 1 || month > 12 || day < 1)
        return false;
    int max_day = month_days[month - 1] + (month == 2 && ecb_is_leap_year(year) ? 1 : 0);
    return day <= max_day;
}

/* Reads one <Cube currency=".." rate=".."/> into out->rates[out->count]. */
static bool ecb_read_rate(const xmlNode *n, ecb_rates *out, char *err, size_t err_size)
{
    char code[ECB_ATTR_BYTES_MAX + 1], text[ECB_ATTR_BYTES_MAX + 1];
    char quoted[XML_QUOTE_SIZE];
    int line = (int)xmlGetLineNo(n);
    if (!ecb_attr(n, "currency", code, err, err_size) ||
        !ecb_attr(n, "rate", text, err, err_size))
        return false;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return ecb_fail(err, err_size, "unexpected element inside rate Cube (line %d)",
                            (int)xmlGetLineNo(c));
    const currency *cur = currency_find(code);
    if (!cur)
        return ecb_fail(err, err_size, "unknown currency code '%s' (line %d)",
                        xml_quote(code, quoted), line);
    if (strcmp(cur->code, "EUR") == 0)
        return ecb_fail(err, err_size, "EUR quoted against itself (line %d)", line);
    if (ecb_rates_find(out, cur))
        return ecb_fail(err, err_size, "currency %s quoted twice (line %d)", cur->code, line);
    if (out->count == ECB_RATES_MAX)
        return ecb_fail(err, err_size, "more than %d rates", ECB_RATES_MAX);
    fx_rate rate;
    money_err e = fx_rate_parse(text, &rate);
    if (e != MONEY_OK)
        return ecb_fail(err, err_size, "invalid rate '%s' for %s (line %d): %s",
                        xml_quote(text, quoted), cur->code, line, money_err_str(e));
    out->rates[out->count++] = (ecb_rate){.cur = cur, .rate = rate};
    assert(rate.units > 0 && out->count <= ECB_RATES_MAX);
    return true;
}

/* Walks Envelope > Cube > Cube[time] > Cube[currency, rate]*. */
static bool ecb_read_tree(const xmlDoc *doc, ecb_rates *out, char *err, size_t err_size)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || !ecb_is(root, "Envelope", ECB_NS_GESMES))
        return ecb_fail(err, err_size, "root element is not gesmes:Envelope");
    const xmlNode *outer = ecb_only_cube(root, true, "Envelope", err, err_size);
    if (!outer)
        return false;
    const xmlNode *day = ecb_only_cube(outer, false, "the outer Cube", err, err_size);
    if (!day)
        return false;
    char date[ECB_ATTR_BYTES_MAX + 1], quoted[XML_QUOTE_SIZE];
    if (!ecb_attr(day, "time", date, err, err_size))
        return false;
    if (!ecb_date_valid(date))
        return ecb_fail(err, err_size, "invalid date '%s' (line %d)", xml_quote(date, quoted),
                        (int)xmlGetLineNo(day));
    memcpy(out->date, date, sizeof out->date);
    for (const xmlNode *n = day->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!ecb_is(n, "Cube", ECB_NS_REF))
            return ecb_fail(err, err_size, "unexpected element <%s> in dated Cube (line %d)",
                            xml_quote((const char *)n->name, quoted), (int)xmlGetLineNo(n));
        if (!ecb_read_rate(n, out, err, err_size))
            return false;
    }
    if (out->count == 0)
        return ecb_fail(err, err_size, "no rates for %s", out->date);
    return true;
}

bool ecb_parse(const char *data, size_t len, ecb_rates *out, char *err, size_t err_size)
{
    assert(out && (data || len == 0) && (err || err_size == 0));
    memset(out, 0, sizeof *out);
    if (err_size > 0)
        err[0] = '\0';
    xmlDocPtr doc = xml_read_untrusted(data ? data : "", len, ECB_INPUT_BYTES_MAX, "eurofxref.xml", err, err_size);
    if (!doc)
        return false;
    bool ok = ecb_read_tree(doc, out, err, err_size);
    xmlFreeDoc(doc);
    assert(!ok || (out->count > 0 && out->count <= ECB_RATES_MAX));
    return ok;
}

const ecb_rate *ecb_rates_find(const ecb_rates *rates, const currency *cur)
{
    assert(rates && rates->count <= ECB_RATES_MAX);
    for (size_t i = 0; i < rates->count; i++)
        if (rates->rates[i].cur == cur)
            return &rates->rates[i];
    return NULL;
}
