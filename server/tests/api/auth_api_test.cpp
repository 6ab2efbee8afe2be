// Black-box tests of /api/auth against the real server, on SQLite and PostgreSQL: sign-in,
// refresh rotation and reuse detection, logout, cookies and CSRF, throttling, suspension, MFA.
#include <gtest/gtest.h>

#include "kontor/identity/totp.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/world.hpp"

namespace kontor {
namespace {

using nlohmann::json;
using testing::expect_problem;
using testing::HttpClient;
using testing::HttpResponse;
using testing::ServerProcess;
using testing::TestDatabase;

constexpr const char* kAdminEmail = "root@kontor.test";
constexpr const char* kAdminPassword = "platform-root-secret-1";
constexpr const char* kPassword = "a-long-test-password-7";

using Headers = std::vector<std::pair<std::string, std::string>>;

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// The value of one Set-Cookie cookie in a response ("" when absent).
std::string set_cookie(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
        if (k == "set-cookie" && v.starts_with(name + "=")) {
            return v.substr(name.size() + 1, v.find(';') - name.size() - 1);
        }
    }
    return "";
}
std::string set_cookie_line(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == "set-cookie" && v.starts_with(name + "=")) return v;
    return "";
}

class AuthApi : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        db_ = std::make_unique<TestDatabase>(GetParam());
        // A tenant with a manager exists before the server starts (through the command line).
        auto env = testing::kontor_env(*db_);
        env["KONTOR_LOG_LEVEL"] = "warn";
        auto t = testing::run_kontor(
            {"admin", "create-tenant", "--name", "Acme Desk", "--slug", "acme"}, env);
        ASSERT_EQ(t.exit_code, 0) << t.err;
        tenant_id_ = json::parse(t.out)["id"].get<std::string>();
        auto u = testing::run_kontor(
            {"admin", "create-user", "--email", "mia@acme.test", "--name", "Mia", "--role",
             "MANAGER", "--tenant", "acme", "--password-stdin"},
            env, std::string(kPassword) + "\n");
        ASSERT_EQ(u.exit_code, 0) << u.err;
        server_ = std::make_unique<ServerProcess>(
            *db_, std::map<std::string, std::string>{{"KONTOR_ADMIN_EMAIL", kAdminEmail},
                                                     {"KONTOR_ADMIN_PASSWORD", kAdminPassword}});
        client_ = std::make_unique<HttpClient>(server_->port());
    }

    HttpResponse login(const std::string& email, const std::string& password,
                       const std::optional<std::string>& totp = std::nullopt) {
        json body = {{"email", email}, {"password", password}};
        if (totp) body["totp"] = *totp;
        return client_->post_json("/api/auth/login", body.dump());
    }
    std::string token_of(const std::string& email, const std::string& password) {
        auto r = login(email, password);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json().value("access_token", "");
    }

    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
    std::string tenant_id_;
};

TEST_P(AuthApi, LoginAnswersTokensUserAndCookies) {
    auto r = login("MIA@acme.test ", kPassword);  // e-mail is normalised
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = r.json();
    EXPECT_EQ(j["token_type"], "Bearer");
    EXPECT_GT(j["expires_in"].get<int>(), 0);
    EXPECT_LE(j["expires_in"].get<int>(), 1800);
    EXPECT_FALSE(j["refresh_token"].get<std::string>().empty());
    EXPECT_EQ(j["user"]["email"], "mia@acme.test");
    EXPECT_EQ(j["user"]["role"], "MANAGER");
    EXPECT_EQ(j["user"]["tenant_id"], tenant_id_);
    EXPECT_FALSE(j["user"].contains("password_hash"));
    EXPECT_EQ(r.header("cache-control"), "no-store");

    EXPECT_EQ(set_cookie(r, "kontor_access"), j["access_token"]);
    EXPECT_EQ(set_cookie(r, "kontor_refresh"), j["refresh_token"]);
    const auto access = set_cookie_line(r, "kontor_access");
    EXPECT_NE(access.find("HttpOnly"), std::string::npos);
    EXPECT_NE(access.find("SameSite=Lax"), std::string::npos);
    EXPECT_NE(access.find("Secure"), std::string::npos);
    const auto refresh = set_cookie_line(r, "kontor_refresh");
    EXPECT_NE(refresh.find("Path=/api/auth/refresh"), std::string::npos);
    EXPECT_NE(refresh.find("HttpOnly"), std::string::npos);
    const auto csrf = set_cookie_line(r, "kontor_csrf");
    EXPECT_FALSE(set_cookie(r, "kontor_csrf").empty());
    EXPECT_EQ(csrf.find("HttpOnly"), std::string::npos);  // the page must be able to read it
}

