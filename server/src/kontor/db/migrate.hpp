#pragma once
// Numbered SQL migrations per store kind and dialect, compiled into the binary from
// server/migrations/<dialect>/<kind>/NNNN_name.sql (cmake/KontorEmbed.cmake).
//
// migrate() applies the pending ones in order under a lock that serializes concurrent migrators
// (several `kontor serve` instances starting at once): SQLite takes the write lock with
// BEGIN IMMEDIATE; PostgreSQL takes pg_advisory_xact_lock. Each migration runs in its own
// transaction together with its row in schema_migrations, so a failed migration leaves the store
// at the previous version.
#include <string>
#include <string_view>
#include <vector>

#include "kontor/db/store.hpp"

namespace kontor::db {

enum class StoreKind { kCatalog, kTenant };

struct Migration {
    int version = 0;
    std::string name;  // "0001_init"
    std::string_view sql;
};

struct MigrationReport {
    int from_version = 0;
    int to_version = 0;
    std::vector<std::string> applied;  // names, in order
};

// The embedded migrations for one store kind and dialect, sorted by version.
std::vector<Migration> migrations(StoreKind kind, Dialect dialect);
int latest_version(StoreKind kind, Dialect dialect);
// Version recorded in the store; 0 when schema_migrations does not exist yet.
int current_version(Connection& conn);
MigrationReport migrate(Connection& conn, StoreKind kind);

}  // namespace kontor::db
