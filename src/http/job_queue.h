/* job_queue.h - a few threads of their own running jobs in arrival order.
 *
 * The server hands them the requests whose writes join the group commit
 * (store/db_group.h). Those write transactions share one connection and run
 * one at a time anyway, so a pool thread that served one itself would wait for
 * that connection, or for the group's fsync, while every other connection it
 * serves waited behind it (docs/PERFORMANCE.md). Here they wait only for each
 * other, and with more than one thread the work a request does outside its
 * transaction (sign-in checks, reading the body, writing the answer) overlaps
 * another's transaction.
 *
 * busy(ctx, true) is called on a thread before it takes jobs after an idle
 * spell, busy(ctx, false) when it finds the queue empty: the server keeps a
 * group open while jobs are on their way into it. */
#ifndef SALDO_JOB_QUEUE_H
#define SALDO_JOB_QUEUE_H

#include <stdbool.h>

typedef struct job_queue job_queue;

enum { JOB_QUEUE_THREADS_MAX = 8 };

/* threads: 1 to JOB_QUEUE_THREADS_MAX. NULL when a thread cannot start. */
job_queue *job_queue_start(unsigned threads, void (*run)(void *ctx, void *job),
                           void (*busy)(void *ctx, bool busy), void *ctx);
void job_queue_push(job_queue *q, void *job);
/* Runs what is queued, then stops the threads. Nobody may push meanwhile. */
void job_queue_stop(job_queue *q);

#endif
