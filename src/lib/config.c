/* config.c - see config.h. One table lists every key with its file name,
 * environment variable, flag, default and validator; the INI reader, the
 * environment reader and the flag scanner all end in config_apply, so a value
 * is checked the same way whichever source it comes from. Every loader works on
 * a copy and commits it only when the whole source was accepted. */
#include "lib/config.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/image_sniff.h"
#include "lib/buf.h"

#define CONFIG_KEY_NAME_MAX 64      /* longest key, env name or flag we look up */
#define CONFIG_SHOW_MAX 64          /* bytes of a bad value echoed in a message */
#define CONFIG_SECTION_MAX 32

/* Returns NULL when v is acceptable (and stored in c), else what was expected;
 * *detail may then name the specific problem. Leaves c untouched on failure. */
typedef const char *(*config_setter)(saldo_config *c, const char *v, const char **detail);

typedef enum { CONFIG_TEXT, CONFIG_INT, CONFIG_LEVEL, CONFIG_KIND_COUNT } config_kind;

typedef struct config_key_def {
    const char *name;           /* in the file: "listen", "provider.iban" */
    const char *env;            /* SALDO_LISTEN */
    const char *flag;           /* --listen */
    const char *default_value;
    config_setter set;
    bool secret;                /* never echo the value in messages */
    config_kind kind;
    size_t offset;              /* CONFIG_TEXT, CONFIG_INT: the field holding the value */
    size_t size;
} config_key_def;

static const char *const config_level_names[LOG_LEVEL_COUNT] = {"debug", "info", "warn", "error"};

/* ---- text checks shared by the validators ---- */

/* NULL when s[0..len) is valid UTF-8 without control characters (C0, DEL, C1;
 * tab allowed if tab_ok), else the problem. */
static const char *config_text_problem(const char *s, size_t len, bool tab_ok)
{
    size_t i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            if ((b < 0x20 && !(tab_ok && b == '\t')) || b == 0x7f)
                return "control character";
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if (b >= 0xc2 && b <= 0xdf) {
            n = 2, cp = b & 0x1fu, min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 3, cp = b & 0x0fu, min = 0x800;
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 4, cp = b & 0x07u, min = 0x10000;
        } else {
            return "invalid UTF-8";
        }
        if (len - i < n)
            return "invalid UTF-8";
        for (size_t k = 1; k < n; k++) {
            unsigned char cb = (unsigned char)s[i + k];
            if ((cb & 0xc0) != 0x80)
                return "invalid UTF-8";
            cp = (cp << 6) | (cb & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return "invalid UTF-8";
        if (cp <= 0x9f)
            return "control character";
        i += n;
    }
    return NULL;
}

static bool config_is_alnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool config_is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool config_is_upper(char ch)
{
    return ch >= 'A' && ch <= 'Z';
}

static bool config_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Stores v[0..len) in a text field, zeroing the rest (no stale bytes of an
 * earlier, longer value, which matters for the secret key). */
static void config_store(char *field, size_t size, const char *v, size_t len)
{
    assert(len < size);
    memcpy(field, v, len);
    memset(field + len, 0, size - len);
}

/* A decimal port 1-65535 filling s[0..len). */
static bool config_port_parse(const char *s, size_t len, int *port)
{
    if (len < 1 || len > 5)
        return false;
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v < 1 || v > 65535)
        return false;
    *port = v;
    return true;
}

/* s[0..len) is an address of family af in its canonical text syntax. */
static bool config_ip_ok(int af, const char *s, size_t len)
{
    char text[INET6_ADDRSTRLEN];
    unsigned char addr[sizeof(struct in6_addr)];
    if (len == 0 || len >= sizeof text)
        return false;
    memcpy(text, s, len);
    text[len] = '\0';
    return inet_pton(af, text, addr) == 1;
}

/* s[0..len) is a DNS name: dot-separated labels of letters, digits and inner
 * hyphens, 1-63 bytes each, at most 253 in all. */
static bool config_dns_name_ok(const char *s, size_t len)
{
    if (len < 1 || len > 253)
        return false;
    size_t label = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            if (label < 1 || label > 63 || s[i - 1] == '-')
                return false;
            label = 0;
        } else if (config_is_alnum(s[i]) || (s[i] == '-' && label > 0)) {
            label++;
        } else {
            return false;
        }
    }
    return true;
}

/* "host[:port]" of a URL: a DNS name, an IPv4 address or [IPv6]. */
static bool config_authority_ok(const char *s, size_t len)
{
    size_t host_len;
    if (len > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return false;
        host_len = (size_t)(close - s) + 1;
        if (!config_ip_ok(AF_INET6, s + 1, host_len - 2))
            return false;
    } else {
        const char *colon = memchr(s, ':', len);
        host_len = colon ? (size_t)(colon - s) : len;
        if (!config_dns_name_ok(s, host_len))
            return false;
    }
    int port;
    if (host_len == len)
        return true;
    return s[host_len] == ':' && config_port_parse(s + host_len + 1, len - host_len - 1, &port);
}

/* RFC 3986 path characters: unreserved, sub-delims, ':', '@', '/', and %XX. */
static bool config_url_path_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '%') {
            if (len - i < 3 || !config_is_hex(s[i + 1]) || !config_is_hex(s[i + 2]))
                return false;
            i += 2;
        } else if (!config_is_alnum(ch) && !strchr("-._~!$&'()*+,;=:@/", ch)) {
            return false;
        }
    }
    return true;
}

/* v (len bytes) is scheme_a://authority[path] or scheme_b://... with a path
 * only if path_ok (else at most "/"). *end is set to len minus trailing '/'s
 * of the path. */
static bool config_url_ok(const char *v, size_t len, const char *scheme_a, const char *scheme_b,
                          bool path_ok, size_t *end)
{
    size_t skip;
    if (config_starts_with(v, scheme_a))
        skip = strlen(scheme_a);
    else if (config_starts_with(v, scheme_b))
        skip = strlen(scheme_b);
    else
        return false;
    const char *auth = v + skip;
    const char *slash = memchr(auth, '/', len - skip);
    size_t auth_len = slash ? (size_t)(slash - auth) : len - skip;
    if (!config_authority_ok(auth, auth_len))
        return false;
    const char *path = auth + auth_len;
    size_t path_len = len - skip - auth_len;
    if (!config_url_path_ok(path, path_len))
        return false;
    size_t n = len;
    while (n > skip + auth_len && v[n - 1] == '/')
        n--;
    if (!path_ok && n != skip + auth_len)
        return false;
    *end = n;
    return true;
}

/* A plain addr-spec: dot-atom local part (1-64 bytes) '@' DNS name. */
static bool config_mail_ok(const char *v, size_t len)
{
    const char *at = strrchr(v, '@');
    if (!at || len > CONFIG_MAIL_FROM_MAX)
        return false;
    size_t local = (size_t)(at - v);
    if (local < 1 || local > 64 || v[0] == '.' || v[local - 1] == '.')
        return false;
    for (size_t i = 0; i < local; i++) {
        if (v[i] == '.' && v[i + 1] == '.')
            return false;
        if (!config_is_alnum(v[i]) && !strchr(".!#$%&'*+-/=?^_`{|}~", v[i]))
            return false;
    }
    return config_dns_name_ok(at + 1, len - local - 1);
}

/* ---- one setter per key ---- */

#define CONFIG_LISTEN_PORT_EXPECTED "expected HOST:PORT with port 1-65535"
#define CONFIG_LISTEN_HOST_EXPECTED \
    "expected HOST:PORT with HOST an IPv4 address, localhost or [IPv6]"

static const char *config_set_listen(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_LISTEN_MAX + 1);
    const char *colon = strrchr(v, ':');
    int port;
    if (len > CONFIG_LISTEN_MAX)
        return CONFIG_LISTEN_HOST_EXPECTED;
    if (!colon || !config_port_parse(colon + 1, len - (size_t)(colon - v) - 1, &port))
        return CONFIG_LISTEN_PORT_EXPECTED;
    const char *host = v;
    size_t host_len = (size_t)(colon - v);
    if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']') {
        host++;
        host_len -= 2;
        if (!config_ip_ok(AF_INET6, host, host_len))
            return CONFIG_LISTEN_HOST_EXPECTED;
    } else if (!(host_len == 9 && !memcmp(host, "localhost", 9)) &&
               !config_ip_ok(AF_INET, host, host_len)) {
        return CONFIG_LISTEN_HOST_EXPECTED;
    }
    config_store(c->listen, sizeof c->listen, v, len);
    return NULL;
}

static const char *config_set_database(saldo_config *c, const char *v, const char **detail)
{
    size_t len = strnlen(v, CONFIG_DATABASE_MAX + 1);
    const char *expected =
        "expected sqlite:PATH or a postgresql:// or postgres:// URL, at most 1023 bytes";
    if (len > CONFIG_DATABASE_MAX)
        return expected;
    if ((*detail = config_text_problem(v, len, false)))
        return expected;
    if (!(config_starts_with(v, "sqlite:") && len > strlen("sqlite:")) &&
        !config_starts_with(v, "postgresql://") && !config_starts_with(v, "postgres://"))
        return expected;
    config_store(c->database, sizeof c->database, v, len);
    return NULL;
}

static const char *config_set_base_url(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_URL_MAX + 1), end;
    if (len > CONFIG_URL_MAX || !config_url_ok(v, len, "http://", "https://", true, &end))
        return "expected an http:// or https:// URL";
    config_store(c->base_url, sizeof c->base_url, v, end);
    return NULL;
}

static const char *config_set_smtp_url(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_URL_MAX + 1), end = 0;
    if (len > 0 && (len > CONFIG_URL_MAX ||
                    !config_url_ok(v, len, "smtp://", "smtps://", false, &end)))
        return "expected an smtp:// or smtps:// URL with a host and an optional port, "
               "or nothing";
    config_store(c->smtp_url, sizeof c->smtp_url, v, end);
    return NULL;
}

static const char *config_set_mail_from(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_MAIL_FROM_MAX + 1);
    if (!config_mail_ok(v, len))
        return "expected an email address like billing@example.com";
    config_store(c->mail_from, sizeof c->mail_from, v, len);
    return NULL;
}

static const char *config_set_secret_key(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_SECRET_KEY_MAX + 1);
    bool ok = len == 0 || (len >= CONFIG_SECRET_KEY_LEN_MIN && len <= CONFIG_SECRET_KEY_MAX);
    for (size_t i = 0; ok && i < len; i++)
        ok = v[i] >= 0x20 && v[i] <= 0x7e;
    if (!ok)
        return "expected at least 32 printable ASCII characters (at most 256), or nothing";
    config_store(c->secret_key, sizeof c->secret_key, v, len);
    return NULL;
}

static const char *config_set_threads(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, 11);
    int n = 0;
    bool ok = len >= 1 && len <= 10;
    for (size_t i = 0; ok && i < len; i++) {
        ok = v[i] >= '0' && v[i] <= '9';
        n = ok ? n * 10 + (v[i] - '0') : n;
        ok = ok && n <= CONFIG_THREADS_MAX;
    }
    if (!ok)
        return "expected an integer 0-256";
    c->threads = n;
    return NULL;
}

/* A decimal integer lo..hi (leading zeros allowed) into *out. */
static bool config_int_in(const char *v, int lo, int hi, int *out)
{
    size_t len = strnlen(v, 11);
    int n = 0;
    bool ok = len >= 1 && len <= 10;
    for (size_t i = 0; ok && i < len; i++) {
        ok = v[i] >= '0' && v[i] <= '9';
        n = ok ? n * 10 + (v[i] - '0') : n;
        ok = ok && n <= hi;
    }
    if (!ok || n < lo)
        return false;
    *out = n;
    return true;
}

static const char *config_set_renewal_window_days(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    return config_int_in(v, 1, 365, &c->renewal_window_days) ? NULL : "expected a number of days 1-365";
}

static const char *config_set_grace_days(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    return config_int_in(v, 0, 365, &c->grace_days) ? NULL : "expected a number of days 0-365";
}

static const char *config_set_termination_days(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    return config_int_in(v, 1, CONFIG_BILLING_DAYS_MAX, &c->termination_days)
               ? NULL : "expected a number of days 1-3650";
}

static const char *config_set_log_level(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    for (int i = 0; i < LOG_LEVEL_COUNT; i++) {
        if (!strcasecmp(v, config_level_names[i])) {
            c->log_level = (log_level)i;
            return NULL;
        }
    }
    return "expected debug, info, warn or error";
}

static const char *config_set_provider_name(saldo_config *c, const char *v, const char **detail)
{
    size_t len = strnlen(v, CONFIG_PROVIDER_NAME_MAX + 1);
    const char *expected = "expected 1-200 bytes of UTF-8 text";
    if (len < 1 || len > CONFIG_PROVIDER_NAME_MAX)
        return expected;
    if ((*detail = config_text_problem(v, len, false)))
        return expected;
    config_store(c->provider.name, sizeof c->provider.name, v, len);
    return NULL;
}

static const char *config_set_provider_address(saldo_config *c, const char *v,
                                               const char **detail)
{
    size_t len = strnlen(v, CONFIG_PROVIDER_ADDRESS_MAX + 1);
    const char *expected = "expected at most 500 bytes of UTF-8 text on one line";
    if (len > CONFIG_PROVIDER_ADDRESS_MAX)
        return expected;
    if ((*detail = config_text_problem(v, len, false)))
        return expected;
    config_store(c->provider.address, sizeof c->provider.address, v, len);
    return NULL;
}

