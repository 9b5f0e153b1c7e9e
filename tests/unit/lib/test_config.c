/* test_config.c - configuration: defaults, every key's good and bad values with
 * the exact message, the INI syntax (quoting, CRLF, errors with line numbers),
 * the environment, flags and argv compaction, and the precedence of the chain
 * defaults < file < environment < flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/config.h"

#define ERR_SIZE 2048

/* ---- helpers ---- */

static void load_ok(saldo_config *c, const char *text)
{
    char err[ERR_SIZE];
    if (!config_load_text(c, "t.conf", text, strlen(text), err, sizeof err))
        fail_msg("rejected: %s", err);
}

/* Loads text into a default config, expects failure with exactly message, and
 * checks the config was left unchanged. */
static void load_fails(const char *text, size_t len, const char *message)
{
    saldo_config c, before;
    char err[ERR_SIZE];
    config_defaults(&c);
    before = c;
    if (config_load_text(&c, "t.conf", text, len, err, sizeof err))
        fail_msg("accepted: %s", text);
    assert_string_equal(err, message);
    assert_memory_equal(&c, &before, sizeof c);
}

static void set_ok(saldo_config *c, const char *key, const char *value)
{
    char err[ERR_SIZE];
    if (!config_set(c, key, value, NULL, err, sizeof err))
        fail_msg("%s = '%s' rejected: %s", key, value, err);
}

/* Sets key through its flag name and expects "<flag>: bad value ..." exactly. */
static void set_fails(const char *key, const char *value, const char *message)
{
    saldo_config c, before;
    char err[ERR_SIZE], flag[64];
    config_defaults(&c);
    before = c;
    snprintf(flag, sizeof flag, "--%s", key); /* provider.vat_id -> --provider-vat-id */
    for (char *p = flag + 2; *p; p++)
        *p = *p == '_' || *p == '.' ? '-' : *p;
    assert_string_equal(config_key_for_flag(flag), key);
    if (config_set(&c, key, value, flag, err, sizeof err))
        fail_msg("%s = '%s' accepted", key, value);
    assert_string_equal(err, message);
    assert_memory_equal(&c, &before, sizeof c);
}

static const char *get(const saldo_config *c, const char *key)
{
    static char out[CONFIG_DATABASE_MAX + 1];
    assert_true(config_get(c, key, out, sizeof out));
    return out;
}

static char *repeat(char ch, size_t n)
{
    static char s[1024];
    assert_true(n < sizeof s);
    memset(s, ch, n);
    s[n] = '\0';
    return s;
}

static char tmp_dir[64];

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static int make_tmp_dir(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/saldo-config-test-XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int remove_tmp_dir(void **state)
{
    (void)state;
    const char *names[] = {"saldo.conf", "a.conf", "b.conf", "big.conf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", tmp_dir, names[i]);
        unlink(path);
    }
    return rmdir(tmp_dir);
}

/* ---- defaults, get, key names ---- */

static void test_defaults(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.database, "sqlite:var/saldo.db");
    assert_string_equal(c.base_url, "http://127.0.0.1:8080");
    assert_string_equal(c.smtp_url, "");
    assert_string_equal(c.mail_from, "saldo@localhost");
    assert_string_equal(c.secret_key, "");
    assert_int_equal(c.threads, 0);
    assert_int_equal(c.log_level, LOG_INFO);
    assert_string_equal(c.provider.name, "Saldo Hosting S.r.l.");
    assert_true(strlen(c.provider.address) > 0);
    assert_string_equal(c.provider.country, "IT");
    assert_string_equal(c.provider.vat_id, "IT12345670017");
    assert_string_equal(c.provider.iban, "IT60X0542811101000000123456");
    assert_string_equal(c.file, "");
}

/* Every key's value, read back with config_get, is accepted by config_set and
 * leaves the config identical: get and set agree, defaults are valid. */
static void test_get_set_round_trip(void **state)
{
    (void)state;
    saldo_config c, copy;
    config_defaults(&c);
    set_ok(&c, "secret_key", repeat('k', 40));
    set_ok(&c, "smtp_url", "smtps://mail.example.com:465");
    set_ok(&c, "threads", "12");
    set_ok(&c, "log_level", "WARN");
    size_t n = 0;
    for (const char *key; (key = config_key_name(n)); n++) {
        char value[CONFIG_DATABASE_MAX + 1];
        assert_true(config_get(&c, key, value, sizeof value));
        copy = c;
        set_ok(&copy, key, value);
        assert_memory_equal(&copy, &c, sizeof c);
    }
    assert_int_equal(n, 34);
    assert_string_equal(get(&c, "log_level"), "warn");
    assert_string_equal(get(&c, "threads"), "12");
    char tiny[4];
    assert_false(config_get(&c, "listen", tiny, sizeof tiny));
    assert_string_equal(tiny, "");
    assert_false(config_get(&c, "lisen", tiny, sizeof tiny));
}

static void test_flag_names(void **state)
{
    (void)state;
    assert_string_equal(config_key_for_flag("--listen"), "listen");
    assert_string_equal(config_key_for_flag("--base-url"), "base_url");
    assert_string_equal(config_key_for_flag("--log-level"), "log_level");
    assert_string_equal(config_key_for_flag("--provider-iban"), "provider.iban");
    assert_string_equal(config_key_for_flag("--provider-vat-id"), "provider.vat_id");
    assert_null(config_key_for_flag("--config"));
    assert_null(config_key_for_flag("--help"));
    assert_null(config_key_for_flag("listen"));
    assert_null(config_key_for_flag("--base_url"));
}

/* ---- every key, good and bad ---- */

static void test_listen(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "listen", "0.0.0.0:443");
    assert_string_equal(c.listen, "0.0.0.0:443");
    set_ok(&c, "listen", "localhost:1");
    assert_string_equal(c.listen, "localhost:1");
    set_ok(&c, "listen", "[::1]:65535");
    assert_string_equal(c.listen, "[::1]:65535");
    set_ok(&c, "listen", "[2001:db8::7]:8080");
    assert_string_equal(c.listen, "[2001:db8::7]:8080");

    const char *port = "expected HOST:PORT with port 1-65535";
    const char *host = "expected HOST:PORT with HOST an IPv4 address, localhost or [IPv6]";
    char msg[ERR_SIZE];
    const struct { const char *value, *expected; } bad[] = {
        {"x:99999", port}, {"127.0.0.1", port}, {"127.0.0.1:0", port},
        {"127.0.0.1:65536", port}, {"127.0.0.1:", port}, {"127.0.0.1:+80", port},
        {"127.0.0.1:080a", port}, {"[::1]", port}, {"", port},
        {"example.com:80", host}, {":80", host}, {"256.0.0.1:80", host},
        {"01.2.3.4:80", host}, {"1.2.3:80", host}, {"::1:80", host}, {"[::1:80", host},
        {"[1.2.3.4]:80", host}, {"LOCALHOST:80", host}, {" 127.0.0.1:80", host},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg, "--listen: bad value '%s': %s", bad[i].value, bad[i].expected);
        set_fails("listen", bad[i].value, msg);
    }
}

static void test_database(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "database", "sqlite:/var/lib/saldo/saldo.db");
    set_ok(&c, "database", "sqlite::memory:");
    set_ok(&c, "database", "postgresql://saldo@db.internal:5432/saldo?sslmode=require");
    set_ok(&c, "database", "postgres://localhost/saldo");
    assert_string_equal(c.database, "postgres://localhost/saldo");
    const char *e = "expected sqlite:PATH or a postgresql:// or postgres:// URL, at most 1023 bytes";
    char msg[ERR_SIZE];
    const char *bad[] = {"sqlite:", "", "var/saldo.db", "mysql://x/y", "SQLITE:x.db",
                         "postgresql:/x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg, "--database: bad value '%s': %s", bad[i], e);
        set_fails("database", bad[i], msg);
    }
    snprintf(msg, sizeof msg, "--database: bad value 'sqlite:a\\x0ab': %s: control character", e);
    set_fails("database", "sqlite:a\nb", msg);
    char longest[CONFIG_DATABASE_MAX + 2];
    memset(longest, 'x', sizeof longest - 1);
    memcpy(longest, "sqlite:", 7);
    longest[CONFIG_DATABASE_MAX] = '\0';
    set_ok(&c, "database", longest);
    longest[CONFIG_DATABASE_MAX] = 'x';
    longest[CONFIG_DATABASE_MAX + 1] = '\0';
    snprintf(msg, sizeof msg, "--database: bad value 'sqlite:%s...': %s", repeat('x', 57), e);
    set_fails("database", longest, msg);
}

static void test_base_url(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "base_url", "https://billing.example.com/");
    assert_string_equal(c.base_url, "https://billing.example.com");
    set_ok(&c, "base_url", "http://localhost:8080/saldo//");
    assert_string_equal(c.base_url, "http://localhost:8080/saldo");
    set_ok(&c, "base_url", "http://[::1]:8080");
    set_ok(&c, "base_url", "https://my-host.example.org/a/b%20c");
    assert_string_equal(c.base_url, "https://my-host.example.org/a/b%20c");
    char msg[ERR_SIZE];
    const char *bad[] = {"ftp://x", "", "http://", "http:///x", "https://x y", "http://x:0",
                         "http://x:99999", "http://x/a?b=1", "http://x/#top", "HTTP://x",
                         "http://-x.com", "http://x..com", "http://user@x", "http://[::1",
                         "http://x/%zz", "//x", "https:/x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg, "--base-url: bad value '%s': expected an http:// or https:// URL",
                 bad[i]);
        set_fails("base_url", bad[i], msg);
    }
}

static void test_smtp_url(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "smtp_url", "smtp://mail.example.com:587");
    assert_string_equal(c.smtp_url, "smtp://mail.example.com:587");
    set_ok(&c, "smtp_url", "smtps://mail.example.com/");
    assert_string_equal(c.smtp_url, "smtps://mail.example.com");
    set_ok(&c, "smtp_url", "smtp://127.0.0.1:2525");
    set_ok(&c, "smtp_url", "");
    assert_string_equal(c.smtp_url, "");
    char msg[ERR_SIZE];
    const char *bad[] = {"http://mail.example.com", "smtp://", "smtp://h/path", "smtp://h:99999",
                         "smtp://h:", "mail.example.com", "smtp://u:p@h"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg,
                 "--smtp-url: bad value '%s': expected an smtp:// or smtps:// URL with a host "
                 "and an optional port, or nothing", bad[i]);
        set_fails("smtp_url", bad[i], msg);
    }
}

static void test_mail_from(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    const char *good[] = {"billing@example.com", "saldo@localhost", "a.b+c@x-y.example",
                          "o'brien@example.ie"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        set_ok(&c, "mail_from", good[i]);
        assert_string_equal(c.mail_from, good[i]);
    }
    char msg[ERR_SIZE];
    const char *bad[] = {"", "billing", "@example.com", "billing@", "a..b@x.com", ".a@x.com",
                         "a.@x.com", "a@-x.com", "a@x.com.", "Billing <b@x.com>", "a b@x.com",
                         "a@x_y.com"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg,
                 "--mail-from: bad value '%s': expected an email address like billing@example.com",
                 bad[i]);
        set_fails("mail_from", bad[i], msg);
    }
}

static void test_secret_key_never_echoed(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "secret_key", repeat('s', 32));
    set_ok(&c, "secret_key", repeat('s', 256));
    set_ok(&c, "secret_key", "");
    const char *e = "expected at least 32 printable ASCII characters (at most 256), or nothing";
    char msg[ERR_SIZE];
    snprintf(msg, sizeof msg, "--secret-key: bad value (not shown, 31 bytes): %s", e);
    set_fails("secret_key", repeat('s', 31), msg);
    snprintf(msg, sizeof msg, "--secret-key: bad value (not shown, 257 bytes): %s", e);
    set_fails("secret_key", repeat('s', 257), msg);
    char with_tab[40];
    memset(with_tab, 'a', sizeof with_tab - 1);
    with_tab[39] = '\0';
    with_tab[10] = '\t';
    snprintf(msg, sizeof msg, "--secret-key: bad value (not shown, 39 bytes): %s", e);
    set_fails("secret_key", with_tab, msg);
}

/* The billing run's day counts: defaults, ranges, the previous value kept on
 * a bad one. */
static void test_billing_days(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    assert_int_equal(c.renewal_window_days, 14);
    assert_int_equal(c.grace_days, 7);
    assert_int_equal(c.termination_days, 30);
    set_ok(&c, "renewal_window_days", "365");
    set_ok(&c, "grace_days", "0");
    set_ok(&c, "termination_days", "3650");
    assert_int_equal(c.renewal_window_days, 365);
    assert_int_equal(c.grace_days, 0);
    assert_int_equal(c.termination_days, 3650);
    assert_string_equal(get(&c, "termination_days"), "3650");
    static const struct { const char *key, *value, *expected; } bad[] = {
        {"renewal_window_days", "0", "a number of days 1-365"},
        {"renewal_window_days", "366", "a number of days 1-365"},
        {"grace_days", "-1", "a number of days 0-365"},
        {"grace_days", "7 days", "a number of days 0-365"},
        {"termination_days", "0", "a number of days 1-3650"},
        {"termination_days", "3651", "a number of days 1-3650"},
        {"termination_days", "", "a number of days 1-3650"},
    };
    char msg[ERR_SIZE], flag[64];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(flag, sizeof flag, "--%s", bad[i].key);
        for (char *p = flag; *p; p++)
            *p = *p == '_' ? '-' : *p;
        snprintf(msg, sizeof msg, "%s: bad value '%s': expected %s", flag, bad[i].value, bad[i].expected);
        set_fails(bad[i].key, bad[i].value, msg);
    }
}

