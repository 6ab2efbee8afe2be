#include "kontor/audit/audit.hpp"

#include "kontor/core/clock.hpp"

namespace kontor::audit {
namespace {

constexpr std::string_view kInsertTenant =
    "INSERT INTO audit_log (id, at, actor_id, action, subject, ip, request_id, details) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kInsertPlatform =
    "INSERT INTO platform_audit_log (id, at, actor_id, action, subject, ip, request_id, details) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

db::Value opt_empty(const std::string& v) { return v.empty() ? db::Value{nullptr} : db::Value{v}; }

void insert(db::Connection& conn, std::string_view sql, const Entry& e) {
    conn.execute(
        sql, {core::new_uuid_v7(), core::now_ms(), db::nullable(e.actor_id), e.action,
              db::nullable(e.subject), opt_empty(e.ip), opt_empty(e.request_id), e.details.dump()});
}

// The filter is built from fixed fragments only; values are always bound parameters.
core::Page<Record> select(db::Connection& conn, std::string_view table, const Query& q) {
    std::string where = " WHERE 1 = 1";
    std::vector<db::Value> params;
    auto bind = [&params](db::Value v) {
        params.push_back(std::move(v));
        return "$" + std::to_string(params.size());
    };
    if (q.action) {
        if (!q.action->empty() && q.action->back() == '.') {
            // Prefix match without LIKE wildcards from the caller: compare the leading substring.
            const std::string n = std::to_string(q.action->size());
            where += " AND substr(action, 1, " + n + ") = " + bind(*q.action);
        } else {
            where += " AND action = " + bind(*q.action);
        }
    }
    if (q.actor_id) where += " AND actor_id = " + bind(*q.actor_id);
    if (q.from_ms) where += " AND at >= " + bind(*q.from_ms);
    if (q.to_ms) where += " AND at < " + bind(*q.to_ms);

    core::Page<Record> page;
    const auto count =
        conn.query("SELECT COUNT(*) FROM " + std::string(table) + where, std::span(params));
    page.total = count.get_int(0, 0);
    const std::string limit = bind(std::int64_t{q.page.limit});
    const std::string offset = bind(q.page.offset());
    const auto rs =
        conn.query("SELECT id, at, actor_id, action, subject, ip, request_id, details FROM " +
                       std::string(table) + where + " ORDER BY at DESC, id DESC LIMIT " + limit +
                       " OFFSET " + offset,
                   std::span(params));
    for (std::size_t i = 0; i < rs.size(); ++i) {
        Record r;
        r.id = rs.get_text(i, 0);
        r.at = rs.get_int(i, 1);
        r.actor_id = rs.opt_text(i, 2);
        r.action = rs.get_text(i, 3);
        r.subject = rs.opt_text(i, 4);
        r.ip = rs.opt_text(i, 5);
        r.request_id = rs.opt_text(i, 6);
        r.details = nlohmann::json::parse(rs.get_text(i, 7), nullptr, false);
        if (r.details.is_discarded()) r.details = nlohmann::json::object();
        page.items.push_back(std::move(r));
    }
    return page;
}

}  // namespace

Entry entry_for(const identity::Actor& actor, std::string action,
                std::optional<std::string> subject, nlohmann::json details) {
    Entry e;
    e.action = std::move(action);
    if (!actor.user.empty()) e.actor_id = actor.user.str();
    e.subject = std::move(subject);
    e.ip = actor.ip;
    e.request_id = actor.request_id;
    e.details = std::move(details);
    return e;
}

void append(db::Connection& tenant_conn, const Entry& entry) {
    insert(tenant_conn, kInsertTenant, entry);
}
void append_platform(db::Connection& catalog_conn, const Entry& entry) {
    insert(catalog_conn, kInsertPlatform, entry);
}

core::Page<Record> AuditLog::list(const core::TenantId& tenant, const Query& query) {
    auto conn = stores_.tenant(tenant);
    return select(*conn, "audit_log", query);
}
core::Page<Record> AuditLog::list_platform(const Query& query) {
    auto conn = stores_.catalog();
    return select(*conn, "platform_audit_log", query);
}
void AuditLog::record(const core::TenantId& tenant, const Entry& entry) {
    auto conn = stores_.tenant(tenant);
    append(*conn, entry);
}
void AuditLog::record_platform(const Entry& entry) {
    auto conn = stores_.catalog();
    append_platform(*conn, entry);
}

}  // namespace kontor::audit
