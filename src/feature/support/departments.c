/* departments.c - the departments tickets are filed under and their
 * first-response targets (see support.h). */
#include "feature/support/support.h"

#include <stdio.h>
#include <string.h>

#define DEPT_COLS "id, code, name_en, name_it, sla_normal_min, sla_high_min, duty_email, active"

static void read_dept(db_stmt *s, support_department *out)
{
    *out = (support_department){.id = db_col_int64(s, 0), .active = db_col_int64(s, 7) != 0};
    snprintf(out->code, sizeof out->code, "%s", db_col_text(s, 1));
    snprintf(out->name_en, sizeof out->name_en, "%s", db_col_text(s, 2));
    snprintf(out->name_it, sizeof out->name_it, "%s", db_col_text(s, 3));
    out->sla_min[SUPPORT_NORMAL] = (int)db_col_int64(s, 4);
    out->sla_min[SUPPORT_HIGH] = (int)db_col_int64(s, 5);
    snprintf(out->duty_email, sizeof out->duty_email, "%s", db_col_text(s, 6));
}

int support_department_by_code(db *d, const char *code, support_department *out)
{
    db_stmt *s = db_prepare(d, "SELECT " DEPT_COLS " FROM support_departments WHERE code = $1");
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    db_status st = db_step(s);
    if (st == DB_ROW)
        read_dept(s, out);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

int support_department_list(db *d, support_department *out, size_t max)
{
    db_stmt *s = db_prepare(d, "SELECT " DEPT_COLS " FROM support_departments ORDER BY id");
    if (!s)
        return -1;
    size_t n = 0;
    db_status st = DB_DONE;
    while (n < max && (st = db_step(s)) == DB_ROW)
        read_dept(s, &out[n++]);
    db_done(s);
    return n == max || st == DB_DONE ? (int)n : -1;
}

json_t *support_department_json(const support_department *dep, const char *lang, bool staff)
{
    json_t *j = json_pack("{s:s, s:s, s:{s:i, s:i}}", "code", dep->code, "name",
                          lang && !strcmp(lang, "it") ? dep->name_it : dep->name_en, "sla_minutes", "normal",
                          dep->sla_min[SUPPORT_NORMAL], "high", dep->sla_min[SUPPORT_HIGH]);
    if (staff) {
        json_object_set_new(j, "duty_email", json_string(dep->duty_email));
        json_object_set_new(j, "active", json_boolean(dep->active));
    }
    return j;
}