/* Group commit (store/db_group.h): on, 2 ms by default; on/off and 1-1000 ms. */
static void test_store_group_commit(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    assert_string_equal(c.store.group_commit, "on");
    assert_int_equal(c.store.group_commit_ms, 2);
    set_ok(&c, "store.group_commit", "off");
    set_ok(&c, "store.group_commit_ms", "1000");
    assert_string_equal(c.store.group_commit, "off");
    assert_int_equal(c.store.group_commit_ms, 1000);
    set_fails("store.group_commit", "yes", "--store-group-commit: bad value 'yes': expected on or off");
    set_fails("store.group_commit", "ON", "--store-group-commit: bad value 'ON': expected on or off");
    const char *bad_ms[] = {"0", "1001", "-1", "2ms", ""};
    for (size_t i = 0; i < sizeof bad_ms / sizeof bad_ms[0]; i++) {
        char msg[160];
        snprintf(msg, sizeof msg, "--store-group-commit-ms: bad value '%s': expected a number of milliseconds 1-1000",
                 bad_ms[i]);
        set_fails("store.group_commit_ms", bad_ms[i], msg);
    }
}

static void test_threads_and_log_level(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "threads", "256");
    assert_int_equal(c.threads, 256);
    set_ok(&c, "threads", "007");
    assert_int_equal(c.threads, 7);
    set_ok(&c, "threads", "0");
    assert_int_equal(c.threads, 0);
    char msg[ERR_SIZE];
    const char *bad[] = {"257", "-1", "", "x", "1.5", " 1", "+4", "99999999999", "4294967297"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg, "--threads: bad value '%s': expected an integer 0-256", bad[i]);
        set_fails("threads", bad[i], msg);
    }
    const struct { const char *name; log_level level; } levels[] = {
        {"debug", LOG_DEBUG}, {"info", LOG_INFO}, {"warn", LOG_WARN}, {"error", LOG_ERROR},
        {"Error", LOG_ERROR},
    };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        set_ok(&c, "log_level", levels[i].name);
        assert_int_equal(c.log_level, levels[i].level);
    }
    set_fails("log_level", "verbose",
              "--log-level: bad value 'verbose': expected debug, info, warn or error");
    set_fails("log_level", "warning",
              "--log-level: bad value 'warning': expected debug, info, warn or error");
}

static void test_provider_text(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "provider.name", "Società Ünïcode S.p.A. — 東京");
    assert_string_equal(c.provider.name, "Società Ünïcode S.p.A. — 東京");
    set_ok(&c, "provider.name", repeat('n', 200));
    const char *e = "expected 1-200 bytes of UTF-8 text";
    char msg[ERR_SIZE];
    snprintf(msg, sizeof msg, "--provider-name: bad value '': %s", e);
    set_fails("provider.name", "", msg);
    snprintf(msg, sizeof msg, "--provider-name: bad value '%s...': %s", repeat('n', 64), e);
    set_fails("provider.name", repeat('n', 201), msg);
    snprintf(msg, sizeof msg, "--provider-name: bad value 'a\xff': %s: invalid UTF-8", e);
    set_fails("provider.name", "a\xff", msg);
    snprintf(msg, sizeof msg, "--provider-name: bad value 'a\xc0\xaf': %s: invalid UTF-8", e);
    set_fails("provider.name", "a\xc0\xaf", msg); /* overlong '/' */
    snprintf(msg, sizeof msg, "--provider-name: bad value '\xed\xa0\x80': %s: invalid UTF-8", e);
    set_fails("provider.name", "\xed\xa0\x80", msg); /* surrogate */
    snprintf(msg, sizeof msg, "--provider-name: bad value 'a\\x09b': %s: control character", e);
    set_fails("provider.name", "a\tb", msg);

    set_ok(&c, "provider.address", "");
    set_ok(&c, "provider.address", repeat('a', 500));
    snprintf(msg, sizeof msg,
             "--provider-address: bad value '%s...': expected at most 500 bytes of UTF-8 text "
             "on one line", repeat('a', 64));
    set_fails("provider.address", repeat('a', 501), msg);
    set_fails("provider.address", "Via Roma 1\n00100 Roma",
              "--provider-address: bad value 'Via Roma 1\\x0a00100 Roma': expected at most 500 "
              "bytes of UTF-8 text on one line: control character");
}

/* The address in parts, the fiscal regime and the FatturaPA progressive offset. */
static void test_provider_einvoice(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    assert_string_equal(c.provider.street, "Via Roma 1");
    assert_string_equal(c.provider.postal_code, "00184");
    assert_string_equal(c.provider.city, "Roma");
    assert_string_equal(c.provider.province, "RM");
    assert_string_equal(c.provider.tax_regime, "RF01");
    assert_int_equal(c.provider.fatturapa_progressive_offset, 0);
    set_ok(&c, "provider.street", "Via dell'Università 12");
    set_ok(&c, "provider.city", "Forlì");
    set_ok(&c, "provider.postal_code", "SW1A 1AA");
    set_ok(&c, "provider.province", "");
    set_ok(&c, "provider.tax_regime", "RF19");
    set_ok(&c, "provider.fatturapa_progressive_offset", "30000000");
    assert_string_equal(get(&c, "provider.tax_regime"), "RF19");
    assert_string_equal(get(&c, "provider.fatturapa_progressive_offset"), "30000000");
    assert_string_equal(c.provider.city, "Forlì");

    set_fails("provider.street", "", "--provider-street: bad value '': expected 1-200 bytes of UTF-8 text on one line");
    set_fails("provider.city", "a\nb",
              "--provider-city: bad value 'a\\x0ab': expected 1-200 bytes of UTF-8 text on one line: control character");
    set_fails("provider.postal_code", "00184!",
              "--provider-postal-code: bad value '00184!': expected 1-15 upper-case letters, digits, spaces or dashes like 00184");
    set_fails("provider.postal_code", " 00184",
              "--provider-postal-code: bad value ' 00184': expected 1-15 upper-case letters, digits, spaces or dashes like 00184");
    set_fails("provider.province", "Rm", "--provider-province: bad value 'Rm': expected two upper-case letters like RM, or nothing");
    set_fails("provider.province", "RMA", "--provider-province: bad value 'RMA': expected two upper-case letters like RM, or nothing");
    const char *regimes[] = {"RF03", "RF00", "RF20", "rf01", "RF1", "RF011", ""};
    for (size_t i = 0; i < sizeof regimes / sizeof regimes[0]; i++) {
        char msg[ERR_SIZE];
        snprintf(msg, sizeof msg, "--provider-tax-regime: bad value '%s': expected a FatturaPA fiscal regime RF01, RF02 or RF04-RF19",
                 regimes[i]);
        set_fails("provider.tax_regime", regimes[i], msg);
    }
    set_fails("provider.fatturapa_progressive_offset", "30000001",
              "--provider-fatturapa-progressive-offset: bad value '30000001': expected a number 0-30000000");
    set_fails("provider.fatturapa_progressive_offset", "-1",
              "--provider-fatturapa-progressive-offset: bad value '-1': expected a number 0-30000000");
}

static void test_terms_version(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    assert_string_equal(c.terms_version, "2026-01");
    set_ok(&c, "terms_version", "2026.2_b");
    assert_string_equal(c.terms_version, "2026.2_b");
    char msg[ERR_SIZE];
    const char *bad[] = {"", "2026 01", "v/1", "x123456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(msg, sizeof msg,
                 "--terms-version: bad value '%s': expected 1 to 32 letters, digits and . - _ characters, like 2026-01",
                 bad[i]);
        set_fails("terms_version", bad[i], msg);
    }
}

