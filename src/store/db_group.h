/* db_group.h - group commit: many requests' write transactions, one fsync.
 *
 * A durable commit costs one fsync, so a server committing each money-moving
 * request alone can never do more requests per second than the disk does
 * fsyncs. The group writer owns one extra connection and groups in one of two
 * ways, as the store allows (db_groups_by_flush).
 *
 * By transaction (SQLite, one writer at a time): a request whose connection
 * was marked with db_group_next() (the router does it for routes flagged
 * ROUTE_GROUPED) gets, at db_begin(DB_TX_WRITE), a SAVEPOINT on the group's
 * connection instead of a transaction of its own: the first member opens the
 * group's transaction (BEGIN IMMEDIATE), db_commit RELEASEs the savepoint,
 * db_rollback rolls back to it and releases it, so a failing request never
 * takes its neighbours' writes with it. Members run one at a time on the
 * connection (they share it). A committer thread COMMITs the open group as
 * soon as no grouped request is being served (from db_group_next to
 * db_release_all), a writer outside the group waits for SQLite's lock
 * (db_group_outsider), or the group is max_wait_ms old, whichever comes
 * first: one fsync for the whole group. Where the store can split a commit
 * from its sync (db_defer_sync), the next group runs on the connection while
 * the committer syncs the last one. A failed COMMIT fails exactly that group:
 * every member of it is told DB_GROUP_FAILED and nothing of any of them
 * exists.
 *
 * By flush (PostgreSQL, many writers at once): a member runs a transaction of
 * its own on its own connection, as it would alone, but its COMMIT does not
 * wait for the disk; it then joins the open group (db_group_join_flush). The
 * committer, at the same moments as above, flushes the database's log once on
 * the group's connection (db_sync_log), which makes every member's commit
 * durable. Members run side by side and fail alone.
 *
 * Each group has a generation; a request remembers the generation it joined
 * (db_take_group_ticket) and must not answer before db_group_watch() says it
 * is durable. */
#ifndef SALDO_DB_GROUP_H
#define SALDO_DB_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

typedef struct db_group db_group;

typedef enum { DB_GROUP_PENDING, DB_GROUP_DURABLE, DB_GROUP_FAILED } db_group_outcome;

typedef struct db_group_stats {
    uint64_t groups;   /* groups resolved (committed or failed) */
    uint64_t members;  /* write transactions that were in them */
    uint64_t failed;   /* groups whose COMMIT failed */
} db_group_stats;

/* Opens the group's own connection to url and starts the committer. NULL on
 * failure with err filled. max_wait_ms: how long a group may stay open while
 * requests are still being served (1-1000). */
db_group *db_group_start(const char *url, unsigned max_wait_ms, char *err, size_t err_size);
/* Commits what is open, stops the committer, closes the connection. Nobody
 * may be inside or waiting. */
void db_group_stop(db_group *g);

/* The outcome of generation gen. While it is pending and wake is not NULL,
 * wake(arg) is called once, from the committer thread, when it is resolved
 * (then call db_group_watch again with wake NULL to read the outcome). */
db_group_outcome db_group_watch(db_group *g, uint64_t gen, void (*wake)(void *arg), void *arg);
/* Blocks until gen is resolved (tests, and callers outside the HTTP server). */
db_group_outcome db_group_wait(db_group *g, uint64_t gen);
db_group_stats db_group_get_stats(db_group *g);
/* Summed over every group writer this process started (GET /metrics). */
db_group_stats db_group_process_stats(void);

/* A request's connection and the group: db_attach_group once (the server,
 * for each thread's connection); db_group_next makes this request's write
 * transactions (db_begin DB_TX_WRITE up to db_release_all) members of the
 * group; db_take_group_ticket returns the latest generation they joined (0:
 * none) and forgets it. A member's reads and writes inside its transaction
 * (db_prepare, db_exec_script, db_last_id, db_changes) go to the group's
 * connection and see the writes of the members before it, which commit or
 * fail with it; reads outside the transaction stay on d. */
void db_attach_group(db *d, db_group *g);
void db_group_next(db *d);
uint64_t db_take_group_ticket(db *d);

/* The group's own connection: fault injection in tests (db_fail_after on it
 * makes the group's COMMIT fail, when grouping by transaction). Used by
 * nobody else. */
db *db_group_connection(db_group *g);

/* For db.c: a member enters (the connection's transaction open, a savepoint
 * taken, *gen set) and gets the connection, or NULL when the group's
 * transaction cannot be opened; db_group_leave ends the member's savepoint,
 * kept (ok) or rolled back, and says whether that worked. */
db *db_group_enter(db_group *g, uint64_t *gen);
/* A grouped request starts being served (db.c: db_group_next) / is done
 * (db_release_all); the server's writer threads also arrive while requests wait
 * in their queue. While any is being served, an open group waits up to
 * max_wait_ms for it to join. */
void db_group_arrive(db_group *g);
void db_group_depart(db_group *g);
/* For db.c, on a store with one writer at a time (SQLite): a request's write
 * transaction of its own starts (before its BEGIN) / ends. While one is
 * waiting or running, the open group commits at once and no new group opens,
 * so the group does not keep the write lock from it. */
void db_group_outsider(db_group *g, bool starts);
/* For db.c, grouping by flush: a member's transaction has ended on its own
 * connection (committed without waiting for the disk, or not) in the
 * server's run (db_server_run); returns the generation whose flush covers
 * it. */
uint64_t db_group_join_flush(db_group *g, int64_t run);
db_status db_group_leave(db_group *g, bool ok);

#endif
