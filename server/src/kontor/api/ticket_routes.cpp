// Tickets: /api/tickets[/:id[/comments|/history]] and the portal's view of the same tickets,
// /api/customers/:id/cases. Who sees and may change which ticket is TicketService's policy
// (tickets/ticket.hpp); these handlers translate HTTP to its calls and back. Bodies arrive
// checked against api/openapi.yaml (TicketCreate, TicketPatch, TicketReplace, CommentCreate).
#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/identity/crypto.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tickets/ticket.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;
using Reply = core::Result<http::Response>;

Reply list_tickets(Services& s, http::Context& ctx);
Reply create_ticket(Services& s, http::Context& ctx);
Reply get_ticket(Services& s, http::Context& ctx);
Reply patch_ticket(Services& s, http::Context& ctx);
Reply replace_ticket(Services& s, http::Context& ctx);
Reply delete_ticket(Services& s, http::Context& ctx);
Reply list_comments(Services& s, http::Context& ctx);
Reply add_comment(Services& s, http::Context& ctx);
Reply list_history(Services& s, http::Context& ctx);
Reply list_cases(Services& s, http::Context& ctx);
Reply create_case(Services& s, http::Context& ctx);

// A ticket with a 20,000-byte description and 20 tags fits easily; more is not a ticket.
constexpr std::size_t kTicketBodyLimit = 64 * 1024;

}  // namespace

void register_ticket_routes(http::Router& router, Services& s) {
    const auto auth = Access::authenticated();
    auto bind = [&s](Reply (*fn)(Services&, http::Context&)) {
        return [&s, fn](http::Context& c) { return fn(s, c); };
    };
    const http::RouteOptions body{.body_limit = kTicketBodyLimit, .json_body = true};
    router.add(Method::kGet, "/api/tickets", auth, bind(list_tickets));
    router.add(Method::kPost, "/api/tickets", auth, bind(create_ticket), body);
    router.add(Method::kGet, "/api/tickets/:id", auth, bind(get_ticket));
    router.add(Method::kPatch, "/api/tickets/:id", auth, bind(patch_ticket), body);
    router.add(Method::kPut, "/api/tickets/:id", auth, bind(replace_ticket), body);
    router.add(Method::kDelete, "/api/tickets/:id", auth, bind(delete_ticket));
    router.add(Method::kGet, "/api/tickets/:id/comments", auth, bind(list_comments));
    router.add(Method::kPost, "/api/tickets/:id/comments", auth, bind(add_comment), body);
    router.add(Method::kGet, "/api/tickets/:id/history", auth, bind(list_history));
    router.add(Method::kGet, "/api/customers/:id/cases", auth, bind(list_cases));
    router.add(Method::kPost, "/api/customers/:id/cases", auth, bind(create_case), body);
}

namespace {

// The names of the requesters and assignees of these tickets (one query).
tickets::UserNames people_of(Services& s, std::span<const tickets::Ticket> list) {
    std::vector<core::UserId> ids;
    for (const auto& t : list) {
        if (t.requester) ids.push_back(*t.requester);
        if (t.assignee) ids.push_back(*t.assignee);
    }
    return s.users->names(ids);
}

http::Response ticket_response(Services& s, int status, const tickets::Ticket& t) {
    const auto names = people_of(s, std::span(&t, 1));
    core::JsonText body;
    tickets::write_json(t, body, &names);
    auto res = http::Response::text(status, body.take(), "application/json");
    res.set("ETag", etag(t.version));
    return res;
}

// "a,b" → {"a", "b"} (empty parts dropped).
std::vector<std::string> split_list(std::string_view v) {
    std::vector<std::string> out;
    while (!v.empty()) {
        const auto comma = v.find(',');
        const auto part = v.substr(0, comma);
        if (!part.empty()) out.emplace_back(part);
        if (comma == std::string_view::npos) break;
        v.remove_prefix(comma + 1);
    }
    return out;
}

core::Result<std::optional<std::int64_t>> time_param(const http::Request& req,
                                                     std::string_view name) {
    const auto v = req.query_param(name);
    if (!v) return std::optional<std::int64_t>{};
    if (auto ms = core::parse_rfc3339(*v)) return std::optional<std::int64_t>{*ms};
    return core::fail(core::Error::invalid("/query/" + std::string(name),
                                           "must be an RFC 3339 time, e.g. 2026-11-21T09:00:00Z"));
}

core::Result<tickets::TicketQuery> ticket_query(const http::Request& req) {
    tickets::TicketQuery q;
    auto page = page_request(req);
    if (!page) return core::fail(page.error());
    q.page = *page;
    if (auto v = req.query_param("status")) q.statuses = split_list(*v);
    if (auto v = req.query_param("priority")) q.priorities = split_list(*v);
    if (auto v = req.query_param("customer_id")) {
        if (!core::is_uuid(*v))
            return core::fail(core::Error::invalid("/query/customer_id", "must be a customer id"));
        q.customer = core::OrganizationId{std::string(*v)};
    }
    if (auto v = req.query_param("assigned_to")) q.assignee = std::string(*v);
    if (auto v = req.query_param("category")) q.category = std::string(*v);
    if (auto v = req.query_param("tag")) q.tag = std::string(*v);
    if (auto v = req.query_param("search"); v && !v->empty()) q.search = std::string(*v);
    if (auto v = req.query_param("sla_breached")) {
        if (*v != "true" && *v != "false")
            return core::fail(core::Error::invalid("/query/sla_breached", "must be true or false"));
        q.sla_breached = *v == "true";
    }
    for (auto [name, field] :
         {std::pair{"created_from", &q.created_from}, std::pair{"created_to", &q.created_to},
          std::pair{"updated_from", &q.updated_from}, std::pair{"updated_to", &q.updated_to}}) {
        auto t = time_param(req, name);
        if (!t) return core::fail(t.error());
        *field = *t;
    }
    if (auto v = req.query_param("sort")) q.sort = std::string(*v);  // the service checks it
    if (auto v = req.query_param("order")) {
        if (*v != "asc" && *v != "desc")
            return core::fail(core::Error::invalid("/query/order", "must be asc or desc"));
        q.descending = *v == "desc";
    }
    return q;
}

Reply list_page(Services& s, http::Context& ctx, tickets::TicketQuery query) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto page = s.tickets->list(*ctx.actor, *tenant, query);
    if (!page) return core::fail(page.error());
    core::JsonText data;
    data.begin_array();
    const auto names = people_of(s, page->items);
    for (const auto& t : page->items) tickets::write_json(t, data, &names);
    data.end_array();
    return http::Response::text(200, page_text(data.str(), query.page, page->total, ctx.request),
                                "application/json");
}

