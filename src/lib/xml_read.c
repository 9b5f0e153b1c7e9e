/* xml_read.c - see xml_read.h. */
#include "lib/xml_read.h"

#include <stdio.h>
#include <string.h>

/* No network, no entity substitution, no stderr noise (errors are collected
 * from the context instead). */
static const int untrusted_options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

/* SAX hook run when a DOCTYPE starts, before its internal subset is read:
 * stopping here means no declaration of the document is ever processed. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    (void)name, (void)external_id, (void)system_id;
    xmlStopParser((xmlParserCtxtPtr)ctx);
}

xmlDocPtr xml_read_untrusted(const char *data, size_t len, size_t max_len, const char *name, char *err,
                             size_t err_size)
{
    if (len > max_len) {
        snprintf(err, err_size, "input larger than %zu bytes", max_len);
        return NULL;
    }
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    ctxt->sax->internalSubset = on_doctype;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL, untrusted_options);
    if (ctxt->errNo == XML_ERR_USER_STOP || (doc && (doc->intSubset || doc->extSubset))) {
        snprintf(err, err_size, "DOCTYPE not allowed");
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (!doc || !ctxt->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[128];
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "unknown error");
        msg[strcspn(msg, "\r\n")] = '\0';
        snprintf(err, err_size, "malformed XML at line %d: %s", e ? e->line : 0, msg);
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

const char *xml_quote(const char *in, char out[XML_QUOTE_SIZE])
{
    size_t n = 0;
    for (; n < XML_QUOTE_MAX && in[n]; n++)
        out[n] = (in[n] >= 0x20 && in[n] < 0x7f) ? in[n] : '?';
    if (in[n]) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}
