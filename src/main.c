/* main.c - command dispatch only: `saldo <command> [options]`, git style. */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "cmd/cmd.h"
#include "feature/auth/secret.h"
#include "feature/auth/totp.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"serve", cmd_serve, "serve the client area, the staff back office and the API"},
    {"migrate", cmd_migrate, "apply pending database migrations"},
    {"demo", cmd_demo, "create a database with demo customers, balances and staff"},
    {"ledger", cmd_ledger, "ledger verify: recompute every balance from the transfers"},
    {"import-rates", cmd_import_rates, "import ECB euro reference rates from an XML file"},
    {"import-statement", cmd_import_statement, "import a camt.053 bank statement: credit matched transfers"},
    {"billing-run", cmd_billing_run, "renew due services, send reminders, suspend and terminate expired ones"},
    {"sync-payments", cmd_sync_payments, "ask the payment gateway about pending payments and apply its answers"},
    {"gateway-sandbox", cmd_gateway_sandbox, "a sandbox payment gateway (hosted pages, test cards, webhooks)"},
    {"backup", cmd_backup, "copy the live SQLite database to a file, consistent and checked"},
    {"mail-in", cmd_mail_in, "file one email read on stdin as a support ticket or a reply to one (for an MTA pipe)"},
    {"staff", cmd_staff, "staff add --email E: create a staff account (password on stdin)"},
};

static int usage(FILE *out)
{
    fputs("usage: saldo <command> [options]\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-16s %s\n", commands[i].name, commands[i].summary);
    fputs("\nrun 'saldo <command> --help' for the options of one command\n", out);
    return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return usage(stdout);
    if (!secret_init() || !totp_init()) {
        fputs("saldo: cannot initialize libsodium or liboath\n", stderr);
        return 1;
    }
    xmlInitParser(); /* once, before any thread: the parsers and writers of XML rely on it */
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "saldo: unknown command '%s' (see saldo --help)\n", argv[1]);
    return 2;
}
