/* addresses.c - billing addresses in the store: versions that never change
 * (an edit inserts the next version and retires the old one), one default per
 * organization, and the reads documents and renewals need (see addresses.h). */
#include "feature/addresses/addresses.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/json_in.h"

#define ADDRESS_COLUMNS                                                                                  \
    "id, org_id, COALESCE(origin_id, id), recipient, street, extra, postal_code, city, province, country," \
    " is_default, created_at, COALESCE(retired_at, 0), COALESCE(replaced_by, 0)"

static void read_row(db_stmt *s, address *a)
{
    memset(a, 0, sizeof *a);
    a->id = db_col_int64(s, 0);
    a->org_id = db_col_int64(s, 1);
    a->origin_id = db_col_int64(s, 2);
    snprintf(a->f.recipient, sizeof a->f.recipient, "%s", db_col_text(s, 3));
    snprintf(a->f.street, sizeof a->f.street, "%s", db_col_text(s, 4));
    snprintf(a->f.extra, sizeof a->f.extra, "%s", db_col_text(s, 5));
    snprintf(a->f.postal_code, sizeof a->f.postal_code, "%s", db_col_text(s, 6));
    snprintf(a->f.city, sizeof a->f.city, "%s", db_col_text(s, 7));
    snprintf(a->f.province, sizeof a->f.province, "%s", db_col_text(s, 8));
    snprintf(a->f.country, sizeof a->f.country, "%s", db_col_text(s, 9));
    a->is_default = db_col_int64(s, 10) != 0;
    a->created_at = db_col_int64(s, 11);
    a->retired_at = db_col_int64(s, 12);
    a->replaced_by = db_col_int64(s, 13);
    assert(a->id > 0 && a->origin_id > 0 && !(a->is_default && a->retired_at));
}

