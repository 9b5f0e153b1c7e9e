/* db_group.c - the group writer: members' savepoints on one connection and
 * one COMMIT (one fsync) per group, or members' own commits and one flush per
 * group, published by generation (see db_group.h).
 *
 * One mutex guards the state; the connection itself is owned by whoever set
 * conn_busy (a member between enter and leave, or the committer during its
 * COMMIT), so no lock is held across SQL. */
#include "store/db_group.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { OUTCOME_RING = 4096, MAX_WAIT_MS_MAX = 1000 };

typedef struct waiter {
    uint64_t gen;
    void (*wake)(void *arg);
    void *arg;
    struct waiter *next;
} waiter;

struct db_group {
    db *conn;
    bool by_flush;          /* members commit on their own connections; conn only flushes */
    bool deferred;          /* conn's commits leave the sync to commit_group (db_defer_sync) */
    unsigned max_wait_ms;
    pthread_t committer;
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* broadcast on every change below */
    bool conn_busy;         /* a member or the committer is using conn */
    bool open;              /* the group's transaction is open on conn */
    bool doomed;            /* a member could not undo its writes: the group cannot commit */
    bool commit_wanted;     /* the committer is next on conn: members wait */
    bool stopping;
    int serving;            /* grouped requests being served (arrive - depart) */
    int outsiders;          /* write transactions of their own, on a one-writer store */
    uint64_t gen;           /* generation of the open group, or of the next one */
    uint64_t resolved;      /* every generation up to this one is durable or failed */
    uint64_t members;       /* members of the open group */
    int64_t run;            /* by flush: the server's run its members committed in */
    bool runs_differ;       /* by flush: they committed in different runs */
    struct timespec opened; /* CLOCK_MONOTONIC when the open group began */
    uint8_t failed[OUTCOME_RING]; /* outcome of generation n at n % OUTCOME_RING */
    waiter *waiters;
    db_group_stats stats;
};

/* The same counts summed over every group writer of the process (/metrics). */
static _Atomic uint64_t process_groups, process_members, process_failed;

static void lock(db_group *g) { pthread_mutex_lock(&g->mu); }
static void unlock(db_group *g) { pthread_mutex_unlock(&g->mu); }

