// User accounts: /api/users[/:id[/expertise|/invite]]. Who may see or change which user is
// AccountService's policy (auth/accounts.hpp); these handlers only translate HTTP to its calls
// and back. Every route is open to any signed-in user because the policy answers per record.
#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/auth/accounts.hpp"
#include "kontor/core/clock.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;

core::Result<http::Response> list_users(Services& s, http::Context& ctx);
core::Result<http::Response> create_user(Services& s, http::Context& ctx);
core::Result<http::Response> get_user(Services& s, http::Context& ctx);
core::Result<http::Response> update_user(Services& s, http::Context& ctx);
core::Result<http::Response> deactivate_user(Services& s, http::Context& ctx);
core::Result<http::Response> get_expertise(Services& s, http::Context& ctx);
core::Result<http::Response> set_expertise(Services& s, http::Context& ctx);
core::Result<http::Response> invite_user(Services& s, http::Context& ctx);

}  // namespace

void register_user_routes(http::Router& router, Services& s) {
    const auto auth = Access::authenticated();
    router.add(Method::kGet, "/api/users", auth,
               [&s](http::Context& c) { return list_users(s, c); });
    router.add(Method::kPost, "/api/users", auth,
               [&s](http::Context& c) { return create_user(s, c); }, {.json_body = true});
    router.add(Method::kGet, "/api/users/:id", auth,
               [&s](http::Context& c) { return get_user(s, c); });
    router.add(Method::kPut, "/api/users/:id", auth,
               [&s](http::Context& c) { return update_user(s, c); }, {.json_body = true});
    router.add(Method::kDelete, "/api/users/:id", auth,
               [&s](http::Context& c) { return deactivate_user(s, c); });
    router.add(Method::kGet, "/api/users/:id/expertise", auth,
               [&s](http::Context& c) { return get_expertise(s, c); });
    router.add(Method::kPut, "/api/users/:id/expertise", auth,
               [&s](http::Context& c) { return set_expertise(s, c); }, {.json_body = true});
    router.add(Method::kPost, "/api/users/:id/invite", auth,
               [&s](http::Context& c) { return invite_user(s, c); });
}

namespace {

bool is_staff(identity::Role role) {
    return role == identity::Role::kAdmin || role == identity::Role::kManager ||
           role == identity::Role::kExpert;
}

// Rates are internal to the service provider: shown to whoever manages users looking at staff,
// and to oneself (not to a technician looking at a colleague).
bool include_rate(const http::Context& ctx, const identity::User& user) {
    const bool manages = ctx.actor->can(identity::Permission::kUsersManage) ||
                         ctx.actor->can(identity::Permission::kTenantsManage);
    return ctx.actor->user == user.id || (manages && is_staff(user.role));
}

http::Response user_response(int status, const identity::User& user, const http::Context& ctx) {
    return http::Response::json(status, auth::to_json(user, include_rate(ctx, user)));
}

nlohmann::json invite_json(const identity::Invite& invite) {
    return {{"token", invite.token}, {"expires_at", core::format_rfc3339(invite.expires_at)}};
}

nlohmann::json expertise_json(const std::vector<identity::Expertise>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : list) out.push_back({{"skill", e.skill}, {"level", e.level}});
    return out;
}

// "role" as a Role; the schema's enum has normally rejected anything else already.
core::Result<std::optional<identity::Role>> role_field(const nlohmann::json& body) {
    const auto name = opt_string(body, "role");
    if (!name) return std::optional<identity::Role>{};
    const auto role = identity::parse_role(*name);
    if (!role)
        return core::fail(core::Error::invalid(
            "/role", "must be one of ADMIN, MANAGER, EXPERT, CUSTOMER_ADMIN, CLIENT"));
    return std::optional<identity::Role>{*role};
}

// "hourly_rate": absent → nullopt, null → an inner nullopt, {amount_cents, currency} → a rate.
std::optional<std::optional<identity::HourlyRate>> rate_field(const nlohmann::json& body) {
    const auto it = body.find("hourly_rate");
    if (it == body.end()) return std::nullopt;
    if (!it->is_object()) return std::optional<identity::HourlyRate>{};
    identity::HourlyRate rate;
    rate.cents = opt_int(*it, "amount_cents").value_or(-1);
    rate.currency = opt_string(*it, "currency").value_or("");
    return std::optional<identity::HourlyRate>{rate};
}

std::optional<core::OrganizationId> to_org(const std::optional<std::string>& id) {
    if (!id) return std::nullopt;
    return core::OrganizationId{*id};
}

