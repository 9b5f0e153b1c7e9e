/* cmd_staff.c - `saldo staff add --email E [--name N]`, password on stdin. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "feature/staff/staff.h"

int cmd_staff(int argc, char **argv)
{
    static const char *const usage =
        "usage: saldo staff add --email EMAIL [--name NAME] [configuration flags] < password\n"
        "Creates a staff account; the password (10-200 characters) is read from stdin.\n";
    saldo_config cfg;
    const char *sub = NULL, *email = NULL, *name = NULL;
    cmd_flag flags[] = {{"--email", true, &email}, {"--name", true, &name}, {NULL, false, NULL}};
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, flags, &sub, 1, &code))
        return code;
    if (!sub || strcmp(sub, "add") || !email) {
        fprintf(stderr, "saldo: usage: saldo staff add --email EMAIL < password\n");
        return 2;
    }
    char password[256] = "";
    if (!fgets(password, sizeof password, stdin)) {
        fprintf(stderr, "saldo: password: expected on stdin\n");
        return 2;
    }
    password[strcspn(password, "\r\n")] = '\0';
    db *d = cmd_open_db(&cfg);
    if (!d)
        return 1;
    char err[256];
    bool ok = staff_add(d, email, name ? name : email, password, err, sizeof err);
    db_close(d);
    if (!ok) {
        fprintf(stderr, "saldo: %s\n", err);
        return strncmp(err, "password", 8) && strncmp(err, "email: '", 8) ? 1 : 2;
    }
    printf("saldo: staff account %s created\n", email);
    return 0;
}