/* provider.street, provider.city: 1-200 bytes of UTF-8 text on one line. */
static const char *config_address_part(char *field, size_t size, const char *v, const char **detail)
{
    size_t len = strnlen(v, CONFIG_STREET_MAX + 1);
    const char *expected = "expected 1-200 bytes of UTF-8 text on one line";
    if (len < 1 || len > CONFIG_STREET_MAX)
        return expected;
    if ((*detail = config_text_problem(v, len, false)))
        return expected;
    config_store(field, size, v, len);
    return NULL;
}

static const char *config_set_provider_street(saldo_config *c, const char *v, const char **detail)
{
    return config_address_part(c->provider.street, sizeof c->provider.street, v, detail);
}

static const char *config_set_provider_city(saldo_config *c, const char *v, const char **detail)
{
    return config_address_part(c->provider.city, sizeof c->provider.city, v, detail);
}

/* Upper-case letters, digits, spaces and dashes, not starting with a space:
 * the postal codes of every country ("00184", "SW1A 1AA", "1010", "D02 X285"). */
static const char *config_set_provider_postal_code(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_POSTAL_CODE_MAX + 1);
    bool ok = len >= 1 && len <= CONFIG_POSTAL_CODE_MAX && v[0] != ' ';
    for (size_t i = 0; ok && i < len; i++)
        ok = config_is_upper(v[i]) || (v[i] >= '0' && v[i] <= '9') || v[i] == ' ' || v[i] == '-';
    if (!ok)
        return "expected 1-15 upper-case letters, digits, spaces or dashes like 00184";
    config_store(c->provider.postal_code, sizeof c->provider.postal_code, v, len);
    return NULL;
}

/* The Italian province's two-letter sigla, or nothing outside Italy. */
static const char *config_set_provider_province(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    bool ok = !v[0] || (config_is_upper(v[0]) && config_is_upper(v[1]) && !v[2]);
    if (!ok)
        return "expected two upper-case letters like RM, or nothing";
    config_store(c->provider.province, sizeof c->provider.province, v, strlen(v));
    return NULL;
}

/* FatturaPA RegimeFiscale (schema 1.2.2): RF01-RF19 except RF03, which the
 * schema dropped. RF01 is the ordinary regime. */
static const char *config_set_provider_tax_regime(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    bool ok = v[0] == 'R' && v[1] == 'F' && v[2] >= '0' && v[2] <= '1' && v[3] >= '0' && v[3] <= '9' && !v[4];
    int n = ok ? (v[2] - '0') * 10 + (v[3] - '0') : 0;
    if (!ok || n < 1 || n > 19 || n == 3)
        return "expected a FatturaPA fiscal regime RF01, RF02 or RF04-RF19";
    config_store(c->provider.tax_regime, sizeof c->provider.tax_regime, v, 4);
    return NULL;
}

static const char *config_set_provider_fatturapa_progressive_offset(saldo_config *c, const char *v,
                                                                    const char **detail)
{
    (void)detail;
    return config_int_in(v, 0, CONFIG_FATTURAPA_OFFSET_MAX, &c->provider.fatturapa_progressive_offset)
               ? NULL : "expected a number 0-30000000";
}

static const char *config_set_provider_country(saldo_config *c, const char *v,
                                               const char **detail)
{
    (void)detail;
    if (!config_is_upper(v[0]) || !config_is_upper(v[1]) || v[2])
        return "expected two upper-case letters like IT";
    config_store(c->provider.country, sizeof c->provider.country, v, 2);
    return NULL;
}

static const char *config_set_provider_vat_id(saldo_config *c, const char *v,
                                              const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_VAT_ID_MAX + 1);
    bool ok = len >= 4 && len <= CONFIG_VAT_ID_MAX && config_is_upper(v[0]) &&
              config_is_upper(v[1]);
    for (size_t i = 2; ok && i < len; i++)
        ok = config_is_upper(v[i]) || (v[i] >= '0' && v[i] <= '9');
    if (!ok)
        return "expected a two-letter country prefix and 2-13 upper-case letters or digits";
    config_store(c->provider.vat_id, sizeof c->provider.vat_id, v, len);
    return NULL;
}

static const char *config_set_provider_iban(saldo_config *c, const char *v, const char **detail)
{
    char iban[IBAN_SIZE];
    if (!iban_validate(v, iban, sizeof iban, detail))
        return "expected a valid IBAN";
    config_store(c->provider.iban, sizeof c->provider.iban, iban, strlen(iban));
    return NULL;
}

/* ISO 9362: bank (4 letters), country (2 letters), location (2), branch (3, optional). */
static const char *config_set_provider_bic(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, 12);
    bool ok = len == 8 || len == 11;
    for (size_t i = 0; ok && i < len; i++)
        ok = config_is_upper(v[i]) || (i >= 6 && v[i] >= '0' && v[i] <= '9');
    if (!ok)
        return "expected a BIC: 8 or 11 upper-case letters and digits like BPPIITRRXXX";
    config_store(c->provider.bic, sizeof c->provider.bic, v, len);
    return NULL;
}

static const char *config_set_provider_support_email(saldo_config *c, const char *v,
                                                     const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_MAIL_FROM_MAX + 1);
    if (!config_mail_ok(v, len))
        return "expected an email address like support@example.com";
    config_store(c->provider.support_email, sizeof c->provider.support_email, v, len);
    return NULL;
}

/* A directory path: printable characters, no "..", at most CONFIG_PATH_MAX. */
static const char *config_set_support_attachments_dir(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_PATH_MAX + 1);
    bool ok = len <= CONFIG_PATH_MAX && !strstr(v, "..");
    for (size_t i = 0; ok && i < len; i++)
        ok = (unsigned char)v[i] >= 0x20 && v[i] != 0x7f;
    if (!ok)
        return "expected a directory path without \"..\" or control characters, or nothing";
    config_store(c->support.attachments_dir, sizeof c->support.attachments_dir, v, len);
    return NULL;
}

/* Digits, spaces and + - ( ) . only: what a phone number is written with. */
/* The logo is checked when it is configured, not when the first invoice is
 * drawn: a readable file, at most CONFIG_LOGO_BYTES_MAX, a PNG or a JPEG by
 * its content (core/image_sniff.h) of at most CONFIG_LOGO_SIDE_MAX pixels a
 * side. Empty: no logo. */
static const char *logo_problem(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return "the file cannot be read";
    uint8_t *data = malloc(CONFIG_LOGO_BYTES_MAX + 1);
    if (!data)
        abort();
    size_t n = fread(data, 1, CONFIG_LOGO_BYTES_MAX + 1, f);
    fclose(f);
    uint32_t w = 0, h = 0;
    image_kind kind = n <= CONFIG_LOGO_BYTES_MAX ? image_sniff(data, n, &w, &h) : IMAGE_NONE;
    free(data);
    if (n > CONFIG_LOGO_BYTES_MAX)
        return "the file is larger than 1 MB";
    if (kind == IMAGE_NONE)
        return "the file is neither a PNG nor a JPEG image";
    if (w > CONFIG_LOGO_SIDE_MAX || h > CONFIG_LOGO_SIDE_MAX)
        return "the image is more than 4096 pixels wide or high";
    return NULL;
}

