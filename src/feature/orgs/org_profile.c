/* org_profile.c - an organization's profile (kind, legal name, VAT ID, Italian
 * fiscal code, SDI recipient code, PEC, legal representative): reading it,
 * checking it as a whole, saving it; creating more organizations; the list of
 * a user's organizations; and who may leave one. */
#include "feature/orgs/orgs.h"

#include "core/vat_id.h"
#include "feature/orgs/org_audit.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define N_(s) s /* marks an English message for scripts/extract-messages.py */

const char *const org_kind_names[] = {"person", "company", "public_administration", NULL};
_Static_assert(ORG_KIND_COUNT == 3, "one name per kind");

static org_kind kind_from(const char *name)
{
    for (int k = 0; k < ORG_KIND_COUNT; k++)
        if (!strcmp(org_kind_names[k], name))
            return (org_kind)k;
    return ORG_KIND_PERSON; /* the CHECK constraint allows nothing else */
}

static void copy_col(db_stmt *s, int col, char *out, size_t size)
{
    const char *v = db_col_text(s, col);
    snprintf(out, size, "%s", v ? v : "");
}

int org_profile_get(db *d, int64_t org_id, org_profile *out)
{
    db_stmt *s = db_prepare(d,
        "SELECT o.id, o.name, o.kind, o.legal_name, o.vat_id, o.fiscal_code, o.sdi_code, o.pec,"
        " COALESCE(o.legal_rep_user_id, 0), o.personal, o.created_at, COALESCE(o.deleted_at, 0),"
        " l.content_type, l.etag, COALESCE(l.size_bytes, 0)"
        " FROM orgs o LEFT JOIN org_logos l ON l.org_id = o.id WHERE o.id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_status st = db_step(s);
    if (st != DB_ROW) {
        db_done(s);
        return st == DB_DONE ? 0 : -1;
    }
    memset(out, 0, sizeof *out);
    out->id = db_col_int64(s, 0);
    copy_col(s, 1, out->name, sizeof out->name);
    out->kind = kind_from(db_col_text(s, 2));
    copy_col(s, 3, out->legal_name, sizeof out->legal_name);
    copy_col(s, 4, out->vat_id, sizeof out->vat_id);
    copy_col(s, 5, out->fiscal_code, sizeof out->fiscal_code);
    copy_col(s, 6, out->sdi_code, sizeof out->sdi_code);
    copy_col(s, 7, out->pec, sizeof out->pec);
    out->legal_rep_user_id = db_col_int64(s, 8);
    out->personal = db_col_int64(s, 9) != 0;
    out->created_at = db_col_int64(s, 10);
    out->deleted_at = db_col_int64(s, 11);
    out->has_logo = !db_col_is_null(s, 12);
    if (out->has_logo) {
        copy_col(s, 12, out->logo_type, sizeof out->logo_type);
        copy_col(s, 13, out->logo_etag, sizeof out->logo_etag);
        out->logo_bytes = db_col_int64(s, 14);
    }
    db_done(s);
    assert(out->id == org_id && out->kind < ORG_KIND_COUNT);
    return 1;
}

/* Normalizes an identifier field in place; false when it has characters no
 * identifier has. */
static bool normalize_id(char *field, size_t size)
{
    char norm[FISCAL_INPUT_LEN_MAX + 1];
    assert(size == sizeof norm);
    if (!fiscal_normalize(field, norm, sizeof norm))
        return false;
    memcpy(field, norm, sizeof norm);
    return true;
}

static bool fiscal_code_fits(org_kind kind, const char *code)
{
    switch (kind) {
    case ORG_KIND_PERSON: return fiscal_code_person_ok(code);
    case ORG_KIND_COMPANY: return fiscal_code_person_ok(code) || fiscal_code_company_ok(code);
    default: return fiscal_code_company_ok(code);
    }
}

static const char *check_ids(org_profile *p, const char **why)
{
    bool pa = p->kind == ORG_KIND_PUBLIC;
    if (!normalize_id(p->vat_id, sizeof p->vat_id))
        return *why = N_("Enter the VAT ID as its country prefix and 2 to 13 letters or digits, like IT12345678903."),
               "vat_id";
    vat_id_status vat = p->vat_id[0] ? vat_id_check(p->vat_id) : VAT_ID_OK;
    if (vat != VAT_ID_OK)
        return *why = vat_id_reason(p->vat_id, vat), "vat_id";
    if (!normalize_id(p->fiscal_code, sizeof p->fiscal_code) ||
        (p->fiscal_code[0] && !fiscal_code_fits(p->kind, p->fiscal_code))) {
        *why = p->kind == ORG_KIND_PERSON ? N_("This is not a valid fiscal code: a person's has 16 characters.")
               : p->kind == ORG_KIND_COMPANY
                   ? N_("This is not a valid fiscal code: a company's has 11 digits (or 16 characters for a sole trader).")
                   : N_("This is not a valid fiscal code: a public administration's has 11 digits.");
        return "fiscal_code";
    }
    if (!normalize_id(p->sdi_code, sizeof p->sdi_code) || (p->sdi_code[0] && !sdi_code_ok(p->sdi_code, pa))) {
        *why = pa ? N_("A public administration's office code has 6 letters or digits.")
                  : N_("The recipient code has 7 letters or digits.");
        return "sdi_code";
    }
    return NULL;
}

const char *org_profile_check(db *d, org_profile *p, const char **why)
{
    assert(p->id > 0 && p->kind < ORG_KIND_COUNT);
    size_t name_len = strlen(p->name);
    if (name_len == 0 || !field_text_ok(p->name, name_len))
        return *why = N_("Enter the organization's name."), "name";
    if (!field_text_ok(p->legal_name, strlen(p->legal_name)))
        return *why = N_("This contains characters that are not allowed."), "legal_name";
    const char *bad = check_ids(p, why);
    if (bad)
        return bad;
    field_lowercase(p->pec);
    if (p->pec[0] && !field_email_ok(p->pec))
        return *why = N_("Enter a valid email address, like name@example.com."), "pec";
    if (!strcmp(p->sdi_code, "0000000") && !p->pec[0])
        return *why = N_("With the recipient code 0000000 invoices go to a PEC address: enter it."), "pec";
    if (!p->legal_rep_user_id || !org_user_may(d, p->legal_rep_user_id, p->id, ORG_NEED_MEMBER))
        return *why = N_("The legal representative must be a member of the organization."),
               "legal_representative_user_id";
    return NULL;
}

static void bind_optional(db_stmt *s, int idx, const char *v)
{
    if (v[0])
        db_bind_text(s, idx, v);
    else
        db_bind_null(s, idx);
}

bool org_profile_save(db *d, const org_profile *p)
{
    assert(db_in_tx(d) && p->id > 0 && p->name[0] && p->legal_rep_user_id > 0);
    db_stmt *s = db_prepare(d,
        "UPDATE orgs SET name = $1, kind = $2, legal_name = $3, vat_id = $4, fiscal_code = $5, sdi_code = $6,"
        " pec = $7, legal_rep_user_id = $8 WHERE id = $9 AND deleted_at IS NULL");
    if (!s)
        return false;
    db_bind_text(s, 1, p->name);
    db_bind_text(s, 2, org_kind_names[p->kind]);
    bind_optional(s, 3, p->legal_name);
    bind_optional(s, 4, p->vat_id);
    bind_optional(s, 5, p->fiscal_code);
    bind_optional(s, 6, p->sdi_code);
    bind_optional(s, 7, p->pec);
    db_bind_int64(s, 8, p->legal_rep_user_id);
    db_bind_int64(s, 9, p->id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

bool org_profile_update(http_request *r, const org_profile *p)
{
    json_t *detail = json_pack("{s:s, s:s}", "name", p->name, "kind", org_kind_names[p->kind]);
    bool ok = db_begin(r->db, DB_TX_WRITE) == DB_OK && org_profile_save(r->db, p) &&
              org_audit_record_json(r->db, p->id, r->user_id, "org.profile", detail, r->client_ip) &&
              db_commit(r->db) == DB_OK;
    if (!ok)
        db_rollback(r->db);
    return ok;
}

static json_t *text_or_null(const char *v)
{
    return v[0] ? json_string(v) : json_null();
}

json_t *org_profile_json(const org_profile *p, const char *logo_base)
{
    assert(logo_base);
    json_t *logo = json_null();
    if (p->has_logo)
        logo = json_pack("{s:o, s:s, s:I, s:s}", "url", json_sprintf("%s/logo", logo_base), "content_type",
                         p->logo_type, "size_bytes", (json_int_t)p->logo_bytes, "etag", p->logo_etag);
    json_t *j = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o}", "id", (json_int_t)p->id,
                          "name", p->name, "kind", org_kind_names[p->kind], "legal_name", text_or_null(p->legal_name),
                          "vat_id", text_or_null(p->vat_id), "fiscal_code", text_or_null(p->fiscal_code),
                          "sdi_code", text_or_null(p->sdi_code), "pec", text_or_null(p->pec),
                          "legal_representative_user_id",
                          p->legal_rep_user_id ? json_integer(p->legal_rep_user_id) : json_null(),
                          "personal", (int)p->personal, "logo", logo);
    assert(j);
    return j;
}

bool org_create_named(db *d, const char *name, org_kind kind, int64_t user_id, int64_t *out_id)
{
    assert(kind < ORG_KIND_COUNT && user_id > 0 && name[0]);
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *s = db_prepare(d,
        "INSERT INTO orgs (name, created_at, kind, personal) VALUES ($1, $2, $3, 0) RETURNING id");
    bool ok = s != NULL;
    if (ok) {
        db_bind_text(s, 1, name);
        db_bind_int64(s, 2, (int64_t)time(NULL));
        db_bind_text(s, 3, org_kind_names[kind]);
        ok = db_step(s) == DB_ROW;
        if (ok)
            *out_id = db_col_int64(s, 0);
        db_done(s);
    }
    ok = ok && org_add_member(d, *out_id, user_id, "admin", true) && db_commit(d) == DB_OK;
    if (!ok)
        db_rollback(d);
    return ok;
}

json_t *org_list_json(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT o.id, o.name, o.kind, m.role, m.billing, o.personal,"
        " (SELECT COUNT(*) FROM org_logos l WHERE l.org_id = o.id)"
        " FROM memberships m JOIN orgs o ON o.id = m.org_id"
        " WHERE m.user_id = $1 AND o.deleted_at IS NULL ORDER BY m.created_at, o.id LIMIT $2");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, user_id);
    db_bind_int64(s, 2, ORG_MEMBERS_MAX);
    json_t *list = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        bool admin = !strcmp(db_col_text(s, 3), "admin");
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b}", "id",
                                              (json_int_t)db_col_int64(s, 0), "name", db_col_text(s, 1), "kind",
                                              db_col_text(s, 2), "role", db_col_text(s, 3), "billing",
                                              (int)(admin || db_col_int64(s, 4)), "personal",
                                              (int)(db_col_int64(s, 5) != 0), "has_logo",
                                              (int)(db_col_int64(s, 6) > 0)));
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

