#include "kontor/http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace kontor::http {
namespace {

// Splits "/a/b/" into {"a", "b"}: the trailing slash is not significant and "/" has no segments.
// Empty segments in the middle ("/a//b") are kept, so they match neither literals nor parameters.
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.starts_with('/')) path.remove_prefix(1);
    if (path.ends_with('/')) path.remove_suffix(1);
    if (path.empty()) return out;
    for (;;) {
        const std::size_t slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

bool is_param(std::string_view segment) noexcept { return segment.starts_with(':'); }

bool valid_param_name(std::string_view name) noexcept {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

std::vector<std::string> compile(const std::string& pattern) {
    auto fail = [&](const std::string& why) {
        throw std::logic_error("route pattern '" + pattern + "': " + why);
    };
    if (!pattern.starts_with('/')) fail("must start with '/'");
    if (pattern.find_first_of("?#*%") != std::string::npos) fail("must not contain ? # * or %");
    std::vector<std::string> out;
    std::set<std::string_view> names;
    for (const std::string_view segment : split_path(pattern)) {
        if (segment.empty()) fail("empty segment");
        if (is_param(segment)) {
            if (!valid_param_name(segment.substr(1))) fail("bad parameter name");
            if (!names.insert(segment.substr(1)).second) fail("duplicate parameter name");
        }
        out.emplace_back(segment);
    }
    return out;
}

// Two patterns with the same shape ("/a/:id" and "/a/:key") would both match every path either
// matches, so registering both for one method is a mistake just like an exact duplicate.
bool same_shape(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (is_param(a[i]) != is_param(b[i])) return false;
        if (!is_param(a[i]) && a[i] != b[i]) return false;
    }
    return true;
}

bool segments_match(const std::vector<std::string>& pattern,
                    const std::vector<std::string_view>& path) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (is_param(pattern[i])) {
            if (path[i].empty()) return false;
        } else if (pattern[i] != path[i]) {
            return false;
        }
    }
    return true;
}

// True when a is more specific than b: at the first position where they differ in kind, a has
// the literal. Both match the same path, so they have the same length.
bool more_specific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (is_param(a[i]) != is_param(b[i])) return !is_param(a[i]);
    }
    return false;
}

}  // namespace

void Router::add(Method method, std::string pattern, Access access, Handler handler,
                 RouteOptions options) {
    std::vector<std::string> segments = compile(pattern);
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        if (routes_[i].method == method && same_shape(segments_[i], segments)) {
            throw std::logic_error("duplicate route " + std::string(method_name(method)) + " " +
                                   pattern + " (clashes with " + routes_[i].pattern + ")");
        }
    }
    if (!handler) throw std::logic_error("route " + pattern + " has no handler");
    routes_.push_back(Route{method, std::move(pattern), access, std::move(handler), options});
    segments_.push_back(std::move(segments));
}

std::variant<RouteMatch, NoRoute, WrongMethod> Router::match(Method method,
                                                             std::string_view path) const {
    const std::vector<std::string_view> parts = split_path(path);
    const std::size_t none = routes_.size();
    std::size_t best = none;      // most specific route for the method
    std::size_t best_get = none;  // most specific GET route, which also answers HEAD
    bool any = false;
    std::set<Method> allowed;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        if (!segments_match(segments_[i], parts)) continue;
        any = true;
        const Method m = routes_[i].method;
        allowed.insert(m);
        if (m == method && (best == none || more_specific(segments_[i], segments_[best]))) best = i;
        if (m == Method::kGet &&
            (best_get == none || more_specific(segments_[i], segments_[best_get]))) {
            best_get = i;
        }
    }
    if (!any) return NoRoute{};
    if (best == none && method == Method::kHead) best = best_get;
    if (best == none) {
        if (allowed.contains(Method::kGet)) allowed.insert(Method::kHead);
        return WrongMethod{{allowed.begin(), allowed.end()}};
    }
    RouteMatch match;
    match.route = &routes_[best];
    const auto& segments = segments_[best];
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (is_param(segments[i]))
            match.params.emplace(segments[i].substr(1), std::string(parts[i]));
    }
    return match;
}

}  // namespace kontor::http