static struct timespec deadline_of(const db_group *g)
{
    struct timespec t = g->opened;
    t.tv_nsec += (long)g->max_wait_ms * 1000000L;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

static bool past(struct timespec t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > t.tv_sec || (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec);
}

static db_group_outcome outcome_of(const db_group *g, uint64_t gen)
{
    assert(gen > 0);
    if (gen > g->resolved)
        return DB_GROUP_PENDING;
    /* Too old to remember: say failed. The client retries with its
     * Idempotency-Key and gets the stored answer if it was committed. */
    if (g->resolved - gen >= OUTCOME_RING)
        return DB_GROUP_FAILED;
    return g->failed[gen % OUTCOME_RING] ? DB_GROUP_FAILED : DB_GROUP_DURABLE;
}

/* Ends the open group (under the lock, its COMMIT or ROLLBACK run): the
 * connection is free for the next group. Returns its generation. */
static uint64_t close_group(db_group *g, uint64_t *members)
{
    uint64_t gen = g->gen++;
    *members = g->members;
    g->members = 0;
    g->open = g->doomed = g->commit_wanted = g->conn_busy = g->runs_differ = false;
    pthread_cond_broadcast(&g->cv);
    return gen;
}

/* Records generation gen's outcome (under the lock; the generations before
 * it are resolved) and returns the waiters it resolves, unlinked. */
static waiter *resolve(db_group *g, uint64_t gen, uint64_t members, bool ok)
{
    assert(gen == g->resolved + 1);
    g->failed[gen % OUTCOME_RING] = !ok;
    g->resolved = gen;
    g->stats.groups++;
    g->stats.members += members;
    g->stats.failed += !ok;
    atomic_fetch_add_explicit(&process_groups, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&process_members, members, memory_order_relaxed);
    atomic_fetch_add_explicit(&process_failed, !ok, memory_order_relaxed);
    waiter *done = NULL, **p = &g->waiters;
    while (*p) {
        waiter *w = *p;
        if (w->gen <= gen) {
            *p = w->next;
            w->next = done;
            done = w;
        } else {
            p = &w->next;
        }
    }
    pthread_cond_broadcast(&g->cv);
    return done;
}

/* Whether the open group should be committed now: nobody is being served,
 * a writer outside the group waits for the lock, it is old enough, it cannot
 * commit anyway, or the server stops. */
static bool due(const db_group *g)
{
    return g->serving == 0 || g->outsiders > 0 || g->doomed || g->stopping || past(deadline_of(g));
}

/* Commits (or, doomed, rolls back) the open group; called with the lock held
 * and conn free, returns with the lock held. Where the store defers the
 * commit's sync, the next group runs on conn while this one's log is synced;
 * its members are told only after that. A sync that fails leaves commits
 * that readers saw but the disk may not hold: the process stops, and
 * starting again recovers what the disk has (as PostgreSQL panics). */
static void commit_group(db_group *g)
{
    g->conn_busy = true;
    bool doomed = g->doomed;
    unlock(g);
    bool ok = false;
    if (doomed)
        db_rollback(g->conn);
    else
        ok = g->by_flush || db_commit(g->conn) == DB_OK; /* rolls back when it fails */
    lock(g);
    uint64_t members;
    bool one_run = !g->runs_differ;
    int64_t run = g->run;
    uint64_t gen = close_group(g, &members);
    unlock(g);
    if (ok && g->deferred && !db_sync_log(g->conn)) {
        fprintf(stderr, "group commit: cannot sync the database log; stopping\n");
        abort();
    }
    if (ok && g->by_flush && (!one_run || db_server_run(g->conn) != run)) {
        fprintf(stderr, "group commit: the database server restarted before the group's flush; stopping\n");
        abort();
    }
    lock(g);
    waiter *done = resolve(g, gen, members, ok);
    unlock(g);
    while (done) {
        waiter *next = done->next;
        done->wake(done->arg);
        free(done);
        done = next;
    }
    lock(g);
}

static void *committer_main(void *arg)
{
    db_group *g = arg;
    lock(g);
    for (;;) {
        if (!g->open) {
            if (g->stopping)
                break;
            pthread_cond_wait(&g->cv, &g->mu);
        } else if (!due(g)) {
            struct timespec t = deadline_of(g);
            pthread_cond_timedwait(&g->cv, &g->mu, &t);
        } else if (g->conn_busy) {
            g->commit_wanted = true; /* members wait; the one inside finishes */
            pthread_cond_wait(&g->cv, &g->mu);
        } else {
            commit_group(g);
        }
    }
    unlock(g);
    return NULL;
}

db_group *db_group_start(const char *url, unsigned max_wait_ms, char *err, size_t err_size)
{
    if (max_wait_ms < 1 || max_wait_ms > MAX_WAIT_MS_MAX) {
        snprintf(err, err_size, "group commit: the maximum wait must be 1-%d ms", MAX_WAIT_MS_MAX);
        return NULL;
    }
    db *conn = db_open(url, err, err_size);
    if (!conn)
        return NULL;
    db_group *g = calloc(1, sizeof *g);
    if (!g)
        abort();
    g->conn = conn;
    g->by_flush = db_groups_by_flush(conn);
    g->deferred = db_defer_sync(conn);
    if (g->by_flush && !g->deferred) {
        snprintf(err, err_size, "group commit: the database refuses to flush on demand"
                 " (pg_logical_emit_message); set store.group_commit = off");
        db_close(conn);
        free(g);
        return NULL;
    }
    g->max_wait_ms = max_wait_ms;
    g->gen = 1;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&g->mu, NULL);
    if (pthread_create(&g->committer, NULL, committer_main, g)) {
        snprintf(err, err_size, "group commit: cannot start the committer thread");
        pthread_cond_destroy(&g->cv);
        pthread_mutex_destroy(&g->mu);
        db_close(conn);
        free(g);
        return NULL;
    }
    return g;
}

void db_group_stop(db_group *g)
{
    if (!g)
        return;
    lock(g);
    assert(g->serving == 0 && g->outsiders == 0);
    g->stopping = true;
    pthread_cond_broadcast(&g->cv);
    unlock(g);
    pthread_join(g->committer, NULL);
    assert(!g->waiters);
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    db_close(g->conn);
    free(g);
}

