// CustomerService on every backend (SQLite always, PostgreSQL with KONTOR_TEST_PG_URL): the
// policy (record check and list scope), validation, unique keys, search, paging, sorting,
// optimistic concurrency and the audit rows.
#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "support/tenant_stores.hpp"
#include "support/test_env.hpp"

namespace kontor::customers {
namespace {

using identity::Role;
using Nullable = std::optional<std::optional<std::string>>;

// ---- builders ---------------------------------------------------------------------------------

// A create input with just a name; tests set what they need on top.
CustomerInput make_customer(std::string name) {
    CustomerInput in;
    in.name = std::move(name);
    return in;
}

// An input with every field set.
CustomerInput make_full_customer(std::string name) {
    CustomerInput in = make_customer(std::move(name));
    in.domain = std::optional<std::string>{"Acme.Example"};
    in.contact_email = std::optional<std::string>{"  Help@Acme.Example "};
    in.phone = std::optional<std::string>{"+49 30 1234567"};
    in.address = std::optional<std::string>{"Hauptstraße 1\n10115 Berlin"};
    in.notes = std::optional<std::string>{"pays late\tusually"};
    in.external_ref = std::optional<std::string>{"001D000000IqhSL"};
    return in;
}

// Sets a nullable field of an input ("" and nullopt are both meaningful, so spell it out).
Nullable set(std::string v) { return std::optional<std::string>{std::move(v)}; }
Nullable clear() { return std::optional<std::string>{}; }

identity::Actor make_actor(Role role, const core::TenantId& tenant,
                           std::optional<core::OrganizationId> organization = std::nullopt) {
    identity::Actor a;
    a.tenant = tenant;
    a.user = core::UserId{core::new_uuid_v7()};
    a.role = role;
    a.permissions = identity::permissions_of(role);
    a.organization = std::move(organization);
    a.request_id = "req-" + a.user.str().substr(24);
    a.ip = "192.0.2.7";
    return a;
}

using testing::fields_of;
using testing::must;

std::vector<std::string> names_of(const core::Page<Customer>& page) {
    std::vector<std::string> out;
    for (const auto& c : page.items) out.push_back(c.name);
    return out;
}

// ---- fixture ----------------------------------------------------------------------------------

class CustomerServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        testing::open_tenant_stores(GetParam(), db_, stores_, tenants_);
        tenant_ = must(tenants_->create({.name = "Northwind MSP", .slug = std::nullopt})).id;
        service_ = std::make_unique<CustomerService>(*stores_);
        manager_ = make_actor(Role::kManager, tenant_);
    }

    identity::Actor staff(Role role = Role::kExpert) { return make_actor(role, tenant_); }
    identity::Actor customer_user(const core::OrganizationId& org, Role role = Role::kClient) {
        return make_actor(role, tenant_, org);
    }

    Customer add(CustomerInput in) { return must(service_->create(manager_, tenant_, in)); }
    Customer add(const std::string& name) { return add(make_customer(name)); }

    core::Page<Customer> list(CustomerQuery q = {}) {
        return must(service_->list(manager_, tenant_, q));
    }
    core::Page<Customer> search(const std::string& text) {
        CustomerQuery q;
        q.search = text;
        return list(q);
    }

    std::vector<audit::Record> audit_rows(const std::string& action) {
        audit::AuditLog log(*stores_);
        audit::Query q;
        q.action = action;
        return log.list(tenant_, q).items;
    }

    // Sets a timestamp directly, so sort tests do not depend on the clock's resolution.
    void set_time(const Customer& c, std::string_view column, std::int64_t ms) {
        auto conn = stores_->tenant(tenant_);
        conn->execute("UPDATE customers SET " + std::string(column) + " = $2 WHERE id = $1",
                      {c.id.str(), ms});
    }

    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<CustomerService> service_;
    core::TenantId tenant_;
    identity::Actor manager_;
};

// ---- create and get ---------------------------------------------------------------------------

