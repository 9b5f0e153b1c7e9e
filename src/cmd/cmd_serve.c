/* cmd_serve.c - `saldo serve`: migrate, start the HTTP server, the outbox
 * worker, the provisioning worker, the hourly billing run and the support SLA
 * watch, run until SIGTERM or SIGINT, then finish the requests in flight. */
#include "cmd/cmd.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "feature/auth/secret.h"
#include "feature/chat/chat.h"
#include "feature/invoices/invoice_files.h"
#include "feature/payments/payments.h"
#include "feature/services/services.h"
#include "feature/support/support.h"
#include "http/server.h"
#include "jobs/billing_run.h"
#include "lib/log.h"
#include "mail/outbox.h"
#include "store/db_group.h"
#include "store/sqlite_checkpoint.h"

enum { SERVE_BODY_MAX_BYTES = 1024 * 1024, SERVE_GRACE_MS = 10000 };

static const char *const usage =
    "usage: saldo serve [configuration flags]\n"
    "Serves the client area, the staff back office and the REST API until SIGTERM.\n";

/* The secret key: configured, or generated once and kept in the database. */
static bool ensure_secret_key(db *d, saldo_config *cfg)
{
    if (cfg->secret_key[0])
        return true;
    db_stmt *s = db_prepare(d, "SELECT value FROM settings WHERE key = 'secret_key'");
    if (s && db_step(s) == DB_ROW)
        snprintf(cfg->secret_key, sizeof cfg->secret_key, "%s", db_col_text(s, 0));
    db_done(s);
    if (cfg->secret_key[0])
        return true;
    char token[SECRET_TOKEN_CHARS + 1];
    secret_token_new(token);
    s = db_prepare(d, "INSERT INTO settings (key, value) VALUES ('secret_key', $1) ON CONFLICT DO NOTHING");
    if (!s)
        return false;
    db_bind_text(s, 1, token);
    if (db_exec1(s) != DB_DONE)
        return false;
    return ensure_secret_key(d, cfg);
}

static int serve(saldo_config *cfg, db *d)
{
    char err[512];
    app a;
    if (!ensure_secret_key(d, cfg) || !app_init(&a, cfg, err, sizeof err)) {
        fprintf(stderr, "saldo: %s\n", cfg->secret_key[0] ? err : "cannot store the secret key");
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* threads started below inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    if (!sqlite_checkpointer_start(cfg->database, err, sizeof err)) { /* before the connections below */
        fprintf(stderr, "saldo: %s\n", err);
        app_free(&a);
        return 1;
    }
    db_group *group = NULL; /* before the workers that join it too; stopped after them */
    if (!strcmp(cfg->store.group_commit, "on") &&
        !(group = db_group_start(cfg->database, (unsigned)cfg->store.group_commit_ms, err, sizeof err))) {
        fprintf(stderr, "saldo: %s\n", err);
        sqlite_checkpointer_stop();
        app_free(&a);
        return 1;
    }
    outbox_renderer documents = invoice_file_renderer(&a);
    outbox_worker *mailer = outbox_worker_start(cfg->database, cfg->smtp_url, cfg->mail_from, &documents, group);
    provision_worker *provisioner = provision_worker_start(&a, cfg->database, group);
    http_server_opts opts = {.listen = cfg->listen, .db_url = cfg->database, .threads = (unsigned)cfg->threads,
                             .body_max_bytes = SERVE_BODY_MAX_BYTES, .idle_timeout_s = 30, .https = a.https,
                             .group = group, .app = &a, .dispatch = app_dispatch, .body_limit = app_body_limit,
                             .grouped = app_grouped, .unavailable = app_unavailable};
    http_server *srv = http_server_start(&opts, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "saldo: %s\n", err);
        provision_worker_stop(provisioner);
        outbox_worker_stop(mailer);
        db_group_stop(group);
        sqlite_checkpointer_stop();
        app_free(&a);
        return 1;
    }
    billing_scheduler *billing = billing_scheduler_start(&a, cfg);
    payments_catchup *catchup = payments_catchup_start(&a, cfg->database);
    support_sla_watch *sla = support_sla_start(&a, cfg->database);
    chat_hub_start(cfg->database);
    char listen_url[sizeof "http://" + CONFIG_LISTEN_MAX];
    snprintf(listen_url, sizeof listen_url, "http://%s", cfg->listen);
    if (!strcmp(listen_url, cfg->base_url)) /* the usual local case: one address */
        printf("saldo: serving %s (database %s)\n", cfg->base_url, cfg->database);
    else
        printf("saldo: serving %s on %s (database %s)\n", cfg->base_url, listen_url, cfg->database);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("shutdown", "signal=%d", sig);
    payments_catchup_stop(catchup);
    support_sla_stop(sla);
    chat_hub_stop();
    billing_scheduler_stop(billing);
    http_server_stop(srv, SERVE_GRACE_MS);
    provision_worker_stop(provisioner);
    outbox_worker_stop(mailer);
    db_group_stop(group); /* nobody is inside or waiting any more */
    sqlite_checkpointer_stop();
    app_free(&a);
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    saldo_config cfg;
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, NULL, NULL, 0, &code))
        return code;
    log_set_level(cfg.log_level);
    db *d = cmd_open_db(&cfg);
    if (!d)
        return 1;
    int rc = serve(&cfg, d);
    db_close(d);
    return rc;
}
