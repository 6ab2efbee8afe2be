#include "kontor/tickets/sla_policy.hpp"

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/core/text.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "kontor/tickets/status.hpp"

namespace kontor::tickets {
namespace {

using identity::Actor;
using identity::Permission;

constexpr std::size_t kMaxName = 100;
constexpr int kMaxMinutes = 366 * 24 * 60;  // a year of working time is the longest target

constexpr std::string_view kSelect =
    "SELECT customer_id, name, business_hours, targets, version, updated_at FROM sla_policies ";

std::optional<std::array<SlaTarget, 4>> stored_targets(const nlohmann::json& j) {
    if (!j.is_object()) return std::nullopt;
    auto out = default_sla_targets();
    for (auto p : kPriorities) {
        const auto it = j.find(std::string(name(p)));
        if (it == j.end()) continue;
        if (!it->is_object()) return std::nullopt;
        auto& t = out[static_cast<std::size_t>(p)];
        t.response_minutes = it->value("response_minutes", t.response_minutes);
        t.resolution_minutes = it->value("resolution_minutes", t.resolution_minutes);
    }
    return out;
}

nlohmann::json targets_json(const std::array<SlaTarget, 4>& targets) {
    nlohmann::json out = nlohmann::json::object();
    for (auto p : kPriorities) {
        const auto& t = targets[static_cast<std::size_t>(p)];
        out[std::string(name(p))] = {{"response_minutes", t.response_minutes},
                                     {"resolution_minutes", t.resolution_minutes}};
    }
    return out;
}

// Row i of a kSelect result as a policy, when it still parses.
std::optional<SlaPolicy> row_to_policy(const db::ResultSet& rs, std::size_t i) {
    const auto hours = BusinessHours::from_json(
        nlohmann::json::parse(rs.get_text(i, 2), nullptr, false), "/business_hours");
    const auto targets = stored_targets(nlohmann::json::parse(rs.get_text(i, 3), nullptr, false));
    if (!hours || !targets || !BusinessClock::make(*hours)) return std::nullopt;
    SlaPolicy p;
    if (auto c = rs.opt_text(i, 0)) p.customer = core::OrganizationId{*c};
    p.name = rs.get_text(i, 1);
    p.hours = *hours;
    p.targets = *targets;
    p.source = p.customer ? "customer" : "tenant";
    p.version = rs.get_int(i, 4);
    p.updated_at = rs.get_int(i, 5);
    return p;
}

SlaPolicy built_in(const std::string& tenant_time_zone) {
    SlaPolicy p;
    p.name = "Office hours";
    p.hours = BusinessHours::office(tenant_time_zone);
    if (!BusinessClock::make(p.hours)) p.hours = BusinessHours::office("UTC");
    p.targets = default_sla_targets();
    p.source = "built_in";
    return p;
}

bool customer_exists(db::Connection& conn, const core::OrganizationId& customer) {
    return core::is_uuid(customer.str()) &&
           !conn.query("SELECT 1 FROM customers WHERE id = $1", {customer.str()}).empty();
}

core::Error no_such_customer() { return core::Error::not_found("There is no such customer."); }

// A PUT body → name, hours and targets, or the field errors.
core::Result<SlaPolicy> parse_body(const nlohmann::json& body,
                                   const std::optional<core::OrganizationId>& customer) {
    if (!body.is_object()) return core::fail(core::Error::invalid("/", "must be an object"));
    std::vector<core::FieldError> errors;
    for (const auto& [key, value] : body.items()) {
        (void)value;
        if (key != "name" && key != "business_hours" && key != "targets")
            errors.push_back({"/" + key, "is not a field of an SLA policy"});
    }
    SlaPolicy p;
    p.customer = customer;
    p.source = customer ? "customer" : "tenant";
    p.name = customer ? "Customer policy" : "Default";
    if (const auto it = body.find("name"); it != body.end()) {
        if (!it->is_string()) {
            errors.push_back({"/name", "must be a string"});
        } else if (auto problem = core::text_problem(it->get<std::string>(), kMaxName)) {
            errors.push_back({"/name", *problem});
        } else if (it->get<std::string>().find_first_not_of(" \t") == std::string::npos) {
            errors.push_back({"/name", "must not be blank"});
        } else {
            p.name = it->get<std::string>();
        }
    }
    if (!body.contains("business_hours")) {
        errors.push_back({"/business_hours", "is required"});
    } else if (auto hours = BusinessHours::from_json(body.at("business_hours"), "/business_hours");
               !hours) {
        for (const auto& f : hours.error().fields) errors.push_back(f);
        if (hours.error().fields.empty())
            errors.push_back({"/business_hours", hours.error().detail});
    } else if (auto clock = BusinessClock::make(*hours); !clock) {
        for (const auto& f : clock.error().fields) errors.push_back(f);
        if (clock.error().fields.empty())
            errors.push_back({"/business_hours", clock.error().detail});
    } else {
        p.hours = *hours;
    }
    if (!body.contains("targets")) {
        errors.push_back({"/targets", "is required"});
    } else if (const auto& targets = body.at("targets"); !targets.is_object()) {
        errors.push_back({"/targets", "must be an object with low, medium, high and critical"});
    } else {
        for (const auto& [key, value] : targets.items()) {
            (void)value;
            if (!parse_priority(key)) errors.push_back({"/targets/" + key, "is not a priority"});
        }
        for (auto prio : kPriorities) {
            const std::string at = "/targets/" + std::string(name(prio));
            const auto it = targets.find(std::string(name(prio)));
            if (it == targets.end()) {
                errors.push_back({at, "is required"});
                continue;
            }
            if (!it->is_object()) {
                errors.push_back({at, "must be {response_minutes, resolution_minutes}"});
                continue;
            }
            auto& t = p.targets[static_cast<std::size_t>(prio)];
            bool ok = true;
            for (const auto& [field, value] : it->items()) {
                (void)value;
                if (field != "response_minutes" && field != "resolution_minutes") {
                    errors.push_back({at + "/" + field, "is not a field of a target"});
                    ok = false;
                }
            }
            for (const char* field : {"response_minutes", "resolution_minutes"}) {
                const auto v = it->find(field);
                if (v == it->end() || !v->is_number_integer() || v->get<std::int64_t>() < 1 ||
                    v->get<std::int64_t>() > kMaxMinutes) {
                    errors.push_back(
                        {at + "/" + field, "must be a whole number of working minutes, 1-" +
                                               std::to_string(kMaxMinutes)});
                    ok = false;
                }
            }
            if (!ok) continue;
            t.response_minutes = it->at("response_minutes").get<int>();
            t.resolution_minutes = it->at("resolution_minutes").get<int>();
            if (t.response_minutes > t.resolution_minutes)
                errors.push_back({at + "/response_minutes", "must not exceed resolution_minutes"});
        }
    }
    if (!errors.empty())
        return core::fail(core::Error::invalid(std::move(errors), "The SLA policy is invalid."));
    return p;
}

}  // namespace

std::array<SlaTarget, 4> default_sla_targets() {
    return {{{16 * 60, 80 * 60}, {8 * 60, 40 * 60}, {4 * 60, 16 * 60}, {60, 4 * 60}}};
}

SlaPolicy effective_sla_policy(db::Connection& conn,
                               const std::optional<core::OrganizationId>& customer,
                               const std::string& tenant_time_zone) {
    // The customer's row sorts first; a row that no longer parses is passed over.
    const auto rs = customer
                        ? conn.query(std::string(kSelect) +
                                         "WHERE customer_id = $1 OR customer_id IS NULL "
                                         "ORDER BY CASE WHEN customer_id IS NULL THEN 1 ELSE 0 END",
                                     {customer->str()})
                        : conn.query(std::string(kSelect) + "WHERE customer_id IS NULL");
    for (std::size_t i = 0; i < rs.size(); ++i) {
        if (auto p = row_to_policy(rs, i)) return std::move(*p);
    }
    return built_in(tenant_time_zone);
}

nlohmann::json to_json(const SlaPolicy& p) {
    return {
        {"customer_id", p.customer ? nlohmann::json(p.customer->str()) : nlohmann::json(nullptr)},
        {"name", p.name},
        {"business_hours", p.hours.to_json()},
        {"targets", targets_json(p.targets)},
        {"source", p.source},
        {"version", p.version},
        {"updated_at", p.updated_at ? nlohmann::json(core::format_rfc3339(*p.updated_at))
                                    : nlohmann::json(nullptr)}};
}

core::Result<SlaPolicy> SlaPolicyService::get(const Actor& actor, const core::TenantId& tenant,
                                              const std::optional<core::OrganizationId>& customer) {
    if (actor.outside(tenant))
        return core::fail(core::Error::not_found("There is no such tenant."));
    if (!actor.can(Permission::kCustomersRead))
        return core::fail(core::Error::forbidden("SLA policies are for staff."));
    const auto record = tenants_.find(tenant.str());
    if (!record) return core::fail(core::Error::not_found("There is no such tenant."));
    auto lease = stores_.tenant(tenant);
    if (customer && !customer_exists(*lease, *customer)) return core::fail(no_such_customer());
    return effective_sla_policy(*lease, customer, record->settings.time_zone);
}

core::Result<SlaPolicy> SlaPolicyService::put(const Actor& actor, const core::TenantId& tenant,
                                              const std::optional<core::OrganizationId>& customer,
                                              const nlohmann::json& body,
                                              std::optional<std::int64_t> if_match) {
    if (actor.outside(tenant))
        return core::fail(core::Error::not_found("There is no such tenant."));
    if (!actor.can(Permission::kTenantSettings))
        return core::fail(
            core::Error::forbidden("Changing SLA policies needs the tenant.settings permission."));
    if (!tenants_.find(tenant.str()))
        return core::fail(core::Error::not_found("There is no such tenant."));
    auto lease = stores_.tenant(tenant);
    db::Transaction tx(*lease);
    auto& conn = tx.conn();
    if (customer && !customer_exists(conn, *customer)) return core::fail(no_such_customer());
    auto parsed = parse_body(body, customer);
    if (!parsed) return core::fail(parsed.error());
    SlaPolicy p = std::move(*parsed);

    const auto before =
        customer ? conn.query("SELECT id, version FROM sla_policies WHERE customer_id = $1",
                              {customer->str()})
                 : conn.query("SELECT id, version FROM sla_policies WHERE customer_id IS NULL");
    const std::int64_t current = before.empty() ? 0 : before.get_int(0, 1);
    if (if_match && *if_match != current)
        return core::fail(core::ErrorCode::kPreconditionFailed,
                          "The SLA policy changed since you read it (version " +
                              std::to_string(current) + "); reload and try again.");
    const std::int64_t now = core::now_ms();
    const std::string hours = p.hours.to_json().dump();
    const std::string targets = targets_json(p.targets).dump();
    if (before.empty()) {
        conn.execute(
            "INSERT INTO sla_policies (id, name, customer_id, business_hours, targets, "
            "created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $6, 1)",
            {core::new_uuid_v7(), p.name,
             customer ? db::Value{customer->str()} : db::Value{nullptr}, hours, targets, now});
    } else {
        conn.execute(
            "UPDATE sla_policies SET name = $2, business_hours = $3, targets = $4, "
            "updated_at = $5, version = version + 1 WHERE id = $1",
            {before.get_text(0, 0), p.name, hours, targets, now});
    }
    p.version = current + 1;
    p.updated_at = now;
    audit::append(conn, audit::entry_for(
                            actor, "sla_policy.updated", customer ? customer->str() : tenant.str(),
                            {{"scope", p.source}, {"name", p.name}, {"version", p.version}}));
    tx.commit();
    return p;
}

core::Result<void> SlaPolicyService::remove(const Actor& actor, const core::TenantId& tenant,
                                            const core::OrganizationId& customer) {
    if (actor.outside(tenant))
        return core::fail(core::Error::not_found("There is no such tenant."));
    if (!actor.can(Permission::kTenantSettings))
        return core::fail(
            core::Error::forbidden("Changing SLA policies needs the tenant.settings permission."));
    auto lease = stores_.tenant(tenant);
    db::Transaction tx(*lease);
    auto& conn = tx.conn();
    if (!customer_exists(conn, customer)) return core::fail(no_such_customer());
    if (conn.execute("DELETE FROM sla_policies WHERE customer_id = $1", {customer.str()}) == 0)
        return core::fail(core::Error::not_found("This customer has no SLA policy of its own."));
    audit::append(conn, audit::entry_for(actor, "sla_policy.removed", customer.str()));
    tx.commit();
    return {};
}

}  // namespace kontor::tickets
