/* cmd_sync_payments.c - `saldo sync-payments [--min-age SECONDS]`: asks the
 * gateway about every payment still pending (started at least --min-age
 * seconds ago, default 120, and within the last 7 days) and applies what it
 * says, as `saldo serve` does a minute at a time; for after an outage of the
 * webhooks. Prints a one-line summary. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <time.h>

#include "app.h"
#include "core/number_text.h"
#include "feature/payments/payments.h"
#include "lib/log.h"

static const char *const usage =
    "usage: saldo sync-payments [--min-age SECONDS] [configuration flags]\n"
    "Asks the payment gateway about every payment still pending that started at\n"
    "least --min-age seconds ago (default 120) and within the last 7 days, and\n"
    "credits, places or fails each as the gateway says (once, whatever webhooks\n"
    "arrive meanwhile).\n";

static bool parse_age(const char *text, int64_t *out)
{
    return int_text_parse(text, 0, 7 * 86400, out);
}

int cmd_sync_payments(int argc, char **argv)
{
    saldo_config cfg;
    const char *age_text = NULL;
    const cmd_flag flags[] = {{"--min-age", true, &age_text}, {NULL, false, NULL}};
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, flags, NULL, 0, &code))
        return code;
    int64_t min_age = 120;
    if (age_text && !parse_age(age_text, &min_age)) {
        fprintf(stderr, "saldo: --min-age: bad value '%s': expected seconds, 0 to 604800\n", age_text);
        return 2;
    }
    log_set_level(cfg.log_level);
    char err[512];
    app a;
    if (!app_init(&a, &cfg, err, sizeof err)) {
        fprintf(stderr, "saldo: %s\n", err);
        return 1;
    }
    if (!gateway_get(&cfg)) {
        fprintf(stderr, "saldo: sync-payments: no gateway configured (gateway.url)\n");
        app_free(&a);
        return 1;
    }
    db *d = cmd_open_db(&cfg);
    payments_catchup_counts c = {0};
    int64_t after = 0, now = (int64_t)time(NULL);
    int n = 0;
    do
        n = d ? payments_catch_up(d, &a, now, min_age, &after, PAYMENTS_CATCHUP_MAX, &c) : -1;
    while (n == PAYMENTS_CATCHUP_MAX);
    if (n >= 0)
        printf("saldo: sync-payments: %d checked, %d settled, %d not answered by the gateway\n", c.checked,
               c.settled, c.unavailable);
    else if (d)
        fprintf(stderr, "saldo: sync-payments stopped: %s\n", db_errmsg(d));
    db_close(d);
    app_free(&a);
    return n >= 0 && !c.unavailable ? 0 : 1;
}
