#pragma once
// Customer organisations (the tenant's customers): CLIENT and CUSTOMER_ADMIN users belong to one,
// tickets and documents are filed under one. Kept in the tenant store (table customers).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/core/page.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/actor.hpp"

namespace kontor::customers {

struct Customer {
    core::OrganizationId id;
    std::string name;                          // 1-200 bytes, unique per tenant (case-insensitive)
    std::optional<std::string> domain;         // e-mail / web domain, lower-case
    std::optional<std::string> contact_email;  // normalised lower-case
    std::optional<std::string> phone;
    std::optional<std::string> address;
    std::optional<std::string> notes;         // staff-only: never shown to customer users
    std::optional<std::string> external_ref;  // unique per tenant when set
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t version = 1;  // bumped by every update (ETag)
};

// Create: name required. Update: absent fields stay; an inner nullopt clears a nullable field.
struct CustomerInput {
    std::optional<std::string> name;
    std::optional<std::optional<std::string>> domain;
    std::optional<std::optional<std::string>> contact_email;
    std::optional<std::optional<std::string>> phone;
    std::optional<std::optional<std::string>> address;
    std::optional<std::optional<std::string>> notes;
    std::optional<std::optional<std::string>> external_ref;
};

struct CustomerQuery {
    core::PageRequest page;
    std::optional<std::string> search;  // substring of name, domain or contact e-mail
    std::string sort = "name";          // "name" | "created_at" | "updated_at"
    bool descending = false;
};

// The customer policy (CONVENTIONS.md §9) and store access. Thread-safe (holds a StoreManager&).
//
// Visibility: customers.read → every customer of the tenant; otherwise only the actor's own
// organisation. Anything else is not_found, never forbidden, so ids of other organisations do not
// leak. Writes need customers.write (staff). `tenant` is the tenant acted in: the actor's, or the
// one a platform ADMIN names.
class CustomerService {
public:
    explicit CustomerService(db::StoreManager& stores) : stores_(stores) {}

    core::Result<core::Page<Customer>> list(const identity::Actor& actor,
                                            const core::TenantId& tenant,
                                            const CustomerQuery& query);
    // Errors: not_found.
    core::Result<Customer> get(const identity::Actor& actor, const core::TenantId& tenant,
                               const core::OrganizationId& id);
    // Errors: forbidden (no customers.write), validation_failed, conflict (name or external_ref
    // taken). Audits "customer.created".
    core::Result<Customer> create(const identity::Actor& actor, const core::TenantId& tenant,
                                  const CustomerInput& input);
    // Errors: not_found, forbidden, validation_failed, conflict, precondition_failed (the
    // if_match version is stale). Audits "customer.updated".
    core::Result<Customer> update(const identity::Actor& actor, const core::TenantId& tenant,
                                  const core::OrganizationId& id, const CustomerInput& input,
                                  std::optional<std::int64_t> if_match_version);
    // For other services (user creation, registration): does the organisation exist?
    bool exists(const core::TenantId& tenant, const core::OrganizationId& id);

private:
    db::StoreManager& stores_;
};

// The JSON form for the API; `notes` only when include_internal (staff).
nlohmann::json to_json(const Customer& customer, bool include_internal);

}  // namespace kontor::customers
