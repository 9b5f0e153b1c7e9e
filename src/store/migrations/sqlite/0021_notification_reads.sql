-- 0021_notification_reads: each member reads the organization's in-app
-- notifications for themselves; what they have read is the newest id they saw.
-- Owned by src/feature/payments (payments_notify.c).
CREATE TABLE notification_reads (
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    last_read_id INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id)
) STRICT;
-- What was marked read for the whole organization stays read for its members.
INSERT INTO notification_reads (org_id, user_id, last_read_id)
    SELECT n.org_id, m.user_id, MAX(n.id) FROM notifications n JOIN memberships m ON m.org_id = n.org_id
    WHERE n.read_at IS NOT NULL GROUP BY n.org_id, m.user_id;
ALTER TABLE notifications DROP COLUMN read_at;
