// /api/audit: the audit log, newest first. A MANAGER reads their tenant's log; a platform ADMIN
// reads a tenant's log with ?tenant_id= or the platform log without it.
#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/identity/users.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;

// `actor_name`: the actor's name as their account has it now (null for the system and for
// accounts that no longer exist), from one query per page.
nlohmann::json to_json(const audit::Record& r,
                       const std::unordered_map<std::string, std::string>& names) {
    auto opt = [](const std::optional<std::string>& v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    const auto name = r.actor_id ? names.find(*r.actor_id) : names.end();
    return {{"id", r.id},
            {"at", core::format_rfc3339(r.at)},
            {"actor_id", opt(r.actor_id)},
            {"actor_name",
             name != names.end() ? nlohmann::json(name->second) : nlohmann::json(nullptr)},
            {"action", r.action},
            {"subject", opt(r.subject)},
            {"ip", opt(r.ip)},
            {"request_id", opt(r.request_id)},
            {"details", r.details}};
}

core::Result<std::optional<std::int64_t>> time_param(const http::Request& req,
                                                     std::string_view name) {
    const auto v = req.query_param(name);
    if (!v) return std::optional<std::int64_t>{};
    if (auto t = core::parse_rfc3339(*v)) return std::optional<std::int64_t>{*t};
    return core::fail(core::Error::invalid("/query/" + std::string(name),
                                           "must be an RFC 3339 time, e.g. 2026-11-21T09:00:00Z"));
}

core::Result<http::Response> list(Services& s, http::Context& ctx) {
    const auto& req = ctx.request;
    auto page = page_request(req);
    if (!page) return core::fail(page.error());
    audit::Query q;
    q.page = *page;
    if (auto a = req.query_param("action")) q.action = std::string(*a);
    if (auto a = req.query_param("actor_id")) q.actor_id = std::string(*a);
    auto from = time_param(req, "from");
    if (!from) return core::fail(from.error());
    auto to = time_param(req, "to");
    if (!to) return core::fail(to.error());
    q.from_ms = *from;
    q.to_ms = *to;

    core::Page<audit::Record> result;
    if (ctx.actor->tenant.empty() && !req.query_param("tenant_id")) {
        result = s.audit->list_platform(q);
    } else {
        auto tenant = acting_tenant(ctx, *s.tenants);
        if (!tenant) return core::fail(tenant.error());
        result = s.audit->list(*tenant, q);
    }
    std::vector<core::UserId> actors;
    for (const auto& r : result.items)
        if (r.actor_id) actors.emplace_back(*r.actor_id);
    const auto names = s.users->names(actors);
    nlohmann::json data = nlohmann::json::array();
    for (const auto& r : result.items) data.push_back(to_json(r, names));
    return http::Response::json(200, page_body(std::move(data), *page, result.total, req));
}

}  // namespace

void register_audit_routes(http::Router& router, Services& s) {
    router.add(Method::kGet, "/api/audit", Access::require(identity::Permission::kAuditRead),
               [&s](http::Context& c) { return list(s, c); });
}

}  // namespace kontor::api
