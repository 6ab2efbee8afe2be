-- Identity and tenancy (issue #3): tenant licence and contact fields, user profile, sessions,
-- MFA, invitations, signing keys and the platform's own audit log.

ALTER TABLE tenants ADD COLUMN email TEXT;
ALTER TABLE tenants ADD COLUMN domain TEXT;
ALTER TABLE tenants ADD COLUMN licence_type TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE tenants ADD COLUMN max_users INTEGER;            -- NULL: no limit
ALTER TABLE tenants ADD COLUMN storage_quota_bytes INTEGER;  -- NULL: no limit (documents)

ALTER TABLE users ADD COLUMN customer_id TEXT;  -- organisation (tenant store) of CLIENT / CUSTOMER_ADMIN
ALTER TABLE users ADD COLUMN locale TEXT;
ALTER TABLE users ADD COLUMN hourly_rate_cents INTEGER;
ALTER TABLE users ADD COLUMN hourly_rate_currency TEXT;
ALTER TABLE users ADD COLUMN last_login_at INTEGER;
ALTER TABLE users ADD COLUMN mfa_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_secret TEXT;          -- base32 TOTP secret while enabled
ALTER TABLE users ADD COLUMN mfa_pending_secret TEXT;  -- set up, not yet verified
ALTER TABLE users ADD COLUMN mfa_last_step INTEGER;    -- last accepted TOTP step: no replay
CREATE INDEX users_customer_idx ON users (tenant_id, customer_id);

CREATE TABLE user_expertise (
    user_id TEXT NOT NULL REFERENCES users (id),
    skill   TEXT NOT NULL,
    level   INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (user_id, skill)
);

CREATE TABLE mfa_recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,  -- SHA-256 hex of the normalised code
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- Opaque refresh tokens, stored hashed; one family per sign-in, rotated on every use.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,  -- SHA-256 hex
    family_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,  -- set when rotated; presenting it again revokes the family
    revoked_at INTEGER
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Access tokens signed out before they expire (logout); rows past expires_at are pruned.
CREATE TABLE revoked_access_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);

-- Sign-in families whose access tokens stop working at once (logout, deactivation).
CREATE TABLE revoked_sessions (
    family_id  TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);

-- HMAC keys for access tokens when KONTOR_JWT_KEYS is not set (generated on first start).
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,  -- base64url
    created_at INTEGER NOT NULL
);

CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,  -- SHA-256 hex
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_by TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX invites_user_idx ON invites (user_id);

-- Security events of platform ADMINs and of sign-ins that match no tenant.
CREATE TABLE platform_audit_log (
    id         TEXT PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,
    subject    TEXT,
    ip         TEXT,
    request_id TEXT,
    details    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX platform_audit_log_at_idx ON platform_audit_log (at);

CREATE TRIGGER platform_audit_log_no_update BEFORE UPDATE ON platform_audit_log
BEGIN
    SELECT RAISE(ABORT, 'platform_audit_log is append-only');
END;
CREATE TRIGGER platform_audit_log_no_delete BEFORE DELETE ON platform_audit_log
BEGIN
    SELECT RAISE(ABORT, 'platform_audit_log is append-only');
END;
