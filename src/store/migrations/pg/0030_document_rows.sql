-- 0030: documents_credits (credits_id) held an entry for every document,
-- though only credit notes have a credits_id: now partial, over those alone
-- (readers ask `credits_id = $1`, which implies NOT NULL). The SQLite side
-- also rebuilds document_lines and document_totals WITHOUT ROWID; PostgreSQL
-- tables have no rowid B-tree to save, so they stay as they are.
DROP INDEX documents_credits;
CREATE INDEX documents_credits ON documents(credits_id) WHERE credits_id IS NOT NULL;
