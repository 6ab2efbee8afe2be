#include "kontor/http/message.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "kontor/http/internal.hpp"

namespace kontor::http {
namespace {

constexpr std::array<std::pair<Method, std::string_view>, 7> kMethodNames{{
    {Method::kGet, "GET"},
    {Method::kHead, "HEAD"},
    {Method::kPost, "POST"},
    {Method::kPut, "PUT"},
    {Method::kPatch, "PATCH"},
    {Method::kDelete, "DELETE"},
    {Method::kOptions, "OPTIONS"},
}};

char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Values copied from DESIGN.md §6. The CSP allows inline styles because the UI's component
// library sets style attributes; scripts stay same-origin only.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

void set_if_absent(Response& res, std::string_view name, std::string_view value) {
    if (!res.header(name)) res.headers.emplace_back(std::string(name), std::string(value));
}

}  // namespace

std::string_view method_name(Method m) noexcept {
    for (const auto& [method, name] : kMethodNames) {
        if (method == m) return name;
    }
    return "GET";
}

std::optional<Method> parse_method(std::string_view s) noexcept {
    // Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
    for (const auto& [method, name] : kMethodNames) {
        if (name == s) return method;
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const noexcept {
    for (const auto& [name, value] : headers) {
        if (name == lower_name) return std::string_view(value);
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::cookie(std::string_view name) const noexcept {
    for (const auto& [header_name, value] : headers) {
        if (header_name != "cookie") continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
            std::string_view v = pair.substr(eq + 1);
            while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            return v;
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const noexcept {
    for (const auto& [key, value] : query) {
        if (key == name) return std::string_view(value);
    }
    return std::nullopt;
}

const std::string& Request::param(const std::string& name) const { return params.at(name); }

Response& Response::set(std::string name, std::string value) {
    for (auto& [key, existing] : headers) {
        if (detail::iequals(key, name)) {
            existing = std::move(value);
            return *this;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

Response& Response::add(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const noexcept {
    for (const auto& [key, value] : headers) {
        if (detail::iequals(key, name)) return std::string_view(value);
    }
    return std::nullopt;
}

Response Response::json(int status, const nlohmann::json& body) {
    Response res;
    res.status = status;
    // Invalid UTF-8 from stored data must not turn a good answer into a 500.
    res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    res.set("Content-Type", "application/json");
    return res;
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response res;
    res.status = status;
    res.body = std::move(body);
    res.set("Content-Type", std::move(content_type));
    return res;
}

Response Response::no_content() {
    Response res;
    res.status = 204;
    return res;
}

namespace detail {

std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = hex_value(s[i + 1]);
            const int lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_as_space) {
            c = ' ';
        }
        if (c == '\0') return std::nullopt;
        out.push_back(c);
    }
    return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(
    std::string_view query) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (part.empty()) continue;  // "a=1&&b=2"
        const std::size_t eq = part.find('=');
        auto key = percent_decode(part.substr(0, eq), true);
        auto value = percent_decode(
            eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1), true);
        if (!key || !value) return std::nullopt;
        out.emplace_back(std::move(*key), std::move(*value));
    }
    return out;
}

bool is_valid_request_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == ':' || c == '-';
    });
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

std::string media_type(std::string_view content_type) {
    content_type = content_type.substr(0, content_type.find(';'));
    while (!content_type.empty() && (content_type.front() == ' ' || content_type.front() == '\t')) {
        content_type.remove_prefix(1);
    }
    while (!content_type.empty() && (content_type.back() == ' ' || content_type.back() == '\t')) {
        content_type.remove_suffix(1);
    }
    std::string out(content_type);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

bool is_api_path(std::string_view path) noexcept {
    return path == "/api" || path.starts_with("/api/") || path == "/healthz" || path == "/readyz" ||
           path == "/metrics";
}

void add_standard_headers(Response& res, std::string_view path, std::string_view request_id) {
    res.set("X-Request-Id", std::string(request_id));  // always ours: the log lines use this one
    set_if_absent(res, "Content-Security-Policy", kContentSecurityPolicy);
    set_if_absent(res, "X-Content-Type-Options", "nosniff");
    set_if_absent(res, "Referrer-Policy", "strict-origin-when-cross-origin");
    set_if_absent(res, "X-Frame-Options", "DENY");
    set_if_absent(res, "Cross-Origin-Opener-Policy", "same-origin");
    // API answers are per user and per moment; no shared or browser cache may keep them.
    if (path == "/api" || path.starts_with("/api/"))
        set_if_absent(res, "Cache-Control", "no-store");
}

}  // namespace detail
}  // namespace kontor::http
