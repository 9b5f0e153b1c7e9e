/* sqlite_checkpoint.c - see sqlite_checkpoint.h. */
#include "store/sqlite_checkpoint.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"

enum {
    CHECKPOINT_IDLE_S = 1,        /* a pass at least this often while frames wait */
    CHECKPOINT_RESTART_FRAMES = 4 * SQLITE_CHECKPOINT_PAGES, /* a longer log is restarted */
    CHECKPOINT_WAIT_TRIES = 20,   /* a restart waits this many times ... */
    CHECKPOINT_WAIT_US = 100,     /* ... this long for readers and the writer */
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    sqlite3 *conn;
    bool poked, stopping;
} cp = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
static atomic_bool running;
static atomic_int copied; /* frames of the log the last pass copied into the database */

/* How long a RESTART checkpoint waits: a few short sleeps, then it gives up
 * (SQLITE_BUSY) and the next pass tries again. */
static int restart_busy(void *ctx, int tries)
{
    (void)ctx;
    if (tries >= CHECKPOINT_WAIT_TRIES)
        return 0;
    usleep(CHECKPOINT_WAIT_US);
    return 1;
}

/* One PASSIVE checkpoint: copies what no reader still needs. The log only
 * starts again from its beginning when a writer finds it copied and unused,
 * which a server always reading never leaves it: the log grew to 100 MB in
 * the mixed benchmark, and each page read searched one more hash table of
 * the WAL index per 4,096 frames. So when a passive pass has copied the
 * whole of a log past CHECKPOINT_RESTART_FRAMES, a RESTART checkpoint
 * follows: it has at most the frames of the last instant to copy, and holds
 * the write lock for at most CHECKPOINT_WAIT_TRIES * CHECKPOINT_WAIT_US while
 * the (short) read transactions end, so that the next writer starts the log
 * over. */
static void checkpoint(void)
{
    int log_frames = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(cp.conn, NULL, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &done);
    if (rc == SQLITE_OK && log_frames >= CHECKPOINT_RESTART_FRAMES && done == log_frames)
        rc = sqlite3_wal_checkpoint_v2(cp.conn, NULL, SQLITE_CHECKPOINT_RESTART, &log_frames, &done);
    atomic_store(&copied, rc == SQLITE_OK || rc == SQLITE_BUSY ? done : 0);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        log_warn("checkpoint", "msg=\"%s\"", sqlite3_errmsg(cp.conn));
}

static void *checkpointer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&cp.mu);
    while (!cp.stopping) {
        if (!cp.poked) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += CHECKPOINT_IDLE_S;
            pthread_cond_timedwait(&cp.cv, &cp.mu, &until);
        }
        cp.poked = false;
        pthread_mutex_unlock(&cp.mu);
        checkpoint();
        pthread_mutex_lock(&cp.mu);
    }
    pthread_mutex_unlock(&cp.mu);
    checkpoint();
    return NULL;
}

bool sqlite_checkpointer_start(const char *url, char *err, size_t err_size)
{
    if (strncmp(url, "sqlite:", 7) || atomic_load(&running))
        return true;
    if (sqlite3_open_v2(url + 7, &cp.conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "checkpointer: %s: %s", url, sqlite3_errmsg(cp.conn));
        sqlite3_close(cp.conn);
        return false;
    }
    /* A connection sees the log only once it has read the file's header. */
    if (sqlite3_exec(cp.conn, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "checkpointer: %s: %s", url, sqlite3_errmsg(cp.conn));
        sqlite3_close(cp.conn);
        return false;
    }
    sqlite3_wal_autocheckpoint(cp.conn, 0);
    sqlite3_busy_handler(cp.conn, restart_busy, NULL);
    cp.stopping = cp.poked = false;
    if (pthread_create(&cp.thread, NULL, checkpointer_main, NULL)) {
        snprintf(err, err_size, "checkpointer: cannot start its thread");
        sqlite3_close(cp.conn);
        return false;
    }
    atomic_store(&running, true);
    return true;
}

void sqlite_checkpointer_stop(void)
{
    if (!atomic_exchange(&running, false))
        return;
    pthread_mutex_lock(&cp.mu);
    cp.stopping = true;
    pthread_cond_signal(&cp.cv);
    pthread_mutex_unlock(&cp.mu);
    pthread_join(cp.thread, NULL);
    sqlite3_close(cp.conn);
    cp.conn = NULL;
}

bool sqlite_checkpointer_running(void) { return atomic_load(&running); }

/* A pass once SQLITE_CHECKPOINT_PAGES frames have come since the last one
 * copied, not after every commit while the log is that long: the log keeps
 * its copied frames until a writer starts it over, and a pass per commit
 * fsynced the database file each time (a sixth of the CPU of an orders-only
 * run went to the checkpointer, docs/PERFORMANCE.md). Past the restart size,
 * every commit asks again until a RESTART gets through between readers. */
void sqlite_checkpointer_poke(int wal_pages)
{
    int done = atomic_load(&copied);
    if (wal_pages < done)
        done = 0; /* the log started over */
    if (wal_pages - done < SQLITE_CHECKPOINT_PAGES && wal_pages < CHECKPOINT_RESTART_FRAMES)
        return;
    pthread_mutex_lock(&cp.mu);
    cp.poked = true;
    pthread_cond_signal(&cp.cv);
    pthread_mutex_unlock(&cp.mu);
}
