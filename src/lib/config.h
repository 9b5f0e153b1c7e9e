/* config.h - saldo's settings: defaults, INI file, SALDO_* environment, flags.
 *
 * Every command builds one saldo_config before it does anything else. Sources
 * apply in increasing precedence: built-in defaults, then an INI file, then
 * SALDO_* environment variables, then command-line flags. Every value is
 * validated as it is set; an unknown key or a bad value is an error naming the
 * key and its source ("saldo.conf:12: unknown key 'lisen'", "SALDO_LISTEN: bad
 * value ..."), so a typo never silently falls back to a default. All text
 * fields are NUL-terminated fixed arrays; the *_MAX limits are in bytes without
 * the NUL. The keys are documented for users in docs/CONFIGURATION.md. */
#ifndef SALDO_CONFIG_H
#define SALDO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/iban.h"
#include "lib/log.h"

#define CONFIG_LISTEN_MAX 63            /* "[IPv6]:PORT" */
#define CONFIG_DATABASE_MAX 1023
#define CONFIG_URL_MAX 511              /* base_url and smtp_url */
#define CONFIG_MAIL_FROM_MAX 254        /* RFC 5321 path limit */
#define CONFIG_SECRET_KEY_LEN_MIN 32
#define CONFIG_SECRET_KEY_MAX 256
#define CONFIG_THREADS_MAX 256
#define CONFIG_BILLING_DAYS_MAX 3650     /* the billing run's day counts */
#define CONFIG_PROVIDER_NAME_MAX 200
#define CONFIG_PROVIDER_ADDRESS_MAX 500
#define CONFIG_VAT_ID_MAX 15            /* 2-letter prefix + at most 13 */
#define CONFIG_PHONE_MAX 40             /* "+39 06 1234 5678" and the like */
#define CONFIG_STREET_MAX 200           /* provider.street, provider.city: one address line */
#define CONFIG_POSTAL_CODE_MAX 15       /* provider.postal_code: "00184", "SW1A 1AA" */
#define CONFIG_FATTURAPA_OFFSET_MAX 30000000 /* half of 36^5: room for the documents' ids */
#define CONFIG_LOGO_PATH_MAX 1000       /* provider.logo: a file path */
#define CONFIG_LOGO_BYTES_MAX 1000000   /* the logo file's size */
#define CONFIG_LOGO_SIDE_MAX 4096       /* its width and height in pixels */
#define CONFIG_PATH_MAX 1023            /* the config file's path */
#define CONFIG_FILE_SIZE_MAX (64 * 1024)
#define CONFIG_LINE_MAX 4096            /* one INI line, CRLF excluded */
#define CONFIG_PROVISIONERS_MAX 32      /* provisioner.<name> keys */
#define CONFIG_PROVISIONER_NAME_MAX 64  /* [a-z0-9_-], as catalog_products.provisioner */
#define CONFIG_PROVISIONER_TARGET_MAX 1023 /* the program's path or the URL */

/* How a configured provisioner runs: a program (exec:PATH) or an HTTP POST (url:URL). */
typedef enum { CONFIG_PROVISION_EXEC, CONFIG_PROVISION_URL, CONFIG_PROVISION_KIND_COUNT } config_provision_kind;

typedef struct config_provisioner {
    char name[CONFIG_PROVISIONER_NAME_MAX + 1];
    config_provision_kind kind;
    char target[CONFIG_PROVISIONER_TARGET_MAX + 1]; /* absolute path, or http(s) URL */
} config_provisioner;
#define CONFIG_TERMS_VERSION_MAX 32     /* "2026-01" and the like */
#define CONFIG_GATEWAY_SECRET_MIN 8     /* gateway.api_key, gateway.webhook_secret */
#define CONFIG_GATEWAY_SECRET_MAX 255
#define CONFIG_METRICS_TOKEN_MIN 16     /* metrics.token */
#define CONFIG_METRICS_TOKEN_MAX 255

