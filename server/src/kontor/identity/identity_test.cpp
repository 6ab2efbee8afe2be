#include <gtest/gtest.h>

#include "kontor/identity/password.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "support/test_env.hpp"

namespace kontor::identity {
namespace {

TEST(Password, HashAndVerify) {
    const std::string hash = hash_password("correct horse battery");
    EXPECT_TRUE(hash.starts_with("$argon2id$"));
    EXPECT_TRUE(verify_password("correct horse battery", hash));
    EXPECT_FALSE(verify_password("correct horse batterY", hash));
    EXPECT_FALSE(verify_password("x", "not a hash"));
    EXPECT_NE(hash_password("correct horse battery"), hash);  // salted
}

TEST(Password, Policy) {
    EXPECT_TRUE(password_problem("short", "a@b.example"));
    EXPECT_TRUE(password_problem("jane.doe@example.com", "Jane.Doe@example.com"));
    EXPECT_TRUE(password_problem("Password1234", "x@y.example"));
    EXPECT_TRUE(password_problem(std::string(257, 'x'), "x@y.example"));
    EXPECT_FALSE(password_problem("a sound passphrase", "x@y.example"));
    const std::string generated = generate_password();
    EXPECT_EQ(generated.size(), 20u);
    EXPECT_FALSE(password_problem(generated, "x@y.example"));
}

TEST(Email, Normalize) {
    EXPECT_EQ(normalize_email("  Jane.Doe@Example.COM "), "jane.doe@example.com");
    EXPECT_FALSE(normalize_email("no-at-sign"));
    EXPECT_FALSE(normalize_email("a@b@c.example"));
    EXPECT_FALSE(normalize_email("@example.com"));
    EXPECT_FALSE(normalize_email("a b@example.com"));
    EXPECT_FALSE(normalize_email("a@nodot"));
}

class UserServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        db_ = std::make_unique<testing::TestDatabase>(GetParam());
        stores_ = std::make_unique<db::StoreManager>(db_->store_config());
        tenants_ = std::make_unique<tenancy::TenantService>(*stores_);
        stores_->set_location_resolver(
            [this](const core::TenantId& id) { return tenants_->location(id); });
        stores_->migrate_catalog();
        users_ = std::make_unique<UserService>(*stores_);
        tenant_ = tenants_->create({.name = "Acme", .slug = std::nullopt})->id;
    }
    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<UserService> users_;
    core::TenantId tenant_;
};

TEST_P(UserServiceTest, CreateAndVerify) {
    auto u =
        users_->create({tenant_, "Mia@Acme.Example", "Mia", Role::kManager, "a sound passphrase"});
    ASSERT_TRUE(u) << u.error().detail;
    EXPECT_EQ(u->email, "mia@acme.example");
    EXPECT_EQ(u->tenant, tenant_);
    EXPECT_TRUE(users_->verify_credentials("MIA@acme.example", "a sound passphrase"));
    EXPECT_FALSE(users_->verify_credentials("mia@acme.example", "wrong passphrase!"));
    EXPECT_FALSE(users_->verify_credentials("nobody@acme.example", "a sound passphrase"));
}

TEST_P(UserServiceTest, EmailIsUniquePlatformWide) {
    auto other = tenants_->create({.name = "Other", .slug = std::nullopt})->id;
    ASSERT_TRUE(
        users_->create({tenant_, "x@acme.example", "X", Role::kExpert, "a sound passphrase"}));
    auto dup = users_->create({other, "X@ACME.example", "X2", Role::kClient, "a sound passphrase"});
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
}

TEST_P(UserServiceTest, RoleAndTenantMustAgree) {
    auto admin_with_tenant =
        users_->create({tenant_, "a@kontor.example", "A", Role::kAdmin, "a sound passphrase"});
    ASSERT_FALSE(admin_with_tenant);
    EXPECT_EQ(admin_with_tenant.error().fields.front().field, "/tenant_id");
    auto manager_without = users_->create(
        {std::nullopt, "m@kontor.example", "M", Role::kManager, "a sound passphrase"});
    ASSERT_FALSE(manager_without);
    auto unknown_tenant = users_->create({core::TenantId{core::new_uuid_v7()}, "u@kontor.example",
                                          "U", Role::kClient, "a sound passphrase"});
    ASSERT_FALSE(unknown_tenant);
    EXPECT_EQ(unknown_tenant.error().code, core::ErrorCode::kValidation);
    EXPECT_TRUE(users_->create(
        {std::nullopt, "root@kontor.example", "Root", Role::kAdmin, "a sound passphrase"}));
}

TEST_P(UserServiceTest, ResetPassword) {
    ASSERT_TRUE(
        users_->create({tenant_, "e@acme.example", "E", Role::kExpert, "a sound passphrase"}));
    EXPECT_EQ(users_->reset_password("e@acme.example", "short").error().code,
              core::ErrorCode::kValidation);
    EXPECT_EQ(users_->reset_password("nobody@acme.example", "another passphrase").error().code,
              core::ErrorCode::kNotFound);
    ASSERT_TRUE(users_->reset_password("E@acme.example", "another passphrase"));
    EXPECT_FALSE(users_->verify_credentials("e@acme.example", "a sound passphrase"));
    EXPECT_TRUE(users_->verify_credentials("e@acme.example", "another passphrase"));
}

INSTANTIATE_TEST_SUITE_P(Backends, UserServiceTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::identity
