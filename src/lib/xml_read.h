/* xml_read.h - reading XML that comes from outside (bank statements, the ECB
 * rates file): no network, no DTD, no entity substitution, a size limit, and
 * errors as one line; plus quoting outside text safely into error messages. */
#ifndef SALDO_XML_READ_H
#define SALDO_XML_READ_H

#include <libxml/parser.h>
#include <stddef.h>

/* Longest outside text quoted in an error message; a quote buffer holds
 * XML_QUOTE_SIZE bytes (the text, "..." when cut, and the NUL). */
#define XML_QUOTE_MAX 24
#define XML_QUOTE_SIZE (XML_QUOTE_MAX + 4)

/* Parses data (len bytes, at most max_len) into a tree, or returns NULL with
 * the reason in err: too large, a DOCTYPE, or not well-formed (with the line).
 * name is the document's name for libxml's messages. */
xmlDocPtr xml_read_untrusted(const char *data, size_t len, size_t max_len, const char *name, char *err,
                             size_t err_size);

/* in as printable ASCII (others '?'), cut at XML_QUOTE_MAX with "...": out. */
const char *xml_quote(const char *in, char out[XML_QUOTE_SIZE]);

#endif
