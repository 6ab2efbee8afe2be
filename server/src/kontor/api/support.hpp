#pragma once
// Helpers every resource handler uses: pagination (DESIGN.md §5), the tenant a request acts in,
// optional and nullable JSON fields, ETags. Pure functions; thread-safe.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/core/page.hpp"
#include "kontor/http/message.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::api {

// ?page= (≥ 1, default 1) and ?limit= (1..100, default 25). Errors: validation_failed naming the
// query parameter ("/query/limit").
core::Result<core::PageRequest> page_request(const http::Request& request);

// {data, meta:{page,limit,total,total_pages}, links:{self,next,prev}}; the links repeat the
// request's other query parameters; next/prev are null at the ends.
nlohmann::json page_body(nlohmann::json data, const core::PageRequest& page, std::int64_t total,
                         const http::Request& request);
// The same envelope around `data_array`, JSON text of the items already written (core::JsonText).
std::string page_text(std::string_view data_array, const core::PageRequest& page,
                      std::int64_t total, const http::Request& request);

// The tenant a request acts in: the actor's own. A platform ADMIN (no tenant) names one with
// ?tenant_id=; an unknown id is not_found, a missing one validation_failed. A tenant user who
// passes another tenant's id gets not_found (the other tenant does not exist for them).
core::Result<core::TenantId> acting_tenant(const http::Context& ctx,
                                           tenancy::TenantService& tenants);

// JSON body fields: absent → nullopt; for nullable, JSON null → an inner nullopt. The OpenAPI
// schema has already checked the types before a handler runs.
std::optional<std::string> opt_string(const nlohmann::json& body, std::string_view key);
std::optional<std::optional<std::string>> nullable_string(const nlohmann::json& body,
                                                          std::string_view key);
std::optional<std::int64_t> opt_int(const nlohmann::json& body, std::string_view key);
std::optional<std::optional<std::int64_t>> nullable_int(const nlohmann::json& body,
                                                        std::string_view key);

// A strong ETag for a version counter: "\"<version>\"".
std::string etag(std::int64_t version);
// The version an If-Match header names; nullopt without the header. Errors: bad_request when the
// header is present but not an ETag of this server's form ("*" is accepted as "any"; "0" names
// "not stored yet", which only SLA policies issue).
core::Result<std::optional<std::int64_t>> if_match(const http::Request& request);

// An id path parameter: when it is not a UUID the resource cannot exist → not_found.
core::Result<std::string> id_param(const http::Request& request, const std::string& name,
                                   std::string_view what);

// A Range header against a file of `size` bytes (RFC 9110 §14): one range "bytes=a-b", "bytes=a-"
// or "bytes=-n" → {offset, length}; nullopt when the header is absent, not in bytes, or names
// several ranges (then the whole file is sent, as the RFC allows). Errors: range_not_satisfiable
// when the range starts beyond the end.
struct ByteRange {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};
core::Result<std::optional<ByteRange>> byte_range(std::optional<std::string_view> header,
                                                  std::uint64_t size);

}  // namespace kontor::api
