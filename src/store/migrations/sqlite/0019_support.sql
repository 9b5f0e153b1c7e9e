-- 0019: support tickets: departments with their first-response targets,
-- tickets, the messages of their threads and the attachments of messages.
-- Owned by src/feature/support (and the outbox's Reply-To, src/mail).

-- A department tickets are filed under. sla_normal_min / sla_high_min: the
-- first-response target in minutes for each priority; duty_email: where the
-- SLA warnings go ("" = nowhere).
CREATE TABLE support_departments (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
    name_en        TEXT NOT NULL,
    name_it        TEXT NOT NULL,
    sla_normal_min INTEGER NOT NULL DEFAULT 10 CHECK (sla_normal_min BETWEEN 1 AND 10080),
    sla_high_min   INTEGER NOT NULL DEFAULT 10 CHECK (sla_high_min BETWEEN 1 AND 10080),
    duty_email     TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
INSERT INTO support_departments (code, name_en, name_it) VALUES ('technical', 'Technical', 'Tecnico');
INSERT INTO support_departments (code, name_en, name_it) VALUES ('billing', 'Billing', 'Amministrazione');

-- A ticket. priority: 'normal' or 'high'; status: open -> answered (staff
-- replied) -> waiting (staff waits for the customer) -> open (the customer
-- replied) ... closed. token: the secret carried by the Reply-To of its mails.
-- problem_at: when the problem started (UTC seconds, 0 = not given) and the
-- time zone it was entered in. merged_into: the ticket this duplicate was
-- merged into (then closed).
CREATE TABLE support_tickets (
    id                    INTEGER PRIMARY KEY,
    org_id                INTEGER NOT NULL REFERENCES orgs(id),
    opened_by             INTEGER NOT NULL REFERENCES users(id),
    department_id         INTEGER NOT NULL REFERENCES support_departments(id),
    priority              TEXT NOT NULL CHECK (priority IN ('normal', 'high')),
    subject               TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('open', 'answered', 'waiting', 'closed')),
    service_id            INTEGER NOT NULL DEFAULT 0,
    order_number          TEXT NOT NULL DEFAULT '',
    server_ip             TEXT NOT NULL DEFAULT '',
    problem_at            INTEGER NOT NULL DEFAULT 0,
    problem_tz            TEXT NOT NULL DEFAULT '',
    assigned_staff_id     INTEGER REFERENCES staff(id),
    token                 TEXT NOT NULL UNIQUE,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    first_response_due_at INTEGER NOT NULL,
    first_response_at     INTEGER,
    sla_warned            INTEGER NOT NULL DEFAULT 0 CHECK (sla_warned IN (0, 1, 2)),
    closed_at             INTEGER,
    rating                INTEGER CHECK (rating BETWEEN 1 AND 5),
    merged_into           INTEGER REFERENCES support_tickets(id)
) STRICT;
CREATE INDEX support_tickets_org ON support_tickets(org_id, id);
CREATE INDEX support_tickets_queue ON support_tickets(status, first_response_due_at);

-- One message of a thread. author: 'customer' (user_id), 'staff' (staff_id),
-- 'email' and 'chat' (user_id when known), 'system'. internal: a staff note
-- the customer never sees.
CREATE TABLE support_messages (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES support_tickets(id),
    author     TEXT NOT NULL CHECK (author IN ('customer', 'staff', 'email', 'chat', 'system')),
    user_id    INTEGER REFERENCES users(id),
    staff_id   INTEGER REFERENCES staff(id),
    body       TEXT NOT NULL,
    internal   INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX support_messages_ticket ON support_messages(ticket_id, id);

-- A file attached to a message; the bytes live on disk under
-- support.attachments_dir as storage_name (random), never under the web root.
CREATE TABLE support_attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES support_messages(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    sha256       TEXT NOT NULL,
    storage_name TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX support_attachments_message ON support_attachments(message_id);

-- Canned replies staff insert into an answer; deleted_at set = withdrawn.
CREATE TABLE support_canned (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES staff(id),
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
) STRICT;

-- Replies to ticket mails come back through Reply-To: the outbox carries it.
ALTER TABLE outbox ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
