// Customer organisations: /api/customers[/:id]. The policy (who sees which customer, who may
// edit) is CustomerService's; these handlers only translate HTTP to its calls and back.
#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/customers/customer.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;
using identity::Permission;

core::Result<http::Response> list_customers(Services& s, http::Context& ctx);
core::Result<http::Response> create_customer(Services& s, http::Context& ctx);
core::Result<http::Response> get_customer(Services& s, http::Context& ctx);
core::Result<http::Response> update_customer(Services& s, http::Context& ctx);

}  // namespace

void register_customer_routes(http::Router& router, Services& s) {
    router.add(Method::kGet, "/api/customers", Access::authenticated(),
               [&s](http::Context& c) { return list_customers(s, c); });
    router.add(Method::kPost, "/api/customers", Access::require(Permission::kCustomersWrite),
               [&s](http::Context& c) { return create_customer(s, c); }, {.json_body = true});
    router.add(Method::kGet, "/api/customers/:id", Access::authenticated(),
               [&s](http::Context& c) { return get_customer(s, c); });
    router.add(Method::kPut, "/api/customers/:id", Access::require(Permission::kCustomersWrite),
               [&s](http::Context& c) { return update_customer(s, c); }, {.json_body = true});
}

namespace {

// Staff read the internal fields (notes); customer users never do.
bool internal_reader(const http::Context& ctx) {
    return ctx.actor->can(Permission::kCustomersRead);
}

customers::CustomerInput input_of(const nlohmann::json& body) {
    customers::CustomerInput in;
    in.name = opt_string(body, "name");
    in.domain = nullable_string(body, "domain");
    in.contact_email = nullable_string(body, "contact_email");
    in.phone = nullable_string(body, "phone");
    in.address = nullable_string(body, "address");
    in.notes = nullable_string(body, "notes");
    in.external_ref = nullable_string(body, "external_ref");
    return in;
}

http::Response customer_response(int status, const customers::Customer& c,
                                 const http::Context& ctx) {
    auto res = http::Response::json(status, customers::to_json(c, internal_reader(ctx)));
    res.set("ETag", etag(c.version));
    return res;
}

core::Result<http::Response> list_customers(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto page = page_request(ctx.request);
    if (!page) return core::fail(page.error());

    customers::CustomerQuery query;
    query.page = *page;
    if (auto v = ctx.request.query_param("search")) query.search = std::string(*v);
    if (auto v = ctx.request.query_param("sort")) query.sort = std::string(*v);  // service checks
    if (auto v = ctx.request.query_param("order")) {
        if (*v != "asc" && *v != "desc")
            return core::fail(core::Error::invalid("/query/order", "must be asc or desc"));
        query.descending = *v == "desc";
    }

    const auto result = s.customers->list(*ctx.actor, *tenant, query);
    if (!result) return core::fail(result.error());
    nlohmann::json data = nlohmann::json::array();
    const bool internal = internal_reader(ctx);
    for (const auto& c : result->items) data.push_back(customers::to_json(c, internal));
    return http::Response::json(200,
                                page_body(std::move(data), query.page, result->total, ctx.request));
}

core::Result<http::Response> create_customer(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto created = s.customers->create(*ctx.actor, *tenant, input_of(ctx.request.json));
    if (!created) return core::fail(created.error());
    auto res = customer_response(201, *created, ctx);
    res.set("Location", "/api/customers/" + created->id.str());
    return res;
}

core::Result<http::Response> get_customer(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto id = id_param(ctx.request, "id", "customer");
    if (!id) return core::fail(id.error());
    const auto found = s.customers->get(*ctx.actor, *tenant, core::OrganizationId{*id});
    if (!found) return core::fail(found.error());
    return customer_response(200, *found, ctx);
}

core::Result<http::Response> update_customer(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto id = id_param(ctx.request, "id", "customer");
    if (!id) return core::fail(id.error());
    const auto version = if_match(ctx.request);
    if (!version) return core::fail(version.error());
    const auto updated = s.customers->update(*ctx.actor, *tenant, core::OrganizationId{*id},
                                             input_of(ctx.request.json), *version);
    if (!updated) return core::fail(updated.error());
    return customer_response(200, *updated, ctx);
}

}  // namespace
}  // namespace kontor::api
