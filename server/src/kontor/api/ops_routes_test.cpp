#include <gtest/gtest.h>

#include "kontor/api/routes.hpp"

namespace kontor::api {
namespace {

http::Response call(const http::Router& router, std::string_view path) {
    auto match = std::get<http::RouteMatch>(router.match(http::Method::kGet, path));
    http::Request req;
    req.path = std::string(path);
    req.request_id = "rid-1";
    http::Context ctx{req, nullptr};
    return *match.route->handler(ctx);
}

TEST(Readyz, ReadyOnlyWhenCatalogAnswersAtTheExpectedVersion) {
    http::Metrics metrics("v", "c");
    Readiness state{true, 1, 1};
    Services services{metrics, OpenApi::load(), [&state] { return state; }};
    http::Router router;
    register_routes(router, services);

    auto ok = call(router, "/readyz");
    EXPECT_EQ(ok.status, 200);

    state = {true, 1, 2};  // a newer binary whose migrations have not run yet
    auto behind = call(router, "/readyz");
    EXPECT_EQ(behind.status, 503);
    const auto body = nlohmann::json::parse(behind.body);
    EXPECT_EQ(body["code"], "unavailable");
    EXPECT_EQ(body["request_id"], "rid-1");
    EXPECT_EQ(body["checks"]["migrations"]["latest"], 2);

    state = {false, 0, 0};
    auto down = call(router, "/readyz");
    EXPECT_EQ(down.status, 503);
    EXPECT_EQ(nlohmann::json::parse(down.body)["checks"]["catalog"], "unreachable");
}

}  // namespace
}  // namespace kontor::api