static const char *config_set_provider_logo(saldo_config *c, const char *v, const char **detail)
{
    size_t len = strnlen(v, CONFIG_LOGO_PATH_MAX + 1);
    const char *expected = "expected empty or the path of a PNG or JPEG file of at most 1 MB";
    if (len > CONFIG_LOGO_PATH_MAX)
        return expected;
    if ((*detail = config_text_problem(v, len, false)))
        return expected;
    if (len && (*detail = logo_problem(v)))
        return expected;
    config_store(c->provider.logo, sizeof c->provider.logo, v, len);
    return NULL;
}

static const char *config_set_provider_support_phone(saldo_config *c, const char *v,
                                                     const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_PHONE_MAX + 1);
    bool ok = len <= CONFIG_PHONE_MAX;
    for (size_t i = 0; ok && i < len; i++)
        ok = (v[i] >= '0' && v[i] <= '9') || strchr(" +-().", v[i]);
    if (!ok)
        return "expected at most 40 digits, spaces and + - ( ) . characters, or nothing";
    config_store(c->provider.support_phone, sizeof c->provider.support_phone, v, len);
    return NULL;
}

/* Letters, digits, '.', '-' and '_': a version customers read and orders keep. */
static const char *config_set_terms_version(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_TERMS_VERSION_MAX + 1);
    bool ok = len >= 1 && len <= CONFIG_TERMS_VERSION_MAX;
    for (size_t i = 0; ok && i < len; i++)
        ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
             strchr(".-_", v[i]);
    if (!ok)
        return "expected 1 to 32 letters, digits and . - _ characters, like 2026-01";
    config_store(c->terms_version, sizeof c->terms_version, v, len);
    return NULL;
}

/* gateway.url: the gateway's API base, http(s), or nothing (top-ups through
 * the gateway switched off). */
static const char *config_set_gateway_url(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_URL_MAX + 1);
    if (len > 0 && (len > CONFIG_URL_MAX || !config_http_url_ok(v)))
        return "expected an http:// or https:// URL, or nothing";
    config_store(c->gateway.url, sizeof c->gateway.url, v, len);
    return NULL;
}

/* The gateway's secrets: 8-255 printable ASCII characters without spaces, or nothing. */
static const char *config_gateway_secret(char *field, size_t size, const char *v)
{
    size_t len = strnlen(v, CONFIG_GATEWAY_SECRET_MAX + 1);
    bool ok = len == 0 || (len >= CONFIG_GATEWAY_SECRET_MIN && len <= CONFIG_GATEWAY_SECRET_MAX);
    for (size_t i = 0; ok && i < len; i++)
        ok = v[i] > 0x20 && v[i] <= 0x7e;
    if (!ok)
        return "expected 8 to 255 printable ASCII characters without spaces, or nothing";
    config_store(field, size, v, len);
    return NULL;
}

static const char *config_set_gateway_api_key(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    return config_gateway_secret(c->gateway.api_key, sizeof c->gateway.api_key, v);
}

static const char *config_set_gateway_webhook_secret(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    return config_gateway_secret(c->gateway.webhook_secret, sizeof c->gateway.webhook_secret, v);
}

static const char *config_set_store_group_commit(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    if (strcmp(v, "on") && strcmp(v, "off"))
        return "expected on or off";
    config_store(c->store.group_commit, sizeof c->store.group_commit, v, strlen(v));
    return NULL;
}

static const char *config_set_store_group_commit_ms(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    return config_int_in(v, 1, 1000, &c->store.group_commit_ms) ? NULL : "expected a number of milliseconds 1-1000";
}

/* metrics.token: 16-255 printable ASCII characters without spaces, or nothing. */
static const char *config_set_metrics_token(saldo_config *c, const char *v, const char **detail)
{
    (void)detail;
    size_t len = strnlen(v, CONFIG_METRICS_TOKEN_MAX + 1);
    bool ok = len == 0 || (len >= CONFIG_METRICS_TOKEN_MIN && len <= CONFIG_METRICS_TOKEN_MAX);
    for (size_t i = 0; ok && i < len; i++)
        ok = v[i] > 0x20 && v[i] <= 0x7e;
    if (!ok)
        return "expected 16 to 255 printable ASCII characters without spaces, or nothing";
    config_store(c->metrics.token, sizeof c->metrics.token, v, len);
    return NULL;
}

/* ---- the key table ---- */

#define CONFIG_FIELD(f) CONFIG_TEXT, offsetof(saldo_config, f), sizeof(((saldo_config *)0)->f)