TEST_P(AuthApi, WrongPasswordAndUnknownEmailLookTheSame) {
    auto wrong = login("mia@acme.test", "not-the-password-1");
    auto unknown = login("nobody@acme.test", "not-the-password-1");
    expect_problem(wrong, 401, "unauthenticated");
    expect_problem(unknown, 401, "unauthenticated");
    EXPECT_EQ(wrong.json()["detail"], unknown.json()["detail"]);
    EXPECT_EQ(wrong.json()["title"], unknown.json()["title"]);
}

TEST_P(AuthApi, LoginBodyIsValidated) {
    expect_problem(client_->post_json("/api/auth/login", R"({"email": "x@y.z"})"), 422,
                   "validation_failed");
    expect_problem(client_->post_json("/api/auth/login", R"({"email": )"), 400, "malformed_json");
    expect_problem(
        client_->request("POST", "/api/auth/login", "email=x", {{"Content-Type", "text/plain"}}),
        415, "unsupported_media_type");
}

TEST_P(AuthApi, StatusNeedsAValidToken) {
    expect_problem(client_->get("/api/auth/status"), 401, "unauthenticated");
    expect_problem(client_->get("/api/auth/status", bearer("not.a.jwt")), 401, "unauthenticated");
    expect_problem(client_->get("/api/auth/status", {{"Authorization", "Basic abc"}}), 401,
                   "unauthenticated");
    const auto token = token_of("mia@acme.test", kPassword);
    auto r = client_->get("/api/auth/status", bearer(token));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = r.json();
    EXPECT_EQ(j["role"], "MANAGER");
    EXPECT_EQ(j["tenant"]["slug"], "acme");
    EXPECT_TRUE(j["tenant"]["branding"].contains("product_name"));
    const auto& perms = j["permissions"];
    EXPECT_NE(std::find(perms.begin(), perms.end(), "users.manage"), perms.end());
    EXPECT_EQ(std::find(perms.begin(), perms.end(), "tenants.manage"), perms.end());
}

TEST_P(AuthApi, LogoutMakesTheAccessTokenUselessAtOnce) {
    auto r = login("mia@acme.test", kPassword);
    const auto token = r.json()["access_token"].get<std::string>();
    const auto refresh = r.json()["refresh_token"].get<std::string>();
    ASSERT_EQ(client_->get("/api/auth/status", bearer(token)).status, 200);
    auto out = client_->request("POST", "/api/auth/logout", "", bearer(token));
    EXPECT_EQ(out.status, 204) << out.body;
    EXPECT_EQ(set_cookie(out, "kontor_access"), "");  // cleared
    expect_problem(client_->get("/api/auth/status", bearer(token)), 401, "unauthenticated");
    // The sign-in's refresh token is gone as well.
    expect_problem(client_->post_json("/api/auth/refresh", json{{"refresh_token", refresh}}.dump()),
                   401, "unauthenticated");
    // Another sign-in of the same user is unaffected.
    EXPECT_EQ(client_->get("/api/auth/status", bearer(token_of("mia@acme.test", kPassword))).status,
              200);
}

TEST_P(AuthApi, RefreshRotatesAndReuseRevokesTheFamily) {
    auto first = login("mia@acme.test", kPassword).json();
    const auto r0 = first["refresh_token"].get<std::string>();
    auto rotated = client_->post_json("/api/auth/refresh", json{{"refresh_token", r0}}.dump());
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    const auto r1 = rotated.json()["refresh_token"].get<std::string>();
    const auto a1 = rotated.json()["access_token"].get<std::string>();
    EXPECT_NE(r1, r0);
    EXPECT_EQ(client_->get("/api/auth/status", bearer(a1)).status, 200);

    // r0 again: someone kept a copy. The whole family ends — r1 and a1 too.
    auto reuse = client_->post_json("/api/auth/refresh", json{{"refresh_token", r0}}.dump());
    expect_problem(reuse, 401, "unauthenticated");
    expect_problem(client_->post_json("/api/auth/refresh", json{{"refresh_token", r1}}.dump()), 401,
                   "unauthenticated");
    expect_problem(client_->get("/api/auth/status", bearer(a1)), 401, "unauthenticated");
    expect_problem(
        client_->post_json("/api/auth/refresh", json{{"refresh_token", "made-up"}}.dump()), 401,
        "unauthenticated");
}

