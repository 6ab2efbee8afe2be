#pragma once
// StoreManager: the catalog store plus one store per tenant (DESIGN.md §4).
//
// SQLite: <data_dir>/catalog.db and <data_dir>/tenants/<tenant-id>.db.
// PostgreSQL: schema "catalog" and schema "t_<id with '-' as '_'>" per tenant, in the database of
// KONTOR_DATABASE_URL unless the catalog records another location for the tenant.
//
// Thread-safe. Owned by the composition root (app); modules receive a reference.
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kontor/core/ids.hpp"
#include "kontor/db/migrate.hpp"
#include "kontor/db/pool.hpp"

namespace kontor::db {

struct StoreConfig {
    std::string database_url;  // "" or "sqlite:<path>" → SQLite under data_dir; "postgresql://…"
    std::string data_dir = "./data";
    int max_open_tenant_stores = 256;  // bound on tenant pools (and so SQLite files) kept open
    PoolOptions catalog_pool{};
    PoolOptions tenant_pool{.max_size = 4};
};

class StoreManager {
public:
    // Looks up where a tenant's store lives (the catalog's record); nullopt for unknown tenants.
    using LocationResolver = std::function<std::optional<StoreLocation>(const core::TenantId&)>;

    explicit StoreManager(StoreConfig config);  // does not connect yet
    ~StoreManager();

    Dialect dialect() const noexcept;
    const StoreLocation& catalog_location() const noexcept;
    void set_location_resolver(LocationResolver resolver);

    Lease catalog();
    // Throws DbError(kOther) when the resolver does not know the tenant.
    Lease tenant(const core::TenantId& id);

    // Where a new tenant's store goes by default, in the form the catalog records: a SQLite path
    // relative to the data directory ("tenants/<id>.db"), or a PostgreSQL URL without password.
    StoreLocation default_location(const core::TenantId& id) const;
    // The recorded form → what to connect to: relative SQLite paths are resolved against the data
    // directory; a PostgreSQL location on the server of KONTOR_DATABASE_URL gets its credentials
    // (other servers take theirs from libpq's ~/.pgpass or PGPASSFILE).
    StoreLocation resolve(const StoreLocation& recorded) const;
    // A direct connection to a store by recorded location (e.g. one not in the catalog yet).
    std::unique_ptr<Connection> open(const StoreLocation& recorded) const;

    // Applies pending catalog migrations (under a lock, see migrate.hpp).
    MigrationReport migrate_catalog();
    // Creates (if needed) and migrates a tenant store at the given location.
    MigrationReport migrate_tenant(const core::TenantId& id, const StoreLocation& location);
    // Deletes a tenant store that was provisioned but never recorded (failed tenant creation).
    void drop_tenant_store(const StoreLocation& location) noexcept;

    std::vector<PoolStats> stats() const;

private:
    std::shared_ptr<Pool> tenant_pool(const core::TenantId& id);

    StoreConfig config_;
    StoreLocation catalog_location_;
    std::shared_ptr<Pool> catalog_;
    LocationResolver resolver_;
    mutable std::mutex mu_;
    // LRU of open tenant pools: most recently used at the front.
    std::list<std::pair<core::TenantId, std::shared_ptr<Pool>>> lru_;
    std::unordered_map<core::TenantId, decltype(lru_)::iterator> tenants_;
};

}  // namespace kontor::db
