// Store contract suite: the same cases on every backend. SQLite always runs (temp dir);
// PostgreSQL runs when KONTOR_TEST_PG_URL is set (e.g. postgresql://kontor@127.0.0.1:5433/postgres)
// and is reported as SKIPPED otherwise. Each PostgreSQL case works in its own random schemas and
// drops them afterwards.
#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <thread>

#include "kontor/core/ids.hpp"
#include "kontor/db/migrate.hpp"
#include "kontor/db/pool.hpp"
#include "kontor/db/stores.hpp"

namespace kontor::db {

// Readable parameter names in gtest output (found by ADL, so outside the anonymous namespace).
void PrintTo(Dialect d, std::ostream* os) {
    *os << (d == Dialect::kSqlite ? "sqlite" : "postgres");
}

namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

std::optional<std::string> pg_url() {
    const char* url = std::getenv("KONTOR_TEST_PG_URL");
    if (url == nullptr || *url == '\0') return std::nullopt;
    return std::string(url);
}

std::string unique_token() {
    std::string s = core::new_uuid_v7();
    std::replace(s.begin(), s.end(), '-', '_');
    return s;
}

class StoreTest : public ::testing::TestWithParam<Dialect> {
protected:
    void SetUp() override {
        if (GetParam() == Dialect::kPostgres) {
            url_ = pg_url();
            if (!url_) GTEST_SKIP() << "KONTOR_TEST_PG_URL is not set";
        }
        dir_ = fs::temp_directory_path() / ("kontor_db_test_" + unique_token());
        fs::create_directories(dir_);
        prefix_ = "kt_" + unique_token().substr(24);  // random tail of the UUID
    }

    void TearDown() override {
        if (url_ && !schemas_.empty()) {
            try {
                auto admin = connect(StoreLocation{Dialect::kPostgres, "", *url_, "public"}, {});
                for (const auto& s : schemas_)
                    admin->exec_script("DROP SCHEMA IF EXISTS " + s + " CASCADE");
            } catch (const std::exception& e) {
                ADD_FAILURE() << "cleanup failed: " << e.what();
            }
        }
        std::error_code ec;
        if (!dir_.empty()) fs::remove_all(dir_, ec);
    }

    // A fresh store of this backend; name distinguishes several stores in one test.
    StoreLocation location(const std::string& name = "main") {
        if (GetParam() == Dialect::kSqlite) {
            return StoreLocation{Dialect::kSqlite, (dir_ / (name + ".db")).string(), "", ""};
        }
        const std::string schema = prefix_ + "_" + name;
        if (std::find(schemas_.begin(), schemas_.end(), schema) == schemas_.end())
            schemas_.push_back(schema);
        return StoreLocation{Dialect::kPostgres, "", *url_, schema};
    }

    std::unique_ptr<Connection> open(const std::string& name = "main") {
        return connect(location(name), {});
    }

    void create_people(Connection& conn) {
        conn.exec_script(
            "CREATE TABLE people (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER);"
            "CREATE TABLE pets (id TEXT PRIMARY KEY, owner TEXT NOT NULL REFERENCES people (id))");
    }

    std::optional<std::string> url_;
    fs::path dir_;
    std::string prefix_;
    std::vector<std::string> schemas_;
};

std::string backend_name(const ::testing::TestParamInfo<Dialect>& info) {
    return info.param == Dialect::kSqlite ? "sqlite" : "postgres";
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), backend_name);

TEST_P(StoreTest, BindsDollarParametersOutOfOrderAndRepeated) {
    auto conn = open();
    create_people(*conn);
    // $2 before $1, $1 used twice, and a trailing parameter the statement does not use.
    EXPECT_EQ(conn->execute(
                  "INSERT INTO people (email, id, age) VALUES ($2 || '@' || $1, $1, $3)",
                  {std::string("p1"), std::string("ann"), std::int64_t{41}, std::string("unused")}),
              1);
    auto rs = conn->query("SELECT id, email, age FROM people WHERE id = $1 AND age = $2",
                          {std::string("p1"), std::int64_t{41}});
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs.get_text(0, 0), "p1");
    EXPECT_EQ(rs.get_text(0, 1), "ann@p1");
    EXPECT_EQ(rs.get_int(0, 2), 41);
    EXPECT_EQ(rs.columns, (std::vector<std::string>{"id", "email", "age"}));

    // Same SQL again: served from the statement cache with fresh bindings.
    EXPECT_TRUE(conn->query("SELECT id FROM people WHERE id = $1 AND age = $2",
                            {std::string("p1"), std::int64_t{40}})
                    .empty());
    EXPECT_EQ(conn->query("SELECT id FROM people WHERE id = $1 AND age = $2",
                          {std::string("p1"), std::int64_t{41}})
                  .size(),
              1u);

    try {
        conn->query("SELECT id FROM people WHERE id = $1 AND age = $2", {std::string("p1")});
        FAIL() << "a missing parameter must be an error";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kOther);
    }
}