TEST_P(CustomerServiceTest, CreateNormalisesAndGetReturnsTheSameRecord) {
    const auto before = core::now_ms();
    auto in = make_full_customer("  Acme Corp  ");
    const Customer c = add(in);

    EXPECT_TRUE(core::is_uuid(c.id.str()));
    EXPECT_EQ(c.name, "Acme Corp");  // trimmed
    EXPECT_EQ(c.domain, "acme.example");
    EXPECT_EQ(c.contact_email, "help@acme.example");
    EXPECT_EQ(c.phone, "+49 30 1234567");
    EXPECT_EQ(c.address, "Hauptstraße 1\n10115 Berlin");
    EXPECT_EQ(c.notes, "pays late\tusually");
    EXPECT_EQ(c.external_ref, "001D000000IqhSL");
    EXPECT_EQ(c.version, 1);
    EXPECT_GE(c.created_at, before);
    EXPECT_EQ(c.updated_at, c.created_at);

    const Customer got = must(service_->get(staff(), tenant_, c.id));
    EXPECT_EQ(got.id, c.id);
    EXPECT_EQ(got.name, c.name);
    EXPECT_EQ(got.domain, c.domain);
    EXPECT_EQ(got.contact_email, c.contact_email);
    EXPECT_EQ(got.phone, c.phone);
    EXPECT_EQ(got.address, c.address);
    EXPECT_EQ(got.notes, c.notes);
    EXPECT_EQ(got.external_ref, c.external_ref);
    EXPECT_EQ(got.created_at, c.created_at);
    EXPECT_EQ(got.updated_at, c.updated_at);
    EXPECT_EQ(got.version, 1);
    EXPECT_TRUE(service_->exists(tenant_, c.id));
}

TEST_P(CustomerServiceTest, OptionalFieldsMayBeAbsentAndBlankMeansNull) {
    auto in = make_customer("Initech");
    in.phone = set("   ");
    in.notes = set("\r\n");
    in.domain = clear();
    const Customer c = add(in);
    EXPECT_FALSE(c.domain);
    EXPECT_FALSE(c.contact_email);
    EXPECT_FALSE(c.phone);
    EXPECT_FALSE(c.notes);
    const Customer got = must(service_->get(manager_, tenant_, c.id));
    EXPECT_FALSE(got.phone);
    EXPECT_FALSE(got.external_ref);
}

TEST_P(CustomerServiceTest, MultiLineFieldsKeepNewlinesAndTabsAndStoreLf) {
    auto in = make_customer("Umbrella");
    in.address = set("Line 1\r\nLine 2\r\n\tBack");
    in.notes = set("a\tb\nc");
    const Customer c = add(in);
    EXPECT_EQ(c.address, "Line 1\nLine 2\n\tBack");
    EXPECT_EQ(must(service_->get(manager_, tenant_, c.id)).notes, "a\tb\nc");
}

TEST_P(CustomerServiceTest, UnicodeNamesAreKept) {
    const Customer c = add("Müller & Söhne GmbH");
    EXPECT_EQ(must(service_->get(manager_, tenant_, c.id)).name, "Müller & Söhne GmbH");
}

TEST_P(CustomerServiceTest, GetOfUnknownIdIsNotFound) {
    auto r = service_->get(manager_, tenant_, core::OrganizationId{core::new_uuid_v7()});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
    EXPECT_FALSE(service_->exists(tenant_, core::OrganizationId{core::new_uuid_v7()}));
}

TEST_P(CustomerServiceTest, CreateWritesAnAuditRowWithFieldNamesOnly) {
    auto in = make_customer("Hooli");
    in.notes = set("confidential: about to churn");
    in.phone = set("555-0100");
    const Customer c = add(in);

    const auto rows = audit_rows("customer.created");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].subject, c.id.str());
    EXPECT_EQ(rows[0].actor_id, manager_.user.str());
    EXPECT_EQ(rows[0].ip, manager_.ip);
    EXPECT_EQ(rows[0].request_id, manager_.request_id);
    EXPECT_EQ(rows[0].details["fields"], nlohmann::json::array({"name", "phone", "notes"}));
    EXPECT_EQ(rows[0].details.dump().find("churn"), std::string::npos);
}

// ---- validation -------------------------------------------------------------------------------

