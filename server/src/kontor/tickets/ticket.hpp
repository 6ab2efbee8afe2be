#pragma once
// Tickets (cases): the service-desk core. Kept in the tenant store (migration 0003): tickets,
// their tags, comments, append-only history, the search index and idempotency keys. Every change
// writes its history rows and an outbox event in the same transaction (DESIGN.md §4, §7).
//
// Visibility (who sees which ticket; outside it a ticket does not exist → not_found):
//   tickets.read.all (MANAGER, ADMIN)   every ticket of the tenant
//   EXPERT                              assigned to them, plus the unassigned queue (the tenant
//                                       setting experts_see_all_tickets widens it to all)
//   tickets.read.org (CUSTOMER_ADMIN)   their organisation's
//   CLIENT                              their own (requester)
// Customer users never see internal comments or internal history events, in any answer.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/core/json_text.hpp"
#include "kontor/core/page.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/actor.hpp"
#include "kontor/tickets/status.hpp"

namespace kontor::tenancy {
class TenantService;
}
namespace kontor::identity {
class UserService;
}

namespace kontor::tickets {

struct Ticket {
    core::TicketId id;
    std::int64_t number = 0;  // per tenant, from 1001; shown as "#1001"
    std::string title;
    std::string description;
    Status status = Status::kNew;
    Priority priority = Priority::kMedium;
    std::optional<std::string> category;
    std::vector<std::string> tags;  // sorted
    core::OrganizationId customer;
    std::optional<core::UserId> requester;
    std::optional<core::UserId> assignee;
    std::string source;  // portal | email | api | phone | salesforce
    std::optional<std::int64_t> sla_response_due;
    std::optional<std::int64_t> sla_resolution_due;
    std::optional<std::int64_t> sla_paused_at;  // set while waiting_customer
    // While paused: the working time (ms) that was left to each due time; resuming starts from it.
    std::optional<std::int64_t> sla_response_left;
    std::optional<std::int64_t> sla_resolution_left;
    bool sla_breached = false;
    std::optional<std::int64_t> first_response_at;
    std::optional<std::int64_t> resolved_at;
    std::optional<std::int64_t> closed_at;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::optional<std::int64_t> deleted_at;
    std::int64_t version = 1;
    std::optional<std::string> external_ref;
};

// A create. Strings are checked by the service (errors name the JSON field).
struct NewTicket {
    std::string title;
    std::string description;
    std::optional<std::string> priority;  // default "medium"
    std::optional<std::string> category;
    std::vector<std::string> tags;
    std::optional<core::OrganizationId> customer;  // staff: required; customers: their own
    std::optional<core::UserId> requester;         // staff only: a portal user of the customer
    std::optional<core::UserId> assignee;          // tickets.assign only
    std::optional<std::string> source;             // staff only; default "api" (customers: portal)
    // Idempotency-Key: a repeated key of the same user returns the first ticket (for 24 h);
    // `fingerprint` identifies the request, so the same key with another body is refused.
    std::optional<std::string> idempotency_key;
    std::string fingerprint;
};

// A change: absent fields stay as they are.
struct TicketChange {
    std::optional<std::string> title;
    std::optional<std::string> description;
    std::optional<std::string> priority;
    std::optional<std::string> status;
    std::optional<std::optional<std::string>> category;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::optional<core::UserId>> assignee;
};

struct TicketQuery {
    core::PageRequest page;
    std::vector<std::string> statuses;    // any of
    std::vector<std::string> priorities;  // any of
    std::optional<core::OrganizationId> customer;
    // assigned_to: a user id, or "none" for the unassigned queue
    std::optional<std::string> assignee;
    std::optional<std::string> category;
    std::optional<std::string> tag;
    std::optional<std::string> search;  // full text over title, description, public comments
    std::optional<bool> sla_breached;
    std::optional<std::int64_t> created_from, created_to, updated_from, updated_to;  // [from, to)
    std::string sort =
        "created_at";  // created_at | updated_at | priority | sla_resolution_due | number
    bool descending = true;
};

struct Comment {
    std::string id;
    core::TicketId ticket;
    std::optional<core::UserId> author;
    std::string body;
    std::string visibility;  // public | internal
    std::int64_t created_at = 0;
};

struct NewComment {
    std::string body;
    std::optional<std::string> visibility;  // default public; customers: public only
};

struct HistoryEntry {
    std::string id;
    std::int64_t at = 0;
    std::optional<core::UserId> actor;
    std::string action;  // created | status | priority | assigned | field | commented | deleted |
                         // sla_breached
    std::optional<std::string> field;
    std::optional<std::string> old_value;
    std::optional<std::string> new_value;
    std::string visibility;  // public | internal
};

// A ticket that already has a life elsewhere: demo data today; the Salesforce and e-mail imports
// later. Times, status and comments are taken as given; the number, the SLA due times (from the
// customer's policy at created_at), sla_breached and a summary history (created, assigned, status
// steps, comments) are derived. No outbox events: nothing new happened.
struct ImportedComment {
    std::optional<core::UserId> author;
    std::string body;
    std::string visibility = "public";  // public | internal
    std::int64_t at = 0;
};
struct ImportedTicket {
    std::string title;
    std::string description;
    Status status = Status::kNew;
    Priority priority = Priority::kMedium;
    std::optional<std::string> category;
    std::vector<std::string> tags;
    core::OrganizationId customer;
    std::optional<core::UserId> requester;
    std::optional<core::UserId> assignee;
    std::string source = "api";
    std::int64_t created_at = 0;
    std::optional<std::int64_t> first_response_at;
    std::optional<std::int64_t> resolved_at;  // required for resolved and closed
    std::optional<std::int64_t> closed_at;    // required for closed
    std::int64_t updated_at = 0;
    std::optional<std::string> external_ref;
    std::vector<ImportedComment> comments;  // oldest first
};

struct Created {
    Ticket ticket;
    bool replayed = false;  // an earlier answer to the same Idempotency-Key
};

// Thread-safe: holds references only.
class TicketService {
public:
    TicketService(db::StoreManager& stores, tenancy::TenantService& tenants,
                  identity::UserService& users)
        : stores_(stores), tenants_(tenants), users_(users) {}