static const config_key_def config_keys[] = {
    {"listen", "SALDO_LISTEN", "--listen", "127.0.0.1:8080", config_set_listen, false,
     CONFIG_FIELD(listen)},
    {"database", "SALDO_DATABASE", "--database", "sqlite:var/saldo.db", config_set_database,
     false, CONFIG_FIELD(database)},
    {"base_url", "SALDO_BASE_URL", "--base-url", "http://127.0.0.1:8080", config_set_base_url,
     false, CONFIG_FIELD(base_url)},
    {"smtp_url", "SALDO_SMTP_URL", "--smtp-url", "", config_set_smtp_url, false,
     CONFIG_FIELD(smtp_url)},
    {"mail_from", "SALDO_MAIL_FROM", "--mail-from", "saldo@localhost", config_set_mail_from,
     false, CONFIG_FIELD(mail_from)},
    {"secret_key", "SALDO_SECRET_KEY", "--secret-key", "", config_set_secret_key, true,
     CONFIG_FIELD(secret_key)},
    {"threads", "SALDO_THREADS", "--threads", "0", config_set_threads, false, CONFIG_INT,
     offsetof(saldo_config, threads), sizeof(int)},
    {"log_level", "SALDO_LOG_LEVEL", "--log-level", "info", config_set_log_level, false,
     CONFIG_LEVEL, 0, 0},
    {"provider.name", "SALDO_PROVIDER_NAME", "--provider-name", "Saldo Hosting S.r.l.",
     config_set_provider_name, false, CONFIG_FIELD(provider.name)},
    {"provider.address", "SALDO_PROVIDER_ADDRESS", "--provider-address",
     "Via Roma 1, 00184 Roma (RM), Italia", config_set_provider_address, false,
     CONFIG_FIELD(provider.address)},
    {"provider.street", "SALDO_PROVIDER_STREET", "--provider-street", "Via Roma 1",
     config_set_provider_street, false, CONFIG_FIELD(provider.street)},
    {"provider.postal_code", "SALDO_PROVIDER_POSTAL_CODE", "--provider-postal-code", "00184",
     config_set_provider_postal_code, false, CONFIG_FIELD(provider.postal_code)},
    {"provider.city", "SALDO_PROVIDER_CITY", "--provider-city", "Roma", config_set_provider_city, false,
     CONFIG_FIELD(provider.city)},
    {"provider.province", "SALDO_PROVIDER_PROVINCE", "--provider-province", "RM",
     config_set_provider_province, false, CONFIG_FIELD(provider.province)},
    {"provider.country", "SALDO_PROVIDER_COUNTRY", "--provider-country", "IT",
     config_set_provider_country, false, CONFIG_FIELD(provider.country)},
    {"provider.vat_id", "SALDO_PROVIDER_VAT_ID", "--provider-vat-id", "IT12345670017",
     config_set_provider_vat_id, false, CONFIG_FIELD(provider.vat_id)},
    {"provider.iban", "SALDO_PROVIDER_IBAN", "--provider-iban", "IT60X0542811101000000123456",
     config_set_provider_iban, false, CONFIG_FIELD(provider.iban)},
    {"provider.bic", "SALDO_PROVIDER_BIC", "--provider-bic", "BPPIITRRXXX",
     config_set_provider_bic, false, CONFIG_FIELD(provider.bic)},
    {"provider.support_email", "SALDO_PROVIDER_SUPPORT_EMAIL", "--provider-support-email",
     "support@saldo.example", config_set_provider_support_email, false,
     CONFIG_FIELD(provider.support_email)},
    {"provider.support_phone", "SALDO_PROVIDER_SUPPORT_PHONE", "--provider-support-phone",
     "+39 06 0000 0000", config_set_provider_support_phone, false,
     CONFIG_FIELD(provider.support_phone)},
    {"provider.tax_regime", "SALDO_PROVIDER_TAX_REGIME", "--provider-tax-regime", "RF01",
     config_set_provider_tax_regime, false, CONFIG_FIELD(provider.tax_regime)},
    {"provider.fatturapa_progressive_offset", "SALDO_PROVIDER_FATTURAPA_PROGRESSIVE_OFFSET",
     "--provider-fatturapa-progressive-offset", "0", config_set_provider_fatturapa_progressive_offset, false,
     CONFIG_INT, offsetof(saldo_config, provider.fatturapa_progressive_offset), sizeof(int)},
    {"provider.logo", "SALDO_PROVIDER_LOGO", "--provider-logo", "", config_set_provider_logo, false,
     CONFIG_FIELD(provider.logo)},
    {"terms_version", "SALDO_TERMS_VERSION", "--terms-version", "2026-01", config_set_terms_version, false,
     CONFIG_FIELD(terms_version)},
    /* The payment gateway (src/feature/payments). */
    {"gateway.url", "SALDO_GATEWAY_URL", "--gateway-url", "", config_set_gateway_url, false,
     CONFIG_FIELD(gateway.url)},
    {"gateway.api_key", "SALDO_GATEWAY_API_KEY", "--gateway-api-key", "", config_set_gateway_api_key, true,
     CONFIG_FIELD(gateway.api_key)},
    {"gateway.webhook_secret", "SALDO_GATEWAY_WEBHOOK_SECRET", "--gateway-webhook-secret", "",
     config_set_gateway_webhook_secret, true, CONFIG_FIELD(gateway.webhook_secret)},
    /* Group commit of money-moving requests (src/store/db_group.h). */
    {"store.group_commit", "SALDO_STORE_GROUP_COMMIT", "--store-group-commit", "on", config_set_store_group_commit,
     false, CONFIG_FIELD(store.group_commit)},
    {"store.group_commit_ms", "SALDO_STORE_GROUP_COMMIT_MS", "--store-group-commit-ms", "2",
     config_set_store_group_commit_ms, false, CONFIG_INT, offsetof(saldo_config, store.group_commit_ms), sizeof(int)},
    /* GET /metrics (src/feature/metrics). */
    {"metrics.token", "SALDO_METRICS_TOKEN", "--metrics-token", "", config_set_metrics_token, true,
     CONFIG_FIELD(metrics.token)},
    /* Support tickets (src/feature/support). */
    {"support.attachments_dir", "SALDO_SUPPORT_ATTACHMENTS_DIR", "--support-attachments-dir", "",
     config_set_support_attachments_dir, false, CONFIG_FIELD(support.attachments_dir)},
    /* The billing run (src/jobs/billing_run.c). */
    {"renewal_window_days", "SALDO_RENEWAL_WINDOW_DAYS", "--renewal-window-days", "14",
     config_set_renewal_window_days, false, CONFIG_INT, offsetof(saldo_config, renewal_window_days), sizeof(int)},
    {"grace_days", "SALDO_GRACE_DAYS", "--grace-days", "7", config_set_grace_days, false, CONFIG_INT,
     offsetof(saldo_config, grace_days), sizeof(int)},
    {"termination_days", "SALDO_TERMINATION_DAYS", "--termination-days", "30", config_set_termination_days,
     false, CONFIG_INT, offsetof(saldo_config, termination_days), sizeof(int)},
};
#define CONFIG_KEY_COUNT (sizeof config_keys / sizeof config_keys[0])

/* SALDO_* variables that are not keys and are not errors. */
static const char *const config_env_ignored[] = {"SALDO_CONFIG"};

static const config_key_def *config_key_find(const char *name)
{
    for (size_t i = 0; i < CONFIG_KEY_COUNT; i++)
        if (!strcmp(config_keys[i].name, name))
            return &config_keys[i];
    return NULL;
}

/* ---- messages ---- */

__attribute__((format(printf, 3, 4)))
static bool config_fail(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return false;
}

/* Copies at most CONFIG_SHOW_MAX bytes of v[0..len) into out for a message, control
 * bytes as \xNN, "..." when cut. out must hold CONFIG_SHOW_MAX * 4 + 4 bytes. */
static const char *config_show(char *out, const char *v, size_t len)
{
    size_t o = 0, n = len < CONFIG_SHOW_MAX ? len : CONFIG_SHOW_MAX;
    while (n < len && n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
        n--; /* do not cut a UTF-8 sequence */
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)v[i];
        if (b < 0x20 || b == 0x7f)
            o += (size_t)snprintf(out + o, 5, "\\x%02x", b);
        else
            out[o++] = (char)b;
    }
    if (n < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    assert(o < CONFIG_SHOW_MAX * 4 + 4);
    return out;
}

/* Validates and stores one value; label says where it came from. */
static bool config_apply(saldo_config *c, const config_key_def *k, const char *value,
                         const char *label, char *err, size_t err_size)
{
    assert(k >= config_keys && k < config_keys + CONFIG_KEY_COUNT);
    const char *detail = NULL;
    const char *expected = k->set(c, value, &detail);
    if (!expected)
        return true;
    const char *sep = detail ? ": " : "";
    detail = detail ? detail : "";
    size_t len = strlen(value);
    if (k->secret)
        return config_fail(err, err_size, "%s: bad value (not shown, %zu bytes): %s%s%s",
                           label, len, expected, sep, detail);
    char shown[CONFIG_SHOW_MAX * 4 + 4];
    return config_fail(err, err_size, "%s: bad value '%s': %s%s%s", label,
                       config_show(shown, value, len), expected, sep, detail);
}

/* ---- public: defaults, set, get, lookups ---- */

