/* header_watchdog.h - drops connections whose request headers do not arrive
 * in time.
 *
 * libmicrohttpd closes a connection only after it has been silent for the
 * idle timeout, so a client that dribbles one header byte every few seconds
 * (slowloris) would keep its connection, and its memory, forever. The
 * watchdog learns of every connection through libmicrohttpd's connection
 * notifications and notes when it became ready for a request (accepted, or
 * its previous answer done) and whether that request's headers are complete.
 * Once a second it shuts down the sockets that have waited past the deadline
 * for complete headers; libmicrohttpd then sees the client gone and closes
 * the connection the usual way. Bodies have their own limit in server.c. */
#ifndef SALDO_HEADER_WATCHDOG_H
#define SALDO_HEADER_WATCHDOG_H

#include <microhttpd.h>

typedef struct header_watchdog header_watchdog;

/* Starts the watchdog's thread; deadline_s > 0. Aborts when out of memory. */
header_watchdog *header_watchdog_start(unsigned deadline_s);
/* Stops the thread; call after MHD_stop_daemon (no connection is left). */
void header_watchdog_stop(header_watchdog *w);
/* The MHD_OPTION_NOTIFY_CONNECTION callback; cls is the watchdog. */
void header_watchdog_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                            enum MHD_ConnectionNotificationCode code);
/* The connection's headers are complete: its request is under way. */
void header_watchdog_request_started(struct MHD_Connection *c);
/* The request is answered: the connection waits for the next request's headers. */
void header_watchdog_request_done(struct MHD_Connection *c);

#endif
