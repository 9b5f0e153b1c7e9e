/* stream.h - long answers (server-sent events) that hold no pool thread while
 * they wait.
 *
 * There are only a few pool threads, so a stream never blocks one: when fill
 * has nothing to send, the server suspends the connection (libmicrohttpd's
 * suspend/resume) and the thread serves others; http_stream_wake, from any
 * thread, resumes it and fill runs again. A stream lives past its handler:
 * its context is the caller's (malloc'd, not the request arena), handed back
 * to done exactly once when the stream ends (the client went away, fill said
 * so, or the server stops). Suspended streams do not time out; active ones
 * keep the server's idle timeout, so a stream should send something (an SSE
 * comment) more often than that. */
#ifndef SALDO_STREAM_H
#define SALDO_STREAM_H

#include <stddef.h>
#include <sys/types.h>

#include "http/http.h"

typedef struct http_stream http_stream;

/* Writes up to max bytes of what is ready into out: how many (> 0), 0 when
 * nothing is ready (the stream sleeps until woken), -1 to end the stream. d is
 * the pool thread's database connection, NULL when it cannot open. */
typedef ssize_t (*http_stream_fill)(void *ctx, db *d, char *out, size_t max);

/* Answers r with a 200 stream of content_type (no caching). NULL when the
 * server is stopping (nothing answered; done is not called). */
http_stream *http_stream_answer(http_request *r, const char *content_type, http_stream_fill fill,
                                void (*done)(void *ctx), void *ctx);
/* Has fill called again soon: at once if the stream sleeps. Any thread; s must
 * be alive: not released yet (callers drop their pointer in done), or held.
 * Call it under no lock that done takes: hold the streams under that lock,
 * let go of it, then wake them and drop them. */
void http_stream_wake(http_stream *s);
/* Keeps s's memory alive past its end until the matching drop (a wake after
 * the end does nothing). */
void http_stream_hold(http_stream *s);
void http_stream_drop(http_stream *s);

/* For the server (server.c). One step of s on a pool thread: the bytes, 0 (s
 * suspended its connection or will be called again), or -1 to end. */
ssize_t http_stream_step(http_stream *s, db *d, char *out, size_t max);
/* The server let go of s: done(ctx), then s is freed. */
void http_stream_release(void *s);
/* Ends every stream (they end at their next step) and refuses new ones. */
void http_stream_end_all(void);

#endif
