/* xsd_check.c - see xsd_check.h. */
#include "xsd_check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char first_error[1024];

/* Keeps libxml2's first message of a parse or a validation. */
static void structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    if (!first_error[0])
        snprintf(first_error, sizeof first_error, "line %d: %s", e->line, e->message ? e->message : "?");
}

xmlSchemaPtr xsd_load(const char *path, const char *catalog)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
    if (catalog)
        assert_int_equal(xmlLoadCatalog(catalog), 0);
    first_error[0] = '\0';
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    assert_non_null(pc);
    xmlSchemaSetParserStructuredErrors(pc, structured, NULL);
    xmlSchemaPtr s = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (!s)
        fail_msg("schema %s: %s", path, first_error);
    return s;
}

xmlDocPtr xsd_validate(xmlSchemaPtr schema, const buf *xml, char *err, size_t err_size)
{
    first_error[0] = '\0';
    xmlDocPtr doc = xmlReadMemory(buf_cstr(xml), (int)xml->len, "einvoice.xml", "UTF-8", XML_PARSE_NONET);
    if (!doc) {
        snprintf(err, err_size, "not well-formed");
        return NULL;
    }
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    assert_non_null(vc);
    xmlSchemaSetValidStructuredErrors(vc, structured, NULL);
    int rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    if (rc != 0) {
        snprintf(err, err_size, "%s", first_error[0] ? first_error : "invalid");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

xmlDocPtr xsd_assert_valid(xmlSchemaPtr schema, const buf *xml)
{
    char err[1024];
    xmlDocPtr doc = xsd_validate(schema, xml, err, sizeof err);
    if (!doc)
        fail_msg("not valid: %s\n%s", err, buf_cstr(xml));
    return doc;
}

const char *xp(xmlDocPtr doc, const char *expr)
{
    static char out[4096];
    xmlXPathContextPtr c = xmlXPathNewContext(doc);
    assert_non_null(c);
    xmlXPathRegisterNs(c, BAD_CAST "p", BAD_CAST "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2");
    xmlXPathRegisterNs(c, BAD_CAST "cbc",
                       BAD_CAST "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
    xmlXPathRegisterNs(c, BAD_CAST "cac",
                       BAD_CAST "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2");
    xmlXPathRegisterNs(c, BAD_CAST "inv", BAD_CAST "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2");
    xmlXPathRegisterNs(c, BAD_CAST "cn", BAD_CAST "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2");
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    if (!o)
        fail_msg("bad XPath %s", expr);
    xmlChar *s = xmlXPathCastToString(o);
    snprintf(out, sizeof out, "%s", s ? (const char *)s : "");
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(c);
    return out;
}

void golden_check(const buf *xml, const char *path)
{
    if (getenv("SALDO_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(buf_cstr(xml), 1, xml->len, f), xml->len);
        assert_int_equal(fclose(f), 0);
        return;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("%s missing: run with SALDO_UPDATE_GOLDEN=1 to write it", path);
    buf want;
    buf_init(&want, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&want, chunk, n);
    fclose(f);
    bool same = want.len == xml->len && !memcmp(buf_cstr(&want), buf_cstr(xml), xml->len);
    if (!same)
        fail_msg("%s differs from the output:\n%s", path, buf_cstr(xml));
    buf_free(&want);
}
