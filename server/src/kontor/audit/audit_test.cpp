// The audit log on both engines: appends, filtered pages newest first, and a store that refuses
// to change or delete what was recorded.
#include "kontor/audit/audit.hpp"

#include <gtest/gtest.h>

#include "kontor/core/clock.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "support/tenant_stores.hpp"
#include "support/test_env.hpp"

namespace kontor::audit {
namespace {

class AuditTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        testing::open_tenant_stores(GetParam(), db_, stores_, tenants_);
        auto created = tenants_->create({.name = "Audit Desk"});
        ASSERT_TRUE(created) << created.error().detail;
        tenant_ = created->id;
        log_ = std::make_unique<AuditLog>(*stores_);
    }

    static Entry entry(std::string action, std::string actor = "u1") {
        return {std::move(action), std::move(actor), "s1", "10.0.0.1", "r1", {{"k", "v"}}};
    }

    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<AuditLog> log_;
    core::TenantId tenant_;
};

TEST_P(AuditTest, AppendsAndPagesNewestFirst) {
    for (int i = 0; i < 5; ++i) log_->record(tenant_, entry("auth.login_failed"));
    log_->record(tenant_, entry("auth.login", "u2"));
    Query q;
    q.page.limit = 4;
    const auto page = log_->list(tenant_, q);
    EXPECT_EQ(page.total, 7);  // + tenant.created
    ASSERT_EQ(page.items.size(), 4u);
    EXPECT_EQ(page.items[0].action, "auth.login");
    EXPECT_EQ(page.items[0].actor_id, "u2");
    EXPECT_EQ(page.items[0].ip, "10.0.0.1");
    EXPECT_EQ(page.items[0].details["k"], "v");
    q.page.page = 2;
    EXPECT_EQ(log_->list(tenant_, q).items.size(), 3u);
}

TEST_P(AuditTest, FiltersByActionPrefixActorAndTime) {
    log_->record(tenant_, entry("auth.login"));
    log_->record(tenant_, entry("auth.lockout", "u9"));
    log_->record(tenant_, entry("authorisation.other"));
    Query q;
    q.action = "auth.";  // a prefix: the dot matters
    EXPECT_EQ(log_->list(tenant_, q).total, 2);
    q.action = "auth.login";
    EXPECT_EQ(log_->list(tenant_, q).total, 1);
    q.action = "auth%";  // no LIKE wildcards from callers
    EXPECT_EQ(log_->list(tenant_, q).total, 0);
    Query by_actor;
    by_actor.actor_id = "u9";
    EXPECT_EQ(log_->list(tenant_, by_actor).total, 1);
    Query future;
    future.from_ms = core::now_ms() + 60'000;
    EXPECT_EQ(log_->list(tenant_, future).total, 0);
}

TEST_P(AuditTest, PlatformLogIsSeparate) {
    log_->record_platform(entry("tenant.suspended"));
    EXPECT_EQ(log_->list_platform({}).total, 1);
    Query q;
    q.action = "tenant.suspended";
    EXPECT_EQ(log_->list(tenant_, q).total, 0);
}

TEST_P(AuditTest, TheStoreRefusesToChangeOrDeleteEntries) {
    log_->record(tenant_, entry("auth.login"));
    auto conn = stores_->tenant(tenant_);
    EXPECT_THROW(conn->execute("UPDATE audit_log SET action = 'x'"), db::DbError);
    EXPECT_THROW(conn->execute("DELETE FROM audit_log"), db::DbError);
    auto catalog = stores_->catalog();
    log_->record_platform(entry("x"));
    EXPECT_THROW(catalog->execute("DELETE FROM platform_audit_log"), db::DbError);
    EXPECT_EQ(log_->list(tenant_, {}).total, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::audit