struct InvalidCase {
    const char* label;
    std::function<void(CustomerInput&)> change;
    const char* field;
};

TEST_P(CustomerServiceTest, InvalidInputNamesTheField) {
    const std::vector<InvalidCase> cases = {
        {"empty name", [](auto& in) { in.name = ""; }, "/name"},
        {"blank name", [](auto& in) { in.name = " \t "; }, "/name"},
        {"long name", [](auto& in) { in.name = std::string(201, 'n'); }, "/name"},
        {"control in name", [](auto& in) { in.name = "Ac\x01me"; }, "/name"},
        {"newline in name", [](auto& in) { in.name = "Ac\nme"; }, "/name"},
        {"bad UTF-8 in name", [](auto& in) { in.name = "Ac\xC3\x28me"; }, "/name"},
        {"overlong UTF-8", [](auto& in) { in.name = "\xC0\xAF"; }, "/name"},
        {"domain with scheme", [](auto& in) { in.domain = set("https://acme.example"); },
         "/domain"},
        {"domain single label", [](auto& in) { in.domain = set("localhost"); }, "/domain"},
        {"domain IP", [](auto& in) { in.domain = set("192.168.1.1"); }, "/domain"},
        {"domain bad label", [](auto& in) { in.domain = set("-acme.example"); }, "/domain"},
        {"domain empty label", [](auto& in) { in.domain = set("acme..example"); }, "/domain"},
        {"domain space", [](auto& in) { in.domain = set("ac me.example"); }, "/domain"},
        {"domain long label", [](auto& in) { in.domain = set(std::string(64, 'a') + ".example"); },
         "/domain"},
        {"email no at", [](auto& in) { in.contact_email = set("help.acme.example"); },
         "/contact_email"},
        {"email two ats", [](auto& in) { in.contact_email = set("a@b@acme.example"); },
         "/contact_email"},
        {"long phone", [](auto& in) { in.phone = set(std::string(51, '1')); }, "/phone"},
        {"control in phone", [](auto& in) { in.phone = set("555\n0100"); }, "/phone"},
        {"long address", [](auto& in) { in.address = set(std::string(1001, 'a')); }, "/address"},
        {"control in address",
         [](auto& in) {
             in.address =
                 set("a\x07"
                     "b");
         },
         "/address"},
        {"long notes", [](auto& in) { in.notes = set(std::string(10001, 'a')); }, "/notes"},
        {"DEL in notes", [](auto& in) { in.notes = set("a\x7f"); }, "/notes"},
        {"long external_ref", [](auto& in) { in.external_ref = set(std::string(101, 'x')); },
         "/external_ref"},
        {"control in external_ref", [](auto& in) { in.external_ref = set("x\ty"); },
         "/external_ref"},
    };
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.label);
        auto in = make_customer("Valid Name");
        tc.change(in);
        auto r = service_->create(manager_, tenant_, in);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        EXPECT_EQ(fields_of(r.error()), std::vector<std::string>{tc.field});
    }
    EXPECT_TRUE(list().items.empty());
    EXPECT_TRUE(audit_rows("customer.created").empty());
}

TEST_P(CustomerServiceTest, LimitsAreInclusive) {
    auto in = make_customer(std::string(200, 'n'));
    in.phone = set(std::string(50, '1'));
    in.address = set(std::string(1000, 'a'));
    in.notes = set(std::string(10000, 'z'));
    in.external_ref = set(std::string(100, 'x'));
    in.domain = set("xn--mller-kva.example.");  // trailing dot: the DNS root, dropped
    const Customer c = add(in);
    EXPECT_EQ(c.domain, "xn--mller-kva.example");
}

TEST_P(CustomerServiceTest, EveryInvalidFieldIsReportedAtOnce) {
    CustomerInput in;  // no name
    in.domain = set("not a domain");
    in.contact_email = set("nobody");
    auto r = service_->create(manager_, tenant_, in);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(r.error()),
              (std::vector<std::string>{"/name", "/domain", "/contact_email"}));
}

TEST_P(CustomerServiceTest, UpdateValidatesOnlyTheGivenFields) {
    const Customer c = add("Vandelay Industries");
    CustomerInput patch;
    patch.name = "   ";
    patch.phone = set(std::string(60, '9'));
    auto r = service_->update(manager_, tenant_, c.id, patch, std::nullopt);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(r.error()), (std::vector<std::string>{"/name", "/phone"}));
    EXPECT_EQ(must(service_->get(manager_, tenant_, c.id)).version, 1);
}

// ---- unique keys ------------------------------------------------------------------------------

TEST_P(CustomerServiceTest, NamesAreUniqueIgnoringCase) {
    add("Acme Corp");
    for (const char* name : {"Acme Corp", "ACME CORP", "acme corp", " Acme Corp "}) {
        SCOPED_TRACE(name);
        auto r = service_->create(manager_, tenant_, make_customer(name));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
        EXPECT_NE(r.error().detail.find("name"), std::string::npos);
        EXPECT_EQ(fields_of(r.error()), std::vector<std::string>{"/name"});
    }
    EXPECT_EQ(list().total, 1);
    EXPECT_EQ(audit_rows("customer.created").size(), 1u);  // the failed ones left no audit row

    // Renaming another customer onto the name collides too; renaming a customer's own case does
    // not.
    const Customer other = add("Globex");
    CustomerInput rename;
    rename.name = "ACME corp";
    auto r = service_->update(manager_, tenant_, other.id, rename, std::nullopt);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(fields_of(r.error()), std::vector<std::string>{"/name"});
    EXPECT_EQ(must(service_->get(manager_, tenant_, other.id)).name, "Globex");

    rename.name = "GLOBEX";
    EXPECT_EQ(must(service_->update(manager_, tenant_, other.id, rename, std::nullopt)).name,
              "GLOBEX");
}

TEST_P(CustomerServiceTest, ExternalRefsAreUniqueWhenSet) {
    // Any number of customers may have none.
    add("No Ref One");
    add("No Ref Two");
    auto with_ref = [](std::string name, std::string ref) {
        auto in = make_customer(std::move(name));
        in.external_ref = set(std::move(ref));
        return in;
    };
    const Customer first = add(with_ref("Ref One", "SF-1"));
    auto dup = service_->create(manager_, tenant_, with_ref("Ref Two", "SF-1"));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
    EXPECT_NE(dup.error().detail.find("external_ref"), std::string::npos);
    EXPECT_EQ(fields_of(dup.error()), std::vector<std::string>{"/external_ref"});

    const Customer second = add(with_ref("Ref Two", "SF-2"));
    CustomerInput patch;
    patch.external_ref = set("SF-1");
    auto r = service_->update(manager_, tenant_, second.id, patch, std::nullopt);
    ASSERT_FALSE(r);
    EXPECT_EQ(fields_of(r.error()), std::vector<std::string>{"/external_ref"});

    // Clearing frees the value for someone else.
    patch.external_ref = clear();
    must(service_->update(manager_, tenant_, first.id, patch, std::nullopt));
    patch.external_ref = set("SF-1");
    EXPECT_EQ(
        must(service_->update(manager_, tenant_, second.id, patch, std::nullopt)).external_ref,
        "SF-1");
}

// ---- update -----------------------------------------------------------------------------------

TEST_P(CustomerServiceTest, UpdateChangesGivenFieldsBumpsVersionAndAudits) {
    const Customer c = add(make_full_customer("Stark Industries"));
    CustomerInput patch;
    patch.phone = set("+1 212 555 0199");
    patch.domain = clear();
    patch.notes = set("new secret remark");
    patch.contact_email = set("Tony@Stark.Example");

    const Customer u = must(service_->update(manager_, tenant_, c.id, patch, std::nullopt));
    EXPECT_EQ(u.version, 2);
    EXPECT_EQ(u.name, "Stark Industries");  // absent: unchanged
    EXPECT_EQ(u.phone, "+1 212 555 0199");
    EXPECT_FALSE(u.domain);
    EXPECT_EQ(u.contact_email, "tony@stark.example");
    EXPECT_EQ(u.address, c.address);
    EXPECT_EQ(u.external_ref, c.external_ref);
    EXPECT_EQ(u.created_at, c.created_at);
    EXPECT_GE(u.updated_at, c.updated_at);

    const Customer got = must(service_->get(manager_, tenant_, c.id));
    EXPECT_EQ(got.version, 2);
    EXPECT_FALSE(got.domain);
    EXPECT_EQ(got.notes, "new secret remark");
    EXPECT_EQ(got.updated_at, u.updated_at);

    const auto rows = audit_rows("customer.updated");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].subject, c.id.str());
    EXPECT_EQ(rows[0].actor_id, manager_.user.str());
    EXPECT_EQ(rows[0].details["fields"],
              nlohmann::json::array({"domain", "contact_email", "phone", "notes"}));
    EXPECT_EQ(rows[0].details.dump().find("secret"), std::string::npos);
}

