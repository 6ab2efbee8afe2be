-- Tickets (issue #4): cases with SLA, comments, history, tags, full-text search, idempotent
-- creates and SLA policies. Times are epoch milliseconds; booleans are 0/1.

-- One row: the last ticket number handed out (numbers are per tenant, shown as "#1001").
CREATE TABLE ticket_counter (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_number INTEGER NOT NULL
);
INSERT INTO ticket_counter (id, last_number) VALUES (1, 1000);

CREATE TABLE tickets (
    id                       TEXT PRIMARY KEY,
    number                   INTEGER NOT NULL UNIQUE,
    title                    TEXT NOT NULL,
    description              TEXT NOT NULL DEFAULT '',
    status                   TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress',
                                 'waiting_customer', 'resolved', 'closed')),
    priority                 TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    priority_rank            INTEGER NOT NULL,  -- 0 low … 3 critical, for sorting
    category                 TEXT,
    customer_id              TEXT NOT NULL REFERENCES customers (id),
    requester_id             TEXT,              -- a user (catalog); NULL for e-mail/phone without one
    assigned_to              TEXT,              -- a staff user (catalog)
    source                   TEXT NOT NULL CHECK (source IN ('portal', 'email', 'api', 'phone', 'salesforce')),
    sla_response_due         INTEGER,
    sla_resolution_due       INTEGER,
    sla_paused_at            INTEGER,           -- set while waiting_customer
    sla_response_left        INTEGER,           -- working ms left when paused
    sla_resolution_left      INTEGER,
    sla_breached             INTEGER NOT NULL DEFAULT 0,
    first_response_at        INTEGER,
    resolved_at              INTEGER,
    closed_at                INTEGER,
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL,
    deleted_at               INTEGER,
    version                  INTEGER NOT NULL DEFAULT 1,
    external_ref             TEXT               -- Salesforce Case id, later
);
-- The list queries: every one filters deleted_at IS NULL, most a scope column, and sorts.
CREATE INDEX tickets_created_idx ON tickets (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_updated_idx ON tickets (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_customer_idx ON tickets (customer_id, created_at) WHERE deleted_at IS NULL;
CREATE INDEX tickets_requester_idx ON tickets (requester_id, created_at) WHERE deleted_at IS NULL;
CREATE INDEX tickets_assignee_idx ON tickets (assigned_to, status, created_at) WHERE deleted_at IS NULL;
CREATE INDEX tickets_status_idx ON tickets (status, created_at) WHERE deleted_at IS NULL;
CREATE INDEX tickets_due_idx ON tickets (sla_resolution_due) WHERE deleted_at IS NULL;
CREATE INDEX tickets_breach_scan_idx ON tickets (sla_breached, status) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX tickets_external_ref_key ON tickets (external_ref) WHERE external_ref IS NOT NULL;

CREATE TABLE ticket_tags (
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    tag       TEXT NOT NULL,
    PRIMARY KEY (ticket_id, tag)
);
CREATE INDEX ticket_tags_tag_idx ON ticket_tags (tag, ticket_id);

CREATE TABLE ticket_comments (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    author_id  TEXT,
    body       TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    created_at INTEGER NOT NULL
);
CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, created_at, id);

-- Every change, append-only, written in the change's transaction. `visibility` keeps internal
-- events (internal comments) away from customers.
CREATE TABLE ticket_history (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    at         INTEGER NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,  -- created, status, priority, assigned, field, commented, deleted, sla_breached
    field      TEXT,
    old_value  TEXT,
    new_value  TEXT,
    visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal'))
);
CREATE INDEX ticket_history_ticket_idx ON ticket_history (ticket_id, at, id);
CREATE TRIGGER ticket_history_no_update BEFORE UPDATE ON ticket_history
BEGIN
    SELECT RAISE(ABORT, 'ticket_history is append-only');
END;
CREATE TRIGGER ticket_history_no_delete BEFORE DELETE ON ticket_history
BEGIN
    SELECT RAISE(ABORT, 'ticket_history is append-only');
END;

-- Full-text search over what customers may read: title + description (kind 'ticket') and public
-- comments. Internal comments are never indexed. The ticket's own row has rowid = -number (so a
-- title change can replace it by key); comment rows take the positive rowids FTS5 hands out.
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    body, ticket_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Idempotency-Key on creates: the first answer is kept and repeated for 24 hours.
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- SLA policies: the tenant's default (customer_id NULL) and per-customer overrides.
CREATE TABLE sla_policies (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    customer_id    TEXT REFERENCES customers (id),
    business_hours TEXT NOT NULL,  -- JSON (tickets/sla.hpp BusinessHours)
    targets        TEXT NOT NULL,  -- JSON {priority: {response_minutes, resolution_minutes}}
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
-- One policy per customer and one default (customer_id NULL).
CREATE UNIQUE INDEX sla_policies_scope_key ON sla_policies (coalesce(customer_id, ''));