TEST_P(AuthApi, CookieSessionsNeedTheCsrfTokenForChanges) {
    auto r = login("mia@acme.test", kPassword);
    const auto access = set_cookie(r, "kontor_access");
    const auto refresh = set_cookie(r, "kontor_refresh");
    const auto csrf = set_cookie(r, "kontor_csrf");
    const std::string cookies = "kontor_access=" + access + "; kontor_csrf=" + csrf;
    // Reads work with the cookie alone.
    EXPECT_EQ(client_->get("/api/auth/status", {{"Cookie", cookies}}).status, 200);
    // Changes need the header to repeat the CSRF cookie.
    expect_problem(client_->request("POST", "/api/auth/logout", "", {{"Cookie", cookies}}), 403,
                   "forbidden");
    expect_problem(client_->request("POST", "/api/auth/logout", "",
                                    {{"Cookie", cookies}, {"X-CSRF-Token", "wrong"}}),
                   403, "forbidden");
    // Refresh by cookie: same rule.
    const std::string refresh_cookies = "kontor_refresh=" + refresh + "; kontor_csrf=" + csrf;
    expect_problem(client_->request("POST", "/api/auth/refresh", "", {{"Cookie", refresh_cookies}}),
                   403, "forbidden");
    auto refreshed = client_->request("POST", "/api/auth/refresh", "",
                                      {{"Cookie", refresh_cookies}, {"X-CSRF-Token", csrf}});
    EXPECT_EQ(refreshed.status, 200) << refreshed.body;
    const auto new_access = set_cookie(refreshed, "kontor_access");
    const auto new_csrf = set_cookie(refreshed, "kontor_csrf");
    auto out =
        client_->request("POST", "/api/auth/logout", "",
                         {{"Cookie", "kontor_access=" + new_access + "; kontor_csrf=" + new_csrf},
                          {"X-CSRF-Token", new_csrf}});
    EXPECT_EQ(out.status, 204) << out.body;
}

TEST_P(AuthApi, TwelveFailuresFromOneAddressLockItEvenForTheRightPassword) {
    int first_429 = 0;
    for (int i = 1; i <= 12; ++i) {
        // Different accounts, so only the per-address limit can trip.
        auto r = login("guess" + std::to_string(i) + "@acme.test", "not-the-password-1");
        if (r.status == 429 && first_429 == 0) first_429 = i;
        if (r.status != 429) {
            EXPECT_EQ(r.status, 401) << r.body;
        }
    }
    EXPECT_GT(first_429, 0) << "12 failures in a row never got 429";
    auto locked = login("mia@acme.test", kPassword);
    expect_problem(locked, 429, "rate_limited");
    const auto retry = locked.header("retry-after");
    ASSERT_FALSE(retry.empty());
    EXPECT_GT(std::stoi(retry), 0);
}

TEST_P(AuthApi, RepeatedFailuresLockOneAccount) {
    for (int i = 0; i < 5; ++i) {
        expect_problem(login("mia@acme.test", "wrong-password-1"), 401, "unauthenticated");
    }
    expect_problem(login("mia@acme.test", kPassword), 429, "rate_limited");
    // The audit log records the failures and the lockout.
    const auto admin = token_of(kAdminEmail, kAdminPassword);
    auto log = client_->get("/api/audit?tenant_id=" + tenant_id_ + "&action=auth.", bearer(admin));
    ASSERT_EQ(log.status, 200) << log.body;
    int failed = 0, lockouts = 0;
    const auto entries = log.json()["data"];  // a named copy: the range must outlive the loop
    for (const auto& e : entries) {
        failed += e["action"] == "auth.login_failed";
        lockouts += e["action"] == "auth.lockout";
    }
    EXPECT_EQ(failed, 5) << log.body;
    EXPECT_EQ(lockouts, 1);
}

TEST_P(AuthApi, SuspendedTenantsUsersCannotSignInOrAct) {
    const auto manager = token_of("mia@acme.test", kPassword);
    const auto admin = token_of(kAdminEmail, kAdminPassword);
    auto suspend = client_->request(
        "PUT", "/api/tenants/" + tenant_id_, json{{"status", "suspended"}}.dump(),
        {{"Authorization", "Bearer " + admin}, {"Content-Type", "application/json"}});
    ASSERT_EQ(suspend.status, 200) << suspend.body;
    expect_problem(client_->get("/api/auth/status", bearer(manager)), 403, "tenant_suspended");
    expect_problem(login("mia@acme.test", kPassword), 403, "tenant_suspended");
    // The platform admin is not a tenant user and keeps working.
    EXPECT_EQ(client_->get("/api/auth/status", bearer(admin)).status, 200);
}

