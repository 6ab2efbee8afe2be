// TicketService on every backend (SQLite always, PostgreSQL with KONTOR_TEST_PG_URL): creating
// (validation, numbering, portal rules, rate limit, Idempotency-Key, auto-assignment), who sees
// which ticket, list filters, sorting and full-text search, updates and the status workflow, the
// SLA clock and its pause, comments, the append-only history, outbox events, soft delete and the
// breach job. Users are real catalog users (UserService), customers real organisations
// (CustomerService), so every rule is checked against what the service itself looks up.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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
using test::actor_for;
using test::always_open;

constexpr std::int64_t kMinuteMs = 60'000;

// ---- result helpers ---------------------------------------------------------------------------

using testing::fields_of;
using testing::must;

void must_ok(core::Result<void> r) {
    if (!r) {
        ADD_FAILURE() << "unexpected error: " << core::code_name(r.error().code) << ": "
                      << r.error().detail;
        throw std::runtime_error("unexpected error");
    }
}

// The error of a call that must fail (a default Error, code internal, when it did not).
template <class T>
core::Error error_of(core::Result<T> r) {
    if (r) {
        ADD_FAILURE() << "expected an error, but the call succeeded";
        return core::Error{};
    }
    return std::move(r).error();
}

std::vector<std::int64_t> numbers_of(const core::Page<Ticket>& page) {
    std::vector<std::int64_t> out;
    for (const auto& t : page.items) out.push_back(t.number);
    return out;
}

std::vector<std::int64_t> numbers(std::initializer_list<const Ticket*> tickets) {
    std::vector<std::int64_t> out;
    for (const auto* t : tickets) out.push_back(t->number);
    return out;
}

std::vector<std::int64_t> sorted(std::vector<std::int64_t> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// ---- builders ---------------------------------------------------------------------------------

NewTicket make_ticket(std::string title, std::optional<core::OrganizationId> customer) {
    NewTicket in;
    in.title = std::move(title);
    in.description = "Details of the problem.";
    in.customer = std::move(customer);
    return in;
}

TicketChange to_status(std::string status) {
    TicketChange c;
    c.status = std::move(status);
    return c;
}

TicketChange assign_to(std::optional<core::UserId> who) {
    TicketChange c;
    c.assignee.emplace(std::move(who));
    return c;
}

// ---- fixture ----------------------------------------------------------------------------------

class TicketServiceTest : public test::ServiceFixture {
protected:
    void SetUp() override {
        ServiceFixture::SetUp();
        if (IsSkipped()) return;
        tenant_ = must(tenants_->create({.name = "Northwind MSP", .slug = std::nullopt})).id;
        manager_ = add_user(tenant_, "Mia Manager", Role::kManager);
        x_ = add_customer(tenant_, manager_, "Xylo GmbH");
        y_ = add_customer(tenant_, manager_, "Yew Ltd");

        // Two network experts (levels differ, so ties are decided) and a printing expert.
        expert_a_ = add_user(tenant_, "Anna Expert", Role::kExpert);
        expert_b_ = add_user(tenant_, "Ben Expert", Role::kExpert);
        expert_p_ = add_user(tenant_, "Paul Printer", Role::kExpert);
        must(users_->set_expertise(expert_a_.user,
                                   std::vector<identity::Expertise>{{"network", 2}}));
        must(users_->set_expertise(expert_b_.user,
                                   std::vector<identity::Expertise>{{"network", 4}}));
        must(users_->set_expertise(expert_p_.user,
                                   std::vector<identity::Expertise>{{"printing", 3}}));

        client_x1_ = add_user(tenant_, "Xaver Client", Role::kClient, x_);
        client_x2_ = add_user(tenant_, "Xenia Client", Role::kClient, x_);
        admin_x_ = add_user(tenant_, "Xander Admin", Role::kCustomerAdmin, x_);
        client_y_ = add_user(tenant_, "Yvonne Client", Role::kClient, y_);
    }

    void settings(const json& patch) { must(tenants_->update_settings(tenant_, patch, manager_)); }

    Ticket create(const identity::Actor& by, NewTicket in) {
        const Created c = must(service_->create(by, tenant_, std::move(in)));
        EXPECT_FALSE(c.replayed);
        return c.ticket;
    }
    // A ticket of customer X filed by the manager.
    Ticket create(const std::string& title) { return create(manager_, make_ticket(title, x_)); }

    Ticket update(const identity::Actor& by, const Ticket& t, const TicketChange& change) {
        return must(service_->update(by, tenant_, t.id, change, std::nullopt));
    }
    Ticket get(const Ticket& t) { return must(service_->get(manager_, tenant_, t.id)); }

    core::Page<Ticket> list(const identity::Actor& by, TicketQuery q = {}) {
        return must(service_->list(by, tenant_, q));
    }
    core::Page<Ticket> list(TicketQuery q = {}) { return list(manager_, std::move(q)); }
    core::Page<Ticket> search(const identity::Actor& by, const std::string& text) {
        TicketQuery q;
        q.search = text;
        return list(by, q);
    }

    Comment comment(const identity::Actor& by, const Ticket& t, const std::string& body,
                    std::optional<std::string> visibility = std::nullopt) {
        NewComment in;
        in.body = body;
        in.visibility = std::move(visibility);
        return must(service_->add_comment(by, tenant_, t.id, in));
    }

    std::vector<HistoryEntry> history(const identity::Actor& by, const Ticket& t) {
        core::PageRequest page;
        page.limit = core::PageRequest::kMaxLimit;
        return must(service_->history(by, tenant_, t.id, page)).items;
    }

    // Topics of the ticket events in the tenant's outbox, oldest first.
    std::vector<std::string> ticket_topics() {
        auto conn = stores_->tenant(tenant_);
        const auto rs = conn->query("SELECT topic FROM outbox ORDER BY created_at, id");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < rs.size(); ++i) {
            const std::string topic = rs.get_text(i, 0);
            if (topic.starts_with("ticket.")) out.push_back(topic);
        }
        return out;
    }
    std::int64_t count_rows(const std::string& table) {
        auto conn = stores_->tenant(tenant_);
        return conn->query("SELECT COUNT(*) FROM " + table).get_int(0, 0);
    }

    // The tenant's default SLA policy, around the clock.
    void set_default_policy(const json& targets) {
        auto conn = stores_->tenant(tenant_);
        const std::int64_t now = core::now_ms();
        conn->execute(
            "INSERT INTO sla_policies (id, name, customer_id, business_hours, targets, "
            "created_at, updated_at) VALUES ($1, $2, NULL, $3, $4, $5, $5)",
            {core::new_uuid_v7(), std::string("24x7"), always_open().dump(), targets.dump(), now});
    }

    void set_created_at(const Ticket& t, std::int64_t ms) {
        auto conn = stores_->tenant(tenant_);
        conn->execute("UPDATE tickets SET created_at = $2 WHERE id = $1", {t.id.str(), ms});
    }

    core::TenantId tenant_;
    core::OrganizationId x_, y_;
    identity::Actor manager_, expert_a_, expert_b_, expert_p_;
    identity::Actor client_x1_, client_x2_, admin_x_, client_y_;
};

// ---- 1. create by staff -----------------------------------------------------------------------

TEST_P(TicketServiceTest, StaffCreateNumbersFrom1001AndStartsNew) {
    const auto before = core::now_ms();
    const Ticket first = create("Laptop does not boot");
    const Ticket second = create("Monitor flickers");
    const Ticket third = create(manager_, make_ticket("Keyboard missing keys", y_));
    const auto after = core::now_ms();

    EXPECT_EQ(first.number, 1001);
    EXPECT_EQ(second.number, 1002);
    EXPECT_EQ(third.number, 1003);
    EXPECT_TRUE(core::is_uuid(first.id.str()));
    EXPECT_EQ(first.status, Status::kNew);
    EXPECT_FALSE(first.assignee);
    EXPECT_EQ(first.priority, Priority::kMedium);
    EXPECT_EQ(first.customer, x_);
    EXPECT_EQ(third.customer, y_);
    EXPECT_FALSE(first.requester);
    EXPECT_EQ(first.source, "api");
    EXPECT_EQ(first.version, 1);
    EXPECT_GE(first.created_at, before);
    EXPECT_LE(first.created_at, after);
    EXPECT_EQ(first.updated_at, first.created_at);
    EXPECT_FALSE(first.sla_breached);
    EXPECT_FALSE(first.sla_paused_at);
    EXPECT_FALSE(first.first_response_at);

    // SLA due times are set: office hours by default, so at least the nominal targets (medium:
    // 8 h to respond, 40 h to resolve) of elapsed time, response first.
    ASSERT_TRUE(first.sla_response_due);
    ASSERT_TRUE(first.sla_resolution_due);
    EXPECT_LT(*first.sla_response_due, *first.sla_resolution_due);
    EXPECT_GE(*first.sla_response_due - first.created_at, 8 * 60 * kMinuteMs);
    EXPECT_GE(*first.sla_resolution_due - first.created_at, 40 * 60 * kMinuteMs);

    const Ticket got = get(first);
    EXPECT_EQ(got.id, first.id);
    EXPECT_EQ(got.number, 1001);
    EXPECT_EQ(got.title, "Laptop does not boot");
    EXPECT_EQ(got.description, "Details of the problem.");
    EXPECT_EQ(got.status, Status::kNew);
    EXPECT_EQ(got.customer, x_);
    EXPECT_EQ(got.source, "api");
    EXPECT_EQ(got.sla_response_due, first.sla_response_due);
    EXPECT_EQ(got.sla_resolution_due, first.sla_resolution_due);
    EXPECT_EQ(got.created_at, first.created_at);
    EXPECT_EQ(got.version, 1);
    EXPECT_EQ(list().total, 3);
}