bool config_http_url_ok(const char *v)
{
    size_t end;
    return config_url_ok(v, strlen(v), "http://", "https://", true, &end) && end == strlen(v);
}

void config_defaults(saldo_config *c)
{
    assert(c);
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < CONFIG_KEY_COUNT; i++) {
        const char *detail = NULL;
        const char *expected = config_keys[i].set(c, config_keys[i].default_value, &detail);
        assert(!expected && "every default passes its validator");
        (void)expected;
    }
}

bool config_set(saldo_config *c, const char *key, const char *value, const char *origin,
                char *err, size_t err_size)
{
    assert(c && key && value && err && err_size > 0);
    const config_key_def *k = config_key_find(key);
    char shown[CONFIG_SHOW_MAX * 4 + 4];
    if (!k && config_starts_with(key, "provisioner."))
        return config_set_provisioner(c, key + 12, value, origin ? origin : key, err, err_size);
    if (!k)
        return config_fail(err, err_size, "%s: unknown key '%s'", origin ? origin : "config",
                           config_show(shown, key, strlen(key)));
    err[0] = '\0';
    return config_apply(c, k, value, origin ? origin : k->name, err, err_size);
}

bool config_get(const saldo_config *c, const char *key, char *out, size_t size)
{
    assert(c && key && out && size > 0);
    const config_key_def *k = config_key_find(key);
    int n = -1;
    if (k && k->kind == CONFIG_TEXT) {
        const char *field = (const char *)c + k->offset;
        assert(k->offset + k->size <= sizeof *c && strnlen(field, k->size) < k->size);
        n = snprintf(out, size, "%s", field);
    }
    else if (k && k->kind == CONFIG_INT) {
        assert(k->offset + sizeof(int) <= sizeof *c);
        n = snprintf(out, size, "%d", *(const int *)(const void *)((const char *)c + k->offset));
    }
    else if (k && k->kind == CONFIG_LEVEL && c->log_level < LOG_LEVEL_COUNT)
        n = snprintf(out, size, "%s", config_level_names[c->log_level]);
    if (n < 0 || (size_t)n >= size) {
        out[0] = '\0';
        return false;
    }
    return true;
}

const char *config_key_name(size_t i)
{
    return i < CONFIG_KEY_COUNT ? config_keys[i].name : NULL;
}

const char *config_key_for_flag(const char *flag)
{
    assert(flag);
    for (size_t i = 0; i < CONFIG_KEY_COUNT; i++)
        if (!strcmp(config_keys[i].flag, flag))
            return config_keys[i].name;
    return NULL;
}

/* ---- the INI reader ---- */

#define CONFIG_SYNTAX_ERROR "syntax error: expected 'key = value', '[section]' or a comment"
#define CONFIG_LABEL_SIZE (CONFIG_PATH_MAX + CONFIG_KEY_NAME_MAX + 32)

typedef struct config_ini {
    saldo_config *c;                          /* the working copy */
    const char *origin;
    size_t line_no;
    char section[CONFIG_SECTION_MAX + 1];     /* "" before any [section] */
    size_t seen_line[CONFIG_KEY_COUNT];       /* where each key was set, 0 = not yet */
    char *err;
    size_t err_size;
} config_ini;

static const char *const config_sections[] = {"provider", "provisioner", "gateway", "metrics"};

static void config_trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t'))
        (*s)++, (*len)--;
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* Unquotes the "..." of v[0..len) into out (len bytes or more); only \" and \\
 * are escapes. Returns NULL on success, else the problem. */
static const char *config_unquote(const char *v, size_t len, char *out)
{
    assert(len >= 1 && v[0] == '"');
    size_t o = 0, i = 1;
    for (; i < len && v[i] != '"'; i++) {
        if (v[i] == '\\') {
            if (i + 1 >= len || (v[i + 1] != '"' && v[i + 1] != '\\'))
                return "bad escape in quoted value (only \\\" and \\\\ are allowed)";
            i++;
        }
        out[o++] = v[i];
    }
    if (i >= len)
        return "unterminated quoted value";
    if (i + 1 != len)
        return "text after the closing quote";
    assert(o < len);
    out[o] = '\0';
    return NULL;
}

static bool config_ini_section(config_ini *ini, const char *line, size_t len)
{
    assert(len >= 1 && line[0] == '[');
    if (len < 2 || line[len - 1] != ']')
        return config_fail(ini->err, ini->err_size, "%s:%zu: %s", ini->origin, ini->line_no,
                           CONFIG_SYNTAX_ERROR);
    const char *name = line + 1;
    size_t name_len = len - 2;
    config_trim(&name, &name_len);
    for (size_t i = 0; i < sizeof config_sections / sizeof config_sections[0]; i++) {
        if (strlen(config_sections[i]) == name_len && !memcmp(config_sections[i], name, name_len)) {
            assert(name_len <= CONFIG_SECTION_MAX);
            memcpy(ini->section, name, name_len);
            ini->section[name_len] = '\0';
            return true;
        }
    }
    char shown[CONFIG_SHOW_MAX * 4 + 4];
    return config_fail(ini->err, ini->err_size, "%s:%zu: unknown section '[%s]'", ini->origin,
                       ini->line_no, config_show(shown, name, name_len));
}

/* The full key of a "key = value" line into name: "section.key", or "key"
 * before any section; its definition, NULL when it is not a fixed key. */
static const config_key_def *config_ini_key(config_ini *ini, const char *key, size_t key_len,
                                            char name[CONFIG_LINE_MAX + CONFIG_SECTION_MAX + 2])
{
    size_t sec_len = strlen(ini->section);
    assert(key_len <= CONFIG_LINE_MAX && sec_len <= CONFIG_SECTION_MAX);
    memcpy(name, ini->section, sec_len);
    if (sec_len)
        name[sec_len++] = '.';
    memcpy(name + sec_len, key, key_len);
    name[sec_len + key_len] = '\0';
    return sec_len + key_len > CONFIG_KEY_NAME_MAX ? NULL : config_key_find(name);
}

/* The value of a "key = value" line (unquoted) into value; false with the error set. */
static bool config_ini_value(config_ini *ini, const char *val, size_t val_len, char value[CONFIG_LINE_MAX + 1])
{
    if (val_len > 0 && val[0] == '"') {
        const char *problem = config_unquote(val, val_len, value);
        if (problem)
            return config_fail(ini->err, ini->err_size, "%s:%zu: %s", ini->origin, ini->line_no, problem);
        return true;
    }
    memcpy(value, val, val_len);
    value[val_len] = '\0';
    return true;
}

/* A provisioner.<name> line: names are free, so they have no seen_line slot;
 * setting one twice in a file simply replaces it. */