Reply list_tickets(Services& s, http::Context& ctx) {
    auto query = ticket_query(ctx.request);
    if (!query) return core::fail(query.error());
    return list_page(s, ctx, std::move(*query));
}

std::vector<std::string> string_list(const nlohmann::json& body, std::string_view key) {
    std::vector<std::string> out;
    const auto it = body.find(key);
    if (it == body.end() || !it->is_array()) return out;
    for (const auto& v : *it)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

template <class Id>
std::optional<Id> opt_id(const nlohmann::json& body, std::string_view key) {
    if (auto v = opt_string(body, key)) return Id{*v};
    return std::nullopt;
}

Reply create_in(Services& s, http::Context& ctx, std::optional<core::OrganizationId> customer) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto& b = ctx.request.json;
    tickets::NewTicket in;
    in.title = opt_string(b, "title").value_or("");
    in.description = opt_string(b, "description").value_or("");
    in.priority = opt_string(b, "priority");
    if (auto c = nullable_string(b, "category")) in.category = *c;
    in.tags = string_list(b, "tags");
    in.customer = customer ? customer : opt_id<core::OrganizationId>(b, "customer_id");
    in.requester = opt_id<core::UserId>(b, "requester_id");
    in.assignee = opt_id<core::UserId>(b, "assigned_to");
    in.source = opt_string(b, "source");
    if (auto key = ctx.request.header("idempotency-key")) in.idempotency_key = std::string(*key);
    // The request as the service should compare it: where it was posted and what it said.
    in.fingerprint = identity::sha256_hex(ctx.request.path + "\n" + b.dump());
    const auto created = s.tickets->create(*ctx.actor, *tenant, std::move(in));
    if (!created) return core::fail(created.error());
    auto res = ticket_response(s, 201, created->ticket);
    res.set("Location", "/api/tickets/" + created->ticket.id.str());
    if (created->replayed) res.set("Idempotent-Replayed", "true");
    return res;
}

Reply create_ticket(Services& s, http::Context& ctx) { return create_in(s, ctx, std::nullopt); }

// The tenant acted in and the ticket of the path, for every /api/tickets/:id route.
struct TicketTarget {
    core::TenantId tenant;
    core::TicketId id;
};
core::Result<TicketTarget> ticket_target(Services& s, const http::Context& ctx) {
    auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    auto id = id_param(ctx.request, "id", "ticket");
    if (!id) return core::fail(id.error());
    return TicketTarget{std::move(*tenant), core::TicketId{std::move(*id)}};
}

Reply get_ticket(Services& s, http::Context& ctx) {
    const auto target = ticket_target(s, ctx);
    if (!target) return core::fail(target.error());
    const auto t = s.tickets->get(*ctx.actor, target->tenant, target->id);
    if (!t) return core::fail(t.error());
    // A client holding the current version gets 304 without the body.
    if (auto inm = ctx.request.header("if-none-match"); inm && *inm == etag(t->version)) {
        http::Response res;
        res.status = 304;
        res.set("ETag", etag(t->version));
        return res;
    }
    return ticket_response(s, 200, *t);
}

