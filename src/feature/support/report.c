/* report.c - the staff report of first-response times per department for one
 * month (tickets opened in that month in Italy; merged duplicates left out):
 * how many, how many answered, the median and 95th percentile of the minutes
 * to the first staff answer (nearest rank over the answered ones), and the
 * breaches (answered late, or closed unanswered or still unanswered past the
 * target: support_breached). */
#include "feature/support/support_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/period.h"
#include "core/zone.h"

enum { REPORT_DEPTS_MAX = 50, REPORT_TICKETS_MAX = 200000 };

typedef struct dept_stats {
    const char *code, *name;
    int64_t count, breaches;
    int64_t *secs; /* first-response seconds of the answered ones */
} dept_stats;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least pct% of the values at or below it. */
static int64_t percentile(const int64_t *sorted, int64_t n, int pct)
{
    int64_t rank = (n * pct + 99) / 100;
    return sorted[rank > 0 ? rank - 1 : 0];
}

static json_t *minutes(int64_t secs)
{
    return json_real((double)((secs * 10 + 30) / 60) / 10.0); /* tenths of a minute, rounded half up */
}

bool support_month_bounds(const char *month, int64_t *from, int64_t *to)
{
    char first[11], next[11];
    int64_t day, end;
    if (!month || strlen(month) != 7)
        return false;
    snprintf(first, sizeof first, "%s-01", month);
    if (!period_parse_date(first, &day) || strcmp(first, "2000") < 0 || !period_date_text(period_add(day, 1), next))
        return false;
    return zone_provider_day(first, from, &end) && zone_provider_day(next, to, &end);
}

json_t *support_report(http_request *r, int64_t from, int64_t to)
{
    support_department *deps = arena_alloc(r->a, sizeof *deps * REPORT_DEPTS_MAX);
    int nd = support_department_list(r->db, deps, REPORT_DEPTS_MAX);
    if (nd < 0)
        return NULL;
    dept_stats *st = arena_alloc(r->a, sizeof *st * (size_t)(nd ? nd : 1));
    for (int i = 0; i < nd; i++)
        st[i] = (dept_stats){.code = deps[i].code, .name = deps[i].name_en};
    db_stmt *s = db_prepare(r->db,
        "SELECT department_id, created_at, first_response_at, first_response_due_at, closed_at FROM support_tickets"
        " WHERE created_at >= $1 AND created_at < $2 AND merged_into IS NULL LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, from);
    db_bind_int64(s, 2, to);
    db_bind_int64(s, 3, REPORT_TICKETS_MAX);
    int64_t *all = malloc(sizeof *all * REPORT_TICKETS_MAX * 2);
    int *dep_of = malloc(sizeof *dep_of * REPORT_TICKETS_MAX);
    if (!all || !dep_of)
        abort();
    int64_t n = 0, now = (int64_t)time(NULL);
    db_status rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int k = 0;
        while (k < nd && deps[k].id != db_col_int64(s, 0))
            k++;
        if (k == nd)
            continue;
        bool answered = !db_col_is_null(s, 2);
        int64_t created = db_col_int64(s, 1), first = answered ? db_col_int64(s, 2) : 0, due = db_col_int64(s, 3);
        st[k].count++;
        int64_t until = answered ? first : !db_col_is_null(s, 4) ? db_col_int64(s, 4) : now;
        st[k].breaches += until > due;
        if (answered) {
            dep_of[n] = k;
            all[n++] = first - created;
        }
    }
    db_done(s);
    json_t *out = NULL;
    if (rc == DB_DONE) {
        out = json_array();
        for (int k = 0; k < nd; k++) {
            int64_t *v = all + REPORT_TICKETS_MAX, m = 0;
            for (int64_t i = 0; i < n; i++)
                if (dep_of[i] == k)
                    v[m++] = all[i];
            qsort(v, (size_t)m, sizeof *v, cmp_i64);
            json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:I}", "department", st[k].code,
                                                 "name", st[k].name, "tickets", (json_int_t)st[k].count, "answered",
                                                 (json_int_t)m, "median_minutes",
                                                 m ? minutes(percentile(v, m, 50)) : json_null(), "p95_minutes",
                                                 m ? minutes(percentile(v, m, 95)) : json_null(), "breaches",
                                                 (json_int_t)st[k].breaches));
        }
    }
    free(all);
    free(dep_of);
    return out;
}
