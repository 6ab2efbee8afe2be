// AccountService on every backend (SQLite always, PostgreSQL with KONTOR_TEST_PG_URL): the user
// policy as one table (actor role × target × operation), the list scope, creation rules, the
// tenant's max_users, invitations, ending sessions on deactivation and the audit rows.
#include "kontor/auth/accounts.hpp"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/identity/crypto.hpp"
#include "support/actors.hpp"
#include "support/tenant_stores.hpp"
#include "support/test_env.hpp"

namespace kontor::auth {
namespace {

using identity::Actor;
using identity::Expertise;
using identity::NewUser;
using identity::Role;
using identity::User;
using identity::UserQuery;
using identity::UserUpdate;

using testing::must;

// The outcome of a call as the policy table spells it.
template <class T>
std::string outcome(const core::Result<T>& r) {
    return r ? "ok" : std::string(core::code_name(r.error().code));
}

std::vector<std::string> names_of(const core::Page<User>& page) {
    std::vector<std::string> out;
    for (const auto& u : page.items) out.push_back(u.name);
    return out;
}

// The actor a signed-in user becomes (what the HTTP edge builds from the access token).
Actor actor_for(const User& u) { return testing::actor_for(u, "198.51.100.23"); }

// ---- fixture ----------------------------------------------------------------------------------

// Two tenants: Acme (customer organisations org1_ and org2_) and Beta. Users are created through
// the data layer without passwords (no slow hashing), fresh for every case, so no case sees
// another's changes.
class AccountServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        testing::open_tenant_stores(GetParam(), db_, stores_, tenants_);
        users_ = std::make_unique<identity::UserService>(*stores_);
        customers_ = std::make_unique<customers::CustomerService>(*stores_);
        accounts_ =
            std::make_unique<AccountService>(*stores_, *users_, *tenants_, *customers_, 3'600'000);
        acme_ = make_tenant("Acme");
        beta_ = make_tenant("Beta");
        org1_ = make_customer(acme_, "Org One");
        org2_ = make_customer(acme_, "Org Two");
        beta_org_ = make_customer(beta_, "Beta Customer");
    }

    core::TenantId make_tenant(std::string name, std::optional<std::int64_t> max_users = {}) {
        return must(tenants_->create({.name = std::move(name), .max_users = max_users})).id;
    }

    core::OrganizationId make_customer(const core::TenantId& tenant, std::string name) {
        Actor manager;
        manager.tenant = tenant;
        manager.user = core::UserId{core::new_uuid_v7()};
        manager.role = Role::kManager;
        manager.permissions = identity::permissions_of(Role::kManager);
        customers::CustomerInput in;
        in.name = std::move(name);
        return must(customers_->create(manager, tenant, in)).id;
    }

    // A new user straight through the data layer (no policy): staff of `tenant`, or a portal
    // user of `org`, or an ADMIN when neither is given.
    User make_user(Role role, std::optional<core::TenantId> tenant = {},
                   std::optional<core::OrganizationId> org = {}, std::string name = "") {
        NewUser in;
        in.role = role;
        in.tenant = tenant;
        in.customer = org;
        in.email = "user" + std::to_string(++counter_) + "@kontor.example";
        in.name = name.empty()
                      ? std::string(identity::role_name(role)) + " " + std::to_string(counter_)
                      : std::move(name);
        return must(users_->create(in));
    }
    User admin() { return make_user(Role::kAdmin); }
    User staff(Role role = Role::kExpert) { return make_user(role, acme_); }
    User portal(const core::OrganizationId& org, Role role = Role::kClient) {
        return make_user(role, acme_, org);
    }
    // Someone to act as: an ADMIN, staff of Acme, or a portal user of org1_.
    User acting_user(Role role) {
        if (role == Role::kAdmin) return admin();
        if (role == Role::kClient || role == Role::kCustomerAdmin) return portal(org1_, role);
        return staff(role);
    }

