/* cmd_copy.c - `saldo migrate --copy-from sqlite:PATH`: moves a (live) SQLite
 * installation into an empty PostgreSQL database.
 *
 * The tables, their columns and their foreign keys come from the SQLite schema
 * itself (sqlite_master, pragma_table_info, pragma_foreign_key_list), so no
 * list here can rot as migrations add tables. The source is read inside one
 * read transaction (one snapshot while the server keeps writing); the target
 * is written inside one transaction, parents before children, and each
 * identity sequence is then moved past the largest id. "Empty" means every
 * table holds exactly the rows a fresh migration leaves (seed rows, e.g. VAT
 * rates), measured on a fresh in-memory SQLite database; those seed rows are
 * replaced by the source's. schema_migrations is not copied: both sides must
 * be at the same versions, the target having migrated itself. */
#include "cmd/cmd_copy.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "feature/ledger/ledger.h"
#include "store/migrate.h"

enum { COPY_MAX_TABLES = 256, COPY_MAX_COLS = 64, COPY_MAX_SQL = COPY_MAX_TABLES * 8, COPY_ERR_MAX = 8192 };

typedef struct copy_table {
    char *name;
    char *cols[COPY_MAX_COLS];
    int ncols;
    char *deps[COPY_MAX_COLS]; /* tables this one references */
    int ndeps;
    bool self_ref;
    bool done;
    int64_t fresh_rows; /* rows a fresh migration leaves */
    int64_t copied;
} copy_table;

typedef struct copy_run {
    db *src, *dst;
    copy_table tables[COPY_MAX_TABLES];
    int ntables;
    copy_table *order[COPY_MAX_TABLES];
    char *sql[COPY_MAX_SQL]; /* dynamic statements: db_prepare caches by pointer */
    int nsql;
    char err[COPY_ERR_MAX + 64]; /* room for a refusal naming every table */
} copy_run;

static char *xstrdup(const char *s)
{
    char *r = strdup(s ? s : "");
    if (!r)
        abort();
    return r;
}

static bool fail(copy_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return false;
}

/* A statement built at run time, kept alive until the connections close. */
static const char *dyn_sql(copy_run *r, const char *fmt, ...)
{
    assert(r->nsql < COPY_MAX_SQL);
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    r->sql[r->nsql++] = s;
    return s;
}

/* Table and column names come from our own schema; quoting keeps them inert
 * all the same. Names with a double quote are refused where they are read. */
static bool plain_name(const char *s) { return s && *s && !strchr(s, '"'); }

static bool read_columns(copy_run *r, copy_table *t)
{
    db_stmt *s = db_prepare(r->src, "SELECT name FROM pragma_table_info($1) ORDER BY cid");
    if (!s)
        return fail(r, "source: %s", db_errmsg(r->src));
    db_bind_text(s, 1, t->name);
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        const char *c = db_col_text(s, 0);
        if (!plain_name(c) || t->ncols == COPY_MAX_COLS) {
            db_done(s);
            return fail(r, "source: a column name of %s, or its number of columns, is not supported", t->name);
        }
        t->cols[t->ncols++] = xstrdup(c);
    }
    db_done(s);
    if (st != DB_DONE)
        return fail(r, "source: columns of %s: %s", t->name, db_errmsg(r->src));
    s = db_prepare(r->src, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)");
    if (!s)
        return fail(r, "source: %s", db_errmsg(r->src));
    db_bind_text(s, 1, t->name);
    while ((st = db_step(s)) == DB_ROW) {
        const char *p = db_col_text(s, 0);
        if (t->ndeps == COPY_MAX_COLS) {
            db_done(s);
            return fail(r, "source: %s references too many tables", t->name);
        }
        if (!strcmp(p, t->name))
            t->self_ref = true;
        else
            t->deps[t->ndeps++] = xstrdup(p);
    }
    db_done(s);
    return st == DB_DONE || fail(r, "source: foreign keys of %s: %s", t->name, db_errmsg(r->src));
}

