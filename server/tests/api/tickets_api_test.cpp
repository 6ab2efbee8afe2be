// Black-box tests of /api/tickets and /api/customers/:id/cases on SQLite and PostgreSQL: who sees
// which ticket, internal notes kept from customers (comments, history, search), idempotent
// creates, optimistic concurrency, the per-user case limit, the workflow over HTTP.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "kontor/core/clock.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/tenancy/tenant.hpp"
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

class TicketsApi : public testing::WorldTest {
protected:
    void SetUp() override {
        WorldTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        for (const char* key : {"mA", "eA", "eA2", "caX", "cX", "cX2", "cY", "mB"})
            tokens_[key] = api_->login(world_.emails.at(key), World::kPassword);
    }

    HttpResponse call(const std::string& method, const std::string& target, const std::string& who,
                      const json& body = nullptr,
                      std::vector<std::pair<std::string, std::string>> extra = {}) {
        extra.emplace_back("Authorization", "Bearer " + tokens_.at(who));
        if (!body.is_null()) extra.emplace_back("Content-Type", "application/json");
        return client_->request(method, target, body.is_null() ? "" : body.dump(), extra);
    }
    // A ticket opened by `who`; staff name the organisation.
    json open(const std::string& who, const std::string& title, const std::string& org = "X") {
        json body = {{"title", title}, {"description", "Details of " + title}};
        if (who == "mA" || who == "eA" || who == "eA2") body["customer_id"] = world_.org(org);
        const auto r = call("POST", "/api/tickets", who, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    }
    std::set<std::string> titles(const std::string& who, const std::string& query = "") {
        const auto r = call("GET", "/api/tickets?limit=100" + query, who);
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> out;
        const json data = r.json()["data"];
        for (const auto& t : data) out.insert(t["title"].get<std::string>());
        return out;
    }

    std::map<std::string, std::string> tokens_;
};

TEST_P(TicketsApi, CustomersOpenCasesInTheirOwnOrganisation) {
    const auto t = open("cX", "Printer on fire");
    EXPECT_EQ(t["customer_id"], world_.org_x);
    EXPECT_EQ(t["requester_id"], world_.ids.at("cX"));
    EXPECT_EQ(t["source"], "portal");
    EXPECT_EQ(t["status"], "new");
    EXPECT_GE(t["number"].get<int>(), 1001);
    EXPECT_FALSE(t["sla_resolution_due"].is_null());
    // Another organisation's id is answered like an unknown one.
    expect_problem(
        call("POST", "/api/tickets", "cX", {{"title", "Elsewhere"}, {"customer_id", world_.org_y}}),
        422, "validation_failed");
    // Staff must name the customer.
    expect_problem(call("POST", "/api/tickets", "mA", {{"title", "Whose?"}}), 422,
                   "validation_failed");
    // Control characters are refused; markup is stored as given (the UI escapes it).
    expect_problem(call("POST", "/api/tickets", "cX", {{"title", std::string("bell\x07")}}), 422,
                   "validation_failed");
    const auto markup = open("cX", "<script>alert(1)</script>");
    EXPECT_EQ(markup["title"], "<script>alert(1)</script>");
}

TEST_P(TicketsApi, EachRoleSeesItsTickets) {
    const auto own = open("cX", "cX own");
    const auto colleague = open("cX2", "cX2 own");
    const auto other_org = open("cY", "cY own");
    const auto by_staff = open("mA", "staff for X");
    // Assign one to eA2: eA no longer sees it.
    ASSERT_EQ(call("PATCH", "/api/tickets/" + by_staff["id"].get<std::string>(), "mA",
                   {{"assigned_to", world_.ids.at("eA2")}})
                  .status,
              200);

    EXPECT_EQ(titles("cX"), (std::set<std::string>{"cX own"}));
    EXPECT_EQ(titles("caX"), (std::set<std::string>{"cX own", "cX2 own", "staff for X"}));
    EXPECT_EQ(titles("eA"), (std::set<std::string>{"cX own", "cX2 own", "cY own"}));
    EXPECT_EQ(titles("eA2"), (std::set<std::string>{"cX own", "cX2 own", "cY own", "staff for X"}));
    EXPECT_EQ(titles("mA"), (std::set<std::string>{"cX own", "cX2 own", "cY own", "staff for X"}));
    EXPECT_EQ(titles("mB"), (std::set<std::string>{}));

    const auto path = [](const json& t) { return "/api/tickets/" + t["id"].get<std::string>(); };
    EXPECT_EQ(call("GET", path(own), "cX").status, 200);
    expect_problem(call("GET", path(colleague), "cX"), 404, "not_found");
    expect_problem(call("GET", path(other_org), "cX"), 404, "not_found");
    expect_problem(call("GET", path(other_org), "caX"), 404, "not_found");
    expect_problem(call("GET", path(by_staff), "eA"), 404, "not_found");
    expect_problem(call("GET", path(own), "mB"), 404, "not_found");
    expect_problem(call("GET", path(other_org) + "/comments", "cX"), 404, "not_found");
    expect_problem(call("GET", path(other_org) + "/history", "cX"), 404, "not_found");
    expect_problem(call("POST", path(other_org) + "/comments", "cX", {{"body", "hi"}}), 404,
                   "not_found");

    // The portal's view of the same tickets.
    const auto cases = call("GET", "/api/customers/" + world_.org_x + "/cases", "caX");
    ASSERT_EQ(cases.status, 200) << cases.body;
    EXPECT_EQ(cases.json()["meta"]["total"], 3);
    expect_problem(call("GET", "/api/customers/" + world_.org_y + "/cases", "caX"), 404,
                   "not_found");
    const auto via_portal =
        call("POST", "/api/customers/" + world_.org_x + "/cases", "cX2", {{"title", "via portal"}});
    ASSERT_EQ(via_portal.status, 201) << via_portal.body;
    EXPECT_EQ(via_portal.json()["customer_id"], world_.org_x);
}

TEST_P(TicketsApi, InternalNotesNeverReachCustomers) {
    const auto t = open("cX", "VPN drops");
    const std::string path = "/api/tickets/" + t["id"].get<std::string>();
    ASSERT_EQ(call("POST", path + "/comments", "mA",
                   {{"body", "customer uses zebraphone firmware"}, {"visibility", "internal"}})
                  .status,
              201);
    const auto reply =
        call("POST", path + "/comments", "mA", {{"body", "Please restart the router"}});
    ASSERT_EQ(reply.status, 201);
    expect_problem(
        call("POST", path + "/comments", "cX", {{"body", "x"}, {"visibility", "internal"}}), 403,
        "forbidden");

    const auto staff_view = call("GET", path + "/comments", "mA");
    EXPECT_EQ(staff_view.json()["meta"]["total"], 2);
    for (const char* who : {"cX", "caX"}) {
        SCOPED_TRACE(who);
        const auto comments = call("GET", path + "/comments", who);
        ASSERT_EQ(comments.status, 200);
        EXPECT_EQ(comments.json()["meta"]["total"], 1);
        EXPECT_EQ(comments.body.find("zebraphone"), std::string::npos);
        const auto history = call("GET", path + "/history", who);
        ASSERT_EQ(history.status, 200);
        const json events = history.json()["data"];
        for (const auto& e : events) EXPECT_EQ(e["visibility"], "public") << e.dump();
        // Search never finds words of internal notes, for anybody.
        EXPECT_EQ(titles(who, "&search=zebraphone"), std::set<std::string>{});
        EXPECT_EQ(titles(who, "&search=restart%20router"), (std::set<std::string>{"VPN drops"}));
    }
    EXPECT_EQ(titles("mA", "&search=zebraphone"), std::set<std::string>{});
    // The first public staff reply counts as the first response.
    EXPECT_FALSE(call("GET", path, "mA").json()["first_response_at"].is_null());
}

TEST_P(TicketsApi, TicketsCommentsAndHistoryNameThePeople) {
    const auto t = open("cX", "Printer jams");
    const std::string path = "/api/tickets/" + t["id"].get<std::string>();
    EXPECT_EQ(t.value("requester_name", ""), "User cX");
    EXPECT_TRUE(t.at("assignee_name").is_null());
    const auto assigned = call("PATCH", path, "mA", {{"assigned_to", world_.ids.at("eA")}});
    ASSERT_EQ(assigned.status, 200) << assigned.body;
    EXPECT_EQ(assigned.json().value("assignee_name", ""), "User eA");
    // In lists too, for staff and for the customer.
    for (const char* who : {"eA", "cX"}) {
        SCOPED_TRACE(who);
        const auto list = call("GET", "/api/tickets?search=Printer", who);
        ASSERT_EQ(list.status, 200) << list.body;
        const json data = list.json()["data"];
        ASSERT_EQ(data.size(), 1U);
        EXPECT_EQ(data[0].value("requester_name", ""), "User cX");
        EXPECT_EQ(data[0].value("assignee_name", ""), "User eA");
    }
    const auto reply = call("POST", path + "/comments", "eA", {{"body", "Which tray?"}});
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(reply.json().value("author_name", ""), "User eA");
    ASSERT_EQ(call("POST", path + "/comments", "cX", {{"body", "Tray 2"}}).status, 201);

    // The customer reads the technician's name without any access to users.
    const auto comments = call("GET", path + "/comments", "cX");
    ASSERT_EQ(comments.status, 200);
    std::map<std::string, std::string> by_body;
    const json data = comments.json()["data"];
    for (const auto& c : data) by_body.emplace(c.value("body", ""), c.value("author_name", ""));
    EXPECT_EQ(by_body, (std::map<std::string, std::string>{{"Which tray?", "User eA"},
                                                           {"Tray 2", "User cX"}}));

    const auto history = call("GET", path + "/history", "cX");
    ASSERT_EQ(history.status, 200);
    const json events = history.json()["data"];
    ASSERT_FALSE(events.empty());
    const std::map<std::string, std::string> names = {{world_.ids.at("cX"), "User cX"},
                                                      {world_.ids.at("eA"), "User eA"},
                                                      {world_.ids.at("mA"), "User mA"}};
    for (const auto& e : events) {
        SCOPED_TRACE(e.dump());
        ASSERT_TRUE(e.contains("actor_name"));
        const auto actor = e.value("actor_id", std::string());
        const auto name = e.value("actor_name", std::string());
        EXPECT_EQ(name, actor.empty() ? std::string() : names.at(actor));
    }

    // The name is the account's current one: a rename shows at once.
    ASSERT_EQ(
        call("PUT", "/api/users/" + world_.ids.at("eA"), "mA", {{"name", "Erika Expert"}}).status,
        200);
    const auto renamed = call("GET", path + "/comments", "cX");
    EXPECT_NE(renamed.body.find(R"("author_name":"Erika Expert")"), std::string::npos)
        << renamed.body;
    EXPECT_EQ(renamed.body.find(R"("author_name":"User eA")"), std::string::npos) << renamed.body;
}

TEST_P(TicketsApi, RepeatedIdempotencyKeyReturnsTheFirstTicket) {
    const json body = {{"title", "Once only"}};
    const auto first = call("POST", "/api/tickets", "cX", body, {{"Idempotency-Key", "k-123"}});
    ASSERT_EQ(first.status, 201) << first.body;
    const auto again = call("POST", "/api/tickets", "cX", body, {{"Idempotency-Key", "k-123"}});
    ASSERT_EQ(again.status, 201) << again.body;
    EXPECT_EQ(again.json()["id"], first.json()["id"]);
    EXPECT_EQ(again.header("idempotent-replayed"), "true");
    EXPECT_EQ(titles("cX"), (std::set<std::string>{"Once only"}));
    expect_problem(call("POST", "/api/tickets", "cX", {{"title", "Something else"}},
                        {{"Idempotency-Key", "k-123"}}),
                   409, "conflict");
    // Keys are per user.
    const auto other = call("POST", "/api/tickets", "cX2", body, {{"Idempotency-Key", "k-123"}});
    ASSERT_EQ(other.status, 201);
    EXPECT_NE(other.json()["id"], first.json()["id"]);
}

TEST_P(TicketsApi, StaleIfMatchIsPreconditionFailed) {
    const auto t = open("mA", "Concurrent edit");
    const std::string path = "/api/tickets/" + t["id"].get<std::string>();
    const auto read = call("GET", path, "mA");
    const std::string tag = read.header("etag");
    ASSERT_EQ(tag, "\"1\"");
    EXPECT_EQ(call("GET", path, "mA", nullptr, {{"If-None-Match", tag}}).status, 304);
    const auto first = call("PATCH", path, "mA", {{"priority", "high"}}, {{"If-Match", tag}});
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.header("etag"), "\"2\"");
    expect_problem(call("PATCH", path, "mA", {{"priority", "low"}}, {{"If-Match", tag}}), 412,
                   "precondition_failed");
    EXPECT_EQ(call("GET", path, "mA").json()["priority"], "high");
    // PUT needs every editable field.
    expect_problem(call("PUT", path, "mA", {{"title", "Only a title"}}), 422, "validation_failed");
    const auto replaced = call("PUT", path, "mA",
                               {{"title", "Replaced"},
                                {"description", ""},
                                {"priority", "low"},
                                {"status", "in_progress"},
                                {"category", nullptr},
                                {"tags", json::array({"vpn"})},
                                {"assigned_to", nullptr}},
                               {{"If-Match", "\"2\""}});
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    EXPECT_EQ(replaced.json()["status"], "in_progress");
    EXPECT_EQ(replaced.json()["tags"], json::array({"vpn"}));
}