bool address_snapshot(db *d, int64_t org_id, int64_t id, address *out)
{
    db_stmt *s = db_prepare(d, "SELECT " ADDRESS_COLUMNS " FROM billing_addresses WHERE id = $1 AND org_id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        read_row(s, out);
    db_done(s);
    assert(!found || out->org_id == org_id);
    return found;
}

bool address_default(db *d, int64_t org_id, address *out)
{
    db_stmt *s = db_prepare(d,
        "SELECT " ADDRESS_COLUMNS " FROM billing_addresses WHERE org_id = $1 AND is_default = 1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        read_row(s, out);
    db_done(s);
    return found;
}

int address_list(db *d, int64_t org_id, address *out, size_t max)
{
    db_stmt *s = db_prepare(d,
        "SELECT " ADDRESS_COLUMNS " FROM billing_addresses WHERE org_id = $1 AND retired_at IS NULL"
        " ORDER BY is_default DESC, COALESCE(origin_id, id), id LIMIT $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, (int64_t)max);
    size_t n = 0;
    while (n < max && db_step(s) == DB_ROW)
        read_row(s, &out[n++]);
    db_done(s);
    assert(n <= max);
    return (int)n;
}

/* True when a comes before b in address_list's order. */
static bool listed_before(const address *a, const address *b)
{
    if (a->is_default != b->is_default)
        return a->is_default;
    return a->origin_id != b->origin_id ? a->origin_id < b->origin_id : a->id < b->id;
}

int address_first(db *d, int64_t org_id, address *out)
{
    db_stmt *s = db_prepare(d, "SELECT " ADDRESS_COLUMNS " FROM billing_addresses WHERE org_id = $1 AND retired_at IS NULL");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    int n = 0;
    address a;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        read_row(s, &a);
        if (!n++ || listed_before(&a, out))
            *out = a;
    }
    db_done(s);
    return st == DB_DONE ? n > 0 : -1;
}

int64_t address_current_id(db *d, int64_t org_id, int64_t id)
{
    db_stmt *s = db_prepare(d,
        "SELECT b.id FROM billing_addresses a JOIN billing_addresses b"
        " ON COALESCE(b.origin_id, b.id) = COALESCE(a.origin_id, a.id)"
        " WHERE a.id = $1 AND a.org_id = $2 AND b.org_id = $2 AND b.retired_at IS NULL");
    if (!s)
        return 0;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    int64_t current = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return current;
}

static int64_t live_count(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM billing_addresses WHERE org_id = $1 AND retired_at IS NULL");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_done(s);
    return n;
}

/* Inserts a version (inside the write transaction); 0 on a store error. */
static int64_t insert_version(db *d, int64_t org_id, int64_t origin_id, const address_fields *f, bool is_default)
{
    assert(db_in_tx(d) && f->recipient[0] && f->street[0] && f->city[0] && strlen(f->country) == 2);
    db_stmt *s = db_prepare(d,
        "INSERT INTO billing_addresses (org_id, origin_id, recipient, street, extra, postal_code, city, province,"
        " country, is_default, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id");
    if (!s)
        return 0;
    db_bind_int64(s, 1, org_id);
    if (origin_id) db_bind_int64(s, 2, origin_id); else db_bind_null(s, 2);
    db_bind_text(s, 3, f->recipient);
    db_bind_text(s, 4, f->street);
    db_bind_text(s, 5, f->extra);
    db_bind_text(s, 6, f->postal_code);
    db_bind_text(s, 7, f->city);
    db_bind_text(s, 8, f->province);
    db_bind_text(s, 9, f->country);
    db_bind_int64(s, 10, is_default);
    db_bind_int64(s, 11, (int64_t)time(NULL));
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return id;
}

/* Clears the organization's default flag (inside the write transaction). */
static bool clear_default(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "UPDATE billing_addresses SET is_default = 0 WHERE org_id = $1 AND is_default = 1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    return db_exec1(s) == DB_DONE;
}

static address_result fail(db *d, address_result res)
{
    db_rollback(d);
    return res;
}

address_result address_create(db *d, int64_t org_id, const address_fields *f, bool make_default, int64_t *out_id)
{
    assert(org_id > 0);
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return ADDRESS_STORE_ERROR;
    int64_t n = live_count(d, org_id);
    if (n < 0)
        return fail(d, ADDRESS_STORE_ERROR);
    if (n >= ADDRESSES_PER_ORG_MAX)
        return fail(d, ADDRESS_TOO_MANY);
    bool is_default = n == 0 || make_default;
    if (is_default && n > 0 && !clear_default(d, org_id))
        return fail(d, ADDRESS_STORE_ERROR);
    *out_id = insert_version(d, org_id, 0, f, is_default);
    if (!*out_id || db_commit(d) != DB_OK)
        return fail(d, ADDRESS_STORE_ERROR);
    return ADDRESS_OK;
}

/* Reads live address id of org inside the transaction; a result to return
 * (after rolling back) when it is not OK. */
static address_result load_live(db *d, int64_t org_id, int64_t id, address *a)
{
    if (!address_snapshot(d, org_id, id, a))
        return ADDRESS_NOT_FOUND;
    return a->retired_at ? ADDRESS_RETIRED : ADDRESS_OK;
}

/* Retires a live version (inside the write transaction). */
static bool retire(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d,
        "UPDATE billing_addresses SET retired_at = $1, is_default = 0 WHERE id = $2 AND retired_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

/* Points a retired version at the version that replaced it. */
static bool link_successor(db *d, int64_t id, int64_t next_id)
{
    db_stmt *s = db_prepare(d, "UPDATE billing_addresses SET replaced_by = $1 WHERE id = $2 AND retired_at IS NOT NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, next_id);
    db_bind_int64(s, 2, id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

static bool same_text(const address_fields *a, const address_fields *b)
{
    return !strcmp(a->recipient, b->recipient) && !strcmp(a->street, b->street) && !strcmp(a->extra, b->extra) &&
           !strcmp(a->postal_code, b->postal_code) && !strcmp(a->city, b->city) &&
           !strcmp(a->province, b->province) && !strcmp(a->country, b->country);
}

address_result address_update(db *d, int64_t org_id, int64_t id, const address_fields *f, int64_t *new_id)
{
    address cur;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return ADDRESS_STORE_ERROR;
    address_result res = load_live(d, org_id, id, &cur);
    if (res != ADDRESS_OK)
        return fail(d, res);
    *new_id = id;
    if (same_text(&cur.f, f)) {
        db_rollback(d);
        return ADDRESS_OK;
    }
    /* Retire first: the new version takes over the default flag, and the
     * unique index allows one default at a time. */
    if (!retire(d, id))
        return fail(d, ADDRESS_STORE_ERROR);
    *new_id = insert_version(d, org_id, cur.origin_id, f, cur.is_default);
    if (!*new_id || !link_successor(d, id, *new_id) || db_commit(d) != DB_OK)
        return fail(d, ADDRESS_STORE_ERROR);
    assert(*new_id != id);
    return ADDRESS_OK;
}

address_result address_delete(db *d, int64_t org_id, int64_t id)
{
    address cur;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return ADDRESS_STORE_ERROR;
    address_result res = load_live(d, org_id, id, &cur);
    if (res != ADDRESS_OK)
        return fail(d, res);
    if (!retire(d, id))
        return fail(d, ADDRESS_STORE_ERROR);
    if (cur.is_default) {
        /* The default moves to the oldest remaining address, if any. */
        db_stmt *s = db_prepare(d,
            "UPDATE billing_addresses SET is_default = 1 WHERE id = (SELECT x.id FROM billing_addresses x"
            " WHERE x.org_id = $1 AND x.retired_at IS NULL ORDER BY COALESCE(x.origin_id, x.id), x.id LIMIT 1)");
        if (!s)
            return fail(d, ADDRESS_STORE_ERROR);
        db_bind_int64(s, 1, org_id);
        if (db_exec1(s) != DB_DONE)
            return fail(d, ADDRESS_STORE_ERROR);
    }
    return db_commit(d) == DB_OK ? ADDRESS_OK : fail(d, ADDRESS_STORE_ERROR);
}

address_result address_set_default(db *d, int64_t org_id, int64_t id)
{
    address cur;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return ADDRESS_STORE_ERROR;
    address_result res = load_live(d, org_id, id, &cur);
    if (res != ADDRESS_OK)
        return fail(d, res);
    if (cur.is_default) {
        db_rollback(d);
        return ADDRESS_OK;
    }
    db_stmt *s;
    if (!clear_default(d, org_id) || !(s = db_prepare(d, "UPDATE billing_addresses SET is_default = 1 WHERE id = $1")))
        return fail(d, ADDRESS_STORE_ERROR);
    db_bind_int64(s, 1, id);
    if (db_exec1(s) != DB_DONE || db_changes(d) != 1 || db_commit(d) != DB_OK)
        return fail(d, ADDRESS_STORE_ERROR);
    return ADDRESS_OK;
}

bool address_erase_org(db *d, int64_t org_id)
{
    assert(db_in_tx(d) && org_id > 0);
    db_stmt *s = db_prepare(d, "DELETE FROM billing_addresses WHERE org_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    if (db_exec1(s) != DB_DONE)
        return false;
    s = db_prepare(d, "DELETE FROM notification_addresses WHERE org_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    return db_exec1(s) == DB_DONE;
}

/* ISO 8601 UTC of Unix seconds, or JSON null for 0. */
static json_t *time_or_null(int64_t t)
{
    return t ? jout_time(t) : json_null();
}

json_t *address_json(const address *a)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o}",
                     "id", (json_int_t)a->id, "recipient", a->f.recipient, "street", a->f.street,
                     "extra", a->f.extra, "postal_code", a->f.postal_code, "city", a->f.city,
                     "province", a->f.province, "country", a->f.country, "default", (int)a->is_default,
                     "created_at", time_or_null(a->created_at), "retired_at", time_or_null(a->retired_at),
                     "replaced_by", a->replaced_by ? json_integer(a->replaced_by) : json_null());
}

const char *address_one_line(arena *ar, const address *a)
{
    const address_fields *f = &a->f;
    return arena_printf(ar, "%s, %s%s%s, %s%s%s%s%s, %s", f->recipient, f->street, f->extra[0] ? ", " : "", f->extra,
                        f->postal_code, f->postal_code[0] ? " " : "", f->city, f->province[0] ? " " : "",
                        f->province, f->country);
}
