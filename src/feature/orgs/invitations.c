/* invitations.c - see invitations.h: creating, mailing, cancelling, looking up
 * and accepting invitations. The link's token is 32 random bytes; the store
 * keeps only its SHA-256 (as email links do), and accepting is a guarded
 * UPDATE ... WHERE accepted_at IS NULL, so a link works once. */
#include "feature/orgs/invitations.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/auth/secret.h"
#include "feature/orgs/org_audit.h"
#include "http/json_in.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

/* The access scope as stored (compact JSON text, in the arena). */
static const char *access_text(http_request *r, const member_access *a)
{
    json_t *j = member_access_json(a);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        abort(); /* out of memory */
    const char *copy = arena_strdup(r->a, text);
    free(text);
    return copy;
}

/* Rights from a stored row: role, billing, access text. */
static void rights_from_row(const char *role, int64_t billing, const char *access, member_rights *out)
{
    const char *why;
    json_t *j = json_loads(access, 0, NULL);
    *out = (member_rights){.admin = !strcmp(role, "admin"), .billing = billing != 0};
    if (!j || !member_access_parse(j, &out->access, &why))
        out->access = (member_access){.all = false}; /* unreadable: the narrowest scope */
    json_decref(j);
    member_rights_normalize(out);
}

static bool send_mail(http_request *r, const char *to, const char *lang, const char *inviter, const char *org,
                      const char *token)
{
    const char *link = arena_printf(r->a, "%s/invitations/%s", r->app->cfg->base_url, token);
    json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "inviter", inviter, "organization", org, "link", link,
                             "provider", r->app->cfg->provider.name);
    const char *subject, *body;
    bool ok = mail_render(r->app, r->a, "invitation", lang, data, &subject, &body) &&
              outbox_enqueue(r->db, to, subject, body);
    json_decref(data);
    return ok;
}

/* Inside the write transaction: cancels the address's pending invitation and
 * counts the others; false on a store error. */
static bool make_room(db *d, int64_t org_id, const char *email, int64_t now, int64_t *pending)
{
    db_stmt *s = db_prepare(d,
        "UPDATE invitations SET cancelled_at = $1 WHERE org_id = $2 AND email = $3"
        " AND accepted_at IS NULL AND cancelled_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, org_id);
    db_bind_text(s, 3, email);
    if (db_exec1(s) != DB_DONE || !(s = db_prepare(d,
        "SELECT COUNT(*) FROM invitations WHERE org_id = $1 AND accepted_at IS NULL AND cancelled_at IS NULL"
        " AND expires_at > $2")))
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, now);
    *pending = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_done(s);
    return *pending >= 0;
}

