// StoreManager: maps the configured database URL to the catalog store and tenants to their
// stores, keeping a bounded LRU of open tenant pools.
#include "kontor/db/stores.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "kontor/core/log.hpp"
#include "kontor/db/internal.hpp"

namespace kontor::db {
namespace {

StoreLocation catalog_location_for(const StoreConfig& config) {
    const std::string& url = config.database_url;
    StoreLocation loc;
    if (url.empty() || url == "sqlite:") {
        loc.dialect = Dialect::kSqlite;
        loc.sqlite_path = (std::filesystem::path(config.data_dir) / "catalog.db").string();
        return loc;
    }
    if (url.starts_with("sqlite:")) return StoreLocation::parse(url);
    if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        loc.dialect = Dialect::kPostgres;
        loc.pg_conninfo = url.substr(0, url.find('#'));
        loc.pg_schema = "catalog";
        return loc;
    }
    // Not echoed: an unknown URL might still carry a password.
    throw std::invalid_argument("database URL must be empty, sqlite:<path> or postgresql://...");
}

// "postgresql://user:secret@host/db?x=1" → "postgresql://user@host/db?x=1" (also drops a
// password=… query parameter): the catalog never stores a secret.
std::string without_password(const std::string& url) {
    std::string out = url;
    const auto scheme = out.find("://");
    if (scheme != std::string::npos) {
        const auto start = scheme + 3;
        const auto at = out.find('@', start);
        const auto slash = out.find('/', start);
        if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
            const auto colon = out.find(':', start);
            if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
        }
    }
    const auto query = out.find('?');
    if (query != std::string::npos) {
        std::string params = out.substr(query + 1), kept;
        std::size_t pos = 0;
        while (pos <= params.size()) {
            const auto amp = std::min(params.find('&', pos), params.size());
            const std::string kv = params.substr(pos, amp - pos);
            if (!kv.empty() && !kv.starts_with("password=")) kept += (kept.empty() ? "" : "&") + kv;
            pos = amp + 1;
        }
        out = out.substr(0, query) + (kept.empty() ? "" : "?" + kept);
    }
    return out;
}

}  // namespace

StoreManager::StoreManager(StoreConfig config)
    : config_(std::move(config)),
      catalog_location_(catalog_location_for(config_)),
      catalog_(Pool::create("catalog", catalog_location_, config_.catalog_pool)) {}

StoreManager::~StoreManager() = default;

Dialect StoreManager::dialect() const noexcept { return catalog_location_.dialect; }

const StoreLocation& StoreManager::catalog_location() const noexcept { return catalog_location_; }

void StoreManager::set_location_resolver(LocationResolver resolver) {
    std::lock_guard lock(mu_);
    resolver_ = std::move(resolver);
}

Lease StoreManager::catalog() { return catalog_->acquire(); }

Lease StoreManager::tenant(const core::TenantId& id) { return tenant_pool(id)->acquire(); }

std::shared_ptr<Pool> StoreManager::tenant_pool(const core::TenantId& id) {
    LocationResolver resolver;
    {
        std::lock_guard lock(mu_);
        if (auto it = tenants_.find(id); it != tenants_.end()) {
            lru_.splice(lru_.begin(), lru_, it->second);
            return it->second->second;
        }
        resolver = resolver_;
    }
    if (!resolver)
        throw DbError(ErrorKind::kOther, "store manager has no tenant location resolver");
    // Unlocked: the resolver reads the catalog, which may block on the catalog pool.
    const std::optional<StoreLocation> location = resolver(id);
    if (!location) throw DbError(ErrorKind::kOther, "unknown tenant " + id.str());
    auto pool = Pool::create(id.str(), resolve(*location), config_.tenant_pool);

    std::vector<std::shared_ptr<Pool>> evicted;
    {
        std::lock_guard lock(mu_);
        if (auto it = tenants_.find(id); it != tenants_.end()) {  // another thread was faster
            lru_.splice(lru_.begin(), lru_, it->second);
            return it->second->second;
        }
        lru_.emplace_front(id, pool);
        tenants_.emplace(id, lru_.begin());
        // Close least recently used pools beyond the bound; a pool with leases out stays open
        // (so the bound can be exceeded briefly under load rather than failing a request).
        const auto bound = static_cast<std::size_t>(std::max(1, config_.max_open_tenant_stores));
        for (auto it = std::prev(lru_.end()); lru_.size() > bound && it != lru_.begin();) {
            const auto victim = it--;
            if (!victim->second->idle()) continue;
            evicted.push_back(std::move(victim->second));
            tenants_.erase(victim->first);
            lru_.erase(victim);
        }
    }
    // A caller that fetched an evicted pool just before still holds it and can use it; its
    // connections close when the last reference goes.
    for (auto& p : evicted) p->close_idle();
    return pool;
}

