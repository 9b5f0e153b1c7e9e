-- 0025_chat: live chat. A chat is opened by a signed-in customer (org_id,
-- user_id) or by a visitor (email + name; the visitor's cookie holds a random
-- token whose SHA-256 is visitor_token_hash). Its messages are the transcript,
-- kept after the chat is closed; ticket_id is set when staff turned it into a
-- ticket. Owned by src/feature/chat.
CREATE TABLE chats (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER REFERENCES orgs(id),
    user_id            INTEGER REFERENCES users(id),
    visitor_email      TEXT NOT NULL DEFAULT '',
    visitor_name       TEXT NOT NULL DEFAULT '',
    visitor_token_hash TEXT UNIQUE,
    status             TEXT NOT NULL CHECK (status IN ('waiting', 'active', 'closed')),
    assigned_staff_id  INTEGER REFERENCES staff(id),
    language           TEXT NOT NULL CHECK (language IN ('en', 'it')),
    ticket_id          INTEGER REFERENCES support_tickets(id),
    created_at         INTEGER NOT NULL,
    closed_at          INTEGER,
    CHECK ((user_id IS NULL) = (visitor_token_hash IS NOT NULL))
) STRICT;
CREATE INDEX chats_by_status ON chats (status, created_at);
CREATE INDEX chats_by_user ON chats (user_id);

CREATE TABLE chat_messages (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats(id),
    author_kind TEXT NOT NULL CHECK (author_kind IN ('customer', 'visitor', 'staff', 'system')),
    author_id   INTEGER NOT NULL DEFAULT 0,
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX chat_messages_by_chat ON chat_messages (chat_id, id);