TEST_P(StoreTest, ValuesRoundTrip) {
    auto conn = open();
    conn->exec_script(
        "CREATE TABLE vals (id INTEGER PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, t TEXT, b "
        "INTEGER)");
    constexpr const char* kInsert = "INSERT INTO vals (id, i, d, t, b) VALUES ($1, $2, $3, $4, $5)";
    const std::string utf8 = "Grüße, 日本語, emoji 😀, quote ' and \\ backslash";
    conn->execute(kInsert,
                  {std::int64_t{1}, std::numeric_limits<std::int64_t>::max(), 0.1, utf8, true});
    conn->execute(kInsert, {std::int64_t{2}, std::numeric_limits<std::int64_t>::min(), -1.5e300,
                            std::string(), false});
    conn->execute(kInsert, {std::int64_t{3}, nullptr, nullptr, nullptr, nullptr});

    auto rs = conn->query("SELECT i, d, t, b FROM vals ORDER BY id");
    ASSERT_EQ(rs.size(), 3u);
    EXPECT_EQ(rs.get_int(0, 0), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(rs.get_double(0, 1), 0.1);
    EXPECT_EQ(rs.get_text(0, 2), utf8);
    EXPECT_TRUE(rs.get_bool(0, 3));
    EXPECT_EQ(rs.get_int(1, 0), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(rs.get_double(1, 1), -1.5e300);
    EXPECT_FALSE(rs.is_null(1, 2));  // empty text is not NULL
    EXPECT_EQ(rs.get_text(1, 2), "");
    EXPECT_FALSE(rs.get_bool(1, 3));
    for (int c = 0; c < 4; ++c) EXPECT_TRUE(rs.is_null(2, c)) << "column " << c;
    EXPECT_EQ(rs.opt_int(2, 0), std::nullopt);
    EXPECT_EQ(rs.opt_text(2, 2), std::nullopt);
    EXPECT_EQ(rs.opt_int(0, 3), 1);
    EXPECT_THROW(rs.get_int(2, 0), DbError);   // NULL
    EXPECT_THROW(rs.get_text(2, 2), DbError);  // NULL
    EXPECT_THROW(rs.get_int(0, 2), DbError);   // not a number
    EXPECT_THROW(rs.get_int(0, 9), DbError);   // no such column

    // Parameters round-trip through the engine unchanged too, and booleans read back as such.
    auto echo = conn->query("SELECT t FROM vals WHERE t = $1", {utf8});
    ASSERT_EQ(echo.size(), 1u);
    EXPECT_EQ(echo.get_text(0, 0), utf8);
    auto exists =
        conn->query("SELECT EXISTS (SELECT 1 FROM vals WHERE id = $1)", {std::int64_t{3}});
    EXPECT_TRUE(exists.get_bool(0, 0));
}

TEST_P(StoreTest, ConstraintViolationsMapToKinds) {
    auto conn = open();
    create_people(*conn);
    conn->execute("INSERT INTO people (id, email) VALUES ($1, $2)",
                  {std::string("a"), std::string("secret@x")});
    try {
        conn->execute("INSERT INTO people (id, email) VALUES ($1, $2)",
                      {std::string("b"), std::string("secret@x")});
        FAIL() << "duplicate email accepted";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kConflict) << e.what();
        EXPECT_EQ(std::string(e.what()).find("secret@x"), std::string::npos)
            << "value leaked: " << e.what();
    }
    try {
        conn->execute("INSERT INTO people (id, email) VALUES ($1, $2)",
                      {std::string("a"), std::string("other@x")});
        FAIL() << "duplicate primary key accepted";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kConflict) << e.what();
    }
    try {
        conn->execute("INSERT INTO pets (id, owner) VALUES ($1, $2)",
                      {std::string("rex"), std::string("nobody")});
        FAIL() << "dangling foreign key accepted";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kConstraint) << e.what();
    }
    try {
        conn->execute("INSERT INTO people (id, email) VALUES ($1, $2)",
                      {std::string("c"), nullptr});
        FAIL() << "NULL accepted in NOT NULL column";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kConstraint) << e.what();
    }
    try {
        conn->query("SELEC nonsense");
        FAIL() << "syntax error accepted";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kOther) << e.what();
    }
    // The connection is still good after errors outside a transaction.
    EXPECT_TRUE(conn->healthy());
    EXPECT_EQ(conn->query("SELECT COUNT(*) FROM people").get_int(0, 0), 1);
}