org_leave org_may_leave(db *d, int64_t org_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT m.role, COALESCE(o.legal_rep_user_id, 0),"
        " (SELECT COUNT(*) FROM memberships a WHERE a.org_id = m.org_id AND a.role = 'admin')"
        " FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.org_id = $1 AND m.user_id = $2");
    if (!s)
        return ORG_LEAVE_STORE_ERROR;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    db_status st = db_step(s);
    org_leave res = st == DB_DONE ? ORG_LEAVE_NOT_MEMBER : st == DB_ROW ? ORG_LEAVE_OK : ORG_LEAVE_STORE_ERROR;
    if (st == DB_ROW) {
        bool admin = !strcmp(db_col_text(s, 0), "admin");
        if (admin && db_col_int64(s, 2) <= 1)
            res = ORG_LEAVE_LAST_ADMIN;
        else if (db_col_int64(s, 1) == user_id)
            res = ORG_LEAVE_LEGAL_REP;
    }
    db_done(s);
    return res;
}

const char *org_leave_reason(org_leave why)
{
    switch (why) {
    case ORG_LEAVE_OK: return "";
    case ORG_LEAVE_NOT_MEMBER: return N_("This person is not a member of the organization.");
    case ORG_LEAVE_LAST_ADMIN: return N_("The last administrator cannot leave: make someone else an administrator first.");
    case ORG_LEAVE_LEGAL_REP: return N_("The legal representative cannot leave: hand that role to another member first.");
    default: return N_("We could not complete the request and nothing was changed. Try again in a moment.");
    }
}
