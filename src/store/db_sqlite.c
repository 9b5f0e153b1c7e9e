/* db_sqlite.c - the SQLite driver: WAL, foreign keys, busy timeout, durable commits.
 *
 * synchronous=FULL makes every commit durable in WAL mode (the WAL is synced at
 * each commit), which is what money needs; reads never wait for writers. The
 * group writer's connection alone syncs after its COMMIT instead (sq_defer_sync). */
#include "store/db_driver.h"
#include "store/sqlite_checkpoint.h"
#include "store/sqlite_returning.h"

#include <assert.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    SQLITE_BUSY_TIMEOUT_US = 10 * 1000 * 1000, /* a writer gives up after waiting 10 s */
    SQLITE_BUSY_FIRST_US = 200,                /* how often it looks at first ... */
    SQLITE_BUSY_FIRST_TRIES = 50,              /* ... during its first 10 ms */
    SQLITE_BUSY_THEN_US = 1000,                /* then once a millisecond */
};

static const char *const sqlite_pragmas =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA temp_store=MEMORY;";

/* Process-wide settings, before SQLite initializes: no memory statistics,
 * which otherwise take a global mutex on every allocation (measured in
 * docs/PERFORMANCE.md). */
static pthread_once_t sq_config_once = PTHREAD_ONCE_INIT;
static void sq_config(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Waiting for the write lock: SQLite's own busy timeout sleeps in steps of up
 * to 100 ms, so a writer behind another sleeps long after the lock is free
 * (p99 of the mixed benchmark's writes near a second, docs/PERFORMANCE.md);
 * this looks every 200 us for 10 ms, then every millisecond, for 10 s. */
static int sq_busy(void *ctx, int tries)
{
    (void)ctx;
    int64_t waited = tries <= SQLITE_BUSY_FIRST_TRIES
                         ? (int64_t)tries * SQLITE_BUSY_FIRST_US
                         : (int64_t)SQLITE_BUSY_FIRST_TRIES * SQLITE_BUSY_FIRST_US +
                               (int64_t)(tries - SQLITE_BUSY_FIRST_TRIES) * SQLITE_BUSY_THEN_US;
    if (waited >= SQLITE_BUSY_TIMEOUT_US)
        return 0;
    usleep(tries < SQLITE_BUSY_FIRST_TRIES ? SQLITE_BUSY_FIRST_US : SQLITE_BUSY_THEN_US);
    return 1;
}

/* Transaction control runs on every request (the read scope's BEGIN and
 * COMMIT) and twice per member of a group commit (db_group.c's savepoint):
 * kept prepared per connection instead of parsed by sqlite3_exec each time
 * (about a tenth of a wallet read's server time, a twentieth of the group's
 * serial work). */
static const char *const sq_tx_sql[] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK", "SAVEPOINT member",
                                        "RELEASE SAVEPOINT member", "ROLLBACK TO SAVEPOINT member"};
enum { SQ_TX_COUNT = sizeof sq_tx_sql / sizeof sq_tx_sql[0] };

typedef struct sq_conn {
    sqlite3 *c;
    sqlite3_stmt *tx[SQ_TX_COUNT]; /* prepared on first use */
    int wal_fd;                    /* the log, synced by sq_sync_log; -1 until sq_defer_sync */
} sq_conn;

/* After each commit while the checkpointer runs: the log's size, for it. */
static int sq_wal_pages(void *arg, sqlite3 *c, const char *name, int pages)
{
    (void)arg, (void)c, (void)name;
    sqlite_checkpointer_poke(pages);
    return SQLITE_OK;
}

static void *sq_open(const char *path, char *err, size_t err_size)
{
    pthread_once(&sq_config_once, sq_config);
    sqlite3 *c = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &c, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "sqlite:%s: %s", path, c ? sqlite3_errmsg(c) : "out of memory");
        sqlite3_close(c);
        return NULL;
    }
    sqlite3_busy_handler(c, sq_busy, NULL);
    sqlite3_extended_result_codes(c, 0);
    char *msg = NULL;
    if (sqlite3_exec(c, sqlite_pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_size, "sqlite:%s: %s", path, msg ? msg : "cannot configure");
        sqlite3_free(msg);
        sqlite3_close(c);
        return NULL;
    }
    if (sqlite_checkpointer_running())
        sqlite3_wal_hook(c, sq_wal_pages, NULL); /* replaces the automatic checkpoint */
    sq_conn *sc = calloc(1, sizeof *sc);
    if (!sc)
        abort(); /* out of memory */
    sc->c = c;
    sc->wal_fd = -1;
    return sc;
}

