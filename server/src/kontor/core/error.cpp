#include "kontor/core/error.hpp"

namespace kontor::core {

std::string_view code_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::kBadRequest:
            return "bad_request";
        case ErrorCode::kMalformedJson:
            return "malformed_json";
        case ErrorCode::kValidation:
            return "validation_failed";
        case ErrorCode::kUnauthenticated:
            return "unauthenticated";
        case ErrorCode::kForbidden:
            return "forbidden";
        case ErrorCode::kNotFound:
            return "not_found";
        case ErrorCode::kMethodNotAllowed:
            return "method_not_allowed";
        case ErrorCode::kConflict:
            return "conflict";
        case ErrorCode::kPreconditionFailed:
            return "precondition_failed";
        case ErrorCode::kPayloadTooLarge:
            return "payload_too_large";
        case ErrorCode::kUnsupportedMediaType:
            return "unsupported_media_type";
        case ErrorCode::kRateLimited:
            return "rate_limited";
        case ErrorCode::kMfaRequired:
            return "mfa_required";
        case ErrorCode::kTenantSuspended:
            return "tenant_suspended";
        case ErrorCode::kQuotaExceeded:
            return "quota_exceeded";
        case ErrorCode::kStorageFull:
            return "storage_quota_exceeded";
        case ErrorCode::kRangeNotSatisfiable:
            return "range_not_satisfiable";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kInternal:
            return "internal";
    }
    return "internal";
}

}  // namespace kontor::core
