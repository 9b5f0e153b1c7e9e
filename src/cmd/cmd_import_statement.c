/* cmd_import_statement.c - `saldo import-statement FILE`: a camt.053 bank
 * statement (see src/feature/bank/bank.h), then a one-line summary. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "feature/bank/bank.h"
#include "feature/bank/camt053.h"
#include "lib/log.h"

static const char *const usage =
    "usage: saldo import-statement FILE [configuration flags]\n"
    "Imports an ISO 20022 camt.053 bank statement (version 001.02 or 001.08):\n"
    "credits carrying an organization's payment reference top up its wallet, the\n"
    "other entries wait in the staff queue. Importing a file twice does nothing twice.\n";

/* Reads and parses path; NULL after printing why. */
static camt_doc *read_statement(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "saldo: %s: cannot open\n", path);
        return NULL;
    }
    char *data = malloc(CAMT_INPUT_BYTES_MAX + 1);
    camt_doc *doc = calloc(1, sizeof *doc);
    if (!data || !doc)
        abort(); /* out of memory */
    size_t len = fread(data, 1, CAMT_INPUT_BYTES_MAX + 1, f);
    fclose(f);
    char err[256];
    bool ok = len <= CAMT_INPUT_BYTES_MAX && camt053_parse(data, len, doc, err, sizeof err);
    if (!ok)
        fprintf(stderr, "saldo: %s: %s\n", path, len > CAMT_INPUT_BYTES_MAX ? "file too large" : err);
    free(data);
    if (!ok) {
        free(doc);
        return NULL;
    }
    return doc;
}

int cmd_import_statement(int argc, char **argv)
{
    saldo_config cfg;
    const char *path = NULL;
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, NULL, &path, 1, &code))
        return code;
    if (!path) {
        fprintf(stderr, "saldo: import-statement needs a FILE\n");
        return 2;
    }
    log_set_level(cfg.log_level);
    camt_doc *doc = read_statement(path);
    if (!doc)
        return 2;
    char err[512];
    app a;
    if (!app_init(&a, &cfg, err, sizeof err)) {
        fprintf(stderr, "saldo: %s\n", err);
        free(doc);
        return 1;
    }
    db *d = cmd_open_db(&cfg);
    bank_import_counts n;
    bool ok = d && bank_import(d, &a, doc, 0, NULL, &n);
    if (ok)
        printf("saldo: %s: %d entries, %d credited, %d duplicates, %d unmatched, %d not booked\n", path,
               n.entries, n.credited, n.duplicates, n.unmatched, n.not_booked);
    else if (d)
        fprintf(stderr, "saldo: %s: nothing imported: %s\n", path, db_errmsg(d));
    db_close(d);
    app_free(&a);
    free(doc);
    return ok ? 0 : 1;
}
