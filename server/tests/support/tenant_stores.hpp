#pragma once
// The ground every domain service test stands on: a fresh database on one backend, its store
// manager with the catalog migrated, and the tenancy service locating tenant stores. Header-only:
// include it from tests that link kontor::tenancy (kontor_testing itself does not).
#include <memory>
#include <string>

#include "kontor/core/ids.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "support/test_env.hpp"

namespace kontor::testing {

// Fills the three owners (a fixture's members, destroyed in reverse: tenants, stores, database).
inline void open_tenant_stores(const std::string& backend, std::unique_ptr<TestDatabase>& db,
                               std::unique_ptr<db::StoreManager>& stores,
                               std::unique_ptr<tenancy::TenantService>& tenants) {
    db = std::make_unique<TestDatabase>(backend);
    stores = std::make_unique<db::StoreManager>(db->store_config());
    tenants = std::make_unique<tenancy::TenantService>(*stores);
    stores->set_location_resolver(
        [t = tenants.get()](const core::TenantId& id) { return t->location(id); });
    stores->migrate_catalog();
}

}  // namespace kontor::testing