TEST_P(StoreTest, TransactionCommitsOrRollsBack) {
    auto conn = open();
    create_people(*conn);
    {
        Transaction tx(*conn);
        tx.conn().execute("INSERT INTO people (id, email) VALUES ($1, $2)",
                          {std::string("a"), std::string("a@x")});
        tx.commit();
    }
    {
        Transaction tx(*conn);
        tx.conn().execute("INSERT INTO people (id, email) VALUES ($1, $2)",
                          {std::string("b"), std::string("b@x")});
        EXPECT_EQ(conn->query("SELECT COUNT(*) FROM people").get_int(0, 0), 2);  // visible inside
    }  // destroyed without commit
    EXPECT_EQ(conn->query("SELECT COUNT(*) FROM people").get_int(0, 0), 1);

    // A failed statement inside a transaction: the guard still leaves the connection clean.
    {
        Transaction tx(*conn, /*write=*/false);
        EXPECT_THROW(tx.conn().execute("INSERT INTO people (id, email) VALUES ($1, $2)",
                                       {std::string("a"), std::string("dup@x")}),
                     DbError);
    }
    Transaction tx(*conn);
    EXPECT_THROW(conn->begin(true), DbError);  // no nesting
    tx.commit();
    EXPECT_EQ(conn->query("SELECT COUNT(*) FROM people").get_int(0, 0), 1);
}

TEST_P(StoreTest, PoolIsBoundedAndTimesOut) {
    auto pool = Pool::create("t", location(),
                             PoolOptions{.max_size = 2, .acquire_timeout = milliseconds(50)});
    auto a = pool->acquire();
    auto b = pool->acquire();
    try {
        auto c = pool->acquire();
        FAIL() << "third lease from a pool of two";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kBusy);
        EXPECT_NE(std::string(e.what()).find("pool exhausted"), std::string::npos);
    }
    auto s = pool->stats();
    EXPECT_EQ(s.open, 2);
    EXPECT_EQ(s.in_use, 2);
    EXPECT_EQ(s.max, 2);
    EXPECT_EQ(s.waits, 1u);
    EXPECT_FALSE(pool->idle());

    // A waiter gets the connection as soon as one is returned.
    auto patient = Pool::create("p", location(),
                                PoolOptions{.max_size = 1, .acquire_timeout = milliseconds(30000)});
    auto first = patient->acquire();
    std::thread waiter([&] { auto lease = patient->acquire(); });
    while (patient->stats().waits == 0) std::this_thread::yield();
    first = Lease();
    waiter.join();
    EXPECT_EQ(patient->stats().waits, 1u);
    EXPECT_TRUE(patient->idle());

    a = Lease();
    b.discard();
    b = Lease();
    s = pool->stats();
    EXPECT_EQ(s.open, 1);  // the discarded one was closed
    EXPECT_EQ(s.in_use, 0);
    EXPECT_TRUE(pool->idle());
    pool->close_idle();
    EXPECT_EQ(pool->stats().open, 0);
}

TEST_P(StoreTest, LeaseReturnedMidTransactionDoesNotLeakIt) {
    auto pool = Pool::create("t", location(), PoolOptions{.max_size = 1});
    {
        auto lease = pool->acquire();
        create_people(*lease);
        lease->begin(true);
        lease->execute("INSERT INTO people (id, email) VALUES ($1, $2)",
                       {std::string("a"), std::string("a@x")});
    }  // returned with the transaction open
    auto lease = pool->acquire();
    EXPECT_EQ(lease->query("SELECT COUNT(*) FROM people").get_int(0, 0), 0);
    EXPECT_NO_THROW(lease->begin(true));  // not "already in a transaction"
    lease->rollback();
    EXPECT_EQ(pool->stats().open, 1);
}