    std::vector<audit::Record> tenant_audit(const core::TenantId& tenant, std::string action) {
        audit::AuditLog log(*stores_);
        audit::Query q;
        q.action = std::move(action);
        return log.list(tenant, q).items;
    }
    std::vector<audit::Record> platform_audit(std::string action) {
        audit::AuditLog log(*stores_);
        audit::Query q;
        q.action = std::move(action);
        return log.list_platform(q).items;
    }

    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<identity::UserService> users_;
    std::unique_ptr<customers::CustomerService> customers_;
    std::unique_ptr<AccountService> accounts_;
    core::TenantId acme_;
    core::TenantId beta_;
    core::OrganizationId org1_;
    core::OrganizationId org2_;
    core::OrganizationId beta_org_;
    int counter_ = 0;
};

// ---- the policy table -------------------------------------------------------------------------

// Targets as seen from the actor. The actor's own organisation, where it has one, is org1_;
// for staff actors "own-org" and "other-org" are simply two organisations of their tenant.
enum class Target { kSelf, kStaff, kOwnOrgClient, kOtherOrgClient, kOtherTenant, kAdmin };
enum Op { kGet, kUpdateName, kUpdateRole, kDeactivate, kSetExpertise, kOpCount };

constexpr std::array<const char*, kOpCount> kOpNames = {"get", "update name", "update role",
                                                        "deactivate", "set expertise"};
const char* target_name(Target t) {
    switch (t) {
        case Target::kSelf:
            return "self";
        case Target::kStaff:
            return "same-tenant staff";
        case Target::kOwnOrgClient:
            return "own-org client";
        case Target::kOtherOrgClient:
            return "other-org client";
        case Target::kOtherTenant:
            return "other-tenant user";
        case Target::kAdmin:
            return "ADMIN user";
    }
    return "?";
}

// The role an "update role" case asks for: a plausible promotion or demotion of the target.
Role other_role(Role r) {
    switch (r) {
        case Role::kExpert:
            return Role::kManager;
        case Role::kManager:
            return Role::kExpert;
        case Role::kClient:
            return Role::kCustomerAdmin;
        case Role::kCustomerAdmin:
            return Role::kClient;
        case Role::kAdmin:
            return Role::kManager;
    }
    return r;
}

struct PolicyCase {
    Role actor;
    Target target;
    std::array<const char*, kOpCount> expected;  // get, name, role, deactivate, expertise
};

constexpr const char* ok = "ok";
constexpr const char* nf = "not_found";
constexpr const char* no = "forbidden";
constexpr const char* bad = "validation_failed";
constexpr std::array<const char*, kOpCount> kHidden = {nf, nf, nf, nf, nf};

// clang-format off
const std::vector<PolicyCase> kPolicy = {
    // ADMIN: everyone; never their own role or status; expertise only for EXPERT / MANAGER; an
    // ADMIN cannot become a tenant role (no tenant to belong to).
    {Role::kAdmin, Target::kSelf,           {ok, ok, no,  no, bad}},
    {Role::kAdmin, Target::kStaff,          {ok, ok, ok,  ok, ok}},
    {Role::kAdmin, Target::kOwnOrgClient,   {ok, ok, ok,  ok, bad}},
    {Role::kAdmin, Target::kOtherOrgClient, {ok, ok, ok,  ok, bad}},
    {Role::kAdmin, Target::kOtherTenant,    {ok, ok, ok,  ok, ok}},
    {Role::kAdmin, Target::kAdmin,          {ok, ok, bad, ok, bad}},
    // MANAGER: their tenant, every organisation in it; ADMINs and other tenants do not exist.
    {Role::kManager, Target::kSelf,           {ok, ok, no, no, ok}},
    {Role::kManager, Target::kStaff,          {ok, ok, ok, ok, ok}},
    {Role::kManager, Target::kOwnOrgClient,   {ok, ok, ok, ok, bad}},
    {Role::kManager, Target::kOtherOrgClient, {ok, ok, ok, ok, bad}},
    {Role::kManager, Target::kOtherTenant,    kHidden},
    {Role::kManager, Target::kAdmin,          kHidden},
    // EXPERT: only their own profile.
    {Role::kExpert, Target::kSelf,           {ok, ok, no, no, no}},
    {Role::kExpert, Target::kStaff,          kHidden},
    {Role::kExpert, Target::kOwnOrgClient,   kHidden},
    {Role::kExpert, Target::kOtherOrgClient, kHidden},
    {Role::kExpert, Target::kOtherTenant,    kHidden},
    {Role::kExpert, Target::kAdmin,          kHidden},
    // CUSTOMER_ADMIN: the portal users of their own organisation; expertise is staff business.
    {Role::kCustomerAdmin, Target::kSelf,           {ok, ok, no, no, no}},
    {Role::kCustomerAdmin, Target::kStaff,          kHidden},
    {Role::kCustomerAdmin, Target::kOwnOrgClient,   {ok, ok, ok, ok, no}},
    {Role::kCustomerAdmin, Target::kOtherOrgClient, kHidden},
    {Role::kCustomerAdmin, Target::kOtherTenant,    kHidden},
    {Role::kCustomerAdmin, Target::kAdmin,          kHidden},
    // CLIENT: only their own profile, not even their colleagues.
    {Role::kClient, Target::kSelf,           {ok, ok, no, no, no}},
    {Role::kClient, Target::kStaff,          kHidden},
    {Role::kClient, Target::kOwnOrgClient,   kHidden},
    {Role::kClient, Target::kOtherOrgClient, kHidden},
    {Role::kClient, Target::kOtherTenant,    kHidden},
    {Role::kClient, Target::kAdmin,          kHidden},
};
// clang-format on