static int64_t insert_invitation(http_request *r, int64_t org_id, const char *email, const member_rights *m,
                                 const char *hash, int64_t now)
{
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO invitations (org_id, email, token_hash, role, billing, access, invited_by, created_at,"
        " expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
    if (!s)
        return 0;
    db_bind_int64(s, 1, org_id);
    db_bind_text(s, 2, email);
    db_bind_text(s, 3, hash);
    db_bind_text(s, 4, m->admin ? "admin" : "member");
    db_bind_int64(s, 5, m->billing);
    db_bind_text(s, 6, access_text(r, &m->access));
    db_bind_int64(s, 7, r->user_id);
    db_bind_int64(s, 8, now);
    db_bind_int64(s, 9, now + INVITATION_TTL_S);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return id;
}

/* The mail's language: the invitee's when the address has an account, else
 * the inviting administrator's. Sets *member when the invitee is in org_id. */
static bool pick_language(http_request *r, int64_t org_id, const char *email, const auth_user *inviter,
                          const char **lang, bool *member)
{
    int64_t existing = auth_user_id_by_email(r->db, email);
    auth_user u;
    *lang = inviter->language;
    *member = false;
    if (existing < 0 || (existing > 0 && !auth_user_get(r, existing, &u)))
        return false;
    if (existing > 0) {
        *lang = u.language;
        *member = org_user_may(r->db, existing, org_id, ORG_NEED_MEMBER);
    }
    return true;
}

static invite_result failed(http_request *r, invite_result res)
{
    db_rollback(r->db);
    return res;
}

invite_result invitation_create(http_request *r, int64_t org_id, const char *email, const member_rights *rights,
                                int64_t *id)
{
    assert(org_id > 0 && r->user_id > 0 && email && *email);
    member_rights m = *rights;
    member_rights_normalize(&m);
    auth_user inviter;
    char org[ORG_NAME_MAX + 1], token[SECRET_TOKEN_CHARS + 1], hash[SECRET_HASH_HEX + 1];
    const char *lang;
    bool member;
    if (!auth_user_get(r, r->user_id, &inviter) || !org_name(r->db, org_id, org, sizeof org) ||
        !pick_language(r, org_id, email, &inviter, &lang, &member))
        return INVITE_STORE_ERROR;
    if (member)
        return INVITE_ALREADY_MEMBER;
    secret_token_new(token);
    secret_token_hash(token, hash);
    int64_t now = (int64_t)time(NULL), pending;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return INVITE_STORE_ERROR;
    if (!members_lock_org(r->db, org_id) || !make_room(r->db, org_id, email, now, &pending))
        return failed(r, INVITE_STORE_ERROR);
    if (pending >= INVITATIONS_PENDING_MAX)
        return failed(r, INVITE_TOO_MANY);
    *id = insert_invitation(r, org_id, email, &m, hash, now);
    json_t *detail = json_pack("{s:I, s:s, s:s, s:b, s:o}", "invitation_id", (json_int_t)*id, "email", email,
                               "role", m.admin ? "admin" : "member", "billing", m.billing, "access",
                               member_access_json(&m.access));
    if (!*id || !send_mail(r, email, lang, inviter.name, org, token) ||
        !org_audit_record_json(r->db, org_id, r->user_id, "invitation.sent", detail, r->client_ip) ||
        db_commit(r->db) != DB_OK)
        return failed(r, INVITE_STORE_ERROR);
    return INVITE_OK;
}

invite_result invitation_cancel(http_request *r, int64_t org_id, int64_t id)
{
    int64_t now = (int64_t)time(NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return INVITE_STORE_ERROR;
    db_stmt *s = db_prepare(r->db,
        "UPDATE invitations SET cancelled_at = $1 WHERE id = $2 AND org_id = $3 AND accepted_at IS NULL"
        " AND cancelled_at IS NULL AND expires_at > $1 RETURNING email");
    if (!s)
        return failed(r, INVITE_STORE_ERROR);
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, id);
    db_bind_int64(s, 3, org_id);
    db_status st = db_step(s);
    const char *email = st == DB_ROW ? arena_strdup(r->a, db_col_text(s, 0)) : NULL;
    db_done(s);
    if (!email)
        return failed(r, st == DB_DONE ? INVITE_NOT_FOUND : INVITE_STORE_ERROR);
    json_t *detail = json_pack("{s:I, s:s}", "invitation_id", (json_int_t)id, "email", email);
    if (!org_audit_record_json(r->db, org_id, r->user_id, "invitation.cancelled", detail, r->client_ip) ||
        db_commit(r->db) != DB_OK)
        return failed(r, INVITE_STORE_ERROR);
    return INVITE_OK;
}

json_t *invitations_pending_json(http_request *r, int64_t org_id)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT id, email, role, billing, access, created_at, expires_at, invited_by FROM invitations"
        " WHERE org_id = $1 AND accepted_at IS NULL AND cancelled_at IS NULL AND expires_at > $2"
        " ORDER BY id LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, INVITATIONS_PENDING_MAX);
    json_t *list = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        member_rights m;
        rights_from_row(db_col_text(s, 2), db_col_int64(s, 3), db_col_text(s, 4), &m);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b, s:o, s:o, s:o, s:I}",
            "id", (json_int_t)db_col_int64(s, 0), "email", db_col_text(s, 1), "role", m.admin ? "admin" : "member",
            "billing", m.billing, "access", member_access_json(&m.access), "created_at", jout_time(db_col_int64(s, 5)),
            "expires_at", jout_time(db_col_int64(s, 6)), "invited_by", (json_int_t)db_col_int64(s, 7)));
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* Reads the pending invitation of token into out (without the names). */
static invite_result find_pending(http_request *r, const char *token, invitation_view *out, int64_t *inviter)
{
    char hash[SECRET_HASH_HEX + 1];
    memset(out, 0, sizeof *out);
    if (!token || strlen(token) != SECRET_TOKEN_CHARS)
        return INVITE_NOT_FOUND;
    secret_token_hash(token, hash);
    db_stmt *s = db_prepare(r->db,
        "SELECT id, org_id, email, role, billing, access, invited_by, expires_at FROM invitations"
        " WHERE token_hash = $1 AND accepted_at IS NULL AND cancelled_at IS NULL AND expires_at > $2");
    if (!s)
        return INVITE_STORE_ERROR;
    db_bind_text(s, 1, hash);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_status st = db_step(s);
    if (st == DB_ROW) {
        out->id = db_col_int64(s, 0);
        out->org_id = db_col_int64(s, 1);
        out->email = arena_strdup(r->a, db_col_text(s, 2));
        rights_from_row(db_col_text(s, 3), db_col_int64(s, 4), db_col_text(s, 5), &out->rights);
        *inviter = db_col_int64(s, 6);
        out->expires_at = db_col_int64(s, 7);
    }
    db_done(s);
    return st == DB_ROW ? INVITE_OK : st == DB_DONE ? INVITE_NOT_FOUND : INVITE_STORE_ERROR;
}

invite_result invitation_lookup(http_request *r, const char *token, invitation_view *out)
{
    int64_t inviter_id = 0;
    invite_result res = find_pending(r, token, out, &inviter_id);
    if (res != INVITE_OK)
        return res;
    char org[ORG_NAME_MAX + 1];
    auth_user inviter;
    if (!org_name(r->db, out->org_id, org, sizeof org))
        return INVITE_NOT_FOUND;
    out->org_name = arena_strdup(r->a, org);
    out->inviter_name = auth_user_get(r, inviter_id, &inviter) ? inviter.name : "";
    int64_t existing = auth_user_id_by_email(r->db, out->email);
    if (existing < 0)
        return INVITE_STORE_ERROR;
    out->has_account = existing > 0;
    return INVITE_OK;
}

/* Marks the invitation accepted by user_id; false when someone was quicker. */
static bool mark_accepted(db *d, int64_t id, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "UPDATE invitations SET accepted_at = $1, accepted_by = $2 WHERE id = $3 AND accepted_at IS NULL"
        " AND cancelled_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, user_id);
    db_bind_int64(s, 3, id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

/* Who joins: the signed-in user (whose email must be the invited one), or a
 * new verified account for the invited address. */
static invite_result joining_user(http_request *r, const invitation_view *v, int64_t user_id,
                                  const auth_signup_in *account, const char *pwhash, int64_t *joined)
{
    if (user_id) {
        auth_user u;
        if (!auth_user_get(r, user_id, &u))
            return INVITE_STORE_ERROR;
        if (strcmp(u.email, v->email))
            return INVITE_WRONG_EMAIL;
        *joined = user_id;
        return INVITE_OK;
    }
    db_status st = auth_user_create_verified(r->db, v->email, pwhash, account->name, account->country,
                                             account->lang, joined);
    return st == DB_OK ? INVITE_OK : st == DB_CONSTRAINT ? INVITE_EMAIL_TAKEN : INVITE_STORE_ERROR;
}

invite_result invitation_accept(http_request *r, const char *token, int64_t user_id, const auth_signup_in *account,
                                int64_t *joined_user, invitation_view *out)
{
    assert(user_id > 0 || (account && account->password && account->name && account->country && account->lang));
    char pwhash[SECRET_PWHASH_MAX] = "";
    int64_t inviter = 0;
    if (!user_id && !secret_password_hash(account->password, pwhash))
        return INVITE_STORE_ERROR;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return INVITE_STORE_ERROR;
    invite_result res = find_pending(r, token, out, &inviter);
    if (res == INVITE_OK)
        res = joining_user(r, out, user_id, account, pwhash, joined_user);
    if (res != INVITE_OK)
        return failed(r, res);
    if (!mark_accepted(r->db, out->id, *joined_user))
        return failed(r, INVITE_NOT_FOUND);
    db_status st = members_join(r->db, out->org_id, *joined_user, &out->rights);
    if (st != DB_OK)
        return failed(r, st == DB_CONSTRAINT ? INVITE_ALREADY_MEMBER : INVITE_STORE_ERROR);
    json_t *detail = json_pack("{s:I, s:s, s:s, s:b, s:b}", "invitation_id", (json_int_t)out->id, "email",
                               out->email, "role", out->rights.admin ? "admin" : "member", "billing",
                               out->rights.billing, "account_created", user_id == 0);
    char org[ORG_NAME_MAX + 1] = "";
    if (!org_audit_record_json(r->db, out->org_id, *joined_user, "invitation.accepted", detail, r->client_ip) ||
        !org_name(r->db, out->org_id, org, sizeof org) || db_commit(r->db) != DB_OK)
        return failed(r, INVITE_STORE_ERROR);
    out->org_name = arena_strdup(r->a, org);
    out->has_account = true;
    return INVITE_OK;
}
