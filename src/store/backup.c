/* backup.c - see backup.h. Uses sqlite3 directly: a backup is a file
 * operation on the store, not a query the shared SQL dialect could say. */
#include "store/backup.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { BACKUP_BUSY_TIMEOUT_MS = 10000 };

static bool fail(char *err, size_t err_size, const char *what, const char *path, const char *why)
{
    snprintf(err, err_size, "backup: %s %s: %s", what, path, why);
    return false;
}

static bool fsync_path(const char *path, int flags)
{
    int fd = open(path, flags);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The whole database in one step: one read snapshot, however busy the writers. */
static bool copy_pages(sqlite3 *src, sqlite3 *dst, int64_t *pages, char *err, size_t err_size, const char *tmp)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return fail(err, err_size, "cannot start copying into", tmp, sqlite3_errmsg(dst));
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(20);
    *pages = sqlite3_backup_pagecount(b);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return fail(err, err_size, "cannot copy into", tmp, sqlite3_errmsg(dst));
    return true;
}

/* A rollback journal (one self-contained file), then integrity_check = "ok". */
static bool finish_copy(sqlite3 *dst, const char *tmp, char *err, size_t err_size)
{
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(err, err_size, "cannot set the journal mode of", tmp, sqlite3_errmsg(dst));
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return fail(err, err_size, "cannot check", tmp, sqlite3_errmsg(dst));
    bool ok = sqlite3_step(s) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(s, 0), "ok");
    char first[256];
    snprintf(first, sizeof first, "%s", ok ? "" : (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return ok || fail(err, err_size, "integrity check failed on", tmp, first);
}

static bool open_pair(const char *path, const char *tmp, sqlite3 **src, sqlite3 **dst, char *err, size_t err_size)
{
    if (sqlite3_open_v2(path, src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return fail(err, err_size, "cannot open the database", path, sqlite3_errmsg(*src));
    sqlite3_busy_timeout(*src, BACKUP_BUSY_TIMEOUT_MS);
    if (sqlite3_open_v2(tmp, dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        return fail(err, err_size, "cannot create", tmp, sqlite3_errmsg(*dst));
    return true;
}

/* DEST.tmp made, checked and closed; then durable under DEST. */
static bool backup_to(const char *path, const char *dest, const char *tmp, int64_t *pages, char *err,
                      size_t err_size)
{
    sqlite3 *src = NULL, *dst = NULL;
    bool ok = open_pair(path, tmp, &src, &dst, err, err_size) &&
              copy_pages(src, dst, pages, err, err_size, tmp) && finish_copy(dst, tmp, err, err_size);
    sqlite3_close(dst);
    sqlite3_close(src);
    if (!ok)
        return false;
    if (!fsync_path(tmp, O_RDONLY))
        return fail(err, err_size, "cannot fsync", tmp, strerror(errno));
    if (rename(tmp, dest))
        return fail(err, err_size, "cannot rename the copy to", dest, strerror(errno));
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", dest);
    if (!fsync_path(dirname(dir), O_RDONLY | O_DIRECTORY))
        return fail(err, err_size, "cannot fsync the directory of", dest, strerror(errno));
    return true;
}

bool store_backup(const char *db_url, const char *dest, int64_t *pages, char *err, size_t err_size)
{
    assert(db_url && dest && pages);
    *pages = 0;
    if (!strncmp(db_url, "postgresql://", 13) || !strncmp(db_url, "postgres://", 11)) {
        snprintf(err, err_size, "backup: saldo backup copies SQLite databases; back up PostgreSQL with "
                                "pg_dump --format=custom --file=DEST '<database URL>' (see docs/OPERATIONS.md)");
        return false;
    }
    if (strncmp(db_url, "sqlite:", 7) || !db_url[7]) {
        snprintf(err, err_size, "backup: unsupported database URL '%s' (expected sqlite:PATH)", db_url);
        return false;
    }
    const char *path = db_url + 7;
    if (access(path, R_OK))
        return fail(err, err_size, "cannot read the database", path, strerror(errno));
    if (!dest[0] || same_file(path, dest))
        return fail(err, err_size, "refusing to write over the live database with", dest[0] ? dest : "\"\"",
                    "give another path");
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", dest) >= sizeof tmp)
        return fail(err, err_size, "path too long:", dest, "shorten it");
    unlink(tmp);
    bool ok = backup_to(path, dest, tmp, pages, err, err_size);
    if (!ok)
        unlink(tmp);
    return ok;
}