/* The payment gateway's keys: a URL or nothing, secrets never echoed. */
static void test_gateway(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    assert_string_equal(c.gateway.url, "");
    set_ok(&c, "gateway.url", "http://127.0.0.1:8091");
    assert_string_equal(c.gateway.url, "http://127.0.0.1:8091");
    set_ok(&c, "gateway.api_key", "sk_test_local_key");
    set_ok(&c, "gateway.webhook_secret", "whsec_local_secret");
    assert_string_equal(c.gateway.webhook_secret, "whsec_local_secret");
    set_fails("gateway.url", "ftp://gw.example", "--gateway-url: bad value 'ftp://gw.example': expected an http:// or "
                                                 "https:// URL, or nothing");
    set_fails("gateway.api_key", "short", "--gateway-api-key: bad value (not shown, 5 bytes): expected 8 to 255 "
                                          "printable ASCII characters without spaces, or nothing");
    set_fails("gateway.webhook_secret", "with a space", "--gateway-webhook-secret: bad value (not shown, 12 bytes): "
                                                        "expected 8 to 255 printable ASCII characters without "
                                                        "spaces, or nothing");
}

/* metrics.token: empty (loopback only) or a long token, never echoed. */
static void test_metrics_token(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    assert_string_equal(c.metrics.token, "");
    set_ok(&c, "metrics.token", "prometheus-scrape-token-1");
    assert_string_equal(c.metrics.token, "prometheus-scrape-token-1");
    set_ok(&c, "metrics.token", "");
    assert_string_equal(c.metrics.token, "");
    set_fails("metrics.token", "too-short", "--metrics-token: bad value (not shown, 9 bytes): expected 16 to 255 "
                                            "printable ASCII characters without spaces, or nothing");
    set_fails("metrics.token", "with a space in the token", "--metrics-token: bad value (not shown, 25 bytes): "
                                                            "expected 16 to 255 printable ASCII characters without "
                                                            "spaces, or nothing");
}

static void test_provider_codes(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "provider.country", "DE");
    assert_string_equal(c.provider.country, "DE");
    char msg[ERR_SIZE];
    const char *bad_country[] = {"de", "D", "DEU", "D1", ""};
    for (size_t i = 0; i < sizeof bad_country / sizeof bad_country[0]; i++) {
        snprintf(msg, sizeof msg,
                 "--provider-country: bad value '%s': expected two upper-case letters like IT",
                 bad_country[i]);
        set_fails("provider.country", bad_country[i], msg);
    }
    set_ok(&c, "provider.vat_id", "DE123456789");
    set_ok(&c, "provider.vat_id", "IT12");
    set_ok(&c, "provider.vat_id", "ATU1234567890AB");
    assert_string_equal(c.provider.vat_id, "ATU1234567890AB");
    const char *bad_vat[] = {"IT1", "it12345670017", "IT12345678901234", "IT-1234567", "1T123",
                             "", "IT 12345670017"};
    for (size_t i = 0; i < sizeof bad_vat / sizeof bad_vat[0]; i++) {
        snprintf(msg, sizeof msg,
                 "--provider-vat-id: bad value '%s': expected a two-letter country prefix and "
                 "2-13 upper-case letters or digits", bad_vat[i]);
        set_fails("provider.vat_id", bad_vat[i], msg);
    }
}