TEST_P(TicketServiceTest, StaffCreateNeedsAnExistingCustomer) {
    auto missing = error_of(service_->create(manager_, tenant_, make_ticket("No customer", {})));
    EXPECT_EQ(missing.code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(missing), std::vector<std::string>{"/customer_id"});

    auto unknown = error_of(
        service_->create(manager_, tenant_,
                         make_ticket("Ghost customer", core::OrganizationId{core::new_uuid_v7()})));
    EXPECT_EQ(unknown.code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(unknown), std::vector<std::string>{"/customer_id"});
    EXPECT_EQ(list().total, 0);
}

struct InvalidCase {
    const char* label;
    std::function<void(NewTicket&)> change;
    const char* field;
};

TEST_P(TicketServiceTest, InvalidInputNamesTheField) {
    const std::vector<InvalidCase> cases = {
        {"empty title", [](auto& in) { in.title = ""; }, "/title"},
        {"blank title", [](auto& in) { in.title = " \t\n "; }, "/title"},
        {"201-byte title", [](auto& in) { in.title = std::string(201, 't'); }, "/title"},
        {"newline in title", [](auto& in) { in.title = "Two\nlines"; }, "/title"},
        {"control in title", [](auto& in) { in.title = "Be\x01ll"; }, "/title"},
        {"bad UTF-8 in title",
         [](auto& in) {
             in.title =
                 "Ca\xC3\x28"
                 "fe";
         },
         "/title"},
        {"bell in description", [](auto& in) { in.description = "ding\x07"; }, "/description"},
        {"escape in description", [](auto& in) { in.description = "\x1b[31mred"; }, "/description"},
        {"DEL in description", [](auto& in) { in.description = "a\x7f"; }, "/description"},
        {"long description", [](auto& in) { in.description = std::string(20'001, 'd'); },
         "/description"},
        {"unknown priority", [](auto& in) { in.priority = "urgent"; }, "/priority"},
        {"upper-case priority", [](auto& in) { in.priority = "HIGH"; }, "/priority"},
        {"tag with space",
         [](auto& in) {
             in.tags = {"ok", "not ok"};
         },
         "/tags/1"},
        {"empty tag", [](auto& in) { in.tags = {""}; }, "/tags/0"},
        {"tag with slash",
         [](auto& in) {
             in.tags = {"a", "b", "c/d"};
         },
         "/tags/2"},
        {"41-byte tag", [](auto& in) { in.tags = {std::string(41, 'g')}; }, "/tags/0"},
        {"empty category", [](auto& in) { in.category = ""; }, "/category"},
        {"unknown source", [](auto& in) { in.source = "fax"; }, "/source"},
    };
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.label);
        auto in = make_ticket("Valid title", x_);
        tc.change(in);
        auto e = error_of(service_->create(manager_, tenant_, in));
        EXPECT_EQ(e.code, core::ErrorCode::kValidation);
        EXPECT_EQ(fields_of(e), std::vector<std::string>{tc.field});
    }
    EXPECT_EQ(list().total, 0);
    EXPECT_TRUE(ticket_topics().empty());
}

TEST_P(TicketServiceTest, TextLimitsAreInclusiveAndDescriptionsKeepNewlinesAndTabs) {
    auto in = make_ticket(std::string(200, 't'), x_);
    in.description = "line 1\n\tline 2\nline 3";
    in.priority = "critical";
    in.source = "phone";
    in.category = "hardware";
    const Ticket t = create(manager_, in);
    const Ticket got = get(t);
    EXPECT_EQ(got.title.size(), 200u);
    EXPECT_EQ(got.description, "line 1\n\tline 2\nline 3");
    EXPECT_EQ(got.priority, Priority::kCritical);
    EXPECT_EQ(got.source, "phone");
    EXPECT_EQ(got.category, "hardware");
}

TEST_P(TicketServiceTest, TagsAreLowerCasedAndDeduplicated) {
    auto in = make_ticket("Tagged", x_);
    in.tags = {"VPN", "vpn", "Office-365", "a.b_c", "Vpn"};
    const Ticket t = create(manager_, in);
    const std::vector<std::string> expected = {"a.b_c", "office-365", "vpn"};
    EXPECT_EQ(t.tags, expected);
    EXPECT_EQ(get(t).tags, expected);
    const auto page = list();
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.items[0].tags, expected);

    // Sorted the same way on the way in and out (byte order: '-' before letters), so sending
    // back the tags that were read is no change.
    auto punct = make_ticket("Punctuation", x_);
    punct.tags = {"ab", "a-z", "a.b"};
    const Ticket p = create(manager_, punct);
    EXPECT_EQ(p.tags, (std::vector<std::string>{"a-z", "a.b", "ab"}));
    EXPECT_EQ(get(p).tags, p.tags);
    TicketChange same;
    same.tags = std::vector<std::string>{"AB", "a.b", "a-z"};
    EXPECT_EQ(update(manager_, p, same).version, 1);
    EXPECT_EQ(get(p).version, 1);
}

TEST_P(TicketServiceTest, StaffMayNameARequesterOfTheCustomer) {
    auto in = make_ticket("Called in", x_);
    in.requester = client_x1_.user;
    in.source = "phone";
    const Ticket t = create(manager_, in);
    EXPECT_EQ(t.requester, client_x1_.user);
    EXPECT_EQ(t.source, "phone");
    // The requester sees it as their own.
    EXPECT_EQ(must(service_->get(client_x1_, tenant_, t.id)).id, t.id);

    for (const auto& who : {client_y_.user, expert_a_.user, core::UserId{core::new_uuid_v7()}}) {
        SCOPED_TRACE(who.str());
        auto bad = make_ticket("Wrong requester", x_);
        bad.requester = who;
        auto e = error_of(service_->create(manager_, tenant_, bad));
        EXPECT_EQ(e.code, core::ErrorCode::kValidation);
        EXPECT_EQ(fields_of(e), std::vector<std::string>{"/requester_id"});
    }
}

TEST_P(TicketServiceTest, StaffMayAssignOnCreateButOnlyToActiveStaff) {
    auto in = make_ticket("Assigned at once", x_);
    in.assignee = expert_p_.user;
    const Ticket t = create(manager_, in);
    EXPECT_EQ(t.status, Status::kAssigned);
    EXPECT_EQ(t.assignee, expert_p_.user);
    EXPECT_EQ(get(t).assignee, expert_p_.user);

    for (const auto& who : {client_x1_.user, admin_x_.user, core::UserId{core::new_uuid_v7()}}) {
        SCOPED_TRACE(who.str());
        auto bad = make_ticket("Assigned to a non-staff user", x_);
        bad.assignee = who;
        auto e = error_of(service_->create(manager_, tenant_, bad));
        EXPECT_EQ(e.code, core::ErrorCode::kValidation);
        EXPECT_EQ(fields_of(e), std::vector<std::string>{"/assigned_to"});
    }
    EXPECT_EQ(list().total, 1);
}

// ---- 2. create by a CLIENT --------------------------------------------------------------------

TEST_P(TicketServiceTest, ClientCreatesForThemselvesInTheirOrganisationThroughThePortal) {
    const Ticket t = create(client_x1_, make_ticket("Printer jam", std::nullopt));
    EXPECT_EQ(t.customer, x_);
    EXPECT_EQ(t.requester, client_x1_.user);
    EXPECT_EQ(t.source, "portal");
    EXPECT_EQ(t.status, Status::kNew);
    EXPECT_FALSE(t.assignee);

    // Naming their own organisation is fine too.
    const Ticket own = create(client_x1_, make_ticket("Scanner jam", x_));
    EXPECT_EQ(own.customer, x_);

    auto other = error_of(service_->create(client_x1_, tenant_, make_ticket("Sneaky", y_)));
    EXPECT_EQ(other.code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(other), std::vector<std::string>{"/customer_id"});

    auto assigned = make_ticket("Assign it to Anna", std::nullopt);
    assigned.assignee = expert_a_.user;
    EXPECT_EQ(error_of(service_->create(client_x1_, tenant_, assigned)).code,
              core::ErrorCode::kForbidden);

    auto by_mail = make_ticket("Pretend e-mail", std::nullopt);
    by_mail.source = "email";
    EXPECT_EQ(error_of(service_->create(client_x1_, tenant_, by_mail)).code,
              core::ErrorCode::kForbidden);

    auto for_other = make_ticket("On behalf of a colleague", std::nullopt);
    for_other.requester = client_x2_.user;
    EXPECT_EQ(error_of(service_->create(client_x1_, tenant_, for_other)).code,
              core::ErrorCode::kForbidden);

    EXPECT_EQ(list().total, 2);
}

// ---- 3. rate limit ----------------------------------------------------------------------------