TEST_P(CustomerServiceTest, UpdateWithoutChangesWritesNothing) {
    const Customer c = add(make_full_customer("Wayne Enterprises"));
    CustomerInput same;
    same.name = "Wayne Enterprises";
    same.domain = set("ACME.example");  // normalises to the stored value
    const Customer u = must(service_->update(manager_, tenant_, c.id, same, 1));
    EXPECT_EQ(u.version, 1);
    EXPECT_EQ(u.updated_at, c.updated_at);
    EXPECT_TRUE(audit_rows("customer.updated").empty());
}

TEST_P(CustomerServiceTest, StaleVersionIsPreconditionFailed) {
    const Customer c = add("Cyberdyne");
    CustomerInput patch;
    patch.phone = set("1");
    EXPECT_EQ(must(service_->update(manager_, tenant_, c.id, patch, 1)).version, 2);

    patch.phone = set("2");
    auto stale = service_->update(manager_, tenant_, c.id, patch, 1);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, core::ErrorCode::kPreconditionFailed);
    // Stale even when the edit would change nothing: the caller's picture is out of date.
    patch.phone = set("1");
    EXPECT_EQ(service_->update(manager_, tenant_, c.id, patch, 1).error().code,
              core::ErrorCode::kPreconditionFailed);
    // A version from the future is as wrong as one from the past.
    EXPECT_EQ(service_->update(manager_, tenant_, c.id, patch, 7).error().code,
              core::ErrorCode::kPreconditionFailed);

    const Customer got = must(service_->get(manager_, tenant_, c.id));
    EXPECT_EQ(got.phone, "1");
    EXPECT_EQ(got.version, 2);
    EXPECT_EQ(audit_rows("customer.updated").size(), 1u);

    patch.phone = set("3");
    EXPECT_EQ(must(service_->update(manager_, tenant_, c.id, patch, 2)).version, 3);
}

