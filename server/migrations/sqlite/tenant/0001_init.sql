-- Tenant store: the first tables every tenant has. Business tables arrive with their modules.

-- Append-only record of security-relevant actions (DESIGN.md §6).
CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   TEXT,             -- NULL for the system / command line
    action     TEXT NOT NULL,    -- e.g. "tenant.created"
    subject    TEXT,             -- id of the thing acted on
    ip         TEXT,
    request_id TEXT,
    details    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- Events for the worker to deliver, written in the same transaction as the change (DESIGN.md §7).
CREATE TABLE outbox (
    id           TEXT PRIMARY KEY,
    topic        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    available_at INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    last_error   TEXT
);
CREATE INDEX outbox_pending_idx ON outbox (status, available_at);