TEST_P(TicketServiceTest, ClientsArePerUserRateLimitedStaffAreNot) {
    settings(json{{"case_rate_limit_per_hour", 3}});
    for (int i = 1; i <= 3; ++i)
        create(client_x1_, make_ticket("Case " + std::to_string(i), std::nullopt));

    auto e = error_of(service_->create(client_x1_, tenant_, make_ticket("Case 4", std::nullopt)));
    EXPECT_EQ(e.code, core::ErrorCode::kRateLimited);
    EXPECT_GT(e.retry_after_s, 0);
    EXPECT_LE(e.retry_after_s, 3600);

    // Another CLIENT of the same organisation has their own budget.
    create(client_x2_, make_ticket("Colleague's case", std::nullopt));
    // Staff are never limited.
    for (int i = 1; i <= 4; ++i) create("Staff case " + std::to_string(i));

    EXPECT_EQ(list().total, 3 + 1 + 4);
    EXPECT_EQ(list(client_x1_).total, 3);
}

// ---- 4. idempotency ---------------------------------------------------------------------------

TEST_P(TicketServiceTest, IdempotencyKeyReplaysTheFirstTicket) {
    auto in = make_ticket("Outlook crashes", std::nullopt);
    in.idempotency_key = "key-1";
    in.fingerprint = "sha256:aaaa";
    const Created first = must(service_->create(client_x1_, tenant_, in));
    EXPECT_FALSE(first.replayed);

    const Created again = must(service_->create(client_x1_, tenant_, in));
    EXPECT_TRUE(again.replayed);
    EXPECT_EQ(again.ticket.id, first.ticket.id);
    EXPECT_EQ(again.ticket.number, first.ticket.number);
    EXPECT_EQ(list().total, 1);

    auto different = in;
    different.title = "Outlook crashes badly";
    different.fingerprint = "sha256:bbbb";
    EXPECT_EQ(error_of(service_->create(client_x1_, tenant_, different)).code,
              core::ErrorCode::kConflict);
    EXPECT_EQ(list().total, 1);

    // The key is per user: someone else's identical key is a new request.
    const Created other = must(service_->create(client_x2_, tenant_, in));
    EXPECT_FALSE(other.replayed);
    EXPECT_NE(other.ticket.id, first.ticket.id);
    EXPECT_EQ(list().total, 2);

    // One created event per ticket, none for the replay.
    const auto topics = ticket_topics();
    EXPECT_EQ(std::count(topics.begin(), topics.end(), "ticket.created"), 2);
}

// ---- 5. auto-assignment -----------------------------------------------------------------------

TEST_P(TicketServiceTest, AutoAssignPicksTheMatchingExpertWithFewestOpenTickets) {
    auto network = [this] {
        auto in = make_ticket("Network is down", x_);
        in.category = "network";
        return create(manager_, in);
    };
    auto manual = make_ticket("Already Anna's", x_);
    manual.assignee = expert_a_.user;
    create(manager_, manual);  // Anna 1, Ben 0

    const Ticket t1 = network();  // fewer open tickets: Ben
    EXPECT_EQ(t1.assignee, expert_b_.user);
    EXPECT_EQ(t1.status, Status::kAssigned);
    EXPECT_EQ(get(t1).assignee, expert_b_.user);

    const Ticket t2 = network();  // 1 : 1, the higher level wins: Ben
    EXPECT_EQ(t2.assignee, expert_b_.user);

    const Ticket t3 = network();  // Anna 1, Ben 2
    EXPECT_EQ(t3.assignee, expert_a_.user);

    // Resolved tickets do not count as load: Ben is down to none open.
    update(manager_, t1, to_status("resolved"));
    update(manager_, t2, to_status("closed"));
    EXPECT_EQ(network().assignee, expert_b_.user);

    // Skills match case-insensitively; the printing expert gets printing only.
    auto printing = make_ticket("Toner empty", x_);
    printing.category = "Printing";
    const Ticket p = create(manager_, printing);
    EXPECT_EQ(p.assignee, expert_p_.user);
    EXPECT_EQ(p.status, Status::kAssigned);
}

// assignee_load (kept by triggers) must agree with a count of open tickets after every kind of
// write: create with and without assignee, auto-assignment, reassignment, unassignment, waiting,
// resolving, reopening, closing, soft delete and import.
TEST_P(TicketServiceTest, OpenTicketLoadPerAssigneeFollowsEveryWrite) {
    const auto check = [this](const std::string& step) {
        auto conn = stores_->tenant(tenant_);
        const auto counted = conn->query(
            "SELECT assigned_to, COUNT(*) FROM tickets WHERE assigned_to IS NOT NULL AND "
            "deleted_at IS NULL AND status IN ('new', 'assigned', 'in_progress', "
            "'waiting_customer') GROUP BY assigned_to ORDER BY assigned_to");
        const auto kept = conn->query(
            "SELECT user_id, open_tickets FROM assignee_load WHERE open_tickets <> 0 "
            "ORDER BY user_id");
        std::vector<std::pair<std::string, std::int64_t>> a, b;
        for (std::size_t i = 0; i < counted.size(); ++i)
            a.emplace_back(counted.get_text(i, 0), counted.get_int(i, 1));
        for (std::size_t i = 0; i < kept.size(); ++i)
            b.emplace_back(kept.get_text(i, 0), kept.get_int(i, 1));
        EXPECT_EQ(a, b) << "after " << step;
        return a.size();
    };
    auto in = make_ticket("Router", x_);
    in.category = "network";
    const Ticket auto_assigned = create(manager_, in);
    check("auto-assigned create");
    auto manual = make_ticket("Printer", x_);
    manual.assignee = expert_p_.user;
    const Ticket p = create(manager_, manual);
    const Ticket unassigned = create("Nobody's");
    check("creates");

    TicketChange reassign;
    reassign.assignee = std::optional<core::UserId>(expert_a_.user);
    update(manager_, auto_assigned, reassign);
    update(manager_, unassigned, reassign);
    check("reassign and assign");
    TicketChange unassign;
    unassign.assignee = std::optional<core::UserId>();
    update(manager_, get(p), unassign);
    check("unassign");
    update(manager_, get(auto_assigned), to_status("in_progress"));
    update(manager_, get(auto_assigned), to_status("waiting_customer"));
    check("waiting");
    update(manager_, get(auto_assigned), to_status("resolved"));
    EXPECT_EQ(check("resolved"), 1u);  // Anna keeps the one that was unassigned
    update(manager_, get(auto_assigned), to_status("in_progress"));
    check("reopened");
    update(manager_, get(auto_assigned), to_status("closed"));
    ASSERT_TRUE(service_->remove(manager_, tenant_, unassigned.id));
    EXPECT_EQ(check("closed and deleted"), 0u);

    ImportedTicket old;
    old.title = "Imported";
    old.customer = x_;
    old.status = Status::kInProgress;
    old.assignee = expert_b_.user;
    old.created_at = core::now_ms() - 3'600'000;
    old.first_response_at = old.created_at + 60'000;
    old.updated_at = old.created_at + 120'000;
    must(service_->import(manager_, tenant_, {old}));
    EXPECT_EQ(check("import"), 1u);
}

TEST_P(TicketServiceTest, NoMatchingExpertOrNoCategoryLeavesTheTicketNew) {
    auto plumbing = make_ticket("Sink leaks", x_);
    plumbing.category = "plumbing";
    const Ticket t = create(manager_, plumbing);
    EXPECT_EQ(t.status, Status::kNew);
    EXPECT_FALSE(t.assignee);

    const Ticket none = create("No category");
    EXPECT_EQ(none.status, Status::kNew);
    EXPECT_FALSE(none.assignee);

    // Customers' tickets are auto-assigned too.
    auto from_portal = make_ticket("Wi-Fi gone", std::nullopt);
    from_portal.category = "network";
    const Ticket c = create(client_x1_, from_portal);
    EXPECT_EQ(c.status, Status::kAssigned);
    EXPECT_TRUE(c.assignee == expert_a_.user || c.assignee == expert_b_.user);
}

TEST_P(TicketServiceTest, AutoAssignCanBeSwitchedOff) {
    settings(json{{"auto_assign", false}});
    auto in = make_ticket("Network is down", x_);
    in.category = "network";
    const Ticket t = create(manager_, in);
    EXPECT_EQ(t.status, Status::kNew);
    EXPECT_FALSE(t.assignee);
    EXPECT_FALSE(get(t).assignee);
}

// ---- 6. visibility ----------------------------------------------------------------------------

class VisibilityTest : public TicketServiceTest {
protected:
    void SetUp() override {
        TicketServiceTest::SetUp();
        if (IsSkipped()) return;
        auto for_a = make_ticket("Anna's", x_);
        for_a.assignee = expert_a_.user;
        t_a_ = create(manager_, for_a);
        auto for_b = make_ticket("Ben's", y_);
        for_b.assignee = expert_b_.user;
        t_b_ = create(manager_, for_b);
        t_u_ = create(manager_, make_ticket("Nobody's", y_));
        t_x1_ = create(client_x1_, make_ticket("Xaver's", std::nullopt));
        t_x2_ = create(client_x2_, make_ticket("Xenia's", std::nullopt));
        t_y_ = create(client_y_, make_ticket("Yvonne's", std::nullopt));
    }

    std::vector<std::int64_t> visible_to(const identity::Actor& a) {
        return sorted(numbers_of(list(a)));
    }
    void expect_hidden(const identity::Actor& a, const Ticket& t) {
        SCOPED_TRACE("ticket " + std::to_string(t.number));
        EXPECT_EQ(error_of(service_->get(a, tenant_, t.id)).code, core::ErrorCode::kNotFound);
    }
    void expect_visible(const identity::Actor& a, const Ticket& t) {
        SCOPED_TRACE("ticket " + std::to_string(t.number));
        auto r = service_->get(a, tenant_, t.id);
        ASSERT_TRUE(r) << core::code_name(r.error().code);
        EXPECT_EQ(r->id, t.id);
    }

    Ticket t_a_, t_b_, t_u_, t_x1_, t_x2_, t_y_;
};

TEST_P(VisibilityTest, ManagerSeesEverything) {
    for (const Ticket* t : {&t_a_, &t_b_, &t_u_, &t_x1_, &t_x2_, &t_y_})
        expect_visible(manager_, *t);
    EXPECT_EQ(visible_to(manager_), sorted(numbers({&t_a_, &t_b_, &t_u_, &t_x1_, &t_x2_, &t_y_})));
}

TEST_P(VisibilityTest, ExpertsSeeTheirOwnAndTheUnassignedQueue) {
    for (const Ticket* t : {&t_a_, &t_u_, &t_x1_, &t_x2_, &t_y_}) expect_visible(expert_a_, *t);
    expect_hidden(expert_a_, t_b_);
    EXPECT_EQ(visible_to(expert_a_), sorted(numbers({&t_a_, &t_u_, &t_x1_, &t_x2_, &t_y_})));
    expect_hidden(expert_b_, t_a_);
    EXPECT_EQ(list(expert_b_).total, 5);

    // A hidden ticket cannot be changed, commented or read either.
    EXPECT_EQ(error_of(service_->update(expert_a_, tenant_, t_b_.id, to_status("in_progress"),
                                        std::nullopt))
                  .code,
              core::ErrorCode::kNotFound);
    NewComment note;
    note.body = "peek";
    EXPECT_EQ(error_of(service_->add_comment(expert_a_, tenant_, t_b_.id, note)).code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(error_of(service_->history(expert_a_, tenant_, t_b_.id, {})).code,
              core::ErrorCode::kNotFound);

    settings(json{{"experts_see_all_tickets", true}});
    expect_visible(expert_a_, t_b_);
    EXPECT_EQ(visible_to(expert_a_), visible_to(manager_));
}

TEST_P(VisibilityTest, CustomerAdminsSeeTheirOrganisationClientsTheirOwn) {
    for (const Ticket* t : {&t_a_, &t_x1_, &t_x2_}) expect_visible(admin_x_, *t);
    for (const Ticket* t : {&t_b_, &t_u_, &t_y_}) expect_hidden(admin_x_, *t);
    EXPECT_EQ(visible_to(admin_x_), sorted(numbers({&t_a_, &t_x1_, &t_x2_})));

    expect_visible(client_x1_, t_x1_);
    for (const Ticket* t : {&t_a_, &t_b_, &t_u_, &t_x2_, &t_y_}) expect_hidden(client_x1_, *t);
    EXPECT_EQ(visible_to(client_x1_), numbers({&t_x1_}));
    EXPECT_EQ(visible_to(client_x2_), numbers({&t_x2_}));
    EXPECT_EQ(visible_to(client_y_), numbers({&t_y_}));

    // experts_see_all_tickets is for experts only.
    settings(json{{"experts_see_all_tickets", true}});
    EXPECT_EQ(visible_to(client_x1_), numbers({&t_x1_}));
    EXPECT_EQ(visible_to(admin_x_), sorted(numbers({&t_a_, &t_x1_, &t_x2_})));
}

// ---- 7. list filters and sorting ---------------------------------------------------------------

class ListTest : public TicketServiceTest {
protected:
    void SetUp() override {
        TicketServiceTest::SetUp();
        if (IsSkipped()) return;
        auto in1 = make_ticket("One", x_);
        in1.priority = "low";
        in1.category = "billing";
        in1.tags = {"vip"};
        t1_ = create(manager_, in1);

        auto in2 = make_ticket("Two", x_);
        in2.priority = "high";
        in2.category = "hardware";
        in2.assignee = expert_a_.user;
        t2_ = create(manager_, in2);

        auto in3 = make_ticket("Three", y_);
        in3.priority = "critical";
        in3.assignee = manager_.user;
        t3_ = create(manager_, in3);
        t3_ = update(manager_, t3_, to_status("in_progress"));

        auto in4 = make_ticket("Four", y_);
        in4.category = "billing";
        in4.tags = {"VIP", "urgent"};
        t4_ = create(manager_, in4);
        t4_ = update(manager_, t4_, to_status("waiting_customer"));

        t5_ = create(manager_, make_ticket("Five", x_));
        t5_ = update(manager_, t5_, to_status("resolved"));

        // Distinct creation times, so sorts and ranges do not depend on the clock.
        const std::int64_t base = 1'700'000'000'000;
        int i = 1;
        for (const Ticket* t : {&t1_, &t2_, &t3_, &t4_, &t5_})
            set_created_at(*t, base + 1000 * i++);
        base_ = base;
    }

    std::vector<std::int64_t> found(TicketQuery q) { return sorted(numbers_of(list(q))); }

    Ticket t1_, t2_, t3_, t4_, t5_;
    std::int64_t base_ = 0;
};

TEST_P(ListTest, FiltersCombineWithTheirValues) {
    TicketQuery q;
    q.statuses = {"new"};
    EXPECT_EQ(found(q), numbers({&t1_}));
    q.statuses = {"new", "assigned", "in_progress"};
    EXPECT_EQ(found(q), numbers({&t1_, &t2_, &t3_}));

    q = {};
    q.priorities = {"high", "critical"};
    EXPECT_EQ(found(q), numbers({&t2_, &t3_}));

    q = {};
    q.customer = y_;
    EXPECT_EQ(found(q), numbers({&t3_, &t4_}));
    q.statuses = {"waiting_customer"};
    EXPECT_EQ(found(q), numbers({&t4_}));

    q = {};
    q.assignee = "none";
    EXPECT_EQ(found(q), numbers({&t1_, &t4_, &t5_}));
    q.assignee = "me";
    EXPECT_EQ(found(q), numbers({&t3_}));
    q.assignee = expert_a_.user.str();
    EXPECT_EQ(found(q), numbers({&t2_}));

    q = {};
    q.category = "billing";
    EXPECT_EQ(found(q), numbers({&t1_, &t4_}));

    q = {};
    q.tag = "VIP";
    EXPECT_EQ(found(q), numbers({&t1_, &t4_}));
    q.tag = "urgent";
    EXPECT_EQ(found(q), numbers({&t4_}));

    q = {};
    q.sla_breached = false;
    EXPECT_EQ(found(q).size(), 5u);
    {
        auto conn = stores_->tenant(tenant_);
        conn->execute("UPDATE tickets SET sla_breached = 1 WHERE id = $1", {t2_.id.str()});
    }
    EXPECT_EQ(found(q), numbers({&t1_, &t3_, &t4_, &t5_}));
    q.sla_breached = true;
    EXPECT_EQ(found(q), numbers({&t2_}));

    q = {};
    q.created_from = base_ + 2000;  // [from, to)
    q.created_to = base_ + 4000;
    EXPECT_EQ(found(q), numbers({&t2_, &t3_}));
    q.created_to.reset();
    EXPECT_EQ(found(q), numbers({&t2_, &t3_, &t4_, &t5_}));
}

TEST_P(ListTest, SortsAndPages) {
    TicketQuery q;
    q.sort = "number";
    q.descending = false;
    EXPECT_EQ(numbers_of(list(q)), (std::vector<std::int64_t>{1001, 1002, 1003, 1004, 1005}));
    q.descending = true;
    EXPECT_EQ(numbers_of(list(q)), (std::vector<std::int64_t>{1005, 1004, 1003, 1002, 1001}));

    // Priority, then creation time in the same direction.
    q.sort = "priority";
    EXPECT_EQ(numbers_of(list(q)), numbers({&t3_, &t2_, &t5_, &t4_, &t1_}));
    q.descending = false;
    EXPECT_EQ(numbers_of(list(q)), numbers({&t1_, &t4_, &t5_, &t2_, &t3_}));

    // The default: newest first.
    EXPECT_EQ(numbers_of(list()), numbers({&t5_, &t4_, &t3_, &t2_, &t1_}));

    q = {};
    q.sort = "number";
    q.descending = false;
    q.page = {.page = 2, .limit = 2};
    const auto page2 = list(q);
    EXPECT_EQ(page2.total, 5);
    EXPECT_EQ(numbers_of(page2), (std::vector<std::int64_t>{1003, 1004}));
    q.page.page = 3;
    EXPECT_EQ(numbers_of(list(q)), std::vector<std::int64_t>{1005});
    q.page.page = 4;
    const auto past = list(q);
    EXPECT_EQ(past.total, 5);
    EXPECT_TRUE(past.items.empty());
}

TEST_P(ListTest, SortsByResolutionDueWithoutDueTimeLast) {
    // Default targets: critical 4 h, high 16 h, medium 40 h, low 80 h of working time; t4 and t5
    // (both medium) are due at the same time or t4 first, and ids break ties in the direction.
    TicketQuery q;
    q.sort = "sla_resolution_due";
    q.descending = false;
    EXPECT_EQ(numbers_of(list(q)), numbers({&t3_, &t2_, &t4_, &t5_, &t1_}));
    {
        auto conn = stores_->tenant(tenant_);
        conn->execute("UPDATE tickets SET sla_resolution_due = NULL WHERE id = $1", {t2_.id.str()});
    }
    EXPECT_EQ(numbers_of(list(q)), numbers({&t3_, &t4_, &t5_, &t1_, &t2_}));
    q.descending = true;
    EXPECT_EQ(numbers_of(list(q)), numbers({&t1_, &t5_, &t4_, &t3_, &t2_}));
}

TEST_P(ListTest, UnknownFilterValuesAndSortsAreValidationErrors) {
    struct Bad {
        const char* label;
        std::function<void(TicketQuery&)> change;
        const char* field;
    };
    const std::vector<Bad> cases = {
        {"status",
         [](auto& q) {
             q.statuses = {"new", "open"};
         },
         "/query/status"},
        {"priority", [](auto& q) { q.priorities = {"urgent"}; }, "/query/priority"},
        {"sort", [](auto& q) { q.sort = "title"; }, "/query/sort"},
        {"sort injection", [](auto& q) { q.sort = "number; DROP TABLE tickets"; }, "/query/sort"},
        {"assignee", [](auto& q) { q.assignee = "bob"; }, "/query/assigned_to"},
        {"long search", [](auto& q) { q.search = std::string(201, 's'); }, "/query/search"},
    };
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.label);
        TicketQuery q;
        tc.change(q);
        auto e = error_of(service_->list(manager_, tenant_, q));
        EXPECT_EQ(e.code, core::ErrorCode::kValidation);
        EXPECT_EQ(fields_of(e), std::vector<std::string>{tc.field});
    }
    EXPECT_EQ(list().total, 5);
}