StoreLocation StoreManager::default_location(const core::TenantId& id) const {
    // The id becomes a file or schema name: accept only canonical UUID text, so "../x" cannot.
    if (!core::is_uuid(id.str())) throw std::invalid_argument("tenant id is not a UUID");
    StoreLocation loc;
    loc.dialect = catalog_location_.dialect;
    if (loc.dialect == Dialect::kSqlite) {
        loc.sqlite_path = (std::filesystem::path("tenants") / (id.str() + ".db")).string();
        return loc;
    }
    loc.pg_conninfo = without_password(catalog_location_.pg_conninfo);
    loc.pg_schema = "t_" + id.str();
    for (char& c : loc.pg_schema) {
        if (c == '-') c = '_';
    }
    return loc;
}

StoreLocation StoreManager::resolve(const StoreLocation& recorded) const {
    StoreLocation loc = recorded;
    if (loc.dialect == Dialect::kSqlite) {
        const std::filesystem::path path(loc.sqlite_path);
        if (path.is_relative())
            loc.sqlite_path = (std::filesystem::path(config_.data_dir) / path).string();
    } else if (catalog_location_.dialect == Dialect::kPostgres &&
               without_password(loc.pg_conninfo) ==
                   without_password(catalog_location_.pg_conninfo)) {
        loc.pg_conninfo = catalog_location_.pg_conninfo;
    }
    return loc;
}

std::unique_ptr<Connection> StoreManager::open(const StoreLocation& recorded) const {
    return connect(resolve(recorded), config_.tenant_pool);
}

MigrationReport StoreManager::migrate_catalog() {
    Lease lease = catalog();
    return migrate(*lease, StoreKind::kCatalog);
}

MigrationReport StoreManager::migrate_tenant(const core::TenantId& id,
                                             const StoreLocation& location) {
    // A direct connection: the tenant may not be recorded in the catalog yet, so it has no pool.
    auto conn = open(location);
    MigrationReport report = migrate(*conn, StoreKind::kTenant);
    if (!report.applied.empty()) {
        core::log::info(
            "tenant store migrated",
            {{"tenant_id", id.str()}, {"from", report.from_version}, {"to", report.to_version}});
    }
    return report;
}

void StoreManager::drop_tenant_store(const StoreLocation& recorded) noexcept {
    try {
        const StoreLocation location = resolve(recorded);
        if (location.dialect == Dialect::kSqlite) {
            std::error_code ec;
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
                std::filesystem::remove(location.sqlite_path + suffix, ec);
            }
        } else {
            internal::drop_postgres_schema(location.pg_conninfo, location.pg_schema);
        }
    } catch (const std::exception& e) {
        core::log::warn("could not drop tenant store", {{"error", e.what()}});
    }
}

std::vector<PoolStats> StoreManager::stats() const {
    std::lock_guard lock(mu_);
    std::vector<PoolStats> out;
    out.reserve(lru_.size() + 1);
    out.push_back(catalog_->stats());
    for (const auto& [id, pool] : lru_) out.push_back(pool->stats());
    return out;
}

}  // namespace kontor::db
