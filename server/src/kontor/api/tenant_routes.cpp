// Tenants: the platform's tenant management (tenants.manage) and a tenant's own settings
// (tenant.settings on the actor's tenant, or tenants.manage on any). Bodies arrive checked
// against api/openapi.yaml (TenantCreate, TenantUpdate, TenantSettingsPatch); the service applies
// the rules that a schema cannot express.
#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;
using identity::Permission;
using Reply = core::Result<http::Response>;

Reply list_tenants(tenancy::TenantService& tenants, http::Context& ctx);
Reply create_tenant(tenancy::TenantService& tenants, http::Context& ctx);
Reply get_tenant(tenancy::TenantService& tenants, http::Context& ctx);
Reply update_tenant(tenancy::TenantService& tenants, http::Context& ctx);
Reply get_settings(tenancy::TenantService& tenants, http::Context& ctx);
Reply update_settings(Services& s, http::Context& ctx);

// Settings documents are small (at most 50 domains and 50 flags); a larger body is not one.
constexpr std::size_t kSettingsBodyLimit = 64 * 1024;
constexpr std::size_t kMaxSearchBytes = 200;

}  // namespace

void register_tenant_routes(http::Router& router, Services& s) {
    // Services::tenants is read per request: route tables are built before (and in tests
    // without) the services they call.
    auto with = [&s](Reply (*handler)(tenancy::TenantService&, http::Context&)) {
        return [&s, handler](http::Context& c) { return handler(*s.tenants, c); };
    };
    const Access manage = Access::require(Permission::kTenantsManage);
    router.add(Method::kGet, "/api/tenants", manage, with(list_tenants));
    router.add(Method::kPost, "/api/tenants", manage, with(create_tenant), {.json_body = true});
    router.add(Method::kGet, "/api/tenants/:id", manage, with(get_tenant));
    router.add(Method::kPut, "/api/tenants/:id", manage, with(update_tenant), {.json_body = true});
    // Tenant staff reach their own settings; who may is decided per tenant in settings_tenant().
    router.add(Method::kGet, "/api/tenants/:id/settings", Access::authenticated(),
               with(get_settings));
    router.add(Method::kPut, "/api/tenants/:id/settings", Access::authenticated(),
               [&s](http::Context& c) { return update_settings(s, c); },
               {.body_limit = kSettingsBodyLimit, .json_body = true});
}