TEST_P(StoreTest, MigrateAppliesAllAndIsIdempotent) {
    for (const StoreKind kind : {StoreKind::kCatalog, StoreKind::kTenant}) {
        const std::string name = kind == StoreKind::kCatalog ? "catalog" : "tenant";
        SCOPED_TRACE(name);
        const auto all = migrations(kind, GetParam());
        ASSERT_FALSE(all.empty());
        EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) {
            return a.version < b.version;
        }));
        EXPECT_EQ(all.front().name.substr(0, 5), "0001_");
        const int latest = latest_version(kind, GetParam());
        EXPECT_EQ(latest, all.back().version);

        auto conn = open(name);
        EXPECT_EQ(current_version(*conn), 0);
        const auto first = migrate(*conn, kind);
        EXPECT_EQ(first.from_version, 0);
        EXPECT_EQ(first.to_version, latest);
        EXPECT_EQ(first.applied.size(), all.size());
        EXPECT_EQ(current_version(*conn), latest);

        const auto second = migrate(*conn, kind);
        EXPECT_TRUE(second.applied.empty());
        EXPECT_EQ(second.from_version, latest);
        EXPECT_EQ(second.to_version, latest);

        // The tables exist.
        EXPECT_NO_THROW(conn->query(kind == StoreKind::kCatalog
                                        ? "SELECT COUNT(*) FROM tenants"
                                        : "SELECT COUNT(*) FROM audit_log"));

        // A store migrated by a newer binary is refused rather than run against.
        conn->execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            {std::int64_t{latest + 1000}, std::string("9999_future"), std::int64_t{0}});
        try {
            migrate(*conn, kind);
            FAIL() << "downgrade not refused";
        } catch (const DbError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::kOther);
            EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
        }
    }
}

TEST_P(StoreTest, ConcurrentMigratorsApplyEachMigrationOnce) {
    const auto all = migrations(StoreKind::kTenant, GetParam());
    for (int round = 0; round < 5; ++round) {
        const StoreLocation loc = location("race" + std::to_string(round));
        constexpr int kThreads = 4;
        std::barrier start(kThreads);
        std::vector<MigrationReport> reports(kThreads);
        std::vector<std::string> errors(kThreads);
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                try {
                    start.arrive_and_wait();
                    auto conn = connect(loc, {});  // racing on creating the store, too
                    reports[static_cast<std::size_t>(i)] = migrate(*conn, StoreKind::kTenant);
                } catch (const std::exception& e) {
                    errors[static_cast<std::size_t>(i)] = e.what();
                }
            });
        }
        for (auto& t : threads) t.join();
        std::size_t applied = 0;
        for (int i = 0; i < kThreads; ++i) {
            EXPECT_EQ(errors[static_cast<std::size_t>(i)], "") << "thread " << i;
            applied += reports[static_cast<std::size_t>(i)].applied.size();
        }
        EXPECT_EQ(applied, all.size());
        auto conn = connect(loc, {});
        EXPECT_EQ(conn->query("SELECT COUNT(*) FROM schema_migrations").get_int(0, 0),
                  static_cast<std::int64_t>(all.size()));
    }
}

