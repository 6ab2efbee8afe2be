#pragma once
// Route table with path parameters and a required permission per route (CONVENTIONS.md §5).
// Patterns are literal segments and ":name" parameters, e.g. "/api/tenants/:id/settings".
// Built once at start-up, then read concurrently without locks.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kontor/http/message.hpp"
#include "kontor/identity/permissions.hpp"

namespace kontor::http {

using Handler = std::function<core::Result<Response>(Context&)>;

// Who may call a route. Public routes run without an actor; authenticated routes need a valid
// token; a permission route additionally needs that permission.
struct Access {
    enum class Kind { kPublic, kAuthenticated, kPermission } kind = Kind::kPublic;
    identity::Permission permission = identity::Permission::kCount_;

    static Access public_route() { return {}; }
    static Access authenticated() { return {Kind::kAuthenticated, identity::Permission::kCount_}; }
    static Access require(identity::Permission p) { return {Kind::kPermission, p}; }
};

struct RouteOptions {
    std::size_t body_limit = 1 << 20;  // bytes; larger bodies get 413 before they are read
    bool json_body = false;            // body must be application/json and parse (415 / 400)
    bool blocking = true;  // run on the worker pool (false: cheap, runs on the I/O thread)
    // The body goes to a file (Request::body_file), never into memory — uploads. The caller is
    // authenticated and authorised before a byte of it is read; the file is removed after the
    // answer.
    bool spool_body = false;
    // spool_body routes: the largest body this caller may send, when it depends on who they are
    // (a tenant's upload limit); asked after authorisation and before the body is read, capped by
    // body_limit. Larger bodies get 413 by Content-Length, or as soon as the stream passes it.
    std::function<std::size_t(const Request&, const identity::Actor&)> spool_limit;
};

struct Route {
    Method method;
    std::string pattern;
    Access access;
    Handler handler;
    RouteOptions options;
};

struct RouteMatch {
    const Route* route = nullptr;
    std::unordered_map<std::string, std::string> params;
};
struct NoRoute {};  // → 404
struct WrongMethod {
    std::vector<Method> allowed;
};  // → 405 with Allow

class Router {
public:
    // Throws std::logic_error on a duplicate (method, pattern) or a malformed pattern.
    void add(Method method, std::string pattern, Access access, Handler handler,
             RouteOptions options = {});
    std::variant<RouteMatch, NoRoute, WrongMethod> match(Method method,
                                                         std::string_view path) const;
    const std::vector<Route>& routes() const noexcept { return routes_; }

private:
    // Each route's pattern split into segments (":name" for parameters), parallel to routes_, so
    // matching does not re-parse patterns on every request.
    std::vector<std::vector<std::string>> segments_;
    std::vector<Route> routes_;
};

}  // namespace kontor::http
