/* pain001.c - see pain001.h. Written by hand with careful escaping: the
 * document is small, its shape fixed, and no XML library is needed for it. */
#include "feature/withdrawals/pain001.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/zone.h"

#define PAIN001_NS "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

void pain001_amount(int64_t minor, char *out, size_t size)
{
    assert(minor >= 0 && size >= 24);
    snprintf(out, size, "%" PRId64 ".%02" PRId64, minor / 100, minor % 100);
}

/* Bytes of the UTF-8 sequence that starts with c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

bool pain001_put_text(buf *b, const char *s, size_t max)
{
    size_t chars = 0;
    for (const char *p = s; *p && chars < max; chars++) {
        unsigned char c = (unsigned char)*p;
        size_t n = utf8_len(c);
        if (strnlen(p, n) < n)
            break; /* a cut sequence at the end: drop it */
        switch (c) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&apos;"); break;
        default:
            if (c < 0x20 || c == 0x7F)
                buf_putc(b, ' ');
            else
                buf_append(b, p, n);
        }
        p += n;
    }
    return !b->overflow;
}

/* <tag>text</tag> with text escaped and cut at max characters. */
static void element(buf *b, const char *tag, const char *text, size_t max)
{
    buf_printf(b, "<%s>", tag);
    pain001_put_text(b, text, max);
    buf_printf(b, "</%s>", tag);
}

/* local: h->created_at on the clock in Italy. */
static void write_group_header(buf *b, const pain001_head *h, const struct tm *local, size_t n, const char *sum)
{
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", local);
    buf_puts(b, "<GrpHdr>");
    element(b, "MsgId", h->msg_id, PAIN001_ID_MAX);
    buf_printf(b, "<CreDtTm>%s</CreDtTm><NbOfTxs>%zu</NbOfTxs><CtrlSum>%s</CtrlSum>", when, n, sum);
    buf_puts(b, "<InitgPty>");
    element(b, "Nm", h->debtor_name, PAIN001_NAME_MAX);
    buf_puts(b, "</InitgPty></GrpHdr>");
}

static void write_debtor(buf *b, const pain001_head *h)
{
    buf_puts(b, "<Dbtr>");
    element(b, "Nm", h->debtor_name, PAIN001_NAME_MAX);
    buf_puts(b, "</Dbtr><DbtrAcct><Id>");
    element(b, "IBAN", h->debtor_iban, PAIN001_ID_MAX);
    buf_puts(b, "</Id></DbtrAcct><DbtrAgt><FinInstnId>");
    if (*h->debtor_bic)
        element(b, "BIC", h->debtor_bic, 11);
    else
        buf_puts(b, "<Othr><Id>NOTPROVIDED</Id></Othr>");
    buf_puts(b, "</FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>");
}

static void write_tx(buf *b, const pain001_tx *t)
{
    char amount[24];
    assert(t->amount_minor > 0 && *t->end_to_end_id && strlen(t->end_to_end_id) <= PAIN001_ID_MAX);
    pain001_amount(t->amount_minor, amount, sizeof amount);
    buf_puts(b, "<CdtTrfTxInf><PmtId>");
    element(b, "EndToEndId", t->end_to_end_id, PAIN001_ID_MAX);
    buf_printf(b, "</PmtId><Amt><InstdAmt Ccy=\"EUR\">%s</InstdAmt></Amt><Cdtr>", amount);
    element(b, "Nm", t->creditor_name, PAIN001_NAME_MAX);
    buf_puts(b, "</Cdtr><CdtrAcct><Id>");
    element(b, "IBAN", t->creditor_iban, PAIN001_ID_MAX);
    buf_puts(b, "</Id></CdtrAcct><RmtInf>");
    element(b, "Ustrd", t->remittance, PAIN001_REMITTANCE_MAX);
    buf_puts(b, "</RmtInf></CdtTrfTxInf>");
}

bool pain001_write(buf *out, const pain001_head *h, const pain001_tx *tx, size_t n)
{
    assert(n >= 1 && *h->msg_id && strlen(h->msg_id) <= PAIN001_ID_MAX);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += tx[i].amount_minor;
    char sum[24], day[16];
    pain001_amount(total, sum, sizeof sum);
    /* ISO 20022 times without an offset are local, and the execution date
     * asked for is the provider's day: both on the clock in Italy. */
    struct tm tm = {0};
    bool dated = zone_wall_tm(h->created_at, ZONE_PROVIDER, &tm);
    assert(dated); /* a file made now */
    (void)dated;
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"" PAIN001_NS "\">"
                  "<CstmrCdtTrfInitn>");
    write_group_header(out, h, &tm, n, sum);
    buf_puts(out, "<PmtInf>");
    element(out, "PmtInfId", h->msg_id, PAIN001_ID_MAX);
    buf_printf(out, "<PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg><NbOfTxs>%zu</NbOfTxs><CtrlSum>%s</CtrlSum>"
                    "<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf><ReqdExctnDt>%s</ReqdExctnDt>",
               n, sum, day);
    write_debtor(out, h);
    for (size_t i = 0; i < n; i++)
        write_tx(out, &tx[i]);
    buf_puts(out, "</PmtInf></CstmrCdtTrfInitn></Document>\n");
    return !out->overflow;
}
