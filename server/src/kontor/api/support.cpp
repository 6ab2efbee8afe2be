#include "kontor/api/support.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kontor::api {
namespace {

std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string page_link(const http::Request& request, const core::PageRequest& page, int number) {
    std::string out = request.path + "?";
    for (const auto& [k, v] : request.query) {
        if (k == "page" || k == "limit") continue;
        out += percent_encode(k) + "=" + percent_encode(v) + "&";
    }
    return out + "page=" + std::to_string(number) + "&limit=" + std::to_string(page.limit);
}

}  // namespace

core::Result<core::PageRequest> page_request(const http::Request& request) {
    core::PageRequest page;
    if (auto p = request.query_param("page")) {
        const auto v = parse_int(*p);
        if (!v || *v < 1 || *v > 1'000'000)
            return core::fail(core::Error::invalid("/query/page", "must be an integer ≥ 1"));
        page.page = static_cast<int>(*v);
    }
    if (auto l = request.query_param("limit")) {
        const auto v = parse_int(*l);
        if (!v || *v < 1 || *v > core::PageRequest::kMaxLimit)
            return core::fail(core::Error::invalid(
                "/query/limit",
                "must be an integer from 1 to " + std::to_string(core::PageRequest::kMaxLimit)));
        page.limit = static_cast<int>(*v);
    }
    return page;
}

nlohmann::json page_body(nlohmann::json data, const core::PageRequest& page, std::int64_t total,
                         const http::Request& request) {
    const std::int64_t pages = total == 0 ? 0 : (total + page.limit - 1) / page.limit;
    nlohmann::json links = {
        {"self", page_link(request, page, page.page)}, {"next", nullptr}, {"prev", nullptr}};
    if (page.page < pages) links["next"] = page_link(request, page, page.page + 1);
    if (page.page > 1) links["prev"] = page_link(request, page, page.page - 1);
    return {
        {"data", std::move(data)},
        {"meta",
         {{"page", page.page}, {"limit", page.limit}, {"total", total}, {"total_pages", pages}}},
        {"links", std::move(links)}};
}

std::string page_text(std::string_view data_array, const core::PageRequest& page,
                      std::int64_t total, const http::Request& request) {
    nlohmann::json rest = page_body(nullptr, page, total, request);
    rest.erase("data");
    const std::string tail = rest.dump();  // {"links":…,"meta":…}
    std::string out;
    out.reserve(data_array.size() + tail.size() + 10);
    out.append("{\"data\":").append(data_array).append(",").append(tail, 1);
    return out;
}

core::Result<core::TenantId> acting_tenant(const http::Context& ctx,
                                           tenancy::TenantService& tenants) {
    const auto& actor = *ctx.actor;
    const auto named = ctx.request.query_param("tenant_id");
    if (!actor.tenant.empty()) {
        if (named && *named != actor.tenant.str())
            return core::fail(core::Error::not_found("There is no such tenant."));
        return actor.tenant;
    }
    if (!named)
        return core::fail(core::Error::invalid(
            "/query/tenant_id", "a platform administrator names the tenant to act in"));
    if (!core::is_uuid(*named) || !tenants.find(*named))
        return core::fail(core::Error::not_found("There is no such tenant."));
    return core::TenantId{std::string(*named)};
}

std::optional<std::string> opt_string(const nlohmann::json& body, std::string_view key) {
    const auto it = body.find(key);
    if (it == body.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<std::optional<std::string>> nullable_string(const nlohmann::json& body,
                                                          std::string_view key) {
    const auto it = body.find(key);
    if (it == body.end()) return std::nullopt;
    if (it->is_null()) return std::optional<std::string>{};
    return std::optional<std::string>{it->get<std::string>()};
}

std::optional<std::int64_t> opt_int(const nlohmann::json& body, std::string_view key) {
    const auto it = body.find(key);
    if (it == body.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

std::optional<std::optional<std::int64_t>> nullable_int(const nlohmann::json& body,
                                                        std::string_view key) {
    const auto it = body.find(key);
    if (it == body.end()) return std::nullopt;
    if (it->is_null()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{it->get<std::int64_t>()};
}

std::string etag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

core::Result<std::optional<std::int64_t>> if_match(const http::Request& request) {
    auto h = request.header("if-match");
    if (!h) return std::optional<std::int64_t>{};
    std::string_view v = *h;
    if (v == "*") return std::optional<std::int64_t>{};
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        if (auto n = parse_int(v.substr(1, v.size() - 2)); n && *n >= 0)
            return std::optional<std::int64_t>{*n};
    }
    return core::fail(core::ErrorCode::kBadRequest,
                      "If-Match must be an ETag from this resource, e.g. \"3\".");
}

core::Result<std::string> id_param(const http::Request& request, const std::string& name,
                                   std::string_view what) {
    const std::string& id = request.param(name);
    if (!core::is_uuid(id))
        return core::fail(core::Error::not_found("There is no such " + std::string(what) + "."));
    return id;
}

core::Result<std::optional<ByteRange>> byte_range(std::optional<std::string_view> header,
                                                  std::uint64_t size) {
    if (!header || !header->starts_with("bytes=")) return std::optional<ByteRange>{};
    std::string_view spec = header->substr(6);
    if (spec.find(',') != std::string_view::npos) return std::optional<ByteRange>{};
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) return std::optional<ByteRange>{};
    const auto first = spec.substr(0, dash), last = spec.substr(dash + 1);
    const auto number = [](std::string_view v) -> std::optional<std::uint64_t> {
        std::uint64_t n = 0;
        const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (v.empty() || ec != std::errc{} || p != v.data() + v.size()) return std::nullopt;
        return n;
    };
    const auto unsatisfiable = [] {
        return core::fail(core::ErrorCode::kRangeNotSatisfiable,
                          "The requested range lies outside the file.");
    };
    if (first.empty()) {  // the last n bytes
        const auto n = number(last);
        if (!n) return std::optional<ByteRange>{};
        if (*n == 0 || size == 0) return unsatisfiable();
        const std::uint64_t len = std::min(*n, size);
        return std::optional<ByteRange>{ByteRange{size - len, len}};
    }
    const auto from = number(first);
    if (!from) return std::optional<ByteRange>{};
    std::uint64_t to = size == 0 ? 0 : size - 1;
    if (!last.empty()) {
        const auto t = number(last);
        if (!t || *t < *from) return std::optional<ByteRange>{};  // invalid: ignored
        to = std::min(*t, to);
    }
    if (*from >= size) return unsatisfiable();
    return std::optional<ByteRange>{ByteRange{*from, to - *from + 1}};
}

}  // namespace kontor::api