static bool config_ini_provisioner(config_ini *ini, const char *full, const char *val, size_t val_len)
{
    char value[CONFIG_LINE_MAX + 1];
    if (!config_ini_value(ini, val, val_len, value))
        return false;
    char label[CONFIG_LABEL_SIZE];
    char shown[CONFIG_SHOW_MAX * 4 + 4];
    snprintf(label, sizeof label, "%s:%zu: %s", ini->origin, ini->line_no, config_show(shown, full, strlen(full)));
    return config_set_provisioner(ini->c, full + strlen("provisioner."), value, label, ini->err, ini->err_size);
}

static bool config_ini_pair(config_ini *ini, const char *line, size_t len, const char *eq)
{
    const char *key = line, *val = eq + 1;
    size_t key_len = (size_t)(eq - line), val_len = len - key_len - 1;
    config_trim(&key, &key_len);
    config_trim(&val, &val_len);
    if (key_len == 0)
        return config_fail(ini->err, ini->err_size, "%s:%zu: %s", ini->origin, ini->line_no,
                           CONFIG_SYNTAX_ERROR);
    char full[CONFIG_LINE_MAX + CONFIG_SECTION_MAX + 2];
    const config_key_def *k = config_ini_key(ini, key, key_len, full);
    char shown[CONFIG_SHOW_MAX * 4 + 4];
    if (!k && config_starts_with(full, "provisioner."))
        return config_ini_provisioner(ini, full, val, val_len);
    if (!k)
        return config_fail(ini->err, ini->err_size, "%s:%zu: unknown key '%s%s%s'", ini->origin,
                           ini->line_no, ini->section, *ini->section ? "." : "",
                           config_show(shown, key, key_len));
    size_t idx = (size_t)(k - config_keys);
    if (ini->seen_line[idx])
        return config_fail(ini->err, ini->err_size, "%s:%zu: duplicate key '%s' (first set on line %zu)",
                           ini->origin, ini->line_no, k->name, ini->seen_line[idx]);
    ini->seen_line[idx] = ini->line_no;
    char value[CONFIG_LINE_MAX + 1];
    if (!config_ini_value(ini, val, val_len, value))
        return false;
    char label[CONFIG_LABEL_SIZE];
    snprintf(label, sizeof label, "%s:%zu: %s", ini->origin, ini->line_no, k->name);
    return config_apply(ini->c, k, value, label, ini->err, ini->err_size);
}

static bool config_ini_line(config_ini *ini, const char *line, size_t len)
{
    if (len > CONFIG_LINE_MAX)
        return config_fail(ini->err, ini->err_size, "%s:%zu: line too long (limit %d bytes)",
                           ini->origin, ini->line_no, CONFIG_LINE_MAX);
    const char *problem = config_text_problem(line, len, true);
    if (problem)
        return config_fail(ini->err, ini->err_size, "%s:%zu: %s", ini->origin, ini->line_no,
                           problem);
    config_trim(&line, &len);
    if (len == 0 || line[0] == '#' || line[0] == ';')
        return true;
    if (line[0] == '[')
        return config_ini_section(ini, line, len);
    const char *eq = memchr(line, '=', len);
    if (!eq)
        return config_fail(ini->err, ini->err_size, "%s:%zu: %s", ini->origin, ini->line_no,
                           CONFIG_SYNTAX_ERROR);
    return config_ini_pair(ini, line, len, eq);
}

bool config_load_text(saldo_config *c, const char *origin, const char *text, size_t len,
                      char *err, size_t err_size)
{
    assert(c && origin && err && err_size > 0);
    assert(text || len == 0);
    err[0] = '\0';
    if (len > CONFIG_FILE_SIZE_MAX)
        return config_fail(err, err_size, "%s: too large (limit %d bytes)", origin,
                           CONFIG_FILE_SIZE_MAX);
    saldo_config next = *c;
    config_ini ini = {.c = &next, .origin = origin, .err = err, .err_size = err_size};
    size_t pos = 0;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        pos = 3; /* a UTF-8 byte order mark */
    while (pos < len) {
        ini.line_no++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t line_len = end - pos;
        if (line_len > 0 && text[end - 1] == '\r')
            line_len--;
        if (!config_ini_line(&ini, text + pos, line_len))
            return false;
        pos = end + 1;
    }
    assert(ini.line_no <= CONFIG_FILE_SIZE_MAX);
    *c = next;
    return true;
}

/* ---- files, environment, flags ---- */

/* Reads path into b (limited to CONFIG_FILE_SIZE_MAX). Returns 0 or an errno
 * value (EFBIG when the file is larger than the limit). */
static int config_read_file(const char *path, buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno;
    char chunk[4096];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (!buf_append(b, chunk, n)) {
            rc = EFBIG;
            break;
        }
    }
    if (!rc && ferror(f))
        rc = errno ? errno : EIO;
    fclose(f);
    return rc;
}

/* Loads path; a missing file is fine when !required. */
static bool config_load_path(saldo_config *c, const char *path, bool required, char *err,
                             size_t err_size)
{
    if (strlen(path) > CONFIG_PATH_MAX)
        return config_fail(err, err_size, "configuration file path too long (limit %d bytes)",
                           CONFIG_PATH_MAX);
    buf b;
    buf_init(&b, CONFIG_FILE_SIZE_MAX);
    errno = 0;
    int rc = config_read_file(path, &b);
    bool ok;
    if (rc == ENOENT && !required)
        ok = true;
    else if (rc == EFBIG)
        ok = config_fail(err, err_size, "%s: too large (limit %d bytes)", path,
                         CONFIG_FILE_SIZE_MAX);
    else if (rc)
        ok = config_fail(err, err_size, "%s: cannot read: %s", path, strerror(rc));
    else if ((ok = config_load_text(c, path, buf_cstr(&b), b.len, err, err_size)))
        config_store(c->file, sizeof c->file, path, strlen(path));
    buf_free(&b);
    return ok;
}

bool config_load_file(saldo_config *c, const char *path, char *err, size_t err_size)
{
    assert(c && path && err && err_size > 0);
    err[0] = '\0';
    return config_load_path(c, path, true, err, err_size);
}

static const config_key_def *config_key_for_env(const char *name, size_t len)
{
    for (size_t i = 0; i < CONFIG_KEY_COUNT; i++)
        if (strlen(config_keys[i].env) == len && !memcmp(config_keys[i].env, name, len))
            return &config_keys[i];
    return NULL;
}

static bool config_env_is_ignored(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof config_env_ignored / sizeof config_env_ignored[0]; i++)
        if (strlen(config_env_ignored[i]) == len && !memcmp(config_env_ignored[i], name, len))
            return true;
    return false;
}

/* The value of variable name in envp, NULL when absent (the last one wins). */
static const char *config_env_value(char **envp, const char *name)
{
    size_t len = strlen(name);
    const char *value = NULL;
    for (size_t i = 0; envp && envp[i]; i++)
        if (!strncmp(envp[i], name, len) && envp[i][len] == '=')
            value = envp[i] + len + 1;
    return value;
}

