/* mail_in.c - an incoming message parsed with GMime into a mail_in (see
 * mail_in.h): headers, the auto-reply and bounce signs, the text body and the
 * attachments, within the size limits. */
#include "mail/mail_in.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_gmime(void)
{
    g_mime_init();
}

static char *dup_or_empty(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

static const char *header(GMimeMessage *msg, const char *name)
{
    return g_mime_object_get_header(GMIME_OBJECT(msg), name);
}

/* The first message id of a References-like header, without <>. */
static char *first_id(const char *value)
{
    GMimeReferences *refs = value ? g_mime_references_parse(NULL, value) : NULL;
    const char *id = refs && g_mime_references_length(refs) > 0 ? g_mime_references_get_message_id(refs, 0) : NULL;
    char *out = dup_or_empty(id);
    if (refs)
        g_mime_references_free(refs);
    return out;
}

/* Every message id of a References header, without <>, space separated. */
static char *all_ids(const char *value)
{
    GMimeReferences *refs = value ? g_mime_references_parse(NULL, value) : NULL;
    int n = refs ? g_mime_references_length(refs) : 0;
    buf b;
    buf_init(&b, 0);
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? " " : "", g_mime_references_get_message_id(refs, i));
    if (refs)
        g_mime_references_free(refs);
    char *out = dup_or_empty(b.len ? b.data : "");
    buf_free(&b);
    return out;
}

static void add_rcpt(mail_in *m, const char *addr)
{
    if (!addr[0] || m->rcpt_count == MAIL_IN_RCPT_MAX)
        return;
    for (size_t i = 0; i < m->rcpt_count; i++)
        if (!strcmp(m->rcpt[i], addr))
            return;
    strcpy(m->rcpt[m->rcpt_count++], addr);
    if (!m->token[0])
        mail_in_token(addr, m->token);
}

static void add_list(mail_in *m, InternetAddressList *list)
{
    int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        char addr[MAIL_IN_ADDR_MAX + 1];
        mail_in_addr(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), addr);
        add_rcpt(m, addr);
    }
}

static void read_addresses(GMimeMessage *msg, mail_in *m)
{
    InternetAddressList *from = g_mime_message_get_from(msg);
    if (from && internet_address_list_length(from) > 0) {
        InternetAddress *ia = internet_address_list_get_address(from, 0);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia))
            mail_in_addr(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), m->from);
    }
    GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
    int hn = g_mime_header_list_get_count(hl);
    for (int i = 0; i < hn; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
        if (!strcasecmp(g_mime_header_get_name(h), "Delivered-To") ||
            !strcasecmp(g_mime_header_get_name(h), "X-Original-To")) {
            char addr[MAIL_IN_ADDR_MAX + 1];
            mail_in_addr(g_mime_header_get_value(h), addr);
            add_rcpt(m, addr);
        }
    }
    add_list(m, g_mime_message_get_to(msg));
    add_list(m, g_mime_message_get_cc(msg));
}

static bool auto_headers(GMimeMessage *msg, const char *from)
{
    const char *as = header(msg, "Auto-Submitted"), *prec = header(msg, "Precedence");
    const char *rp = header(msg, "Return-Path");
    if (as && strncasecmp(as, "no", 2))
        return true;
    if (prec && (strcasestr(prec, "bulk") || strcasestr(prec, "junk") || strcasestr(prec, "list")))
        return true;
    if (header(msg, "X-Autoreply") || header(msg, "X-Autorespond") || header(msg, "List-Id") ||
        header(msg, "X-Auto-Response-Suppress"))
        return true;
    if (rp && (strstr(rp, "<>") || !strcasecmp(rp, "")))
        return true;
    return !from[0] || !strncasecmp(from, "mailer-daemon@", 14) || !strncasecmp(from, "postmaster@", 11);
}

typedef struct walk {
    mail_in *m;
    char *plain, *html; /* the first of each, UTF-8 */
    bool report;
} walk;

