#pragma once
// Tenants: the organisations that run a Kontor service desk (a managed service provider, an
// agency). Recorded in the catalog store, each with its own tenant store (DESIGN.md §4).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/db/stores.hpp"

namespace kontor::tenancy {

struct Tenant {
    core::TenantId id;
    std::string slug;
    std::string name;
    std::string status;          // "active" | "suspended"
    std::string store_location;  // db::StoreLocation::to_string()
    nlohmann::json settings = nlohmann::json::object();
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct NewTenant {
    std::string name;
    std::optional<std::string> slug;  // derived from the name when absent
};

// Rules for names and slugs, shared by the command line and (later) the HTTP API.
std::vector<core::FieldError> validate(const NewTenant& input);
// "Acme Services GmbH" → "acme-services-gmbh"; "" when nothing usable remains.
std::string slugify(std::string_view name);

// Owns tenant lifecycle. Thread-safe (holds only a StoreManager reference).
class TenantService {
public:
    explicit TenantService(db::StoreManager& stores) : stores_(stores) {}

    // Provisions the tenant's store (created and migrated) before recording the tenant in the
    // catalog, so a catalog row never points at a missing store; a failed insert removes the new
    // store again. Writes "tenant.created" to the tenant's audit log and outbox.
    // Errors: validation_failed (bad name/slug), conflict (slug taken).
    core::Result<Tenant> create(const NewTenant& input);

    // By id or slug.
    std::optional<Tenant> find(std::string_view id_or_slug);
    std::vector<Tenant> list();
    // Where a tenant's store lives; the StoreManager's LocationResolver.
    std::optional<db::StoreLocation> location(const core::TenantId& id);
    // Applies pending tenant migrations to every tenant store; returns how many stores changed.
    int migrate_all();

private:
    db::StoreManager& stores_;
};

}  // namespace kontor::tenancy