TEST_P(AuthApi, MfaEnrolmentThenSignInNeedsTheSecondFactor) {
    const auto token = token_of("mia@acme.test", kPassword);
    auto setup = client_->request("POST", "/api/auth/mfa/setup", "", bearer(token));
    ASSERT_EQ(setup.status, 200) << setup.body;
    const auto secret = setup.json()["secret"].get<std::string>();
    EXPECT_TRUE(setup.json()["otpauth_uri"].get<std::string>().starts_with("otpauth://totp/"));
    EXPECT_TRUE(setup.json()["qr_svg"].get<std::string>().starts_with("<svg"));

    const std::int64_t now_s = std::time(nullptr);
    auto h = bearer(token);
    h.emplace_back("Content-Type", "application/json");
    expect_problem(
        client_->request("POST", "/api/auth/mfa/verify", json{{"code", "000000"}}.dump(), h), 422,
        "validation_failed");
    const auto code = identity::totp::code_at(secret, identity::totp::step_of(now_s));
    auto verified =
        client_->request("POST", "/api/auth/mfa/verify", json{{"code", code}}.dump(), h);
    ASSERT_EQ(verified.status, 200) << verified.body;
    const auto recovery = verified.json()["recovery_codes"];
    ASSERT_EQ(recovery.size(), 10u);

    expect_problem(login("mia@acme.test", kPassword), 401, "mfa_required");
    // The code that enrolled cannot be replayed; a recovery code works once.
    expect_problem(login("mia@acme.test", kPassword, code), 401, "unauthenticated");
    const auto rc = recovery[0].get<std::string>();
    EXPECT_EQ(login("mia@acme.test", kPassword, rc).status, 200);
    expect_problem(login("mia@acme.test", kPassword, rc), 401, "unauthenticated");

    // Removing it needs the password.
    expect_problem(client_->request("DELETE", "/api/auth/mfa",
                                    json{{"password", "wrong-password-1"}}.dump(), h),
                   422, "validation_failed", "/password");
    EXPECT_EQ(
        client_->request("DELETE", "/api/auth/mfa", json{{"password", kPassword}}.dump(), h).status,
        204);
    EXPECT_EQ(login("mia@acme.test", kPassword).status, 200);
}

TEST_P(AuthApi, PasswordChangeEndsOtherSignIns) {
    const auto other = token_of("mia@acme.test", kPassword);
    const auto current = token_of("mia@acme.test", kPassword);
    auto h = bearer(current);
    h.emplace_back("Content-Type", "application/json");
    // A wrong current password is the form's error, not the session's: 422 at the field, and
    // the session goes on.
    expect_problem(client_->request("POST", "/api/auth/password",
                                    json{{"current_password", "not-my-password-1"},
                                         {"new_password", "another-long-passphrase-8"}}
                                        .dump(),
                                    h),
                   422, "validation_failed", "/current_password");
    EXPECT_EQ(client_->get("/api/auth/status", bearer(current)).status, 200);
    expect_problem(
        client_->request(
            "POST", "/api/auth/password",
            json{{"current_password", kPassword}, {"new_password", "mia@acme.test"}}.dump(), h),
        422, "validation_failed");
    auto r = client_->request(
        "POST", "/api/auth/password",
        json{{"current_password", kPassword}, {"new_password", "another-long-passphrase-8"}}.dump(),
        h);
    ASSERT_EQ(r.status, 204) << r.body;
    EXPECT_EQ(client_->get("/api/auth/status", bearer(current)).status, 200);
    expect_problem(client_->get("/api/auth/status", bearer(other)), 401, "unauthenticated");
    expect_problem(login("mia@acme.test", kPassword), 401, "unauthenticated");
    EXPECT_EQ(login("mia@acme.test", "another-long-passphrase-8").status, 200);
}

TEST_P(AuthApi, CorsIsClosedByDefault) {
    auto r = client_->get("/healthz", {{"Origin", "https://evil.example"}});
    EXPECT_EQ(r.header("access-control-allow-origin"), "");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthApi, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor
