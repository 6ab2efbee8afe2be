// Black-box tests of the account life cycle on SQLite and PostgreSQL: self-registration by e-mail
// domain, invitations, the tenant's user limit, deactivation, and role changes with their audit
// trail. The world (two tenants, their organisations and users) comes from support/world.hpp.
#include <gtest/gtest.h>

#include <set>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/world.hpp"

namespace kontor {
namespace {

using nlohmann::json;
using testing::Api;
using testing::expect_problem;
using testing::HttpClient;
using testing::HttpResponse;
using testing::ServerProcess;
using testing::TestDatabase;
using testing::World;

constexpr const char* kNewPassword = "a-brand-new-passphrase-9";

class UsersApi : public testing::WorldTest {
protected:
    void SetUp() override {
        WorldTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        manager_ = api_->login(world_.emails.at("mA"), World::kPassword);
    }

    HttpResponse call(const std::string& method, const std::string& target,
                      const std::string& token, const json& body = nullptr) {
        return api_->call(method, target, token, body.is_null() ? "" : body.dump());
    }
    HttpResponse register_user(const json& body) {
        return call("POST", "/api/auth/register", "", body);
    }
    // The tenant's audit entries with this action, as the manager reads them.
    json audit(const std::string& action) {
        const auto r = call("GET", "/api/audit?limit=100&action=" + action, manager_);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.json()["data"] : json::array();
    }

    std::string manager_;
};

TEST_P(UsersApi, SelfRegistrationJoinsTheOrganisationOfTheEmailDomain) {
    const json person = {{"tenant", "alpha"},
                         {"email", "Nora@Xylo.example"},
                         {"name", "Nora Neu"},
                         {"password", kNewPassword}};
    // Closed by default.
    expect_problem(register_user(person), 403, "forbidden");

    // A domain must map to one of the tenant's own organisations.
    expect_problem(call("PUT", "/api/tenants/" + world_.tenant_a + "/settings", manager_,
                        {{"self_registration", true},
                         {"registration_domains",
                          {{{"domain", "zephyr.example"}, {"customer_id", world_.org_z}}}}}),
                   422, "validation_failed", "/registration_domains/0/customer_id");
    const auto opened = call(
        "PUT", "/api/tenants/" + world_.tenant_a + "/settings", manager_,
        {{"self_registration", true},
         {"registration_domains", {{{"domain", "xylo.example"}, {"customer_id", world_.org_x}}}}});
    ASSERT_EQ(opened.status, 200) << opened.body;

    // The password policy: length, not the e-mail, not a common password.
    auto weak = person;
    weak["password"] = "too-short";
    expect_problem(register_user(weak), 422, "validation_failed", "/password");
    weak["password"] = "nora@xylo.example";
    expect_problem(register_user(weak), 422, "validation_failed", "/password");
    weak["password"] = "password1234";
    expect_problem(register_user(weak), 422, "validation_failed", "/password");
    // Other domains are not open; unknown desks do not exist.
    auto stranger = person;
    stranger["email"] = "sam@elsewhere.example";
    expect_problem(register_user(stranger), 422, "validation_failed", "/email");
    auto lost = person;
    lost["tenant"] = "no-such-desk";
    expect_problem(register_user(lost), 404, "not_found");

    const auto joined = register_user(person);
    ASSERT_EQ(joined.status, 201) << joined.body;
    const json user = joined.json()["user"];
    EXPECT_EQ(user["email"], "nora@xylo.example");
    EXPECT_EQ(user["role"], "CLIENT");
    EXPECT_EQ(user["customer_id"], world_.org_x);
    EXPECT_EQ(user["tenant_id"], world_.tenant_a);
    const auto token = joined.json()["access_token"].get<std::string>();
    EXPECT_EQ(call("GET", "/api/auth/status", token).status, 200);
    // The new client sees their organisation, like any other client of it.
    EXPECT_EQ(call("GET", "/api/customers/" + world_.org_x, token).status, 200);
    EXPECT_EQ(call("GET", "/api/customers/" + world_.org_y, token).status, 404);

    expect_problem(register_user(person), 409, "conflict");
    EXPECT_EQ(audit("auth.registered").size(), 1u);
}

TEST_P(UsersApi, TechniciansListTheirColleaguesWithoutTheirRates) {
    ASSERT_EQ(call("PUT", "/api/users/" + world_.ids.at("eA2"), manager_,
                   {{"hourly_rate", {{"amount_cents", 12000}, {"currency", "EUR"}}}})
                  .status,
              200);
    ASSERT_EQ(call("PUT", "/api/users/" + world_.ids.at("eA"), manager_,
                   {{"hourly_rate", {{"amount_cents", 9000}, {"currency", "EUR"}}}})
                  .status,
              200);
    const auto expert = api_->login(world_.emails.at("eA"), World::kPassword);
    const auto r = call("GET", "/api/users?limit=100", expert);
    ASSERT_EQ(r.status, 200) << r.body;
    std::set<std::string> seen;
    const json listed = r.json()["data"];
    for (const auto& u : listed) {
        seen.insert(u["id"].get<std::string>());
        // Only one's own rate; a colleague's is the manager's business.
        EXPECT_EQ(u.contains("hourly_rate") && !u["hourly_rate"].is_null(),
                  u["id"] == world_.ids.at("eA"))
            << u.dump();
    }
    // The staff of their tenant: no customer users, nobody of another tenant.
    EXPECT_EQ(seen, (std::set<std::string>{world_.ids.at("mA"), world_.ids.at("eA"),
                                           world_.ids.at("eA2")}));
    EXPECT_EQ(r.json()["meta"]["total"], 3);
    const auto clients = call("GET", "/api/users?role=CLIENT", expert);
    ASSERT_EQ(clients.status, 200);
    EXPECT_EQ(clients.json()["meta"]["total"], 0);
    // The manager still sees the rates of their staff.
    const auto managed = call("GET", "/api/users?role=EXPERT&limit=100", manager_);
    const json staff = managed.json()["data"];
    ASSERT_EQ(staff.size(), 2U);
    for (const auto& u : staff)
        EXPECT_TRUE(u.contains("hourly_rate") && !u["hourly_rate"].is_null()) << u.dump();
    // A customer still sees only themselves.
    const auto client = api_->login(world_.emails.at("cX"), World::kPassword);
    EXPECT_EQ(call("GET", "/api/users", client).json()["meta"]["total"], 1);
}

TEST_P(UsersApi, RegistrationProbesAreThrottled) {
    // Unknown invitations (and taken e-mails, unknown desks) count like failed sign-ins.
    int first_429 = 0;
    for (int i = 1; i <= 12 && first_429 == 0; ++i) {
        const auto r = register_user(
            {{"invite_token", "guess-" + std::to_string(i)}, {"password", kNewPassword}});
        if (r.status == 429) {
            first_429 = i;
            EXPECT_FALSE(r.header("retry-after").empty());
        } else {
            expect_problem(r, 404, "not_found");
        }
    }
    EXPECT_GT(first_429, 1) << "registration probes were never throttled";
}

TEST_P(UsersApi, AnInvitationLetsThePersonChooseTheirPassword) {
    // A manager creates an expert without a password: the answer carries the invitation.
    const auto created = call("POST", "/api/users", manager_,
                              {{"email", "ivo@alpha.test"}, {"name", "Ivo"}, {"role", "EXPERT"}});
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json()["status"], "invited");
    EXPECT_EQ(created.header("location"), "/api/users/" + created.json()["id"].get<std::string>());
    const auto token = created.json()["invite"]["token"].get<std::string>();
    EXPECT_FALSE(created.json()["invite"]["expires_at"].get<std::string>().empty());

    // Not yet a usable account.
    EXPECT_EQ(call("POST", "/api/auth/login", "",
                   {{"email", "ivo@alpha.test"}, {"password", kNewPassword}})
                  .status,
              401);
    expect_problem(register_user({{"invite_token", token}, {"password", "ivo@alpha.test"}}), 422,
                   "validation_failed", "/password");
    const auto redeemed = register_user({{"invite_token", token}, {"password", kNewPassword}});
    ASSERT_EQ(redeemed.status, 201) << redeemed.body;
    EXPECT_EQ(redeemed.json()["user"]["status"], "active");
    EXPECT_EQ(redeemed.json()["user"]["role"], "EXPERT");
    // Used once.
    expect_problem(register_user({{"invite_token", token}, {"password", kNewPassword}}), 404,
                   "not_found");
    EXPECT_EQ(api_->login("ivo@alpha.test", kNewPassword).empty(), false);
    // An active user is not waiting for an invitation.
    expect_problem(
        call("POST", "/api/users/" + created.json()["id"].get<std::string>() + "/invite", manager_),
        409, "conflict");