TEST_P(StoreTest, StoreManagerKeepsABoundedLruOfIdlePools) {
    StoreConfig config;
    config.database_url = GetParam() == Dialect::kSqlite ? "" : *url_;
    config.data_dir = dir_.string();
    config.max_open_tenant_stores = 2;
    StoreManager stores(config);
    EXPECT_EQ(stores.dialect(), GetParam());

    std::vector<core::TenantId> ids;
    std::unordered_map<core::TenantId, StoreLocation> where;
    for (int i = 0; i < 3; ++i) {
        ids.emplace_back(core::new_uuid_v7());
        where[ids.back()] = location("tenant" + std::to_string(i));
    }
    int resolved = 0;
    stores.set_location_resolver([&](const core::TenantId& id) -> std::optional<StoreLocation> {
        ++resolved;
        auto it = where.find(id);
        return it == where.end() ? std::nullopt : std::optional(it->second);
    });
    auto open_tenants = [&] {
        std::vector<std::string> names;
        for (const auto& s : stores.stats()) {
            if (s.store != "catalog") names.push_back(s.store);
        }
        std::sort(names.begin(), names.end());
        return names;
    };
    auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };

    auto held = stores.tenant(ids[0]);  // oldest, but busy: must survive eviction
    held->query("SELECT 1");
    { stores.tenant(ids[1])->query("SELECT 1"); }
    { stores.tenant(ids[2])->query("SELECT 1"); }
    EXPECT_EQ(open_tenants(), sorted({ids[0].str(), ids[2].str()}));  // idle ids[1] closed
    EXPECT_EQ(resolved, 3);

    held = Lease();
    { stores.tenant(ids[2])->query("SELECT 1"); }  // cached: no resolver call
    EXPECT_EQ(resolved, 3);
    { stores.tenant(ids[1])->query("SELECT 1"); }  // reopens; evicts idle LRU ids[0]
    EXPECT_EQ(resolved, 4);
    EXPECT_EQ(open_tenants(), sorted({ids[1].str(), ids[2].str()}));
    const auto all = stores.stats();
    EXPECT_EQ(all.front().store, "catalog");
    EXPECT_EQ(all.front().open, 0);  // the catalog was never used, so never connected

    try {
        stores.tenant(core::TenantId{core::new_uuid_v7()});
        FAIL() << "unknown tenant resolved";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kOther);
    }
}

TEST_P(StoreTest, StoreManagerProvisionsAndDropsTenantStores) {
    StoreConfig config;
    config.database_url = GetParam() == Dialect::kSqlite ? "" : *url_;
    config.data_dir = dir_.string();
    StoreManager stores(config);
    const core::TenantId id{core::new_uuid_v7()};
    const StoreLocation loc = stores.default_location(id);
    EXPECT_THROW(stores.default_location(core::TenantId{"../../etc/passwd"}),
                 std::invalid_argument);
    if (GetParam() == Dialect::kSqlite) {
        EXPECT_EQ(loc.sqlite_path, "tenants/" + id.str() + ".db");  // relative to the data dir
        EXPECT_EQ(stores.resolve(loc).sqlite_path,
                  (dir_ / "tenants" / (id.str() + ".db")).string());
        EXPECT_EQ(stores.catalog_location().sqlite_path, (dir_ / "catalog.db").string());
    } else {
        std::string schema = "t_" + id.str();
        std::replace(schema.begin(), schema.end(), '-', '_');
        EXPECT_EQ(loc.pg_schema, schema);
        EXPECT_EQ(loc.pg_conninfo, *url_);
        EXPECT_EQ(stores.catalog_location().pg_schema, "catalog");
        schemas_.push_back(schema);  // cleanup if the drop below fails
    }
    EXPECT_EQ(StoreLocation::parse(loc.to_string()).to_string(), loc.to_string());

    const auto report = stores.migrate_tenant(id, loc);
    EXPECT_EQ(report.to_version, latest_version(StoreKind::kTenant, GetParam()));
    if (GetParam() == Dialect::kSqlite) {
        EXPECT_TRUE(fs::exists(stores.resolve(loc).sqlite_path));
    }
    EXPECT_TRUE(stores.migrate_tenant(id, loc).applied.empty());

    stores.drop_tenant_store(loc);
    if (GetParam() == Dialect::kSqlite) {
        EXPECT_FALSE(fs::exists(stores.resolve(loc).sqlite_path));
        EXPECT_FALSE(fs::exists(stores.resolve(loc).sqlite_path + "-wal"));
    } else {
        auto admin = connect(StoreLocation{Dialect::kPostgres, "", *url_, "public"}, {});
        EXPECT_TRUE(admin
                        ->query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1",
                                {loc.pg_schema})
                        .empty());
    }
}

// --- Backend-specific and pure cases ---

TEST(StoreLocation, ParsesAndPrints) {
    auto s = StoreLocation::parse("sqlite:/var/lib/kontor/tenants/x.db");
    EXPECT_EQ(s.dialect, Dialect::kSqlite);
    EXPECT_EQ(s.sqlite_path, "/var/lib/kontor/tenants/x.db");
    EXPECT_EQ(s.to_string(), "sqlite:/var/lib/kontor/tenants/x.db");

    auto p = StoreLocation::parse(
        "postgresql://kontor@127.0.0.1:5432/kontor?sslmode=disable#schema=t_abc_1");
    EXPECT_EQ(p.dialect, Dialect::kPostgres);
    EXPECT_EQ(p.pg_conninfo, "postgresql://kontor@127.0.0.1:5432/kontor?sslmode=disable");
    EXPECT_EQ(p.pg_schema, "t_abc_1");
    EXPECT_EQ(p.to_string(),
              "postgresql://kontor@127.0.0.1:5432/kontor?sslmode=disable#schema=t_abc_1");
    EXPECT_EQ(StoreLocation::parse("postgres://h/db#schema=catalog").pg_conninfo,
              "postgres://h/db");

    for (const char* bad : {"", "sqlite:", "mysql://h/db", "/tmp/x.db", "postgresql://h/db",
                            "postgresql://h/db#schema=", "postgresql://h/db#schema=Upper",
                            "postgresql://h/db#schema=1abc", "postgresql://h/db#schema=a;drop",
                            "postgresql://h/db#schema=a\"b", "postgresql://h/db#other=x"}) {
        EXPECT_THROW(StoreLocation::parse(bad), std::invalid_argument) << bad;
    }
    EXPECT_THROW(StoreLocation::parse("postgresql://h/db#schema=" + std::string(64, 'a')),
                 std::invalid_argument);
    EXPECT_NO_THROW(StoreLocation::parse("postgresql://h/db#schema=" + std::string(63, 'a')));
}

TEST(ResultSet, AcceptsPostgresBooleans) {
    ResultSet rs;
    rs.columns = {"b"};
    rs.rows = {{{false, "t"}}, {{false, "f"}}, {{false, "2"}}};
    EXPECT_TRUE(rs.get_bool(0, 0));
    EXPECT_FALSE(rs.get_bool(1, 0));
    EXPECT_EQ(rs.get_int(2, 0), 2);
}

class SqliteTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("kontor_db_sqlite_" + unique_token());
        loc_ = StoreLocation{Dialect::kSqlite, (dir_ / "nested" / "dir" / "s.db").string(), "", ""};
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir_;
    StoreLocation loc_;
};

TEST_F(SqliteTest, PragmasAreInEffect) {
    auto conn = connect(loc_, {});  // also creates the parent directories
    EXPECT_TRUE(fs::exists(loc_.sqlite_path));
    EXPECT_EQ(conn->query("PRAGMA journal_mode").get_text(0, 0), "wal");
    EXPECT_EQ(conn->query("PRAGMA synchronous").get_int(0, 0), 2);  // FULL
    EXPECT_EQ(conn->query("PRAGMA foreign_keys").get_int(0, 0), 1);
    EXPECT_EQ(conn->query("PRAGMA busy_timeout").get_int(0, 0), 5000);
}

TEST_F(SqliteTest, WriterBlockedBeyondTheTimeoutGetsBusy) {
    const PoolOptions quick{.busy_timeout = milliseconds(20)};
    auto a = connect(loc_, quick);
    auto b = connect(loc_, quick);
    a->exec_script("CREATE TABLE t (x INTEGER)");
    Transaction holder(*a);  // BEGIN IMMEDIATE: a holds the write lock
    try {
        Transaction tx(*b);
        FAIL() << "second writer got the lock";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kBusy) << e.what();
    }
    try {
        b->execute("INSERT INTO t (x) VALUES ($1)", {std::int64_t{1}});
        FAIL() << "autocommit write got the lock";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kBusy) << e.what();
    }
    // Readers are not blocked by a writer in WAL mode.
    EXPECT_EQ(b->query("SELECT COUNT(*) FROM t").get_int(0, 0), 0);
    holder.commit();
    EXPECT_EQ(b->execute("INSERT INTO t (x) VALUES ($1)", {true}), 1);
    EXPECT_EQ(b->query("SELECT x FROM t").get_int(0, 0), 1);
}

TEST_F(SqliteTest, RejectsOtherParameterFormsAndMultipleStatements) {
    auto conn = connect(loc_, {});
    EXPECT_THROW(conn->query("SELECT ?", {std::int64_t{1}}), DbError);
    EXPECT_THROW(conn->query("SELECT :name", {std::int64_t{1}}), DbError);
    EXPECT_THROW(conn->query("SELECT 1; SELECT 2"), DbError);
    EXPECT_EQ(conn->query("SELECT 1;").get_int(0, 0), 1);
}

TEST(SqliteOpen, UnopenablePathIsUnavailable) {
    try {
        connect(StoreLocation{Dialect::kSqlite, "/proc/definitely/not/here.db", "", ""}, {});
        FAIL() << "opened an impossible path";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
    }
}

TEST(PostgresOpen, UnreachableServerIsUnavailable) {
    if (!pg_url()) GTEST_SKIP() << "KONTOR_TEST_PG_URL is not set";
    try {
        connect(StoreLocation{Dialect::kPostgres, "",
                              "postgresql://kontor@127.0.0.1:1/x?connect_timeout=2", "s"},
                {});
        FAIL() << "connected to port 1";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
    }
}

TEST(PostgresPool, ConnectionKilledByServerIsReplaced) {
    const auto url = pg_url();
    if (!url) GTEST_SKIP() << "KONTOR_TEST_PG_URL is not set";
    const std::string schema = "kt_" + unique_token().substr(24) + "_kill";
    auto admin = connect(StoreLocation{Dialect::kPostgres, "", *url, "public"}, {});
    auto pool = Pool::create("k", StoreLocation{Dialect::kPostgres, "", *url, schema},
                             PoolOptions{.max_size = 1});
    std::int64_t pid = 0;
    {
        auto lease = pool->acquire();
        pid = lease->query("SELECT pg_backend_pid()").get_int(0, 0);
    }
    admin->query("SELECT pg_terminate_backend($1)", {pid});
    {
        auto lease = pool->acquire();
        try {
            lease->query("SELECT 1");
            ADD_FAILURE() << "query on a terminated backend succeeded";
        } catch (const DbError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
        }
        EXPECT_FALSE(lease->healthy());
    }  // closed, not returned
    EXPECT_EQ(pool->stats().open, 0);
    {
        auto lease = pool->acquire();
        EXPECT_NE(lease->query("SELECT pg_backend_pid()").get_int(0, 0), pid);
    }
    admin->exec_script("DROP SCHEMA " + schema + " CASCADE");
}

}  // namespace
namespace {

// The catalog records where a tenant lives; it must never record a database password.
TEST(StoreManagerLocations, RecordedPostgresLocationHoldsNoSecret) {
    StoreConfig config;
    config.database_url =
        "postgresql://kontor:s3cret@db.internal:5432/kontor?sslmode=disable&password=p2";
    StoreManager stores(config);  // does not connect
    const core::TenantId id{core::new_uuid_v7()};
    const StoreLocation recorded = stores.default_location(id);
    const std::string text = recorded.to_string();
    EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
    EXPECT_EQ(text.find("p2"), std::string::npos) << text;
    EXPECT_NE(text.find("kontor@db.internal:5432/kontor?sslmode=disable"), std::string::npos)
        << text;
    // Opening it uses the credentials of KONTOR_DATABASE_URL again.
    EXPECT_EQ(stores.resolve(recorded).pg_conninfo, config.database_url);
    // A store on another server keeps its own (password-less) URL: libpq's .pgpass supplies it.
    StoreLocation elsewhere = recorded;
    elsewhere.pg_conninfo = "postgresql://kontor@db2.internal/kontor";
    EXPECT_EQ(stores.resolve(elsewhere).pg_conninfo, "postgresql://kontor@db2.internal/kontor");
}

TEST(StoreManagerLocations, SqlitePathsAreRelativeToTheDataDirectory) {
    StoreConfig config;
    config.data_dir = "/srv/kontor/data";
    StoreManager stores(config);
    const core::TenantId id{core::new_uuid_v7()};
    const StoreLocation recorded = stores.default_location(id);
    EXPECT_EQ(recorded.to_string(), "sqlite:tenants/" + id.str() + ".db");
    EXPECT_EQ(stores.resolve(recorded).sqlite_path, "/srv/kontor/data/tenants/" + id.str() + ".db");
    StoreLocation absolute = recorded;
    absolute.sqlite_path = "/mnt/big/" + id.str() + ".db";
    EXPECT_EQ(stores.resolve(absolute).sqlite_path, absolute.sqlite_path);
    EXPECT_THROW(stores.default_location(core::TenantId{"../../etc/passwd"}),
                 std::invalid_argument);
}

}  // namespace
}  // namespace kontor::db
