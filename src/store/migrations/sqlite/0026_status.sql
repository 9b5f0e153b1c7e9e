-- 0026: in-app notifications become their own feature (src/feature/notifications)
-- and say who sees them; service-status announcements and abuse reports
-- (src/feature/status); the Message-ID of each ticket mail we send
-- (src/feature/support, for mail-in's In-Reply-To) and the outbox carrying it.

-- audience: 'billing' (members with the billing right: payments), 'members'
-- (every member, or with notification_services only those who may see one of
-- the services listed: announcements), 'admins' (abuse reports). ref_id: the
-- announcement or abuse report it tells of (0 = none).
ALTER TABLE notifications ADD COLUMN audience TEXT NOT NULL DEFAULT 'billing'
    CHECK (audience IN ('billing', 'members', 'admins'));
ALTER TABLE notifications ADD COLUMN ref_id INTEGER NOT NULL DEFAULT 0;

-- The services of the organization a 'members' notification is about: a
-- member limited to some services sees it when they may see one of them.
CREATE TABLE notification_services (
    notification_id INTEGER NOT NULL REFERENCES notifications(id),
    service_id      INTEGER NOT NULL,
    category_id     INTEGER NOT NULL,
    PRIMARY KEY (notification_id, service_id)
) STRICT;

-- A service-status announcement. A 'resolved' one follows up the incident
-- parent_id and closes it (closed_at). audience 'everyone' or 'targeted'
-- (announcement_targets). public: a targeted one shows its title and kind on
-- /status. starts_at/ends_at: the maintenance window (0 = none).
CREATE TABLE announcements (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('maintenance', 'incident', 'resolved')),
    parent_id  INTEGER REFERENCES announcements(id),
    audience   TEXT NOT NULL CHECK (audience IN ('everyone', 'targeted')),
    public     INTEGER NOT NULL CHECK (public IN (0, 1)),
    title_en   TEXT NOT NULL,
    title_it   TEXT NOT NULL,
    body_en    TEXT NOT NULL,
    body_it    TEXT NOT NULL,
    starts_at  INTEGER NOT NULL DEFAULT 0,
    ends_at    INTEGER NOT NULL DEFAULT 0,
    closed_at  INTEGER NOT NULL DEFAULT 0,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    org_count  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX announcements_recent ON announcements(created_at);

-- What a targeted announcement was posted for: products, categories, services.
CREATE TABLE announcement_targets (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    target_kind     TEXT NOT NULL CHECK (target_kind IN ('product', 'category', 'service')),
    target_id       INTEGER NOT NULL,
    PRIMARY KEY (announcement_id, target_kind, target_id)
) STRICT;

-- The organizations an announcement was posted to, resolved when it was
-- posted (with the affected services of each; service_id 0 = posted for
-- everyone): its updates and its resolution go to the same ones.
CREATE TABLE announcement_orgs (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    org_id          INTEGER NOT NULL,
    service_id      INTEGER NOT NULL,
    category_id     INTEGER NOT NULL,
    PRIMARY KEY (announcement_id, org_id, service_id)
) STRICT;

-- An abuse report staff sent to an organization.
CREATE TABLE abuse_reports (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    service_id INTEGER,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    evidence   TEXT NOT NULL DEFAULT '',
    recipient  TEXT NOT NULL,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX abuse_reports_org ON abuse_reports(org_id, id);

-- The Message-ID (without <>) the outbox sends a message with; '' = one made
-- at sending time.
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';

-- The Message-ID of each ticket mail sent, so that a reply naming it in
-- In-Reply-To or References finds the ticket.
CREATE TABLE support_mail_ids (
    message_id TEXT PRIMARY KEY CHECK (length(message_id) BETWEEN 3 AND 250),
    ticket_id  INTEGER NOT NULL REFERENCES support_tickets(id),
    created_at INTEGER NOT NULL
) STRICT;
