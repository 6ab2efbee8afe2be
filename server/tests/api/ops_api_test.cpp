// Black-box tests of the running server: operations endpoints, problem documents, request ids,
// security headers, static fallback, graceful shutdown. Each runs on SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <thread>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace kontor {
namespace {

using testing::HttpClient;
using testing::ServerProcess;
using testing::TestDatabase;

class OpsApi : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        db_ = std::make_unique<TestDatabase>(GetParam());
        server_ = std::make_unique<ServerProcess>(*db_);
        client_ = std::make_unique<HttpClient>(server_->port());
    }
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> client_;
};

void expect_problem(const testing::HttpResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    const auto j = r.json();
    EXPECT_EQ(j["status"], status);
    EXPECT_EQ(j["code"], code);
    EXPECT_EQ(j["type"], "https://kontor.dev/problems/" + code);
    EXPECT_TRUE(j["title"].is_string() && !j["title"].get<std::string>().empty());
    EXPECT_TRUE(j["detail"].is_string());
    EXPECT_EQ(j["request_id"], r.header("x-request-id"));
}

TEST_P(OpsApi, HealthzAndReadyz) {
    auto h = client_->get("/healthz");
    EXPECT_EQ(h.status, 200);
    EXPECT_EQ(h.json()["status"], "ok");
    auto r = client_->get("/readyz");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.json()["checks"]["catalog"], "ok");
    EXPECT_EQ(r.json()["checks"]["migrations"]["current"],
              r.json()["checks"]["migrations"]["latest"]);
}

TEST_P(OpsApi, ReadyzIs503WhenTheCatalogIsUnreachable) {
    if (GetParam() != "postgres") GTEST_SKIP() << "needs a database server that can go away";
    ASSERT_EQ(client_->get("/readyz").status, 200);
    db_.reset();  // drops the database under the running server (terminating its connections)
    auto r = client_->get("/readyz");
    expect_problem(r, 503, "unavailable");
    EXPECT_EQ(r.json()["checks"]["catalog"], "unreachable");
    EXPECT_EQ(client_->get("/healthz").status, 200);  // alive, just not ready
}

TEST_P(OpsApi, MetricsCountRequestsByRouteAndStatus) {
    for (int i = 0; i < 3; ++i) ASSERT_EQ(client_->get("/healthz").status, 200);
    ASSERT_EQ(client_->get("/api/nope").status, 404);
    auto m = client_->get("/metrics");
    ASSERT_EQ(m.status, 200);
    EXPECT_NE(m.header("content-type").find("text/plain"), std::string::npos);
    EXPECT_NE(m.body.find(
                  "kontor_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 3"),
              std::string::npos)
        << m.body;
    EXPECT_NE(m.body.find("kontor_http_request_duration_seconds_bucket{"), std::string::npos);
    EXPECT_NE(m.body.find("status=\"404\""), std::string::npos);
    EXPECT_NE(m.body.find("kontor_http_in_flight_requests"), std::string::npos);
    EXPECT_NE(m.body.find("kontor_store_pool_connections{store=\"catalog\",state=\"open\"}"),
              std::string::npos);
    EXPECT_NE(m.body.find("kontor_build_info{"), std::string::npos);
}

TEST_P(OpsApi, UnknownApiPathIsProblem404) {
    expect_problem(client_->get("/api/nope"), 404, "not_found");
}

TEST_P(OpsApi, WrongMethodIs405WithAllow) {
    auto r = client_->request("DELETE", "/healthz");
    expect_problem(r, 405, "method_not_allowed");
    EXPECT_NE(r.header("allow").find("GET"), std::string::npos);
}

TEST_P(OpsApi, OversizedBodyIs413BeforeItIsRead) {
    // 2 MiB against the 1 MiB default limit: answered from Content-Length, body never read.
    auto r = client_->post_json("/api/nope", std::string(2 << 20, 'x'));
    expect_problem(r, 413, "payload_too_large");
}

TEST_P(OpsApi, RequestIdIsEchoedAndLogged) {
    auto given = client_->get("/healthz", {{"X-Request-Id", "test-req-42"}});
    EXPECT_EQ(given.header("x-request-id"), "test-req-42");
    auto generated = client_->get("/healthz");
    EXPECT_EQ(generated.header("x-request-id").size(), 36u);
    auto hostile = client_->get("/healthz", {{"X-Request-Id", "bad id with spaces\"{}"}});
    EXPECT_NE(hostile.header("x-request-id"), "bad id with spaces\"{}");
    EXPECT_TRUE(server_->wait_for_log("\"request_id\":\"test-req-42\"", std::chrono::seconds(5)));
    // The access log line of that request is JSON with the route and status.
    bool found = false;
    for (const auto& line : server_->log_lines()) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_object() && j.value("request_id", "") == "test-req-42" &&
            j.value("msg", "") == "request") {
            EXPECT_EQ(j["status"], 200);
            EXPECT_EQ(j["route"], "/healthz");
            found = true;
        }
    }
    EXPECT_TRUE(found);
}

TEST_P(OpsApi, SecurityHeadersOnEveryResponse) {
    for (const auto& r : {client_->get("/healthz"), client_->get("/api/nope"), client_->get("/")}) {
        EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"),
                  std::string::npos);
        EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
        EXPECT_FALSE(r.header("referrer-policy").empty());
    }
}

TEST_P(OpsApi, NonApiPathsFallBackToTheUi) {
    // No web UI is built in the test data dir: the server answers with its notice page.
    auto r = client_->get("/portal/cases/123");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos);
    EXPECT_NE(r.body.find("Kontor"), std::string::npos);
}

TEST_P(OpsApi, ApiDocumentServedAsJsonAndHtml) {
    auto j = client_->get("/api/openapi.json");
    ASSERT_EQ(j.status, 200);
    EXPECT_EQ(j.json()["openapi"], "3.1.0");
    auto h = client_->get("/api/docs");
    ASSERT_EQ(h.status, 200);
    EXPECT_NE(h.body.find("/readyz"), std::string::npos);
}

TEST_P(OpsApi, KeepAliveReusesTheConnection) {
    for (int i = 0; i < 5; ++i) ASSERT_EQ(client_->get("/healthz").status, 200);
    EXPECT_EQ(client_->connections_opened(), 1);
}

TEST_P(OpsApi, SigtermLetsInFlightRequestsFinish) {
    std::atomic<bool> stop{false};
    std::atomic<int> ok{0}, bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, port = server_->port()] {
            HttpClient c(port);
            while (!stop) {
                try {
                    auto r = c.get("/readyz");
                    (r.status == 200 || r.status == 503 ? ok : bad)++;
                    if (!r.keep_alive) break;  // the server said it is closing
                } catch (const std::exception&) {
                    break;  // refused after shutdown: expected
                }
            }
        });
    }
    while (ok < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(server_->stop(SIGTERM), 0);
    stop = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_TRUE(server_->wait_for_log("\"msg\":\"stopped\"", std::chrono::seconds(1)));
}

INSTANTIATE_TEST_SUITE_P(Backends, OpsApi, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor
