/* cmd.h - the subcommands of `saldo`, and what they share: reading the
 * configuration chain, their own flags, opening the migrated database. */
#ifndef SALDO_CMD_H
#define SALDO_CMD_H

#include <stdbool.h>

#include "lib/config.h"
#include "store/db.h"

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_import_rates(int argc, char **argv);
int cmd_staff(int argc, char **argv);
int cmd_billing_run(int argc, char **argv);
int cmd_sync_payments(int argc, char **argv);
int cmd_import_statement(int argc, char **argv);
int cmd_gateway_sandbox(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_mail_in(int argc, char **argv);

/* A command's own flags: name ("--force"), whether it takes a value, and where
 * the value (or "1" for a bare switch) goes. */
typedef struct cmd_flag {
    const char *name;
    bool takes_value;
    const char **value;
} cmd_flag;

/* Loads the configuration chain, then the command's flags and up to
 * positional_max positional arguments. Prints usage and returns 0 via *exit_code
 * on --help; prints a one-line error and sets *exit_code 2 on bad arguments.
 * Returns true when the command should run. */
bool cmd_args(int argc, char **argv, const char *usage, saldo_config *cfg, const cmd_flag *flags,
              const char **positional, int positional_max, int *exit_code);
/* Opens cfg's database and applies pending migrations; NULL after printing why. */
db *cmd_open_db(const saldo_config *cfg);

#endif