/* Writes len bytes to a new file in a temporary folder; returns its path. */
static const char *temp_file(char dir[64], const char *name, const void *data, size_t len)
{
    static char path[128];
    snprintf(dir, 64, "/tmp/saldo-config-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static void remove_temp(const char *dir, const char *path)
{
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* provider.logo: empty, or a PNG or JPEG file judged by its content. */
static void test_provider_logo(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    assert_string_equal(c.provider.logo, "");
    /* The PNG signature and an IHDR chunk of a 300 x 100 image. */
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                        0, 0, 0x01, 0x2c, 0, 0, 0, 100, 8, 6, 0, 0, 0, 0, 0, 0, 0};
    char dir[64];
    const char *path = temp_file(dir, "logo.png", png, sizeof png);
    set_ok(&c, "provider.logo", path);
    assert_string_equal(c.provider.logo, path);
    set_ok(&c, "provider.logo", "");
    assert_string_equal(c.provider.logo, "");
    remove_temp(dir, path);

    char msg[512];
    path = temp_file(dir, "logo.gif", "GIF89a....", 10);
    snprintf(msg, sizeof msg, "--provider-logo: bad value '%s': expected empty or the path of a PNG or JPEG file "
                              "of at most 1 MB: the file is neither a PNG nor a JPEG image", path);
    set_fails("provider.logo", path, msg);
    remove_temp(dir, path);
    set_fails("provider.logo", "/nonexistent/logo.png",
              "--provider-logo: bad value '/nonexistent/logo.png': expected empty or the path of a PNG or JPEG "
              "file of at most 1 MB: the file cannot be read");
}

static void test_provider_iban(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    set_ok(&c, "provider.iban", "de89 3704 0044 0532 0130 00");
    assert_string_equal(c.provider.iban, "DE89370400440532013000");
    set_fails("provider.iban", "IT60X0542811101000000123457",
              "--provider-iban: bad value 'IT60X0542811101000000123457': expected a valid IBAN: "
              "check digits do not match");
    set_fails("provider.iban", "IT60X054281110100000012345",
              "--provider-iban: bad value 'IT60X054281110100000012345': expected a valid IBAN: "
              "wrong length for IT: 27 expected");
    set_fails("provider.iban", "",
              "--provider-iban: bad value '': expected a valid IBAN: empty");
    assert_string_equal(c.provider.bic, "BPPIITRRXXX");
    set_ok(&c, "provider.bic", "DEUTDEFF");
    assert_string_equal(c.provider.bic, "DEUTDEFF");
    set_fails("provider.bic", "deutdeff",
              "--provider-bic: bad value 'deutdeff': expected a BIC: 8 or 11 upper-case letters and digits like BPPIITRRXXX");
    set_ok(&c, "provider.bic", "BPMOIT22XXX");
    assert_string_equal(c.provider.bic, "BPMOIT22XXX");
    const char *bad[] = {"deutdeff", "DEUTDEFF5", "BPMOIT2", "BPM0IT22", "BPMOIT22XXXX", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "--provider-bic: bad value '%s': expected a BIC: 8 or 11 upper-case letters and digits like BPPIITRRXXX",
                 bad[i]);
        set_fails("provider.bic", bad[i], msg);
    }
}

static void test_set_unknown_key_and_origin(void **state)
{
    (void)state;
    saldo_config c;
    char err[ERR_SIZE];
    config_defaults(&c);
    assert_false(config_set(&c, "lisen", "x", "--lisen", err, sizeof err));
    assert_string_equal(err, "--lisen: unknown key 'lisen'");
    assert_false(config_set(&c, "provider", "x", NULL, err, sizeof err));
    assert_string_equal(err, "config: unknown key 'provider'");
    assert_false(config_set(&c, "threads", "x", NULL, err, sizeof err));
    assert_string_equal(err, "threads: bad value 'x': expected an integer 0-256");
    /* a short buffer truncates, still terminated */
    char small[8];
    assert_false(config_set(&c, "threads", "x", NULL, small, sizeof small));
    assert_string_equal(small, "threads");
}

/* ---- INI syntax ---- */

static void test_ini_full_file(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    load_ok(&c, "# saldo.conf\n"
                "; another comment style\n"
                "\n"
                "   listen   =   0.0.0.0:9000   \n"
                "\tdatabase=sqlite:/srv/saldo.db\n"
                "base_url = https://billing.example.com/\n"
                "smtp_url = \"\"\n"
                "   # indented comment\n"
                "threads = 4\n"
                "log_level = debug\n"
                "[provider]\n"
                "name = \"Acme \\\"Cloud\\\" S.p.A.\"\n"
                "address = Via #1; Milano\n"
                "country = IT\n"
                "iban = \"IT60 X054 2811 1010 0000 0123 456\"\n"
                "[ provider ]\n"
                "vat_id = IT12345670017\n");
    assert_string_equal(c.listen, "0.0.0.0:9000");
    assert_string_equal(c.database, "sqlite:/srv/saldo.db");
    assert_string_equal(c.base_url, "https://billing.example.com");
    assert_string_equal(c.smtp_url, "");
    assert_int_equal(c.threads, 4);
    assert_int_equal(c.log_level, LOG_DEBUG);
    assert_string_equal(c.provider.name, "Acme \"Cloud\" S.p.A.");
    assert_string_equal(c.provider.address, "Via #1; Milano");
    assert_string_equal(c.provider.iban, "IT60X0542811101000000123456");
    assert_string_equal(c.mail_from, "saldo@localhost"); /* untouched keys keep defaults */
}

static void test_ini_quoting(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    load_ok(&c, "provider.address = \"  spaced  \"\n"
                "provider.name = \"back\\\\slash \\\"q\\\" # not a comment\"\n");
    assert_string_equal(c.provider.address, "  spaced  ");
    assert_string_equal(c.provider.name, "back\\slash \"q\" # not a comment");
    load_ok(&c, "provider.name = say \"hi\" there\n"); /* quotes inside a bare value */
    assert_string_equal(c.provider.name, "say \"hi\" there");
    load_ok(&c, "provider.address = \"\"\n");
    assert_string_equal(c.provider.address, "");
    load_ok(&c, "provider.address =\n");
    assert_string_equal(c.provider.address, "");
    load_ok(&c, "provider.name = a = b\n");
    assert_string_equal(c.provider.name, "a = b");
}

static void test_ini_crlf_bom_and_no_final_newline(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    load_ok(&c, "\xef\xbb\xbf# with BOM\r\nlisten = 127.0.0.1:81\r\n\r\n[provider]\r\n"
                "name = \"Quoted\"\r\ncountry = DE");
    assert_string_equal(c.listen, "127.0.0.1:81");
    assert_string_equal(c.provider.name, "Quoted");
    assert_string_equal(c.provider.country, "DE");
    load_ok(&c, "");
    load_ok(&c, "\n\n\r\n");
}

static void test_ini_errors_with_line_numbers(void **state)
{
    (void)state;
    const char *syntax = "syntax error: expected 'key = value', '[section]' or a comment";
    char msg[ERR_SIZE];
#define FAILS(text, expected) load_fails(text, strlen(text), expected)
    snprintf(msg, sizeof msg, "t.conf:2: %s", syntax);
    FAILS("listen = 127.0.0.1:80\nthreads 4\n", msg);
    snprintf(msg, sizeof msg, "t.conf:1: %s", syntax);
    FAILS("= value\n", msg);
    FAILS("[provider\n", msg);
    FAILS("[provider] x\n", msg);
    FAILS("threads = 4 # trailing comments are values\n",
          "t.conf:1: threads: bad value '4 # trailing comments are values': expected an integer 0-256");
    FAILS("\n\n\n\n\n\n\n\n\n\n\nlisen = 127.0.0.1:80\n", "t.conf:12: unknown key 'lisen'");
    FAILS("[provider]\nnmae = x\n", "t.conf:2: unknown key 'provider.nmae'");
    FAILS("[provider]\nlisten = 127.0.0.1:80\n", "t.conf:2: unknown key 'provider.listen'");
    FAILS("Listen = 127.0.0.1:80\n", "t.conf:1: unknown key 'Listen'");
    FAILS("[smtp]\n", "t.conf:1: unknown section '[smtp]'");
    FAILS("[]\n", "t.conf:1: unknown section '[]'");
    FAILS("# ok\nlisten = 1.2.3.4:80\n\nlisten = 1.2.3.4:81\n",
          "t.conf:4: duplicate key 'listen' (first set on line 2)");
    FAILS("provider.name = a\n[provider]\nname = b\n",
          "t.conf:3: duplicate key 'provider.name' (first set on line 1)");
    FAILS("listen = x:99999\n",
          "t.conf:1: listen: bad value 'x:99999': expected HOST:PORT with port 1-65535");
    FAILS("[provider]\r\niban = IT00\r\n",
          "t.conf:2: provider.iban: bad value 'IT00': expected a valid IBAN: wrong length for IT: "
          "27 expected");
    FAILS("provider.name = \"open\n", "t.conf:1: unterminated quoted value");
    FAILS("provider.name = \"a\" b\n", "t.conf:1: text after the closing quote");
    FAILS("provider.name = \"a\\nb\"\n",
          "t.conf:1: bad escape in quoted value (only \\\" and \\\\ are allowed)");
    FAILS("provider.name = \"a\\\"\n", "t.conf:1: unterminated quoted value");
    FAILS("listen = 1.2.3.4:80\rthreads = 2\n", "t.conf:1: control character");
    FAILS("provider.name = \x7f\n", "t.conf:1: control character");
    FAILS("ok = 1\n", "t.conf:1: unknown key 'ok'");
    FAILS("# caf\xe9\n", "t.conf:1: invalid UTF-8");
    snprintf(msg, sizeof msg, "t.conf:2: %s", syntax);
    FAILS("\n\xef\xbb\xbf# a BOM counts only at the start\n", msg);
#undef FAILS
    load_fails("listen = 1.2.3.4:80\n\0threads = 2\n", 32, "t.conf:2: control character");
}

static void test_ini_limits(void **state)
{
    (void)state;
    saldo_config c;
    config_defaults(&c);
    /* a line of exactly CONFIG_LINE_MAX bytes is read (here: a comment) */
    static char text[CONFIG_FILE_SIZE_MAX + 2];
    memset(text, ' ', CONFIG_LINE_MAX);
    text[0] = '#';
    memcpy(text + CONFIG_LINE_MAX, "\r\n", 3);
    load_ok(&c, text);
    /* one byte more, on line 2 */
    memset(text, ' ', CONFIG_LINE_MAX + 2);
    text[0] = '\n';
    text[1] = '#';
    char msg[ERR_SIZE];
    snprintf(msg, sizeof msg, "t.conf:2: line too long (limit %d bytes)", CONFIG_LINE_MAX);
    load_fails(text, CONFIG_LINE_MAX + 2, msg);
    /* a file of exactly the limit is fine, one byte more is not */
    memset(text, '\n', sizeof text);
    char err[ERR_SIZE];
    assert_true(config_load_text(&c, "t.conf", text, CONFIG_FILE_SIZE_MAX, err, sizeof err));
    snprintf(msg, sizeof msg, "t.conf: too large (limit %d bytes)", CONFIG_FILE_SIZE_MAX);
    load_fails(text, CONFIG_FILE_SIZE_MAX + 1, msg);
}

/* ---- files ---- */

static void test_load_file(void **state)
{
    (void)state;
    saldo_config c;
    char err[ERR_SIZE], path[128];
    config_defaults(&c);
    write_file("a.conf", "threads = 3\r\n[provider]\r\ncountry = FR\r\n");
    snprintf(path, sizeof path, "%s/a.conf", tmp_dir);
    assert_true(config_load_file(&c, path, err, sizeof err));
    assert_int_equal(c.threads, 3);
    assert_string_equal(c.provider.country, "FR");
    assert_string_equal(c.file, path);

    write_file("b.conf", "threads = 3\nlisen = x\n");
    snprintf(path, sizeof path, "%s/b.conf", tmp_dir);
    char msg[ERR_SIZE];
    snprintf(msg, sizeof msg, "%s:2: unknown key 'lisen'", path);
    assert_false(config_load_file(&c, path, err, sizeof err));
    assert_string_equal(err, msg);

    snprintf(path, sizeof path, "%s/missing.conf", tmp_dir);
    snprintf(msg, sizeof msg, "%s: cannot read: No such file or directory", path);
    assert_false(config_load_file(&c, path, err, sizeof err));
    assert_string_equal(err, msg);

    static char big[CONFIG_FILE_SIZE_MAX + 2];
    memset(big, '\n', CONFIG_FILE_SIZE_MAX + 1);
    write_file("big.conf", big);
    snprintf(path, sizeof path, "%s/big.conf", tmp_dir);
    snprintf(msg, sizeof msg, "%s: too large (limit %d bytes)", path, CONFIG_FILE_SIZE_MAX);
    assert_false(config_load_file(&c, path, err, sizeof err));
    assert_string_equal(err, msg);

    snprintf(msg, sizeof msg, "%s: cannot read: Is a directory", tmp_dir);
    assert_false(config_load_file(&c, tmp_dir, err, sizeof err));
    assert_string_equal(err, msg);
}

/* ---- environment ---- */

static void test_env(void **state)
{
    (void)state;
    saldo_config c;
    char err[ERR_SIZE];
    config_defaults(&c);
    char *env[] = {"PATH=/usr/bin", "SALDO_THREADS=5", "SALDO_PROVIDER_IBAN=GB29 NWBK 6016 1331 9268 19",
                   "SALDO_CONFIG=/nowhere",
                   "SALDO_NO_EQUALS_SIGN", "saldo_listen=ignored", "SALDO_SMTP_URL=", NULL};
    assert_true(config_load_env(&c, env, err, sizeof err));
    assert_int_equal(c.threads, 5);
    assert_string_equal(c.provider.iban, "GB29NWBK60161331926819");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_true(config_load_env(&c, NULL, err, sizeof err));

    saldo_config before = c;
    char *bad[] = {"SALDO_THREADS=6", "SALDO_LISTEN=x:99999", NULL};
    assert_false(config_load_env(&c, bad, err, sizeof err));
    assert_string_equal(err, "SALDO_LISTEN: bad value 'x:99999': expected HOST:PORT with port 1-65535");
    assert_memory_equal(&c, &before, sizeof c);

    char *unknown[] = {"SALDO_LISTN=127.0.0.1:80", NULL};
    assert_false(config_load_env(&c, unknown, err, sizeof err));
    assert_string_equal(err, "environment: unknown variable 'SALDO_LISTN'");
    char *empty[] = {"SALDO_DATABASE=", NULL};
    assert_false(config_load_env(&c, empty, err, sizeof err));
    assert_string_equal(err, "SALDO_DATABASE: bad value '': expected sqlite:PATH or a "
                             "postgresql:// or postgres:// URL, at most 1023 bytes");
}

/* ---- flags and the whole chain ---- */

static void test_flags_and_argv_compaction(void **state)
{
    (void)state;
    saldo_config c;
    char err[ERR_SIZE];
    char *argv[] = {"serve", "--listen", "127.0.0.1:9090", "--force", "--threads=8", "pos",
                    "--provider-name=A = B", "--threads", "9", "--help", "--", "--threads",
                    "1", NULL};
    int argc = 13;
    char *env[] = {NULL};
    assert_true(config_from_args(&c, &argc, argv, env, err, sizeof err));
    assert_string_equal(c.listen, "127.0.0.1:9090");
    assert_int_equal(c.threads, 9); /* the later flag wins; after "--" is not ours */
    assert_string_equal(c.provider.name, "A = B");
    assert_int_equal(argc, 7);
    const char *left[] = {"serve", "--force", "pos", "--help", "--", "--threads", "1"};
    for (int i = 0; i < argc; i++)
        assert_string_equal(argv[i], left[i]);
    assert_null(argv[argc]);
}

/* The address on one line and in parts change together, or invoices would
 * print the demo's street while the footer prints the provider's. */
static void test_provider_address_both_or_neither(void **state)
{
    (void)state;
    saldo_config c;
    char err[ERR_SIZE];
    char *env[] = {NULL};
    char *line[] = {"serve", "--provider-address", "Corso Buenos Aires 1, 20124 Milano (MI), Italia", NULL};
    int argc = 3;
    assert_false(config_from_args(&c, &argc, line, env, err, sizeof err));
    assert_string_equal(err, "provider.street: provider.address was set but not the same address in parts, which "
                             "invoices print: set provider.street, provider.postal_code, provider.city and "
                             "provider.province too");
    char *parts[] = {"serve", "--provider-city", "Milano", NULL};
    argc = 3;
    assert_false(config_from_args(&c, &argc, parts, env, err, sizeof err));
    assert_string_equal(err, "provider.address: the address in parts was set but not provider.address, which the "
                             "pages and mails print: set it too");
    char *province[] = {"serve", "--provider-province", "MI", NULL}; /* a part like the others */
    argc = 3;
    assert_false(config_from_args(&c, &argc, province, env, err, sizeof err));
    assert_string_equal(err, "provider.address: the address in parts was set but not provider.address, which the "
                             "pages and mails print: set it too");
    char *both[] = {"serve", "--provider-address", "Corso Buenos Aires 1, 20124 Milano (MI), Italia",
                    "--provider-street", "Corso Buenos Aires 1", "--provider-postal-code", "20124",
                    "--provider-city", "Milano", "--provider-province", "MI", NULL};
    argc = 11;
    assert_true(config_from_args(&c, &argc, both, env, err, sizeof err));
    assert_string_equal(c.provider.city, "Milano");
    char *demo_env[] = {"SALDO_PROVIDER_STREET=Via Roma 1", NULL}; /* the demo's own values: unchanged */
    argc = 1;
    assert_true(config_from_args(&c, &argc, line, demo_env, err, sizeof err));
}

static void test_flag_errors(void **state)
{
    (void)state;
    saldo_config c;
    char err[ERR_SIZE];
    char *env[] = {NULL};
    char *a1[] = {"serve", "--base-url", "ftp://x", NULL};
    int argc = 3;
    assert_false(config_from_args(&c, &argc, a1, env, err, sizeof err));
    assert_string_equal(err, "--base-url: bad value 'ftp://x': expected an http:// or https:// URL");
    char *a2[] = {"serve", "--threads", NULL};
    argc = 2;
    assert_false(config_from_args(&c, &argc, a2, env, err, sizeof err));
    assert_string_equal(err, "--threads: missing value");
    char *a3[] = {"serve", "--config", NULL};
    argc = 2;
    assert_false(config_from_args(&c, &argc, a3, env, err, sizeof err));
    assert_string_equal(err, "--config: missing value");
    char *a4[] = {"serve", "--config=", NULL};
    argc = 2;
    assert_false(config_from_args(&c, &argc, a4, env, err, sizeof err));
    assert_string_equal(err, "--config: bad value '': expected the path of a configuration file");
    /* an unknown flag is the command's business: left in argv, no error here */
    char *a5[] = {"serve", "--lisen=1.2.3.4:80", NULL};
    argc = 2;
    assert_true(config_from_args(&c, &argc, a5, env, err, sizeof err));
    assert_int_equal(argc, 2);
    assert_string_equal(a5[1], "--lisen=1.2.3.4:80");
    /* the value of a flag is taken as is, even when it looks like a flag */
    char *a6[] = {"serve", "--provider-name", "--threads", NULL};
    argc = 3;
    assert_true(config_from_args(&c, &argc, a6, env, err, sizeof err));
    assert_string_equal(c.provider.name, "--threads");
    assert_int_equal(argc, 1);
    int zero = 0;
    assert_true(config_from_args(&c, &zero, NULL, NULL, err, sizeof err));
}

static void test_precedence_file_env_flag(void **state)
{
    (void)state;
    saldo_config c;
    char err[ERR_SIZE], path[128];
    write_file("a.conf", "listen = 127.0.0.2:8001\nthreads = 2\nlog_level = warn\n"
                         "[provider]\ncountry = DE\n");
    snprintf(path, sizeof path, "%s/a.conf", tmp_dir);
    char *env[] = {"SALDO_THREADS=3", "SALDO_LOG_LEVEL=error", NULL};
    char *argv[] = {"serve", "--config", path, "--log-level", "debug", NULL};
    int argc = 5;
    assert_true(config_from_args(&c, &argc, argv, env, err, sizeof err));
    assert_string_equal(c.file, path);
    assert_string_equal(c.listen, "127.0.0.2:8001");      /* file over default */
    assert_string_equal(c.provider.country, "DE");
    assert_int_equal(c.threads, 3);                       /* env over file */
    assert_int_equal(c.log_level, LOG_DEBUG);             /* flag over env */
    assert_string_equal(c.database, "sqlite:var/saldo.db"); /* default */
    assert_int_equal(argc, 1);

    /* SALDO_CONFIG names the file when there is no --config */
    char cfg_env[160];
    snprintf(cfg_env, sizeof cfg_env, "SALDO_CONFIG=%s", path);
    char *env2[] = {cfg_env, NULL};
    char *argv2[] = {"serve", NULL};
    argc = 1;
    assert_true(config_from_args(&c, &argc, argv2, env2, err, sizeof err));
    assert_int_equal(c.threads, 2);
    /* --config wins over SALDO_CONFIG, and a named file must exist */
    char *argv3[] = {"serve", "--config=/nonexistent/saldo.conf", NULL};
    argc = 2;
    assert_false(config_from_args(&c, &argc, argv3, env2, err, sizeof err));
    assert_string_equal(err, "/nonexistent/saldo.conf: cannot read: No such file or directory");
    char *env3[] = {"SALDO_CONFIG=/nonexistent/x.conf", NULL};
    argc = 1;
    assert_false(config_from_args(&c, &argc, argv2, env3, err, sizeof err));
    assert_string_equal(err, "/nonexistent/x.conf: cannot read: No such file or directory");
    /* errors in the file name the file and line through the chain */
    write_file("b.conf", "\nthreads = many\n");
    snprintf(path, sizeof path, "%s/b.conf", tmp_dir);
    char *argv4[] = {"serve", "--config", path, NULL};
    argc = 3;
    assert_false(config_from_args(&c, &argc, argv4, NULL, err, sizeof err));
    char msg[ERR_SIZE];
    snprintf(msg, sizeof msg, "%s:2: threads: bad value 'many': expected an integer 0-256", path);
    assert_string_equal(err, msg);
}

/* ./saldo.conf is read when present and silently skipped when absent. */
static void test_default_file_in_working_directory(void **state)
{
    (void)state;
    char cwd[4096], err[ERR_SIZE];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmp_dir), 0);
    saldo_config c;
    char *argv[] = {"serve", NULL};
    int argc = 1;
    unlink("saldo.conf");
    bool absent_ok = config_from_args(&c, &argc, argv, NULL, err, sizeof err);
    char file_when_absent[CONFIG_PATH_MAX + 1];
    memcpy(file_when_absent, c.file, sizeof file_when_absent);
    write_file("saldo.conf", "threads = 11\n");
    bool present_ok = config_from_args(&c, &argc, argv, NULL, err, sizeof err);
    assert_int_equal(chdir(cwd), 0);
    assert_true(absent_ok);
    assert_string_equal(file_when_absent, "");
    assert_true(present_ok);
    assert_int_equal(c.threads, 11);
    assert_string_equal(c.file, "saldo.conf");
}

/* ---- the shipped example and the documentation stay true ---- */

/* Reads a repository file into a static buffer. Tests run from the repository
 * root (scripts/check.sh) or from a build directory below it (meson test). */
static const char *read_repo_file(const char *name, size_t *len)
{
    static char text[CONFIG_FILE_SIZE_MAX + 1];
    char path[256] = "";
    for (int up = 0; up < 4; up++) {
        size_t n = 0;
        for (int i = 0; i < up; i++)
            n += (size_t)snprintf(path + n, sizeof path - n, "../");
        snprintf(path + n, sizeof path - n, "%s", name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        *len = fread(text, 1, sizeof text - 1, f);
        text[*len] = '\0';
        fclose(f);
        return text;
    }
    fail_msg("%s not found from the working directory or its parents", name);
    return NULL;
}

static void test_example_file_sets_the_defaults(void **state)
{
    (void)state;
    size_t len = 0;
    const char *text = read_repo_file("saldo.conf.example", &len);
    saldo_config c, defaults;
    char err[ERR_SIZE];
    config_defaults(&defaults);
    config_defaults(&c);
    set_ok(&c, "threads", "9"); /* something the example must set back */
    if (!config_load_text(&c, "saldo.conf.example", text, len, err, sizeof err))
        fail_msg("%s", err);
    assert_memory_equal(&c, &defaults, sizeof c);
}

static void assert_documented(const char *doc, const char *name)
{
    char want[CONFIG_DATABASE_MAX + 8];
    snprintf(want, sizeof want, "`%s`", name);
    if (!strstr(doc, want))
        fail_msg("docs/CONFIGURATION.md does not mention %s", want);
}

/* Every key is in the documentation's table with its variable, its flag and its
 * default; the variable and flag names derive from the key and really work. */
static void test_documentation_names_every_key(void **state)
{
    (void)state;
    size_t len = 0;
    const char *doc = read_repo_file("docs/CONFIGURATION.md", &len);
    saldo_config c;
    config_defaults(&c);
    for (size_t i = 0; config_key_name(i); i++) {
        const char *key = config_key_name(i);
        char flag[64], env[64], value[CONFIG_DATABASE_MAX + 1], assignment[1200], err[ERR_SIZE];
        snprintf(flag, sizeof flag, "--%s", key);
        snprintf(env, sizeof env, "SALDO_%s", key);
        for (size_t k = 2; flag[k]; k++)
            flag[k] = flag[k] == '_' || flag[k] == '.' ? '-' : flag[k];
        for (size_t k = 6; env[k]; k++)
            env[k] = env[k] == '.' ? '_' : (char)(env[k] >= 'a' ? env[k] - 'a' + 'A' : env[k]);
        assert_string_equal(config_key_for_flag(flag), key);
        assert_true(config_get(&c, key, value, sizeof value));
        snprintf(assignment, sizeof assignment, "%s=%s", env, value);
        char *env_list[] = {assignment, NULL};
        saldo_config copy = c;
        if (!config_load_env(&copy, env_list, err, sizeof err))
            fail_msg("%s", err);
        assert_memory_equal(&copy, &c, sizeof c);
        assert_documented(doc, key);
        assert_documented(doc, env);
        assert_documented(doc, flag);
        if (value[0])
            assert_documented(doc, value);
    }
}

/* provisioner.<name> keys: from a file section, the top level, the
 * environment and config_set; bad names and values name the key; a name set
 * again is replaced. */
static void test_provisioners(void **state)
{
    (void)state;
    saldo_config c;
    char err[ERR_SIZE];
    config_defaults(&c);
    assert_int_equal(c.provisioner_count, 0);
    const char *ini = "provisioner.dns = url:https://registrar.example/saldo\n[provisioner]\nvps = exec:/opt/vps\n";
    assert_true(config_load_text(&c, "t.conf", ini, strlen(ini), err, sizeof err));
    assert_int_equal(c.provisioner_count, 2);
    const config_provisioner *p = config_provisioner_find(&c, "vps");
    assert_non_null(p);
    assert_int_equal(p->kind, CONFIG_PROVISION_EXEC);
    assert_string_equal(p->target, "/opt/vps");
    p = config_provisioner_find(&c, "dns");
    assert_int_equal(p->kind, CONFIG_PROVISION_URL);
    assert_string_equal(p->target, "https://registrar.example/saldo");
    assert_null(config_provisioner_find(&c, "manual"));

    char *env[] = {"SALDO_PROVISIONER_VPS=exec:/opt/vps2", "SALDO_PROVISIONER_MAIL_BOX=url:http://127.0.0.1:9/x", NULL};
    assert_true(config_load_env(&c, env, err, sizeof err));
    assert_int_equal(c.provisioner_count, 3);
    assert_string_equal(config_provisioner_find(&c, "vps")->target, "/opt/vps2");
    assert_non_null(config_provisioner_find(&c, "mail_box"));
    assert_true(config_set(&c, "provisioner.dns", "exec:/bin/dns", NULL, err, sizeof err));
    assert_int_equal(config_provisioner_find(&c, "dns")->kind, CONFIG_PROVISION_EXEC);

    saldo_config before = c;
    const char *bad = "[provisioner]\nok = exec:/x\nweb = url:ftp://h/x\n";
    assert_false(config_load_text(&c, "t.conf", bad, strlen(bad), err, sizeof err));
    assert_string_equal(err, "t.conf:3: provisioner.web: bad value 'url:ftp://h/x': "
                             "expected exec:/absolute/path or url:http(s)://host/path");
    assert_memory_equal(&c, &before, sizeof c);
    assert_false(config_set(&c, "provisioner.manual", "exec:/x", NULL, err, sizeof err));
    assert_non_null(strstr(err, "bad provisioner name"));
    assert_false(config_set(&c, "provisioner.Bad", "exec:/x", NULL, err, sizeof err));
    assert_false(config_set(&c, "provisioner.x", "exec:relative", NULL, err, sizeof err));
    assert_false(config_set(&c, "provisioner.x", "exec:/with space", NULL, err, sizeof err));
    char *env_bad[] = {"SALDO_PROVISIONER_X=shell:ls", NULL};
    assert_false(config_load_env(&c, env_bad, err, sizeof err));
    assert_non_null(strstr(err, "SALDO_PROVISIONER_X: bad value 'shell:ls'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_get_set_round_trip),
        cmocka_unit_test(test_flag_names),
        cmocka_unit_test(test_listen),
        cmocka_unit_test(test_database),
        cmocka_unit_test(test_base_url),
        cmocka_unit_test(test_smtp_url),
        cmocka_unit_test(test_mail_from),
        cmocka_unit_test(test_secret_key_never_echoed),
        cmocka_unit_test(test_threads_and_log_level),
        cmocka_unit_test(test_store_group_commit),
        cmocka_unit_test(test_billing_days),
        cmocka_unit_test(test_provider_text),
        cmocka_unit_test(test_provider_einvoice),
        cmocka_unit_test(test_provider_codes),
        cmocka_unit_test(test_terms_version),
        cmocka_unit_test(test_gateway),
        cmocka_unit_test(test_metrics_token),
        cmocka_unit_test(test_provider_logo),
        cmocka_unit_test(test_provider_iban),
        cmocka_unit_test(test_set_unknown_key_and_origin),
        cmocka_unit_test(test_ini_full_file),
        cmocka_unit_test(test_ini_quoting),
        cmocka_unit_test(test_ini_crlf_bom_and_no_final_newline),
        cmocka_unit_test(test_ini_errors_with_line_numbers),
        cmocka_unit_test(test_ini_limits),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_flags_and_argv_compaction),
        cmocka_unit_test(test_flag_errors),
        cmocka_unit_test(test_provider_address_both_or_neither),
        cmocka_unit_test(test_precedence_file_env_flag),
        cmocka_unit_test(test_default_file_in_working_directory),
        cmocka_unit_test(test_example_file_sets_the_defaults),
        cmocka_unit_test(test_documentation_names_every_key),
        cmocka_unit_test(test_provisioners),
    };
    return cmocka_run_group_tests(tests, make_tmp_dir, remove_tmp_dir);
}
