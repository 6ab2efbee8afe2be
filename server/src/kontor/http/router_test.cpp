#include "kontor/http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace kontor::http {
namespace {

// A handler that answers with its own name, so a test can see which route matched.
Handler named(std::string name) {
    return [name](Context&) -> core::Result<Response> {
        return Response::text(200, name, "text/plain");
    };
}

std::string matched_name(const Router& router, Method method, std::string_view path) {
    auto result = router.match(method, path);
    auto* m = std::get_if<RouteMatch>(&result);
    if (m == nullptr) return "<none>";
    Request req;
    Context ctx{req, nullptr};
    return m->route->handler(ctx)->body;
}

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        const Access pub = Access::public_route();
        router.add(Method::kGet, "/", pub, named("root"));
        router.add(Method::kGet, "/api/tickets", pub, named("list"));
        router.add(Method::kPost, "/api/tickets", pub, named("create"));
        router.add(Method::kGet, "/api/tickets/:id", pub, named("get"));
        router.add(Method::kPatch, "/api/tickets/:id", pub, named("patch"));
        router.add(Method::kGet, "/api/tickets/:id/comments/:comment", pub, named("comment"));
        router.add(Method::kGet, "/api/users/:id", pub, named("user"));
        router.add(Method::kDelete, "/api/users/:id", pub, named("delete-user"));
        router.add(Method::kGet, "/api/users/me", pub,
                   named("me"));  // after the param route on purpose
        router.add(Method::kGet, "/x/:a/c", pub, named("param-first"));
        router.add(Method::kGet, "/x/b/:c", pub, named("literal-first"));
        router.add(Method::kHead, "/api/head", pub, named("head"));
        router.add(Method::kGet, "/api/head", pub, named("head-get"));
    }
    Router router;
};

TEST_F(RouterTest, ExtractsParameters) {
    auto result = router.match(Method::kGet, "/api/tickets/42/comments/c-7");
    auto* m = std::get_if<RouteMatch>(&result);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->route->pattern, "/api/tickets/:id/comments/:comment");
    EXPECT_EQ(m->params.at("id"), "42");
    EXPECT_EQ(m->params.at("comment"), "c-7");
}

TEST_F(RouterTest, ParameterValuesAreTakenAsGiven) {
    // The server decodes before matching; the router sees and returns the decoded text.
    auto result = router.match(Method::kGet, "/api/tickets/a b");
    auto* m = std::get_if<RouteMatch>(&result);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->params.at("id"), "a b");
}

TEST_F(RouterTest, TrailingSlashIsNotSignificant) {
    EXPECT_EQ(matched_name(router, Method::kGet, "/api/tickets/"), "list");
    EXPECT_EQ(matched_name(router, Method::kGet, "/api/tickets/42/"), "get");
    EXPECT_EQ(matched_name(router, Method::kGet, "/"), "root");
}

TEST_F(RouterTest, ParameterNeedsOneNonEmptySegment) {
    EXPECT_TRUE(
        std::holds_alternative<NoRoute>(router.match(Method::kGet, "/api/tickets//comments/1")));
    EXPECT_TRUE(std::holds_alternative<NoRoute>(router.match(Method::kGet, "/api/tickets/1/2")));
    EXPECT_TRUE(
        std::holds_alternative<NoRoute>(router.match(Method::kGet, "/api/tickets/1/comments")));
}

TEST_F(RouterTest, UnknownPathIsNoRoute) {
    EXPECT_TRUE(std::holds_alternative<NoRoute>(router.match(Method::kGet, "/api/nothing")));
    EXPECT_TRUE(std::holds_alternative<NoRoute>(router.match(Method::kGet, "/api")));
    EXPECT_TRUE(std::holds_alternative<NoRoute>(router.match(Method::kGet, "/API/tickets")));
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
    auto result = router.match(Method::kDelete, "/api/tickets");
    auto* wrong = std::get_if<WrongMethod>(&result);
    ASSERT_NE(wrong, nullptr);
    EXPECT_EQ(wrong->allowed, (std::vector<Method>{Method::kGet, Method::kHead, Method::kPost}));

    result = router.match(Method::kPost, "/api/tickets/9");
    wrong = std::get_if<WrongMethod>(&result);
    ASSERT_NE(wrong, nullptr);
    EXPECT_EQ(wrong->allowed, (std::vector<Method>{Method::kGet, Method::kHead, Method::kPatch}));
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
    EXPECT_EQ(matched_name(router, Method::kGet, "/api/users/me"), "me");
    EXPECT_EQ(matched_name(router, Method::kGet, "/api/users/u-1"), "user");
    // The first differing segment decides, not the number of literals.
    EXPECT_EQ(matched_name(router, Method::kGet, "/x/b/c"), "literal-first");
    EXPECT_EQ(matched_name(router, Method::kGet, "/x/z/c"), "param-first");
}

TEST_F(RouterTest, LiteralRouteDoesNotHideOtherMethodsOfParameterRoute) {
    EXPECT_EQ(matched_name(router, Method::kDelete, "/api/users/me"), "delete-user");
}

TEST_F(RouterTest, HeadFallsBackToGet) {
    EXPECT_EQ(matched_name(router, Method::kHead, "/api/tickets/1"), "get");
    EXPECT_EQ(matched_name(router, Method::kHead, "/api/head"), "head");
}

TEST(Router, DuplicatesThrow) {
    Router router;
    const Access pub = Access::public_route();
    router.add(Method::kGet, "/api/tickets/:id", pub, named("a"));
    EXPECT_THROW(router.add(Method::kGet, "/api/tickets/:id", pub, named("b")), std::logic_error);
    EXPECT_THROW(router.add(Method::kGet, "/api/tickets/:key", pub, named("b")), std::logic_error);
    EXPECT_THROW(router.add(Method::kGet, "/api/tickets/:id/", pub, named("b")), std::logic_error);
    EXPECT_NO_THROW(router.add(Method::kPut, "/api/tickets/:id", pub, named("c")));
    EXPECT_NO_THROW(router.add(Method::kGet, "/api/tickets/new", pub, named("d")));
    EXPECT_EQ(router.routes().size(), 3U);
}

TEST(Router, MalformedPatternsThrow) {
    Router router;
    const Access pub = Access::public_route();
    for (const char* bad :
         {"api/x", "/api//x", "/api/:", "/api/:id/:id", "/api/:i-d", "/api/*", "/api?x=1"}) {
        EXPECT_THROW(router.add(Method::kGet, bad, pub, named("x")), std::logic_error) << bad;
    }
    EXPECT_THROW(router.add(Method::kGet, "/ok", pub, Handler{}), std::logic_error);
    EXPECT_TRUE(router.routes().empty());
}

TEST(Router, KeepsAccessAndOptions) {
    Router router;
    router.add(Method::kPost, "/api/things", Access::require(identity::Permission::kTicketsWrite),
               named("t"), {.body_limit = 10, .json_body = true, .blocking = false});
    auto result = router.match(Method::kPost, "/api/things");
    auto* m = std::get_if<RouteMatch>(&result);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->route->access.kind, Access::Kind::kPermission);
    EXPECT_EQ(m->route->access.permission, identity::Permission::kTicketsWrite);
    EXPECT_EQ(m->route->options.body_limit, 10U);
    EXPECT_TRUE(m->route->options.json_body);
    EXPECT_FALSE(m->route->options.blocking);
}

}  // namespace
}  // namespace kontor::http
