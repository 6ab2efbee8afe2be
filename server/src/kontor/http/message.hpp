#pragma once
// Transport-neutral request and response as handlers see them. Beast types never leave http/'s
// .cpp files, so handler code compiles without Asio/Beast headers.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/identity/actor.hpp"

namespace kontor::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions };
std::string_view method_name(Method m) noexcept;
std::optional<Method> parse_method(std::string_view s) noexcept;

struct Request {
    Method method = Method::kGet;
    std::string target;                                        // as received: path + query
    std::string path;                                          // percent-decoded path without query
    std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    // On spool_body routes: the file holding the body (removed after the answer) and its size.
    std::optional<std::filesystem::path> body_file;
    std::uint64_t body_size = 0;
    nlohmann::json json;  // parsed body on routes that take JSON (else null)
    std::unordered_map<std::string, std::string> params;  // path parameters (":id" → "id")
    std::string route;  // the matched route pattern, e.g. "/api/tenants/:id"
    std::string request_id;
    std::string remote_addr;

    std::optional<std::string_view> header(std::string_view lower_name) const noexcept;
    std::optional<std::string_view> query_param(std::string_view name) const noexcept;
    // A cookie's value from the Cookie header(s) (RFC 6265 §5.4), unquoted; the first wins.
    std::optional<std::string_view> cookie(std::string_view name) const noexcept;
    const std::string& param(const std::string& name) const;  // throws std::out_of_range
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // When set, the body is streamed from this file instead of `body` (static assets).
    std::optional<std::filesystem::path> file;
    // With `file`: send only these bytes of it (a 206 answer to a Range request; the handler
    // sets the status and Content-Range).
    struct ByteRange {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };
    std::optional<ByteRange> file_range;

    Response& set(std::string name, std::string value);
    // Appends a header even when one of that name exists (Set-Cookie).
    Response& add(std::string name, std::string value);
    std::optional<std::string_view> header(
        std::string_view name) const noexcept;  // case-insensitive

    static Response json(int status, const nlohmann::json& body);
    static Response text(int status, std::string body, std::string content_type);
    static Response no_content();
};

// An RFC 9457 problem document for an error (status decided in one table: problem.cpp).
int status_of(core::ErrorCode code) noexcept;
Response problem(const core::Error& error, std::string_view request_id);

// What a handler gets: the request and, on authenticated routes, the actor.
struct Context {
    Request& request;
    const identity::Actor* actor = nullptr;  // null on public routes
};

}  // namespace kontor::http
