#pragma once
// Connection pools and the store manager.
//
// A Pool owns up to max_size connections to one store (the catalog, or one tenant). acquire()
// hands out a Lease; a Lease returns its connection when it dies. When all connections are in use
// acquire() waits up to acquire_timeout and then throws DbError(kBusy).
//
// The StoreManager owns the catalog pool and one pool per tenant store, opened on first use from
// the tenant's StoreLocation (recorded in the catalog). It bounds the number of open tenant pools
// (max_open_tenant_stores): when the bound is reached the least recently used idle pool is closed,
// so a host with 10,000 SQLite tenants never holds 10,000 open files.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "kontor/db/store.hpp"

namespace kontor::db {

// Where a store lives. For SQLite: a file path. For PostgreSQL: a libpq connection string and a
// schema name (the connection's search_path is set to that schema on connect).
struct StoreLocation {
    Dialect dialect = Dialect::kSqlite;
    std::string sqlite_path;  // SQLite only
    std::string pg_conninfo;  // PostgreSQL only, e.g. "postgresql://user@127.0.0.1:5432/kontor"
    std::string pg_schema;    // PostgreSQL only, e.g. "catalog" or "t_<id>"

    // Serialized form stored in the catalog: "sqlite:<path>" or "postgresql://...#schema=<name>".
    std::string to_string() const;
    static StoreLocation parse(std::string_view text);  // throws std::invalid_argument
};

struct PoolStats {
    std::string store;  // "catalog" or the tenant id
    int open = 0;
    int in_use = 0;
    int max = 0;
    std::uint64_t waits = 0;  // acquisitions that had to wait
};

class Pool;

class Lease {
public:
    Lease() = default;
    Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn);
    ~Lease();
    Lease(Lease&&) noexcept;
    Lease& operator=(Lease&&) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Connection& operator*() const noexcept { return *conn_; }
    Connection* operator->() const noexcept { return conn_.get(); }
    // Marks the connection as broken so it is closed instead of returned to the pool.
    void discard() noexcept { broken_ = true; }

private:
    void release() noexcept;
    std::shared_ptr<Pool> pool_;
    std::unique_ptr<Connection> conn_;
    bool broken_ = false;
};

struct PoolOptions {
    int max_size = 8;
    std::chrono::milliseconds acquire_timeout{5000};
    std::chrono::milliseconds busy_timeout{5000};  // SQLite busy_timeout per connection
};

class Pool : public std::enable_shared_from_this<Pool> {
public:
    static std::shared_ptr<Pool> create(std::string name, StoreLocation location,
                                        PoolOptions options);
    ~Pool();

    Lease acquire();
    PoolStats stats() const;
    const StoreLocation& location() const noexcept { return location_; }
    bool idle() const;  // no connection in use
    void close_idle();  // closes connections not in use

private:
    friend class Lease;
    Pool(std::string name, StoreLocation location, PoolOptions options);
    void give_back(std::unique_ptr<Connection> conn, bool broken) noexcept;

    std::string name_;
    StoreLocation location_;
    PoolOptions options_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Connection>> free_;
    int open_ = 0;
    int in_use_ = 0;
    std::uint64_t waits_ = 0;
};

// Opens one connection to a store. SQLite: WAL, synchronous=FULL, foreign_keys=ON, busy timeout;
// creates the file (and parent directory) if missing. PostgreSQL: connects, creates the schema if
// missing and sets search_path to it.
std::unique_ptr<Connection> connect(const StoreLocation& location, const PoolOptions& options);

}  // namespace kontor::db
