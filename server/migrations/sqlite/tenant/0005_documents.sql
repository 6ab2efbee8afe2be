-- Documents (issue #5): the files customers see in the portal (contracts, invoices, reports,
-- certificates) and staff-only ones. Bytes live in the blob store (blobs/, content-addressed by
-- SHA-256 per tenant); a row is written only after its blob was committed, so no row ever points
-- at a missing or partial blob. Times are epoch milliseconds.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    user_id      TEXT,             -- shared with this one portal user only; NULL: the organisation
    title        TEXT NOT NULL,
    filename     TEXT NOT NULL,    -- sanitised: no path, no control characters
    content_type TEXT NOT NULL,    -- sniffed from the bytes (libmagic), not taken from the client
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ('contract', 'invoice', 'report', 'certificate', 'other')),
    visibility   TEXT NOT NULL CHECK (visibility IN ('customer', 'internal')),
    uploaded_by  TEXT,
    created_at   INTEGER NOT NULL,
    deleted_at   INTEGER,
    external_ref TEXT,             -- Salesforce ContentDocument id, later
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX documents_customer_idx ON documents (customer_id, created_at) WHERE deleted_at IS NULL;
CREATE INDEX documents_sha256_idx ON documents (sha256);
CREATE UNIQUE INDEX documents_external_ref_key ON documents (external_ref) WHERE external_ref IS NOT NULL;