void db_group_arrive(db_group *g)
{
    lock(g);
    g->serving++;
    unlock(g);
}

void db_group_depart(db_group *g)
{
    lock(g);
    assert(g->serving > 0);
    if (--g->serving == 0)
        pthread_cond_broadcast(&g->cv);
    unlock(g);
}

void db_group_outsider(db_group *g, bool starts)
{
    lock(g);
    g->outsiders += starts ? 1 : -1;
    assert(g->outsiders >= 0);
    pthread_cond_broadcast(&g->cv);
    unlock(g);
}

db_group_outcome db_group_watch(db_group *g, uint64_t gen, void (*wake)(void *arg), void *arg)
{
    lock(g);
    db_group_outcome o = outcome_of(g, gen);
    if (o == DB_GROUP_PENDING && wake) {
        waiter *w = malloc(sizeof *w);
        if (!w)
            abort();
        *w = (waiter){.gen = gen, .wake = wake, .arg = arg, .next = g->waiters};
        g->waiters = w;
    }
    unlock(g);
    return o;
}

db_group_outcome db_group_wait(db_group *g, uint64_t gen)
{
    lock(g);
    while (outcome_of(g, gen) == DB_GROUP_PENDING)
        pthread_cond_wait(&g->cv, &g->mu);
    db_group_outcome o = outcome_of(g, gen);
    unlock(g);
    return o;
}

db_group_stats db_group_get_stats(db_group *g)
{
    lock(g);
    db_group_stats s = g->stats;
    unlock(g);
    return s;
}

db_group_stats db_group_process_stats(void)
{
    return (db_group_stats){atomic_load_explicit(&process_groups, memory_order_relaxed),
                            atomic_load_explicit(&process_members, memory_order_relaxed),
                            atomic_load_explicit(&process_failed, memory_order_relaxed)};
}

db *db_group_connection(db_group *g) { return g->conn; }

/* Gives conn back (under the lock), the group doomed when doom. */
static void release_conn(db_group *g, bool doom)
{
    lock(g);
    g->doomed = g->doomed || doom;
    g->conn_busy = false;
    pthread_cond_broadcast(&g->cv);
    unlock(g);
}

uint64_t db_group_join_flush(db_group *g, int64_t run)
{
    lock(g);
    assert(g->by_flush);
    if (!g->open) {
        g->open = true;
        g->run = run;
        clock_gettime(CLOCK_MONOTONIC, &g->opened);
        pthread_cond_broadcast(&g->cv);
    }
    g->runs_differ = g->runs_differ || run != g->run;
    g->members++;
    uint64_t gen = g->gen;
    unlock(g);
    return gen;
}

db *db_group_enter(db_group *g, uint64_t *gen)
{
    lock(g);
    assert(!g->by_flush);
    while (g->conn_busy || g->commit_wanted || g->doomed || (!g->open && g->outsiders > 0))
        pthread_cond_wait(&g->cv, &g->mu);
    g->conn_busy = true;
    bool begin = !g->open;
    unlock(g);
    if (begin && db_begin(g->conn, DB_TX_WRITE) != DB_OK) {
        release_conn(g, false);
        return NULL;
    }
    bool saved = db_exec_script(g->conn, "SAVEPOINT member") == DB_OK;
    lock(g);
    if (begin) {
        g->open = true;
        clock_gettime(CLOCK_MONOTONIC, &g->opened);
    }
    *gen = g->gen;
    g->members += saved;
    unlock(g);
    if (!saved) { /* PostgreSQL has aborted the whole transaction */
        release_conn(g, true);
        return NULL;
    }
    return g->conn;
}

db_status db_group_leave(db_group *g, bool ok)
{
    db_status st = ok ? db_exec_script(g->conn, "RELEASE SAVEPOINT member") : DB_ERROR;
    bool doom = false;
    if (st != DB_OK)
        doom = db_exec_script(g->conn, "ROLLBACK TO SAVEPOINT member") != DB_OK ||
               db_exec_script(g->conn, "RELEASE SAVEPOINT member") != DB_OK;
    release_conn(g, doom);
    return ok ? st : DB_OK;
}
