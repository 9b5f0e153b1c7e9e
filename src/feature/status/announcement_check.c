/* announcement_check.c - what makes an announcement or its change valid:
 * kind, texts in both languages, a maintenance window, the open incident a
 * resolution closes, targets that exist (the same rules for the API and the
 * staff page; *field and *message say what is wrong). */
#include "feature/status/status_internal.h"

#include <string.h>

#include "feature/catalog/catalog.h"

static bool kind_known(const char *kind)
{
    static const char *const names[] = {"maintenance", "incident", "resolved"};
    for (size_t i = 0; kind && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(kind, names[i]))
            return true;
    return false;
}

static bool set_invalid(const char **field, const char **message, const char *f, const char *m)
{
    *field = f;
    *message = m;
    return false;
}

static bool text_ok(const char *s, size_t max)
{
    return s && *s && strlen(s) <= max;
}

/* 1 when the target exists, 0 when not, -1 on a store error. */
static int target_exists(db *d, const announcement_target *t)
{
    if (t->kind == TARGET_PRODUCT) {
        catalog_product p;
        return catalog_product_get(d, t->id, &p);
    }
    if (t->kind == TARGET_CATEGORY) {
        catalog_category c;
        return catalog_category_get(d, t->id, &c);
    }
    db_stmt *s = db_prepare(d, "SELECT 1 FROM services WHERE id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, t->id);
    db_status st = db_step(s);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

int announcement_open_incident(db *d, int64_t id, bool *targeted, bool *is_public)
{
    db_stmt *s = db_prepare(d, "SELECT audience, public FROM announcements WHERE id = $1 AND kind = 'incident'"
                               " AND closed_at = 0");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_status st = db_step(s);
    if (st == DB_ROW) {
        *targeted = !strcmp(db_col_text(s, 0), "targeted");
        *is_public = db_col_int64(s, 1) != 0;
    }
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

static bool texts_check(const char *const title[2], const char *const body[2], const char **field,
                        const char **message)
{
    static const char *const title_fields[2] = {"title_en", "title_it"}, *const body_fields[2] = {"body_en", "body_it"};
    for (int l = 0; l < 2; l++) {
        if (!text_ok(title[l], ANNOUNCEMENT_TITLE_MAX))
            return set_invalid(field, message, title_fields[l], "a title of 1 to 200 characters");
        if (!text_ok(body[l], ANNOUNCEMENT_BODY_MAX))
            return set_invalid(field, message, body_fields[l], "a text of 1 to 5000 characters");
    }
    return true;
}

announcement_result announcement_check(db *d, const announcement_in *in, bool *targeted, bool *is_public,
                                 const char **field, const char **message)
{
    if (!kind_known(in->kind))
        return set_invalid(field, message, "kind", "maintenance, incident or resolved"), ANNOUNCEMENT_INVALID;
    if (!texts_check(in->title, in->body, field, message))
        return ANNOUNCEMENT_INVALID;
    bool maintenance = !strcmp(in->kind, "maintenance"), resolved = !strcmp(in->kind, "resolved");
    if (maintenance && in->starts_at <= 0)
        return set_invalid(field, message, "starts_at", "the start of the maintenance"), ANNOUNCEMENT_INVALID;
    if (maintenance && in->ends_at <= in->starts_at)
        return set_invalid(field, message, "ends_at", "the end of the maintenance, after its start"),
               ANNOUNCEMENT_INVALID;
    if (!maintenance && (in->starts_at || in->ends_at))
        return set_invalid(field, message, in->starts_at ? "starts_at" : "ends_at", "only for maintenance"),
               ANNOUNCEMENT_INVALID;
    *targeted = in->targeted;
    *is_public = in->is_public < 0 ? !in->targeted : in->is_public != 0;
    if (!resolved && in->parent_id)
        return set_invalid(field, message, "parent_id", "only for resolved"), ANNOUNCEMENT_INVALID;
    if (resolved) {
        if (in->targeted || in->n_targets)
            return set_invalid(field, message, "audience", "a resolution goes to its incident's customers"),
                   ANNOUNCEMENT_INVALID;
        bool parent_public;
        int found = in->parent_id > 0 ? announcement_open_incident(d, in->parent_id, targeted, &parent_public) : 0;
        if (found < 0)
            return ANNOUNCEMENT_STORE_ERROR;
        if (!found)
            return set_invalid(field, message, "parent_id", "an open incident"), ANNOUNCEMENT_INVALID;
        if (in->is_public < 0)
            *is_public = parent_public;
        return ANNOUNCEMENT_OK;
    }
    if (in->targeted && !in->n_targets)
        return set_invalid(field, message, "product_ids", "at least one product, category or service"),
               ANNOUNCEMENT_INVALID;
    if (!in->targeted && in->n_targets)
        return set_invalid(field, message, "audience", "targeted, with product_ids, category_ids or service_ids"), ANNOUNCEMENT_INVALID;
    for (size_t i = 0; i < in->n_targets; i++) {
        int found = target_exists(d, &in->targets[i]);
        if (found < 0)
            return ANNOUNCEMENT_STORE_ERROR;
        static const char *const fields[TARGET_KIND_COUNT] = {"product_ids", "category_ids", "service_ids"};
        if (!found)
            return set_invalid(field, message, fields[in->targets[i].kind], "no such product, category or service"),
                   ANNOUNCEMENT_INVALID;
    }
    return ANNOUNCEMENT_OK;
}

bool announcement_times_ok(const char *kind, int64_t starts_at, int64_t ends_at, const char **field,
                           const char **message)
{
    bool maintenance = !strcmp(kind, "maintenance");
    if (!maintenance && (starts_at || ends_at))
        return set_invalid(field, message, starts_at ? "starts_at" : "ends_at", "only for maintenance");
    if (maintenance && ends_at <= starts_at)
        return set_invalid(field, message, "ends_at", "the end of the maintenance, after its start");
    return true;
}

bool announcement_patch_texts_ok(const announcement_patch *p, const char **field, const char **message)
{
    static const char *const title_fields[2] = {"title_en", "title_it"}, *const body_fields[2] = {"body_en", "body_it"};
    for (int l = 0; l < 2; l++) {
        if (p->title[l] && !text_ok(p->title[l], ANNOUNCEMENT_TITLE_MAX))
            return set_invalid(field, message, title_fields[l], "a title of 1 to 200 characters");
        if (p->body[l] && !text_ok(p->body[l], ANNOUNCEMENT_BODY_MAX))
            return set_invalid(field, message, body_fields[l], "a text of 1 to 5000 characters");
    }
    return true;
}
