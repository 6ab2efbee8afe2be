#pragma once
// The audit log (DESIGN.md §6): an append-only record of security-relevant actions — who, what,
// when, from where. Each tenant's log lives in its tenant store (table audit_log); actions of the
// platform ADMIN and sign-in attempts that match no tenant go to the catalog's
// platform_audit_log. Both tables refuse UPDATE and DELETE (triggers in the migrations).
//
// Writers call append() on the connection of their own transaction, so the audit row commits or
// rolls back with the change it records (CONVENTIONS.md §11). Thread-safe (AuditLog holds only a
// StoreManager reference).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kontor/core/ids.hpp"
#include "kontor/core/page.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/actor.hpp"

namespace kontor::audit {

struct Entry {
    std::string action;                   // e.g. "auth.login_failed", "user.role_changed"
    std::optional<std::string> actor_id;  // null: the system or an anonymous caller
    std::optional<std::string> subject;   // id of the thing acted on
    std::string ip;
    std::string request_id;
    nlohmann::json details = nlohmann::json::object();
};

struct Record {
    std::string id;
    std::int64_t at = 0;
    std::optional<std::string> actor_id;
    std::string action;
    std::optional<std::string> subject;
    std::optional<std::string> ip;
    std::optional<std::string> request_id;
    nlohmann::json details;
};

struct Query {
    core::PageRequest page;
    std::optional<std::string> action;  // exact action, or a prefix ending in '.' ("auth.")
    std::optional<std::string> actor_id;
    std::optional<std::int64_t> from_ms;  // inclusive
    std::optional<std::int64_t> to_ms;    // exclusive
};

// An entry for something `actor` did: who (none for the system), from which address, in which
// request; subject and details as given.
Entry entry_for(const identity::Actor& actor, std::string action,
                std::optional<std::string> subject,
                nlohmann::json details = nlohmann::json::object());

// Appends to a tenant store's audit_log (conn is a tenant store connection).
void append(db::Connection& tenant_conn, const Entry& entry);
// Appends to the catalog's platform_audit_log (conn is a catalog connection).
void append_platform(db::Connection& catalog_conn, const Entry& entry);

// Reads the logs, newest first.
class AuditLog {
public:
    explicit AuditLog(db::StoreManager& stores) : stores_(stores) {}
    core::Page<Record> list(const core::TenantId& tenant, const Query& query);
    core::Page<Record> list_platform(const Query& query);
    // Convenience for writers outside a transaction of their own (e.g. failed sign-ins).
    void record(const core::TenantId& tenant, const Entry& entry);
    void record_platform(const Entry& entry);

private:
    db::StoreManager& stores_;
};

}  // namespace kontor::audit