// PATCH changes the fields it names; PUT's schema (TicketReplace) requires every editable field,
// so the same change applies to both.
Reply change(Services& s, http::Context& ctx) {
    const auto target = ticket_target(s, ctx);
    if (!target) return core::fail(target.error());
    const auto version = if_match(ctx.request);
    if (!version) return core::fail(version.error());
    const auto& b = ctx.request.json;
    tickets::TicketChange c;
    c.title = opt_string(b, "title");
    c.description = opt_string(b, "description");
    c.priority = opt_string(b, "priority");
    c.status = opt_string(b, "status");
    c.category = nullable_string(b, "category");
    if (b.contains("tags")) c.tags = string_list(b, "tags");
    if (auto a = nullable_string(b, "assigned_to")) {
        c.assignee =
            *a ? std::optional<core::UserId>{core::UserId{**a}} : std::optional<core::UserId>{};
    }
    const auto t = s.tickets->update(*ctx.actor, target->tenant, target->id, c, *version);
    if (!t) return core::fail(t.error());
    return ticket_response(s, 200, *t);
}

Reply patch_ticket(Services& s, http::Context& ctx) { return change(s, ctx); }
Reply replace_ticket(Services& s, http::Context& ctx) { return change(s, ctx); }

Reply delete_ticket(Services& s, http::Context& ctx) {
    const auto target = ticket_target(s, ctx);
    if (!target) return core::fail(target.error());
    const auto done = s.tickets->remove(*ctx.actor, target->tenant, target->id);
    if (!done) return core::fail(done.error());
    return http::Response::no_content();
}

// Comments and history entries name their author / actor as the account is named now, so that
// every reader — a customer too — can say who wrote without reading users. One query per page.
std::optional<core::UserId> who(const tickets::Comment& c) { return c.author; }
std::optional<core::UserId> who(const tickets::HistoryEntry& e) { return e.actor; }
constexpr const char* name_key(const tickets::Comment&) { return "author_name"; }
constexpr const char* name_key(const tickets::HistoryEntry&) { return "actor_name"; }

template <class Item>
nlohmann::json named_json(Services& s, const std::vector<Item>& items) {
    std::vector<core::UserId> ids;
    for (const auto& item : items)
        if (auto id = who(item)) ids.push_back(*id);
    const auto names = s.users->names(ids);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : items) {
        auto j = tickets::to_json(item);
        const auto id = who(item);
        const auto name = id ? names.find(id->str()) : names.end();
        j[name_key(item)] =
            name != names.end() ? nlohmann::json(name->second) : nlohmann::json(nullptr);
        out.push_back(std::move(j));
    }
    return out;
}

// One page of a ticket's comments or history: `read` is TicketService::comments or ::history.
template <class Item>
Reply ticket_page(Services& s, http::Context& ctx,
                  core::Result<core::Page<Item>> (tickets::TicketService::*read)(
                      const identity::Actor&, const core::TenantId&, const core::TicketId&,
                      const core::PageRequest&)) {
    const auto target = ticket_target(s, ctx);
    if (!target) return core::fail(target.error());
    const auto page = page_request(ctx.request);
    if (!page) return core::fail(page.error());
    const auto list = (s.tickets->*read)(*ctx.actor, target->tenant, target->id, *page);
    if (!list) return core::fail(list.error());
    return http::Response::json(
        200, page_body(named_json(s, list->items), *page, list->total, ctx.request));
}

Reply list_comments(Services& s, http::Context& ctx) {
    return ticket_page(s, ctx, &tickets::TicketService::comments);
}

Reply list_history(Services& s, http::Context& ctx) {
    return ticket_page(s, ctx, &tickets::TicketService::history);
}

Reply add_comment(Services& s, http::Context& ctx) {
    const auto target = ticket_target(s, ctx);
    if (!target) return core::fail(target.error());
    tickets::NewComment in;
    in.body = opt_string(ctx.request.json, "body").value_or("");
    in.visibility = opt_string(ctx.request.json, "visibility");
    const auto c = s.tickets->add_comment(*ctx.actor, target->tenant, target->id, in);
    if (!c) return core::fail(c.error());
    return http::Response::json(201, named_json(s, std::vector{*c}).at(0));
}

// The organisation of a portal route, when the actor may see it (customers::CustomerService
// decides: customer users only their own; staff any of the tenant's). Otherwise not_found.
core::Result<core::OrganizationId> visible_customer(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto id = id_param(ctx.request, "id", "customer");
    if (!id) return core::fail(id.error());
    const auto found = s.customers->get(*ctx.actor, *tenant, core::OrganizationId{*id});
    if (!found) return core::fail(found.error());
    return found->id;
}

Reply list_cases(Services& s, http::Context& ctx) {
    const auto customer = visible_customer(s, ctx);
    if (!customer) return core::fail(customer.error());
    auto query = ticket_query(ctx.request);
    if (!query) return core::fail(query.error());
    query->customer = *customer;
    return list_page(s, ctx, std::move(*query));
}

Reply create_case(Services& s, http::Context& ctx) {
    const auto customer = visible_customer(s, ctx);
    if (!customer) return core::fail(customer.error());
    return create_in(s, ctx, *customer);
}

}  // namespace
}  // namespace kontor::api
