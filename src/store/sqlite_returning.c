/* sqlite_returning.c - see sqlite_returning.h. */
#include "store/sqlite_returning.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char suffix[] = " RETURNING id";
static const char prefix[] = "INSERT INTO ";

/* Past the parenthesized group opening at p ('('), skipping string literals;
 * NULL when it does not close. */
static const char *group_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '\'') {
            while (*++p && *p != '\'')
                ;
            if (!*p)
                return NULL;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && --depth == 0) {
            return p + 1;
        }
    }
    return NULL;
}

/* One VALUES tuple, then nothing but an ON CONFLICT ... DO NOTHING. */
static bool one_row(const char *sql, size_t len)
{
    const char *values = strstr(sql, " VALUES (");
    if (!values || values >= sql + len)
        return false;
    const char *end = group_end(values + strlen(" VALUES "));
    if (!end || end > sql + len)
        return false;
    size_t rest = (size_t)(sql + len - end);
    static const char nothing[] = " DO NOTHING";
    return rest == 0 || (!strncmp(end, " ON CONFLICT", strlen(" ON CONFLICT")) && rest >= strlen(nothing) &&
                         !strncmp(sql + len - strlen(nothing), nothing, strlen(nothing)));
}

/* Whether id is the rowid of the table named at the start of name. */
static bool id_is_rowid(sqlite3 *c, const char *name)
{
    char table[64];
    size_t n = 0;
    while (n < sizeof table - 1 && (isalnum((unsigned char)name[n]) || name[n] == '_'))
        table[n] = name[n], n++;
    table[n] = '\0';
    if (!n || (name[n] != ' ' && name[n] != '('))
        return false;
    const char *type = NULL;
    int pk = 0;
    if (sqlite3_table_column_metadata(c, NULL, table, "id", &type, NULL, NULL, &pk, NULL) != SQLITE_OK || !pk ||
        !type || strcasecmp(type, "INTEGER"))
        return false;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(c, "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
    bool rowid_table = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 0;
    sqlite3_finalize(s);
    return rowid_table;
}

bool sqlite_returning_rowid(sqlite3 *c, const char *sql, size_t *len)
{
    size_t n = strlen(sql);
    if (strncmp(sql, prefix, strlen(prefix)) || n <= strlen(suffix) ||
        strcmp(sql + n - strlen(suffix), suffix))
        return false;
    n -= strlen(suffix);
    if (!one_row(sql, n) || !id_is_rowid(c, sql + strlen(prefix)))
        return false;
    *len = n;
    return true;
}
