/* cmd_demo.c - `saldo demo`: a fresh database with demo customers, balances,
 * the demo catalog (cmd_demo_catalog.c) and a staff account, so that
 * `make run` shows something real. Balances are made the only way money
 * moves: ledger transfers. */
#include "cmd/cmd.h"
#include "cmd/cmd_demo.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/ledger/ledger.h"
#include "feature/staff/staff.h"

static const char *const usage =
    "usage: saldo demo [--force] [configuration flags]\n"
    "Creates the database with demo data. --force replaces an existing database file.\n";

typedef struct demo_customer {
    const char *email, *name, *country, *lang;
    const char *currency[2];
    int64_t topup_minor[2];
    int64_t spent_minor;
} demo_customer;

static const demo_customer customers[] = {
    {"mario.rossi@example.com", "Mario Rossi", "IT", "it", {"EUR", "USD"}, {25000, 4000}, 4880},
    {"anna.schmidt@example.com", "Anna Schmidt", "DE", "en", {"EUR", NULL}, {120000, 0}, 0},
};

#define DEMO_PASSWORD "saldo-demo-1"
#define DEMO_STAFF_EMAIL "staff@example.com"
#define DEMO_STAFF_PASSWORD "saldo-staff-1"

static bool transfer(db *d, int64_t from, int64_t to, int64_t amount, const char *cur, const char *kind,
                     const char *key)
{
    int64_t id;
    ledger_transfer t = {.debit_account_id = from, .credit_account_id = to, .amount_minor = amount,
                         .currency = cur, .kind = kind, .reference = "demo", .idempotency_key = key};
    return ledger_post(d, &t, &id) == LEDGER_OK;
}

static bool seed_customer(db *d, const demo_customer *c, const char *hash, int64_t *org_out)
{
    int64_t user_id, org_id, wallet, gateway, revenue;
    if (auth_user_create(d, c->email, hash, c->name, c->country, c->lang, &user_id, &org_id) != DB_OK)
        return false;
    *org_out = org_id;
    db_stmt *s = db_prepare(d, "UPDATE users SET email_verified_at = created_at WHERE id = $1");
    db_bind_int64(s, 1, user_id);
    if (db_exec1(s) != DB_DONE)
        return false;
    for (int i = 0; i < 2 && c->currency[i]; i++) {
        char key[64];
        snprintf(key, sizeof key, "demo-topup-%lld-%d", (long long)org_id, i);
        if (ledger_wallet(d, org_id, c->currency[i], true, &wallet) != LEDGER_OK ||
            ledger_system_account(d, "gateway:sandbox", c->currency[i], &gateway) != LEDGER_OK ||
            !transfer(d, gateway, wallet, c->topup_minor[i], c->currency[i], "topup", key))
            return false;
        if (i == 0 && c->spent_minor) {
            snprintf(key, sizeof key, "demo-purchase-%lld", (long long)org_id);
            if (ledger_system_account(d, "revenue", c->currency[i], &revenue) != LEDGER_OK ||
                !transfer(d, wallet, revenue, c->spent_minor, c->currency[i], "purchase", key))
                return false;
        }
    }
    return true;
}

static bool seed(db *d)
{
    char hash[SECRET_PWHASH_MAX], err[256];
    if (!secret_password_hash(DEMO_PASSWORD, hash) || db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    int64_t orgs[sizeof customers / sizeof customers[0]];
    for (size_t i = 0; i < sizeof customers / sizeof customers[0]; i++)
        if (!seed_customer(d, &customers[i], hash, &orgs[i])) {
            db_rollback(d);
            return false;
        }
    if (!demo_catalog(d, orgs[0]) || !demo_services(d, orgs, (int64_t)time(NULL))) {
        db_rollback(d);
        return false;
    }
    if (db_commit(d) != DB_OK)
        return false;
    if (!staff_add(d, DEMO_STAFF_EMAIL, "Demo Staff", DEMO_STAFF_PASSWORD, err, sizeof err)) {
        fprintf(stderr, "saldo: %s\n", err);
        return false;
    }
    return true;
}

static bool remove_sqlite_files(const char *url)
{
    if (strncmp(url, "sqlite:", 7))
        return true;
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char p[CONFIG_DATABASE_MAX + 16];
        if (snprintf(p, sizeof p, "%s%s", url + 7, suffix[i]) >= (int)sizeof p)
            return false;
        if (unlink(p) != 0 && access(p, F_OK) == 0)
            return false;
    }
    return true;
}

static bool has_users(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM users LIMIT 1");
    bool any = s && db_step(s) == DB_ROW;
    db_done(s);
    return any;
}

int cmd_demo(int argc, char **argv)
{
    saldo_config cfg;
    const char *force = NULL;
    cmd_flag flags[] = {{"--force", false, &force}, {NULL, false, NULL}};
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, flags, NULL, 0, &code))
        return code;
    if (force && !remove_sqlite_files(cfg.database)) {
        fprintf(stderr, "saldo: cannot remove the old database %s\n", cfg.database);
        return 1;
    }
    db *d = cmd_open_db(&cfg);
    if (!d)
        return 1;
    if (has_users(d)) {
        fprintf(stderr, "saldo: %s already holds data; use --force to replace it\n", cfg.database);
        db_close(d);
        return 1;
    }
    bool ok = seed(d);
    db_close(d);
    if (!ok) {
        fprintf(stderr, "saldo: cannot create the demo data\n");
        return 1;
    }
    printf("saldo: demo database %s ready\n", cfg.database);
    printf("  customer  mario.rossi@example.com   password %s  (italiano, reseller)\n", DEMO_PASSWORD);
    printf("  customer  anna.schmidt@example.com  password %s  (English)\n", DEMO_PASSWORD);
    printf("  staff     %s         password %s  (%s/staff)\n", DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD, cfg.base_url);
    return 0;
}
