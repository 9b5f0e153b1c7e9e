/* service_assign.c - resellers' associate: a reseller assigns one of its
 * services to an end customer's email; the end customer gets the activation
 * instructions and a claim link (/claims/{token}, the token kept as SHA-256),
 * and claiming it into one of their organizations shows them the service
 * read-only while the reseller keeps owning and paying it (see services.h). */
#include "feature/services/services_internal.h"

#include <assert.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/catalog/catalog.h"
#include "feature/orgs/org_audit.h"
#include "feature/orgs/orgs.h"

static service_result fail(http_request *r, service_result res)
{
    db_rollback(r->db);
    return res;
}

static service_result commit(http_request *r)
{
    if (db_commit(r->db) != DB_OK)
        return fail(r, SERVICE_STORE_ERROR);
    return SERVICE_OK;
}

/* -1 store error, 0 none, 1 unclaimed, 2 claimed: the assignment of service id. */
static int assignment_state(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT claimed_at IS NOT NULL FROM service_assignments WHERE service_id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_status st = db_step(s);
    int state = st == DB_ROW ? (db_col_int64(s, 0) ? 2 : 1) : st == DB_DONE ? 0 : -1;
    db_done(s);
    return state;
}

static bool insert_assignment(db *d, int64_t id, const char *email, const char *hash)
{
    db_stmt *s = db_prepare(d, "DELETE FROM service_assignments WHERE service_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    if (db_exec1(s) != DB_DONE)
        return false;
    s = db_prepare(d, "INSERT INTO service_assignments (service_id, email, token_sha256, created_at)"
                      " VALUES ($1, $2, $3, $4)");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, email);
    db_bind_text(s, 3, hash);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE;
}

/* The end customer's mail: in their language when the address has an
 * account, else the reseller's. */
static bool mail_assignment(http_request *r, const service *s, const char *email, const char *token)
{
    auth_user u;
    int64_t existing = auth_user_id_by_email(r->db, email);
    char lang[3];
    if (existing > 0 && auth_user_get(r, existing, &u) && u.language)
        snprintf(lang, sizeof lang, "%s", u.language);
    else
        notify_language(r->db, s->org_id, lang); /* English when unreadable */
    char reseller[ORG_NAME_MAX + 1];
    json_t *data = service_mail_data(r, s, lang);
    if (!data || !org_name(r->db, s->org_id, reseller, sizeof reseller)) {
        json_decref(data);
        return false;
    }
    json_object_set_new(data, "reseller", json_string(reseller));
    json_object_set_new(data, "link", json_string(arena_printf(r->a, "%s/claims/%s", r->app->cfg->base_url, token)));
    return service_mail_send(r, email, "service_assigned", lang, data);
}

service_result service_assign(http_request *r, int64_t org_id, int64_t id, const char *email)
{
    assert(org_id > 0 && id > 0 && email && *email);
    if (!catalog_is_reseller(r->db, org_id))
        return SERVICE_NOT_RESELLER;
    char token[SECRET_TOKEN_CHARS + 1], hash[SECRET_HASH_HEX + 1];
    secret_token_new(token);
    secret_token_hash(token, hash);
    service s;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return SERVICE_STORE_ERROR;
    int found = service_get(r->db, org_id, id, &s);
    if (found <= 0)
        return fail(r, found < 0 ? SERVICE_STORE_ERROR : SERVICE_NOT_FOUND);
    int state = assignment_state(r->db, id);
    if (state < 0 || state == 2)
        return fail(r, state < 0 ? SERVICE_STORE_ERROR : SERVICE_ALREADY_CLAIMED);
    if (s.status == SERVICE_TERMINATED || s.status == SERVICE_CANCELLED)
        return fail(r, SERVICE_BAD_TRANSITION);
    json_t *detail = json_pack("{s:I, s:s}", "service_id", (json_int_t)id, "email", email);
    if (!insert_assignment(r->db, id, email, hash) ||
        !org_audit_record_json(r->db, org_id, r->user_id, "service.assigned", detail, r->client_ip) ||
        !mail_assignment(r, &s, email, token))
        return fail(r, SERVICE_STORE_ERROR);
    return commit(r);
}

