// SLA policies: the tenant default at /api/sla-policy and a customer's override at
// /api/customers/:id/sla-policy. The rules (who may read and change, validation, which policy
// applies) are SlaPolicyService's (tickets/sla_policy.hpp).
#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/tickets/sla_policy.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;
using Reply = core::Result<http::Response>;

Reply get_default(Services& s, http::Context& ctx);
Reply put_default(Services& s, http::Context& ctx);
Reply get_customer(Services& s, http::Context& ctx);
Reply put_customer(Services& s, http::Context& ctx);
Reply delete_customer(Services& s, http::Context& ctx);

constexpr std::size_t kPolicyBodyLimit = 64 * 1024;  // a year of holidays fits many times

}  // namespace

void register_sla_routes(http::Router& router, Services& s) {
    const auto auth = Access::authenticated();
    auto bind = [&s](Reply (*fn)(Services&, http::Context&)) {
        return [&s, fn](http::Context& c) { return fn(s, c); };
    };
    const http::RouteOptions body{.body_limit = kPolicyBodyLimit, .json_body = true};
    router.add(Method::kGet, "/api/sla-policy", auth, bind(get_default));
    router.add(Method::kPut, "/api/sla-policy", auth, bind(put_default), body);
    router.add(Method::kGet, "/api/customers/:id/sla-policy", auth, bind(get_customer));
    router.add(Method::kPut, "/api/customers/:id/sla-policy", auth, bind(put_customer), body);
    router.add(Method::kDelete, "/api/customers/:id/sla-policy", auth, bind(delete_customer));
}

namespace {

// `customer`: the scope asked about is a customer's (else the tenant default's).
http::Response policy_response(int status, const tickets::SlaPolicy& p, bool customer) {
    auto res = http::Response::json(status, tickets::to_json(p));
    // The version to send back in If-Match: the scope's own stored policy, or 0 while it has none
    // ("create") — a customer reading the tenant default it inherits, or the built-in policy.
    const bool own = p.source == (customer ? "customer" : "tenant");
    res.set("ETag", etag(own ? p.version : 0));
    return res;
}

// The tenant and, for the /api/customers/:id/ routes, the customer of the path.
struct Scope {
    core::TenantId tenant;
    std::optional<core::OrganizationId> customer;
};
core::Result<Scope> scope_of(Services& s, const http::Context& ctx, bool customer) {
    auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    Scope scope{std::move(*tenant), std::nullopt};
    if (customer) {
        auto id = id_param(ctx.request, "id", "customer");
        if (!id) return core::fail(id.error());
        scope.customer = core::OrganizationId{std::move(*id)};
    }
    return scope;
}

Reply get_policy(Services& s, http::Context& ctx, bool customer) {
    const auto scope = scope_of(s, ctx, customer);
    if (!scope) return core::fail(scope.error());
    const auto p = s.sla_policies->get(*ctx.actor, scope->tenant, scope->customer);
    if (!p) return core::fail(p.error());
    return policy_response(200, *p, customer);
}

Reply put_policy(Services& s, http::Context& ctx, bool customer) {
    const auto scope = scope_of(s, ctx, customer);
    if (!scope) return core::fail(scope.error());
    const auto version = if_match(ctx.request);
    if (!version) return core::fail(version.error());
    const auto p =
        s.sla_policies->put(*ctx.actor, scope->tenant, scope->customer, ctx.request.json, *version);
    if (!p) return core::fail(p.error());
    return policy_response(p->version == 1 ? 201 : 200, *p, customer);
}

Reply get_default(Services& s, http::Context& ctx) { return get_policy(s, ctx, false); }
Reply put_default(Services& s, http::Context& ctx) { return put_policy(s, ctx, false); }
Reply get_customer(Services& s, http::Context& ctx) { return get_policy(s, ctx, true); }
Reply put_customer(Services& s, http::Context& ctx) { return put_policy(s, ctx, true); }

Reply delete_customer(Services& s, http::Context& ctx) {
    const auto scope = scope_of(s, ctx, true);
    if (!scope) return core::fail(scope.error());
    const auto done = s.sla_policies->remove(*ctx.actor, scope->tenant, *scope->customer);
    if (!done) return core::fail(done.error());
    http::Response res;
    res.status = 204;
    return res;
}

}  // namespace
}  // namespace kontor::api
