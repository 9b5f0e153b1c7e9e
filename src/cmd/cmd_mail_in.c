/* cmd_mail_in.c - `saldo mail-in [--department-from ADDRESS]`: one RFC 5322
 * message on stdin, as an MTA pipes it, filed by support_mail_in (a reply to
 * a ticket, a new ticket, or one auto-reply to an unknown sender). Exit codes
 * the MTA understands (sysexits.h): 0 handled, 65 not a message, 75 a store
 * error (the MTA keeps the message and tries again). */
#include "cmd/cmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "feature/support/support_mail_in.h"
#include "lib/log.h"
#include "mail/mail_in.h"

enum { EX_OK_ = 0, EX_DATAERR_ = 65, EX_TEMPFAIL_ = 75 };

static const char *const usage =
    "usage: saldo mail-in [--department-from ADDRESS] [configuration flags] < message\n"
    "Files one email read on stdin (up to 25 MB): a reply carrying a ticket's\n"
    "support+<token>@ address joins that ticket, a new message from a customer's\n"
    "address opens a ticket in the department named by the address it was sent to\n"
    "(--department-from, else Delivered-To / To; default technical), an unknown\n"
    "sender gets one auto-reply a day; auto-replies and bounces are dropped.\n"
    "Exit 0 handled, 65 not a message, 75 temporary failure (try again).\n";

/* Reads stdin up to MAIL_IN_MESSAGE_MAX bytes; NULL when larger or unreadable. */
static char *read_stdin(size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *data = malloc(cap);
    while (data) {
        if (n == cap) {
            if (cap > MAIL_IN_MESSAGE_MAX)
                break;
            cap *= 2;
            char *more = realloc(data, cap);
            if (!more)
                break;
            data = more;
        }
        size_t got = fread(data + n, 1, cap - n, stdin);
        n += got;
        if (got == 0) {
            if (ferror(stdin) || n > MAIL_IN_MESSAGE_MAX)
                break;
            *len = n;
            return data;
        }
    }
    free(data);
    return NULL;
}

static int file_message(const saldo_config *cfg, const mail_in *m, const char *dept_address)
{
    char err[512];
    app a;
    if (!app_init(&a, cfg, err, sizeof err)) {
        fprintf(stderr, "saldo: %s\n", err);
        return EX_TEMPFAIL_;
    }
    db *d = cmd_open_db(cfg);
    if (!d) {
        app_free(&a);
        return EX_TEMPFAIL_;
    }
    arena *ar = arena_new();
    http_request r = {.a = ar, .app = &a, .db = d, .lang = m->lang, .method = "MAIL", .path = "mail-in"};
    int64_t ticket_id = 0;
    support_mail_in_result res = support_mail_in(&r, m, dept_address, &ticket_id);
    char q[MAIL_IN_ADDR_MAX * 2 + 8];
    log_info("mail_in", "result=%s from=%s ticket=%" PRId64 " auto=%d", support_mail_in_names[res],
             log_quote(q, sizeof q, m->from), ticket_id, m->is_auto ? 1 : 0);
    if (res == SUPPORT_MAIL_IN_STORE_ERROR)
        fprintf(stderr, "saldo: mail-in: store error: %s\n", db_errmsg(d));
    arena_free(ar);
    db_close(d);
    app_free(&a);
    return res == SUPPORT_MAIL_IN_STORE_ERROR ? EX_TEMPFAIL_ : EX_OK_;
}

int cmd_mail_in(int argc, char **argv)
{
    saldo_config cfg;
    const char *dept = NULL;
    const cmd_flag flags[] = {{"--department-from", true, &dept}, {NULL, false, NULL}};
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, flags, NULL, 0, &code))
        return code;
    log_set_level(cfg.log_level);
    size_t len = 0;
    char *data = read_stdin(&len);
    if (!data) {
        fprintf(stderr, "saldo: mail-in: the message could not be read or is over 25 MB\n");
        return EX_DATAERR_;
    }
    mail_in m;
    bool parsed = mail_in_parse(data, len, &m);
    free(data);
    if (!parsed) {
        fprintf(stderr, "saldo: mail-in: not an RFC 5322 message\n");
        return EX_DATAERR_;
    }
    char dept_addr[MAIL_IN_ADDR_MAX + 1] = "";
    if (dept)
        mail_in_addr(dept, dept_addr);
    if (!m.token[0])
        mail_in_token(dept_addr, m.token); /* the envelope recipient may carry it (Bcc) */
    int rc = file_message(&cfg, &m, dept_addr[0] ? dept_addr : NULL);
    mail_in_free(&m);
    return rc;
}