namespace {

core::Error no_such_tenant() { return core::Error::not_found("There is no such tenant."); }

// ?status=active|suspended, ?search= (substring of name or slug), ?page=, ?limit=.
core::Result<tenancy::TenantQuery> tenant_query(const http::Request& request) {
    tenancy::TenantQuery query;
    auto page = page_request(request);
    if (!page) return std::unexpected(page.error());
    query.page = *page;
    if (auto status = request.query_param("status")) {
        if (*status != "active" && *status != "suspended")
            return core::fail(
                core::Error::invalid("/query/status", "must be \"active\" or \"suspended\""));
        query.status = std::string(*status);
    }
    if (auto search = request.query_param("search")) {
        if (search->size() > kMaxSearchBytes)
            return core::fail(core::Error::invalid(
                "/query/search", "must be at most " + std::to_string(kMaxSearchBytes) + " bytes"));
        if (!search->empty()) query.search = std::string(*search);
    }
    return query;
}

// The tenant whose settings the actor may reach. Platform operators reach any; tenant staff only
// their own, and another tenant's id answers as if it did not exist.
core::Result<core::TenantId> settings_tenant(const http::Context& ctx) {
    auto id = id_param(ctx.request, "id", "tenant");
    if (!id) return std::unexpected(id.error());
    const identity::Actor& actor = *ctx.actor;
    if (actor.can(Permission::kTenantsManage)) return core::TenantId{*id};
    if (actor.tenant.empty() || actor.tenant.str() != *id) return core::fail(no_such_tenant());
    if (!actor.can(Permission::kTenantSettings))
        return core::fail(core::ErrorCode::kForbidden,
                          "Changing the tenant's settings needs the tenant.settings permission.");
    return core::TenantId{*id};
}

// A nullable body field where null and absent mean the same: "not given".
template <class T>
std::optional<T> flatten(std::optional<std::optional<T>> v) {
    return v ? *v : std::nullopt;
}

Reply list_tenants(tenancy::TenantService& tenants, http::Context& ctx) {
    auto query = tenant_query(ctx.request);
    if (!query) return std::unexpected(query.error());
    const auto page = tenants.list(*query);
    nlohmann::json data = nlohmann::json::array();
    for (const auto& t : page.items) data.push_back(tenancy::to_json(t));
    return http::Response::json(200,
                                page_body(std::move(data), query->page, page.total, ctx.request));
}

Reply create_tenant(tenancy::TenantService& tenants, http::Context& ctx) {
    const nlohmann::json& body = ctx.request.json;
    tenancy::NewTenant input;
    input.name = opt_string(body, "name").value_or("");
    input.slug = opt_string(body, "slug");
    input.email = flatten(nullable_string(body, "email"));
    input.domain = flatten(nullable_string(body, "domain"));
    input.licence_type = opt_string(body, "licence_type");
    input.max_users = flatten(nullable_int(body, "max_users"));
    input.storage_quota_bytes = flatten(nullable_int(body, "storage_quota_bytes"));
    if (auto it = body.find("settings"); it != body.end() && !it->is_null()) input.settings = *it;
    auto tenant = tenants.create(input, ctx.actor);
    if (!tenant) return std::unexpected(tenant.error());
    auto res = http::Response::json(201, tenancy::to_json(*tenant));
    res.set("Location", "/api/tenants/" + tenant->id.str());
    return res;
}

Reply get_tenant(tenancy::TenantService& tenants, http::Context& ctx) {
    auto id = id_param(ctx.request, "id", "tenant");
    if (!id) return std::unexpected(id.error());
    const auto tenant = tenants.find(*id);
    if (!tenant) return core::fail(no_such_tenant());
    return http::Response::json(200, tenancy::to_json(*tenant));
}

Reply update_tenant(tenancy::TenantService& tenants, http::Context& ctx) {
    auto id = id_param(ctx.request, "id", "tenant");
    if (!id) return std::unexpected(id.error());
    const nlohmann::json& body = ctx.request.json;
    tenancy::TenantUpdate update;
    update.name = opt_string(body, "name");
    update.slug = opt_string(body, "slug");
    update.email = nullable_string(body, "email");
    update.domain = nullable_string(body, "domain");
    update.status = opt_string(body, "status");
    update.licence_type = opt_string(body, "licence_type");
    update.max_users = nullable_int(body, "max_users");
    update.storage_quota_bytes = nullable_int(body, "storage_quota_bytes");
    auto tenant = tenants.update(core::TenantId{*id}, update, *ctx.actor);
    if (!tenant) return std::unexpected(tenant.error());
    return http::Response::json(200, tenancy::to_json(*tenant));
}

Reply get_settings(tenancy::TenantService& tenants, http::Context& ctx) {
    auto id = settings_tenant(ctx);
    if (!id) return std::unexpected(id.error());
    const auto tenant = tenants.find(id->str());
    if (!tenant) return core::fail(no_such_tenant());
    return http::Response::json(200, tenant->settings.to_json());
}

// Self-registration domains map to customer organisations; each must be one of this tenant's
// (another tenant's id is answered like an unknown one). The shape itself is checked by the
// tenancy service, which knows nothing of customers.
core::Result<void> check_registration_customers(customers::CustomerService& customers,
                                                const core::TenantId& tenant,
                                                const nlohmann::json& patch) {
    if (!patch.is_object() || !patch.contains("registration_domains")) return {};
    const nlohmann::json& domains = patch.at("registration_domains");
    if (!domains.is_array()) return {};
    std::size_t index = 0;
    for (const auto& item : domains) {
        const auto id = item.is_object() ? opt_string(item, "customer_id") : std::nullopt;
        // A malformed entry is the service's to report, with its own pointer.
        if (id && core::is_uuid(*id) && !customers.exists(tenant, core::OrganizationId{*id}))
            return core::fail(core::Error::invalid(
                "/registration_domains/" + std::to_string(index) + "/customer_id",
                "no such customer in the tenant"));
        ++index;
    }
    return {};
}

Reply update_settings(Services& s, http::Context& ctx) {
    auto id = settings_tenant(ctx);
    if (!id) return std::unexpected(id.error());
    if (auto ok = check_registration_customers(*s.customers, *id, ctx.request.json); !ok)
        return std::unexpected(ok.error());
    auto settings = s.tenants->update_settings(*id, ctx.request.json, *ctx.actor);
    if (!settings) return std::unexpected(settings.error());
    return http::Response::json(200, settings->to_json());
}

}  // namespace
}  // namespace kontor::api
