/* commit_bench.c - the one-fsync-per-request ceiling of bench/group_commit.sh:
 * single-row durable commits in a loop (BEGIN IMMEDIATE, one INSERT, COMMIT),
 * through db.h as the server opens its database (SQLite: WAL,
 * synchronous=FULL; PostgreSQL: synchronous_commit as the server has it,
 * on by default). A server that commits each request alone can never answer
 * more durable writes per second than this.
 *
 * usage: commit_bench URL N
 * URL is sqlite:PATH (a fresh file, put it on the disk being measured) or a
 * postgresql:// URL (the table bench_commits is dropped and made again).
 * Prints "COMMITS n seconds commits_per_second". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"

enum { COMMITS_MAX = 10000000 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool one_commit(db *d, long i)
{
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *s = db_prepare(d, "INSERT INTO bench_commits (id, v) VALUES ($1, $2)");
    if (!s) {
        db_rollback(d);
        return false;
    }
    db_bind_int64(s, 1, i);
    db_bind_int64(s, 2, i * 7);
    if (db_exec1(s) != DB_DONE) {
        db_rollback(d);
        return false;
    }
    return db_commit(d) == DB_OK;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    long n = argc == 3 ? strtol(argv[2], &end, 10) : 0;
    if (argc != 3 || *end || n < 1 || n > COMMITS_MAX) {
        fprintf(stderr, "usage: commit_bench URL N (1-%d)\n", COMMITS_MAX);
        return 2;
    }
    char err[256];
    db *d = db_open(argv[1], err, sizeof err);
    if (!d) {
        fprintf(stderr, "commit_bench: %s\n", err);
        return 1;
    }
    if (db_exec_script(d, "DROP TABLE IF EXISTS bench_commits;"
                          "CREATE TABLE bench_commits (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)") != DB_OK) {
        fprintf(stderr, "commit_bench: cannot make the table: %s\n", db_errmsg(d));
        db_close(d);
        return 1;
    }
    double t0 = now_s();
    for (long i = 1; i <= n; i++)
        if (!one_commit(d, i)) {
            fprintf(stderr, "commit_bench: commit %ld failed: %s\n", i, db_errmsg(d));
            db_close(d);
            return 1;
        }
    double t = now_s() - t0;
    printf("COMMITS %ld %.3f %.0f\n", n, t, (double)n / t);
    db_exec_script(d, "DROP TABLE bench_commits");
    db_close(d);
    return 0;
}
