/* cmd_rates.c - `saldo import-rates FILE`: the ECB eurofxref daily XML. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "feature/fx/fx_store.h"

int cmd_import_rates(int argc, char **argv)
{
    static const char *const usage =
        "usage: saldo import-rates FILE [configuration flags]\n"
        "Imports the ECB euro reference rates (eurofxref-daily.xml) from FILE.\n";
    saldo_config cfg;
    const char *path = NULL;
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, NULL, &path, 1, &code))
        return code;
    if (!path) {
        fprintf(stderr, "saldo: import-rates needs a FILE\n");
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "saldo: %s: cannot open\n", path);
        return 1;
    }
    static char data[ECB_INPUT_BYTES_MAX + 1];
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    ecb_rates *rates = calloc(1, sizeof *rates);
    char err[256];
    if (len > ECB_INPUT_BYTES_MAX || !ecb_parse(data, len, rates, err, sizeof err)) {
        fprintf(stderr, "saldo: %s: %s\n", path, len > ECB_INPUT_BYTES_MAX ? "file too large" : err);
        free(rates);
        return 1;
    }
    db *d = cmd_open_db(&cfg);
    int added = d ? fx_store_import(d, "ECB", rates) : -1;
    if (d && added < 0)
        fprintf(stderr, "saldo: cannot store the rates: %s\n", db_errmsg(d));
    else if (added >= 0)
        printf("saldo: %zu rates of %s read, %d new\n", rates->count, rates->date, added);
    db_close(d);
    free(rates);
    return added < 0 ? 1 : 0;
}
