#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <stdexcept>

#include "kontor/core/clock.hpp"
#include "kontor/identity/crypto.hpp"
#include "kontor/identity/password.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "support/tenant_stores.hpp"
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

// ---- builders ---------------------------------------------------------------------------------

using testing::fields_of;
using testing::must;

std::vector<std::string> names_of(const core::Page<User>& page) {
    std::vector<std::string> out;
    for (const auto& u : page.items) out.push_back(u.name);
    return out;
}

// "Ada Lovelace" → "ada.lovelace@acme.example"
std::string email_for(std::string_view name) {
    std::string local;
    for (unsigned char c : name) {
        if (std::isalnum(c))
            local += static_cast<char>(std::tolower(c));
        else if (!local.empty() && local.back() != '.')
            local += '.';
    }
    return local + "@acme.example";
}

class UserServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        testing::open_tenant_stores(GetParam(), db_, stores_, tenants_);
        users_ = std::make_unique<UserService>(*stores_);
        tenant_ = tenants_->create({.name = "Acme", .slug = std::nullopt})->id;
    }

    // A user of tenant_ without a password (invited: no slow hashing). Portal roles belong to
    // org_, ADMINs to no tenant; tests change what they need on top.
    NewUser make_user(std::string name, Role role = Role::kExpert) {
        NewUser in;
        in.tenant = role == Role::kAdmin ? std::nullopt : std::optional(tenant_);
        in.email = email_for(name);
        in.name = std::move(name);
        in.role = role;
        if (role == Role::kClient || role == Role::kCustomerAdmin) in.customer = org_;
        return in;
    }
    User add(NewUser in) { return must(users_->create(in)); }
    User add(std::string name, Role role = Role::kExpert) {
        return add(make_user(std::move(name), role));
    }

    core::Page<User> list(UserQuery q = {}) {
        if (!q.tenant) q.tenant = tenant_;
        return users_->list(q);
    }
    std::optional<std::string> password_hash(const User& u) {
        auto catalog = stores_->catalog();
        return catalog->query("SELECT password_hash FROM users WHERE id = $1", {u.id.str()})
            .opt_text(0, 0);
    }

    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<UserService> users_;
    core::TenantId tenant_;
    core::OrganizationId org_{core::new_uuid_v7()};  // the data layer does not look customers up
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
    auto dup =
        users_->create({other, "X@ACME.example", "X2", Role::kClient, "a sound passphrase", org_});
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
                                          "U", Role::kExpert, "a sound passphrase"});
    ASSERT_FALSE(unknown_tenant);
    EXPECT_EQ(unknown_tenant.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(unknown_tenant.error()), std::vector<std::string>{"/tenant_id"});
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

// ---- create: every rule, one table --------------------------------------------------------------

