/* cmd_billing_run.c - `saldo billing-run [--at YYYY-MM-DD]`: one billing run
 * (renewals, reminders, suspensions, terminations; see src/jobs/billing_run.h;
 * the saved cards it charges: src/jobs/billing_card.h)
 * for now or for midnight UTC of a date, then a one-line summary. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <time.h>

#include "app.h"
#include "core/period.h"
#include "jobs/billing_run.h"
#include "lib/log.h"

static const char *const usage =
    "usage: saldo billing-run [--at YYYY-MM-DD] [configuration flags]\n"
    "Renews the services due (auto-renew, from the balance; what it lacks is charged\n"
    "to the organization's default saved card when a gateway is configured), queues\n"
    "reminders and suspends or terminates expired services, as of now or of midnight\n"
    "UTC of --at.\n"
    "Running it again for the same date does nothing twice.\n";

int cmd_billing_run(int argc, char **argv)
{
    saldo_config cfg;
    const char *at_text = NULL;
    const cmd_flag flags[] = {{"--at", true, &at_text}, {NULL, false, NULL}};
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, flags, NULL, 0, &code))
        return code;
    int64_t at = (int64_t)time(NULL);
    if (at_text && !period_parse_date(at_text, &at)) {
        fprintf(stderr, "saldo: --at: bad date '%s': expected YYYY-MM-DD\n", at_text);
        return 2;
    }
    log_set_level(cfg.log_level);
    char err[512];
    app a;
    if (!app_init(&a, &cfg, err, sizeof err)) {
        fprintf(stderr, "saldo: %s\n", err);
        return 1;
    }
    db *d = cmd_open_db(&cfg);
    billing_counts n = {0};
    billing_run_opts o = billing_run_opts_from(&a, &cfg, at);
    bool ok = d && billing_run(d, &o, &n);
    if (d)
        printf("saldo: billing run: %lld renewed, %lld failed, %lld reminders, %lld suspended, %lld terminated\n",
               (long long)n.renewed, (long long)n.failed, (long long)n.reminders, (long long)n.suspended,
               (long long)n.terminated);
    if (d && !ok)
        fprintf(stderr, "saldo: billing run stopped: %s\n", db_errmsg(d));
    db_close(d);
    app_free(&a);
    return ok ? 0 : 1;
}