static void sq_close(void *conn)
{
    sq_conn *sc = conn;
    if (sc->wal_fd >= 0)
        close(sc->wal_fd);
    for (size_t i = 0; i < SQ_TX_COUNT; i++)
        sqlite3_finalize(sc->tx[i]);
    sqlite3_close(sc->c);
    free(sc);
}

static sqlite3 *sq_handle(void *conn) { return ((sq_conn *)conn)->c; }
static const char *sq_errmsg(void *conn) { return sqlite3_errmsg(sq_handle(conn)); }

/* A prepared statement. For an INSERT of one row ending in "RETURNING id"
 * (sqlite_returning.h) the clause is left out and the row answered here. */
typedef struct sq_stmt {
    sqlite3_stmt *s;
    bool returns_rowid;
    bool answered; /* the id row was given; the next step is the end */
    int64_t rowid;
} sq_stmt;

static sqlite3_stmt *sq_compile(sqlite3 *c, const char *sql, int len)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(c, sql, len, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
        return NULL;
    /* The shared SQL dialect numbers parameters $1..$n in order of first use, so
     * that SQLite's positional indexes equal PostgreSQL's. */
    for (int i = 1; i <= sqlite3_bind_parameter_count(s); i++) {
        char want[16];
        snprintf(want, sizeof want, "$%d", i);
        const char *name = sqlite3_bind_parameter_name(s, i);
        assert(name && !strcmp(name, want) && "parameters must be $1..$n in order of first use");
        (void)name;
    }
    return s;
}

static void *sq_prepare(void *conn, const char *sql)
{
    sqlite3 *c = ((sq_conn *)conn)->c;
    size_t len = strlen(sql);
    bool returns_rowid = sqlite_returning_rowid(c, sql, &len);
    sqlite3_stmt *s = sq_compile(c, sql, (int)len);
    if (!s)
        return NULL;
    sq_stmt *st = calloc(1, sizeof *st);
    if (!st)
        abort(); /* out of memory */
    *st = (sq_stmt){.s = s, .returns_rowid = returns_rowid};
    return st;
}

static sqlite3_stmt *sq_raw(void *stmt) { return ((sq_stmt *)stmt)->s; }

static void sq_finalize(void *stmt)
{
    if (!stmt)
        return;
    sqlite3_finalize(sq_raw(stmt));
    free(stmt);
}

static void sq_bind_int64(void *stmt, int idx, int64_t v)
{
    int rc = sqlite3_bind_int64(sq_raw(stmt), idx, v);
    assert(rc == SQLITE_OK);
    (void)rc;
}

static void sq_bind_text(void *stmt, int idx, const char *v)
{
    int rc = v ? sqlite3_bind_text(sq_raw(stmt), idx, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(sq_raw(stmt), idx);
    assert(rc == SQLITE_OK);
    (void)rc;
}

static void sq_bind_text_kept(void *stmt, int idx, const char *v)
{
    int rc = v ? sqlite3_bind_text(sq_raw(stmt), idx, v, -1, SQLITE_STATIC) : sqlite3_bind_null(sq_raw(stmt), idx);
    assert(rc == SQLITE_OK);
    (void)rc;
}

static void sq_bind_null(void *stmt, int idx)
{
    int rc = sqlite3_bind_null(sq_raw(stmt), idx);
    assert(rc == SQLITE_OK);
    (void)rc;
}

static db_status sq_map(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    case SQLITE_OK: return DB_OK;
    case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_BUSY;
    default: return DB_ERROR;
    }
}

/* An INSERT answering its id: the row it inserted, if any, then the end. */
static db_status sq_step_rowid(sqlite3 *c, sq_stmt *st)
{
    if (st->answered)
        return DB_DONE;
    int rc = sqlite3_step(st->s);
    if (rc != SQLITE_DONE)
        return sq_map(rc);
    int64_t changes = sqlite3_changes64(c);
    assert(changes <= 1 && "one row per INSERT ... RETURNING id run without the clause");
    if (changes == 0)
        return DB_DONE; /* ON CONFLICT DO NOTHING: no row, as RETURNING gives */
    st->rowid = sqlite3_last_insert_rowid(c);
    st->answered = true;
    return DB_ROW;
}

static db_status sq_step(void *conn, void *stmt)
{
    sq_stmt *st = stmt;
    if (st->returns_rowid)
        return sq_step_rowid(sq_handle(conn), st);
    return sq_map(sqlite3_step(st->s));
}

static int64_t sq_col_int64(void *stmt, int col)
{
    sq_stmt *st = stmt;
    if (st->returns_rowid) {
        assert(col == 0 && st->answered);
        return st->rowid;
    }
    return sqlite3_column_int64(st->s, col);
}

static const char *sq_col_text(void *stmt, int col)
{
    assert(!((sq_stmt *)stmt)->returns_rowid);
    return (const char *)sqlite3_column_text(sq_raw(stmt), col);
}