// ---- 8. full-text search ----------------------------------------------------------------------

TEST_P(TicketServiceTest, SearchFindsTitleDescriptionAndPublicComments) {
    auto in1 = make_ticket("Printer jam on floor 3", x_);
    in1.description = "The HP printer shows error 13";
    const Ticket printer = create(manager_, in1);
    auto in2 = make_ticket("VPN drops", x_);
    in2.description = "Connection resets every hour";
    const Ticket vpn = create(manager_, in2);
    auto in3 = make_ticket("Mailbox full", std::nullopt);
    in3.description = "Cannot receive mail";
    const Ticket mailbox = create(client_x1_, in3);

    EXPECT_EQ(numbers_of(search(manager_, "printer")), numbers({&printer}));
    EXPECT_EQ(numbers_of(search(manager_, "PRINTER")), numbers({&printer}));
    EXPECT_EQ(numbers_of(search(manager_, "resets")), numbers({&vpn}));
    EXPECT_EQ(numbers_of(search(manager_, "printer error")), numbers({&printer}));
    EXPECT_EQ(search(manager_, "printer vpn").total, 0);  // every word must match
    EXPECT_EQ(search(manager_, "nonexistentword").total, 0);

    comment(manager_, vpn, "Installed the firmware upgrade");
    EXPECT_EQ(numbers_of(search(manager_, "firmware")), numbers({&vpn}));

    // Internal comments are never indexed, for nobody.
    comment(manager_, printer, "zanzibar is the admin password", "internal");
    EXPECT_EQ(search(manager_, "zanzibar").total, 0);
    EXPECT_EQ(search(expert_a_, "zanzibar").total, 0);

    // Nothing searchable: nothing found, no error.
    EXPECT_EQ(search(manager_, "!!! ??? ...").total, 0);

    // Customers search only what they see.
    EXPECT_EQ(numbers_of(search(client_x1_, "mailbox")), numbers({&mailbox}));
    EXPECT_EQ(search(client_x1_, "printer").total, 0);
    EXPECT_EQ(search(client_x2_, "mailbox").total, 0);
    EXPECT_EQ(search(client_x1_, "firmware").total, 0);

    // A title change re-indexes the ticket, and keeps its comments searchable.
    TicketChange rename;
    rename.title = "Tunnel drops";
    update(manager_, vpn, rename);
    EXPECT_EQ(search(manager_, "vpn").total, 0);
    EXPECT_EQ(numbers_of(search(manager_, "tunnel")), numbers({&vpn}));
    EXPECT_EQ(numbers_of(search(manager_, "resets")), numbers({&vpn}));
    EXPECT_EQ(numbers_of(search(manager_, "firmware")), numbers({&vpn}));
}

// ---- 9. update --------------------------------------------------------------------------------

TEST_P(TicketServiceTest, StaleIfMatchIsPreconditionFailed) {
    const Ticket t = create("Versioned");
    TicketChange high;
    high.priority = "high";
    const Ticket v2 = must(service_->update(manager_, tenant_, t.id, high, 1));
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(v2.priority, Priority::kHigh);

    TicketChange low;
    low.priority = "low";
    EXPECT_EQ(error_of(service_->update(manager_, tenant_, t.id, low, 1)).code,
              core::ErrorCode::kPreconditionFailed);
    EXPECT_EQ(error_of(service_->update(manager_, tenant_, t.id, low, 9)).code,
              core::ErrorCode::kPreconditionFailed);
    const Ticket got = get(t);
    EXPECT_EQ(got.version, 2);
    EXPECT_EQ(got.priority, Priority::kHigh);

    EXPECT_EQ(must(service_->update(manager_, tenant_, t.id, low, 2)).version, 3);
}

TEST_P(TicketServiceTest, StatusFollowsTheWorkflow) {
    const Ticket t = create("Workflow");
    const Ticket working = update(manager_, t, to_status("in_progress"));
    EXPECT_EQ(working.status, Status::kInProgress);
    EXPECT_EQ(update(manager_, t, to_status("waiting_customer")).status, Status::kWaitingCustomer);
    const Ticket resolved = update(manager_, t, to_status("resolved"));
    EXPECT_EQ(resolved.status, Status::kResolved);
    EXPECT_TRUE(resolved.resolved_at);
    // Reopen and resolve again, then close.
    const Ticket reopened = update(manager_, t, to_status("in_progress"));
    EXPECT_EQ(reopened.status, Status::kInProgress);
    EXPECT_FALSE(reopened.resolved_at);
    update(manager_, t, to_status("resolved"));
    const Ticket closed = update(manager_, t, to_status("closed"));
    EXPECT_EQ(closed.status, Status::kClosed);
    EXPECT_TRUE(closed.closed_at);
    EXPECT_EQ(get(t).status, Status::kClosed);
    EXPECT_EQ(get(t).version, closed.version);

    auto e =
        error_of(service_->update(manager_, tenant_, t.id, to_status("in_progress"), std::nullopt));
    EXPECT_EQ(e.code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(e), std::vector<std::string>{"/status"});
    EXPECT_EQ(get(t).status, Status::kClosed);

    const Ticket other = create("Unknown status");
    auto bogus =
        error_of(service_->update(manager_, tenant_, other.id, to_status("done"), std::nullopt));
    EXPECT_EQ(bogus.code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(bogus), std::vector<std::string>{"/status"});

    // "assigned" needs someone to be assigned.
    auto nobody = error_of(
        service_->update(manager_, tenant_, other.id, to_status("assigned"), std::nullopt));
    EXPECT_EQ(fields_of(nobody), std::vector<std::string>{"/status"});
}

TEST_P(TicketServiceTest, AssignmentMovesBetweenNewAndAssigned) {
    const Ticket t = create("Needs an owner");
    const Ticket assigned = update(manager_, t, assign_to(expert_a_.user));
    EXPECT_EQ(assigned.status, Status::kAssigned);
    EXPECT_EQ(assigned.assignee, expert_a_.user);
    EXPECT_EQ(get(t).status, Status::kAssigned);

    const Ticket unassigned = update(manager_, t, assign_to(std::nullopt));
    EXPECT_EQ(unassigned.status, Status::kNew);
    EXPECT_FALSE(unassigned.assignee);
    const Ticket got = get(t);
    EXPECT_EQ(got.status, Status::kNew);
    EXPECT_FALSE(got.assignee);

    // Work in progress keeps its status when it changes hands.
    update(manager_, t, assign_to(expert_a_.user));
    update(manager_, t, to_status("in_progress"));
    const Ticket moved = update(manager_, t, assign_to(expert_b_.user));
    EXPECT_EQ(moved.status, Status::kInProgress);
    EXPECT_EQ(moved.assignee, expert_b_.user);
}