static bool read_schema(copy_run *r)
{
    db_stmt *s = db_prepare(r->src, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                    " AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations' ORDER BY name");
    if (!s)
        return fail(r, "source: %s", db_errmsg(r->src));
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        if (r->ntables == COPY_MAX_TABLES || !plain_name(db_col_text(s, 0))) {
            db_done(s);
            return fail(r, "source: too many tables or an unsupported table name");
        }
        r->tables[r->ntables++].name = xstrdup(db_col_text(s, 0));
    }
    db_done(s);
    if (st != DB_DONE)
        return fail(r, "source: %s", db_errmsg(r->src));
    if (r->ntables == 0)
        return fail(r, "source: no tables: not a saldo database");
    for (int i = 0; i < r->ntables; i++)
        if (!read_columns(r, &r->tables[i]))
            return false;
    return true;
}

static copy_table *find_table(copy_run *r, const char *name)
{
    for (int i = 0; i < r->ntables; i++)
        if (!strcmp(r->tables[i].name, name))
            return &r->tables[i];
    return NULL;
}

/* Parents before children (Kahn's algorithm over the foreign keys). */
static bool order_tables(copy_run *r)
{
    int n = 0;
    for (bool progress = true; progress && n < r->ntables;) {
        progress = false;
        for (int i = 0; i < r->ntables; i++) {
            copy_table *t = &r->tables[i];
            bool ready = !t->done;
            for (int d = 0; ready && d < t->ndeps; d++) {
                copy_table *p = find_table(r, t->deps[d]);
                ready = p && p->done;
            }
            if (ready) {
                t->done = progress = true;
                r->order[n++] = t;
            }
        }
    }
    if (n == r->ntables)
        return true;
    for (int i = 0; i < r->ntables; i++)
        if (!r->tables[i].done)
            return fail(r, "source: foreign keys of %s form a cycle or name a missing table", r->tables[i].name);
    return false;
}

static bool same_versions(copy_run *r)
{
    static const char *const q = "SELECT version FROM schema_migrations ORDER BY version";
    db_stmt *a = db_prepare(r->src, q), *b = db_prepare(r->dst, q);
    bool same = a && b;
    db_status sa = DB_DONE, sb = DB_DONE;
    while (same) {
        sa = db_step(a);
        sb = db_step(b);
        same = sa == sb && (sa != DB_ROW || db_col_int64(a, 0) == db_col_int64(b, 0));
        if (sa != DB_ROW || sb != DB_ROW)
            break;
    }
    if (a)
        db_done(a);
    if (b)
        db_done(b);
    if (same && sa == DB_DONE)
        return true;
    return fail(r, "the source's migrations differ from this saldo's: run `saldo migrate --database sqlite:...`"
                   " with this binary on the source first");
}

static bool count_rows(copy_run *r, db *d, const char *table, int64_t *out)
{
    db_stmt *s = db_prepare(d, dyn_sql(r, "SELECT count(*) FROM \"%s\"", table));
    if (!s || db_step(s) != DB_ROW) {
        if (s)
            db_done(s);
        return fail(r, "count %s: %s", table, db_errmsg(d));
    }
    *out = db_col_int64(s, 0);
    db_done(s);
    return true;
}

/* Rows each table holds right after migrating a new database. */
static bool fresh_counts(copy_run *r)
{
    char err[512];
    db *m = db_open("sqlite::memory:", err, sizeof err);
    if (!m)
        return fail(r, "fresh schema: %s", err);
    bool ok = db_migrate(m, err, sizeof err) >= 0 || fail(r, "fresh schema: %s", err);
    for (int i = 0; ok && i < r->ntables; i++)
        ok = count_rows(r, m, r->tables[i].name, &r->tables[i].fresh_rows);
    db_close(m);
    return ok;
}

/* Inside the target transaction: refuses data, clears seed rows. */
static bool target_empty(copy_run *r)
{
    char found[COPY_ERR_MAX] = "";
    size_t len = 0;
    for (int i = 0; i < r->ntables; i++) {
        copy_table *t = r->tables + i;
        int64_t n;
        if (!count_rows(r, r->dst, t->name, &n))
            return false;
        if (n != t->fresh_rows && len < sizeof found)
            len += (size_t)snprintf(found + len, sizeof found - len, "%s%s (%lld rows)", len ? ", " : "", t->name,
                                    (long long)n);
    }
    if (len)
        return fail(r, "the target database is not empty: %s", found);
    for (int i = r->ntables - 1; i >= 0; i--)
        if (r->order[i]->fresh_rows > 0 &&
            db_exec_script(r->dst, dyn_sql(r, "DELETE FROM \"%s\"", r->order[i]->name)) != DB_OK)
            return fail(r, "clear seed rows of %s: %s", r->order[i]->name, db_errmsg(r->dst));
    return true;
}

typedef enum { COL_INT, COL_BOOL, COL_TEXT } col_kind;

/* How the target stores each column; every source column must exist there. */
static bool target_kinds(copy_run *r, const copy_table *t, col_kind *kinds)
{
    for (int c = 0; c < t->ncols; c++) {
        db_stmt *s = db_prepare(r->dst, "SELECT data_type FROM information_schema.columns"
                                        " WHERE table_schema = current_schema()"
                                        " AND table_name = $1 AND column_name = $2");
        if (!s)
            return fail(r, "target: %s", db_errmsg(r->dst));
        db_bind_text(s, 1, t->name);
        db_bind_text(s, 2, t->cols[c]);
        if (db_step(s) != DB_ROW) {
            db_done(s);
            return fail(r, "target: %s.%s does not exist", t->name, t->cols[c]);
        }
        const char *type = db_col_text(s, 0);
        kinds[c] = strstr(type, "int") ? COL_INT : !strcmp(type, "boolean") ? COL_BOOL : COL_TEXT;
        db_done(s);
    }
    return true;
}

static char *column_list(const copy_table *t, bool placeholders)
{
    size_t cap = 64;
    for (int c = 0; c < t->ncols; c++)
        cap += strlen(t->cols[c]) + 16;
    char *out = malloc(cap);
    if (!out)
        abort();
    size_t len = 0;
    for (int c = 0; c < t->ncols; c++)
        len += placeholders ? (size_t)snprintf(out + len, cap - len, "%s$%d", c ? ", " : "", c + 1)
                            : (size_t)snprintf(out + len, cap - len, "%s\"%s\"", c ? ", " : "", t->cols[c]);
    assert(len < cap);
    return out;
}

static void bind_value(db_stmt *in, db_stmt *out, int c, col_kind kind)
{
    if (db_col_is_null(in, c))
        db_bind_null(out, c + 1);
    else if (kind == COL_INT)
        db_bind_int64(out, c + 1, db_col_int64(in, c));
    else if (kind == COL_BOOL)
        db_bind_text(out, c + 1, db_col_int64(in, c) ? "true" : "false");
    else
        db_bind_text(out, c + 1, db_col_text(in, c));
}

static bool copy_rows(copy_run *r, copy_table *t)
{
    col_kind kinds[COPY_MAX_COLS];
    if (!target_kinds(r, t, kinds))
        return false;
    char *cols = column_list(t, false), *params = column_list(t, true);
    const char *select = dyn_sql(r, "SELECT %s FROM \"%s\"%s", cols, t->name, t->self_ref ? " ORDER BY 1" : "");
    const char *insert = dyn_sql(r, "INSERT INTO \"%s\" (%s) VALUES (%s)", t->name, cols, params);
    free(cols);
    free(params);
    db_stmt *in = db_prepare(r->src, select);
    if (!in)
        return fail(r, "source %s: %s", t->name, db_errmsg(r->src));
    db_status st;
    while ((st = db_step(in)) == DB_ROW) {
        db_stmt *out = db_prepare(r->dst, insert);
        if (!out)
            break;
        for (int c = 0; c < t->ncols; c++)
            bind_value(in, out, c, kinds[c]);
        if (db_exec1(out) != DB_DONE) {
            db_done(in);
            return fail(r, "copy %s row %lld: %s", t->name, (long long)t->copied + 1, db_errmsg(r->dst));
        }
        t->copied++;
    }
    db_done(in);
    if (st == DB_ROW)
        return fail(r, "copy %s: %s", t->name, db_errmsg(r->dst));
    return st == DB_DONE || fail(r, "copy %s: %s", t->name, db_errmsg(r->src));
}