static char *part_bytes(GMimePart *part, size_t *len)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    if (!w)
        return NULL;
    GMimeStream *s = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(w, s);
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
    char *out = malloc(ba->len + 1);
    if (!out)
        abort();
    if (ba->len)
        memcpy(out, ba->data, ba->len);
    out[ba->len] = '\0';
    *len = ba->len;
    g_object_unref(s);
    return out;
}

static void add_file(walk *w, GMimePart *part)
{
    mail_in *m = w->m;
    size_t len = 0;
    char *data = m->file_count < MAIL_IN_FILES_MAX ? part_bytes(part, &len) : NULL;
    if (!data || len == 0 || len > MAIL_IN_FILE_MAX) {
        free(data);
        m->files_dropped++;
        return;
    }
    m->files[m->file_count++] = (mail_in_file){.name = dup_or_empty(g_mime_part_get_filename(part)),
                                               .data = data, .len = len};
}

static void visit(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    (void)parent;
    walk *w = data;
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    if (g_mime_content_type_is_type(ct, "multipart", "report") ||
        g_mime_content_type_is_type(ct, "message", "delivery-status")) {
        w->report = true;
        return;
    }
    if (!GMIME_IS_PART(part))
        return;
    GMimePart *p = GMIME_PART(part);
    bool attachment = g_mime_part_is_attachment(p) || g_mime_part_get_filename(p);
    if (!attachment && GMIME_IS_TEXT_PART(part) && g_mime_content_type_is_type(ct, "text", "plain")) {
        if (!w->plain)
            w->plain = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
    } else if (!attachment && GMIME_IS_TEXT_PART(part) && g_mime_content_type_is_type(ct, "text", "html")) {
        if (!w->html)
            w->html = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
    } else if (attachment) {
        add_file(w, p);
    }
}

static void read_body(GMimeMessage *msg, mail_in *m)
{
    walk w = {.m = m};
    g_mime_message_foreach(msg, visit, &w);
    m->is_auto = m->is_auto || w.report;
    if (w.plain)
        m->body = dup_or_empty(w.plain);
    else if (w.html)
        m->body = mail_in_html_text(w.html, strlen(w.html));
    else
        m->body = dup_or_empty("");
    g_free(w.plain);
    g_free(w.html);
    char *o = m->body; /* CRLF to LF */
    for (const char *p = m->body; *p; p++)
        if (*p != '\r' || p[1] != '\n')
            *o++ = *p;
    *o = '\0';
    mail_in_trim_quotes(m->body);
}

bool mail_in_parse(const char *data, size_t len, mail_in *m)
{
    *m = (mail_in){0};
    if (len == 0 || len > MAIL_IN_MESSAGE_MAX)
        return false;
    pthread_once(&init_once, init_gmime);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!msg)
        return false;
    bool ok = g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(msg))) > 0;
    if (ok) {
        read_addresses(msg, m);
        m->subject = dup_or_empty(g_mime_message_get_subject(msg));
        m->message_id = dup_or_empty(g_mime_message_get_message_id(msg));
        m->in_reply_to = first_id(header(msg, "In-Reply-To"));
        m->references = all_ids(header(msg, "References"));
        m->is_auto = auto_headers(msg, m->from);
        GMimeObject *top = g_mime_message_get_mime_part(msg);
        const char *cl = header(msg, "Content-Language");
        if (!cl && top)
            cl = g_mime_object_get_header(top, "Content-Language");
        strcpy(m->lang, cl && !strncasecmp(cl, "it", 2) ? "it" : "en");
        read_body(msg, m);
    }
    g_object_unref(msg);
    return ok;
}

void mail_in_free(mail_in *m)
{
    free(m->subject);
    free(m->message_id);
    free(m->in_reply_to);
    free(m->references);
    free(m->body);
    for (size_t i = 0; i < m->file_count; i++) {
        free(m->files[i].name);
        free(m->files[i].data);
    }
    *m = (mail_in){0};
}
