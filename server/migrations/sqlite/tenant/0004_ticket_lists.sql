-- Faster ticket lists and search (issue #4, measured with `make bench`, see bench/RESULTS.md).
--
-- Scope indexes with the status beside those in created_at order (0003), so "open tickets of this
-- organisation / of this requester" is counted from an index alone and the unfiltered first page
-- still walks created_at. The assignee index is on coalesce(assigned_to, ''): an EXPERT's
-- view "assigned to me or to nobody" becomes coalesce(...) IN ('', me), two index ranges instead
-- of a scan (SQLite does not use an index for `x = ? OR x IS NULL`). Every assignee predicate in
-- tickets/ticket_service.cpp is written in this form.
CREATE INDEX tickets_customer_status_idx ON tickets (customer_id, status, created_at)
    WHERE deleted_at IS NULL;
CREATE INDEX tickets_requester_status_idx ON tickets (requester_id, status, created_at)
    WHERE deleted_at IS NULL;
DROP INDEX tickets_assignee_idx;
CREATE INDEX tickets_assignee_idx ON tickets (coalesce(assigned_to, ''), status, sla_resolution_due)
    WHERE deleted_at IS NULL;

-- Search: one document per ticket, rowid = the ticket's number, body = title, description and the
-- public comments (internal ones never). A search is then one FTS5 lookup whose rowids join
-- tickets by number, instead of one row per comment mapped back through a stored ticket id.
DROP TABLE ticket_search;
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO ticket_search (rowid, body)
SELECT t.number,
       t.title || char(10) || t.description ||
       coalesce((SELECT group_concat(char(10) || c.body, '')
                   FROM (SELECT body FROM ticket_comments
                          WHERE ticket_id = t.id AND visibility = 'public'
                          ORDER BY created_at, id) c), '')
  FROM tickets t;

-- Open tickets per assignee, kept by triggers so every write path agrees: auto-assignment picks
-- the expert with the fewest open tickets from here instead of counting their tickets on each
-- create (which grew with the queue: 2.8 ms per create at a few thousand open tickets).
-- Open = new, assigned, in_progress, waiting_customer (tickets/status.cpp is_open); soft-deleted
-- tickets do not count. Tickets are never deleted for real.
CREATE TABLE assignee_load (
    user_id      TEXT PRIMARY KEY,
    open_tickets INTEGER NOT NULL
);
INSERT INTO assignee_load (user_id, open_tickets)
SELECT assigned_to, COUNT(*) FROM tickets
 WHERE assigned_to IS NOT NULL AND deleted_at IS NULL
   AND status IN ('new', 'assigned', 'in_progress', 'waiting_customer')
 GROUP BY assigned_to;
CREATE TRIGGER tickets_load_insert AFTER INSERT ON tickets
WHEN NEW.assigned_to IS NOT NULL AND NEW.deleted_at IS NULL
 AND NEW.status IN ('new', 'assigned', 'in_progress', 'waiting_customer')
BEGIN
    INSERT INTO assignee_load (user_id, open_tickets) VALUES (NEW.assigned_to, 1)
    ON CONFLICT (user_id) DO UPDATE SET open_tickets = open_tickets + 1;
END;
CREATE TRIGGER tickets_load_update AFTER UPDATE OF assigned_to, status, deleted_at ON tickets
BEGIN
    UPDATE assignee_load SET open_tickets = open_tickets - 1
     WHERE user_id = OLD.assigned_to AND OLD.deleted_at IS NULL
       AND OLD.status IN ('new', 'assigned', 'in_progress', 'waiting_customer');
    INSERT INTO assignee_load (user_id, open_tickets)
    SELECT NEW.assigned_to, 1
     WHERE NEW.assigned_to IS NOT NULL AND NEW.deleted_at IS NULL
       AND NEW.status IN ('new', 'assigned', 'in_progress', 'waiting_customer')
    ON CONFLICT (user_id) DO UPDATE SET open_tickets = open_tickets + 1;
END;
