// Who may reach what, black-box over HTTP on SQLite and PostgreSQL: every role (and no sign-in at
// all) × every identity and tenancy endpoint × a resource of their own, of another organisation of
// the same tenant, and of another tenant. Outside an actor's scope a resource does not exist for
// them: 404 (or the answer an unknown id gets), never 403 with data. The world is built through
// the API (support/world.hpp); docs/domain/permissions.md states the same rules in prose.
#include <gtest/gtest.h>

#include <array>
#include <set>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/world.hpp"

namespace kontor {
namespace {

using nlohmann::json;
using testing::Api;
using testing::HttpClient;
using testing::HttpResponse;
using testing::ServerProcess;
using testing::TestDatabase;
using testing::World;

// The actors, in the order of a row's expectations. "cX" etc. are world keys (support/world.hpp).
enum Actor { kAdmin, kManager, kExpert, kCustomerAdmin, kClient, kAnonymous, kActors };
constexpr std::array<const char*, kActors> kActorNames = {
    "ADMIN",     "MANAGER mA", "EXPERT eA", "CUSTOMER_ADMIN caX (org X)", "CLIENT cX (org X)",
    "no sign-in"};
constexpr std::array<const char*, kActors> kActorKeys = {"", "mA", "eA", "caX", "cX", ""};

struct Row {
    const char* method;
    const char* target;                 // placeholders: see AccessMatrix::expand
    const char* body;                   // JSON with the same placeholders; "" for none
    std::array<int, kActors> expected;  // ADMIN, MANAGER, EXPERT, CUSTOMER_ADMIN, CLIENT, anonymous
};

// Scope words in the comments are from tenant A's and organisation X's point of view: the
// MANAGER, EXPERT, CUSTOMER_ADMIN and CLIENT all belong there.
// clang-format off
const Row kRows[] = {
    // ---- session ---------------------------------------------------------------------------------
    {"GET", "/api/auth/status", "",                               {200, 200, 200, 200, 200, 401}},

    // ---- tenants: the platform's business; a tenant's settings: its MANAGER's ------------------
    {"GET", "/api/tenants", "",                                   {200, 403, 403, 403, 403, 401}},
    {"POST", "/api/tenants", R"({"name":"Tenant {uniq}"})",       {201, 403, 403, 403, 403, 401}},
    {"GET", "/api/tenants/{A}", "",                               {200, 403, 403, 403, 403, 401}},
    {"GET", "/api/tenants/{B}", "",                               {200, 403, 403, 403, 403, 401}},
    {"PUT", "/api/tenants/{A}", R"({"name":"Alpha Desk"})",       {200, 403, 403, 403, 403, 401}},
    {"PUT", "/api/tenants/{B}", R"({"name":"Beta Desk"})",        {200, 403, 403, 403, 403, 401}},
    {"GET", "/api/tenants/{A}/settings", "",                      {200, 200, 403, 403, 403, 401}},
    {"GET", "/api/tenants/{B}/settings", "",                      {200, 404, 404, 404, 404, 401}},
    {"PUT", "/api/tenants/{A}/settings", R"({"case_rate_limit_per_hour":12})",
                                                                  {200, 200, 403, 403, 403, 401}},
    {"PUT", "/api/tenants/{B}/settings", R"({"case_rate_limit_per_hour":12})",
                                                                  {200, 404, 404, 404, 404, 401}},

    // ---- users: lists ----------------------------------------------------------------------------
    {"GET", "/api/users", "",                                     {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/users?tenant_id={A}", "",                       {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/users?tenant_id={B}", "",                       {200, 404, 404, 404, 404, 401}},
    // ---- users: read ---------------------------------------------------------------------------
    {"GET", "/api/users/{self}", "",                              {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/users/{cX2}", "",   /* own organisation */      {200, 200, 404, 200, 404, 401}},
    {"GET", "/api/users/{cY}", "",    /* other organisation */    {200, 200, 404, 404, 404, 401}},
    {"GET", "/api/users/{eA2}", "",   /* own tenant's staff */    {200, 200, 404, 404, 404, 401}},
    {"GET", "/api/users/{cZ}", "",    /* other tenant */          {200, 404, 404, 404, 404, 401}},
    {"GET", "/api/users/{mB}", "",    /* other tenant */          {200, 404, 404, 404, 404, 401}},
    {"GET", "/api/users/{unknown}", "",                           {404, 404, 404, 404, 404, 401}},
    // ---- users: change -----------------------------------------------------------------------
    {"PUT", "/api/users/{self}", R"({"name":"Renamed {uniq}"})",  {200, 200, 200, 200, 200, 401}},
    {"PUT", "/api/users/{self}", R"({"status":"inactive"})",      {403, 403, 403, 403, 403, 401}},
    {"PUT", "/api/users/{cX2}", R"({"name":"Cee Two"})",          {200, 200, 404, 200, 404, 401}},
    {"PUT", "/api/users/{cY}", R"({"name":"Cee Why"})",           {200, 200, 404, 404, 404, 401}},
    {"PUT", "/api/users/{eA2}", R"({"name":"Eee Two"})",          {200, 200, 404, 404, 404, 401}},
    {"PUT", "/api/users/{cZ}", R"({"name":"Cee Zed"})",           {200, 404, 404, 404, 404, 401}},
    // Role changes (on a fresh CLIENT of organisation X each time): a customer admin switches
    // between the portal roles only; a tenant user never becomes ADMIN (422 even for an ADMIN).
    {"PUT", "/api/users/{new:X}", R"({"role":"EXPERT","customer_id":null})",
                                                                  {200, 200, 404, 403, 404, 401}},
    {"PUT", "/api/users/{new:X}", R"({"role":"CUSTOMER_ADMIN"})", {200, 200, 404, 200, 404, 401}},
    {"PUT", "/api/users/{new:X}", R"({"role":"ADMIN","customer_id":null})",
                                                                  {422, 403, 404, 403, 404, 401}},
    // ---- users: deactivate (each request gets a fresh user of the named organisation) ---------
    {"DELETE", "/api/users/{self}", "",                           {403, 403, 403, 403, 403, 401}},
    {"DELETE", "/api/users/{new:X}", "",                          {200, 200, 404, 200, 404, 401}},
    {"DELETE", "/api/users/{new:Y}", "",                          {200, 200, 404, 404, 404, 401}},
    {"DELETE", "/api/users/{new:Z}", "",                          {200, 404, 404, 404, 404, 401}},
    // ---- users: expertise ----------------------------------------------------------------------
    {"GET", "/api/users/{self}/expertise", "",                    {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/users/{eA2}/expertise", "",                     {200, 200, 404, 404, 404, 401}},
    {"GET", "/api/users/{eB}/expertise", "",                      {200, 404, 404, 404, 404, 401}},
    {"PUT", "/api/users/{eA2}/expertise", R"([{"skill":"networking","level":3}])",
                                                                  {200, 200, 404, 404, 404, 401}},
    {"PUT", "/api/users/{eB}/expertise", R"([{"skill":"networking","level":3}])",
                                                                  {200, 404, 404, 404, 404, 401}},
    // An ADMIN has no expertise (422); an EXPERT may not rate themselves.
    {"PUT", "/api/users/{self}/expertise", R"([{"skill":"networking","level":5}])",
                                                                  {422, 200, 403, 403, 403, 401}},
    // ---- users: invitations -------------------------------------------------------------------
    {"POST", "/api/users/{iX}/invite", "",                        {201, 201, 404, 201, 404, 401}},
    {"POST", "/api/users/{iY}/invite", "",                        {201, 201, 404, 404, 404, 401}},
    {"POST", "/api/users/{iZ}/invite", "",                        {201, 404, 404, 404, 404, 401}},
    // ---- users: create (another tenant's or organisation's id is answered as an unknown one) --
    {"POST", "/api/users", R"({"email":"n{uniq}@alpha.test","name":"New","role":"CLIENT","tenant_id":"{A}","customer_id":"{X}","password":"a-long-test-password-7"})",
                                                                  {201, 201, 403, 201, 403, 401}},
    {"POST", "/api/users", R"({"email":"n{uniq}@alpha.test","name":"New","role":"CLIENT","tenant_id":"{A}","customer_id":"{Y}","password":"a-long-test-password-7"})",
                                                                  {201, 201, 403, 422, 403, 401}},
    {"POST", "/api/users", R"({"email":"n{uniq}@beta.test","name":"New","role":"CLIENT","tenant_id":"{B}","customer_id":"{Z}","password":"a-long-test-password-7"})",
                                                                  {201, 422, 403, 422, 403, 401}},
    {"POST", "/api/users", R"({"email":"n{uniq}@alpha.test","name":"New","role":"EXPERT","tenant_id":"{A}"})",
                                                                  {201, 201, 403, 403, 403, 401}},
    {"POST", "/api/users", R"({"email":"n{uniq}@alpha.test","name":"New","role":"ADMIN"})",
                                                                  {201, 403, 403, 403, 403, 401}},

    // ---- customers (an ADMIN names the tenant with ?tenant_id=) --------------------------------
    {"GET", "/api/customers", "",                                 {422, 200, 200, 200, 200, 401}},
    {"GET", "/api/customers?tenant_id={A}", "",                   {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/customers?tenant_id={B}", "",                   {200, 404, 404, 404, 404, 401}},
    {"GET", "/api/customers/{X}?tenant_id={A}", "",               {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/customers/{Y}?tenant_id={A}", "",               {200, 200, 200, 404, 404, 401}},
    {"GET", "/api/customers/{Z}?tenant_id={A}", "",               {404, 404, 404, 404, 404, 401}},
    {"GET", "/api/customers/{Z}?tenant_id={B}", "",               {200, 404, 404, 404, 404, 401}},
    {"GET", "/api/customers/{Z}", "",                             {422, 404, 404, 404, 404, 401}},
    {"PUT", "/api/customers/{X}?tenant_id={A}", R"({"phone":"+49 30 1234567"})",
                                                                  {200, 200, 200, 403, 403, 401}},
    {"PUT", "/api/customers/{Y}?tenant_id={A}", R"({"phone":"+49 30 1234567"})",
                                                                  {200, 200, 200, 403, 403, 401}},
    {"PUT", "/api/customers/{Z}?tenant_id={B}", R"({"phone":"+49 30 1234567"})",
                                                                  {200, 404, 404, 403, 403, 401}},
    {"POST", "/api/customers?tenant_id={A}", R"({"name":"Org {uniq}"})",
                                                                  {201, 201, 201, 403, 403, 401}},
    {"POST", "/api/customers?tenant_id={B}", R"({"name":"Org {uniq}"})",
                                                                  {201, 404, 404, 403, 403, 401}},

    // ---- SLA policies: staff read, managers change (rows run ADMIN first, so the ADMIN's PUT
    // creates — 201 — and the MANAGER's replaces — 200; the ADMIN's DELETE leaves none) ----------
    {"GET", "/api/sla-policy?tenant_id={A}", "",                    {200, 200, 200, 403, 403, 401}},
    {"GET", "/api/sla-policy?tenant_id={B}", "",                    {200, 404, 404, 404, 404, 401}},
    {"PUT", "/api/sla-policy?tenant_id={A}", R"({"business_hours":{"time_zone":"UTC","week":{"monday":[{"from":"08:00","to":"16:00"}]}},"targets":{"low":{"response_minutes":60,"resolution_minutes":600},"medium":{"response_minutes":60,"resolution_minutes":600},"high":{"response_minutes":30,"resolution_minutes":300},"critical":{"response_minutes":15,"resolution_minutes":120}}})",
                                                                  {201, 200, 403, 403, 403, 401}},
    {"PUT", "/api/sla-policy?tenant_id={B}", R"({"business_hours":{"time_zone":"UTC","week":{"monday":[{"from":"08:00","to":"16:00"}]}},"targets":{"low":{"response_minutes":60,"resolution_minutes":600},"medium":{"response_minutes":60,"resolution_minutes":600},"high":{"response_minutes":30,"resolution_minutes":300},"critical":{"response_minutes":15,"resolution_minutes":120}}})",
                                                                  {201, 404, 404, 404, 404, 401}},
    {"GET", "/api/customers/{X}/sla-policy?tenant_id={A}", "",    {200, 200, 200, 403, 403, 401}},
    {"GET", "/api/customers/{Z}/sla-policy?tenant_id={A}", "",    {404, 404, 404, 403, 403, 401}},
    {"PUT", "/api/customers/{X}/sla-policy?tenant_id={A}", R"({"business_hours":{"time_zone":"UTC","week":{"monday":[{"from":"08:00","to":"16:00"}]}},"targets":{"low":{"response_minutes":60,"resolution_minutes":600},"medium":{"response_minutes":60,"resolution_minutes":600},"high":{"response_minutes":30,"resolution_minutes":300},"critical":{"response_minutes":15,"resolution_minutes":120}}})",
                                                                  {201, 200, 403, 403, 403, 401}},
    {"PUT", "/api/customers/{Z}/sla-policy?tenant_id={B}", R"({"business_hours":{"time_zone":"UTC","week":{"monday":[{"from":"08:00","to":"16:00"}]}},"targets":{"low":{"response_minutes":60,"resolution_minutes":600},"medium":{"response_minutes":60,"resolution_minutes":600},"high":{"response_minutes":30,"resolution_minutes":300},"critical":{"response_minutes":15,"resolution_minutes":120}}})",
                                                                  {201, 404, 404, 404, 404, 401}},
    {"DELETE", "/api/customers/{X}/sla-policy?tenant_id={A}", "", {204, 404, 403, 403, 403, 401}},

    // ---- documents and ticket attachments ({docX} a customer document of X, {docXi} an internal
    // one, {docY} Y's, {docZ} tenant B's; {ticketX} cX's ticket, assigned to eA, with a public
    // attachment {attX} and the file {attXi} of an internal note). Uploads without a file name
    // answer 422 to whoever may upload; refusals come before the body. ---------------------------
    {"GET", "/api/customers/{X}/documents?tenant_id={A}", "",     {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/customers/{Y}/documents?tenant_id={A}", "",     {200, 200, 200, 404, 404, 401}},
    {"GET", "/api/customers/{Z}/documents?tenant_id={A}", "",     {404, 404, 404, 404, 404, 401}},
    {"GET", "/api/customers/{Z}/documents?tenant_id={B}", "",     {200, 404, 404, 404, 404, 401}},
    {"POST", "/api/customers/{X}/documents?tenant_id={A}", "{}",  {422, 422, 403, 403, 403, 401}},
    {"POST", "/api/customers/{Z}/documents?tenant_id={B}", "{}",  {422, 404, 403, 403, 403, 401}},
    {"GET", "/api/documents/{docX}?tenant_id={A}", "",            {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/documents/{docXi}?tenant_id={A}", "",           {200, 200, 200, 404, 404, 401}},
    {"GET", "/api/documents/{docY}?tenant_id={A}", "",            {200, 200, 200, 404, 404, 401}},
    {"GET", "/api/documents/{docZ}?tenant_id={B}", "",            {200, 404, 404, 404, 404, 401}},
    {"GET", "/api/documents/{attX}?tenant_id={A}", "",            {404, 404, 404, 404, 404, 401}},
    {"POST", "/api/documents/{docX}/download-url?tenant_id={A}", "",
                                                                  {200, 200, 200, 200, 200, 401}},
    {"POST", "/api/documents/{docXi}/download-url?tenant_id={A}", "",
                                                                  {200, 200, 200, 404, 404, 401}},
    {"POST", "/api/documents/{docZ}/download-url?tenant_id={B}", "",
                                                                  {200, 404, 404, 404, 404, 401}},
    {"DELETE", "/api/documents/{unknown}?tenant_id={A}", "",      {404, 404, 403, 403, 403, 401}},
    {"GET", "/api/files/{unknown}?tenant_id={A}", "",             {403, 403, 403, 403, 403, 401}},
    {"GET", "/api/tickets/{ticketX}/attachments?tenant_id={A}", "",
                                                                  {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/tickets/{ticketX}/attachments?tenant_id={B}", "",
                                                                  {404, 404, 404, 404, 404, 401}},
    {"POST", "/api/tickets/{ticketX}/attachments?tenant_id={A}", "{}",
                                                                  {422, 422, 422, 422, 422, 401}},
    {"GET", "/api/tickets/{ticketX}/attachments/{attX}?tenant_id={A}", "",
                                                                  {200, 200, 200, 200, 200, 401}},
    {"GET", "/api/tickets/{ticketX}/attachments/{attXi}?tenant_id={A}", "",
                                                                  {200, 200, 200, 404, 404, 401}},
    {"POST", "/api/tickets/{ticketX}/attachments/{attX}/download-url?tenant_id={A}", "",
                                                                  {200, 200, 200, 200, 200, 401}},
    {"POST", "/api/tickets/{ticketX}/attachments/{attXi}/download-url?tenant_id={A}", "",
                                                                  {200, 200, 200, 404, 404, 401}},
    // {newattXi}: a fresh internal attachment of the MANAGER's for each actor.
    {"DELETE", "/api/tickets/{ticketX}/attachments/{newattXi}?tenant_id={A}", "",
                                                                  {204, 204, 403, 404, 404, 401}},

    // ---- audit log (an ADMIN without ?tenant_id= reads the platform's log) -------------------
    {"GET", "/api/audit", "",                                     {200, 200, 403, 403, 403, 401}},
    {"GET", "/api/audit?tenant_id={A}", "",                       {200, 200, 403, 403, 403, 401}},
    {"GET", "/api/audit?tenant_id={B}", "",                       {200, 404, 403, 403, 403, 401}},
};
// clang-format on

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
}

class AccessMatrix : public testing::WorldTest {
protected:
    void SetUp() override {
        WorldTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        const auto& admin = world_.admin_token;
        tokens_[kAdmin] = admin;
        admin_id_ = api_->must("GET", "/api/auth/status", admin, nullptr, 200)["user"]["id"];
        for (int a = kManager; a <= kClient; ++a)
            tokens_[a] = api_->login(world_.emails.at(kActorKeys[a]), World::kPassword);
        files_in_the_world();
    }

    // A raw upload that must succeed; its id.
    std::string upload_file(const std::string& token, const std::string& target,
                            const std::string& name) {
        const auto r = client_->request(
            "POST", target, "content of " + name,
            {{"Authorization", "Bearer " + token},
             {"Content-Disposition", "attachment; filename=\"" + name + ".txt\""}});
        EXPECT_EQ(r.status, 201) << target << " " << r.body;
        return r.status == 201 ? r.json().at("id").get<std::string>() : std::string();
    }

    // Documents and a ticket with attachments for the document rows.
    void files_in_the_world() {
        const auto upload = [&](const std::string& token, const std::string& target,
                                const std::string& name) {
            return upload_file(token, target, name);
        };
        const auto docs = [&](const std::string& org, const std::string& tenant) {
            return "/api/customers/" + org + "/documents?tenant_id=" + tenant;
        };
        const std::string& admin = world_.admin_token;
        files_["docX"] = upload(tokens_[kManager], docs(world_.org_x, world_.tenant_a), "x");
        files_["docXi"] = upload(
            tokens_[kManager], docs(world_.org_x, world_.tenant_a) + "&visibility=internal", "xi");
        files_["docY"] = upload(tokens_[kManager], docs(world_.org_y, world_.tenant_a), "y");
        files_["docZ"] = upload(admin, docs(world_.org_z, world_.tenant_b), "z");
        const std::string ticket =
            api_->must("POST", "/api/tickets", tokens_[kClient],
                       {{"title", "Matrix ticket"}, {"description", "For the document rows."}}, 201)
                .at("id");
        api_->must("PATCH", "/api/tickets/" + ticket, tokens_[kManager],
                   {{"assigned_to", world_.ids.at("eA")}}, 200);
        files_["ticketX"] = ticket;
        const std::string attachments = "/api/tickets/" + ticket + "/attachments";
        files_["attX"] = upload(tokens_[kClient], attachments, "screenshot");
        const std::string note =
            api_->must("POST", "/api/tickets/" + ticket + "/comments", tokens_[kExpert],
                       {{"body", "Internal finding."}, {"visibility", "internal"}}, 201)
                .at("id");
        files_["attXi"] = upload(tokens_[kExpert], attachments + "?comment_id=" + note, "finding");
    }

    std::string self_id(int actor) const {
        if (actor == kAdmin) return admin_id_;
        if (actor == kAnonymous) return world_.ids.at("cX");  // anyone's: no sign-in, no access
        return world_.ids.at(kActorKeys[actor]);
    }

    // {A} {B} tenants, {X} {Y} {Z} organisations, {self} the acting user, {new:X} a fresh CLIENT
    // of organisation X, {unknown} an id nobody has, {uniq} a unique number, {<key>} a world user.
    std::string expand(std::string s, int actor) {
        replace_all(s, "{A}", world_.tenant_a);
        replace_all(s, "{B}", world_.tenant_b);
        replace_all(s, "{X}", world_.org_x);
        replace_all(s, "{Y}", world_.org_y);
        replace_all(s, "{Z}", world_.org_z);
        replace_all(s, "{self}", self_id(actor));
        replace_all(s, "{unknown}", "0190f1a2-0000-7000-8000-00000000dead");
        replace_all(s, "{uniq}", std::to_string(++uniq_));
        for (const char* org : {"X", "Y", "Z"}) {
            const std::string tag = std::string("{new:") + org + "}";
            if (s.find(tag) != std::string::npos)
                replace_all(s, tag, world_.new_client(*api_, org));
        }
        for (const auto& [key, id] : world_.ids) replace_all(s, "{" + key + "}", id);
        if (s.find("{newattXi}") != std::string::npos)
            replace_all(s, "{newattXi}",
                        upload_file(tokens_[kManager],
                                    "/api/tickets/" + files_.at("ticketX") +
                                        "/attachments?visibility=internal",
                                    "fresh-" + std::to_string(++uniq_)));
        for (const auto& [key, id] : files_) replace_all(s, "{" + key + "}", id);
        return s;
    }

    std::array<std::string, kActors> tokens_;  // kAnonymous stays empty
    std::string admin_id_;
    std::map<std::string, std::string> files_;  // {docX} … {attXi}
    int uniq_ = 0;
};

// A refusal carries a problem document and nothing of the resource.
void expect_bare_problem(const HttpResponse& r) {
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << r.body;
    if (r.header("content-type") != "application/problem+json") return;
    const std::set<std::string> allowed = {"type", "title",      "status", "detail",
                                           "code", "request_id", "errors"};
    const json body = r.json();  // named: items() must not outlive it
    for (const auto& [key, value] : body.items()) {
        EXPECT_TRUE(allowed.contains(key)) << "refusal carries \"" << key << "\": " << r.body;
    }
}

TEST_P(AccessMatrix, EveryRoleEveryEndpointEveryScope) {
    int checked = 0;
    for (const Row& row : kRows) {
        for (int actor = 0; actor < kActors; ++actor) {
            const std::string target = expand(row.target, actor);
            const std::string body = expand(row.body, actor);
            SCOPED_TRACE(std::string(kActorNames[actor]) + ": " + row.method + " " + row.target);
            const auto r = api_->call(row.method, target, tokens_[actor], body);
            EXPECT_EQ(r.status, row.expected[actor]) << r.body;
            if (r.status >= 400) expect_bare_problem(r);
            ++checked;
        }
    }
    EXPECT_EQ(checked, static_cast<int>(std::size(kRows)) * kActors);
}

std::set<std::string> ids_of(const HttpResponse& r) {
    std::set<std::string> out;
    const auto data = r.json().at("data");
    for (const auto& item : data) out.insert(item.at("id").get<std::string>());
    return out;
}

TEST_P(AccessMatrix, ListsHoldExactlyWhatEachRoleMaySee) {
    const auto& ids = world_.ids;
    const auto users = [&](std::initializer_list<const char*> keys) {
        std::set<std::string> out;
        for (const char* k : keys) out.insert(ids.at(k));
        return out;
    };
    const auto list = [&](int actor, const std::string& target) {
        const auto r = api_->call("GET", target, tokens_[actor]);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? ids_of(r) : std::set<std::string>{};
    };

    EXPECT_EQ(list(kManager, "/api/users?limit=100"),
              users({"mA", "eA", "eA2", "caX", "cX", "cX2", "iX", "cY", "iY"}));
    EXPECT_EQ(list(kExpert, "/api/users?limit=100"),
              users({"mA", "eA", "eA2"}));  // the staff of their tenant
    EXPECT_EQ(list(kCustomerAdmin, "/api/users?limit=100"), users({"caX", "cX", "cX2", "iX"}));
    EXPECT_EQ(list(kClient, "/api/users?limit=100"), users({"cX"}));
    EXPECT_EQ(list(kAdmin, "/api/users?limit=100&tenant_id=" + world_.tenant_b),
              users({"mB", "eB", "cZ", "iZ"}));
    // Filters narrow within the scope and never widen it.
    EXPECT_EQ(list(kCustomerAdmin, "/api/users?customer_id=" + world_.org_y), users({}));
    EXPECT_EQ(list(kManager, "/api/users?customer_id=" + world_.org_z), users({}));
    EXPECT_EQ(list(kExpert, "/api/users?role=CLIENT"), users({}));
    EXPECT_EQ(list(kManager, "/api/users?search=beta.test"), users({}));

    const std::set<std::string> xy = {world_.org_x, world_.org_y};
    EXPECT_EQ(list(kManager, "/api/customers"), xy);
    EXPECT_EQ(list(kExpert, "/api/customers"), xy);
    EXPECT_EQ(list(kCustomerAdmin, "/api/customers"), std::set<std::string>{world_.org_x});
    EXPECT_EQ(list(kClient, "/api/customers"), std::set<std::string>{world_.org_x});
    EXPECT_EQ(list(kAdmin, "/api/customers?tenant_id=" + world_.tenant_b),
              std::set<std::string>{world_.org_z});
    EXPECT_EQ(list(kManager, "/api/customers?search=Zephyr"), std::set<std::string>{});
}

TEST_P(AccessMatrix, CustomerUsersNeverSeeInternalFields) {
    const auto internal = [&](int actor) {
        const auto r = api_->call("GET", "/api/customers/" + world_.org_x, tokens_[actor]);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.body.find("internal note about") != std::string::npos ||
               r.json().contains("notes");
    };
    EXPECT_TRUE(internal(kManager));
    EXPECT_TRUE(internal(kExpert));
    EXPECT_FALSE(internal(kCustomerAdmin));
    EXPECT_FALSE(internal(kClient));

    // Hourly rates: set by the manager, shown to the expert themselves.
    auto rate = api_->call("PUT", "/api/users/" + world_.ids.at("eA"), tokens_[kManager],
                           R"({"hourly_rate":{"amount_cents":9500,"currency":"EUR"}})");
    ASSERT_EQ(rate.status, 200) << rate.body;
    EXPECT_EQ(rate.json()["hourly_rate"]["amount_cents"], 9500);
    const auto own = api_->call("GET", "/api/users/" + world_.ids.at("eA"), tokens_[kExpert]);
    EXPECT_EQ(own.json()["hourly_rate"]["amount_cents"], 9500);
}

TEST_P(AccessMatrix, AuditEntriesStayInTheirTenant) {
    // Activity in B: its manager signs in and renames a user.
    const auto mb = api_->login(world_.emails.at("mB"), World::kPassword);
    ASSERT_EQ(
        api_->call("PUT", "/api/users/" + world_.ids.at("cZ"), mb, R"({"name":"Zed"})").status,
        200);
    const auto a_log = api_->call("GET", "/api/audit?limit=100", tokens_[kManager]);
    ASSERT_EQ(a_log.status, 200) << a_log.body;
    EXPECT_EQ(a_log.body.find(world_.ids.at("mB")), std::string::npos);
    EXPECT_EQ(a_log.body.find(world_.ids.at("cZ")), std::string::npos);
    const auto b_log =
        api_->call("GET", "/api/audit?limit=100&tenant_id=" + world_.tenant_b, tokens_[kAdmin]);
    ASSERT_EQ(b_log.status, 200) << b_log.body;
    EXPECT_NE(b_log.body.find(world_.ids.at("cZ")), std::string::npos);
    EXPECT_EQ(b_log.body.find(world_.ids.at("mA")), std::string::npos);
    // Entries name their actor, so a reader needs no user list to say who.
    EXPECT_NE(
        b_log.body.find(R"("actor_id":")" + world_.ids.at("mB") + R"(","actor_name":"User mB")"),
        std::string::npos)
        << b_log.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, AccessMatrix, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor
