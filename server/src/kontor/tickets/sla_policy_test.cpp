// SlaPolicyService on every backend: the built-in policy, the tenant default and per-customer
// overrides (and which one applies), validation with field pointers, who may read and change
// them, optimistic concurrency, the audit trail, and that new tickets take their due times from
// the policy in force.
#include "kontor/tickets/sla_policy.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "kontor/tickets/test_fixture.hpp"
#include "kontor/tickets/ticket.hpp"
#include "support/test_env.hpp"

namespace kontor::tickets {
namespace {

using identity::Role;
using nlohmann::json;
using testing::fields_of;
using testing::must;

constexpr std::int64_t kMinuteMs = 60'000;

json targets(int scale = 1) {
    return {{"low", {{"response_minutes", 240 * scale}, {"resolution_minutes", 2400 * scale}}},
            {"medium", {{"response_minutes", 120 * scale}, {"resolution_minutes", 960 * scale}}},
            {"high", {{"response_minutes", 60 * scale}, {"resolution_minutes", 480 * scale}}},
            {"critical", {{"response_minutes", 15 * scale}, {"resolution_minutes", 120 * scale}}}};
}

json policy_body(const std::string& name, int scale = 1) {
    return {{"name", name}, {"business_hours", test::always_open()}, {"targets", targets(scale)}};
}

class SlaPolicyTest : public test::ServiceFixture {
protected:
    void SetUp() override {
        ServiceFixture::SetUp();
        if (IsSkipped()) return;
        tenant_ = must(tenants_->create({.name = "Northwind MSP", .slug = std::nullopt})).id;
        manager_ = add_user(tenant_, "mia", Role::kManager);
        must(tenants_->update_settings(tenant_, {{"time_zone", "Europe/Berlin"}}, manager_));
        expert_ = add_user(tenant_, "erik", Role::kExpert);
        x_ = add_customer(tenant_, manager_, "Xylo GmbH");
        y_ = add_customer(tenant_, manager_, "Yew Ltd");
        client_ = add_user(tenant_, "carl", Role::kClient, x_);

        other_tenant_ = must(tenants_->create({.name = "Other Desk", .slug = std::nullopt})).id;
        other_manager_ = add_user(other_tenant_, "otto", Role::kManager);
        other_customer_ = add_customer(other_tenant_, other_manager_, "Far Away AG");
    }

    core::Error put_error(const json& body, std::optional<core::OrganizationId> customer = {}) {
        auto r = policies_->put(manager_, tenant_, customer, body, std::nullopt);
        EXPECT_FALSE(r) << body.dump();
        return r ? core::Error{} : r.error();
    }

    core::TenantId tenant_, other_tenant_;
    core::OrganizationId x_, y_, other_customer_;
    identity::Actor manager_, expert_, client_, other_manager_;
};

TEST_P(SlaPolicyTest, WithoutPoliciesOfficeHoursInTheTenantZoneApply) {
    const auto p = must(policies_->get(manager_, tenant_, std::nullopt));
    EXPECT_EQ(p.source, "built_in");
    EXPECT_EQ(p.version, 0);
    EXPECT_EQ(p.hours.time_zone, "Europe/Berlin");
    ASSERT_EQ(p.hours.week[0].size(), 1u);  // Monday 08:00–18:00
    EXPECT_EQ(p.hours.week[0][0].from, 8 * 60);
    EXPECT_EQ(p.hours.week[0][0].to, 18 * 60);
    EXPECT_TRUE(p.hours.week[5].empty());  // Saturday
    EXPECT_EQ(p.targets[static_cast<std::size_t>(Priority::kCritical)].response_minutes, 60);
    EXPECT_EQ(must(policies_->get(manager_, tenant_, x_)).source, "built_in");
    const json j = to_json(p);
    EXPECT_TRUE(j["customer_id"].is_null());
    EXPECT_TRUE(j["updated_at"].is_null());
    EXPECT_EQ(j["targets"]["medium"]["resolution_minutes"], 40 * 60);
}

TEST_P(SlaPolicyTest, CustomerOverrideBeatsTheDefaultUntilRemoved) {
    const auto def = must(
        policies_->put(manager_, tenant_, std::nullopt, policy_body("Standard"), std::nullopt));
    EXPECT_EQ(def.source, "tenant");
    EXPECT_EQ(def.version, 1);
    const auto gold = must(policies_->put(manager_, tenant_, x_, policy_body("Gold", 2), 0));
    EXPECT_EQ(gold.source, "customer");
    EXPECT_EQ(gold.customer, x_);

    EXPECT_EQ(must(policies_->get(expert_, tenant_, x_)).name, "Gold");
    EXPECT_EQ(must(policies_->get(expert_, tenant_, y_)).name, "Standard");
    EXPECT_EQ(must(policies_->get(expert_, tenant_, std::nullopt)).name, "Standard");

    // Replacing bumps the version; If-Match must name the stored one (0: must not exist).
    auto stale = policies_->put(manager_, tenant_, x_, policy_body("Platinum"), 0);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, core::ErrorCode::kPreconditionFailed);
    const auto platinum = must(policies_->put(manager_, tenant_, x_, policy_body("Platinum"), 1));
    EXPECT_EQ(platinum.version, 2);

    ASSERT_TRUE(policies_->remove(manager_, tenant_, x_));
    EXPECT_EQ(must(policies_->get(manager_, tenant_, x_)).name, "Standard");
    auto again = policies_->remove(manager_, tenant_, x_);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kNotFound);
}

TEST_P(SlaPolicyTest, NewTicketsTakeTheirDueTimesFromThePolicyInForce) {
    must(policies_->put(manager_, tenant_, std::nullopt, policy_body("Standard"), std::nullopt));
    must(policies_->put(manager_, tenant_, x_, policy_body("Gold", 2), std::nullopt));
    auto open = [this](const core::OrganizationId& customer) {
        NewTicket in;
        in.title = "Printer";
        in.customer = customer;
        in.priority = "high";
        return must(service_->create(manager_, tenant_, in)).ticket;
    };
    const Ticket gold = open(x_);  // around the clock: due = created + target
    EXPECT_EQ(*gold.sla_response_due - gold.created_at, 120 * kMinuteMs);
    EXPECT_EQ(*gold.sla_resolution_due - gold.created_at, 960 * kMinuteMs);
    const Ticket standard = open(y_);
    EXPECT_EQ(*standard.sla_response_due - standard.created_at, 60 * kMinuteMs);
    EXPECT_EQ(*standard.sla_resolution_due - standard.created_at, 480 * kMinuteMs);
    // The running ticket keeps its due times when the policy changes afterwards.
    must(policies_->put(manager_, tenant_, x_, policy_body("Gold", 3), std::nullopt));
    EXPECT_EQ(must(service_->get(manager_, tenant_, gold.id)).sla_response_due,
              gold.sla_response_due);
}

struct BadPolicy {
    std::string name;
    json body;
    std::set<std::string> fields;
};

TEST_P(SlaPolicyTest, InvalidPoliciesNameTheirFields) {
    json no_medium = policy_body("x");
    no_medium["targets"].erase("medium");
    json zero = policy_body("x");
    zero["targets"]["low"]["response_minutes"] = 0;
    json fraction = policy_body("x");
    fraction["targets"]["low"]["response_minutes"] = 1.5;
    json inverted = policy_body("x");
    inverted["targets"]["high"]["response_minutes"] = 600;
    json too_long = policy_body("x");
    too_long["targets"]["critical"]["resolution_minutes"] = 366 * 24 * 60 + 1;
    json extra_target = policy_body("x");
    extra_target["targets"]["urgent"] = {{"response_minutes", 1}, {"resolution_minutes", 2}};
    json extra_field = policy_body("x");
    extra_field["targets"]["low"]["breach_minutes"] = 5;
    json bad_zone = policy_body("x");
    bad_zone["business_hours"]["time_zone"] = "Mars/Olympus";
    json no_time = policy_body("x");
    no_time["business_hours"]["week"] = json::object();
    const std::vector<BadPolicy> cases = {
        {"not an object", json::array(), {"/"}},
        {"unknown key", {{"colour", "red"}}, {"/colour", "/business_hours", "/targets"}},
        {"missing parts", {{"name", "x"}}, {"/business_hours", "/targets"}},
        {"blank name", policy_body("  "), {"/name"}},
        {"long name", policy_body(std::string(101, 'n')), {"/name"}},
        {"name with newline", policy_body("a\nb"), {"/name"}},
        {"missing priority", no_medium, {"/targets/medium"}},
        {"zero minutes", zero, {"/targets/low/response_minutes"}},
        {"fractional minutes", fraction, {"/targets/low/response_minutes"}},
        {"response after resolution", inverted, {"/targets/high/response_minutes"}},
        {"more than a year", too_long, {"/targets/critical/resolution_minutes"}},
        {"unknown priority", extra_target, {"/targets/urgent"}},
        {"unknown target field", extra_field, {"/targets/low/breach_minutes"}},
        {"unknown zone", bad_zone, {"/business_hours/time_zone"}},
    };
    for (const auto& c : cases) {
        const auto e = put_error(c.body);
        EXPECT_EQ(e.code, core::ErrorCode::kValidation) << c.name;
        const auto got = fields_of(e);
        EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), c.fields) << c.name;
    }
    // A week without working time can never be met: refused, naming the business hours.
    const auto e = put_error(no_time);
    EXPECT_EQ(e.code, core::ErrorCode::kValidation);
    ASSERT_FALSE(e.fields.empty());
    EXPECT_TRUE(e.fields.front().field.starts_with("/business_hours")) << e.fields.front().field;
    // Nothing was stored by any of them.
    EXPECT_EQ(must(policies_->get(manager_, tenant_, std::nullopt)).source, "built_in");
}

TEST_P(SlaPolicyTest, StaffReadManagersChangeOthersSeeNothing) {
    const auto body = policy_body("Standard");
    auto by_expert = policies_->put(expert_, tenant_, std::nullopt, body, std::nullopt);
    ASSERT_FALSE(by_expert);
    EXPECT_EQ(by_expert.error().code, core::ErrorCode::kForbidden);
    auto by_client = policies_->get(client_, tenant_, x_);
    ASSERT_FALSE(by_client);
    EXPECT_EQ(by_client.error().code, core::ErrorCode::kForbidden);
    EXPECT_TRUE(policies_->get(expert_, tenant_, x_));

    // Another tenant's organisation does not exist here, and another tenant's manager cannot
    // reach this tenant at all.
    auto foreign = policies_->put(manager_, tenant_, other_customer_, body, std::nullopt);
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.error().code, core::ErrorCode::kNotFound);
    auto unknown = policies_->get(manager_, tenant_, core::OrganizationId{"not-a-uuid"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
    auto intruder = policies_->put(other_manager_, tenant_, std::nullopt, body, std::nullopt);
    ASSERT_FALSE(intruder);
    EXPECT_EQ(intruder.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(must(policies_->get(manager_, tenant_, std::nullopt)).source, "built_in");
}

TEST_P(SlaPolicyTest, ChangesAreAudited) {
    must(policies_->put(manager_, tenant_, x_, policy_body("Gold"), std::nullopt));
    ASSERT_TRUE(policies_->remove(manager_, tenant_, x_));
    audit::AuditLog log(*stores_);
    audit::Query q;
    q.action = "sla_policy.";
    const auto page = log.list(tenant_, q);
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.items[0].action, "sla_policy.removed");  // newest first
    EXPECT_EQ(page.items[1].action, "sla_policy.updated");
    EXPECT_EQ(page.items[1].subject, x_.str());
    EXPECT_EQ(page.items[1].actor_id, manager_.user.str());
    EXPECT_EQ(page.items[1].ip, test::kActorIp);
    EXPECT_EQ(page.items[1].details["name"], "Gold");
}

INSTANTIATE_TEST_SUITE_P(Backends, SlaPolicyTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::tickets