    // Errors: validation_failed (bad filter or sort).
    core::Result<core::Page<Ticket>> list(const identity::Actor& actor,
                                          const core::TenantId& tenant, const TicketQuery& query);
    // Errors: not_found.
    core::Result<Ticket> get(const identity::Actor& actor, const core::TenantId& tenant,
                             const core::TicketId& id);
    // Errors: forbidden (no tickets.write, or a field the role may not set), validation_failed,
    // rate_limited (customer users past the tenant's case_rate_limit_per_hour), conflict (the
    // Idempotency-Key was used for another request).
    core::Result<Created> create(const identity::Actor& actor, const core::TenantId& tenant,
                                 NewTicket input);
    // Errors: not_found, forbidden, validation_failed (incl. a disallowed status change),
    // precondition_failed (if_match_version is stale).
    core::Result<Ticket> update(const identity::Actor& actor, const core::TenantId& tenant,
                                const core::TicketId& id, const TicketChange& change,
                                std::optional<std::int64_t> if_match_version);
    // Loads tickets in one transaction (all or none), numbered in order. Needs tickets.read.all
    // and tickets.assign (MANAGER). Customers, requesters and assignees are taken as given
    // (the importer resolved them); the customer must exist. Errors: forbidden,
    // validation_failed (fields named /N/field for the N-th ticket).
    core::Result<std::vector<core::TicketId>> import(const identity::Actor& actor,
                                                     const core::TenantId& tenant,
                                                     const std::vector<ImportedTicket>& batch);
    // Soft delete (tickets.delete). Errors: not_found, forbidden.
    core::Result<void> remove(const identity::Actor& actor, const core::TenantId& tenant,
                              const core::TicketId& id);

    // Oldest first. Customer users get public comments only.
    core::Result<core::Page<Comment>> comments(const identity::Actor& actor,
                                               const core::TenantId& tenant,
                                               const core::TicketId& id,
                                               const core::PageRequest& page);
    // One comment of a visible ticket. Errors: not_found (no such comment on this ticket, or an
    // internal one asked for by a customer user).
    core::Result<Comment> comment(const identity::Actor& actor, const core::TenantId& tenant,
                                  const core::TicketId& id, const std::string& comment_id);
    // Errors: not_found, forbidden (customers: internal), validation_failed.
    core::Result<Comment> add_comment(const identity::Actor& actor, const core::TenantId& tenant,
                                      const core::TicketId& id, const NewComment& input);
    // Oldest first. Customer users get public events only.
    core::Result<core::Page<HistoryEntry>> history(const identity::Actor& actor,
                                                   const core::TenantId& tenant,
                                                   const core::TicketId& id,
                                                   const core::PageRequest& page);

    // The scheduled job: marks open, unpaused tickets past a due time as breached (history row
    // and a ticket.sla_breached outbox event each). Returns how many were marked.
    int mark_breaches(const core::TenantId& tenant, std::int64_t now_ms);

private:
    db::StoreManager& stores_;
    tenancy::TenantService& tenants_;
    identity::UserService& users_;
};

// The JSON form for the API (snake_case; times RFC 3339; absent values null). write_json is the
// one serialization (written straight to text: list pages are hot); to_json parses it back for
// callers that want a tree. With `names` (user id → display name, see UserService::names), the
// answer also names the requester and the assignee (`requester_name`, `assignee_name`; null when
// unknown), so no reader needs access to users to say who.
using UserNames = std::unordered_map<std::string, std::string>;
void write_json(const Ticket& ticket, core::JsonText& out, const UserNames* names = nullptr);
nlohmann::json to_json(const Ticket& ticket);
nlohmann::json to_json(const Comment& comment);
nlohmann::json to_json(const HistoryEntry& entry);

}  // namespace kontor::tickets
