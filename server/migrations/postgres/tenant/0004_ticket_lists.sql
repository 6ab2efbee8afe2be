-- Faster ticket lists (issue #4; the SQLite twin also reshapes its search table, which
-- PostgreSQL keeps: one tsvector row per ticket text or public comment, GIN-indexed).
--
-- Scope indexes with the status beside those in created_at order (0003), so "open tickets of this
-- organisation / of this requester" is counted from an index alone and the unfiltered first page
-- still walks created_at. The assignee index is on coalesce(assigned_to, ''): an EXPERT's
-- view "assigned to me or to nobody" becomes coalesce(...) IN ('', me), two index ranges. Every
-- assignee predicate in tickets/ticket_service.cpp is written in this form.
CREATE INDEX tickets_customer_status_idx ON tickets (customer_id, status, created_at)
    WHERE deleted_at IS NULL;
CREATE INDEX tickets_requester_status_idx ON tickets (requester_id, status, created_at)
    WHERE deleted_at IS NULL;
DROP INDEX tickets_assignee_idx;
CREATE INDEX tickets_assignee_idx ON tickets ((coalesce(assigned_to, '')), status, sla_resolution_due)
    WHERE deleted_at IS NULL;

-- Open tickets per assignee, kept by a trigger so every write path agrees: auto-assignment picks
-- the expert with the fewest open tickets from here instead of counting their tickets on each
-- create. Open = new, assigned, in_progress, waiting_customer (tickets/status.cpp is_open);
-- soft-deleted tickets do not count. Tickets are never deleted for real.
CREATE TABLE assignee_load (
    user_id      TEXT PRIMARY KEY,
    open_tickets BIGINT NOT NULL
);
INSERT INTO assignee_load (user_id, open_tickets)
SELECT assigned_to, COUNT(*) FROM tickets
 WHERE assigned_to IS NOT NULL AND deleted_at IS NULL
   AND status IN ('new', 'assigned', 'in_progress', 'waiting_customer')
 GROUP BY assigned_to;
CREATE FUNCTION tickets_track_load() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.assigned_to IS NOT NULL AND OLD.deleted_at IS NULL
       AND OLD.status IN ('new', 'assigned', 'in_progress', 'waiting_customer') THEN
        UPDATE assignee_load SET open_tickets = open_tickets - 1 WHERE user_id = OLD.assigned_to;
    END IF;
    IF NEW.assigned_to IS NOT NULL AND NEW.deleted_at IS NULL
       AND NEW.status IN ('new', 'assigned', 'in_progress', 'waiting_customer') THEN
        INSERT INTO assignee_load (user_id, open_tickets) VALUES (NEW.assigned_to, 1)
        ON CONFLICT (user_id) DO UPDATE SET open_tickets = assignee_load.open_tickets + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tickets_load AFTER INSERT OR UPDATE OF assigned_to, status, deleted_at ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_track_load();
