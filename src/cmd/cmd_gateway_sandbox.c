/* cmd_gateway_sandbox.c - `saldo gateway-sandbox`: the sandbox payment
 * gateway as its own service. It reads only its own flags (never saldo's
 * configuration chain, so it can never open saldo's database), creates its
 * store, starts the HTTP server and the webhook worker, and runs until SIGTERM. */
#include "cmd/cmd.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "core/number_text.h"
#include "gateway/gw.h"
#include "gateway/gw_webhook.h"
#include "http/server.h"
#include "lib/log.h"

enum { GW_BODY_MAX_BYTES = 64 * 1024, GW_GRACE_MS = 5000, GW_THREADS = 4 };

static const char *const usage =
    "usage: saldo gateway-sandbox --listen HOST:PORT --api-key KEY --webhook-url URL --webhook-secret SECRET\n"
    "                             [--database sqlite:PATH] [--public-url URL] [--confirmations N]\n"
    "                             [--confirmation-interval SECONDS] [--retry-base-ms MS]\n"
    "A sandbox payment gateway with hosted pages, test cards and signed webhooks\n"
    "(docs/GATEWAY-SANDBOX.md). Runs until SIGTERM.\n"
    "  --listen HOST:PORT           where to listen (127.0.0.1:8091)\n"
    "  --api-key KEY                the secret API key callers send as 'Authorization: Bearer KEY'\n"
    "  --webhook-url URL            where events are POSTed\n"
    "  --webhook-secret SECRET      the HMAC-SHA256 key of the Saldo-Signature header\n"
    "  --database sqlite:PATH       the gateway's own store (sqlite:gateway-sandbox.db)\n"
    "  --public-url URL             base of the hosted pages' URLs (http://HOST:PORT)\n"
    "  --confirmations N            confirmations a crypto payment needs, 1..1000 (3)\n"
    "  --confirmation-interval S    seconds per confirmation, 1..86400 (10)\n"
    "  --retry-base-ms MS           first webhook retry delay, doubled each time, 10..3600000 (1000)\n";

typedef struct gw_args {
    const char *listen, *api_key, *webhook_url, *webhook_secret, *database, *public_url;
    const char *confirmations, *interval, *retry_base;
} gw_args;

static bool bad(const char *msg, const char *what)
{
    fprintf(stderr, "saldo gateway-sandbox: %s%s (see --help)\n", msg, what);
    return false;
}

static bool parse_flags(int argc, char **argv, gw_args *a)
{
    const struct {
        const char *name;
        const char **value;
    } flags[] = {{"--listen", &a->listen}, {"--api-key", &a->api_key}, {"--webhook-url", &a->webhook_url},
                 {"--webhook-secret", &a->webhook_secret}, {"--database", &a->database},
                 {"--public-url", &a->public_url}, {"--confirmations", &a->confirmations},
                 {"--confirmation-interval", &a->interval}, {"--retry-base-ms", &a->retry_base}};
    for (int i = 1; i < argc; i++) {
        size_t f = 0;
        while (f < sizeof flags / sizeof flags[0] && strcmp(argv[i], flags[f].name))
            f++;
        if (f == sizeof flags / sizeof flags[0])
            return bad("unknown argument ", argv[i]);
        if (i + 1 >= argc)
            return bad("a value is missing after ", argv[i]);
        *flags[f].value = argv[++i];
    }
    return true;
}

static bool number(const char *s, int64_t lo, int64_t hi, const char *name, int64_t *out)
{
    return int_text_parse(s, lo, hi, out) || bad("a number out of range for ", name);
}

static bool check_args(gw_args *a)
{
    if (!a->listen || !a->api_key || !a->webhook_url || !a->webhook_secret)
        return bad("--listen, --api-key, --webhook-url and --webhook-secret are required", "");
    if (strlen(a->api_key) < 8 || strlen(a->webhook_secret) < 8)
        return bad("the API key and the webhook secret need at least 8 characters", "");
    if (strncmp(a->webhook_url, "http://", 7) && strncmp(a->webhook_url, "https://", 8))
        return bad("--webhook-url must be an http or https URL: ", a->webhook_url);
    if (!a->database)
        a->database = "sqlite:gateway-sandbox.db";
    if (strncmp(a->database, "sqlite:", 7) || !a->database[7])
        return bad("--database must be sqlite:PATH, not ", a->database);
    gw_cfg = (gw_config){.api_key = a->api_key, .webhook_url = a->webhook_url, .webhook_secret = a->webhook_secret,
                         .confirmations = 3, .confirmation_interval_s = 10, .retry_base_ms = 1000};
    if ((a->confirmations && !number(a->confirmations, 1, GW_CONFIRMATIONS_MAX, "--confirmations",
                                     &gw_cfg.confirmations)) ||
        (a->interval && !number(a->interval, 1, 86400, "--confirmation-interval", &gw_cfg.confirmation_interval_s)) ||
        (a->retry_base && !number(a->retry_base, 10, 3600000, "--retry-base-ms", &gw_cfg.retry_base_ms)))
        return false;
    return true;
}

static bool prepare_store(const char *url)
{
    char err[512];
    db *d = db_open(url, err, sizeof err);
    bool ok = d && gw_store_init(d, err, sizeof err);
    if (!ok)
        fprintf(stderr, "saldo gateway-sandbox: %s\n", err);
    db_close(d);
    return ok;
}

static int run(const gw_args *a)
{
    char err[512], public_url[512];
    snprintf(public_url, sizeof public_url, "%s", a->public_url ? a->public_url : "");
    if (!a->public_url)
        snprintf(public_url, sizeof public_url, "http://%s", a->listen);
    gw_cfg.public_url = public_url;
    if (!prepare_store(a->database))
        return 1;
    if (!gw_pages_init(err, sizeof err)) {
        fprintf(stderr, "saldo gateway-sandbox: %s\n", err);
        gw_pages_free();
        return 1;
    }
    gw_routes_init();
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    http_server_opts opts = {.listen = a->listen, .db_url = a->database, .threads = GW_THREADS,
                             .body_max_bytes = GW_BODY_MAX_BYTES, .idle_timeout_s = 30, .dispatch = gw_dispatch};
    http_server *srv = http_server_start(&opts, err, sizeof err);
    worker *w = srv ? gw_worker_start(a->database) : NULL;
    int rc = 1;
    if (!srv || !w) {
        fprintf(stderr, "saldo gateway-sandbox: %s\n", srv ? "cannot start the webhook worker" : err);
    } else {
        printf("saldo gateway-sandbox: listening on http://%s (store %s)\n", a->listen, a->database);
        fflush(stdout);
        int sig = 0;
        sigwait(&set, &sig);
        log_info("shutdown", "signal=%d", sig);
        rc = 0;
    }
    if (srv)
        http_server_stop(srv, GW_GRACE_MS);
    worker_stop(w);
    gw_pages_free();
    curl_global_cleanup();
    return rc;
}

int cmd_gateway_sandbox(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage, stdout);
            return 0;
        }
    gw_args a = {0};
    if (!parse_flags(argc, argv, &a) || !check_args(&a))
        return 2;
    return run(&a);
}
