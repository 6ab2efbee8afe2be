#include "kontor/api/openapi.hpp"

#include <gtest/gtest.h>

#include <set>

namespace kontor::api {
namespace {

TEST(YamlToJson, ScalarTypes) {
    const auto j =
        yaml_to_json("a: 1\nb: -2.5\nc: true\nd: null\ne: '1'\nf: \"true\"\ng: text\nh: [x, 2]\n");
    EXPECT_EQ(j["a"], 1);
    EXPECT_EQ(j["b"], -2.5);
    EXPECT_EQ(j["c"], true);
    EXPECT_TRUE(j["d"].is_null());
    EXPECT_EQ(j["e"], "1");
    EXPECT_EQ(j["f"], "true");
    EXPECT_EQ(j["g"], "text");
    EXPECT_EQ(j["h"], nlohmann::json::array({"x", 2}));
}

constexpr std::string_view kDoc = R"(
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /things/{id}:
    put:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses: {"200": {description: ok}}
    get:
      responses: {"200": {description: ok}}
components:
  schemas:
    Thing:
      type: object
      required: [name]
      additionalProperties: false
      properties:
        name: {type: string, minLength: 1, maxLength: 5}
        size: {type: integer, minimum: 0}
)";

TEST(OpenApi, OperationsUseRouterPatterns) {
    auto api = OpenApi::from_yaml(kDoc);
    auto ops = api->operations();
    ASSERT_EQ(ops.size(), 2u);
    EXPECT_EQ(ops[0].second, "/things/:id");
}

TEST(OpenApi, ValidatesBodiesAgainstReferencedSchemas) {
    auto api = OpenApi::from_yaml(kDoc);
    EXPECT_TRUE(api->validate(http::Method::kPut, "/things/:id", {{"name", "abc"}}).empty());
    auto missing = api->validate(http::Method::kPut, "/things/:id", nlohmann::json::object());
    ASSERT_FALSE(missing.empty());
    auto bad =
        api->validate(http::Method::kPut, "/things/:id", {{"name", "too long"}, {"size", -1}});
    ASSERT_EQ(bad.size(), 2u);
    std::set<std::string> fields{bad[0].field, bad[1].field};
    EXPECT_TRUE(fields.count("/name")) << bad[0].field << " " << bad[1].field;
    EXPECT_TRUE(fields.count("/size"));
    EXPECT_FALSE(
        api->validate(http::Method::kPut, "/things/:id", {{"name", "a"}, {"extra", 1}}).empty());
    // No JSON body declared: nothing to validate.
    EXPECT_TRUE(api->validate(http::Method::kGet, "/things/:id", 42).empty());
}

TEST(OpenApi, EmbeddedDocumentLoadsAndRenders) {
    auto api = OpenApi::load();
    EXPECT_EQ(api->document()["openapi"], "3.1.0");
    const std::string html = api->render_html();
    EXPECT_NE(html.find("/healthz"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace kontor::api
