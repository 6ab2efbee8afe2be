-- Customer organisations (issue #3): CLIENT and CUSTOMER_ADMIN users belong to one.
CREATE TABLE customers (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    domain        TEXT,
    contact_email TEXT,
    phone         TEXT,
    address       TEXT,
    notes         TEXT,
    external_ref  TEXT,  -- id in an external system of record (Salesforce Account, later)
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX customers_name_key ON customers (lower(name));
CREATE UNIQUE INDEX customers_external_ref_key ON customers (external_ref) WHERE external_ref IS NOT NULL;

-- The audit log is append-only: the store itself refuses to change or delete a row.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