TEST_P(AccountServiceTest, PolicyTable) {
    for (const auto& c : kPolicy) {
        for (int op = 0; op < kOpCount; ++op) {
            SCOPED_TRACE(std::string(identity::role_name(c.actor)) + " × " + target_name(c.target) +
                         " × " + kOpNames[op]);
            // Fresh users for every cell: no cell sees another's changes.
            const User me = acting_user(c.actor);
            User target;
            switch (c.target) {
                case Target::kSelf:
                    target = me;
                    break;
                case Target::kStaff:
                    target = staff();
                    break;
                case Target::kOwnOrgClient:
                    target = portal(org1_);
                    break;
                case Target::kOtherOrgClient:
                    target = portal(org2_);
                    break;
                case Target::kOtherTenant:
                    target = make_user(Role::kExpert, beta_);
                    break;
                case Target::kAdmin:
                    target = admin();
                    break;
            }
            const Actor actor = actor_for(me);
            const Role new_role = other_role(target.role);
            const std::vector<Expertise> skills = {{"Networking", 3}};

            std::string got;
            switch (op) {
                case kGet:
                    got = outcome(accounts_->get(actor, target.id));
                    break;
                case kUpdateName:
                    got = outcome(accounts_->update(actor, target.id, {.name = "Renamed"}));
                    break;
                case kUpdateRole:
                    got = outcome(accounts_->update(actor, target.id, {.role = new_role}));
                    break;
                case kDeactivate:
                    got = outcome(accounts_->deactivate(actor, target.id));
                    break;
                case kSetExpertise:
                    got = outcome(accounts_->set_expertise(actor, target.id, skills));
                    break;
            }
            EXPECT_EQ(got, c.expected[op]);

            // What is stored agrees with the answer: changed exactly when it was "ok".
            const User after = *users_->find(target.id);
            const bool changed = got == ok;
            EXPECT_EQ(after.name == "Renamed", changed && op == kUpdateName);
            EXPECT_EQ(after.role == new_role, changed && op == kUpdateRole);
            EXPECT_EQ(after.status == "inactive", changed && op == kDeactivate);
            EXPECT_EQ(users_->expertise(target.id).size() == 1, changed && op == kSetExpertise);
        }
    }
}

// ---- details of update the table does not show ------------------------------------------------