TEST_P(TicketsApi, TheEleventhCaseInAnHourIsRateLimited) {
    for (int i = 1; i <= 10; ++i) open("cX", "case " + std::to_string(i));
    const auto eleventh = call("POST", "/api/tickets", "cX", {{"title", "case 11"}});
    expect_problem(eleventh, 429, "rate_limited");
    ASSERT_FALSE(eleventh.header("retry-after").empty());
    EXPECT_GT(std::stoi(eleventh.header("retry-after")), 0);
    EXPECT_LE(std::stoi(eleventh.header("retry-after")), 3600);
    // Per user: a colleague and the staff are not limited.
    EXPECT_EQ(call("POST", "/api/tickets", "cX2", {{"title", "colleague"}}).status, 201);
    EXPECT_EQ(
        call("POST", "/api/tickets", "mA", {{"title", "staff"}, {"customer_id", world_.org_x}})
            .status,
        201);
}

TEST_P(TicketsApi, TheWorkflowOverHttp) {
    const auto t = open("cX", "Laptop broken");
    const std::string path = "/api/tickets/" + t["id"].get<std::string>();
    const auto assigned = call("PATCH", path, "eA", {{"assigned_to", world_.ids.at("eA")}});
    ASSERT_EQ(assigned.status, 200) << assigned.body;
    EXPECT_EQ(assigned.json()["status"], "assigned");
    const auto waiting = call("PATCH", path, "eA", {{"status", "waiting_customer"}});
    ASSERT_EQ(waiting.status, 200) << waiting.body;
    EXPECT_TRUE(waiting.json()["sla_paused"].get<bool>());
    // The customer's reply resumes work.
    ASSERT_EQ(call("POST", path + "/comments", "cX", {{"body", "It is plugged in"}}).status, 201);
    const auto resumed = call("GET", path, "eA").json();
    EXPECT_EQ(resumed["status"], "in_progress");
    EXPECT_FALSE(resumed["sla_paused"].get<bool>());
    // Customers cannot change fields, only close or reopen.
    expect_problem(call("PATCH", path, "cX", {{"priority", "critical"}}), 403, "forbidden");
    ASSERT_EQ(call("PATCH", path, "eA", {{"status", "resolved"}}).status, 200);
    const auto reopened = call("PATCH", path, "cX", {{"status", "in_progress"}});
    ASSERT_EQ(reopened.status, 200) << reopened.body;
    EXPECT_TRUE(reopened.json()["resolved_at"].is_null());
    ASSERT_EQ(call("PATCH", path, "cX", {{"status", "closed"}}).status, 200);
    expect_problem(call("PATCH", path, "eA", {{"status", "in_progress"}}), 422,
                   "validation_failed");
    // Deleting is for managers; afterwards the ticket is gone for everyone.
    expect_problem(call("DELETE", path, "eA"), 403, "forbidden");
    EXPECT_EQ(call("DELETE", path, "mA").status, 204);
    expect_problem(call("GET", path, "mA"), 404, "not_found");

    const auto history = call("GET", path + "/history?limit=100", "mA");
    EXPECT_EQ(history.status, 404);  // a deleted ticket has no history to show either
}

