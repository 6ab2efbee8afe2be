#include "kontor/http/metrics.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace kontor::http {
namespace {

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        if (l == line) return true;
    }
    return false;
}

TEST(Metrics, CountsRequestsByMethodRouteAndStatus) {
    Metrics m("1.2.3", "abc");
    m.observe("GET", "/api/tickets", 200, 0.001);
    m.observe("GET", "/api/tickets", 200, 0.002);
    m.observe("GET", "/api/tickets", 404, 0.002);
    const std::string text = m.render();
    EXPECT_TRUE(has_line(text, "# TYPE kontor_http_requests_total counter")) << text;
    EXPECT_TRUE(has_line(
        text, R"(kontor_http_requests_total{method="GET",route="/api/tickets",status="200"} 2)"))
        << text;
    EXPECT_TRUE(has_line(
        text, R"(kontor_http_requests_total{method="GET",route="/api/tickets",status="404"} 1)"))
        << text;
}

TEST(Metrics, HistogramBucketsAreCumulativePerRouteAndStatus) {
    Metrics m("v", "c");
    m.observe("POST", "/api/x", 201, 0.003);  // ≤ 0.005
    m.observe("POST", "/api/x", 201, 0.02);   // ≤ 0.025
    m.observe("POST", "/api/x", 500, 0.2);    // other status: its own series
    m.observe("POST", "/api/x", 201, 20.0);   // only +Inf
    m.observe("POST", "/api/x", 201, 0.005);  // a value on a bound belongs to that bucket
    const std::string text = m.render();
    const std::string p =
        R"(kontor_http_request_duration_seconds_bucket{method="POST",route="/api/x",status="201",le=")";
    EXPECT_TRUE(has_line(text, "# TYPE kontor_http_request_duration_seconds histogram")) << text;
    EXPECT_TRUE(has_line(text, p + R"(0.005"} 2)")) << text;
    EXPECT_TRUE(has_line(text, p + R"(0.01"} 2)")) << text;
    EXPECT_TRUE(has_line(text, p + R"(0.025"} 3)")) << text;
    EXPECT_TRUE(has_line(text, p + R"(0.25"} 3)")) << text;
    EXPECT_TRUE(has_line(text, p + R"(10"} 3)")) << text;
    EXPECT_TRUE(has_line(text, p + R"(+Inf"} 4)")) << text;
    const std::string p500 =
        R"(kontor_http_request_duration_seconds_bucket{method="POST",route="/api/x",status="500",le=")";
    EXPECT_TRUE(has_line(text, p500 + R"(0.1"} 0)")) << text;
    EXPECT_TRUE(has_line(text, p500 + R"(0.25"} 1)")) << text;
    EXPECT_TRUE(has_line(
        text,
        R"(kontor_http_request_duration_seconds_count{method="POST",route="/api/x",status="201"} 4)"))
        << text;
    const std::string sum_prefix =
        R"(kontor_http_request_duration_seconds_sum{method="POST",route="/api/x",status="201"} )";
    const std::size_t at = text.find(sum_prefix);
    ASSERT_NE(at, std::string::npos) << text;
    EXPECT_NEAR(std::stod(text.substr(at + sum_prefix.size())), 20.028, 1e-9);
}

TEST(Metrics, EscapesLabelValues) {
    Metrics m("1.0 \"beta\"", "a\\b\nc");
    m.observe("GET", "/we\"ird\\path\nx", 200, 0.01);
    const std::string text = m.render();
    EXPECT_NE(text.find(R"(route="/we\"ird\\path\nx")"), std::string::npos) << text;
    EXPECT_TRUE(has_line(text, R"(kontor_build_info{version="1.0 \"beta\"",commit="a\\b\nc"} 1)"))
        << text;
}

TEST(Metrics, InFlightBuildInfoAndCollectors) {
    Metrics m("0.1.0", "deadbeef");
    m.add_in_flight(1);
    m.add_in_flight(1);
    m.add_in_flight(-1);
    m.add_collector(
        [] { return std::string("# TYPE kontor_pool_size gauge\nkontor_pool_size 4"); });
    const std::string text = m.render();
    EXPECT_TRUE(has_line(text, "# TYPE kontor_http_in_flight_requests gauge")) << text;
    EXPECT_TRUE(has_line(text, "kontor_http_in_flight_requests 1")) << text;
    EXPECT_TRUE(has_line(text, R"(kontor_build_info{version="0.1.0",commit="deadbeef"} 1)"))
        << text;
    EXPECT_TRUE(has_line(text, "kontor_pool_size 4")) << text;
    EXPECT_EQ(text.back(), '\n');
    // Every family has HELP and TYPE.
    for (const char* family : {"kontor_http_requests_total", "kontor_http_request_duration_seconds",
                               "kontor_http_in_flight_requests", "kontor_build_info"}) {
        EXPECT_NE(text.find(std::string("# HELP ") + family + " "), std::string::npos) << family;
    }
}

}  // namespace
}  // namespace kontor::http
