-- Ticket attachments (issue #5): files attached to a ticket, or to one of its comments, live in
-- the documents table and the same blob store, so limits, quota, sniffing, audit and signed
-- download links are one mechanism. They are not the customer's documents: the portal's document
-- list and /api/documents/:id leave them out, and who sees one follows who sees the ticket
-- (attachments of internal comments, and internal ones, only staff).
ALTER TABLE documents ADD COLUMN ticket_id TEXT REFERENCES tickets (id);
ALTER TABLE documents ADD COLUMN comment_id TEXT REFERENCES ticket_comments (id);

DROP INDEX documents_customer_idx;
CREATE INDEX documents_customer_idx ON documents (customer_id, created_at)
    WHERE deleted_at IS NULL AND ticket_id IS NULL;
CREATE INDEX documents_ticket_idx ON documents (ticket_id, created_at)
    WHERE ticket_id IS NOT NULL AND deleted_at IS NULL;