TEST_P(CustomerServiceTest, UpdateOfUnknownIdIsNotFound) {
    CustomerInput patch;
    patch.phone = set("1");
    const core::OrganizationId missing{core::new_uuid_v7()};
    EXPECT_EQ(service_->update(manager_, tenant_, missing, patch, std::nullopt).error().code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(service_->update(manager_, tenant_, missing, patch, 1).error().code,
              core::ErrorCode::kNotFound);
}

// ---- list: search, paging, sorting ------------------------------------------------------------

TEST_P(CustomerServiceTest, SearchMatchesNameDomainAndEmailIgnoringCase) {
    add("Acme Corp");
    auto with_domain = make_customer("Beta Ltd");
    with_domain.domain = set("betaworks.example");
    add(with_domain);
    auto with_email = make_customer("Gamma GmbH");
    with_email.contact_email = set("ops@gammaray.example");
    add(with_email);
    auto with_phone = make_customer("Delta");
    with_phone.phone = set("acme-hotline");  // phone is not searched
    add(with_phone);

    EXPECT_EQ(names_of(search("ACME")), std::vector<std::string>{"Acme Corp"});
    EXPECT_EQ(names_of(search("corp")), std::vector<std::string>{"Acme Corp"});
    EXPECT_EQ(names_of(search("WORKS.EX")), std::vector<std::string>{"Beta Ltd"});
    EXPECT_EQ(names_of(search("gammaray")), std::vector<std::string>{"Gamma GmbH"});
    EXPECT_EQ(names_of(search("example")), (std::vector<std::string>{"Beta Ltd", "Gamma GmbH"}));
    EXPECT_EQ(search("nothing like it").total, 0);
    EXPECT_EQ(search("   ").total, 4);  // blank search: no filter
    const auto page = search("a");
    EXPECT_EQ(page.total, 4);
}

TEST_P(CustomerServiceTest, SearchTreatsWildcardsLiterally) {
    add("100% Beer");
    add("1000 Beers");
    add("snake_case Ltd");
    add("snakeXcase Ltd");
    add("Back\\slash AG");
    add("Backslash AG");

    EXPECT_EQ(names_of(search("100%")), std::vector<std::string>{"100% Beer"});
    EXPECT_EQ(names_of(search("%")), std::vector<std::string>{"100% Beer"});
    EXPECT_EQ(names_of(search("e_c")), std::vector<std::string>{"snake_case Ltd"});
    EXPECT_EQ(names_of(search("_")), std::vector<std::string>{"snake_case Ltd"});
    EXPECT_EQ(names_of(search("k\\s")), std::vector<std::string>{"Back\\slash AG"});
    EXPECT_EQ(names_of(search("\\")), std::vector<std::string>{"Back\\slash AG"});
}

TEST_P(CustomerServiceTest, SearchTextIsValidated) {
    CustomerQuery q;
    q.search = std::string(201, 'x');
    auto r = service_->list(manager_, tenant_, q);
    ASSERT_FALSE(r);
    EXPECT_EQ(fields_of(r.error()), std::vector<std::string>{"/query/search"});
}

TEST_P(CustomerServiceTest, PagesCarryTheTotal) {
    for (int i = 1; i <= 7; ++i) add("Customer " + std::to_string(i));
    auto page_of = [this](int page, int limit) {
        CustomerQuery q;
        q.page = {.page = page, .limit = limit};
        return list(q);
    };
    const auto p1 = page_of(1, 3);
    EXPECT_EQ(p1.total, 7);
    EXPECT_EQ(names_of(p1), (std::vector<std::string>{"Customer 1", "Customer 2", "Customer 3"}));
    EXPECT_EQ(names_of(page_of(2, 3)),
              (std::vector<std::string>{"Customer 4", "Customer 5", "Customer 6"}));
    const auto p3 = page_of(3, 3);
    EXPECT_EQ(p3.total, 7);
    EXPECT_EQ(names_of(p3), std::vector<std::string>{"Customer 7"});
    const auto past = page_of(4, 3);
    EXPECT_EQ(past.total, 7);
    EXPECT_TRUE(past.items.empty());

    CustomerQuery filtered;
    filtered.search = "customer 1";
    filtered.page.limit = 1;
    EXPECT_EQ(list(filtered).total, 1);
}

TEST_P(CustomerServiceTest, SortsByNameIgnoringCaseInEitherDirection) {
    add("gamma");
    add("Alpha");
    add("beta");
    add("Delta");
    EXPECT_EQ(names_of(list()), (std::vector<std::string>{"Alpha", "beta", "Delta", "gamma"}));
    CustomerQuery desc;
    desc.descending = true;
    EXPECT_EQ(names_of(list(desc)), (std::vector<std::string>{"gamma", "Delta", "beta", "Alpha"}));
}

TEST_P(CustomerServiceTest, SortsByTimestampsWithIdAsTiebreaker) {
    const Customer a = add("A");
    const Customer b = add("B");
    const Customer c = add("C");
    const Customer d = add("D");
    set_time(a, "created_at", 3000);
    set_time(b, "created_at", 1000);
    set_time(c, "created_at", 2000);
    set_time(d, "created_at", 2000);  // ties with C: id decides
    set_time(a, "updated_at", 10);
    set_time(b, "updated_at", 40);
    set_time(c, "updated_at", 20);
    set_time(d, "updated_at", 30);

    const bool c_first = c.id.str() < d.id.str();
    const std::vector<std::string> tie =
        c_first ? std::vector<std::string>{"C", "D"} : std::vector<std::string>{"D", "C"};

    CustomerQuery q;
    q.sort = "created_at";
    EXPECT_EQ(names_of(list(q)), (std::vector<std::string>{"B", tie[0], tie[1], "A"}));
    q.descending = true;
    EXPECT_EQ(names_of(list(q)), (std::vector<std::string>{"A", tie[1], tie[0], "B"}));

    q.sort = "updated_at";
    EXPECT_EQ(names_of(list(q)), (std::vector<std::string>{"B", "D", "C", "A"}));
    q.descending = false;
    EXPECT_EQ(names_of(list(q)), (std::vector<std::string>{"A", "C", "D", "B"}));

    // Pages of a tie never repeat or skip a row.
    q.sort = "created_at";
    q.page.limit = 2;
    auto first = list(q);
    q.page.page = 2;
    auto second = list(q);
    EXPECT_EQ(names_of(first), (std::vector<std::string>{"B", tie[0]}));
    EXPECT_EQ(names_of(second), (std::vector<std::string>{tie[1], "A"}));
}

TEST_P(CustomerServiceTest, UnknownSortIsAValidationError) {
    for (const char* sort : {"notes", "name; DROP TABLE customers", "", "NAME"}) {
        SCOPED_TRACE(sort);
        CustomerQuery q;
        q.sort = sort;
        auto r = service_->list(manager_, tenant_, q);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        EXPECT_EQ(fields_of(r.error()), std::vector<std::string>{"/query/sort"});
    }
}

// ---- policy: who sees and edits what ----------------------------------------------------------

TEST_P(CustomerServiceTest, CustomerUsersSeeOnlyTheirOwnOrganisation) {
    auto own_in = make_full_customer("Own Org");
    const Customer own = add(own_in);
    const Customer other = add("Other Org");
    add("Third Org");

    for (Role role : {Role::kClient, Role::kCustomerAdmin}) {
        SCOPED_TRACE(identity::role_name(role));
        const auto user = customer_user(own.id, role);

        const Customer got = must(service_->get(user, tenant_, own.id));
        EXPECT_EQ(got.name, "Own Org");
        EXPECT_FALSE(got.notes);  // internal
        EXPECT_EQ(got.address, own.address);

        auto hidden = service_->get(user, tenant_, other.id);
        ASSERT_FALSE(hidden);
        EXPECT_EQ(hidden.error().code, core::ErrorCode::kNotFound);  // not forbidden
        // Indistinguishable from an id that does not exist.
        auto missing = service_->get(user, tenant_, core::OrganizationId{core::new_uuid_v7()});
        EXPECT_EQ(missing.error().code, hidden.error().code);
        EXPECT_EQ(missing.error().detail, hidden.error().detail);

        const auto page = must(service_->list(user, tenant_, {}));
        EXPECT_EQ(page.total, 1);
        ASSERT_EQ(page.items.size(), 1u);
        EXPECT_EQ(page.items[0].id, own.id);
        EXPECT_FALSE(page.items[0].notes);

        CustomerQuery q;
        q.search = "Other";
        EXPECT_EQ(must(service_->list(user, tenant_, q)).total, 0);
        q.search = "own";
        EXPECT_EQ(must(service_->list(user, tenant_, q)).total, 1);
    }
}

TEST_P(CustomerServiceTest, CustomerUserWithoutOrganisationSeesNothing) {
    add("Some Org");
    identity::Actor orphan = make_actor(Role::kClient, tenant_);
    const auto page = must(service_->list(orphan, tenant_, {}));
    EXPECT_EQ(page.total, 0);
    EXPECT_TRUE(page.items.empty());
}

TEST_P(CustomerServiceTest, StaffSeeEveryCustomerWithNotes) {
    const Customer c = add(make_full_customer("Tyrell"));
    add("Wallace");
    for (Role role : {Role::kExpert, Role::kManager}) {
        SCOPED_TRACE(identity::role_name(role));
        EXPECT_EQ(must(service_->get(staff(role), tenant_, c.id)).notes, "pays late\tusually");
        EXPECT_EQ(must(service_->list(staff(role), tenant_, {})).total, 2);
    }
    // A platform ADMIN has no tenant of its own and acts in the one it names.
    identity::Actor admin = make_actor(Role::kAdmin, core::TenantId{});
    EXPECT_EQ(must(service_->list(admin, tenant_, {})).total, 2);
    CustomerInput patch;
    patch.phone = set("0");
    EXPECT_EQ(must(service_->update(admin, tenant_, c.id, patch, 1)).version, 2);
}

TEST_P(CustomerServiceTest, CustomerUsersCannotCreateOrUpdate) {
    const Customer own = add("Own Org");
    for (Role role : {Role::kClient, Role::kCustomerAdmin}) {
        SCOPED_TRACE(identity::role_name(role));
        const auto user = customer_user(own.id, role);
        auto created = service_->create(user, tenant_, make_customer("Sneaky Org"));
        ASSERT_FALSE(created);
        EXPECT_EQ(created.error().code, core::ErrorCode::kForbidden);

        CustomerInput patch;
        patch.name = "Renamed";
        auto updated = service_->update(user, tenant_, own.id, patch, std::nullopt);
        ASSERT_FALSE(updated);
        EXPECT_EQ(updated.error().code, core::ErrorCode::kForbidden);
    }
    EXPECT_EQ(names_of(list()), std::vector<std::string>{"Own Org"});
    EXPECT_EQ(audit_rows("customer.created").size(), 1u);
    EXPECT_TRUE(audit_rows("customer.updated").empty());
}

TEST_P(CustomerServiceTest, AnotherTenantsActorFindsNothing) {
    const Customer c = add("Acme");
    const auto outsider = make_actor(Role::kManager, core::TenantId{core::new_uuid_v7()});
    EXPECT_EQ(service_->get(outsider, tenant_, c.id).error().code, core::ErrorCode::kNotFound);
    EXPECT_FALSE(service_->list(outsider, tenant_, {}));
    CustomerInput patch;
    patch.phone = set("0");
    EXPECT_EQ(service_->update(outsider, tenant_, c.id, patch, std::nullopt).error().code,
              core::ErrorCode::kNotFound);
    EXPECT_FALSE(service_->create(outsider, tenant_, make_customer("Intruder")));
    EXPECT_EQ(list().total, 1);
}

TEST_P(CustomerServiceTest, CustomersOfTwoTenantsAreSeparate) {
    const auto other_tenant =
        must(tenants_->create({.name = "Other MSP", .slug = std::nullopt})).id;
    const auto other_manager = make_actor(Role::kManager, other_tenant);
    add("Acme");
    // The same name is free in another tenant's store.
    const Customer theirs =
        must(service_->create(other_manager, other_tenant, make_customer("Acme")));
    EXPECT_EQ(must(service_->list(other_manager, other_tenant, {})).total, 1);
    EXPECT_EQ(service_->get(manager_, tenant_, theirs.id).error().code, core::ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerServiceTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

// ---- JSON -------------------------------------------------------------------------------------

TEST(CustomerJson, NotesOnlyForInternalReaders) {
    Customer c;
    c.id = core::OrganizationId{"0190f3a0-0000-7000-8000-000000000001"};
    c.name = "Acme";
    c.domain = "acme.example";
    c.notes = "internal";
    c.created_at = 1'700'000'000'000;
    c.updated_at = 1'700'000'000'123;
    c.version = 4;

    const auto staff = to_json(c, true);
    EXPECT_EQ(staff["id"], c.id.str());
    EXPECT_EQ(staff["name"], "Acme");
    EXPECT_EQ(staff["domain"], "acme.example");
    EXPECT_TRUE(staff["contact_email"].is_null());
    EXPECT_TRUE(staff["phone"].is_null());
    EXPECT_TRUE(staff["address"].is_null());
    EXPECT_TRUE(staff["external_ref"].is_null());
    EXPECT_EQ(staff["notes"], "internal");
    EXPECT_EQ(staff["created_at"], "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(staff["updated_at"], "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(staff["version"], 4);
    EXPECT_EQ(staff.size(), 11u);

    const auto customer = to_json(c, false);
    EXPECT_FALSE(customer.contains("notes"));
    EXPECT_EQ(customer.size(), 10u);
}

}  // namespace
}  // namespace kontor::customers
