/* job_queue.c - see job_queue.h. A linked FIFO under one mutex. */
#include "http/job_queue.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct node {
    void *job;
    struct node *next;
} node;

struct job_queue {
    void (*run)(void *ctx, void *job);
    void (*busy)(void *ctx, bool busy);
    void *ctx;
    unsigned threads;
    pthread_t thread[JOB_QUEUE_THREADS_MAX];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    node *head, **tail;
    bool stopping;
};

/* The next job; NULL when the queue is empty and wait is false, or when it
 * is stopping with nothing queued. */
static void *take(job_queue *q, bool wait)
{
    pthread_mutex_lock(&q->mu);
    while (wait && !q->head && !q->stopping)
        pthread_cond_wait(&q->cv, &q->mu);
    node *n = q->head;
    if (n) {
        q->head = n->next;
        if (!q->head)
            q->tail = &q->head;
    }
    pthread_mutex_unlock(&q->mu);
    void *job = n ? n->job : NULL;
    free(n);
    return job;
}

static void *queue_main(void *arg)
{
    job_queue *q = arg;
    for (void *job; (job = take(q, true));) {
        q->busy(q->ctx, true);
        do
            q->run(q->ctx, job);
        while ((job = take(q, false)));
        q->busy(q->ctx, false);
    }
    return NULL;
}

static void stop_threads(job_queue *q, unsigned started)
{
    pthread_mutex_lock(&q->mu);
    q->stopping = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(q->thread[i], NULL);
    assert(!q->head);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q);
}

job_queue *job_queue_start(unsigned threads, void (*run)(void *ctx, void *job),
                           void (*busy)(void *ctx, bool busy), void *ctx)
{
    assert(run && busy && threads >= 1 && threads <= JOB_QUEUE_THREADS_MAX);
    job_queue *q = calloc(1, sizeof *q);
    if (!q)
        abort();
    *q = (job_queue){.run = run, .busy = busy, .ctx = ctx};
    q->tail = &q->head;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    for (; q->threads < threads; q->threads++) {
        if (pthread_create(&q->thread[q->threads], NULL, queue_main, q)) {
            stop_threads(q, q->threads);
            return NULL;
        }
    }
    return q;
}

void job_queue_push(job_queue *q, void *job)
{
    assert(job);
    node *n = malloc(sizeof *n);
    if (!n)
        abort();
    *n = (node){.job = job};
    pthread_mutex_lock(&q->mu);
    assert(!q->stopping);
    *q->tail = n;
    q->tail = &n->next;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

void job_queue_stop(job_queue *q)
{
    if (q)
        stop_threads(q, q->threads);
}
