/* attachments.c - files attached to ticket messages: checked by their content
 * (file_sniff: PNG, JPEG, GIF, PDF, ZIP, plain text; never HTML or SVG), at
 * most SUPPORT_FILES_MAX of SUPPORT_FILE_MAX bytes per message, written under
 * support.attachments_dir with a random name (never under the web root), and
 * read back only through the routes that check who may see the ticket. */
#include "feature/support/support_internal.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "core/file_sniff.h"
#include "http/field.h"

const char *support_attachments_dir(http_request *r)
{
    const saldo_config *cfg = r->app->cfg;
    if (cfg->support.attachments_dir[0])
        return cfg->support.attachments_dir;
    if (!strncmp(cfg->database, "sqlite:", 7)) {
        const char *path = cfg->database + 7, *slash = strrchr(path, '/');
        return slash ? arena_printf(r->a, "%.*s/attachments", (int)(slash - path), path) : "attachments";
    }
    return "var/attachments";
}

/* The last path component of name, without control characters; "file"
 * when nothing is left. */
static const char *clean_name(http_request *r, const char *name)
{
    const char *base = name ? name : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t len = strlen(base);
    if (len > SUPPORT_FILE_NAME_MAX)
        len = SUPPORT_FILE_NAME_MAX;
    while (len && !field_text_ok(base, len))
        len--; /* cut an invalid tail (or a character cut in half) */
    return len && strcmp(base, ".") ? arena_strndup(r->a, base, len) : "file";
}

const char *support_check_files(http_request *r, support_file *files, size_t n, const char **field)
{
    *field = "files";
    if (n > SUPPORT_FILES_MAX)
        return "files: at most 5 files";
    for (size_t i = 0; i < n; i++) {
        *field = arena_printf(r->a, "files[%zu]", i);
        if (files[i].len == 0)
            return arena_printf(r->a, "%s: the file is empty", *field);
        if (files[i].len > SUPPORT_FILE_MAX)
            return arena_printf(r->a, "%s: larger than 10 MB", *field);
        file_kind k = file_sniff((const uint8_t *)files[i].data, files[i].len);
        if (k == FILE_NONE)
            return arena_printf(r->a, "%s: only PNG, JPEG, GIF, PDF, ZIP and plain text files are accepted", *field);
        files[i].content_type = file_mime(k);
        files[i].name = clean_name(r, files[i].name);
    }
    return NULL;
}

/* mkdir -p dir (the missing parts 0700). */
static bool make_dirs(http_request *r, const char *dir)
{
    char *path = arena_strdup(r->a, dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
        *p = '/';
        if (!ok)
            return false;
    }
    return mkdir(path, 0700) == 0 || errno == EEXIST;
}

/* Writes data to dir/name (new file, 0600) and syncs it. */
static bool write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    bool ok = done == len && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = false;
    if (!ok)
        unlink(path);
    return ok;
}

bool support_store_files(http_request *r, int64_t message_id, const support_file *files, size_t n,
                         support_written *written)
{
    assert(db_in_tx(r->db) && n <= SUPPORT_FILES_MAX);
    const char *dir = support_attachments_dir(r);
    if (n && !make_dirs(r, dir))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char rnd[16], hash[crypto_hash_sha256_BYTES];
        char id[33], hex[crypto_hash_sha256_BYTES * 2 + 1];
        randombytes_buf(rnd, sizeof rnd);
        sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
        crypto_hash_sha256(hash, (const unsigned char *)files[i].data, files[i].len);
        sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
        const char *path = arena_printf(r->a, "%s/%s", dir, id);
        if (!write_file(path, files[i].data, files[i].len))
            return false;
        written->paths[written->count++] = path;
        db_stmt *s = db_prepare(r->db,
            "INSERT INTO support_attachments (message_id, file_name, content_type, size, sha256, storage_name)"
            " VALUES ($1, $2, $3, $4, $5, $6)");
        if (!s)
            return false;
        db_bind_int64(s, 1, message_id);
        db_bind_text(s, 2, files[i].name);
        db_bind_text(s, 3, files[i].content_type);
        db_bind_int64(s, 4, (int64_t)files[i].len);
        db_bind_text(s, 5, hex);
        db_bind_text(s, 6, id);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

void support_unlink_written(const support_written *written)
{
    for (size_t i = 0; i < written->count; i++)
        unlink(written->paths[i]);
}

/* "attachment; filename="ascii"; filename*=UTF-8''pct-encoded" for name. */
static const char *disposition(http_request *r, const char *name)
{
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        buf_putc(&b, *p < 0x80 && *p != '"' && *p != '\\' ? (char)*p : '_');
    buf_puts(&b, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            buf_putc(&b, (char)*p);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    const char *out = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

void support_send_attachment(http_request *r, int64_t ticket_id, int64_t attachment_id, bool staff)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT a.file_name, a.content_type, a.size, a.storage_name FROM support_attachments a"
        " JOIN support_messages m ON m.id = a.message_id"
        " WHERE a.id = $1 AND m.ticket_id = $2 AND ($3 = 1 OR m.internal = 0)");
    if (!s)
        return http_error(r, 500, "store_error", "the attachment could not be read", NULL);
    db_bind_int64(s, 1, attachment_id);
    db_bind_int64(s, 2, ticket_id);
    db_bind_int64(s, 3, staff ? 1 : 0);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return http_error(r, 404, "not_found", "no such attachment", NULL);
    }
    const char *name = arena_strdup(r->a, db_col_text(s, 0)), *type = arena_strdup(r->a, db_col_text(s, 1));
    int64_t size = db_col_int64(s, 2);
    const char *path = arena_printf(r->a, "%s/%s", support_attachments_dir(r), db_col_text(s, 3));
    db_done(s);
    FILE *f = fopen(path, "rb");
    char *data = size >= 0 && size <= SUPPORT_FILE_MAX ? malloc((size_t)size + 1) : NULL;
    bool ok = f && data && fread(data, 1, (size_t)size, f) == (size_t)size;
    if (f)
        fclose(f);
    if (ok) {
        http_add_header(r, "Content-Disposition", disposition(r, name));
        http_add_header(r, "Cache-Control", "private, no-store");
        http_text(r, 200, type, data, (size_t)size);
    } else {
        http_error(r, 500, "file_missing", "the attachment's file could not be read", NULL);
    }
    free(data);
}

json_t *support_attachments_json(http_request *r, int64_t ticket_id, bool staff)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT a.id, a.message_id, a.file_name, a.content_type, a.size, a.sha256 FROM support_attachments a"
        " JOIN support_messages m ON m.id = a.message_id WHERE m.ticket_id = $1 AND ($2 = 1 OR m.internal = 0)"
        " ORDER BY a.id");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, ticket_id);
    db_bind_int64(s, 2, staff ? 1 : 0);
    json_t *by_msg = json_object();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        const char *key = arena_printf(r->a, "%lld", (long long)db_col_int64(s, 1));
        json_t *arr = json_object_get(by_msg, key);
        if (!arr)
            json_object_set_new(by_msg, key, arr = json_array());
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)db_col_int64(s, 0),
                                             "file_name", db_col_text(s, 2), "content_type", db_col_text(s, 3),
                                             "size", (json_int_t)db_col_int64(s, 4), "sha256", db_col_text(s, 5)));
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(by_msg);
        return NULL;
    }
    return by_msg;
}