TEST_P(UserServiceTest, CreateChecksEveryRule) {
    struct Case {
        const char* what;
        std::function<void(NewUser&)> change;
        std::vector<std::string> fields;  // empty: accepted
    };
    const std::string name200(200, 'n');
    const std::vector<Case> cases = {
        {"a plain expert", [](NewUser&) {}, {}},
        {"a 200-byte name", [&](NewUser& u) { u.name = name200; }, {}},
        {"a zero rate",
         [](NewUser& u) {
             u.hourly_rate = HourlyRate{0, "EUR"};
         },
         {}},
        {"German", [](NewUser& u) { u.locale = "de"; }, {}},
        {"a client of a customer",
         [this](NewUser& u) {
             u.role = Role::kClient;
             u.customer = org_;
         },
         {}},
        {"a platform admin",
         [](NewUser& u) {
             u.role = Role::kAdmin;
             u.tenant.reset();
         },
         {}},
        {"no address", [](NewUser& u) { u.email = "not-an-address"; }, {"/email"}},
        {"an empty name", [](NewUser& u) { u.name = ""; }, {"/name"}},
        {"a blank name", [](NewUser& u) { u.name = "   "; }, {"/name"}},
        {"a 201-byte name", [&](NewUser& u) { u.name = name200 + "x"; }, {"/name"}},
        {"a control character", [](NewUser& u) { u.name = "Ada\nLovelace"; }, {"/name"}},
        {"French", [](NewUser& u) { u.locale = "fr"; }, {"/locale"}},
        {"a negative rate",
         [](NewUser& u) {
             u.hourly_rate = HourlyRate{-1, "EUR"};
         },
         {"/hourly_rate/amount_cents"}},
        {"a lower-case currency",
         [](NewUser& u) {
             u.hourly_rate = HourlyRate{100, "eur"};
         },
         {"/hourly_rate/currency"}},
        {"a four-letter currency",
         [](NewUser& u) {
             u.hourly_rate = HourlyRate{100, "EURO"};
         },
         {"/hourly_rate/currency"}},
        {"a rate for a client",
         [this](NewUser& u) {
             u.role = Role::kClient;
             u.customer = org_;
             u.hourly_rate = HourlyRate{100, "EUR"};
         },
         {"/hourly_rate"}},
        {"a client without customer", [](NewUser& u) { u.role = Role::kClient; }, {"/customer_id"}},
        {"a customer admin without customer",
         [](NewUser& u) { u.role = Role::kCustomerAdmin; },
         {"/customer_id"}},
        {"staff with a customer", [this](NewUser& u) { u.customer = org_; }, {"/customer_id"}},
        {"a customer id that is no id",
         [](NewUser& u) {
             u.role = Role::kClient;
             u.customer = core::OrganizationId{"acme"};
         },
         {"/customer_id"}},
        {"an admin with a tenant", [](NewUser& u) { u.role = Role::kAdmin; }, {"/tenant_id"}},
        {"a manager without tenant",
         [](NewUser& u) {
             u.role = Role::kManager;
             u.tenant.reset();
         },
         {"/tenant_id"}},
        {"a weak password", [](NewUser& u) { u.password = "short"; }, {"/password"}},
        {"two problems at once",
         [](NewUser& u) {
             u.name = "";
             u.locale = "xx";
         },
         {"/name", "/locale"}},
    };
    int n = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        NewUser in = make_user("Case " + std::to_string(++n));
        c.change(in);
        auto result = users_->create(in);
        if (c.fields.empty()) {
            EXPECT_TRUE(result) << result.error().detail;
        } else {
            ASSERT_FALSE(result);
            EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
            EXPECT_EQ(fields_of(result.error()), c.fields);
        }
    }
}

TEST_P(UserServiceTest, WithoutPasswordTheUserIsInvitedAndCannotSignIn) {
    const User u = add("Ivy Invited");
    EXPECT_EQ(u.status, "invited");
    EXPECT_FALSE(password_hash(u));
    EXPECT_FALSE(users_->verify_credentials(u.email, ""));
    EXPECT_FALSE(users_->verify_credentials(u.email, "a sound passphrase"));

    NewUser with = make_user("Pat Password");
    with.password = "a sound passphrase";
    const User p = add(with);
    EXPECT_EQ(p.status, "active");
    ASSERT_TRUE(password_hash(p));
    EXPECT_TRUE(password_hash(p)->starts_with("$argon2id$"));
}

