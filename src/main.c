/* main.c - command dispatch only: `saldo <command> [options]`, git style. */
#include <stdio.h>
#include <string.h>

static int usage(FILE *out)
{
    fputs("usage: saldo <command> [options]\n"
          "commands: serve migrate demo ledger import-rates staff\n"
          "run 'saldo <command> --help' for the options of one command\n", out);
    return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
        return usage(stdout);
    fprintf(stderr, "saldo: unknown command '%s'\n", argv[1]);
    return 2;
}
