-- 0028: nothing to change on PostgreSQL. On SQLite this migration rewrites the
-- CHECK enumerations `x IN (...)` as OR chains, because SQLite 3.40 builds a
-- temporary B-tree for such a list on every INSERT; PostgreSQL evaluates them
-- as a comparison with an array, and keeps them as they are.
SELECT 1;
