-- Catalog store: tenants and the platform's users (DESIGN.md §4).
CREATE TABLE tenants (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    -- Where the tenant's store lives: "sqlite:<path>" or "postgresql://…#schema=<name>".
    store_location TEXT NOT NULL,
    settings       JSONB NOT NULL DEFAULT '{}',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT REFERENCES tenants (id),  -- NULL only for the platform ADMIN
    email         TEXT NOT NULL,                 -- stored lower-case; unique platform-wide
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('ADMIN', 'MANAGER', 'EXPERT', 'CUSTOMER_ADMIN', 'CLIENT')),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invited', 'inactive')),
    password_hash TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CHECK ((role = 'ADMIN') = (tenant_id IS NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_tenant_idx ON users (tenant_id);
