#include <gtest/gtest.h>

#include <filesystem>

#include "kontor/db/migrate.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "support/test_env.hpp"

namespace kontor::tenancy {
namespace {

TEST(Slug, DerivedFromName) {
    EXPECT_EQ(slugify("Acme Services GmbH"), "acme-services-gmbh");
    EXPECT_EQ(slugify("  --Hello__World!! "), "hello-world");
    EXPECT_EQ(slugify("Müller & Söhne"), "m-ller-s-hne");
    EXPECT_EQ(slugify("???"), "");
}

TEST(Validate, RejectsBadInput) {
    EXPECT_TRUE(validate({.name = "Acme", .slug = std::nullopt}).empty());
    EXPECT_EQ(validate({.name = "", .slug = std::nullopt}).front().field, "/name");
    EXPECT_EQ(validate({.name = "A\x01"
                                "b",
                        .slug = std::nullopt})
                  .front()
                  .field,
              "/name");
    EXPECT_EQ(validate({.name = std::string(201, 'a'), .slug = std::nullopt}).front().field,
              "/name");
    EXPECT_EQ(validate({.name = "Acme", .slug = "Bad Slug"}).front().field, "/slug");
    EXPECT_EQ(validate({.name = "Acme", .slug = "-x"}).front().field, "/slug");
    EXPECT_EQ(validate({.name = "???", .slug = std::nullopt}).front().field, "/slug");
}

class TenantServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        db_ = std::make_unique<testing::TestDatabase>(GetParam());
        stores_ = std::make_unique<db::StoreManager>(db_->store_config());
        service_ = std::make_unique<TenantService>(*stores_);
        stores_->set_location_resolver(
            [this](const core::TenantId& id) { return service_->location(id); });
        stores_->migrate_catalog();
    }
    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<TenantService> service_;
};

TEST_P(TenantServiceTest, CreateProvisionsAMigratedStore) {
    auto t = service_->create({.name = "Acme Services", .slug = std::nullopt});
    ASSERT_TRUE(t.has_value()) << t.error().detail;
    EXPECT_EQ(t->slug, "acme-services");
    EXPECT_TRUE(core::is_uuid(t->id.str()));

    auto lease = stores_->tenant(t->id);
    EXPECT_EQ(db::current_version(*lease),
              db::latest_version(db::StoreKind::kTenant, stores_->dialect()));
    auto audit = lease->query("SELECT action, subject FROM audit_log");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit.get_text(0, 0), "tenant.created");
    EXPECT_EQ(audit.get_text(0, 1), t->id.str());
    EXPECT_EQ(lease->query("SELECT topic FROM outbox").get_text(0, 0), "tenant.created");

    const auto loc = db::StoreLocation::parse(t->store_location);
    if (GetParam() == "sqlite") {
        // Recorded relative to the data directory, so the directory can move as a whole.
        EXPECT_EQ(loc.sqlite_path, "tenants/" + t->id.str() + ".db");
        EXPECT_TRUE(std::filesystem::exists(db_->data_dir() / loc.sqlite_path));
    } else {
        std::string schema = "t_" + t->id.str();
        for (char& c : schema) c = c == '-' ? '_' : c;
        EXPECT_EQ(loc.pg_schema, schema);
    }
}

TEST_P(TenantServiceTest, TenantsAreIsolatedByConstruction) {
    auto a = service_->create({.name = "Alpha", .slug = std::nullopt});
    auto b = service_->create({.name = "Beta", .slug = std::nullopt});
    ASSERT_TRUE(a && b);
    {
        auto la = stores_->tenant(a->id);
        la->execute(
            "INSERT INTO audit_log (id, at, action, details) VALUES ($1, 1, 'secret.a', '{}')",
            {core::new_uuid_v7()});
    }
    auto lb = stores_->tenant(b->id);
    EXPECT_TRUE(lb->query("SELECT id FROM audit_log WHERE action = 'secret.a'").empty());
}

TEST_P(TenantServiceTest, DuplicateSlugIsAConflictAndLeavesNoStore) {
    ASSERT_TRUE(service_->create({.name = "Acme", .slug = std::nullopt}));
    auto again = service_->create({.name = "Acme", .slug = std::nullopt});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(service_->list().size(), 1u);
    if (GetParam() == "sqlite") {
        int files = 0;
        for (const auto& e : std::filesystem::directory_iterator(db_->data_dir() / "tenants")) {
            files += e.path().extension() == ".db" ? 1 : 0;
        }
        EXPECT_EQ(files, 1);
    }
}

TEST_P(TenantServiceTest, FindByIdOrSlugAndList) {
    auto t = service_->create({.name = "Globex", .slug = "globex-eu"});
    ASSERT_TRUE(t);
    EXPECT_EQ(service_->find("globex-eu")->id, t->id);
    EXPECT_EQ(service_->find(t->id.str())->slug, "globex-eu");
    EXPECT_FALSE(service_->find("nope"));
    EXPECT_EQ(service_->list().size(), 1u);
    EXPECT_FALSE(service_->location(core::TenantId{core::new_uuid_v7()}));
}

TEST_P(TenantServiceTest, MigrateAllIsIdempotent) {
    ASSERT_TRUE(service_->create({.name = "One", .slug = std::nullopt}));
    ASSERT_TRUE(service_->create({.name = "Two", .slug = std::nullopt}));
    EXPECT_EQ(service_->migrate_all(), 0);  // created stores are already current
}

INSTANTIATE_TEST_SUITE_P(Backends, TenantServiceTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::tenancy
