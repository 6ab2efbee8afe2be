// Operations endpoints: liveness, readiness, Prometheus metrics.
#include "kontor/api/routes.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;

core::Result<http::Response> healthz(http::Context&) {
    return http::Response::json(200, {{"status", "ok"}});
}

// Ready when the catalog answers and its schema is at the version this binary expects.
core::Result<http::Response> readyz(Services& s, http::Context& ctx) {
    const Readiness r = s.readiness();
    nlohmann::json checks = {{"catalog", r.catalog_reachable ? "ok" : "unreachable"}};
    if (r.catalog_reachable)
        checks["migrations"] = {{"current", r.schema_current}, {"latest", r.schema_latest}};
    if (r.catalog_reachable && r.schema_current == r.schema_latest) {
        return http::Response::json(200, {{"status", "ready"}, {"checks", checks}});
    }
    auto res =
        http::problem({core::ErrorCode::kUnavailable, "Kontor is not ready to serve requests.", {}},
                      ctx.request.request_id);
    auto body = nlohmann::json::parse(res.body);
    body["checks"] = checks;
    res.body = body.dump();
    return res;
}

core::Result<http::Response> metrics(Services& s, http::Context&) {
    return http::Response::text(200, s.metrics.render(),
                                "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace

void register_ops_routes(http::Router& router, Services& s) {
    router.add(Method::kGet, "/healthz", Access::public_route(), healthz, {.blocking = false});
    router.add(Method::kGet, "/readyz", Access::public_route(),
               [&s](http::Context& c) { return readyz(s, c); });
    router.add(Method::kGet, "/metrics", Access::public_route(),
               [&s](http::Context& c) { return metrics(s, c); }, {.blocking = false});
}

}  // namespace kontor::api