TEST_P(TicketsApi, FiltersSortingAndPaging) {
    for (const char* p : {"low", "critical", "medium", "high"}) {
        ASSERT_EQ(call("POST", "/api/tickets", "mA",
                       {{"title", std::string("prio ") + p},
                        {"priority", p},
                        {"customer_id", world_.org_x},
                        {"tags", {"hw"}}})
                      .status,
                  201);
    }
    const auto by_priority = call("GET", "/api/tickets?sort=priority&order=desc&limit=2", "mA");
    ASSERT_EQ(by_priority.status, 200) << by_priority.body;
    const json page1 = by_priority.json();
    EXPECT_EQ(page1["meta"]["total"], 4);
    EXPECT_EQ(page1["meta"]["total_pages"], 2);
    EXPECT_EQ(page1["data"][0]["priority"], "critical");
    EXPECT_EQ(page1["data"][1]["priority"], "high");
    EXPECT_EQ(page1["links"]["next"], "/api/tickets?sort=priority&order=desc&page=2&limit=2");
    EXPECT_EQ(titles("mA", "&priority=low,high"), (std::set<std::string>{"prio low", "prio high"}));
    EXPECT_EQ(titles("mA", "&tag=HW").size(), 4u);
    EXPECT_EQ(titles("mA", "&assigned_to=none").size(), 4u);
    EXPECT_EQ(titles("mA", "&status=closed").size(), 0u);
    expect_problem(call("GET", "/api/tickets?status=open", "mA"), 422, "validation_failed");
    expect_problem(call("GET", "/api/tickets?sort=colour", "mA"), 422, "validation_failed");
    expect_problem(call("GET", "/api/tickets?created_from=yesterday", "mA"), 422,
                   "validation_failed");
    expect_problem(call("GET", "/api/tickets?limit=101", "mA"), 422, "validation_failed");
}