core::Result<http::Response> list_users(Services& s, http::Context& ctx) {
    const auto& req = ctx.request;
    const auto page = page_request(req);
    if (!page) return core::fail(page.error());

    identity::UserQuery query;
    query.page = *page;
    // A tenant user naming another tenant gets not_found (acting_tenant); the service scopes
    // their list to their own tenant in any case.
    if (req.query_param("tenant_id")) {
        const auto tenant = acting_tenant(ctx, *s.tenants);
        if (!tenant) return core::fail(tenant.error());
        query.tenant = *tenant;
    }
    if (auto v = req.query_param("role")) {
        query.role = identity::parse_role(*v);
        if (!query.role)
            return core::fail(core::Error::invalid(
                "/query/role", "must be one of ADMIN, MANAGER, EXPERT, CUSTOMER_ADMIN, CLIENT"));
    }
    if (auto v = req.query_param("status")) {
        if (*v != "active" && *v != "invited" && *v != "inactive")
            return core::fail(
                core::Error::invalid("/query/status", "must be active, invited or inactive"));
        query.status = std::string(*v);
    }
    if (auto v = req.query_param("customer_id")) {
        if (!core::is_uuid(*v))
            return core::fail(core::Error::invalid("/query/customer_id", "must be a customer id"));
        query.customer = core::OrganizationId{std::string(*v)};
    }
    if (auto v = req.query_param("search")) query.search = std::string(*v);

    const auto result = s.accounts->list(*ctx.actor, query);
    if (!result) return core::fail(result.error());
    nlohmann::json data = nlohmann::json::array();
    for (const auto& u : result->items) data.push_back(auth::to_json(u, include_rate(ctx, u)));
    return http::Response::json(200, page_body(std::move(data), *page, result->total, req));
}

core::Result<http::Response> create_user(Services& s, http::Context& ctx) {
    const auto& body = ctx.request.json;
    const auto role = role_field(body);
    if (!role) return core::fail(role.error());

    identity::NewUser input;
    input.email = opt_string(body, "email").value_or("");
    input.name = opt_string(body, "name").value_or("");
    input.role = role->value_or(identity::Role::kClient);
    if (auto t = opt_string(body, "tenant_id")) input.tenant = core::TenantId{*t};
    input.customer = to_org(opt_string(body, "customer_id"));
    input.password = opt_string(body, "password");
    input.locale = opt_string(body, "locale");
    if (auto rate = rate_field(body)) input.hourly_rate = *rate;

    auto created = s.accounts->create(*ctx.actor, std::move(input));
    if (!created) return core::fail(created.error());
    nlohmann::json out = auth::to_json(created->user, include_rate(ctx, created->user));
    if (created->invite) out["invite"] = invite_json(*created->invite);
    auto res = http::Response::json(201, out);
    res.set("Location", "/api/users/" + created->user.id.str());
    return res;
}

core::Result<http::Response> get_user(Services& s, http::Context& ctx) {
    const auto id = id_param(ctx.request, "id", "user");
    if (!id) return core::fail(id.error());
    const auto user = s.accounts->get(*ctx.actor, core::UserId{*id});
    if (!user) return core::fail(user.error());
    return user_response(200, *user, ctx);
}

core::Result<http::Response> update_user(Services& s, http::Context& ctx) {
    const auto id = id_param(ctx.request, "id", "user");
    if (!id) return core::fail(id.error());
    const auto& body = ctx.request.json;
    const auto role = role_field(body);
    if (!role) return core::fail(role.error());

    identity::UserUpdate update;
    update.name = opt_string(body, "name");
    update.role = *role;
    update.status = opt_string(body, "status");
    if (auto c = nullable_string(body, "customer_id")) update.customer = to_org(*c);
    update.locale = nullable_string(body, "locale");
    update.hourly_rate = rate_field(body);

    const auto updated = s.accounts->update(*ctx.actor, core::UserId{*id}, update);
    if (!updated) return core::fail(updated.error());
    return user_response(200, *updated, ctx);
}

core::Result<http::Response> deactivate_user(Services& s, http::Context& ctx) {
    const auto id = id_param(ctx.request, "id", "user");
    if (!id) return core::fail(id.error());
    const auto user = s.accounts->deactivate(*ctx.actor, core::UserId{*id});
    if (!user) return core::fail(user.error());
    return user_response(200, *user, ctx);
}

core::Result<http::Response> get_expertise(Services& s, http::Context& ctx) {
    const auto id = id_param(ctx.request, "id", "user");
    if (!id) return core::fail(id.error());
    const auto list = s.accounts->expertise(*ctx.actor, core::UserId{*id});
    if (!list) return core::fail(list.error());
    return http::Response::json(200, expertise_json(*list));
}

core::Result<http::Response> set_expertise(Services& s, http::Context& ctx) {
    const auto id = id_param(ctx.request, "id", "user");
    if (!id) return core::fail(id.error());
    const auto& body = ctx.request.json;
    if (!body.is_array())
        return core::fail(core::Error::invalid("/", "must be an array of {skill, level}"));
    std::vector<identity::Expertise> list;
    list.reserve(body.size());
    for (const auto& item : body) {
        identity::Expertise e;
        if (item.is_object()) {
            e.skill = opt_string(item, "skill").value_or("");
            // Out of range (even of int) becomes 0, which the service rejects as a level.
            const std::int64_t level = opt_int(item, "level").value_or(0);
            e.level = level >= 1 && level <= 5 ? static_cast<int>(level) : 0;
        } else {
            e.level = 0;  // rejected by the service with the entry's pointer
        }
        list.push_back(std::move(e));
    }
    const auto stored = s.accounts->set_expertise(*ctx.actor, core::UserId{*id}, list);
    if (!stored) return core::fail(stored.error());
    return http::Response::json(200, expertise_json(*stored));
}

core::Result<http::Response> invite_user(Services& s, http::Context& ctx) {
    const auto id = id_param(ctx.request, "id", "user");
    if (!id) return core::fail(id.error());
    const auto invite = s.accounts->reinvite(*ctx.actor, core::UserId{*id});
    if (!invite) return core::fail(invite.error());
    return http::Response::json(201, invite_json(*invite));
}

}  // namespace
}  // namespace kontor::api
