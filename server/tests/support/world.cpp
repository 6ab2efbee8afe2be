#include "support/world.hpp"

#include <stdexcept>

namespace kontor::testing {

using nlohmann::json;

HttpResponse Api::call(const std::string& method, const std::string& target,
                       const std::string& token, const std::string& body) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return client_.request(method, target, body, headers);
}

json Api::must(const std::string& method, const std::string& target, const std::string& token,
               const json& body, int status) {
    auto r = call(method, target, token, body.is_null() ? "" : body.dump());
    if (r.status != status)
        throw std::runtime_error(method + " " + target + " answered " + std::to_string(r.status) +
                                 ", expected " + std::to_string(status) + ": " + r.body);
    return r.body.empty() ? json() : r.json();
}

std::string Api::login(const std::string& email, const std::string& password) {
    return must("POST", "/api/auth/login", "", json{{"email", email}, {"password", password}}, 200)
        .at("access_token")
        .get<std::string>();
}

World World::build(Api& api, const std::string& admin_token) {
    World w;
    w.admin_token = admin_token;
    const auto tenant = [&](const char* name, const char* slug) {
        return api.must("POST", "/api/tenants", admin_token, {{"name", name}, {"slug", slug}}, 201)
            .at("id")
            .get<std::string>();
    };
    w.tenant_a = tenant("Alpha Desk", "alpha");
    w.tenant_b = tenant("Beta Desk", "beta");
    const auto org = [&](const std::string& tenant_id, const char* name) {
        return api
            .must("POST", "/api/customers?tenant_id=" + tenant_id, admin_token,
                  {{"name", name}, {"notes", "internal note about " + std::string(name)}}, 201)
            .at("id")
            .get<std::string>();
    };
    w.org_x = org(w.tenant_a, "Xylo Labs");
    w.org_y = org(w.tenant_a, "Yarrow Farms");
    w.org_z = org(w.tenant_b, "Zephyr Air");

    struct Spec {
        const char* key;
        const char* role;
        const char* org;  // "" for staff
        bool tenant_b;
        bool invited;  // no password: an invite is issued
    };
    const Spec specs[] = {
        {"mA", "MANAGER", "", false, false}, {"eA", "EXPERT", "", false, false},
        {"eA2", "EXPERT", "", false, false}, {"caX", "CUSTOMER_ADMIN", "X", false, false},
        {"cX", "CLIENT", "X", false, false}, {"cX2", "CLIENT", "X", false, false},
        {"iX", "CLIENT", "X", false, true},  {"cY", "CLIENT", "Y", false, false},
        {"iY", "CLIENT", "Y", false, true},  {"mB", "MANAGER", "", true, false},
        {"eB", "EXPERT", "", true, false},   {"cZ", "CLIENT", "Z", true, false},
        {"iZ", "CLIENT", "Z", true, true},
    };
    for (const auto& s : specs) {
        std::string email = s.key;
        for (auto& ch : email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        email += s.tenant_b ? "@beta.test" : "@alpha.test";
        json body = {{"email", email},
                     {"name", std::string("User ") + s.key},
                     {"role", s.role},
                     {"tenant_id", s.tenant_b ? w.tenant_b : w.tenant_a}};
        if (*s.org) body["customer_id"] = w.org(s.org);
        if (!s.invited) body["password"] = kPassword;
        w.ids[s.key] = api.must("POST", "/api/users", admin_token, body, 201).at("id");
        w.emails[s.key] = email;
    }
    return w;
}

std::string World::org(const std::string& name) const {
    if (name == "X") return org_x;
    if (name == "Y") return org_y;
    if (name == "Z") return org_z;
    throw std::invalid_argument("no organisation " + name);
}

std::string World::tenant_of_org(const std::string& name) const {
    return name == "Z" ? tenant_b : tenant_a;
}

std::string World::new_client(Api& api, const std::string& org_name) {
    const std::string email =
        "extra" + std::to_string(++counter_) + "@" + (org_name == "Z" ? "beta" : "alpha") + ".test";
    return api
        .must("POST", "/api/users", admin_token,
              {{"email", email},
               {"name", "Extra " + std::to_string(counter_)},
               {"role", "CLIENT"},
               {"tenant_id", tenant_of_org(org_name)},
               {"customer_id", org(org_name)},
               {"password", kPassword}},
              201)
        .at("id")
        .get<std::string>();
}

void expect_problem(const HttpResponse& r, int status, const std::string& code,
                    const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    ASSERT_EQ(r.header("content-type"), "application/problem+json") << r.body;
    const json body = r.json();
    EXPECT_EQ(body["code"], code) << r.body;
    if (!field.empty()) {
        bool named = false;
        for (const auto& e : body.value("errors", json::array())) named |= e["field"] == field;
        EXPECT_TRUE(named) << "no error for " << field << ": " << r.body;
    }
}

void WorldTest::SetUp() {
    KONTOR_REQUIRE_BACKEND(GetParam());
    db_ = std::make_unique<TestDatabase>(GetParam());
    server_ = std::make_unique<ServerProcess>(
        *db_, std::map<std::string, std::string>{{"KONTOR_ADMIN_EMAIL", kAdminEmail},
                                                 {"KONTOR_ADMIN_PASSWORD", kAdminPassword}});
    client_ = std::make_unique<HttpClient>(server_->port());
    api_ = std::make_unique<Api>(*client_);
    world_ = World::build(*api_, api_->login(kAdminEmail, kAdminPassword));
}

}  // namespace kontor::testing
