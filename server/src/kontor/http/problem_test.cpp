#include <gtest/gtest.h>

#include "kontor/http/message.hpp"

namespace kontor::http {
namespace {

TEST(Problem, HasAllFields) {
    const Response res = problem(core::Error::not_found("No ticket 7."), "req-1");
    EXPECT_EQ(res.status, 404);
    EXPECT_EQ(res.header("content-type"), "application/problem+json");
    const auto body = nlohmann::json::parse(res.body);
    EXPECT_EQ(body["type"], "https://kontor.dev/problems/not_found");
    EXPECT_EQ(body["title"], "Not found");
    EXPECT_EQ(body["status"], 404);
    EXPECT_EQ(body["detail"], "No ticket 7.");
    EXPECT_EQ(body["code"], "not_found");
    EXPECT_EQ(body["request_id"], "req-1");
    EXPECT_FALSE(body.contains("errors"));
}

TEST(Problem, ListsFieldErrors) {
    core::Error error = core::Error::invalid("/email", "must be an email address");
    error.fields.push_back({"/name", "is required"});
    const auto body = nlohmann::json::parse(problem(error, "r").body);
    EXPECT_EQ(body["status"], 422);
    EXPECT_EQ(body["code"], "validation_failed");
    ASSERT_EQ(body["errors"].size(), 2U);
    EXPECT_EQ(body["errors"][0]["field"], "/email");
    EXPECT_EQ(body["errors"][0]["message"], "must be an email address");
    EXPECT_EQ(body["errors"][1]["field"], "/name");
}

TEST(Problem, EmptyDetailFallsBackToTitle) {
    const auto body =
        nlohmann::json::parse(problem({core::ErrorCode::kConflict, "", {}}, "r").body);
    EXPECT_EQ(body["detail"], "Conflict.");
}

TEST(Problem, StatusTable) {
    using core::ErrorCode;
    const std::pair<ErrorCode, int> table[] = {
        {ErrorCode::kBadRequest, 400},
        {ErrorCode::kMalformedJson, 400},
        {ErrorCode::kValidation, 422},
        {ErrorCode::kUnauthenticated, 401},
        {ErrorCode::kForbidden, 403},
        {ErrorCode::kNotFound, 404},
        {ErrorCode::kMethodNotAllowed, 405},
        {ErrorCode::kConflict, 409},
        {ErrorCode::kPreconditionFailed, 412},
        {ErrorCode::kPayloadTooLarge, 413},
        {ErrorCode::kUnsupportedMediaType, 415},
        {ErrorCode::kRateLimited, 429},
        {ErrorCode::kUnavailable, 503},
        {ErrorCode::kInternal, 500},
    };
    for (const auto& [code, status] : table) {
        EXPECT_EQ(status_of(code), status) << core::code_name(code);
        const Response res = problem({code, "d", {}}, "r");
        EXPECT_EQ(res.status, status);
        const auto body = nlohmann::json::parse(res.body);
        EXPECT_EQ(body["status"], status);
        EXPECT_EQ(body["code"], core::code_name(code));
        EXPECT_FALSE(body["title"].get<std::string>().empty());
    }
}

}  // namespace
}  // namespace kontor::http
