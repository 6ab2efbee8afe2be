#pragma once
// A small multi-tenant world built through the public API, for black-box tests of who sees what.
//
//   tenant A ("alpha")                              tenant B ("beta")
//     MANAGER mA, EXPERTs eA and eA2                  MANAGER mB, EXPERT eB
//     organisation X: CUSTOMER_ADMIN caX,             organisation Z: CLIENT cZ,
//       CLIENTs cX and cX2, invited iX                  invited iZ
//     organisation Y: CLIENT cY, invited iY
//
// Everything is created by the platform administrator over HTTP (POST /api/tenants,
// /api/customers, /api/users), so building the world exercises those routes as well. Setup
// failures throw with the server's answer in the message.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace kontor::testing {

// Requests with a bearer token and JSON bodies, and sign-in.
class Api {
public:
    explicit Api(HttpClient& client) : client_(client) {}

    // token "" sends no Authorization header; a non-empty body is sent as application/json.
    HttpResponse call(const std::string& method, const std::string& target,
                      const std::string& token, const std::string& body = "");
    // POST/PUT that must answer `status`; returns the JSON body, throws otherwise.
    nlohmann::json must(const std::string& method, const std::string& target,
                        const std::string& token, const nlohmann::json& body, int status);
    // The access token of a sign-in that must succeed.
    std::string login(const std::string& email, const std::string& password);

    HttpClient& client() { return client_; }

private:
    HttpClient& client_;
};

struct World {
    static constexpr const char* kPassword = "a-long-test-password-7";

    std::string admin_token;
    std::string tenant_a, tenant_b;             // tenant ids
    std::string org_x, org_y, org_z;            // customer organisation ids
    std::map<std::string, std::string> ids;     // "mA" → user id
    std::map<std::string, std::string> emails;  // "mA" → e-mail

    // Builds the world above; admin_token belongs to a platform ADMIN.
    static World build(Api& api, const std::string& admin_token);

    // A new CLIENT of organisation "X", "Y" or "Z" (with a password); returns its id.
    std::string new_client(Api& api, const std::string& org);
    std::string org(const std::string& name) const;            // "X" → org_x
    std::string tenant_of_org(const std::string& name) const;  // "X" → tenant_a

private:
    int counter_ = 0;
};

// A refusal: the status, a problem+json body with this code and, when given, an error that
// names `field`.
void expect_problem(const HttpResponse& r, int status, const std::string& code,
                    const std::string& field = "");

// The fixture of the world-based API suites, parameterized over the engines: a fresh database,
// `kontor serve` with a bootstrapped platform ADMIN, a client, and the world built by that ADMIN.
class WorldTest : public ::testing::TestWithParam<std::string> {
protected:
    static constexpr const char* kAdminEmail = "root@kontor.test";
    static constexpr const char* kAdminPassword = "platform-root-secret-1";

    // Derived fixtures call this first and return when IsSkipped() or HasFatalFailure().
    void SetUp() override;

    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
    std::unique_ptr<Api> api_;
    World world_;
};

}  // namespace kontor::testing
