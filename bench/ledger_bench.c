/* ledger_bench.c - how fast the ledger posts transfers, measured beside raw
 * SQLite inserts into a plain table of the same database file, opened the way
 * production opens it (db_open + db_migrate: WAL, synchronous=FULL), in the same
 * run. The raw rate is what the disk and SQLite allow; the ratio is the ledger's
 * own cost. A third, informational figure inserts rows shaped like
 * ledger_transfers (same columns, keys, checks and indexes) into a copy of that
 * table, without touching balances: the ceiling for any posting that stores
 * its transfer row. Prints figures and PASS/MISS against the targets of
 * docs/PERFORMANCE.md; it never fails on a slow run (benchmarks report, tests
 * assert), only when a posting or `ledger verify` goes wrong.
 *
 * usage: ledger_bench DIR [--single N] [--batched N]
 * DIR must exist; the database is DIR/ledger-bench.db, replaced on each run. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "feature/ledger/ledger.h"
#include "feature/orgs/orgs.h"
#include "store/db.h"
#include "store/migrate.h"

enum {
    BENCH_WALLETS = 8,       /* transfers rotate over this many customer wallets */
    BENCH_BATCH_SIZE = 1000, /* operations per transaction in the batched cases */
    BENCH_ROUNDS = 10,       /* the cases alternate in rounds, so drift hits all alike */
    BENCH_COUNT_MAX = 10000000,
};

#define TARGET_SINGLE_RATIO 0.70
#define TARGET_BATCHED_RATIO 0.30

typedef struct bench_ctx {
    db *d;
    int64_t wallet[BENCH_WALLETS];
    int64_t gateway, revenue;
    int64_t raw_count;      /* numbers the raw rows */
    int64_t row_count;      /* numbers the rows of the transfer-shaped copy */
    int64_t transfer_count; /* numbers the idempotency keys; parity picks the kind */
    bool failed;
} bench_ctx;

/* One operation inside a write transaction the caller opened, or in a
 * transaction of its own (the _tx variants). False when it went wrong. */
typedef bool (*bench_op)(bench_ctx *c);

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A name for the filesystem holding dir, from its statfs magic number. */
static const char *fs_name(const char *dir)
{
    struct statfs sf;
    if (statfs(dir, &sf) != 0)
        return "unknown";
    switch ((unsigned long)sf.f_type) {
    case 0xEF53: return "ext2/3/4";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x01021994: return "tmpfs (memory: fsync is free, figures are not the disk's)";
    case 0x794C7630: return "overlayfs";
    case 0x2FC12FC1: return "zfs";
    case 0x6969: return "nfs";
    default: return "other";
    }
}

static bool raw_insert(bench_ctx *c)
{
    db_stmt *s = db_prepare(c->d, "INSERT INTO bench_raw (k, amount_minor) VALUES ($1, $2)");
    if (!s)
        return false;
    char key[32];
    snprintf(key, sizeof key, "raw-%" PRId64, ++c->raw_count);
    db_bind_text(s, 1, key);
    db_bind_int64(s, 2, 1000);
    return db_exec1(s) == DB_DONE;
}

static bool raw_insert_tx(bench_ctx *c)
{
    if (db_begin(c->d, DB_TX_WRITE) != DB_OK)
        return false;
    if (!raw_insert(c)) {
        db_rollback(c->d);
        return false;
    }
    return db_commit(c->d) == DB_OK;
}

/* A copy of ledger_transfers' shape (src/store/migrations/sqlite/0001_platform.sql):
 * keep it in step when that table changes. */
static const char *const transfer_copy_ddl =
    "CREATE TABLE bench_transfer_rows ("
    " id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,"
    " debit_account_id INTEGER NOT NULL REFERENCES ledger_accounts(id),"
    " credit_account_id INTEGER NOT NULL REFERENCES ledger_accounts(id),"
    " amount_minor INTEGER NOT NULL CHECK (amount_minor > 0), currency TEXT NOT NULL,"
    " kind TEXT NOT NULL, reference TEXT NOT NULL DEFAULT '',"
    " reverses_id INTEGER REFERENCES bench_transfer_rows(id), created_at INTEGER NOT NULL,"
    " CHECK (debit_account_id <> credit_account_id)) STRICT;"
    "CREATE UNIQUE INDEX bench_transfer_rows_reverses ON bench_transfer_rows(reverses_id)"
    " WHERE reverses_id IS NOT NULL;"
    "CREATE INDEX bench_transfer_rows_debit ON bench_transfer_rows(debit_account_id, id);"
    "CREATE INDEX bench_transfer_rows_credit ON bench_transfer_rows(credit_account_id, id);";

/* The same INSERT as ledger.c's, into the copy: a transfer row, no balances. */
static bool row_insert(bench_ctx *c)
{
    db_stmt *s = db_prepare(c->d,
        "INSERT INTO bench_transfer_rows (idempotency_key, debit_account_id, credit_account_id,"
        " amount_minor, currency, kind, reference, reverses_id, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (idempotency_key) DO NOTHING");
    if (!s)
        return false;
    char key[32];
    snprintf(key, sizeof key, "row-%" PRId64, ++c->row_count);
    db_bind_text(s, 1, key);
    db_bind_int64(s, 2, c->gateway);
    db_bind_int64(s, 3, c->wallet[c->row_count % BENCH_WALLETS]);
    db_bind_int64(s, 4, 1000);
    db_bind_text(s, 5, "EUR");
    db_bind_text(s, 6, "topup");
    db_bind_text(s, 7, "bench");
    db_bind_null(s, 8);
    db_bind_int64(s, 9, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE && db_changes(c->d) == 1;
}

static bool row_insert_tx(bench_ctx *c)
{
    if (db_begin(c->d, DB_TX_WRITE) != DB_OK)
        return false;
    if (!row_insert(c)) {
        db_rollback(c->d);
        return false;
    }
    return db_commit(c->d) == DB_OK;
}

/* Odd transfers top a wallet up from the gateway, the even one after spends 70%
 * of that from the same wallet to revenue: wallets only grow, debits pass. */
static void next_transfer(bench_ctx *c, ledger_transfer *t, char *key, size_t key_size)
{
    int64_t n = ++c->transfer_count;
    int64_t w = c->wallet[((n - 1) / 2) % BENCH_WALLETS];
    bool topup = n % 2 == 1;
    snprintf(key, key_size, "bench-%" PRId64, n);
    *t = (ledger_transfer){.debit_account_id = topup ? c->gateway : w,
                           .credit_account_id = topup ? w : c->revenue,
                           .amount_minor = topup ? 1000 : 700, .currency = "EUR",
                           .kind = topup ? "topup" : "purchase", .reference = "bench",
                           .idempotency_key = key};
}

static bool ledger_insert(bench_ctx *c)
{
    ledger_transfer t;
    char key[32];
    int64_t id;
    next_transfer(c, &t, key, sizeof key);
    return ledger_post(c->d, &t, &id) == LEDGER_OK;
}

static bool ledger_insert_tx(bench_ctx *c)
{
    ledger_transfer t;
    char key[32];
    int64_t id;
    next_transfer(c, &t, key, sizeof key);
    return ledger_post_tx(c->d, &t, &id) == LEDGER_OK;
}

/* Runs count operations, per_tx of them in each write transaction (per_tx 1:
 * op opens its own). Returns the elapsed nanoseconds; sets c->failed on error. */
static int64_t time_ops(bench_ctx *c, bench_op op, long count, long per_tx)
{
    int64_t t0 = now_ns();
    for (long done = 0; done < count && !c->failed; done += per_tx) {
        if (per_tx == 1) {
            c->failed = !op(c);
            continue;
        }
        if (db_begin(c->d, DB_TX_WRITE) != DB_OK) {
            c->failed = true;
            break;
        }
        for (long i = 0; i < per_tx && !c->failed; i++)
            c->failed = !op(c);
        if (c->failed)
            db_rollback(c->d);
        else
            c->failed = db_commit(c->d) != DB_OK;
    }
    if (c->failed)
        fprintf(stderr, "ledger_bench: an operation failed: %s\n", db_errmsg(c->d));
    return now_ns() - t0;
}

static bool make_accounts(bench_ctx *c)
{
    if (db_exec_script(c->d, "CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, k TEXT NOT NULL,"
                             " amount_minor INTEGER NOT NULL) STRICT") != DB_OK ||
        db_exec_script(c->d, transfer_copy_ddl) != DB_OK ||
        db_begin(c->d, DB_TX_WRITE) != DB_OK)
        return false;
    bool ok = ledger_system_account(c->d, "gateway:sandbox", "EUR", &c->gateway) == LEDGER_OK &&
              ledger_system_account(c->d, "revenue", "EUR", &c->revenue) == LEDGER_OK;
    for (int i = 0; ok && i < BENCH_WALLETS; i++) {
        int64_t org;
        ok = org_create(c->d, "Bench", &org) && ledger_wallet(c->d, org, "EUR", true, &c->wallet[i]) == LEDGER_OK;
    }
    if (!ok) {
        db_rollback(c->d);
        return false;
    }
    return db_commit(c->d) == DB_OK;
}

/* The journal mode and synchronous level actually in force, read back. */
static void print_mode(db *d)
{
    char mode[16] = "?";
    int64_t sync = -1;
    db_stmt *s = db_prepare(d, "PRAGMA journal_mode");
    if (s && db_step(s) == DB_ROW)
        snprintf(mode, sizeof mode, "%s", db_col_text(s, 0));
    db_done(s);
    s = db_prepare(d, "PRAGMA synchronous");
    if (s && db_step(s) == DB_ROW)
        sync = db_col_int64(s, 0);
    db_done(s);
    printf("  journal_mode=%s synchronous=%s\n", mode,
           sync == 2 ? "FULL" : sync == 3 ? "EXTRA" : sync == 1 ? "NORMAL" : sync == 0 ? "OFF" : "?");
}

static db *open_fresh(const char *dir, char *path, size_t path_size)
{
    char url[4200], err[512];
    snprintf(path, path_size, "%s/ledger-bench.db", dir);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(url, sizeof url, "%s%s", path, suffix[i]);
        if (unlink(url) != 0 && errno != ENOENT) {
            fprintf(stderr, "ledger_bench: cannot remove %s\n", url);
            return NULL;
        }
    }
    snprintf(url, sizeof url, "sqlite:%s", path);
    db *d = db_open(url, err, sizeof err);
    if (!d || db_migrate(d, err, sizeof err) < 0) {
        fprintf(stderr, "ledger_bench: %s\n", err);
        db_close(d);
        return NULL;
    }
    return d;
}

enum { CASE_RAW, CASE_ROW, CASE_LEDGER, CASE_COUNT };

static const char *const case_names[CASE_COUNT] = {
    "raw insert (plain table)", "transfer row only (copy)", "ledger_post",
};

typedef struct bench_case {
    const char *label;
    bench_op op[CASE_COUNT];
    long count, per_tx;
    double target_ratio; /* ledger / raw */
    int64_t ns[CASE_COUNT];
} bench_case;

/* The cases alternate in BENCH_ROUNDS rounds of count / BENCH_ROUNDS each. */
static void run_case(bench_ctx *c, bench_case *p)
{
    long part = p->count / BENCH_ROUNDS; /* whole transactions: parse_count checked */
    for (int round = 0; round < BENCH_ROUNDS && !c->failed; round++)
        for (int k = 0; k < CASE_COUNT && !c->failed; k++)
            p->ns[k] += time_ops(c, p->op[k], part, p->per_tx);
}

static double rate(long count, int64_t ns) { return ns > 0 ? (double)count * 1e9 / (double)ns : 0; }

static void print_case(const bench_case *p)
{
    double r[CASE_COUNT];
    printf("  %s (%ld operations each, %d rounds)\n", p->label, p->count, BENCH_ROUNDS);
    for (int k = 0; k < CASE_COUNT; k++) {
        r[k] = rate(p->count, p->ns[k]);
        printf("    %-26s %10.0f ops/s\n", case_names[k], r[k]);
    }
    double ratio = r[CASE_RAW] > 0 ? r[CASE_LEDGER] / r[CASE_RAW] : 0;
    double ceiling = r[CASE_RAW] > 0 ? r[CASE_ROW] / r[CASE_RAW] : 0;
    printf("    ledger/raw, %s: %.2f  (target >= %.2f)  %s   [transfer row only/raw %.2f]\n", p->label,
           ratio, p->target_ratio, ratio >= p->target_ratio ? "PASS" : "MISS", ceiling);
}

/* Every balance must still follow from the transfers, and every post landed. */
static bool verify(bench_ctx *c, long expected)
{
    printf("  ");
    int problems = ledger_verify(c->d, stdout);
    int64_t n = -1;
    db_stmt *s = db_prepare(c->d, "SELECT COUNT(*) FROM ledger_transfers");
    if (s && db_step(s) == DB_ROW)
        n = db_col_int64(s, 0);
    db_done(s);
    if (n != expected)
        printf("  ledger holds %" PRId64 " transfers, expected %ld\n", n, expected);
    return problems == 0 && n == expected;
}

/* A count for --single (per_tx 1) or --batched (per_tx BENCH_BATCH_SIZE): the
 * same whole number of transactions in each of the BENCH_ROUNDS rounds. */
static bool parse_count(const char *s, long per_tx, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < BENCH_ROUNDS * per_tx || v > BENCH_COUNT_MAX || v % (BENCH_ROUNDS * per_tx))
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    long single = 2000, batched = 100000;
    if (argc < 2 || argc % 2 != 0) {
        fprintf(stderr, "usage: ledger_bench DIR [--single N] [--batched N]\n");
        return 2;
    }
    for (int i = 2; i + 1 < argc; i += 2)
        if (!(!strcmp(argv[i], "--single") && parse_count(argv[i + 1], 1, &single)) &&
            !(!strcmp(argv[i], "--batched") && parse_count(argv[i + 1], BENCH_BATCH_SIZE, &batched))) {
            fprintf(stderr, "ledger_bench: bad %s %s: a multiple of %d (--single) or of %d (--batched),"
                    " at most %d\n", argv[i], argv[i + 1], BENCH_ROUNDS, BENCH_ROUNDS * BENCH_BATCH_SIZE,
                    BENCH_COUNT_MAX);
            return 2;
        }
    char path[4096];
    bench_ctx c = {0};
    c.d = open_fresh(argv[1], path, sizeof path);
    if (!c.d || !make_accounts(&c)) {
        fprintf(stderr, "ledger_bench: cannot set the database up\n");
        db_close(c.d);
        return 1;
    }
    printf("ledger bench: %s on %s\n", path, fs_name(argv[1]));
    print_mode(c.d);
    fflush(stdout);
    bench_case cases[] = {
        {"1 per transaction", {raw_insert_tx, row_insert_tx, ledger_insert_tx}, single, 1,
         TARGET_SINGLE_RATIO, {0}},
        {"1000 per transaction", {raw_insert, row_insert, ledger_insert}, batched, BENCH_BATCH_SIZE,
         TARGET_BATCHED_RATIO, {0}},
    };
    long posted = 0;
    for (size_t i = 0; i < 2 && !c.failed; i++) {
        run_case(&c, &cases[i]);
        posted += cases[i].count;
        if (!c.failed)
            print_case(&cases[i]);
        fflush(stdout);
    }
    bool ok = !c.failed && verify(&c, posted);
    db_close(c.d);
    return ok ? 0 : 1;
}