TEST_P(AccountServiceTest, WhatEachRoleMayChange) {
    const User mia = staff(Role::kManager);
    const User eve = staff();
    const User carla = portal(org1_, Role::kCustomerAdmin);
    const User cody = portal(org1_);
    const auto code = [](const core::Result<User>& r) { return outcome(r); };

    // Self: name and locale; the same role sent back is no change at all.
    EXPECT_EQ(code(accounts_->update(actor_for(eve), eve.id,
                                     {.locale = std::optional<std::string>{"de"}})),
              ok);
    EXPECT_EQ(code(accounts_->update(actor_for(eve), eve.id, {.role = Role::kExpert})), ok);
    // "active" for someone still invited is no change either (they activate by redeeming).
    EXPECT_EQ(code(accounts_->update(actor_for(eve), eve.id, {.status = "active"})), ok);
    EXPECT_EQ(users_->find(eve.id)->status, "invited");
    EXPECT_EQ(code(accounts_->update(actor_for(eve), eve.id, {.status = "inactive"})), no);
    EXPECT_EQ(code(accounts_->update(
                  actor_for(eve), eve.id,
                  {.hourly_rate = std::optional(identity::HourlyRate{10'000, "EUR"})})),
              no);
    EXPECT_EQ(code(accounts_->update(actor_for(cody), cody.id, {.customer = std::optional(org2_)})),
              no);

    // MANAGER: everything in the tenant but ADMIN; their own rate too.
    EXPECT_EQ(code(accounts_->update(actor_for(mia), eve.id, {.role = Role::kAdmin})), no);
    EXPECT_EQ(code(accounts_->update(
                  actor_for(mia), mia.id,
                  {.hourly_rate = std::optional(identity::HourlyRate{12'000, "EUR"})})),
              ok);
    EXPECT_EQ(code(accounts_->update(actor_for(mia), cody.id, {.customer = std::optional(org2_)})),
              ok);
    EXPECT_EQ(code(accounts_->update(
                  actor_for(mia), cody.id,
                  {.customer = std::optional(core::OrganizationId{core::new_uuid_v7()})})),
              bad);
    EXPECT_EQ(
        code(accounts_->update(actor_for(mia), cody.id, {.customer = std::optional(beta_org_)})),
        bad);  // a customer of another tenant does not exist here
    EXPECT_EQ(users_->find(cody.id)->customer, org2_);

    // CUSTOMER_ADMIN: portal roles only, no moves, no rates.
    const User cleo = portal(org1_);
    EXPECT_EQ(code(accounts_->update(actor_for(carla), cleo.id, {.role = Role::kExpert})), no);
    EXPECT_EQ(
        code(accounts_->update(actor_for(carla), cleo.id, {.customer = std::optional(org2_)})), no);
    EXPECT_EQ(code(accounts_->update(actor_for(carla), cleo.id, {.status = "inactive"})), ok);
    EXPECT_EQ(code(accounts_->update(actor_for(carla), cleo.id, {.status = "active"})), ok);
    EXPECT_EQ(users_->find(cleo.id)->status, "invited");  // never set a password

    // Unknown ids are not_found for everyone.
    const core::UserId nobody{core::new_uuid_v7()};
    EXPECT_EQ(code(accounts_->update(actor_for(admin()), nobody, {.name = "X"})), nf);
    EXPECT_EQ(code(accounts_->get(actor_for(mia), nobody)), nf);
    EXPECT_EQ(code(accounts_->deactivate(actor_for(mia), nobody)), nf);
}

// ---- create -----------------------------------------------------------------------------------

TEST_P(AccountServiceTest, WhoMayCreateWhom) {
    struct Case {
        const char* what;
        Role actor;
        Role role;
        std::optional<core::TenantId> tenant;
        std::optional<core::OrganizationId> customer;
        const char* expected;
    };
    const core::TenantId unknown_tenant{core::new_uuid_v7()};
    const core::OrganizationId unknown_org{core::new_uuid_v7()};
    const std::vector<Case> cases = {
        {"admin: manager of a tenant", Role::kAdmin, Role::kManager, acme_, {}, ok},
        {"admin: another admin", Role::kAdmin, Role::kAdmin, {}, {}, ok},
        {"admin: client of beta", Role::kAdmin, Role::kClient, beta_, beta_org_, ok},
        {"admin: expert without tenant", Role::kAdmin, Role::kExpert, {}, {}, bad},
        {"admin: unknown tenant", Role::kAdmin, Role::kExpert, unknown_tenant, {}, bad},
        {"admin: another tenant's customer", Role::kAdmin, Role::kClient, acme_, beta_org_, bad},
        {"manager: expert, tenant implied", Role::kManager, Role::kExpert, {}, {}, ok},
        {"manager: client of org2", Role::kManager, Role::kClient, {}, org2_, ok},
        {"manager: client of unknown org", Role::kManager, Role::kClient, {}, unknown_org, bad},
        {"manager: client without org", Role::kManager, Role::kClient, {}, {}, bad},
        {"manager: admin", Role::kManager, Role::kAdmin, {}, {}, no},
        {"manager: in another tenant", Role::kManager, Role::kExpert, beta_, {}, bad},
        {"customer admin: client, all implied", Role::kCustomerAdmin, Role::kClient, {}, {}, ok},
        {"customer admin: customer admin",
         Role::kCustomerAdmin,
         Role::kCustomerAdmin,
         {},
         org1_,
         ok},
        {"customer admin: other org", Role::kCustomerAdmin, Role::kClient, {}, org2_, bad},
        {"customer admin: expert", Role::kCustomerAdmin, Role::kExpert, {}, {}, no},
        {"customer admin: other tenant", Role::kCustomerAdmin, Role::kClient, beta_, {}, bad},
        {"expert", Role::kExpert, Role::kExpert, {}, {}, no},
        {"client", Role::kClient, Role::kClient, {}, {}, no},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        const User me = acting_user(c.actor);
        NewUser in;
        in.email = "new" + std::to_string(++counter_) + "@kontor.example";
        in.name = "New User";
        in.role = c.role;
        in.tenant = c.tenant;
        in.customer = c.customer;
        auto created = accounts_->create(actor_for(me), in);
        EXPECT_EQ(outcome(created), c.expected);
        EXPECT_EQ(users_->find_by_email(in.email).has_value(), created.has_value());
        if (created && c.actor == Role::kCustomerAdmin) {
            EXPECT_EQ(created->user.tenant, acme_);
            EXPECT_EQ(created->user.customer, org1_);
        }
        if (created && c.actor == Role::kManager) {
            EXPECT_EQ(created->user.tenant, acme_);
        }
    }
}

TEST_P(AccountServiceTest, CreateReportsFieldsAndConflicts) {
    const Actor mia = actor_for(staff(Role::kManager));
    NewUser in;
    in.email = "Dup@Kontor.example";
    in.name = "Dup";
    in.role = Role::kExpert;
    ASSERT_TRUE(accounts_->create(mia, in));
    auto dup = accounts_->create(mia, in);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);

    in.email = "client@kontor.example";
    in.role = Role::kClient;
    in.customer = core::OrganizationId{core::new_uuid_v7()};
    auto unknown = accounts_->create(mia, in);
    ASSERT_FALSE(unknown);
    ASSERT_EQ(unknown.error().fields.size(), 1u);
    EXPECT_EQ(unknown.error().fields[0].field, "/customer_id");
}

// ---- list scope -------------------------------------------------------------------------------

TEST_P(AccountServiceTest, ListShowsOnlyWhatTheActorMaySee) {
    const User root = make_user(Role::kAdmin, {}, {}, "Root Admin");
    const User mia = make_user(Role::kManager, acme_, {}, "Mia Manager");
    const User eve = make_user(Role::kExpert, acme_, {}, "Eve Expert");
    const User carla = make_user(Role::kCustomerAdmin, acme_, org1_, "Carla Custadmin");
    const User cody = make_user(Role::kClient, acme_, org1_, "Cody Client");
    make_user(Role::kClient, acme_, org2_, "Olga Otherorg");
    make_user(Role::kExpert, beta_, {}, "Bert Beta");
    const auto list = [&](const User& who, UserQuery q = {}) {
        return must(accounts_->list(actor_for(who), q));
    };

    EXPECT_EQ(list(root).total, 7);
    EXPECT_EQ(names_of(list(root, {.tenant = beta_})), std::vector<std::string>{"Bert Beta"});
    EXPECT_EQ(names_of(list(mia)),
              (std::vector<std::string>{"Carla Custadmin", "Cody Client", "Eve Expert",
                                        "Mia Manager", "Olga Otherorg"}));
    // A MANAGER naming another tenant still sees only their own.
    EXPECT_EQ(list(mia, {.tenant = beta_}).total, 5);
    EXPECT_EQ(names_of(list(mia, {.role = Role::kExpert})), std::vector<std::string>{"Eve Expert"});
    EXPECT_EQ(names_of(list(carla)), (std::vector<std::string>{"Carla Custadmin", "Cody Client"}));
    EXPECT_EQ(list(carla, {.customer = org2_}).total, 0);
    EXPECT_EQ(names_of(list(carla, {.search = "cody"})), std::vector<std::string>{"Cody Client"});
    // An EXPERT: the staff of their tenant (to assign and to name colleagues), no customer users.
    EXPECT_EQ(names_of(list(eve)), (std::vector<std::string>{"Eve Expert", "Mia Manager"}));
    EXPECT_EQ(list(eve, {.role = Role::kClient}).total, 0);
    EXPECT_EQ(list(eve, {.tenant = beta_}).total, 2);  // naming another tenant changes nothing
    // Everyone else: a page of one, themselves, if the filters let them through.
    EXPECT_EQ(names_of(list(cody)), std::vector<std::string>{"Cody Client"});
    EXPECT_EQ(list(cody, {.role = Role::kExpert}).total, 0);
    auto second = list(cody, {.page = {.page = 2, .limit = 25}});
    EXPECT_EQ(second.total, 1);
    EXPECT_TRUE(second.items.empty());
}

// ---- max_users --------------------------------------------------------------------------------

TEST_P(AccountServiceTest, MaxUsersIsEnforcedOnCreateAndReactivation) {
    const core::TenantId small = make_tenant("Small", 2);
    const Actor root = actor_for(admin());
    const auto create = [&](std::string email) {
        NewUser in;
        in.tenant = small;
        in.email = std::move(email);
        in.name = "Seat";
        in.role = Role::kExpert;
        return accounts_->create(root, in);
    };
    const User one = must(create("one@small.example")).user;
    must(create("two@small.example"));  // invited users take a seat too
    auto third = create("three@small.example");
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().code, core::ErrorCode::kQuotaExceeded);
    EXPECT_NE(third.error().detail.find("2"), std::string::npos) << third.error().detail;
    EXPECT_FALSE(users_->find_by_email("three@small.example"));
    must(accounts_->deactivate(root, one.id));  // frees a seat
    must(create("three@small.example"));

    auto back = accounts_->update(root, one.id, {.status = "active"});
    ASSERT_FALSE(back);
    EXPECT_EQ(back.error().code, core::ErrorCode::kQuotaExceeded);
    EXPECT_EQ(users_->find(one.id)->status, "inactive");

    // Other changes to a user of a full tenant are fine; ADMINs take no tenant's seat.
    EXPECT_TRUE(accounts_->update(root, one.id, {.name = "Still inactive"}));
    EXPECT_TRUE(accounts_->create(
        root, {.email = "root2@kontor.example", .name = "Root Two", .role = Role::kAdmin}));
    tenancy::TenantUpdate raise;
    raise.max_users = std::optional<std::int64_t>{3};
    must(tenants_->update(small, raise, root));
    EXPECT_EQ(must(accounts_->update(root, one.id, {.status = "active"})).status, "invited");
}

// ---- invitations ------------------------------------------------------------------------------

TEST_P(AccountServiceTest, CreatingWithoutPasswordIssuesAnInviteRedeemableOnce) {
    const Actor mia = actor_for(staff(Role::kManager));
    NewUser in;
    in.email = "ivy@kontor.example";
    in.name = "Ivy";
    in.role = Role::kExpert;
    const auto before = core::now_ms();
    const CreatedUser created = must(accounts_->create(mia, in));
    EXPECT_EQ(created.user.status, "invited");
    ASSERT_TRUE(created.invite);
    EXPECT_GE(created.invite->expires_at, before + 3'600'000);

    const User ivy =
        must(users_->redeem_invite(created.invite->token, "a sound passphrase", std::nullopt));
    EXPECT_EQ(ivy.status, "active");
    EXPECT_EQ(users_->redeem_invite(created.invite->token, "a sound passphrase", std::nullopt)
                  .error()
                  .code,
              core::ErrorCode::kNotFound);

    // A user created with a password gets no invite, and an active user no new one.
    in.email = "pat@kontor.example";
    in.password = "a sound passphrase";
    const CreatedUser pat = must(accounts_->create(mia, in));
    EXPECT_EQ(pat.user.status, "active");
    EXPECT_FALSE(pat.invite);
    EXPECT_EQ(outcome(accounts_->reinvite(mia, pat.user.id)), "conflict");
}

TEST_P(AccountServiceTest, ReinviteReplacesTheLostInvite) {
    const User carla = portal(org1_, Role::kCustomerAdmin);
    const User cody = portal(org1_);
    const identity::Invite first = must(accounts_->reinvite(actor_for(carla), cody.id));
    const identity::Invite second = must(accounts_->reinvite(actor_for(carla), cody.id));
    EXPECT_EQ(outcome(users_->redeem_invite(first.token, "a sound passphrase", std::nullopt)), nf);
    EXPECT_EQ(outcome(users_->redeem_invite(second.token, "a sound passphrase", std::nullopt)), ok);

    const User olga = portal(org2_);
    EXPECT_EQ(outcome(accounts_->reinvite(actor_for(carla), olga.id)), nf);
    EXPECT_EQ(outcome(accounts_->reinvite(actor_for(olga), olga.id)), no);
    EXPECT_EQ(outcome(accounts_->reinvite(actor_for(staff()), cody.id)), nf);
}

// ---- deactivation ends sessions ---------------------------------------------------------------

TEST_P(AccountServiceTest, DeactivationRevokesRefreshTokensAndSessions) {
    const User mia = staff(Role::kManager);
    const User eve = staff();
    const User bystander = staff();
    const std::int64_t now = core::now_ms();
    {
        auto catalog = stores_->catalog();
        const auto token = [&](const User& u, const std::string& family, std::int64_t expires,
                               std::optional<std::int64_t> revoked) {
            catalog->execute(
                "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, "
                "expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)",
                {identity::sha256_hex(identity::random_token()), family, u.id.str(), now, expires,
                 revoked ? db::Value{*revoked} : db::Value{nullptr}});
        };
        token(eve, "fam-laptop", now + 1000, std::nullopt);
        token(eve, "fam-laptop", now + 5000, std::nullopt);
        token(eve, "fam-phone", now + 9000, std::nullopt);
        token(eve, "fam-old", now + 9000, now - 10);  // logged out earlier
        token(bystander, "fam-other", now + 9000, std::nullopt);
    }

    const User deactivated = must(accounts_->deactivate(actor_for(mia), eve.id));
    EXPECT_EQ(deactivated.status, "inactive");

    auto catalog = stores_->catalog();
    EXPECT_EQ(catalog
                  ->query("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = $1 AND "
                          "revoked_at IS NULL",
                          {eve.id.str()})
                  .get_int(0, 0),
              0);
    EXPECT_EQ(catalog
                  ->query("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = $1 AND "
                          "revoked_at IS NULL",
                          {bystander.id.str()})
                  .get_int(0, 0),
              1);
    const auto sessions =
        catalog->query("SELECT family_id FROM revoked_sessions ORDER BY family_id");
    ASSERT_EQ(sessions.size(), 2u);
    EXPECT_EQ(sessions.get_text(0, 0), "fam-laptop");
    EXPECT_EQ(sessions.get_text(1, 0), "fam-phone");

    // Deactivating through update ends sign-ins the same way.
    {
        catalog->execute(
            "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            {identity::sha256_hex("t"), std::string("fam-other-2"), bystander.id.str(), now,
             now + 9000});
    }
    must(accounts_->update(actor_for(mia), bystander.id, {.status = "inactive"}));
    EXPECT_EQ(catalog
                  ->query("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = $1 AND "
                          "revoked_at IS NULL",
                          {bystander.id.str()})
                  .get_int(0, 0),
              0);
    EXPECT_EQ(catalog->query("SELECT COUNT(*) FROM revoked_sessions").get_int(0, 0), 4);
}

// ---- audit ------------------------------------------------------------------------------------

TEST_P(AccountServiceTest, ChangesAreAuditedWithoutSecrets) {
    const User mia_user = staff(Role::kManager);
    const Actor mia = actor_for(mia_user);
    NewUser in;
    in.email = "audited@kontor.example";
    in.name = "Audited";
    in.role = Role::kExpert;
    in.password = "a sound passphrase";
    const User u = must(accounts_->create(mia, in)).user;
    must(accounts_->update(mia, u.id, {.name = "Audited Twice", .role = Role::kManager}));
    must(accounts_->deactivate(mia, u.id));

    for (const char* action :
         {"user.created", "user.updated", "user.role_changed", "user.deactivated"}) {
        SCOPED_TRACE(action);
        const auto rows = tenant_audit(acme_, action);
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0].actor_id, mia_user.id.str());
        EXPECT_EQ(rows[0].subject, u.id.str());
        EXPECT_EQ(rows[0].ip, mia.ip);
        EXPECT_EQ(rows[0].request_id, mia.request_id);
        EXPECT_EQ(rows[0].details.dump().find("passphrase"), std::string::npos);
    }
    EXPECT_EQ(tenant_audit(acme_, "user.updated")[0].details["fields"],
              nlohmann::json::array({"name", "role"}));
    const auto role = tenant_audit(acme_, "user.role_changed")[0].details;
    EXPECT_EQ(role["from"], "EXPERT");
    EXPECT_EQ(role["to"], "MANAGER");
    EXPECT_EQ(tenant_audit(acme_, "user.created")[0].details["role"], "EXPERT");

    // Invites: the row says one was issued, never the token.
    in.email = "invited@kontor.example";
    in.password.reset();
    const CreatedUser invited = must(accounts_->create(mia, in));
    const identity::Invite again = must(accounts_->reinvite(mia, invited.user.id));
    for (const auto& row : tenant_audit(acme_, "user.")) {
        EXPECT_EQ(row.details.dump().find(invited.invite->token), std::string::npos);
        EXPECT_EQ(row.details.dump().find(again.token), std::string::npos);
    }
    EXPECT_EQ(tenant_audit(acme_, "user.invited").size(), 1u);

    // ADMIN users are recorded in the platform's log, tenant users never are.
    const User root = admin();
    const User other_root = admin();
    must(accounts_->update(actor_for(root), other_root.id, {.name = "Renamed Root"}));
    must(accounts_->deactivate(actor_for(root), other_root.id));
    EXPECT_EQ(platform_audit("user.updated").size(), 1u);
    EXPECT_EQ(platform_audit("user.deactivated").size(), 1u);
    EXPECT_EQ(platform_audit("user.deactivated")[0].actor_id, root.id.str());
    EXPECT_TRUE(platform_audit("user.created").empty());  // made through the data layer
    EXPECT_EQ(tenant_audit(beta_, "user.").size(), 0u);
}

// ---- JSON -------------------------------------------------------------------------------------

TEST(AccountsJson, FieldsTimesAndRate) {
    User u;
    u.id = core::UserId{"01890a5d-ac96-774b-bcce-b302099a8057"};
    u.tenant = core::TenantId{"01890a5d-ac96-774b-bcce-b302099a8058"};
    u.email = "eve@acme.example";
    u.name = "Eve";
    u.role = Role::kExpert;
    u.status = "active";
    u.hourly_rate = identity::HourlyRate{9'950, "EUR"};
    u.created_at = 0;
    u.updated_at = 1'000;
    const auto j = to_json(u, true);
    EXPECT_EQ(j["id"], u.id.str());
    EXPECT_EQ(j["tenant_id"], u.tenant->str());
    EXPECT_EQ(j["role"], "EXPERT");
    EXPECT_TRUE(j["customer_id"].is_null());
    EXPECT_TRUE(j["locale"].is_null());
    EXPECT_TRUE(j["last_login_at"].is_null());
    EXPECT_EQ(j["mfa_enabled"], false);
    EXPECT_EQ(j["hourly_rate"], (nlohmann::json{{"amount_cents", 9'950}, {"currency", "EUR"}}));
    EXPECT_EQ(j["created_at"], "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(j["updated_at"], "1970-01-01T00:00:01.000Z");
    EXPECT_FALSE(j.contains("password_hash"));
    EXPECT_FALSE(to_json(u, false).contains("hourly_rate"));

    u.tenant.reset();
    u.hourly_rate.reset();
    u.last_login_at = 2'000;
    const auto admin = to_json(u, true);
    EXPECT_TRUE(admin["tenant_id"].is_null());
    EXPECT_TRUE(admin["hourly_rate"].is_null());
    EXPECT_EQ(admin["last_login_at"], "1970-01-01T00:00:02.000Z");
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountServiceTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::auth