TEST_P(TicketsApi, SlaPoliciesOverHttp) {
    const json week = {{"monday", {{{"from", "09:00"}, {"to", "17:00"}}}},
                       {"tuesday", {{{"from", "09:00"}, {"to", "17:00"}}}}};
    const json targets = {{"low", {{"response_minutes", 480}, {"resolution_minutes", 4800}}},
                          {"medium", {{"response_minutes", 240}, {"resolution_minutes", 2400}}},
                          {"high", {{"response_minutes", 60}, {"resolution_minutes", 960}}},
                          {"critical", {{"response_minutes", 30}, {"resolution_minutes", 240}}}};
    const json body = {{"name", "Standard"},
                       {"business_hours", {{"time_zone", "Europe/Berlin"}, {"week", week}}},
                       {"targets", targets}};

    const auto built_in = call("GET", "/api/sla-policy", "mA");
    ASSERT_EQ(built_in.status, 200) << built_in.body;
    EXPECT_EQ(built_in.json()["source"], "built_in");
    EXPECT_EQ(built_in.header("etag"), "\"0\"");

    const auto created = call("PUT", "/api/sla-policy", "mA", body, {{"If-Match", "\"0\""}});
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json()["source"], "tenant");
    EXPECT_EQ(created.header("etag"), "\"1\"");
    expect_problem(call("PUT", "/api/sla-policy", "mA", body, {{"If-Match", "\"0\""}}), 412,
                   "precondition_failed");
    EXPECT_EQ(call("PUT", "/api/sla-policy", "mA", body, {{"If-Match", "\"1\""}}).status, 200);

    // Experts read, only managers change; customer users and other tenants see nothing.
    EXPECT_EQ(call("GET", "/api/sla-policy", "eA").json()["name"], "Standard");
    expect_problem(call("PUT", "/api/sla-policy", "eA", body), 403, "forbidden");
    expect_problem(call("GET", "/api/sla-policy", "caX"), 403, "forbidden");
    const std::string x_policy = "/api/customers/" + world_.org_x + "/sla-policy";
    expect_problem(call("GET", x_policy, "cX"), 403, "forbidden");
    expect_problem(call("GET", x_policy, "mB"), 404, "not_found");
    expect_problem(call("PUT", x_policy, "mB", body), 404, "not_found");

    // A customer's own policy, then back to the default.
    EXPECT_EQ(call("GET", x_policy, "mA").json()["source"], "tenant");
    json gold = body;
    gold["name"] = "Gold";
    const auto own = call("PUT", x_policy, "mA", gold);
    ASSERT_EQ(own.status, 201) << own.body;
    EXPECT_EQ(own.json()["customer_id"], world_.org_x);
    EXPECT_EQ(call("GET", x_policy, "eA").json()["name"], "Gold");
    EXPECT_EQ(call("DELETE", x_policy, "mA").status, 204);
    EXPECT_EQ(call("GET", x_policy, "mA").json()["name"], "Standard");
    expect_problem(call("DELETE", x_policy, "mA"), 404, "not_found");

    // Invalid policies are refused with the field named, and change nothing.
    json inverted = body;
    inverted["targets"]["high"]["response_minutes"] = 2000;
    expect_problem(call("PUT", "/api/sla-policy", "mA", inverted), 422, "validation_failed",
                   "/targets/high/response_minutes");
    json missing = body;
    missing["targets"].erase("low");
    expect_problem(call("PUT", "/api/sla-policy", "mA", missing), 422, "validation_failed");
    EXPECT_EQ(call("GET", "/api/sla-policy", "mA").header("etag"), "\"2\"");
}

