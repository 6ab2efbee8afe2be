// The handler helpers (support.hpp) on hand-built requests.
#include "kontor/api/support.hpp"

#include <gtest/gtest.h>

#include "support/test_env.hpp"

namespace kontor::api {
namespace {

http::Request make_request(std::string path,
                           std::vector<std::pair<std::string, std::string>> query = {}) {
    http::Request r;
    r.path = std::move(path);
    r.query = std::move(query);
    r.request_id = "rid-test";
    return r;
}

http::Request with_header(std::string name, std::string value) {
    http::Request r = make_request("/api/things/1");
    r.headers.emplace_back(std::move(name), std::move(value));
    return r;
}

core::PageRequest page_of(const http::Request& r) {
    auto p = page_request(r);
    EXPECT_TRUE(p.has_value()) << p.error().detail;
    return p.value_or(core::PageRequest{});
}

// ---- page_request -----------------------------------------------------------------------------

TEST(PageRequest, DefaultsWithoutParameters) {
    const auto p = page_of(make_request("/api/customers"));
    EXPECT_EQ(p.page, 1);
    EXPECT_EQ(p.limit, 25);
    EXPECT_EQ(p.offset(), 0);
}

TEST(PageRequest, AcceptsTheBounds) {
    auto p = page_of(make_request("/x", {{"page", "1"}, {"limit", "1"}}));
    EXPECT_EQ(p.page, 1);
    EXPECT_EQ(p.limit, 1);
    p = page_of(make_request("/x", {{"page", "1000000"}, {"limit", "100"}}));
    EXPECT_EQ(p.page, 1'000'000);
    EXPECT_EQ(p.limit, core::PageRequest::kMaxLimit);
    p = page_of(make_request("/x", {{"page", "3"}, {"limit", "20"}}));
    EXPECT_EQ(p.offset(), 40);
}

TEST(PageRequest, RejectsValuesOutOfRangeNamingTheParameter) {
    const std::vector<std::pair<std::string, std::string>> bad_pages = {
        {"page", "0"},       {"page", "-1"},
        {"page", "1000001"}, {"page", "two"},
        {"page", "2x"},      {"page", ""},
        {"page", "1.5"},     {"page", "+2"},
        {"page", " 2"},      {"page", "99999999999999999999"}};
    for (const auto& kv : bad_pages) {
        SCOPED_TRACE(kv.second);
        auto r = page_request(make_request("/x", {kv}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        ASSERT_EQ(r.error().fields.size(), 1u);
        EXPECT_EQ(r.error().fields[0].field, "/query/page");
    }
    for (const char* limit : {"0", "101", "-5", "ten", "", "25 "}) {
        SCOPED_TRACE(limit);
        auto r = page_request(make_request("/x", {{"limit", limit}}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
        ASSERT_EQ(r.error().fields.size(), 1u);
        EXPECT_EQ(r.error().fields[0].field, "/query/limit");
    }
}

// ---- page_body --------------------------------------------------------------------------------

TEST(PageBody, MetaCountsPages) {
    const auto req = make_request("/api/customers");
    auto body = page_body(nlohmann::json::array({1, 2, 3}), {.page = 1, .limit = 3}, 7, req);
    EXPECT_EQ(body["data"], nlohmann::json::array({1, 2, 3}));
    EXPECT_EQ(body["meta"]["page"], 1);
    EXPECT_EQ(body["meta"]["limit"], 3);
    EXPECT_EQ(body["meta"]["total"], 7);
    EXPECT_EQ(body["meta"]["total_pages"], 3);

    body = page_body(nlohmann::json::array(), {.page = 1, .limit = 3}, 6, req);
    EXPECT_EQ(body["meta"]["total_pages"], 2);  // exact multiple
    body = page_body(nlohmann::json::array(), {.page = 1, .limit = 25}, 1, req);
    EXPECT_EQ(body["meta"]["total_pages"], 1);
}

TEST(PageBody, EmptyListHasNoNeighbours) {
    const auto req = make_request("/api/customers");
    const auto body = page_body(nlohmann::json::array(), {.page = 1, .limit = 25}, 0, req);
    EXPECT_EQ(body["data"], nlohmann::json::array());
    EXPECT_EQ(body["meta"]["total"], 0);
    EXPECT_EQ(body["meta"]["total_pages"], 0);
    EXPECT_EQ(body["links"]["self"], "/api/customers?page=1&limit=25");
    EXPECT_TRUE(body["links"]["next"].is_null());
    EXPECT_TRUE(body["links"]["prev"].is_null());
}

TEST(PageBody, LinksPointAtNeighboursAndAreNullAtTheEnds) {
    const auto req = make_request("/api/customers", {{"page", "1"}, {"limit", "3"}});
    auto first = page_body(nlohmann::json::array(), {.page = 1, .limit = 3}, 7, req);
    EXPECT_EQ(first["links"]["self"], "/api/customers?page=1&limit=3");
    EXPECT_EQ(first["links"]["next"], "/api/customers?page=2&limit=3");
    EXPECT_TRUE(first["links"]["prev"].is_null());

    auto middle = page_body(nlohmann::json::array(), {.page = 2, .limit = 3}, 7, req);
    EXPECT_EQ(middle["links"]["self"], "/api/customers?page=2&limit=3");
    EXPECT_EQ(middle["links"]["next"], "/api/customers?page=3&limit=3");
    EXPECT_EQ(middle["links"]["prev"], "/api/customers?page=1&limit=3");

    auto last = page_body(nlohmann::json::array(), {.page = 3, .limit = 3}, 7, req);
    EXPECT_TRUE(last["links"]["next"].is_null());
    EXPECT_EQ(last["links"]["prev"], "/api/customers?page=2&limit=3");

    // Past the end: no next, and prev still leads back.
    auto beyond = page_body(nlohmann::json::array(), {.page = 9, .limit = 3}, 7, req);
    EXPECT_TRUE(beyond["links"]["next"].is_null());
    EXPECT_EQ(beyond["links"]["prev"], "/api/customers?page=8&limit=3");
}

TEST(PageBody, LinksKeepOtherQueryParametersEncoded) {
    const auto req = make_request("/api/customers", {{"search", "a b&c=d/é"},
                                                     {"page", "2"},
                                                     {"sort", "created_at"},
                                                     {"limit", "2"},
                                                     {"order", "desc"}});
    const auto body = page_body(nlohmann::json::array(), {.page = 2, .limit = 2}, 5, req);
    const std::string kept = "search=a%20b%26c%3Dd%2F%C3%A9&sort=created_at&order=desc&";
    EXPECT_EQ(body["links"]["self"], "/api/customers?" + kept + "page=2&limit=2");
    EXPECT_EQ(body["links"]["next"], "/api/customers?" + kept + "page=3&limit=2");
    EXPECT_EQ(body["links"]["prev"], "/api/customers?" + kept + "page=1&limit=2");
}

// ---- If-Match and ETag ------------------------------------------------------------------------

TEST(IfMatch, AbsentOrAnyMeansNoCondition) {
    auto none = if_match(make_request("/x"));
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    auto any = if_match(with_header("if-match", "*"));
    ASSERT_TRUE(any);
    EXPECT_FALSE(*any);
}

TEST(IfMatch, ReadsTheVersionOfAnIssuedEtag) {
    auto v = if_match(with_header("if-match", "\"3\""));
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, 3);
    // "0" is what an SLA policy scope without a stored policy issues ("create only").
    for (std::int64_t n :
         {std::int64_t{0}, std::int64_t{1}, std::int64_t{42}, std::int64_t{9'000'000'000}}) {
        auto round_trip = if_match(with_header("if-match", etag(n)));
        ASSERT_TRUE(round_trip);
        EXPECT_EQ(*round_trip, n);
    }
    EXPECT_EQ(etag(7), "\"7\"");
}

TEST(IfMatch, RejectsWhatThisServerNeverIssued) {
    for (const char* value :
         {"3", "W/\"3\"", "\"-1\"", "\"abc\"", "\"\"", "\"", "\"3\", \"4\"", "\"3 \"", ""}) {
        SCOPED_TRACE(value);
        auto r = if_match(with_header("if-match", value));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kBadRequest);
    }
}

// ---- Range
// ----------------------------------------------------------------------------------------

TEST(ByteRange, OneRangeOfTheFile) {
    const auto r = [](const char* h, std::uint64_t size) { return byte_range(h, size); };
    EXPECT_FALSE(*byte_range(std::nullopt, 100));
    EXPECT_EQ((*r("bytes=0-9", 100))->length, 10u);
    EXPECT_EQ((*r("bytes=90-", 100))->offset, 90u);
    EXPECT_EQ((*r("bytes=90-", 100))->length, 10u);
    EXPECT_EQ((*r("bytes=95-200", 100))->length, 5u);  // clipped to the end
    EXPECT_EQ((*r("bytes=-10", 100))->offset, 90u);
    EXPECT_EQ((*r("bytes=-500", 100))->offset, 0u);
    EXPECT_EQ((*r("bytes=-500", 100))->length, 100u);
    for (const char* ignored :
         {"items=0-1", "bytes=0-1,5-6", "bytes=5-1", "bytes=a-b", "bytes=", "bytes=-", "bytes=1"}) {
        auto v = r(ignored, 100);
        ASSERT_TRUE(v) << ignored;
        EXPECT_FALSE(*v) << ignored;  // the whole file
    }
    for (const char* bad : {"bytes=100-", "bytes=100-200", "bytes=-0"}) {
        auto v = r(bad, 100);
        ASSERT_FALSE(v) << bad;
        EXPECT_EQ(v.error().code, core::ErrorCode::kRangeNotSatisfiable);
    }
    EXPECT_FALSE(r("bytes=0-", 0));  // nothing to send from an empty file
}

// ---- JSON body fields -------------------------------------------------------------------------

TEST(BodyFields, NullableStringTellsAbsentFromNull) {
    const auto body = nlohmann::json::parse(R"({"a": "x", "b": null, "c": ""})");
    EXPECT_FALSE(nullable_string(body, "missing"));
    const auto b = nullable_string(body, "b");
    ASSERT_TRUE(b);
    EXPECT_FALSE(*b);
    const auto a = nullable_string(body, "a");
    ASSERT_TRUE(a && *a);
    EXPECT_EQ(**a, "x");
    const auto c = nullable_string(body, "c");
    ASSERT_TRUE(c && *c);
    EXPECT_EQ(**c, "");
}

TEST(BodyFields, OptionalAndNullableIntegers) {
    const auto body = nlohmann::json::parse(R"({"n": 5, "z": null, "s": "5", "big": 9000000000})");
    EXPECT_EQ(opt_int(body, "n"), 5);
    EXPECT_FALSE(opt_int(body, "s"));  // not an integer
    EXPECT_FALSE(opt_int(body, "missing"));
    EXPECT_EQ(opt_int(body, "big"), 9'000'000'000);
    EXPECT_FALSE(nullable_int(body, "missing"));
    ASSERT_TRUE(nullable_int(body, "z"));
    EXPECT_FALSE(*nullable_int(body, "z"));
    const auto n = nullable_int(body, "n");
    ASSERT_TRUE(n && *n);
    EXPECT_EQ(**n, 5);
}

TEST(BodyFields, OptStringIgnoresOtherTypes) {
    const auto body = nlohmann::json::parse(R"({"s": "v", "n": 1, "z": null})");
    EXPECT_EQ(opt_string(body, "s"), "v");
    EXPECT_FALSE(opt_string(body, "n"));
    EXPECT_FALSE(opt_string(body, "z"));
    EXPECT_FALSE(opt_string(body, "missing"));
}

// ---- id_param ---------------------------------------------------------------------------------

TEST(IdParam, NonUuidIsNotFound) {
    auto req = make_request("/api/customers/x");
    const std::string id = core::new_uuid_v7();
    req.params["id"] = id;
    EXPECT_EQ(id_param(req, "id", "customer"), id);
    for (const char* bad : {"x", "1", "", "0190F3A0-0000-7000-8000-000000000001"}) {
        SCOPED_TRACE(bad);
        req.params["id"] = bad;
        auto r = id_param(req, "id", "customer");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
        EXPECT_NE(r.error().detail.find("customer"), std::string::npos);
    }
}

// ---- acting_tenant ----------------------------------------------------------------------------

class ActingTenant : public ::testing::Test {
protected:
    void SetUp() override {
        stores_ = std::make_unique<db::StoreManager>(db_.store_config());
        tenants_ = std::make_unique<tenancy::TenantService>(*stores_);
        stores_->set_location_resolver(
            [this](const core::TenantId& id) { return tenants_->location(id); });
        stores_->migrate_catalog();
        auto t = tenants_->create({.name = "Acme MSP", .slug = std::nullopt});
        ASSERT_TRUE(t) << t.error().detail;
        tenant_ = t->id;
    }

    core::Result<core::TenantId> act(const identity::Actor& actor,
                                     std::vector<std::pair<std::string, std::string>> query) {
        auto req = make_request("/api/customers", std::move(query));
        http::Context ctx{req, &actor};
        return acting_tenant(ctx, *tenants_);
    }

    static identity::Actor actor_in(core::TenantId tenant, identity::Role role) {
        identity::Actor a;
        a.tenant = std::move(tenant);
        a.role = role;
        a.permissions = identity::permissions_of(role);
        return a;
    }

    testing::TestDatabase db_{"sqlite"};
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    core::TenantId tenant_;
};

TEST_F(ActingTenant, TenantUsersActInTheirOwnTenant) {
    const auto manager = actor_in(tenant_, identity::Role::kManager);
    EXPECT_EQ(act(manager, {}), tenant_);
    EXPECT_EQ(act(manager, {{"tenant_id", tenant_.str()}}), tenant_);
    // Naming another tenant, even one that exists, finds nothing.
    auto other = tenants_->create({.name = "Other MSP", .slug = std::nullopt});
    ASSERT_TRUE(other);
    auto r = act(manager, {{"tenant_id", other->id.str()}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
}

TEST_F(ActingTenant, PlatformAdminNamesAnExistingTenant) {
    const auto admin = actor_in(core::TenantId{}, identity::Role::kAdmin);
    EXPECT_EQ(act(admin, {{"tenant_id", tenant_.str()}}), tenant_);

    auto missing = act(admin, {});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::kValidation);
    ASSERT_EQ(missing.error().fields.size(), 1u);
    EXPECT_EQ(missing.error().fields[0].field, "/query/tenant_id");

    for (const std::string& bad : {core::new_uuid_v7(), std::string("acme-msp"), std::string("")}) {
        SCOPED_TRACE(bad);
        auto r = act(admin, {{"tenant_id", bad}});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
    }
}

}  // namespace
}  // namespace kontor::api
