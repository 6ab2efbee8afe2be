// The one table from error code to HTTP status and title (CONVENTIONS.md §6), and the RFC 9457
// problem document built from it.
#include <string>

#include "kontor/http/message.hpp"

namespace kontor::http {
namespace {

struct CodeInfo {
    int status;
    std::string_view title;
};

CodeInfo info_of(core::ErrorCode code) noexcept {
    using core::ErrorCode;
    switch (code) {
        case ErrorCode::kBadRequest:
            return {400, "Bad request"};
        case ErrorCode::kMalformedJson:
            return {400, "Malformed JSON"};
        case ErrorCode::kValidation:
            return {422, "Validation failed"};
        case ErrorCode::kUnauthenticated:
            return {401, "Authentication required"};
        case ErrorCode::kForbidden:
            return {403, "Forbidden"};
        case ErrorCode::kNotFound:
            return {404, "Not found"};
        case ErrorCode::kMethodNotAllowed:
            return {405, "Method not allowed"};
        case ErrorCode::kConflict:
            return {409, "Conflict"};
        case ErrorCode::kPreconditionFailed:
            return {412, "Precondition failed"};
        case ErrorCode::kPayloadTooLarge:
            return {413, "Payload too large"};
        case ErrorCode::kUnsupportedMediaType:
            return {415, "Unsupported media type"};
        case ErrorCode::kRateLimited:
            return {429, "Too many requests"};
        case ErrorCode::kMfaRequired:
            return {401, "Second factor required"};
        case ErrorCode::kTenantSuspended:
            return {403, "Tenant suspended"};
        case ErrorCode::kQuotaExceeded:
            return {409, "Quota exceeded"};
        case ErrorCode::kStorageFull:
            return {507, "Storage quota exceeded"};
        case ErrorCode::kRangeNotSatisfiable:
            return {416, "Range not satisfiable"};
        case ErrorCode::kUnavailable:
            return {503, "Service unavailable"};
        case ErrorCode::kInternal:
            return {500, "Internal server error"};
    }
    return {500, "Internal server error"};
}

}  // namespace

int status_of(core::ErrorCode code) noexcept { return info_of(code).status; }

Response problem(const core::Error& error, std::string_view request_id) {
    const CodeInfo info = info_of(error.code);
    const std::string code(core::code_name(error.code));
    nlohmann::json body = {
        {"type", "https://kontor.dev/problems/" + code},
        {"title", info.title},
        {"status", info.status},
        // Clients show detail to people; never leave it empty.
        {"detail", error.detail.empty() ? std::string(info.title) + "." : error.detail},
        {"code", code},
        {"request_id", request_id},
    };
    if (!error.fields.empty()) {
        nlohmann::json errors = nlohmann::json::array();
        for (const auto& f : error.fields)
            errors.push_back({{"field", f.field}, {"message", f.message}});
        body["errors"] = std::move(errors);
    }
    Response res = Response::json(info.status, body);
    res.set("Content-Type", "application/problem+json");
    if (error.retry_after_s > 0) res.set("Retry-After", std::to_string(error.retry_after_s));
    return res;
}

}  // namespace kontor::http
