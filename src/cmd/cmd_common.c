/* cmd_common.c - argument handling shared by the subcommands (see cmd.h). */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "store/migrate.h"

extern char **environ;

static const char *const config_help =
    "configuration flags (also SALDO_* variables and saldo.conf): --config PATH --listen HOST:PORT\n"
    "  --database URL --base-url URL --smtp-url URL --mail-from ADDR --secret-key KEY --threads N\n"
    "  --log-level LEVEL --provider-name --provider-address --provider-country --provider-vat-id\n"
    "  --provider-iban --provider-bic --terms-version --renewal-window-days N --grace-days N --termination-days N\n"
    "  (see docs/CONFIGURATION.md)\n";

static const cmd_flag *find_flag(const cmd_flag *flags, const char *arg, const char **inline_value)
{
    *inline_value = NULL;
    for (const cmd_flag *f = flags; f && f->name; f++) {
        size_t n = strlen(f->name);
        if (!strncmp(arg, f->name, n) && (arg[n] == '\0' || (arg[n] == '=' && f->takes_value))) {
            if (arg[n] == '=')
                *inline_value = arg + n + 1;
            return f;
        }
    }
    return NULL;
}

bool cmd_args(int argc, char **argv, const char *usage, saldo_config *cfg, const cmd_flag *flags,
              const char **positional, int positional_max, int *exit_code)
{
    char err[512];
    *exit_code = 2;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s%s", usage, config_help);
            *exit_code = 0;
            return false;
        }
    if (!config_from_args(cfg, &argc, argv, environ, err, sizeof err)) {
        fprintf(stderr, "saldo: %s\n", err);
        return false;
    }
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *inline_value;
        const cmd_flag *f = find_flag(flags, argv[i], &inline_value);
        if (f) {
            if (f->takes_value && !inline_value && i + 1 >= argc) {
                fprintf(stderr, "saldo: %s needs a value\n", f->name);
                return false;
            }
            *f->value = f->takes_value ? (inline_value ? inline_value : argv[++i]) : "1";
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "saldo: unknown option '%s' (see --help)\n", argv[i]);
            return false;
        } else if (npos < positional_max) {
            positional[npos++] = argv[i];
        } else {
            fprintf(stderr, "saldo: unexpected argument '%s' (see --help)\n", argv[i]);
            return false;
        }
    }
    *exit_code = 0;
    return true;
}

db *cmd_open_db(const saldo_config *cfg)
{
    char err[512];
    db *d = db_open(cfg->database, err, sizeof err);
    if (!d) {
        fprintf(stderr, "saldo: %s\n", err);
        return NULL;
    }
    if (db_migrate(d, err, sizeof err) < 0) {
        fprintf(stderr, "saldo: %s\n", err);
        db_close(d);
        return NULL;
    }
    return d;
}
