// Embedded migrations and the migrator (see migrate.hpp for the locking story).
#include "kontor/db/migrate.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "kontor/core/clock.hpp"
#include "kontor/core/log.hpp"
#include "kontor/db/embedded_migrations.hpp"

namespace kontor::db {
namespace {

std::string_view dialect_dir(Dialect d) { return d == Dialect::kSqlite ? "sqlite" : "postgres"; }
std::string_view kind_dir(StoreKind k) { return k == StoreKind::kCatalog ? "catalog" : "tenant"; }

// First key of the two-key advisory lock: keeps Kontor's migration lock apart from any other
// advisory locks an operator may use in the same database. The second key is the schema.
constexpr std::string_view kPgMigrationLock =
    "SELECT pg_advisory_xact_lock(1265593972, hashtext(current_schema()))";

constexpr std::string_view kSqliteCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view kPgCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
constexpr std::string_view kSqliteTableExists =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr std::string_view kPgTableExists =
    "SELECT 1 FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";
constexpr std::string_view kMaxVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr std::string_view kInsertVersion =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

}  // namespace

std::vector<Migration> migrations(StoreKind kind, Dialect dialect) {
    const std::string prefix =
        std::string(dialect_dir(dialect)) + "/" + std::string(kind_dir(kind)) + "/";
    std::vector<Migration> out;
    for (const auto& file : embedded_migrations()) {
        if (!file.name.starts_with(prefix) || !file.name.ends_with(".sql")) continue;
        std::string_view base = file.name.substr(prefix.size());
        base.remove_suffix(4);  // ".sql"
        Migration m;
        const auto [end, ec] = std::from_chars(base.data(), base.data() + base.size(), m.version);
        if (ec != std::errc() || end == base.data() || m.version <= 0 ||
            end == base.data() + base.size() || *end != '_' ||
            base.find('/') != std::string_view::npos) {
            throw DbError(ErrorKind::kOther,
                          "migration file name is not NNNN_name.sql: " + std::string(file.name));
        }
        m.name = std::string(base);
        m.sql = file.content;
        out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (out[i].version == out[i - 1].version) {
            throw DbError(ErrorKind::kOther, "duplicate migration version " +
                                                 std::to_string(out[i].version) + ": " +
                                                 out[i - 1].name + " and " + out[i].name);
        }
    }
    return out;
}

int latest_version(StoreKind kind, Dialect dialect) {
    const auto all = migrations(kind, dialect);
    return all.empty() ? 0 : all.back().version;
}

int current_version(Connection& conn) {
    const auto exists =
        conn.query(conn.dialect() == Dialect::kSqlite ? kSqliteTableExists : kPgTableExists);
    if (exists.empty()) return 0;
    return static_cast<int>(conn.query(kMaxVersion).get_int(0, 0));
}

MigrationReport migrate(Connection& conn, StoreKind kind) {
    const Dialect dialect = conn.dialect();
    const auto all = migrations(kind, dialect);
    const int latest = all.empty() ? 0 : all.back().version;
    MigrationReport report;
    bool first = true;
    for (;;) {
        // One transaction per migration. The lock is taken first and the version read after it,
        // so a second migrator waiting on the lock sees the first one's work and skips it.
        Transaction tx(conn, /*write=*/true);  // SQLite: BEGIN IMMEDIATE is the lock
        if (dialect == Dialect::kPostgres) conn.query(kPgMigrationLock);
        conn.exec_script(dialect == Dialect::kSqlite ? kSqliteCreateTable : kPgCreateTable);
        const int version = static_cast<int>(conn.query(kMaxVersion).get_int(0, 0));
        if (first) {
            report.from_version = version;
            first = false;
        }
        report.to_version = version;
        if (version > latest) {
            throw DbError(ErrorKind::kOther,
                          "store " + std::string(kind_dir(kind)) + " is at version " +
                              std::to_string(version) + ", newer than this binary knows (" +
                              std::to_string(latest) + "); refusing to downgrade");
        }
        const auto next = std::find_if(all.begin(), all.end(),
                                       [&](const Migration& m) { return m.version > version; });
        if (next == all.end()) {
            tx.commit();
            return report;
        }
        conn.exec_script(next->sql);
        conn.execute(kInsertVersion, {std::int64_t{next->version}, next->name, core::now_ms()});
        tx.commit();
        report.applied.push_back(next->name);
        report.to_version = next->version;
        core::log::info("migration applied", {{"store_kind", kind_dir(kind)},
                                              {"dialect", dialect_dir(dialect)},
                                              {"version", next->version},
                                              {"name", next->name}});
    }
}

}  // namespace kontor::db
