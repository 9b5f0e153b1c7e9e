/* provision.c - the provisioner kinds (see provision.h) and what they share:
 * reading a provisioner's answer and the retry schedule. */
#include "feature/services/provision.h"

#include <assert.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/buf.h"

static provision_status manual_run(const config_provisioner *conf, const char *service_json, char *message,
                                   size_t size)
{
    (void)conf, (void)service_json;
    snprintf(message, size, "waiting for staff to activate it");
    return PROVISION_WAITS_FOR_STAFF;
}

static provision_status command_run(const config_provisioner *conf, const char *service_json, char *message,
                                    size_t size)
{
    assert(service_json && message && size > 0);
    if (!conf)
        return snprintf(message, size, "no such provisioner in the configuration"), PROVISION_FAILED;
    assert(conf->kind < CONFIG_PROVISION_KIND_COUNT);
    return conf->kind == CONFIG_PROVISION_EXEC ? provision_exec_run(conf->target, service_json, message, size)
                                               : provision_url_run(conf->target, service_json, message, size);
}

const provision_kind provision_manual = {"manual", manual_run};
const provision_kind provision_command = {"command", command_run};

const provision_kind *provision_kind_for(const saldo_config *cfg, const char *name, const config_provisioner **conf)
{
    *conf = NULL;
    if (!strcmp(name, "manual"))
        return &provision_manual;
    *conf = config_provisioner_find(cfg, name);
    return &provision_command;
}

provision_status provision_parse_answer(const char *text, size_t len, char *message, size_t size)
{
    json_error_t e;
    json_t *j = json_loadb(text, len, 0, &e);
    json_t *ok = json_object_get(j, "ok"), *msg = json_object_get(j, "message");
    provision_status st = PROVISION_FAILED;
    if (!json_is_object(j) || !json_is_boolean(ok))
        snprintf(message, size, "the answer is not {\"ok\": true|false, \"message\": \"...\"}");
    else {
        buf_copy_utf8(message, size, json_is_string(msg) ? json_string_value(msg) : "");
        st = json_is_true(ok) ? PROVISION_DONE : PROVISION_FAILED;
    }
    json_decref(j);
    return st;
}

int64_t provision_retry_delay_s(int64_t attempts)
{
    assert(attempts >= 1);
    int64_t shift = attempts - 1 < 10 ? attempts - 1 : 10;
    return (int64_t)PROVISION_RETRY_FIRST_S << shift;
}