TEST_P(TicketServiceTest, ClientMayCloseTheirTicketButNotEditIt) {
    const Ticket t = create(client_x1_, make_ticket("My problem", std::nullopt));

    TicketChange rename;
    rename.title = "A better title";
    EXPECT_EQ(error_of(service_->update(client_x1_, tenant_, t.id, rename, std::nullopt)).code,
              core::ErrorCode::kForbidden);
    TicketChange urgent;
    urgent.priority = "critical";
    EXPECT_EQ(error_of(service_->update(client_x1_, tenant_, t.id, urgent, std::nullopt)).code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(error_of(service_->update(client_x1_, tenant_, t.id, to_status("in_progress"),
                                        std::nullopt))
                  .code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(error_of(service_->update(client_x1_, tenant_, t.id, assign_to(expert_a_.user),
                                        std::nullopt))
                  .code,
              core::ErrorCode::kForbidden);
    // A colleague's ticket does not exist for them.
    EXPECT_EQ(
        error_of(service_->update(client_x2_, tenant_, t.id, to_status("closed"), std::nullopt))
            .code,
        core::ErrorCode::kNotFound);
    EXPECT_EQ(get(t).title, "My problem");
    EXPECT_EQ(get(t).version, 1);

    const Ticket closed = update(client_x1_, t, to_status("closed"));
    EXPECT_EQ(closed.status, Status::kClosed);
    EXPECT_TRUE(closed.closed_at);
    EXPECT_EQ(get(t).status, Status::kClosed);
}

TEST_P(TicketServiceTest, ExpertsAssignOnlyToActiveStaff) {
    const Ticket t = create("Queue ticket");
    auto to_client = error_of(
        service_->update(expert_a_, tenant_, t.id, assign_to(client_x1_.user), std::nullopt));
    EXPECT_EQ(to_client.code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(to_client), std::vector<std::string>{"/assigned_to"});
    auto to_nobody = error_of(service_->update(
        expert_a_, tenant_, t.id, assign_to(core::UserId{core::new_uuid_v7()}), std::nullopt));
    EXPECT_EQ(fields_of(to_nobody), std::vector<std::string>{"/assigned_to"});
    EXPECT_FALSE(get(t).assignee);

    // EXPERTs hold tickets.assign: handing a queue ticket to a colleague works.
    const Ticket handed = update(expert_a_, t, assign_to(expert_b_.user));
    EXPECT_EQ(handed.assignee, expert_b_.user);
    EXPECT_EQ(handed.status, Status::kAssigned);
    // … after which it is the colleague's, no longer in Anna's queue.
    EXPECT_EQ(error_of(service_->get(expert_a_, tenant_, t.id)).code, core::ErrorCode::kNotFound);
}

// ---- 10. the SLA clock ------------------------------------------------------------------------

TEST_P(TicketServiceTest, DueTimesFollowTheTenantPolicy) {
    set_default_policy(json{{"medium", {{"response_minutes", 60}, {"resolution_minutes", 240}}},
                            {"high", {{"response_minutes", 30}, {"resolution_minutes", 120}}}});
    const Ticket t = create("Timed");
    EXPECT_EQ(t.sla_response_due, t.created_at + 60 * kMinuteMs);
    EXPECT_EQ(t.sla_resolution_due, t.created_at + 240 * kMinuteMs);

    TicketChange high;
    high.priority = "high";
    const Ticket raised = update(manager_, t, high);
    EXPECT_EQ(raised.sla_response_due, t.created_at + 30 * kMinuteMs);
    EXPECT_EQ(raised.sla_resolution_due, t.created_at + 120 * kMinuteMs);
    EXPECT_EQ(get(t).sla_resolution_due, t.created_at + 120 * kMinuteMs);
}

TEST_P(TicketServiceTest, WaitingForTheCustomerPausesTheClock) {
    set_default_policy(json{{"medium", {{"response_minutes", 60}, {"resolution_minutes", 240}}}});
    const Ticket t = create("Paused");
    ASSERT_EQ(t.sla_resolution_due, t.created_at + 240 * kMinuteMs);

    const Ticket paused = update(manager_, t, to_status("waiting_customer"));
    ASSERT_TRUE(paused.sla_paused_at);
    EXPECT_EQ(*paused.sla_paused_at, paused.updated_at);
    EXPECT_EQ(paused.sla_resolution_due, t.sla_resolution_due);
    EXPECT_EQ(get(t).sla_paused_at, paused.sla_paused_at);

    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const Ticket resumed = update(manager_, t, to_status("in_progress"));
    EXPECT_FALSE(resumed.sla_paused_at);
    const std::int64_t paused_for = resumed.updated_at - paused.updated_at;
    EXPECT_GE(paused_for, 1000);
    EXPECT_EQ(resumed.sla_resolution_due, *t.sla_resolution_due + paused_for);
    EXPECT_EQ(resumed.sla_response_due, *t.sla_response_due + paused_for);

    const Ticket got = get(t);
    EXPECT_FALSE(got.sla_paused_at);
    EXPECT_EQ(got.sla_resolution_due, resumed.sla_resolution_due);
    EXPECT_EQ(got.sla_response_due, resumed.sla_response_due);

    // A later priority change applies the new target and keeps the paused time.
    TicketChange low;
    low.priority = "low";  // the policy names no low target: the default, 16 h / 80 h
    const Ticket lowered = update(manager_, t, low);
    EXPECT_EQ(lowered.sla_response_due, t.created_at + 16 * 60 * kMinuteMs + paused_for);
    EXPECT_EQ(lowered.sla_resolution_due, t.created_at + 80 * 60 * kMinuteMs + paused_for);
}

// ---- 11. comments -----------------------------------------------------------------------------

TEST_P(TicketServiceTest, CustomersCannotWriteInternalNotes) {
    const Ticket t = create(client_x1_, make_ticket("Help", std::nullopt));
    NewComment note;
    note.body = "psst";
    note.visibility = "internal";
    EXPECT_EQ(error_of(service_->add_comment(client_x1_, tenant_, t.id, note)).code,
              core::ErrorCode::kForbidden);
    note.visibility = "secret";
    EXPECT_EQ(error_of(service_->add_comment(manager_, tenant_, t.id, note)).code,
              core::ErrorCode::kValidation);
    note.visibility.reset();
    note.body = "  \n ";
    EXPECT_EQ(error_of(service_->add_comment(manager_, tenant_, t.id, note)).code,
              core::ErrorCode::kValidation);

    const Comment c = comment(client_x1_, t, "Any news?");
    EXPECT_EQ(c.visibility, "public");
    EXPECT_EQ(c.author, client_x1_.user);
    EXPECT_EQ(must(service_->comments(manager_, tenant_, t.id, {})).total, 1);
}

TEST_P(TicketServiceTest, InternalNotesNeverReachCustomers) {
    const Ticket t = create(client_x1_, make_ticket("Help", std::nullopt));
    comment(manager_, t, "We are looking into it.");
    const Comment internal = comment(manager_, t, "Customer is on the old plan.", "internal");
    comment(client_x1_, t, "Thanks!");

    const auto staff_view = must(service_->comments(manager_, tenant_, t.id, {}));
    EXPECT_EQ(staff_view.total, 3);
    ASSERT_EQ(staff_view.items.size(), 3u);
    EXPECT_EQ(staff_view.items[0].body, "We are looking into it.");
    EXPECT_EQ(staff_view.items[1].id, internal.id);
    EXPECT_EQ(staff_view.items[1].visibility, "internal");
    EXPECT_EQ(staff_view.items[2].body, "Thanks!");

    for (const identity::Actor* customer : {&client_x1_, &admin_x_}) {
        SCOPED_TRACE(identity::role_name(customer->role));
        const auto page = must(service_->comments(*customer, tenant_, t.id, {}));
        EXPECT_EQ(page.total, 2);
        for (const auto& c : page.items) EXPECT_EQ(c.visibility, "public") << c.body;

        const auto entries = history(*customer, t);
        for (const auto& e : entries) {
            EXPECT_EQ(e.visibility, "public") << e.action;
            EXPECT_NE(e.new_value, internal.id);
        }
        EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                                [](const HistoryEntry& e) { return e.action == "commented"; }),
                  2);
    }

    const auto staff_history = history(manager_, t);
    EXPECT_TRUE(std::any_of(staff_history.begin(), staff_history.end(), [&](const auto& e) {
        return e.action == "commented" && e.visibility == "internal" && e.new_value == internal.id;
    }));
}

TEST_P(TicketServiceTest, FirstPublicStaffCommentIsTheFirstResponse) {
    const Ticket t = create(client_x1_, make_ticket("Help", std::nullopt));
    comment(manager_, t, "note to self", "internal");
    EXPECT_FALSE(get(t).first_response_at);
    comment(client_x1_, t, "Hello?");
    EXPECT_FALSE(get(t).first_response_at);

    const Comment answer = comment(expert_a_, t, "On it.");
    const auto first = get(t).first_response_at;
    ASSERT_TRUE(first);
    EXPECT_EQ(*first, answer.created_at);

    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    comment(manager_, t, "Still on it.");
    EXPECT_EQ(get(t).first_response_at, first);
}

TEST_P(TicketServiceTest, CustomerReplyTakesTheTicketOutOfWaiting) {
    set_default_policy(json{{"medium", {{"response_minutes", 60}, {"resolution_minutes", 240}}}});
    // Assigned: back to in_progress.
    const Ticket mine = create(client_x1_, make_ticket("Assigned one", std::nullopt));
    update(manager_, mine, assign_to(expert_a_.user));
    const Ticket waiting = update(manager_, mine, to_status("waiting_customer"));
    ASSERT_TRUE(waiting.sla_paused_at);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    comment(client_x1_, mine, "Here is the log you asked for.");
    const Ticket back = get(mine);
    EXPECT_EQ(back.status, Status::kInProgress);
    EXPECT_FALSE(back.sla_paused_at);
    ASSERT_TRUE(back.sla_resolution_due);
    EXPECT_GT(*back.sla_resolution_due, *waiting.sla_resolution_due);
    const auto entries = history(client_x1_, mine);
    ASSERT_FALSE(entries.empty());
    EXPECT_TRUE(std::any_of(entries.begin(), entries.end(), [](const HistoryEntry& e) {
        return e.action == "status" && e.old_value == "waiting_customer" &&
               e.new_value == "in_progress";
    }));

    // Unassigned: back to new.
    const Ticket queued = create(client_x1_, make_ticket("Unassigned one", std::nullopt));
    update(manager_, queued, to_status("waiting_customer"));
    comment(client_x1_, queued, "Done.");
    EXPECT_EQ(get(queued).status, Status::kNew);

    // A staff reply or an internal note does not end the wait.
    const Ticket staff = create(client_x1_, make_ticket("Staff replies", std::nullopt));
    update(manager_, staff, to_status("waiting_customer"));
    comment(manager_, staff, "Reminder: we need the log.");
    EXPECT_EQ(get(staff).status, Status::kWaitingCustomer);
}

TEST_P(TicketServiceTest, ClosedTicketsTakeNoComments) {
    const Ticket t = create("Done and dusted");
    update(manager_, t, to_status("closed"));
    NewComment c;
    c.body = "one more thing";
    EXPECT_EQ(error_of(service_->add_comment(manager_, tenant_, t.id, c)).code,
              core::ErrorCode::kConflict);
}

// ---- 12. history ------------------------------------------------------------------------------

TEST_P(TicketServiceTest, HistoryRecordsEveryChangeInOrder) {
    const Ticket t = create("Tracked");
    update(manager_, t, to_status("in_progress"));
    TicketChange high;
    high.priority = "high";
    update(manager_, t, high);
    update(manager_, t, assign_to(expert_a_.user));

    const auto entries = history(manager_, t);
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[0].action, "created");
    EXPECT_EQ(entries[0].new_value, "new");
    EXPECT_EQ(entries[0].actor, manager_.user);

    EXPECT_EQ(entries[1].action, "status");
    EXPECT_EQ(entries[1].field, "status");
    EXPECT_EQ(entries[1].old_value, "new");
    EXPECT_EQ(entries[1].new_value, "in_progress");

    EXPECT_EQ(entries[2].action, "priority");
    EXPECT_EQ(entries[2].old_value, "medium");
    EXPECT_EQ(entries[2].new_value, "high");

    EXPECT_EQ(entries[3].action, "assigned");
    EXPECT_EQ(entries[3].field, "assigned_to");
    EXPECT_FALSE(entries[3].old_value);
    EXPECT_EQ(entries[3].new_value, expert_a_.user.str());

    for (std::size_t i = 1; i < entries.size(); ++i) EXPECT_GE(entries[i].at, entries[i - 1].at);
    for (const auto& e : entries) EXPECT_EQ(e.visibility, "public");
}

TEST_P(TicketServiceTest, HistoryIsAppendOnly) {
    const Ticket t = create("Tamper-proof");
    update(manager_, t, to_status("in_progress"));
    auto conn = stores_->tenant(tenant_);
    EXPECT_THROW(conn->execute("UPDATE ticket_history SET action = 'forged' WHERE ticket_id = $1",
                               {t.id.str()}),
                 db::DbError);
    EXPECT_THROW(conn->execute("DELETE FROM ticket_history WHERE ticket_id = $1", {t.id.str()}),
                 db::DbError);
    const auto count = conn->query(
        "SELECT COUNT(*) FROM ticket_history WHERE ticket_id = $1 "
        "AND action <> 'forged'",
        {t.id.str()});
    EXPECT_EQ(count.get_int(0, 0), 2);
}

// ---- 13. outbox -------------------------------------------------------------------------------

TEST_P(TicketServiceTest, EveryChangeWritesItsOutboxEvent) {
    const Ticket t = create("Eventful");
    EXPECT_EQ(ticket_topics(), std::vector<std::string>{"ticket.created"});

    update(manager_, t, assign_to(expert_a_.user));
    comment(expert_a_, t, "Looking.");
    must_ok(service_->remove(manager_, tenant_, t.id));

    const std::vector<std::string> expected = {"ticket.created", "ticket.assigned",
                                               "ticket.status_changed", "ticket.commented",
                                               "ticket.deleted"};
    EXPECT_EQ(ticket_topics(), expected);

    // The payload names the ticket.
    auto conn = stores_->tenant(tenant_);
    const auto rs = conn->query("SELECT payload FROM outbox WHERE topic = 'ticket.status_changed'");
    ASSERT_EQ(rs.size(), 1u);
    const json payload = json::parse(rs.get_text(0, 0));
    EXPECT_EQ(payload["ticket_id"], t.id.str());
    EXPECT_EQ(payload["number"], t.number);
    EXPECT_EQ(payload["from"], "new");
    EXPECT_EQ(payload["to"], "assigned");
    EXPECT_EQ(payload["tenant_id"], tenant_.str());
}

TEST_P(TicketServiceTest, AutoAssignedCreateAnnouncesTheAssignment) {
    auto in = make_ticket("Network is down", x_);
    in.category = "network";
    create(manager_, in);
    EXPECT_EQ(ticket_topics(), (std::vector<std::string>{"ticket.created", "ticket.assigned"}));
}

