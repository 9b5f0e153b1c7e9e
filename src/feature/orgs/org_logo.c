/* org_logo.c - an organization's logo: checked by its content (a PNG or JPEG
 * header that makes sense, whatever the file's name or declared type), kept
 * base64-encoded in org_logos, served only to those the caller allows, with
 * its real type, nosniff, inline disposition and an ETag. */
#include "feature/orgs/orgs.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/image_sniff.h"
#include "feature/orgs/org_audit.h"

#define N_(s) s

static void etag_of(const char *data, size_t len, char out[ORG_ETAG_HEX + 1])
{
    unsigned char h[ORG_ETAG_HEX / 2];
    crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
    sodium_bin2hex(out, ORG_ETAG_HEX + 1, h, sizeof h);
}

org_logo_result org_logo_set(http_request *r, int64_t org_id, const char *data, size_t len)
{
    db *d = r->db;
    if (!data || len == 0)
        return ORG_LOGO_EMPTY;
    if (len > ORG_LOGO_BYTES_MAX)
        return ORG_LOGO_TOO_LARGE;
    image_kind kind = image_sniff((const uint8_t *)data, len, NULL, NULL);
    if (kind == IMAGE_NONE)
        return ORG_LOGO_NOT_IMAGE;
    size_t b64_size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64_size);
    if (!b64)
        return ORG_LOGO_STORE_ERROR;
    sodium_bin2base64(b64, b64_size, (const unsigned char *)data, len, sodium_base64_VARIANT_ORIGINAL);
    char etag[ORG_ETAG_HEX + 1];
    etag_of(data, len, etag);
    bool ok = db_begin(d, DB_TX_WRITE) == DB_OK;
    db_stmt *s = ok ? db_prepare(d, "DELETE FROM org_logos WHERE org_id = $1") : NULL;
    if (s) {
        db_bind_int64(s, 1, org_id);
        ok = db_exec1(s) == DB_DONE;
    }
    s = ok && s ? db_prepare(d,
        "INSERT INTO org_logos (org_id, content_type, size_bytes, data_base64, etag, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)") : NULL;
    if (s) {
        db_bind_int64(s, 1, org_id);
        db_bind_text(s, 2, image_mime(kind));
        db_bind_int64(s, 3, (int64_t)len);
        db_bind_text(s, 4, b64);
        db_bind_text(s, 5, etag);
        db_bind_int64(s, 6, (int64_t)time(NULL));
        ok = db_exec1(s) == DB_DONE &&
             org_audit_record_json(d, org_id, r->user_id, "org.logo",
                                   json_pack("{s:s, s:s, s:I}", "change", "set", "type", image_mime(kind),
                                             "bytes", (json_int_t)len), r->client_ip) &&
             db_commit(d) == DB_OK;
    }
    free(b64);
    if (!s || !ok) {
        if (db_in_tx(d))
            db_rollback(d);
        return ORG_LOGO_STORE_ERROR;
    }
    return ORG_LOGO_OK;
}

const char *org_logo_reason(org_logo_result res)
{
    switch (res) {
    case ORG_LOGO_EMPTY: return N_("Choose an image file.");
    case ORG_LOGO_TOO_LARGE: return N_("The logo may be at most 1 MB.");
    case ORG_LOGO_NOT_IMAGE: return N_("The logo must be a PNG or JPEG image.");
    case ORG_LOGO_STORE_ERROR: return N_("We could not complete the request and nothing was changed. Try again in a moment.");
    default: return "";
    }
}

bool org_logo_delete(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM org_logos WHERE org_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    return db_exec1(s) == DB_DONE;
}

bool org_logo_remove(http_request *r, int64_t org_id)
{
    bool ok = db_begin(r->db, DB_TX_WRITE) == DB_OK && org_logo_delete(r->db, org_id) &&
              org_audit_record_json(r->db, org_id, r->user_id, "org.logo", json_pack("{s:s}", "change", "removed"),
                                    r->client_ip) &&
              db_commit(r->db) == DB_OK;
    if (!ok && db_in_tx(r->db))
        db_rollback(r->db);
    return ok;
}

int org_logo_get(http_request *r, int64_t org_id, const char **data, size_t *len, const char **type,
                 const char **etag)
{
    db_stmt *s = db_prepare(r->db, "SELECT content_type, data_base64, etag, size_bytes FROM org_logos WHERE org_id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_status st = db_step(s);
    if (st != DB_ROW) {
        db_done(s);
        return st == DB_DONE ? 0 : -1;
    }
    const char *b64 = db_col_text(s, 1);
    size_t b64_len = strlen(b64), size = (size_t)db_col_int64(s, 3);
    assert(size > 0 && size <= ORG_LOGO_BYTES_MAX);
    unsigned char *bin = arena_alloc(r->a, size + 1);
    size_t got = 0;
    bool ok = sodium_base642bin(bin, size + 1, b64, b64_len, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
              got == size;
    *type = arena_strdup(r->a, db_col_text(s, 0));
    *etag = arena_strdup(r->a, db_col_text(s, 2));
    db_done(s);
    if (!ok)
        return -1;
    *data = (const char *)bin;
    *len = got;
    return 1;
}

int org_logo_serve(http_request *r, int64_t org_id)
{
    const char *data, *type, *etag;
    size_t len;
    int found = org_logo_get(r, org_id, &data, &len, &type, &etag);
    if (found <= 0)
        return found;
    assert(!strcmp(type, "image/png") || !strcmp(type, "image/jpeg"));
    const char *quoted = arena_printf(r->a, "\"%s\"", etag);
    http_add_header(r, "ETag", quoted);
    http_add_header(r, "Cache-Control", "private, no-cache");
    http_add_header(r, "Content-Disposition", "inline"); /* nosniff: the server adds it to every answer */
    const char *inm = http_header(r, "If-None-Match");
    if (inm && strstr(inm, quoted))
        http_text(r, 304, type, "", 0);
    else
        http_text(r, 200, type, data, len);
    return 1;
}