/* Every identity column's sequence moves to max(column) + 1. */
static bool reset_sequences(copy_run *r)
{
    db_stmt *s = db_prepare(r->dst, "SELECT table_name, column_name FROM information_schema.columns"
                                    " WHERE table_schema = current_schema() AND is_identity = 'YES'"
                                    " ORDER BY table_name");
    if (!s)
        return fail(r, "target: %s", db_errmsg(r->dst));
    char *names[COPY_MAX_TABLES][2];
    int n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && n < COPY_MAX_TABLES) {
        names[n][0] = xstrdup(db_col_text(s, 0));
        names[n][1] = xstrdup(db_col_text(s, 1));
        n++;
    }
    db_done(s);
    bool ok = st == DB_DONE || fail(r, "target: too many identity columns, or %s", db_errmsg(r->dst));
    for (int i = 0; ok && i < n; i++) {
        const char *q = dyn_sql(r,
                                "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'),"
                                " COALESCE((SELECT max(\"%s\") FROM \"%s\"), 0) + 1, false)",
                                names[i][0], names[i][1], names[i][1], names[i][0]);
        db_stmt *q_s = db_prepare(r->dst, q);
        ok = q_s && db_step(q_s) == DB_ROW;
        if (q_s)
            db_done(q_s);
        if (!ok)
            fail(r, "sequence of %s.%s: %s", names[i][0], names[i][1], db_errmsg(r->dst));
    }
    for (int i = 0; i < n; i++) {
        free(names[i][0]);
        free(names[i][1]);
    }
    return ok;
}

/* Every table holds what the snapshot held. */
static bool counts_match(copy_run *r)
{
    for (int i = 0; i < r->ntables; i++) {
        int64_t a, b;
        if (!count_rows(r, r->src, r->tables[i].name, &a) || !count_rows(r, r->dst, r->tables[i].name, &b))
            return false;
        if (a != b || a != r->tables[i].copied)
            return fail(r, "%s: %lld rows in the source, %lld in the target", r->tables[i].name, (long long)a,
                        (long long)b);
    }
    return true;
}

static bool copy_all(copy_run *r)
{
    if (db_begin(r->src, DB_TX_READ) != DB_OK)
        return fail(r, "source: %s", db_errmsg(r->src));
    bool ok = read_schema(r) && order_tables(r) && same_versions(r) && fresh_counts(r);
    if (ok && db_begin(r->dst, DB_TX_WRITE) != DB_OK)
        ok = fail(r, "target: %s", db_errmsg(r->dst));
    ok = ok && target_empty(r);
    for (int i = 0; ok && i < r->ntables; i++)
        ok = copy_rows(r, r->order[i]);
    ok = ok && reset_sequences(r) && counts_match(r);
    if (ok && db_commit(r->dst) != DB_OK)
        ok = fail(r, "commit: %s", db_errmsg(r->dst));
    if (db_in_tx(r->dst))
        db_rollback(r->dst);
    db_rollback(r->src);
    return ok;
}

static void report(const copy_run *r, FILE *out)
{
    int64_t total = 0;
    for (int i = 0; i < r->ntables; i++) {
        fprintf(out, "  %-32s %lld\n", r->order[i]->name, (long long)r->order[i]->copied);
        total += r->order[i]->copied;
    }
    fprintf(out, "saldo: copied %lld rows in %d tables\n", (long long)total, r->ntables);
}

static void release(copy_run *r)
{
    for (int i = 0; i < r->ntables; i++) {
        copy_table *t = &r->tables[i];
        free(t->name);
        for (int c = 0; c < t->ncols; c++)
            free(t->cols[c]);
        for (int d = 0; d < t->ndeps; d++)
            free(t->deps[d]);
    }
    for (int i = 0; i < r->nsql; i++)
        free(r->sql[i]);
}

static db *open_source(const char *url, char *err, size_t err_size)
{
    struct stat st;
    if (strncmp(url, "sqlite:", 7) || !url[7]) {
        snprintf(err, err_size, "--copy-from needs sqlite:PATH, not '%s'", url);
        return NULL;
    }
    if (stat(url + 7, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "--copy-from: no SQLite database at %s", url + 7);
        return NULL;
    }
    return db_open(url, err, err_size);
}

int copy_sqlite_to(db *target, const char *source_url)
{
    assert(target && !strcmp(db_driver_name(target), "postgresql"));
    copy_run *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->dst = target;
    r->src = open_source(source_url, r->err, sizeof r->err);
    bool ok = r->src && copy_all(r);
    if (r->src)
        db_close(r->src);
    if (ok) {
        report(r, stdout);
        ok = ledger_verify(target, stdout) == 0;
        if (!ok)
            fprintf(stderr, "saldo: the copy was made but `saldo ledger verify` fails on it\n");
    } else {
        fprintf(stderr, "saldo: copy refused: %s\n", r->err);
    }
    release(r);
    free(r);
    return ok ? 0 : 1;
}