    // A customer admin invites into their own organisation; a new invitation replaces the old.
    const auto ca = api_->login(world_.emails.at("caX"), World::kPassword);
    const auto portal = call("POST", "/api/users", ca,
                             {{"email", "pia@xylo.example"}, {"name", "Pia"}, {"role", "CLIENT"}});
    ASSERT_EQ(portal.status, 201) << portal.body;
    EXPECT_EQ(portal.json()["role"], "CLIENT");
    EXPECT_EQ(portal.json()["customer_id"], world_.org_x);
    const auto first = portal.json()["invite"]["token"].get<std::string>();
    const auto again =
        call("POST", "/api/users/" + portal.json()["id"].get<std::string>() + "/invite", ca);
    ASSERT_EQ(again.status, 201) << again.body;
    expect_problem(register_user({{"invite_token", first}, {"password", kNewPassword}}), 404,
                   "not_found");
    EXPECT_EQ(
        register_user({{"invite_token", again.json()["token"]}, {"password", kNewPassword}}).status,
        201);
}

TEST_P(UsersApi, TheTenantsUserLimitIsEnforced) {
    // Seats are users that are not inactive, invited ones included.
    const auto listed = call("GET", "/api/users?limit=1", manager_);
    ASSERT_EQ(listed.status, 200) << listed.body;
    const int seats = listed.json()["meta"]["total"].get<int>();
    ASSERT_EQ(
        call("PUT", "/api/tenants/" + world_.tenant_a, world_.admin_token, {{"max_users", seats}})
            .status,
        200);

    const json newcomer = {{"email", "late@alpha.test"},
                           {"name", "Late"},
                           {"role", "EXPERT"},
                           {"password", kNewPassword}};
    expect_problem(call("POST", "/api/users", manager_, newcomer), 409, "quota_exceeded");
    expect_problem(call("POST", "/api/users", world_.admin_token,
                        [&] {
                            auto b = newcomer;
                            b["tenant_id"] = world_.tenant_a;
                            return b;
                        }()),
                   409, "quota_exceeded");
    ASSERT_EQ(call("PUT", "/api/tenants/" + world_.tenant_a + "/settings", manager_,
                   {{"self_registration", true},
                    {"registration_domains",
                     {{{"domain", "xylo.example"}, {"customer_id", world_.org_x}}}}})
                  .status,
              200);
    expect_problem(
        register_user(
            {{"tenant", "alpha"}, {"email", "late@xylo.example"}, {"password", kNewPassword}}),
        409, "quota_exceeded");

    // Deactivating someone frees a seat; taking it makes reactivation exceed the limit.
    const auto cy = world_.ids.at("cY");
    ASSERT_EQ(call("DELETE", "/api/users/" + cy, manager_).status, 200);
    ASSERT_EQ(call("POST", "/api/users", manager_, newcomer).status, 201);
    expect_problem(call("PUT", "/api/users/" + cy, manager_, {{"status", "active"}}), 409,
                   "quota_exceeded");
    // Tenant B has no limit and is unaffected.
    EXPECT_EQ(call("POST", "/api/users", world_.admin_token,
                   {{"email", "more@beta.test"},
                    {"name", "More"},
                    {"role", "EXPERT"},
                    {"tenant_id", world_.tenant_b},
                    {"password", kNewPassword}})
                  .status,
              201);
}

TEST_P(UsersApi, DeactivationEndsLiveSessionsAndKeepsTheRecord) {
    const auto cx = world_.ids.at("cX");
    const auto live = api_->login(world_.emails.at("cX"), World::kPassword);
    ASSERT_EQ(call("GET", "/api/auth/status", live).status, 200);

    const auto gone = call("DELETE", "/api/users/" + cx, manager_);
    ASSERT_EQ(gone.status, 200) << gone.body;
    EXPECT_EQ(gone.json()["status"], "inactive");
    expect_problem(call("GET", "/api/auth/status", live), 401, "unauthenticated");
    expect_problem(call("POST", "/api/auth/login", "",
                        {{"email", world_.emails.at("cX")}, {"password", World::kPassword}}),
                   401, "unauthenticated");
    // The record stays (history refers to it) and can be found by status.
    const auto kept = call("GET", "/api/users/" + cx, manager_);
    ASSERT_EQ(kept.status, 200);
    EXPECT_EQ(kept.json()["status"], "inactive");
    const auto inactive = call("GET", "/api/users?status=inactive", manager_);
    ASSERT_EQ(inactive.status, 200);
    EXPECT_EQ(inactive.json()["meta"]["total"], 1);

    const auto entries = audit("user.deactivated");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0]["subject"], cx);

    // Reactivated, the user signs in again.
    ASSERT_EQ(call("PUT", "/api/users/" + cx, manager_, {{"status", "active"}}).status, 200);
    EXPECT_FALSE(api_->login(world_.emails.at("cX"), World::kPassword).empty());
}

