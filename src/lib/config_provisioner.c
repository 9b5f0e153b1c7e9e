/* config_provisioner.c - the provisioner.<name> keys of the configuration
 * (see config.h): each names a program to run or a URL to call when a service
 * of a product using that provisioner is to be activated. Their names are
 * free, so they live beside the fixed key table of config.c rather than in it. */
#include "lib/config.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4)))
static bool provisioner_fail(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return false;
}

static bool provisioner_name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len < 1 || len > CONFIG_PROVISIONER_NAME_MAX || !strcmp(name, "manual"))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
              name[i] == '-'))
            return false;
    return true;
}

/* An absolute path of printable ASCII without spaces (no shell ever sees it). */
static bool provisioner_path_ok(const char *p)
{
    size_t len = strlen(p);
    if (len < 2 || len > CONFIG_PROVISIONER_TARGET_MAX || p[0] != '/' || p[len - 1] == '/')
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
            return false;
    return true;
}

bool config_set_provisioner(saldo_config *c, const char *name, const char *value, const char *label, char *err,
                            size_t err_size)
{
    assert(c && name && value && label && err && err_size > 0);
    if (!provisioner_name_ok(name))
        return provisioner_fail(err, err_size,
                                "%s: bad provisioner name: expected 1-64 of a-z 0-9 _ - (and not 'manual')", label);
    config_provisioner p = {.kind = CONFIG_PROVISION_EXEC};
    snprintf(p.name, sizeof p.name, "%s", name);
    const char *target = NULL;
    if (!strncmp(value, "exec:", 5) && provisioner_path_ok(value + 5))
        target = value + 5;
    else if (!strncmp(value, "url:", 4) && strlen(value + 4) <= CONFIG_PROVISIONER_TARGET_MAX &&
             config_http_url_ok(value + 4))
        target = value + 4, p.kind = CONFIG_PROVISION_URL;
    if (!target)
        return provisioner_fail(err, err_size,
                                "%s: bad value '%.64s': expected exec:/absolute/path or url:http(s)://host/path",
                                label, value);
    snprintf(p.target, sizeof p.target, "%s", target);
    for (int i = 0; i < c->provisioner_count; i++)
        if (!strcmp(c->provisioners[i].name, name)) {
            c->provisioners[i] = p;
            return true;
        }
    if (c->provisioner_count >= CONFIG_PROVISIONERS_MAX)
        return provisioner_fail(err, err_size, "%s: too many provisioners (limit %d)", label,
                                CONFIG_PROVISIONERS_MAX);
    c->provisioners[c->provisioner_count++] = p;
    return true;
}

const config_provisioner *config_provisioner_find(const saldo_config *c, const char *name)
{
    assert(c && name && c->provisioner_count <= CONFIG_PROVISIONERS_MAX);
    for (int i = 0; i < c->provisioner_count; i++)
        if (!strcmp(c->provisioners[i].name, name))
            return &c->provisioners[i];
    return NULL;
}
