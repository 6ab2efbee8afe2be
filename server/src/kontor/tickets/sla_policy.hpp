#pragma once
// SLA policies: business hours (tickets/sla.hpp) plus response and resolution targets per
// priority. A tenant has at most one default policy and one override per customer organisation
// (table sla_policies, migration 0003). The policy that applies to a ticket is its customer's,
// else the tenant default, else the built-in one: office hours Monday to Friday 08:00–18:00 in the
// tenant's time zone with default_sla_targets(). Due times are computed when a ticket is created
// (and when its priority changes), so a policy change applies to those, not to tickets already
// running.
//
// Who may do what: staff (customers.read) read policies; tenant.settings (MANAGER) changes them.
// Every change lands in the tenant's audit log in the same transaction.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/actor.hpp"
#include "kontor/tickets/sla.hpp"

namespace kontor::tenancy {
class TenantService;
}

namespace kontor::tickets {

struct SlaPolicy {
    std::optional<core::OrganizationId> customer;  // nullopt: the tenant's default
    std::string name;
    BusinessHours hours;
    std::array<SlaTarget, 4> targets;  // by Priority (low … critical)
    std::string source;                // "customer" | "tenant" | "built_in"
    std::int64_t version = 0;          // 0 for the built-in policy
    std::optional<std::int64_t> updated_at;
};

// low, medium, high, critical — working minutes to first response and to resolution.
std::array<SlaTarget, 4> default_sla_targets();

// The policy that applies to a customer's tickets (customer nullopt: the tenant default or the
// built-in one). A stored policy that no longer parses is skipped the same way.
SlaPolicy effective_sla_policy(db::Connection& conn,
                               const std::optional<core::OrganizationId>& customer,
                               const std::string& tenant_time_zone);

// {"customer_id", "name", "business_hours", "targets", "source", "version", "updated_at"}.
nlohmann::json to_json(const SlaPolicy& policy);

class SlaPolicyService {
public:
    SlaPolicyService(db::StoreManager& stores, tenancy::TenantService& tenants)
        : stores_(stores), tenants_(tenants) {}

    // The policy in force for the customer (nullopt: the tenant default). Errors: forbidden
    // (customers.read), not_found (no such customer).
    core::Result<SlaPolicy> get(const identity::Actor& actor, const core::TenantId& tenant,
                                const std::optional<core::OrganizationId>& customer);
    // Creates or replaces the tenant default (customer nullopt) or the customer's override from a
    // body {"name"?, "business_hours", "targets"} with all four priorities. Errors: forbidden
    // (tenant.settings), not_found, validation_failed (fields named by JSON pointer),
    // precondition_failed (if_match is not the stored version; 0 = "must not exist yet").
    core::Result<SlaPolicy> put(const identity::Actor& actor, const core::TenantId& tenant,
                                const std::optional<core::OrganizationId>& customer,
                                const nlohmann::json& body, std::optional<std::int64_t> if_match);
    // Removes a customer's override (its tickets then follow the tenant default). Errors:
    // forbidden, not_found (no such customer, or it has no override).
    core::Result<void> remove(const identity::Actor& actor, const core::TenantId& tenant,
                              const core::OrganizationId& customer);

private:
    db::StoreManager& stores_;
    tenancy::TenantService& tenants_;
};

}  // namespace kontor::tickets