TEST_P(UserServiceTest, ProfileFieldsRoundTrip) {
    NewUser in = make_user("Ralf Rate", Role::kManager);
    in.email = "  Ralf.Rate@ACME.example ";
    in.locale = "de";
    in.hourly_rate = HourlyRate{12'550, "EUR"};
    const User created = add(in);
    NewUser client = make_user("Cleo Client", Role::kCustomerAdmin);
    const User c = add(client);

    for (const auto& found :
         {users_->find(created.id), users_->find_by_email("ralf.rate@acme.example")}) {
        ASSERT_TRUE(found);
        EXPECT_EQ(found->id, created.id);
        EXPECT_EQ(found->tenant, tenant_);
        EXPECT_EQ(found->email, "ralf.rate@acme.example");
        EXPECT_EQ(found->name, "Ralf Rate");
        EXPECT_EQ(found->role, Role::kManager);
        EXPECT_EQ(found->status, "invited");
        EXPECT_FALSE(found->customer);
        EXPECT_EQ(found->locale, "de");
        ASSERT_TRUE(found->hourly_rate);
        EXPECT_EQ(found->hourly_rate->cents, 12'550);
        EXPECT_EQ(found->hourly_rate->currency, "EUR");
        EXPECT_FALSE(found->last_login_at);
        EXPECT_FALSE(found->mfa_enabled);
        EXPECT_EQ(found->created_at, created.created_at);
        EXPECT_EQ(found->updated_at, created.created_at);
    }
    const auto found_client = users_->find(c.id);
    ASSERT_TRUE(found_client);
    EXPECT_EQ(found_client->customer, org_);
    EXPECT_FALSE(found_client->locale);
    EXPECT_FALSE(found_client->hourly_rate);
    EXPECT_FALSE(users_->find(core::UserId{core::new_uuid_v7()}));
    EXPECT_FALSE(users_->find_by_email("nobody@acme.example"));
}

// ---- update -------------------------------------------------------------------------------------

TEST_P(UserServiceTest, UpdateChangesOnlyWhatIsGivenAndClearsNullables) {
    NewUser in = make_user("Erin Expert");
    in.locale = "de";
    in.hourly_rate = HourlyRate{9'000, "EUR"};
    const User e = add(in);

    const User renamed = must(users_->update(e.id, {.name = "Erin E."}));
    EXPECT_EQ(renamed.name, "Erin E.");
    EXPECT_EQ(renamed.locale, "de");
    EXPECT_EQ(renamed.hourly_rate->cents, 9'000);
    EXPECT_EQ(renamed.role, Role::kExpert);
    EXPECT_GE(renamed.updated_at, e.updated_at);

    const User cleared = must(users_->update(
        e.id, {.locale = std::optional<std::string>{},
               .hourly_rate = std::optional<HourlyRate>{HourlyRate{10'000, "CHF"}}}));
    EXPECT_FALSE(cleared.locale);
    EXPECT_EQ(cleared.hourly_rate->currency, "CHF");
    const auto stored = users_->find(e.id);
    EXPECT_FALSE(stored->locale);
    EXPECT_EQ(stored->hourly_rate->cents, 10'000);
    EXPECT_EQ(stored->name, "Erin E.");

    auto unknown = users_->update(core::UserId{core::new_uuid_v7()}, {.name = "X"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
}

TEST_P(UserServiceTest, UpdateValidatesTheResult) {
    NewUser in = make_user("Ezra Expert");
    in.hourly_rate = HourlyRate{9'000, "EUR"};
    const User e = add(in);
    const auto fields = [&](const UserUpdate& u) {
        auto r = users_->update(e.id, u);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        return fields_of(r.error());
    };
    // Becoming a CLIENT needs a customer and loses the rate, both said explicitly.
    EXPECT_EQ(fields({.role = Role::kClient}),
              (std::vector<std::string>{"/customer_id", "/hourly_rate"}));
    EXPECT_EQ(fields({.role = Role::kClient, .customer = std::optional(org_)}),
              std::vector<std::string>{"/hourly_rate"});
    EXPECT_EQ(fields({.role = Role::kAdmin}),
              (std::vector<std::string>{"/role", "/hourly_rate"}));  // ADMINs have no rate either
    EXPECT_EQ(fields({.status = "invited"}), std::vector<std::string>{"/status"});
    EXPECT_EQ(fields({.name = ""}), std::vector<std::string>{"/name"});
    EXPECT_EQ(fields({.locale = std::optional<std::string>{"es"}}),
              std::vector<std::string>{"/locale"});
    EXPECT_EQ(users_->find(e.id)->role, Role::kExpert);  // nothing was written

    const User client = must(users_->update(e.id, {.role = Role::kClient,
                                                   .customer = std::optional(org_),
                                                   .hourly_rate = std::optional<HourlyRate>{}}));
    EXPECT_EQ(client.role, Role::kClient);
    EXPECT_EQ(client.customer, org_);
    EXPECT_FALSE(client.hourly_rate);

    const User admin = add("Ada Admin", Role::kAdmin);
    EXPECT_EQ(fields_of(users_->update(admin.id, {.role = Role::kManager}).error()),
              std::vector<std::string>{"/role"});
}

TEST_P(UserServiceTest, StatusChangesAndSeats) {
    NewUser active_in = make_user("Amy Active");
    active_in.password = "a sound passphrase";
    const User active = add(active_in);
    const User invited = add("Ian Invited");
    const User other = add("Ola Other");
    const auto other_tenant = tenants_->create({.name = "Other", .slug = std::nullopt})->id;
    NewUser elsewhere = make_user("Eli Elsewhere");
    elsewhere.tenant = other_tenant;
    add(elsewhere);
    add("Ada Admin", Role::kAdmin);
    EXPECT_EQ(users_->count_seats(tenant_), 3);

    ASSERT_TRUE(users_->update(other.id, {.status = "inactive"}));
    EXPECT_EQ(users_->count_seats(tenant_), 2);  // inactive users free their seat
    ASSERT_TRUE(users_->update(active.id, {.status = "inactive"}));
    EXPECT_FALSE(users_->verify_credentials(active.email, "a sound passphrase"));
    EXPECT_EQ(must(users_->update(active.id, {.status = "active"})).status, "active");
    EXPECT_TRUE(users_->verify_credentials(active.email, "a sound passphrase"));

    // Someone who never set a password comes back as invited: "active" would lock them out.
    ASSERT_TRUE(users_->update(invited.id, {.status = "inactive"}));
    EXPECT_EQ(must(users_->update(invited.id, {.status = "active"})).status, "invited");
    EXPECT_EQ(users_->count_seats(tenant_), 2);
    EXPECT_EQ(users_->count_seats(other_tenant), 1);
}

// ---- list ---------------------------------------------------------------------------------------

TEST_P(UserServiceTest, ListFiltersAndPagesInNameOrder) {
    const User mia = add("Mia Manager", Role::kManager);
    add("Eve Expert");
    add("Carl Client", Role::kClient);
    NewUser other_org = make_user("Cora Client", Role::kClient);
    other_org.customer = core::OrganizationId{core::new_uuid_v7()};
    add(other_org);
    const User inactive = add("Abe Expert");
    ASSERT_TRUE(users_->update(inactive.id, {.status = "inactive"}));
    add("Ada Admin", Role::kAdmin);
    const auto other_tenant = tenants_->create({.name = "Other", .slug = std::nullopt})->id;
    NewUser elsewhere = make_user("Bea Elsewhere");
    elsewhere.tenant = other_tenant;
    add(elsewhere);

    EXPECT_EQ(names_of(list()),
              (std::vector<std::string>{"Abe Expert", "Carl Client", "Cora Client", "Eve Expert",
                                        "Mia Manager"}));
    EXPECT_EQ(list().total, 5);
    EXPECT_EQ(users_->list({}).total, 7);  // no tenant: the whole platform (ADMIN)
    EXPECT_EQ(names_of(list({.role = Role::kExpert})),
              (std::vector<std::string>{"Abe Expert", "Eve Expert"}));
    EXPECT_EQ(names_of(list({.status = "inactive"})), std::vector<std::string>{"Abe Expert"});
    EXPECT_EQ(names_of(list({.customer = org_})), std::vector<std::string>{"Carl Client"});
    EXPECT_EQ(names_of(list({.role = Role::kExpert, .status = "invited"})),
              std::vector<std::string>{"Eve Expert"});
    EXPECT_EQ(names_of(list({.tenant = other_tenant})), std::vector<std::string>{"Bea Elsewhere"});

    auto page2 = list({.page = {.page = 2, .limit = 2}});
    EXPECT_EQ(page2.total, 5);
    EXPECT_EQ(names_of(page2), (std::vector<std::string>{"Cora Client", "Eve Expert"}));
    EXPECT_TRUE(list({.page = {.page = 4, .limit = 2}}).items.empty());
    EXPECT_EQ(list({.search = "MIA"}).items.at(0).id, mia.id);  // name, case-insensitive
    EXPECT_EQ(names_of(list({.search = "cora.client@"})), std::vector<std::string>{"Cora Client"});
}

TEST_P(UserServiceTest, ListOrdersEqualNamesById) {
    const User a = add(make_user("Sam Same"));
    NewUser second = make_user("Sam Same");
    second.email = "sam.same.2@acme.example";
    const User b = add(second);
    const auto page = list({.search = "sam"});
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.items[0].id, std::min(a.id, b.id));
    EXPECT_EQ(page.items[1].id, std::max(a.id, b.id));
}

TEST_P(UserServiceTest, SearchTakesWildcardsLiterally) {
    add("Half 50% Off");
    add("Half 500 Off");
    add("Under_Score");
    add("Underscore");
    NewUser slash = make_user("Back Slash");
    slash.email = "back\\slash@acme.example";
    add(slash);
    add("Backxslash");
    EXPECT_EQ(names_of(list({.search = "50%"})), std::vector<std::string>{"Half 50% Off"});
    EXPECT_EQ(names_of(list({.search = "r_s"})), std::vector<std::string>{"Under_Score"});
    EXPECT_EQ(names_of(list({.search = "k\\s"})), std::vector<std::string>{"Back Slash"});
    EXPECT_EQ(list({.search = "%"}).total, 1);
    EXPECT_EQ(list({.search = "_"}).total, 1);
    EXPECT_EQ(list({.search = "nobody"}).total, 0);
}

// ---- expertise ----------------------------------------------------------------------------------

TEST_P(UserServiceTest, ExpertiseIsReplacedAsAWhole) {
    const User e = add("Eve Expert");
    EXPECT_TRUE(users_->expertise(e.id).empty());
    auto first = must(users_->set_expertise(e.id, {{"networking", 3}, {"Linux", 5}}));
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].skill, "Linux");
    EXPECT_EQ(first[1].skill, "networking");
    EXPECT_EQ(users_->expertise(e.id).size(), 2u);

    must(users_->set_expertise(e.id, {{"SAP", 1}}));
    const auto now = users_->expertise(e.id);
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].skill, "SAP");
    EXPECT_EQ(now[0].level, 1);

    must(users_->set_expertise(e.id, {}));
    EXPECT_TRUE(users_->expertise(e.id).empty());
}

TEST_P(UserServiceTest, ExpertiseIsValidatedPerEntry) {
    const User e = add("Eve Expert");
    must(users_->set_expertise(e.id, {{"Linux", 4}}));
    const auto fields = [&](const std::vector<Expertise>& list) {
        auto r = users_->set_expertise(e.id, list);
        if (r) return std::vector<std::string>{};
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        return fields_of(r.error());
    };
    EXPECT_EQ(fields({{"Linux", 0}}), std::vector<std::string>{"/0/level"});
    EXPECT_EQ(fields({{"Linux", 1}, {"SAP", 6}}), std::vector<std::string>{"/1/level"});
    EXPECT_EQ(fields({{"linux", 1}, {"LINUX", 2}}), std::vector<std::string>{"/1/skill"});
    EXPECT_EQ(fields({{"", 1}}), std::vector<std::string>{"/0/skill"});
    EXPECT_EQ(fields({{std::string(61, 's'), 1}}), std::vector<std::string>{"/0/skill"});
    EXPECT_EQ(fields({{"tab\there", 1}}), std::vector<std::string>{"/0/skill"});
    EXPECT_TRUE(fields({{std::string(60, 's'), 1}}).empty());
    std::vector<Expertise> many;
    for (int i = 0; i < 51; ++i) many.push_back({"skill " + std::to_string(i), 1});
    EXPECT_EQ(fields(many), std::vector<std::string>{"/"});
    many.pop_back();
    EXPECT_TRUE(fields(many).empty());
    EXPECT_EQ(users_->expertise(e.id).size(), 50u);

    EXPECT_EQ(fields({{"Linux", 9}}), std::vector<std::string>{"/0/level"});
    EXPECT_EQ(users_->expertise(e.id).size(), 50u);  // a refused list changes nothing
    auto unknown = users_->set_expertise(core::UserId{core::new_uuid_v7()}, {{"Linux", 1}});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
}

// ---- invites ------------------------------------------------------------------------------------

TEST_P(UserServiceTest, InviteIsRedeemedOnce) {
    const User ivy = add("Ivy Invited");
    const User mia = add("Mia Manager", Role::kManager);
    const auto before = core::now_ms();
    const Invite invite = must(users_->issue_invite(ivy.id, mia.id, 3'600'000));
    EXPECT_GE(invite.token.size(), 40u);
    EXPECT_GE(invite.expires_at, before + 3'600'000);
    {  // only the hash is stored
        auto catalog = stores_->catalog();
        auto rs = catalog->query("SELECT token_hash, created_by FROM invites WHERE user_id = $1",
                                 {ivy.id.str()});
        ASSERT_EQ(rs.size(), 1u);
        EXPECT_EQ(rs.get_text(0, 0), sha256_hex(invite.token));
        EXPECT_EQ(rs.get_text(0, 1), mia.id.str());
    }

    // A refused password leaves the invite usable.
    auto weak = users_->redeem_invite(invite.token, "short", std::nullopt);
    ASSERT_FALSE(weak);
    EXPECT_EQ(fields_of(weak.error()), std::vector<std::string>{"/password"});
    auto bad_name = users_->redeem_invite(invite.token, "a sound passphrase", std::string("\x01"));
    ASSERT_FALSE(bad_name);
    EXPECT_EQ(fields_of(bad_name.error()), std::vector<std::string>{"/name"});

    const User redeemed =
        must(users_->redeem_invite(invite.token, "a sound passphrase", std::string("Ivy I.")));
    EXPECT_EQ(redeemed.id, ivy.id);
    EXPECT_EQ(redeemed.status, "active");
    EXPECT_EQ(redeemed.name, "Ivy I.");
    EXPECT_TRUE(users_->verify_credentials(ivy.email, "a sound passphrase"));

    auto again = users_->redeem_invite(invite.token, "another passphrase", std::nullopt);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kNotFound);
    EXPECT_TRUE(users_->verify_credentials(ivy.email, "a sound passphrase"));

    // Only invited users get invites.
    auto active = users_->issue_invite(ivy.id, std::nullopt, 3'600'000);
    ASSERT_FALSE(active);
    EXPECT_EQ(active.error().code, core::ErrorCode::kConflict);
    auto unknown = users_->issue_invite(core::UserId{core::new_uuid_v7()}, std::nullopt, 1000);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
}

TEST_P(UserServiceTest, ANewInviteRetiresTheOlderOnes) {
    const User ivy = add("Ivy Invited");
    const Invite first = must(users_->issue_invite(ivy.id, std::nullopt, 3'600'000));
    const Invite second = must(users_->issue_invite(ivy.id, std::nullopt, 3'600'000));
    EXPECT_NE(first.token, second.token);
    EXPECT_EQ(users_->redeem_invite(first.token, "a sound passphrase", std::nullopt).error().code,
              core::ErrorCode::kNotFound);
    EXPECT_TRUE(users_->redeem_invite(second.token, "a sound passphrase", std::nullopt));
}

TEST_P(UserServiceTest, ExpiredUnknownAndWithdrawnInvitesAreNotFound) {
    const User ivy = add("Ivy Invited");
    const Invite expired = must(users_->issue_invite(ivy.id, std::nullopt, 3'600'000));
    {
        auto catalog = stores_->catalog();
        catalog->execute("UPDATE invites SET expires_at = $2 WHERE token_hash = $1",
                         {sha256_hex(expired.token), core::now_ms() - 1});
    }
    const auto code = [&](const std::string& token) {
        auto r = users_->redeem_invite(token, "a sound passphrase", std::nullopt);
        return r ? std::string("ok") : std::string(core::code_name(r.error().code));
    };
    EXPECT_EQ(code(expired.token), "not_found");
    EXPECT_EQ(code("no-such-token"), "not_found");
    EXPECT_EQ(code(""), "not_found");

    // Deactivating an invited user withdraws the invitation.
    const User ian = add("Ian Invited");
    const Invite withdrawn = must(users_->issue_invite(ian.id, std::nullopt, 3'600'000));
    ASSERT_TRUE(users_->update(ian.id, {.status = "inactive"}));
    EXPECT_EQ(code(withdrawn.token), "not_found");
    EXPECT_EQ(users_->find(ian.id)->status, "inactive");
}

INSTANTIATE_TEST_SUITE_P(Backends, UserServiceTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::identity