/* SALDO_PROVISIONER_<NAME>=value: the name is NAME in lower case. */
static bool config_env_provisioner(saldo_config *c, const char *e, size_t name_len, const char *value, char *err,
                                   size_t err_size)
{
    size_t skip = strlen("SALDO_PROVISIONER_");
    char name[CONFIG_PROVISIONER_NAME_MAX + 2];
    size_t n = name_len - skip < sizeof name - 1 ? name_len - skip : sizeof name - 1;
    for (size_t i = 0; i < n; i++)
        name[i] = (char)((e[skip + i] >= 'A' && e[skip + i] <= 'Z') ? e[skip + i] - 'A' + 'a' : e[skip + i]);
    name[n] = '\0';
    char label[CONFIG_KEY_NAME_MAX + 32], shown[CONFIG_SHOW_MAX * 4 + 4];
    snprintf(label, sizeof label, "%s", config_show(shown, e, name_len));
    return config_set_provisioner(c, name, value, label, err, err_size);
}

bool config_load_env(saldo_config *c, char **envp, char *err, size_t err_size)
{
    assert(c && err && err_size > 0);
    err[0] = '\0';
    saldo_config next = *c;
    for (size_t i = 0; envp && envp[i]; i++) {
        const char *e = envp[i];
        const char *eq = strchr(e, '=');
        if (!config_starts_with(e, "SALDO_") || !eq)
            continue;
        size_t name_len = (size_t)(eq - e);
        if (config_env_is_ignored(e, name_len))
            continue;
        const config_key_def *k = config_key_for_env(e, name_len);
        char shown[CONFIG_SHOW_MAX * 4 + 4];
        if (!k && config_starts_with(e, "SALDO_PROVISIONER_")) {
            if (!config_env_provisioner(&next, e, name_len, eq + 1, err, err_size))
                return false;
            continue;
        }
        if (!k)
            return config_fail(err, err_size, "environment: unknown variable '%s'",
                               config_show(shown, e, name_len));
        if (!config_apply(&next, k, eq + 1, k->env, err, err_size))
            return false;
    }
    *c = next;
    return true;
}

/* One configuration option found in argv. */
typedef struct config_arg {
    const config_key_def *key; /* NULL for --config */
    const char *flag;          /* static: "--listen", "--config"; NULL when not ours */
    const char *value;
    int used;                  /* argv entries it takes: 0 (not ours), 1 or 2 */
} config_arg;

/* Recognizes a configuration option at argv[i], as `--flag value` or `--flag=value`. */
static bool config_arg_parse(int argc, char **argv, int i, config_arg *a, char *err,
                             size_t err_size)
{
    assert(i > 0 && i < argc && argv[i]);
    const char *s = argv[i];
    memset(a, 0, sizeof *a);
    if (!config_starts_with(s, "--"))
        return true;
    const char *eq = strchr(s, '=');
    size_t name_len = eq ? (size_t)(eq - s) : strlen(s);
    char name[CONFIG_KEY_NAME_MAX + 1];
    if (name_len > CONFIG_KEY_NAME_MAX)
        return true;
    memcpy(name, s, name_len);
    name[name_len] = '\0';
    if (!strcmp(name, "--config"))
        a->flag = "--config";
    for (size_t k = 0; !a->flag && k < CONFIG_KEY_COUNT; k++)
        if (!strcmp(config_keys[k].flag, name))
            a->key = &config_keys[k], a->flag = config_keys[k].flag;
    if (!a->flag)
        return true;
    if (eq)
        a->value = eq + 1, a->used = 1;
    else if (i + 1 < argc)
        a->value = argv[i + 1], a->used = 2;
    else
        return config_fail(err, err_size, "%s: missing value", a->flag);
    return true;
}

/* The last --config of argv, NULL if none. */
static bool config_args_file(int argc, char **argv, const char **path, char *err,
                             size_t err_size)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--");) {
        config_arg a;
        if (!config_arg_parse(argc, argv, i, &a, err, err_size))
            return false;
        if (a.used && !a.key)
            *path = a.value;
        i += a.used ? a.used : 1;
    }
    return true;
}

/* Applies the configuration flags of argv in order and removes them (and
 * --config) from argv, keeping the rest in order. */
static bool config_args_apply(saldo_config *c, int *argc, char **argv, char *err,
                              size_t err_size)
{
    int out = 1, i = 1;
    while (i < *argc && strcmp(argv[i], "--")) {
        config_arg a;
        if (!config_arg_parse(*argc, argv, i, &a, err, err_size))
            return false;
        if (!a.used) {
            argv[out++] = argv[i++];
            continue;
        }
        if (a.key && !config_apply(c, a.key, a.value, a.flag, err, err_size))
            return false;
        i += a.used;
    }
    while (i < *argc)
        argv[out++] = argv[i++];
    assert(out <= *argc);
    argv[out] = NULL;
    *argc = out;
    return true;
}

/* Whether text key still holds its default (the demo's value). */
static bool config_is_default(const saldo_config *c, const char *key)
{
    const config_key_def *k = config_key_find(key);
    assert(k && k->kind == CONFIG_TEXT);
    return !strcmp((const char *)c + k->offset, k->default_value);
}

/* The provider's address is given twice, on one line (pages, mails) and in
 * parts (documents and e-invoices): changing one and not the other would print
 * the demo's address on invoices or in the footer, so both change or neither. */
static bool config_provider_address_ok(const saldo_config *c, char *err, size_t err_size)
{
    bool line = !config_is_default(c, "provider.address");
    bool parts = !config_is_default(c, "provider.street") || !config_is_default(c, "provider.postal_code") ||
                 !config_is_default(c, "provider.city") || !config_is_default(c, "provider.province");
    if (line && !parts)
        return config_fail(err, err_size, "provider.street: provider.address was set but not the same address in "
                                          "parts, which invoices print: set provider.street, provider.postal_code, "
                                          "provider.city and provider.province too");
    if (parts && !line)
        return config_fail(err, err_size, "provider.address: the address in parts was set but not "
                                          "provider.address, which the pages and mails print: set it too");
    return true;
}

bool config_from_args(saldo_config *c, int *argc, char **argv, char **envp, char *err,
                      size_t err_size)
{
    assert(c && argc && *argc >= 0 && (argv || *argc == 0) && err && err_size > 0);
    err[0] = '\0';
    saldo_config next;
    config_defaults(&next);
    const char *path = NULL, *label = "--config";
    if (*argc > 1 && !config_args_file(*argc, argv, &path, err, err_size))
        return false;
    if (!path && (path = config_env_value(envp, "SALDO_CONFIG")))
        label = "SALDO_CONFIG";
    if (path && !*path)
        return config_fail(err, err_size,
                           "%s: bad value '': expected the path of a configuration file", label);
    if (!config_load_path(&next, path ? path : "saldo.conf", path != NULL, err, err_size))
        return false;
    if (!config_load_env(&next, envp, err, err_size))
        return false;
    if (*argc > 1 && !config_args_apply(&next, argc, argv, err, err_size))
        return false;
    if (!config_provider_address_ok(&next, err, err_size))
        return false;
    *c = next;
    return true;
}
