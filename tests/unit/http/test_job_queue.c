/* test_job_queue.c - the writer threads' queue (src/http/job_queue.c): every
 * job runs exactly once, in arrival order with one thread; busy(true) and
 * busy(false) come in pairs around runs of jobs; stop runs what is queued. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "http/job_queue.h"

enum { JOBS = 2000 };

typedef struct {
    pthread_mutex_t mu;
    int order[JOBS];        /* job numbers in the order they ran */
    int ran;
    int runs_of[JOBS];      /* how often each job ran */
    int busy_threads;       /* busy(true) minus busy(false) so far */
    int busy_max;
    int busy_calls;
    atomic_bool bad_busy;   /* a job ran on a thread that had not said busy */
} trace;

static _Thread_local bool thread_busy;

static void run(void *ctx, void *job)
{
    trace *t = ctx;
    int n = (int)(intptr_t)job - 1;
    if (!thread_busy)
        atomic_store(&t->bad_busy, true);
    pthread_mutex_lock(&t->mu);
    t->order[t->ran++] = n;
    t->runs_of[n]++;
    pthread_mutex_unlock(&t->mu);
}

static void busy(void *ctx, bool on)
{
    trace *t = ctx;
    if (on == thread_busy)
        atomic_store(&t->bad_busy, true);
    thread_busy = on;
    pthread_mutex_lock(&t->mu);
    t->busy_threads += on ? 1 : -1;
    if (t->busy_threads > t->busy_max)
        t->busy_max = t->busy_threads;
    t->busy_calls++;
    pthread_mutex_unlock(&t->mu);
}

static trace *trace_new(void)
{
    static trace t;
    t = (trace){0};
    pthread_mutex_init(&t.mu, NULL);
    return &t;
}

static void push_all(job_queue *q)
{
    for (int i = 0; i < JOBS; i++) {
        job_queue_push(q, (void *)(intptr_t)(i + 1));
        if (i % 97 == 0)
            usleep(200); /* let the queue run dry now and then: more busy pairs */
    }
}

/* Pushes JOBS jobs through a queue of threads threads and stops it: each ran
 * once, on a thread that had said busy, and every busy(true) was ended. */
static trace *run_jobs(unsigned threads)
{
    trace *t = trace_new();
    job_queue *q = job_queue_start(threads, run, busy, t);
    assert_non_null(q);
    push_all(q);
    job_queue_stop(q);
    assert_int_equal(t->ran, JOBS);
    for (int i = 0; i < JOBS; i++)
        assert_int_equal(t->runs_of[i], 1);
    assert_int_equal(t->busy_threads, 0);
    assert_true(t->busy_max >= 1 && t->busy_max <= (int)threads);
    assert_false(atomic_load(&t->bad_busy));
    return t;
}

static void one_thread_keeps_arrival_order(void **state)
{
    (void)state;
    trace *t = run_jobs(1);
    for (int i = 0; i < JOBS; i++)
        assert_int_equal(t->order[i], i);
    assert_true(t->busy_calls >= 2 && t->busy_calls % 2 == 0);
}

static void several_threads_run_each_job_once(void **state)
{
    (void)state;
    run_jobs(3);
}

/* Jobs pushed just before the stop still run: the server's last requests. */
static void stop_runs_what_is_queued(void **state)
{
    (void)state;
    trace *t = trace_new();
    job_queue *q = job_queue_start(2, run, busy, t);
    assert_non_null(q);
    for (int i = 0; i < 50; i++)
        job_queue_push(q, (void *)(intptr_t)(i + 1));
    job_queue_stop(q);
    assert_int_equal(t->ran, 50);
    assert_int_equal(t->busy_threads, 0);
}

static void stop_of_null_is_nothing(void **state)
{
    (void)state;
    job_queue_stop(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_thread_keeps_arrival_order),
        cmocka_unit_test(several_threads_run_each_job_once),
        cmocka_unit_test(stop_runs_what_is_queued),
        cmocka_unit_test(stop_of_null_is_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