TEST_P(TicketServiceTest, FailedChangesWriteNoEventAndNoHistory) {
    const Ticket t = create(client_x1_, make_ticket("Quiet", std::nullopt));
    const auto outbox_before = count_rows("outbox");
    const auto history_before = count_rows("ticket_history");

    EXPECT_EQ(error_of(service_->update(manager_, tenant_, t.id, to_status("in_progress"), 7)).code,
              core::ErrorCode::kPreconditionFailed);
    TicketChange rename;
    rename.title = "Loud";
    EXPECT_EQ(error_of(service_->update(client_x1_, tenant_, t.id, rename, std::nullopt)).code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(error_of(service_->remove(expert_a_, tenant_, t.id)).code,
              core::ErrorCode::kForbidden);
    NewComment internal;
    internal.body = "hidden";
    internal.visibility = "internal";
    EXPECT_EQ(error_of(service_->add_comment(client_x1_, tenant_, t.id, internal)).code,
              core::ErrorCode::kForbidden);
    // A change to what is already there is no change.
    EXPECT_EQ(update(manager_, t, to_status("new")).version, 1);

    EXPECT_EQ(count_rows("outbox"), outbox_before);
    EXPECT_EQ(count_rows("ticket_history"), history_before);
    EXPECT_EQ(count_rows("ticket_comments"), 0);
    EXPECT_EQ(get(t).version, 1);
}

// ---- 14. delete -------------------------------------------------------------------------------

TEST_P(TicketServiceTest, OnlyManagersDeleteAndDeletedTicketsVanish) {
    const Ticket t = create(client_x1_, make_ticket("Spam", std::nullopt));
    const Ticket keep = create(client_x1_, make_ticket("Real problem", std::nullopt));

    EXPECT_EQ(error_of(service_->remove(expert_a_, tenant_, t.id)).code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(error_of(service_->remove(client_x1_, tenant_, t.id)).code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(get(t).id, t.id);

    must_ok(service_->remove(manager_, tenant_, t.id));
    for (const identity::Actor* who : {&manager_, &expert_a_, &client_x1_, &admin_x_}) {
        SCOPED_TRACE(identity::role_name(who->role));
        EXPECT_EQ(error_of(service_->get(*who, tenant_, t.id)).code, core::ErrorCode::kNotFound);
        EXPECT_EQ(numbers_of(list(*who)), numbers({&keep}));
    }
    EXPECT_EQ(error_of(service_->remove(manager_, tenant_, t.id)).code, core::ErrorCode::kNotFound);
    EXPECT_EQ(
        error_of(service_->update(manager_, tenant_, t.id, to_status("closed"), std::nullopt)).code,
        core::ErrorCode::kNotFound);
    NewComment c;
    c.body = "hello?";
    EXPECT_EQ(error_of(service_->add_comment(manager_, tenant_, t.id, c)).code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(search(manager_, "spam").total, 0);
}

// ---- 15. the breach job -----------------------------------------------------------------------

TEST_P(TicketServiceTest, MarkBreachesMarksOpenUnpausedTicketsOnce) {
    json targets = json::object();
    for (const char* p : {"low", "medium", "high", "critical"})
        targets[p] = {{"response_minutes", 1}, {"resolution_minutes", 1}};
    set_default_policy(targets);

    const Ticket open1 = create("Open one");
    const Ticket open2 = create(client_x1_, make_ticket("Open two", std::nullopt));
    update(manager_, open2, assign_to(expert_a_.user));
    const Ticket paused = create("Waiting");
    update(manager_, paused, to_status("waiting_customer"));
    const Ticket resolved = create("Solved");
    update(manager_, resolved, to_status("resolved"));

    EXPECT_EQ(service_->mark_breaches(tenant_, core::now_ms()), 0);  // due in a minute

    const std::int64_t later = core::now_ms() + 2 * kMinuteMs;
    EXPECT_EQ(service_->mark_breaches(tenant_, later), 2);
    EXPECT_TRUE(get(open1).sla_breached);
    EXPECT_TRUE(get(open2).sla_breached);
    EXPECT_FALSE(get(paused).sla_breached);
    EXPECT_FALSE(get(resolved).sla_breached);

    const auto entries = history(manager_, open1);
    const auto breach = std::find_if(entries.begin(), entries.end(),
                                     [](const auto& e) { return e.action == "sla_breached"; });
    ASSERT_NE(breach, entries.end());
    EXPECT_EQ(breach->at, later);
    EXPECT_FALSE(breach->actor);  // the system
    EXPECT_EQ(breach->new_value, "response");
    // Customers see the breach too (a public event).
    const auto customer_entries = history(client_x1_, open2);
    EXPECT_TRUE(std::any_of(customer_entries.begin(), customer_entries.end(),
                            [](const auto& e) { return e.action == "sla_breached"; }));

    const auto topics = ticket_topics();
    EXPECT_EQ(std::count(topics.begin(), topics.end(), "ticket.sla_breached"), 2);

    TicketQuery q;
    q.sla_breached = true;
    EXPECT_EQ(sorted(numbers_of(list(q))), sorted(numbers({&open1, &open2})));

    EXPECT_EQ(service_->mark_breaches(tenant_, later + kMinuteMs), 0);
    const auto topics_after = ticket_topics();
    EXPECT_EQ(std::count(topics_after.begin(), topics_after.end(), "ticket.sla_breached"), 2);
}

// ---- tenants ----------------------------------------------------------------------------------

// ---- import (the demo generator, later Salesforce and e-mail) ----------------------------------

TEST_P(TicketServiceTest, ImportKeepsTheTicketsPastAndDerivesTheRest) {
    create("Before the import");  // #1001
    set_default_policy(json{{"medium", {{"response_minutes", 60}, {"resolution_minutes", 600}}}});
    const std::int64_t day = 24 * 60 * kMinuteMs;
    const std::int64_t start = core::now_ms() - 10 * day;

    ImportedTicket closed;
    closed.title = "Old printer case";
    closed.description = "Toner smeared";
    closed.customer = x_;
    closed.requester = client_x1_.user;
    closed.assignee = expert_p_.user;
    closed.category = "printing";
    closed.tags = {"onsite", "vendor"};
    closed.source = "email";
    closed.status = Status::kClosed;
    closed.created_at = start;
    closed.first_response_at = start + 30 * kMinuteMs;  // within 60 min
    closed.resolved_at = start + 21 * 60 * kMinuteMs;   // 1,260 min > 600: breached
    closed.closed_at = start + day;
    closed.updated_at = start + day;
    closed.comments = {
        {expert_p_.user, "We replace the drum unit tomorrow.", "public", start + 30 * kMinuteMs},
        {expert_p_.user, "Customer has no contract for this device.", "internal",
         start + 31 * kMinuteMs},
        {client_x1_.user, "Thanks, works again.", "public", start + 20 * 60 * kMinuteMs}};

    ImportedTicket waiting;
    waiting.title = "Waiting for the user";
    waiting.customer = y_;
    waiting.assignee = expert_a_.user;
    waiting.status = Status::kWaitingCustomer;
    waiting.created_at = core::now_ms() - 10 * kMinuteMs;
    waiting.first_response_at = waiting.created_at + kMinuteMs;
    waiting.updated_at = waiting.created_at + 2 * kMinuteMs;

    const auto ids = must(service_->import(manager_, tenant_, {closed, waiting}));
    ASSERT_EQ(ids.size(), 2u);
    const Ticket c = must(service_->get(manager_, tenant_, ids[0]));
    EXPECT_EQ(c.number, 1002);  // numbered in order after the existing ones
    EXPECT_EQ(c.status, Status::kClosed);
    EXPECT_EQ(c.created_at, start);
    EXPECT_EQ(c.closed_at, start + day);
    EXPECT_EQ(c.tags, (std::vector<std::string>{"onsite", "vendor"}));
    EXPECT_EQ(c.source, "email");
    EXPECT_EQ(*c.sla_response_due - start, 60 * kMinuteMs);  // the tenant policy (24x7)
    EXPECT_TRUE(c.sla_breached);                             // resolved after 600 minutes
    const Ticket w = must(service_->get(manager_, tenant_, ids[1]));
    EXPECT_EQ(w.number, 1003);
    EXPECT_TRUE(w.sla_paused_at.has_value());  // waiting: the clock is paused
    EXPECT_FALSE(w.sla_breached);
    EXPECT_EQ(create("After the import").number, 1004);

    // Comments with their authors and times; customers see the public ones only.
    core::PageRequest page;
    EXPECT_EQ(must(service_->comments(manager_, tenant_, c.id, page)).items.size(), 3u);
    const auto seen = must(service_->comments(client_x1_, tenant_, c.id, page)).items;
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[1].author, client_x1_.user);
    EXPECT_EQ(seen[1].created_at, start + 20 * 60 * kMinuteMs);

    // A summary history: created, assigned, the status steps and the comments, in time order.
    std::vector<std::string> steps;
    for (const auto& e : history(manager_, c))
        steps.push_back(e.action + (e.new_value && e.action == "status" ? ":" + *e.new_value : ""));
    EXPECT_EQ(steps, (std::vector<std::string>{"created", "assigned", "status:assigned",
                                               "status:in_progress", "commented", "commented",
                                               "commented", "status:resolved", "status:closed"}));
    EXPECT_EQ(history(client_x1_, c).size(), steps.size() - 1);  // not the internal note

    // Searchable by its text and public comments, never by the internal note; no events.
    EXPECT_EQ(search(manager_, "drum unit").total, 1);
    EXPECT_EQ(search(manager_, "contract").total, 0);
    EXPECT_EQ(ticket_topics(), (std::vector<std::string>{"ticket.created", "ticket.created"}));
}

TEST_P(TicketServiceTest, ImportIsAllOrNothingAndForManagers) {
    ImportedTicket good;
    good.title = "Fine";
    good.customer = x_;
    good.created_at = good.updated_at = core::now_ms() - kMinuteMs;
    ImportedTicket bad = good;
    bad.title = "";
    bad.status = Status::kResolved;  // without resolved_at
    bad.comments = {{std::nullopt, "Too early", "public", good.created_at - kMinuteMs}};
    const auto e = error_of(service_->import(manager_, tenant_, {good, bad}));
    EXPECT_EQ(e.code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(e),
              (std::vector<std::string>{"/1/title", "/1/resolved_at", "/1/comments/0/at"}));
    EXPECT_EQ(count_rows("tickets"), 0);

    ImportedTicket foreign = good;
    foreign.customer = core::OrganizationId{core::new_uuid_v7()};
    EXPECT_EQ(error_of(service_->import(manager_, tenant_, {good, foreign})).code,
              core::ErrorCode::kValidation);
    EXPECT_EQ(count_rows("tickets"), 0);
    EXPECT_EQ(error_of(service_->import(expert_a_, tenant_, {good})).code,
              core::ErrorCode::kForbidden);
    must(service_->import(manager_, tenant_, {good}));
    EXPECT_EQ(count_rows("tickets"), 1);
}

TEST_P(TicketServiceTest, TenantsNumberAndKeepTheirTicketsApart) {
    const Ticket ours = create("Ours");
    create("Ours too");

    const auto other = must(tenants_->create({.name = "Southwind MSP", .slug = std::nullopt})).id;
    const auto other_manager = add_user(other, "Otto Manager", Role::kManager);
    const auto z = add_customer(other, other_manager, "Zeta AG");
    const Created theirs = must(service_->create(other_manager, other, make_ticket("Theirs", z)));
    EXPECT_EQ(theirs.ticket.number, 1001);  // numbering is per tenant

    EXPECT_EQ(must(service_->list(other_manager, other, {})).total, 1);
    EXPECT_EQ(list().total, 2);
    EXPECT_EQ(error_of(service_->get(manager_, tenant_, theirs.ticket.id)).code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(error_of(service_->get(other_manager, other, ours.id)).code,
              core::ErrorCode::kNotFound);
    // A customer of the other tenant is unknown here.
    EXPECT_EQ(error_of(service_->create(manager_, tenant_, make_ticket("Cross", z))).code,
              core::ErrorCode::kValidation);
    // An actor of one tenant pointed at another tenant's store finds nothing there, and can
    // change nothing there (the routes never do this; the service refuses it as well).
    EXPECT_EQ(must(service_->list(other_manager, tenant_, {})).total, 0);
    EXPECT_EQ(error_of(service_->get(other_manager, tenant_, ours.id)).code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(error_of(service_->update(other_manager, tenant_, ours.id, {.title = "Hijacked"},
                                        std::nullopt))
                  .code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(error_of(service_->remove(other_manager, tenant_, ours.id)).code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(error_of(service_->create(other_manager, tenant_, make_ticket("Planted", z))).code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(error_of(service_->add_comment(other_manager, tenant_, ours.id, {.body = "hi"})).code,
              core::ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, TicketServiceTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });
INSTANTIATE_TEST_SUITE_P(Backends, VisibilityTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });
INSTANTIATE_TEST_SUITE_P(Backends, ListTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::tickets
