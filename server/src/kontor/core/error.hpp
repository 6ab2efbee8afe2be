#pragma once
// Expected failures as values (CONVENTIONS.md §6). A domain function returns Result<T>; the HTTP
// edge turns Error::code into a status and an RFC 9457 problem document in one table
// (http/problem.cpp). Bugs and outages are exceptions, not Errors.
#include <expected>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kontor::core {

// Stable codes: clients match on code_name(), so a name never changes once released.
enum class ErrorCode {
    kBadRequest,            // bad_request: malformed request line, parameters or headers
    kMalformedJson,         // malformed_json: body is not JSON
    kValidation,            // validation_failed: well-formed but violates the schema or rules
    kUnauthenticated,       // unauthenticated
    kForbidden,             // forbidden
    kNotFound,              // not_found
    kMethodNotAllowed,      // method_not_allowed
    kConflict,              // conflict: unique key taken, state changed underneath
    kPreconditionFailed,    // precondition_failed: If-Match mismatch
    kPayloadTooLarge,       // payload_too_large
    kUnsupportedMediaType,  // unsupported_media_type
    kRateLimited,           // rate_limited
    kMfaRequired,           // mfa_required: the password was right; a TOTP or recovery code is due
    kTenantSuspended,       // tenant_suspended: the tenant's users cannot sign in or act
    kQuotaExceeded,         // quota_exceeded: a licence limit (e.g. max_users) is reached
    kStorageFull,           // storage_quota_exceeded: the tenant's storage quota has no room (507)
    kRangeNotSatisfiable,   // range_not_satisfiable: a Range outside the file (416)
    kUnavailable,           // unavailable: a store or dependency is down
    kInternal,              // internal
};

std::string_view code_name(ErrorCode code) noexcept;

struct FieldError {
    std::string field;  // JSON pointer into the request body, e.g. "/email"
    std::string message;
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string detail;
    std::vector<FieldError> fields;
    int retry_after_s = 0;  // > 0: answered with a Retry-After header (rate limits)

    static Error not_found(std::string detail) {
        return {ErrorCode::kNotFound, std::move(detail), {}, 0};
    }
    static Error conflict(std::string detail) {
        return {ErrorCode::kConflict, std::move(detail), {}, 0};
    }
    static Error invalid(std::string field, std::string message) {
        return {ErrorCode::kValidation,
                "The request is invalid.",
                {{std::move(field), std::move(message)}},
                0};
    }
    // Several field errors at once (`fields` must not be empty), with a summary detail.
    static Error invalid(std::vector<FieldError> fields, std::string detail) {
        return {ErrorCode::kValidation, std::move(detail), std::move(fields), 0};
    }
    static Error forbidden(std::string detail) {
        return {ErrorCode::kForbidden, std::move(detail), {}, 0};
    }
};

template <class T>
using Result = std::expected<T, Error>;

// Shorthand for returning an error from a function whose type is Result<T>.
inline std::unexpected<Error> fail(ErrorCode code, std::string detail) {
    return std::unexpected(Error{code, std::move(detail), {}, 0});
}
inline std::unexpected<Error> fail(Error error) { return std::unexpected(std::move(error)); }

}  // namespace kontor::core

namespace kontor::core {

// An exception that knows which problem to answer with: thrown for outages and for failures deep
// in a dependency (a store that is busy, a unique key taken in a race), caught once at the HTTP
// edge, which answers code's status with a generic detail. The what() text is logged, never sent.
class Failure : public std::runtime_error {
public:
    Failure(ErrorCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

}  // namespace kontor::core