static bool sq_col_is_null(void *stmt, int col)
{
    sq_stmt *st = stmt;
    if (st->returns_rowid)
        return false;
    return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

static void sq_reset(void *stmt)
{
    sq_stmt *st = stmt;
    sqlite3_reset(st->s);
    sqlite3_clear_bindings(st->s);
    st->answered = false;
}

/* A transaction control statement of sq_tx_sql, stepped from its prepared
 * statement; DB_OK when it ran. */
static db_status sq_tx_control(sq_conn *sc, size_t i)
{
    if (!sc->tx[i] && sqlite3_prepare_v3(sc->c, sq_tx_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &sc->tx[i], NULL))
        return DB_ERROR;
    int rc = sqlite3_step(sc->tx[i]);
    sqlite3_reset(sc->tx[i]);
    return rc == SQLITE_DONE ? DB_OK : sq_map(rc);
}

static db_status sq_exec_script(void *conn, const char *sql)
{
    for (size_t i = 0; i < SQ_TX_COUNT; i++)
        if (!strcmp(sql, sq_tx_sql[i]))
            return sq_tx_control(conn, i);
    return sq_map(sqlite3_exec(sq_handle(conn), sql, NULL, NULL, NULL));
}

static int64_t sq_last_id(void *conn) { return sqlite3_last_insert_rowid(sq_handle(conn)); }
static int64_t sq_changes(void *conn) { return sqlite3_changes64(sq_handle(conn)); }
static bool sq_readonly(void *stmt) { return sqlite3_stmt_readonly(sq_raw(stmt)); }

/* The file must still be the one opened (an open connection keeps reading a
 * removed file's inode, so a query alone would not notice), readable and
 * writable, and answer a query on its schema. */
static bool sq_ping(void *sc, char *err, size_t err_size)
{
    sqlite3 *conn = sq_handle(sc);
    const char *path = sqlite3_db_filename(conn, "main");
    int moved = 0;
    if (sqlite3_file_control(conn, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK || moved) {
        snprintf(err, err_size, "sqlite:%s: the database file was removed or renamed", path);
        return false;
    }
    if (access(path, R_OK | W_OK)) {
        snprintf(err, err_size, "sqlite:%s: the database file is not readable and writable", path);
        return false;
    }
    if (sqlite3_exec(conn, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "sqlite:%s: %s", path, sqlite3_errmsg(conn));
        return false;
    }
    return true;
}

/* fsync of the directory holding path: a file it created survives a crash. */
static bool sq_sync_dir(const char *path)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return false;
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

/* synchronous=NORMAL: a commit appends its frames to the WAL without syncing
 * it (SQLite still syncs the log's header when it starts the log over, and
 * syncs the log before each checkpoint copies it), and sq_sync_log syncs it.
 * The log stays the same file while this connection is open (SQLite removes
 * it only when the last connection closes), so a descriptor of our own syncs
 * what every connection of the process wrote into it. */
static bool sq_defer_sync(void *conn)
{
    sq_conn *sc = conn;
    assert(sc->wal_fd < 0);
    if (sqlite3_exec(sc->c, "SELECT count(*) FROM sqlite_schema; PRAGMA synchronous=NORMAL", NULL, NULL, NULL) !=
        SQLITE_OK)
        return false;
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(sc->c, "main"));
    int fd = open(wal, O_RDWR | O_CLOEXEC);
    if (fd >= 0 && sq_sync_dir(wal)) {
        sc->wal_fd = fd;
        return true;
    }
    if (fd >= 0)
        close(fd);
    sqlite3_exec(sc->c, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    return false;
}

static bool sq_sync_log(void *conn)
{
    sq_conn *sc = conn;
    assert(sc->wal_fd >= 0);
    return fdatasync(sc->wal_fd) == 0;
}

const db_driver db_driver_sqlite = {
    .name = "sqlite",
    .begin_write_sql = "BEGIN IMMEDIATE",
    .begin_read_sql = "BEGIN",
    .one_writer = true,
    .open = sq_open,
    .close = sq_close,
    .errmsg = sq_errmsg,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int64 = sq_bind_int64,
    .bind_text = sq_bind_text,
    .bind_text_kept = sq_bind_text_kept,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int64 = sq_col_int64,
    .col_text = sq_col_text,
    .col_is_null = sq_col_is_null,
    .reset = sq_reset,
    .exec_script = sq_exec_script,
    .last_id = sq_last_id,
    .changes = sq_changes,
    .readonly = sq_readonly,
    .ping = sq_ping,
    .defer_sync = sq_defer_sync,
    .sync_log = sq_sync_log,
};