service_result service_unassign(http_request *r, int64_t org_id, int64_t id)
{
    assert(org_id > 0 && id > 0);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return SERVICE_STORE_ERROR;
    db_stmt *s = db_prepare(r->db,
        "DELETE FROM service_assignments WHERE service_id = $1"
        " AND service_id IN (SELECT x.id FROM services x WHERE x.org_id = $2) RETURNING email");
    if (!s)
        return fail(r, SERVICE_STORE_ERROR);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    db_status st = db_step(s);
    const char *email = st == DB_ROW ? arena_strdup(r->a, db_col_text(s, 0)) : NULL;
    db_done(s);
    if (!email)
        return fail(r, st == DB_DONE ? SERVICE_NOT_FOUND : SERVICE_STORE_ERROR);
    json_t *detail = json_pack("{s:I, s:s}", "service_id", (json_int_t)id, "email", email);
    if (!org_audit_record_json(r->db, org_id, r->user_id, "service.unassigned", detail, r->client_ip))
        return fail(r, SERVICE_STORE_ERROR);
    return commit(r);
}

/* The unclaimed assignment of token: its service and owner. 1, 0 or -1. */
static int claim_find(http_request *r, const char *token, int64_t *service_id, int64_t *owner, int64_t *product_id)
{
    char hash[SECRET_HASH_HEX + 1];
    if (!token || strlen(token) != SECRET_TOKEN_CHARS)
        return 0;
    secret_token_hash(token, hash);
    db_stmt *s = db_prepare(r->db,
        "SELECT a.service_id, s.org_id, s.product_id FROM service_assignments a JOIN services s ON s.id = a.service_id"
        " WHERE a.token_sha256 = $1 AND a.claimed_at IS NULL");
    if (!s)
        return -1;
    db_bind_text(s, 1, hash);
    db_status st = db_step(s);
    if (st == DB_ROW)
        *service_id = db_col_int64(s, 0), *owner = db_col_int64(s, 1), *product_id = db_col_int64(s, 2);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

int service_claim_lookup(http_request *r, const char *token, int64_t *service_id, const char **product,
                         const char **reseller)
{
    int64_t owner, product_id;
    int found = claim_find(r, token, service_id, &owner, &product_id);
    catalog_product p;
    char name[ORG_NAME_MAX + 1];
    if (found != 1)
        return found;
    if (catalog_product_get(r->db, product_id, &p) != 1 || !org_name(r->db, owner, name, sizeof name))
        return -1;
    *product = arena_strdup(r->a, catalog_product_name(&p, r->lang));
    *reseller = arena_strdup(r->a, name);
    return 1;
}

service_result service_claim(http_request *r, const char *token, int64_t org_id, int64_t *service_id)
{
    assert(r->user_id > 0);
    int64_t owner, product_id;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return SERVICE_STORE_ERROR;
    int found = claim_find(r, token, service_id, &owner, &product_id);
    if (found <= 0)
        return fail(r, found < 0 ? SERVICE_STORE_ERROR : SERVICE_NOT_FOUND);
    if (!org_user_may(r->db, r->user_id, org_id, ORG_NEED_ADMIN) || org_id == owner)
        return fail(r, SERVICE_BAD_ORG);
    db_stmt *s = db_prepare(r->db,
        "UPDATE service_assignments SET claimed_at = $1, claimed_org_id = $2 WHERE service_id = $3"
        " AND claimed_at IS NULL RETURNING id");
    if (!s)
        return fail(r, SERVICE_STORE_ERROR);
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, org_id);
    db_bind_int64(s, 3, *service_id);
    db_status st = db_step(s);
    db_done(s);
    if (st != DB_ROW)
        return fail(r, st == DB_DONE ? SERVICE_NOT_FOUND : SERVICE_STORE_ERROR);
    json_t *d = json_pack("{s:I, s:I, s:I}", "service_id", (json_int_t)*service_id, "owner_org_id",
                          (json_int_t)owner, "claimed_org_id", (json_int_t)org_id);
    if (!org_audit_record_json(r->db, owner, 0, "service.claimed", json_deep_copy(d), NULL) ||
        !org_audit_record_json(r->db, org_id, r->user_id, "service.claimed", d, r->client_ip))
        return fail(r, SERVICE_STORE_ERROR);
    return commit(r);
}
