#pragma once
// What the tickets module's tests share (tickets_test.cpp, sla_policy_test.cpp): a fresh database
// per test on each backend with the real services around the ticket service — catalog users
// (UserService) and organisations (CustomerService) — so every rule is checked against what the
// services themselves look up. Test code only.
#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kontor/customers/customer.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "kontor/tickets/sla_policy.hpp"
#include "kontor/tickets/ticket.hpp"
#include "support/actors.hpp"
#include "support/tenant_stores.hpp"
#include "support/test_env.hpp"

namespace kontor::tickets::test {

inline constexpr const char* kPassword = "Kontor-Test-Passw0rd-2024";
inline constexpr const char* kActorIp = "192.0.2.7";

// An actor as the HTTP edge builds it from a real user's access token.
inline identity::Actor actor_for(const identity::User& u) {
    return testing::actor_for(u, kActorIp);
}

// Business hours around the clock, every day: working time is plain elapsed time.
inline nlohmann::json always_open() {
    nlohmann::json week = nlohmann::json::object();
    for (const char* day :
         {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
        week[day] = nlohmann::json::array({nlohmann::json{{"from", "00:00"}, {"to", "24:00"}}});
    return nlohmann::json{{"time_zone", "UTC"}, {"week", week}};
}

class ServiceFixture : public ::testing::TestWithParam<std::string> {
protected:
    // Derived fixtures call this first, then return when IsSkipped().
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        testing::open_tenant_stores(GetParam(), db_, stores_, tenants_);
        users_ = std::make_unique<identity::UserService>(*stores_);
        customers_ = std::make_unique<customers::CustomerService>(*stores_);
        service_ = std::make_unique<TicketService>(*stores_, *tenants_, *users_);
        policies_ = std::make_unique<SlaPolicyService>(*stores_, *tenants_);
    }

    // A user with a password; the e-mail is derived from the name ("Mia Manager" →
    // mia.manager@kontor-test.example).
    identity::Actor add_user(const core::TenantId& tenant, const std::string& name,
                             identity::Role role,
                             std::optional<core::OrganizationId> customer = std::nullopt) {
        identity::NewUser in;
        in.tenant = tenant;
        std::string local;
        for (char c : name)
            local +=
                c == ' ' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        in.email = local + "@kontor-test.example";
        in.name = name;
        in.role = role;
        in.password = kPassword;
        in.customer = std::move(customer);
        return actor_for(testing::must(users_->create(in)));
    }

    core::OrganizationId add_customer(const core::TenantId& tenant, const identity::Actor& by,
                                      const std::string& name) {
        customers::CustomerInput in;
        in.name = name;
        return testing::must(customers_->create(by, tenant, in)).id;
    }

    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<identity::UserService> users_;
    std::unique_ptr<customers::CustomerService> customers_;
    std::unique_ptr<TicketService> service_;
    std::unique_ptr<SlaPolicyService> policies_;
};

}  // namespace kontor::tickets::test
