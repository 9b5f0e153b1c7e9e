/* notify.c - where an organization's mail of each kind goes: the address set
 * for that kind, else the organization's first administrator (orgs.h) and
 * their email (auth.h); and in what language, the administrator's. See
 * addresses.h. */
#include "feature/addresses/addresses.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"

const char *const notify_kind_names[NOTIFY_KIND_COUNT] = {"billing", "support", "abuse", "status"};

static int kind_index(const char *name)
{
    for (int k = 0; k < NOTIFY_KIND_COUNT; k++)
        if (!strcmp(notify_kind_names[k], name))
            return k;
    return -1;
}

/* The first administrator's email into out ("" when there is none); false
 * on a store error (an administrator's account always has an email). */
static bool fallback_email(db *d, int64_t org_id, char out[FIELD_EMAIL_MAX + 1])
{
    out[0] = '\0';
    int64_t admin = org_first_admin(d, org_id);
    return admin == 0 || (admin > 0 && auth_user_email(d, admin, out, FIELD_EMAIL_MAX + 1));
}

bool notify_addresses_get(db *d, int64_t org_id, notify_entry out[NOTIFY_KIND_COUNT])
{
    memset(out, 0, sizeof *out * NOTIFY_KIND_COUNT);
    db_stmt *s = db_prepare(d, "SELECT kind, email FROM notification_addresses WHERE org_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    int rows = 0;
    db_status st;
    while (rows < NOTIFY_KIND_COUNT && (st = db_step(s)) == DB_ROW) {
        rows++;
        int k = kind_index(db_col_text(s, 0));
        assert(k >= 0); /* the CHECK constraint allows these kinds only */
        if (k >= 0)
            snprintf(out[k].address, sizeof out[k].address, "%s", db_col_text(s, 1));
    }
    db_done(s);
    char admin[FIELD_EMAIL_MAX + 1];
    if ((st != DB_ROW && st != DB_DONE) || !fallback_email(d, org_id, admin))
        return false;
    for (int k = 0; k < NOTIFY_KIND_COUNT; k++) {
        out[k].fallback = !out[k].address[0];
        snprintf(out[k].effective, sizeof out[k].effective, "%s", out[k].fallback ? admin : out[k].address);
    }
    return true;
}

int notify_address(db *d, int64_t org_id, notify_kind kind, char out[FIELD_EMAIL_MAX + 1])
{
    assert(kind >= 0 && kind < NOTIFY_KIND_COUNT);
    notify_entry e[NOTIFY_KIND_COUNT];
    if (!notify_addresses_get(d, org_id, e))
        return -1;
    snprintf(out, FIELD_EMAIL_MAX + 1, "%s", e[kind].effective);
    return out[0] ? 1 : 0;
}

bool notify_language(db *d, int64_t org_id, char out[3])
{
    memcpy(out, "en", 3);
    int64_t admin = org_first_admin(d, org_id);
    return admin == 0 || (admin > 0 && auth_user_language(d, admin, out));
}

bool notify_addresses_set(db *d, int64_t org_id, const char *const emails[NOTIFY_KIND_COUNT])
{
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *s = db_prepare(d, "DELETE FROM notification_addresses WHERE org_id = $1");
    bool ok = s != NULL;
    if (ok) {
        db_bind_int64(s, 1, org_id);
        ok = db_exec1(s) == DB_DONE;
    }
    for (int k = 0; ok && k < NOTIFY_KIND_COUNT; k++) {
        if (!emails[k])
            continue;
        assert(field_email_ok(emails[k]));
        s = db_prepare(d, "INSERT INTO notification_addresses (org_id, kind, email, updated_at) VALUES ($1, $2, $3, $4)");
        ok = s != NULL;
        if (!ok)
            break;
        db_bind_int64(s, 1, org_id);
        db_bind_text(s, 2, notify_kind_names[k]);
        db_bind_text(s, 3, emails[k]);
        db_bind_int64(s, 4, (int64_t)time(NULL));
        ok = db_exec1(s) == DB_DONE;
    }
    if (ok && db_commit(d) == DB_OK)
        return true;
    db_rollback(d);
    return false;
}

json_t *notify_addresses_json(db *d, int64_t org_id)
{
    notify_entry e[NOTIFY_KIND_COUNT];
    if (!notify_addresses_get(d, org_id, e))
        return NULL;
    json_t *o = json_object();
    for (int k = 0; k < NOTIFY_KIND_COUNT; k++)
        json_object_set_new(o, notify_kind_names[k],
                            json_pack("{s:o, s:o, s:b}", "address", e[k].address[0] ? json_string(e[k].address) : json_null(),
                                      "effective", e[k].effective[0] ? json_string(e[k].effective) : json_null(),
                                      "fallback", e[k].fallback));
    return o;
}