TEST_P(TicketsApi, TenantsRelabelStatusesForEveryone) {
    const auto r = call("PUT", "/api/tenants/" + world_.tenant_a + "/settings", "mA",
                        {{"status_labels", {{"waiting_customer", "Wartet auf Sie"}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    const json tenant = call("GET", "/api/auth/status", "cX").json()["tenant"];
    EXPECT_EQ(tenant["status_labels"], json({{"waiting_customer", "Wartet auf Sie"}}));
    expect_problem(call("PUT", "/api/tenants/" + world_.tenant_a + "/settings", "mA",
                        {{"status_labels", {{"open", "Offen"}}}}),
                   422, "validation_failed");
}

// The breach job of `kontor serve`, end to end: a ticket whose due time has passed is marked
// breached by the scanner thread within its interval, with a history event and an outbox event.
TEST_P(TicketsApi, TheServerMarksOverdueTicketsBreached) {
    // A server that scans every 5 s (the shortest interval it accepts).
    server_.reset();
    server_ = std::make_unique<ServerProcess>(
        *db_, std::map<std::string, std::string>{{"KONTOR_SLA_SCAN_INTERVAL", "5"}});
    client_ = std::make_unique<HttpClient>(server_->port());

    const json t = open("mA", "Server room too hot");
    const std::string id = t["id"];
    EXPECT_EQ(t["sla_breached"], false);
    // Time passes: the due times move into the past (written straight into the tenant's store,
    // as the clock would have it).
    db::StoreManager stores(db_->store_config());
    tenancy::TenantService tenants(stores);
    stores.set_location_resolver([&](const core::TenantId& tid) { return tenants.location(tid); });
    const std::int64_t past = core::now_ms() - 60'000;
    ASSERT_EQ(stores.tenant(core::TenantId{world_.tenant_a})
                  ->execute("UPDATE tickets SET sla_response_due = $1, sla_resolution_due = $1 "
                            "WHERE id = $2",
                            {past, id}),
              1);

    json seen = json::object();
    for (int i = 0; i < 120 && seen.value("sla_breached", false) == false; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        seen = call("GET", "/api/tickets/" + id, "mA").json();
    }
    EXPECT_EQ(seen["sla_breached"], true) << seen.dump();
    EXPECT_GT(seen["version"].get<int>(), t["version"].get<int>());
    const json history = call("GET", "/api/tickets/" + id + "/history", "mA").json()["data"];
    bool recorded = false;
    for (const auto& e : history)
        if (e["action"] == "sla_breached") recorded = e["new_value"] == "response";
    EXPECT_TRUE(recorded) << history.dump();
    const auto events =
        stores.tenant(core::TenantId{world_.tenant_a})
            ->query("SELECT payload FROM outbox WHERE topic = 'ticket.sla_breached'");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(json::parse(events.get_text(0, 0))["ticket_id"], id);
    // Marked once: the next scans leave it alone.
    std::this_thread::sleep_for(std::chrono::milliseconds(5500));
    EXPECT_EQ(call("GET", "/api/tickets/" + id, "mA").json()["version"], seen["version"]);
}

INSTANTIATE_TEST_SUITE_P(Backends, TicketsApi, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor
