#pragma once
// Helpers shared by http/'s .cpp files and their tests; not part of the module's interface.
// Free of Asio/Beast so the unit tests that use them stay cheap to compile.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kontor/http/message.hpp"

namespace kontor::http::detail {

// Percent-decodes s. plus_as_space applies to query strings (form encoding), not to paths.
// nullopt for a truncated or non-hex escape, or for a decoded NUL byte (never legitimate in a
// path or parameter, and a classic way to cut strings short in lower layers).
std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space);

// Splits a query string ("a=1&b=x+y") into decoded pairs, in order. nullopt when an escape is
// invalid.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

// X-Request-Id values we accept from clients: 1..128 characters of [A-Za-z0-9._:-]. Anything else
// is replaced, so a client cannot inject text into log lines through it.
bool is_valid_request_id(std::string_view id) noexcept;

// ASCII case-insensitive equality (header names, media types).
bool iequals(std::string_view a, std::string_view b) noexcept;

// The media type of a Content-Type value without parameters, lower-cased and trimmed:
// "Application/JSON; charset=utf-8" → "application/json".
std::string media_type(std::string_view content_type);

// Paths that are the API's and never fall through to static files or the SPA.
bool is_api_path(std::string_view path) noexcept;

// Adds the headers every response carries (security headers, X-Request-Id, no-store on /api)
// unless the handler already set them: the handler's value wins.
void add_standard_headers(Response& res, std::string_view path, std::string_view request_id);

}  // namespace kontor::http::detail
