/* fuzz_config.c - the INI reader and every validator on arbitrary bytes.
 *
 * The input is read as a whole INI file; it is also handed, NUL-terminated, to
 * config_set as the value of the key picked by its first byte. Whatever is
 * accepted must read back through config_get and be accepted again unchanged;
 * whatever is rejected must leave the config untouched and explain itself. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t key_count(void)
{
    size_t n = 0;
    while (config_key_name(n))
        n++;
    return n;
}

/* Every key reads back as text that sets it to exactly the same state. */
static void check_round_trip(const saldo_config *c)
{
    for (size_t i = 0; config_key_name(i); i++) {
        char value[CONFIG_DATABASE_MAX + 1], err[256];
        saldo_config copy = *c;
        assert(config_get(c, config_key_name(i), value, sizeof value));
        assert(config_set(&copy, config_key_name(i), value, NULL, err, sizeof err));
        assert(memcmp(&copy, c, sizeof copy) == 0);
    }
}

static void check_outcome(bool ok, const saldo_config *c, const saldo_config *before,
                          const char *err)
{
    if (ok) {
        check_round_trip(c);
    } else {
        assert(err[0] != '\0');
        assert(memcmp(c, before, sizeof *c) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    saldo_config c, before;
    char err[512];
    config_defaults(&c);
    before = c;
    bool ok = config_load_text(&c, "fuzz.conf", (const char *)data, size, err, sizeof err);
    check_outcome(ok, &c, &before, err);

    if (size == 0 || size > CONFIG_LINE_MAX)
        return 0;
    char *value = malloc(size);
    assert(value);
    memcpy(value, data + 1, size - 1);
    value[size - 1] = '\0';
    config_defaults(&c);
    before = c;
    ok = config_set(&c, config_key_name(data[0] % key_count()), value, "fuzz", err, sizeof err);
    check_outcome(ok, &c, &before, err);
    free(value);
    return 0;
}
