/* provision.h - how a service gets activated: one vtable per kind of
 * provisioner. `manual` waits for staff to mark the service active (with
 * notes); `command` runs what the configuration names for the product's
 * provisioner (provisioner.<name> = exec:/path or url:http://...), handing it
 * the service as JSON and reading back {"ok": true|false, "message": "..."}.
 * The worker of `serve` (provision_worker.c) calls these, never inside a
 * database transaction. */
#ifndef SALDO_PROVISION_H
#define SALDO_PROVISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/config.h"

enum {
    PROVISION_TIMEOUT_S = 30,          /* a program's or a URL's whole run */
    PROVISION_CONNECT_TIMEOUT_S = 10,
    PROVISION_OUTPUT_MAX = 64 * 1024,  /* bytes of answer read; more is a failure */
    PROVISION_ATTEMPTS_MAX = 5,        /* then the service waits for staff */
    PROVISION_RETRY_FIRST_S = 30,      /* doubling after each failure */
    PROVISION_LEASE_S = 300,           /* a claimed service is left alone this long */
};

typedef enum {
    PROVISION_DONE,            /* the service is provisioned: activate it */
    PROVISION_FAILED,          /* try again later (message says why) */
    PROVISION_WAITS_FOR_STAFF, /* manual: nothing to run */
    PROVISION_STATUS_COUNT
} provision_status;

typedef struct provision_kind {
    const char *name; /* "manual", "command" */
    /* Provisions the service described by service_json with conf (NULL for
     * manual); message (size bytes, always NUL-terminated) receives what the
     * provisioner said or why it failed. */
    provision_status (*run)(const config_provisioner *conf, const char *service_json, char *message, size_t size);
} provision_kind;

extern const provision_kind provision_manual;
extern const provision_kind provision_command;

/* The kind for a product's provisioner name: manual for "manual", command
 * otherwise (*conf the configured entry, NULL when the name is not configured:
 * running it then fails, naming the missing key). */
const provision_kind *provision_kind_for(const saldo_config *cfg, const char *name, const config_provisioner **conf);

/* The two transports of command (provision_exec.c, provision_url.c). */
provision_status provision_exec_run(const char *path, const char *json, char *message, size_t size);
provision_status provision_url_run(const char *url, const char *json, char *message, size_t size);
/* Reads a provisioner's answer {"ok": bool, "message": string?}: DONE when
 * ok is true, else FAILED with the message (or a description of what was
 * wrong with the answer). */
provision_status provision_parse_answer(const char *text, size_t len, char *message, size_t size);
/* Seconds before the next attempt after the attempts-th failure. */
int64_t provision_retry_delay_s(int64_t attempts);

#endif
