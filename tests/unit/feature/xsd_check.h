/* xsd_check.h - for the e-invoice tests: load an XSD offline (an XML catalog
 * for imports given by URL, the network refused), validate a produced file
 * against it, and read values back with XPath. Failures end the cmocka test
 * with libxml2's first message. */
#ifndef SALDO_TEST_XSD_CHECK_H
#define SALDO_TEST_XSD_CHECK_H

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stdbool.h>

#include "lib/buf.h"

/* Loads the schema at path (relative to the repository root, the tests'
 * working directory); catalog may be NULL. Asserts it loads. */
xmlSchemaPtr xsd_load(const char *path, const char *catalog);

/* Parses xml and validates it: the tree on success (free with xmlFreeDoc);
 * NULL with the first error in err otherwise. */
xmlDocPtr xsd_validate(xmlSchemaPtr schema, const buf *xml, char *err, size_t err_size);

/* Like xsd_validate, and fails the test when xml is not valid. */
xmlDocPtr xsd_assert_valid(xmlSchemaPtr schema, const buf *xml);

/* The string value of the XPath expr on doc (prefixes p: FatturaPA, cbc:
 * and cac: UBL components, inv: UBL Invoice, cn: UBL CreditNote), in a
 * static buffer; "" when nothing matches. */
const char *xp(xmlDocPtr doc, const char *expr);

/* Compares xml with the golden file at path (relative to the repository
 * root) byte for byte and fails the test on a difference; with the variable
 * SALDO_UPDATE_GOLDEN set, rewrites the file instead. */
void golden_check(const buf *xml, const char *path);

#endif
