#include "kontor/http/message.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "kontor/http/internal.hpp"

namespace kontor::http {
namespace {

TEST(Methods, NamesRoundTrip) {
    for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                     Method::kDelete, Method::kOptions}) {
        EXPECT_EQ(parse_method(method_name(m)), m);
    }
    EXPECT_EQ(parse_method("get"), std::nullopt);
    EXPECT_EQ(parse_method("TRACE"), std::nullopt);
}

TEST(PercentDecode, DecodesAndRejects) {
    EXPECT_EQ(detail::percent_decode("/a%20b/%C3%A4", false), "/a b/\xC3\xA4");
    EXPECT_EQ(detail::percent_decode("a+b", false), "a+b");
    EXPECT_EQ(detail::percent_decode("a+b", true), "a b");
    EXPECT_EQ(detail::percent_decode("%2e%2E", false), "..");
    EXPECT_EQ(detail::percent_decode("%zz", false), std::nullopt);
    EXPECT_EQ(detail::percent_decode("abc%2", false), std::nullopt);
    EXPECT_EQ(detail::percent_decode("abc%", false), std::nullopt);
    EXPECT_EQ(detail::percent_decode("a%00b", false), std::nullopt);
}

TEST(Query, ParsesInOrder) {
    const auto q = detail::parse_query("page=2&q=red+car&flag&empty=&&x=%26%3D");
    ASSERT_TRUE(q.has_value());
    const std::vector<std::pair<std::string, std::string>> want{
        {"page", "2"}, {"q", "red car"}, {"flag", ""}, {"empty", ""}, {"x", "&="}};
    EXPECT_EQ(*q, want);
    EXPECT_FALSE(detail::parse_query("a=%G1").has_value());
}

TEST(RequestId, AcceptsOnlySaneIds) {
    EXPECT_TRUE(detail::is_valid_request_id("abc-123"));
    EXPECT_TRUE(detail::is_valid_request_id("A.b_c:d-9"));
    EXPECT_TRUE(detail::is_valid_request_id(std::string(128, 'x')));
    EXPECT_FALSE(detail::is_valid_request_id(std::string(129, 'x')));
    EXPECT_FALSE(detail::is_valid_request_id(""));
    EXPECT_FALSE(detail::is_valid_request_id("has space"));
    EXPECT_FALSE(detail::is_valid_request_id("line\nbreak"));
    EXPECT_FALSE(detail::is_valid_request_id("quote\""));
}

TEST(MediaType, IgnoresParametersAndCase) {
    EXPECT_EQ(detail::media_type("application/json"), "application/json");
    EXPECT_EQ(detail::media_type(" Application/JSON ; charset=utf-8"), "application/json");
    EXPECT_EQ(detail::media_type("text/plain"), "text/plain");
    EXPECT_EQ(detail::media_type(""), "");
}

TEST(Request, Accessors) {
    Request req;
    req.headers = {{"content-type", "application/json"}, {"x-a", "1"}};
    req.query = {{"page", "3"}};
    req.params = {{"id", "42"}};
    EXPECT_EQ(req.header("x-a"), "1");
    EXPECT_EQ(req.header("x-b"), std::nullopt);
    EXPECT_EQ(req.query_param("page"), "3");
    EXPECT_EQ(req.query_param("limit"), std::nullopt);
    EXPECT_EQ(req.param("id"), "42");
    EXPECT_THROW(req.param("nope"), std::out_of_range);
}

TEST(Response, SetReplacesCaseInsensitively) {
    Response res = Response::json(201, {{"a", 1}});
    EXPECT_EQ(res.status, 201);
    EXPECT_EQ(res.body, R"({"a":1})");
    EXPECT_EQ(res.header("CONTENT-TYPE"), "application/json");
    res.set("content-type", "application/vnd.x+json");
    EXPECT_EQ(res.headers.size(), 1U);
    EXPECT_EQ(res.header("Content-Type"), "application/vnd.x+json");
    EXPECT_EQ(Response::no_content().status, 204);
    const Response text = Response::text(200, "hi", "text/plain");
    EXPECT_EQ(text.body, "hi");
    EXPECT_EQ(text.header("content-type"), "text/plain");
}

TEST(StandardHeaders, AddedWithoutOverridingHandlerValues) {
    Response res = Response::text(200, "<html>", "text/html");
    res.set("Content-Security-Policy", "default-src 'none'");
    detail::add_standard_headers(res, "/api/docs", "rid");
    EXPECT_EQ(res.header("content-security-policy"), "default-src 'none'");
    EXPECT_EQ(res.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(res.header("referrer-policy"), "strict-origin-when-cross-origin");
    EXPECT_EQ(res.header("x-frame-options"), "DENY");
    EXPECT_EQ(res.header("cross-origin-opener-policy"), "same-origin");
    EXPECT_EQ(res.header("cache-control"), "no-store");
    EXPECT_EQ(res.header("x-request-id"), "rid");
    int csp = 0;
    for (const auto& [name, value] : res.headers)
        csp += detail::iequals(name, "content-security-policy");
    EXPECT_EQ(csp, 1);

    Response page = Response::text(200, "x", "text/html");
    detail::add_standard_headers(page, "/tickets", "rid");
    EXPECT_EQ(page.header("cache-control"), std::nullopt);  // not an API answer
    EXPECT_NE(page.header("content-security-policy")->find("frame-ancestors 'none'"),
              std::string_view::npos);
}

}  // namespace
}  // namespace kontor::http