TEST_P(UsersApi, RoleChangesTakeEffectAtOnceAndAreAudited) {
    const auto ea = world_.ids.at("eA");
    const auto expert = api_->login(world_.emails.at("eA"), World::kPassword);
    expect_problem(call("GET", "/api/audit", expert), 403, "forbidden");

    const auto promoted = call("PUT", "/api/users/" + ea, manager_, {{"role", "MANAGER"}});
    ASSERT_EQ(promoted.status, 200) << promoted.body;
    // The same access token now carries the new role's permissions...
    EXPECT_EQ(call("GET", "/api/audit", expert).status, 200);
    // ...and loses them as soon as the role is taken back.
    ASSERT_EQ(call("PUT", "/api/users/" + ea, manager_, {{"role", "EXPERT"}}).status, 200);
    expect_problem(call("GET", "/api/audit", expert), 403, "forbidden");

    const auto entries = audit("user.role_changed");
    ASSERT_EQ(entries.size(), 2u);
    for (const auto& e : entries) {
        EXPECT_EQ(e["subject"], ea);
        EXPECT_EQ(e["actor_id"], world_.ids.at("mA"));
    }
    const auto& newest = entries[0];  // newest first
    EXPECT_EQ(newest["details"]["from"], "MANAGER") << newest.dump();
    EXPECT_EQ(newest["details"]["to"], "EXPERT") << newest.dump();

    // Managers cannot change their own role, nor make anyone an ADMIN.
    expect_problem(call("PUT", "/api/users/" + world_.ids.at("mA"), manager_, {{"role", "EXPERT"}}),
                   403, "forbidden");
    expect_problem(call("PUT", "/api/users/" + ea, manager_, {{"role", "ADMIN"}}), 403,
                   "forbidden");
}

TEST_P(UsersApi, ProfilesAndExpertiseAreValidated) {
    const auto ea = world_.ids.at("eA");
    const auto ok = call("PUT", "/api/users/" + ea + "/expertise", manager_,
                         json::array({{{"skill", "networking"}, {"level", 4}},
                                      {{"skill", "backup"}, {"level", 2}}}));
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.json().size(), 2u);
    const auto read = call("GET", "/api/users/" + ea + "/expertise", manager_);
    EXPECT_EQ(read.json(), ok.json());
    expect_problem(call("PUT", "/api/users/" + ea + "/expertise", manager_,
                        json::array({{{"skill", "networking"}, {"level", 9}}})),
                   422, "validation_failed");
    expect_problem(call("PUT", "/api/users/" + ea, manager_,
                        {{"hourly_rate", {{"amount_cents", -5}, {"currency", "EUR"}}}}),
                   422, "validation_failed");
    expect_problem(call("POST", "/api/users", manager_,
                        {{"email", "not-an-email"}, {"name", "X"}, {"role", "EXPERT"}}),
                   422, "validation_failed", "/email");
    expect_problem(call("POST", "/api/users", manager_,
                        {{"email", world_.emails.at("cZ")}, {"name", "Dup"}, {"role", "EXPERT"}}),
                   409, "conflict");
    expect_problem(call("GET", "/api/users?role=OWNER", manager_), 422, "validation_failed");
}

INSTANTIATE_TEST_SUITE_P(Backends, UsersApi, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor
