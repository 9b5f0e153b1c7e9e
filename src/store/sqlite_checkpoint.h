/* sqlite_checkpoint.h - SQLite's WAL checkpoints on a thread of their own.
 *
 * In WAL mode SQLite copies the log back into the database file (a checkpoint,
 * with its own fsync) inside the commit that finds the log past 1,000 pages,
 * so one request in every few hundred writes waits for it: 11% of the server's
 * time in an orders-only benchmark, all of it on the commit path. `saldo serve`
 * starts this checkpointer instead: connections opened afterwards keep
 * SQLite's automatic checkpoint off and poke the checkpointer from a WAL hook
 * when the log passes the same size; it runs PASSIVE checkpoints on its own
 * connection, which neither wait for nor block readers and writers, and
 * once such a pass has copied a long log, a RESTART checkpoint that waits a
 * moment for readers so the log starts over (sqlite_checkpoint.c). Other
 * commands (migrate, billing-run, ...) keep SQLite's automatic checkpoints.
 * One per process. */
#ifndef SALDO_SQLITE_CHECKPOINT_H
#define SALDO_SQLITE_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>

enum { SQLITE_CHECKPOINT_PAGES = 1000 }; /* SQLite's own default threshold */

/* Starts the checkpointer for url: true and nothing started when url is not
 * sqlite:PATH; false with err filled when the thread or its connection cannot. */
bool sqlite_checkpointer_start(const char *url, char *err, size_t err_size);
/* A last checkpoint, then the thread stops; connections opened later use
 * SQLite's automatic checkpoints again. */
void sqlite_checkpointer_stop(void);

/* For db_sqlite.c: whether new connections leave checkpoints to the thread, and
 * the WAL hook's report of the log's size after a commit. */
bool sqlite_checkpointer_running(void);
void sqlite_checkpointer_poke(int wal_pages);

#endif
