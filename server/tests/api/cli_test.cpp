// The command line as an operator uses it: migrate, admin create-tenant/create-user/
// reset-password, demo, version — on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "kontor/db/stores.hpp"
#include "support/server_process.hpp"

namespace kontor {
namespace {

using testing::kontor_env;
using testing::run_kontor;
using testing::TestDatabase;

class Cli : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        db_ = std::make_unique<TestDatabase>(GetParam());
    }
    testing::CommandResult kontor(const std::vector<std::string>& args,
                                  const std::string& in = "") {
        return run_kontor(args, kontor_env(*db_), in);
    }
    std::unique_ptr<TestDatabase> db_;
};

TEST_P(Cli, MigrateIsIdempotent) {
    auto first = kontor({"migrate"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.err.find("migration applied"), std::string::npos);
    auto second = kontor({"migrate"});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(second.err.find("migration applied"), std::string::npos);
}

TEST_P(Cli, CreateTenantProvisionsItsStore) {
    auto r = kontor({"admin", "create-tenant", "--name", "Acme"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto t = nlohmann::json::parse(r.out);
    EXPECT_EQ(t["slug"], "acme");
    const auto location = db::StoreLocation::parse(t["store"].get<std::string>());
    db::StoreManager stores(db_->store_config());
    auto conn = stores.open(location);
    // The new store is migrated: its tables exist and record the creation.
    EXPECT_EQ(conn->query("SELECT action FROM audit_log").get_text(0, 0), "tenant.created");
    if (GetParam() == "sqlite") {
        EXPECT_TRUE(std::filesystem::exists(db_->data_dir() / "catalog.db"));
        EXPECT_TRUE(std::filesystem::exists(db_->data_dir() / "tenants" /
                                            (t["id"].get<std::string>() + ".db")));
    } else {
        EXPECT_EQ(location.pg_schema.rfind("t_", 0), 0u);
    }
    auto dup = kontor({"admin", "create-tenant", "--name", "Acme"});
    EXPECT_EQ(dup.exit_code, 3);
    EXPECT_NE(dup.err.find("exists"), std::string::npos);
    auto bad = kontor({"admin", "create-tenant", "--name", "Acme", "--slug", "Not A Slug"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("/slug"), std::string::npos);
}

TEST_P(Cli, CreateUserAndResetPassword) {
    ASSERT_EQ(kontor({"admin", "create-tenant", "--name", "Acme"}).exit_code, 0);
    auto gen = kontor({"admin", "create-user", "--tenant", "acme", "--email", "Mia@Acme.example",
                       "--name", "Mia", "--role", "MANAGER"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    const auto u = nlohmann::json::parse(gen.out);
    EXPECT_EQ(u["email"], "mia@acme.example");
    EXPECT_EQ(u["role"], "MANAGER");
    EXPECT_EQ(u["password"].get<std::string>().size(), 20u);

    auto stdin_pw = kontor({"admin", "create-user", "--tenant", "acme", "--email", "e@acme.example",
                            "--name", "E", "--role", "EXPERT", "--password-stdin"},
                           "a sound passphrase\n");
    ASSERT_EQ(stdin_pw.exit_code, 0) << stdin_pw.err;
    EXPECT_FALSE(nlohmann::json::parse(stdin_pw.out).contains("password"));

    auto weak = kontor({"admin", "create-user", "--tenant", "acme", "--email", "w@acme.example",
                        "--name", "W", "--password-stdin"},
                       "short\n");
    EXPECT_EQ(weak.exit_code, 2);
    EXPECT_NE(weak.err.find("/password"), std::string::npos);

    auto dup = kontor({"admin", "create-user", "--tenant", "acme", "--email", "MIA@acme.example",
                       "--name", "M2"});
    EXPECT_EQ(dup.exit_code, 3);
    auto no_tenant = kontor(
        {"admin", "create-user", "--tenant", "nope", "--email", "x@acme.example", "--name", "X"});
    EXPECT_EQ(no_tenant.exit_code, 2);

    auto reset = kontor({"admin", "reset-password", "--email", "mia@acme.example"});
    ASSERT_EQ(reset.exit_code, 0) << reset.err;
    EXPECT_EQ(reset.out.rfind("new password: ", 0), 0u);
    auto unknown = kontor({"admin", "reset-password", "--email", "ghost@acme.example"});
    EXPECT_NE(unknown.exit_code, 0);
}

TEST_P(Cli, DemoLoadsOnceWithIfEmpty) {
    auto first = kontor({"demo", "--if-empty"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("loaded"), std::string::npos);
    auto second = kontor({"demo", "--if-empty"});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("skipped"), std::string::npos);
}

// The plain demo opens on real work: Acme's cases in every state, an unassigned queue, one past
// its SLA, an internal note; loading it again adds nothing.
TEST_P(Cli, DemoHasAcmesCasesOnce) {
    for (int run = 0; run < 2; ++run) {
        auto r = kontor({"demo"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    db::StoreManager stores(db_->store_config());
    const auto where =
        stores.catalog()->query("SELECT store_location FROM tenants WHERE slug = 'demo'");
    ASSERT_EQ(where.size(), 1u);
    auto conn = stores.open(db::StoreLocation::parse(where.get_text(0, 0)));
    const auto counts = conn->query(
        "SELECT COUNT(*), COUNT(DISTINCT status), "
        "SUM(CASE WHEN assigned_to IS NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN sla_breached = 1 THEN 1 ELSE 0 END) FROM tickets");
    EXPECT_EQ(counts.get_int(0, 0), 8);
    EXPECT_EQ(counts.get_int(0, 1), 6);  // new, assigned, in_progress, waiting, resolved, closed
    EXPECT_EQ(counts.get_int(0, 2), 2);
    EXPECT_GE(counts.get_int(0, 3), 1);
    EXPECT_EQ(conn->query("SELECT COUNT(*) FROM ticket_comments WHERE visibility = 'internal'")
                  .get_int(0, 0),
              1);
}

// `kontor demo --tickets N`: N tickets over the customers and experts asked for, a year of them
// with the states a desk has (mostly closed, the recent ones open), conversations and history;
// a second run adds N more with the numbers going on.
TEST_P(Cli, DemoGeneratesADesk) {
    auto r = kontor({"demo", "--tickets", "400", "--customers", "8", "--experts", "4"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("400 tickets"), std::string::npos) << r.out;

    db::StoreManager stores(db_->store_config());
    const auto where =
        stores.catalog()->query("SELECT store_location FROM tenants WHERE slug = 'demo'");
    ASSERT_EQ(where.size(), 1u);
    auto conn = stores.open(db::StoreLocation::parse(where.get_text(0, 0)));
    const auto counts = conn->query(
        "SELECT COUNT(*), COUNT(DISTINCT customer_id), MIN(number), MAX(number), "
        "SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status IN ('new', 'assigned', 'in_progress', 'waiting_customer') "
        "THEN 1 ELSE 0 END) FROM tickets");
    EXPECT_EQ(counts.get_int(0, 0), 400);
    EXPECT_EQ(counts.get_int(0, 1), 8);  // every customer has some (Acme the most)
    EXPECT_EQ(counts.get_int(0, 2), 1001);
    EXPECT_EQ(counts.get_int(0, 3), 1400);
    EXPECT_GT(counts.get_int(0, 4), 200);  // mostly done
    EXPECT_GT(counts.get_int(0, 5), 0);    // and some open work
    EXPECT_GT(conn->query("SELECT COUNT(*) FROM ticket_comments").get_int(0, 0), 400);
    EXPECT_GT(conn->query("SELECT COUNT(*) FROM ticket_comments WHERE visibility = 'internal'")
                  .get_int(0, 0),
              0);
    EXPECT_GT(conn->query("SELECT COUNT(*) FROM ticket_history").get_int(0, 0), 800);
    // The experts exist with the demo password's account and skills.
    EXPECT_EQ(stores.catalog()
                  ->query("SELECT COUNT(*) FROM users WHERE email LIKE 'expert0_@demo.example' "
                          "AND role = 'EXPERT'")
                  .get_int(0, 0),
              4);

    auto again = kontor({"demo", "--tickets", "100", "--customers", "8", "--experts", "4"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const auto after = conn->query("SELECT COUNT(*), MAX(number) FROM tickets");
    EXPECT_EQ(after.get_int(0, 0), 500);
    EXPECT_EQ(after.get_int(0, 1), 1500);
    EXPECT_EQ(conn->query("SELECT COUNT(*) FROM customers").get_int(0, 0), 8);
}

TEST_P(Cli, BadConfigurationIsAClearError) {
    auto r = run_kontor({"migrate", "--log-level", "loud"}, kontor_env(*db_));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("log-level"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Cli, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

TEST(CliVersion, PrintsVersion) {
    auto r = run_kontor({"version"}, {});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("kontor 0.", 0), 0u) << r.out;
}

}  // namespace
}  // namespace kontor