typedef struct saldo_config {
    char listen[CONFIG_LISTEN_MAX + 1];         /* checked HOST:PORT, as given: "127.0.0.1:8080" */
    char database[CONFIG_DATABASE_MAX + 1];     /* "sqlite:PATH" or "postgresql://..." */
    char base_url[CONFIG_URL_MAX + 1];          /* no trailing slash */
    char smtp_url[CONFIG_URL_MAX + 1];          /* "" = mail disabled */
    char mail_from[CONFIG_MAIL_FROM_MAX + 1];
    char secret_key[CONFIG_SECRET_KEY_MAX + 1]; /* "" = serve generates one */
    int threads;                                /* 0 = one per CPU */
    /* The billing run (src/jobs/billing_run.c). */
    int renewal_window_days;                    /* auto-renew this many days before expiry */
    int grace_days;                             /* suspend this many days after expiry */
    int termination_days;                       /* terminate this many days after expiry */
    log_level log_level;
    struct {
        char name[CONFIG_PROVIDER_NAME_MAX + 1];
        char address[CONFIG_PROVIDER_ADDRESS_MAX + 1];
        /* The same address in parts, as the e-invoices need it (FatturaPA <Sede>). */
        char street[CONFIG_STREET_MAX + 1];     /* street and number */
        char postal_code[CONFIG_POSTAL_CODE_MAX + 1];
        char city[CONFIG_STREET_MAX + 1];
        char province[3];                       /* "" or the Italian sigla ("RM") */
        char tax_regime[5];                     /* FatturaPA RegimeFiscale: RF01, RF02, RF04-RF19 */
        int fatturapa_progressive_offset;       /* added to a document's id for its file's progressive */
        char country[3];                        /* ISO 3166-1 alpha-2 */
        char vat_id[CONFIG_VAT_ID_MAX + 1];
        char iban[IBAN_SIZE];                   /* normalized: no spaces, upper case */
        char bic[12];                           /* ISO 9362: 8 or 11 upper-case letters and digits */
        char support_email[CONFIG_MAIL_FROM_MAX + 1]; /* shown on the support page */
        char support_phone[CONFIG_PHONE_MAX + 1];     /* "" = no phone line */
        char logo[CONFIG_LOGO_PATH_MAX + 1];          /* PNG or JPEG for the PDF documents; "" = none */
    } provider;
    config_provisioner provisioners[CONFIG_PROVISIONERS_MAX]; /* provisioner.<name> keys */
    int provisioner_count;
    char terms_version[CONFIG_TERMS_VERSION_MAX + 1]; /* the terms of contract in force */
    struct {                                    /* the payment gateway (feature/payments) */
        char url[CONFIG_URL_MAX + 1];           /* "" = card, wallet, PayPal, crypto top-ups off */
        char api_key[CONFIG_GATEWAY_SECRET_MAX + 1];
        char webhook_secret[CONFIG_GATEWAY_SECRET_MAX + 1];
    } gateway;
    struct {                                    /* the store (src/store) */
        char group_commit[4];                   /* "on" or "off": group commit (store/db_group.h) */
        int group_commit_ms;                    /* the longest a group stays open, 1-1000 ms */
    } store;
    struct {                                    /* GET /metrics (feature/metrics) */
        char token[CONFIG_METRICS_TOKEN_MAX + 1]; /* "" = loopback only, else a bearer token is needed */
    } metrics;
    struct {                                    /* support tickets (feature/support) */
        /* Where attachments are stored; "" = "attachments" next to the SQLite
         * database, or var/attachments. Never under the static/ web root. */
        char attachments_dir[CONFIG_PATH_MAX + 1];
    } support;
    char file[CONFIG_PATH_MAX + 1];             /* the INI file read, "" if none */
} saldo_config;

/* Fills c with the built-in defaults (each of which passes its own validator). */
void config_defaults(saldo_config *c);

/* Applies the INI text (len bytes, any content) on top of c. origin names the
 * text in messages ("saldo.conf"). A key set twice in one text is an error.
 * Returns true on success; on failure returns false with a one-line message in
 * err (always NUL-terminated, truncated to err_size) and c unchanged. */
bool config_load_text(saldo_config *c, const char *origin, const char *text, size_t len,
                      char *err, size_t err_size);

/* Reads the INI file at path (at most CONFIG_FILE_SIZE_MAX bytes) and applies it
 * as config_load_text does, recording path in c->file. Same return contract. */
bool config_load_file(saldo_config *c, const char *path, char *err, size_t err_size);

/* Applies the SALDO_* variables of envp (a NULL-terminated "NAME=VALUE" array;
 * NULL means none). Other variables are ignored; an unknown SALDO_* variable is
 * an error, except SALDO_CONFIG (the file, see config_from_args). An empty value is a value, not
 * "unset". Same return contract as config_load_text. */
bool config_load_env(saldo_config *c, char **envp, char *err, size_t err_size);

/* Validates value and stores it under key (the file name: "listen",
 * "provider.iban"). origin labels the value in messages ("SALDO_LISTEN",
 * "--listen"; NULL uses the key). Errors read "<origin>: unknown key '<key>'"
 * and "<origin>: bad value '<value>': expected ..." (the secret key's value is
 * never echoed). Same return contract as config_load_text. */
bool config_set(saldo_config *c, const char *key, const char *value, const char *origin,
                char *err, size_t err_size);

/* provisioner.<name> = exec:/absolute/path | url:http(s)://host/path (the
 * name 1-64 of a-z 0-9 _ -, not "manual"); a name set again is replaced.
 * label names the value in messages. Same return contract as config_set
 * (config_set and the file and environment readers call it for these keys;
 * the environment spells them SALDO_PROVISIONER_<NAME>, upper case). */
bool config_set_provisioner(saldo_config *c, const char *name, const char *value, const char *label,
                            char *err, size_t err_size);
/* The provisioner called name, NULL when none is configured. */
const config_provisioner *config_provisioner_find(const saldo_config *c, const char *name);
/* The scheme://authority/path URL checker of base_url, for config_provisioner.c. */
bool config_http_url_ok(const char *v);

/* Writes the current value of key into out as the file would hold it (provider.iban
 * normalized, log_level as its name, threads in decimal). Returns false for an
 * unknown key or when out is too small (out then holds ""). The secret key is
 * returned as is: redacting it for display is the caller's business. */
bool config_get(const saldo_config *c, const char *key, char *out, size_t size);

/* The i-th key name in documentation order, NULL once i reaches the key count. */
const char *config_key_name(size_t i);

/* Maps a flag ("--provider-iban") to its key ("provider.iban"); NULL if flag is
 * not a configuration flag. --config is not a key and maps to NULL. */
const char *config_key_for_flag(const char *flag);

/* The whole chain for a command: defaults; then the file named by --config PATH,
 * else by $SALDO_CONFIG, else ./saldo.conf if it exists (the first two must
 * exist); then the environment envp; then the configuration flags of argv, as
 * `--flag value` or `--flag=value`, later ones winning. argv[0] is left alone and
 * scanning stops at "--". Consumed entries (including --config) are removed:
 * argv is compacted in place, *argc updated and argv[*argc] set to NULL, so the
 * command sees only its own arguments, in their original order. Returns false
 * with a message in err on the first error; c and argv are then unspecified. */
bool config_from_args(saldo_config *c, int *argc, char **argv, char **envp,
                      char *err, size_t err_size);

#endif
