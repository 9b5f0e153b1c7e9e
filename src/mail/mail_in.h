/* mail_in.h - one incoming RFC 5322 message (as an MTA pipes it to `saldo
 * mail-in`) turned into a plain struct: who sent it, to whom, the ticket token
 * of a support+<token>@ recipient, whether it is an auto-reply or a bounce,
 * its text body with the quoted history trimmed (HTML-only mail converted to
 * text), and its attachments. Parsing uses GMime; the text helpers are pure. */
#ifndef SALDO_MAIL_IN_H
#define SALDO_MAIL_IN_H

#include <stdbool.h>
#include <stddef.h>

enum {
    MAIL_IN_MESSAGE_MAX = 25 * 1024 * 1024, /* bytes of a whole message */
    MAIL_IN_FILES_MAX = 5,                  /* attachments kept */
    MAIL_IN_FILE_MAX = 10 * 1024 * 1024,    /* bytes of one kept attachment */
    MAIL_IN_RCPT_MAX = 16,                  /* recipients looked at */
    MAIL_IN_ADDR_MAX = 254,
    MAIL_IN_TOKEN_MAX = 64,
};

typedef struct mail_in_file {
    char *name; /* as the sender named it ("" when unnamed) */
    char *data;
    size_t len;
} mail_in_file;

typedef struct mail_in {
    char from[MAIL_IN_ADDR_MAX + 1];              /* lowercased; "" when none */
    char rcpt[MAIL_IN_RCPT_MAX][MAIL_IN_ADDR_MAX + 1]; /* Delivered-To, To, Cc: lowercased */
    size_t rcpt_count;
    char token[MAIL_IN_TOKEN_MAX + 1];            /* of support+<token>@..., "" when none */
    char *subject;                                /* UTF-8, "" when none */
    char *message_id, *in_reply_to;               /* without <>, "" when none */
    char *references;                             /* References' ids without <>, newest last, one space
                                                   * between them; "" when none */
    bool is_auto;                                 /* auto-reply, bulk/list mail or bounce */
    char lang[3];                                 /* "it" when Content-Language says so, else "en" */
    char *body;                                   /* UTF-8 text, quotes trimmed */
    mail_in_file files[MAIL_IN_FILES_MAX];
    size_t file_count;
    size_t files_dropped;                         /* over the count or the size limit */
} mail_in;

/* Parses data[0..len): true and *m filled (free with mail_in_free), false
 * when it is not a message (no headers, or over MAIL_IN_MESSAGE_MAX). */
bool mail_in_parse(const char *data, size_t len, mail_in *m);
void mail_in_free(mail_in *m);

/* The lowercased mailbox "user@host" of an address text ("Name <a@b>"), or
 * "" when there is none; out holds MAIL_IN_ADDR_MAX + 1. */
void mail_in_addr(const char *text, char *out);
/* The <token> of "support+<token>@...": 1..MAIL_IN_TOKEN_MAX of [0-9a-z];
 * false when addr is not such a recipient. */
bool mail_in_token(const char *addr, char *out);

/* HTML to text: tags removed (script and style with their content), line
 * breaks for br, p, div, li, tr and headings, entities decoded, runs of blank
 * lines collapsed. A malloc'd string. */
char *mail_in_html_text(const char *html, size_t len);
/* Trims the quoted history of a reply in place: from an "On ... wrote:" /
 * "Il ... ha scritto:" line (also over two lines) or an "-----Original
 * Message-----" / "-----Messaggio originale-----" line to the end, and every
 * ">" quoted line; then trailing blank space. */
void mail_in_trim_quotes(char *text);

#endif
