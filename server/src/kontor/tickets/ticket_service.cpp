#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "kontor/core/clock.hpp"
#include "kontor/core/json_text.hpp"
#include "kontor/core/text.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "kontor/tickets/sla.hpp"
#include "kontor/tickets/sla_policy.hpp"
#include "kontor/tickets/ticket.hpp"

namespace kontor::tickets {
namespace {

using identity::Actor;
using identity::Permission;
using identity::Role;

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxDescription = 20'000;
constexpr std::size_t kMaxCategory = 60;
constexpr std::size_t kMaxTag = 40;
constexpr std::size_t kMaxTags = 20;
constexpr std::size_t kMaxComment = 20'000;
constexpr std::size_t kMaxSearch = 200;
constexpr std::size_t kMaxIdempotencyKey = 255;
constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kIdempotencyTtlMs = 24 * kHourMs;
constexpr int kBreachBatch = 500;

constexpr std::string_view kColumns =
    "t.id, t.number, t.title, t.description, t.status, t.priority, t.category, t.customer_id, "
    "t.requester_id, t.assigned_to, t.source, t.sla_response_due, t.sla_resolution_due, "
    "t.sla_paused_at, t.sla_breached, t.first_response_at, t.resolved_at, t.closed_at, "
    "t.created_at, t.updated_at, t.deleted_at, t.version, t.external_ref, t.sla_response_left, "
    "t.sla_resolution_left";
enum Col {
    kId,
    kNumber,
    kTitle,
    kDescription,
    kStatus,
    kPriority,
    kCategory,
    kCustomer,
    kRequester,
    kAssignee,
    kSource,
    kResponseDue,
    kResolutionDue,
    kPausedAt,
    kBreached,
    kFirstResponse,
    kResolvedAt,
    kClosedAt,
    kCreatedAt,
    kUpdatedAt,
    kDeletedAt,
    kVersion,
    kExternalRef,
    kResponseLeft,
    kResolutionLeft
};

// Every assignee predicate uses this form, the expression of tickets_assignee_idx (migration 0004),
// so "mine or nobody's" is two index ranges on both engines.
constexpr std::string_view kAssigneeKey = "coalesce(t.assigned_to, '')";

constexpr std::array<std::string_view, 5> kSources = {"portal", "email", "api", "phone",
                                                      "salesforce"};

using db::nullable;
// An optional id as a parameter (NULL when absent).
template <class Tag>
db::Value nullable(const std::optional<core::Id<Tag>>& v) {
    return v ? db::Value{v->str()} : db::Value{nullptr};
}

Ticket row_to_ticket(const db::ResultSet& rs, std::size_t i) {
    Ticket t;
    t.id = core::TicketId{rs.get_text(i, kId)};
    t.number = rs.get_int(i, kNumber);
    t.title = rs.get_text(i, kTitle);
    t.description = rs.get_text(i, kDescription);
    t.status = parse_status(rs.get_text(i, kStatus)).value_or(Status::kNew);
    t.priority = parse_priority(rs.get_text(i, kPriority)).value_or(Priority::kMedium);
    t.category = rs.opt_text(i, kCategory);
    t.customer = core::OrganizationId{rs.get_text(i, kCustomer)};
    if (auto v = rs.opt_text(i, kRequester)) t.requester = core::UserId{*v};
    if (auto v = rs.opt_text(i, kAssignee)) t.assignee = core::UserId{*v};
    t.source = rs.get_text(i, kSource);
    t.sla_response_due = rs.opt_int(i, kResponseDue);
    t.sla_resolution_due = rs.opt_int(i, kResolutionDue);
    t.sla_paused_at = rs.opt_int(i, kPausedAt);
    t.sla_breached = rs.get_int(i, kBreached) != 0;
    t.first_response_at = rs.opt_int(i, kFirstResponse);
    t.resolved_at = rs.opt_int(i, kResolvedAt);
    t.closed_at = rs.opt_int(i, kClosedAt);
    t.created_at = rs.get_int(i, kCreatedAt);
    t.updated_at = rs.get_int(i, kUpdatedAt);
    t.deleted_at = rs.opt_int(i, kDeletedAt);
    t.version = rs.get_int(i, kVersion);
    t.external_ref = rs.opt_text(i, kExternalRef);
    t.sla_response_left = rs.opt_int(i, kResponseLeft);
    t.sla_resolution_left = rs.opt_int(i, kResolutionLeft);
    return t;
}

// Parameters of one statement, numbered as they are added ("$1", "$2", …).
struct Params {
    std::vector<db::Value> values;
    std::string add(db::Value v) {
        values.push_back(std::move(v));
        return "$" + std::to_string(values.size());
    }
};

bool is_customer(const Actor& a) {
    return a.role == Role::kClient || a.role == Role::kCustomerAdmin;
}
bool is_staff(const Actor& a) { return !is_customer(a); }
bool is_staff_role(Role r) {
    return r == Role::kExpert || r == Role::kManager;  // ADMINs have no tenant
}

core::Error no_such_ticket() { return core::Error::not_found("There is no such ticket."); }

// ---- visibility ---------------------------------------------------------------------------------

// The WHERE fragment that limits tickets (alias t) to what the actor may see. `experts_see_all`
// is the tenant's setting (read only for EXPERTs).
std::string visibility(const Actor& a, bool experts_see_all, Params& p) {
    if (a.can(Permission::kTicketsReadAll)) return "1 = 1";
    if (a.role == Role::kExpert) {
        if (experts_see_all) return "1 = 1";
        return std::string(kAssigneeKey) + " IN ('', " + p.add(a.user.str()) + ")";
    }
    if (a.can(Permission::kTicketsReadOrg) && a.organization)
        return "t.customer_id = " + p.add(a.organization->str());
    if (a.can(Permission::kTicketsReadOwn)) return "t.requester_id = " + p.add(a.user.str());
    return "1 = 0";
}

// ---- validation ---------------------------------------------------------------------------------

bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    });
}

void check_title(const std::string& title, std::vector<core::FieldError>& errors) {
    if (title.empty() || blank(title)) {
        errors.push_back({"/title", "is required"});
    } else if (auto p = core::text_problem(title, kMaxTitle)) {
        errors.push_back({"/title", *p});
    }
}

void check_description(const std::string& d, std::vector<core::FieldError>& errors) {
    if (auto p = core::text_problem(d, kMaxDescription, true))
        errors.push_back({"/description", *p});
}

void check_category(const std::optional<std::string>& c, std::vector<core::FieldError>& errors) {
    if (!c) return;
    if (c->empty() || blank(*c)) {
        errors.push_back({"/category", "must not be empty (use null for none)"});
    } else if (auto p = core::text_problem(*c, kMaxCategory)) {
        errors.push_back({"/category", *p});
    }
}

// Tags are lower-cased and de-duplicated; letters, digits and - _ . only.
std::vector<std::string> normalise_tags(const std::vector<std::string>& tags,
                                        std::vector<core::FieldError>& errors) {
    std::set<std::string> out;
    if (tags.size() > kMaxTags)
        errors.push_back({"/tags", "at most " + std::to_string(kMaxTags) + " tags"});
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const std::string tag = core::ascii_lower(tags[i]);
        const bool ok = !tag.empty() && tag.size() <= kMaxTag &&
                        std::all_of(tag.begin(), tag.end(), [](unsigned char c) {
                            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                                   c == '_' || c == '.';
                        });
        if (!ok) {
            errors.push_back(
                {"/tags/" + std::to_string(i),
                 "must be 1-" + std::to_string(kMaxTag) + " letters, digits, '-', '_' or '.'"});
            continue;
        }
        out.insert(tag);
    }
    return {out.begin(), out.end()};
}

// ---- SLA
// ------------------------------------------------------------------------------------------

struct Sla {
    BusinessClock clock;
    std::array<SlaTarget, 4> targets;  // by Priority
};

// The clock and targets of the policy that applies to the customer's tickets (sla_policy.hpp).
Sla load_sla(db::Connection& conn, const core::OrganizationId& customer,
             const std::string& tenant_time_zone) {
    auto policy = effective_sla_policy(conn, customer, tenant_time_zone);
    auto clock = BusinessClock::make(policy.hours);  // checked when the policy was read
    if (!clock) clock = BusinessClock::make(BusinessHours::office("UTC"));
    return {std::move(*clock), policy.targets};
}

std::int64_t minutes_ms(int minutes) { return static_cast<std::int64_t>(minutes) * 60'000; }

// Ends a pause: the due times restart from the working time that was left (the response due time
// only while nobody has answered yet).
void resume(const Sla& sla, Ticket& t, std::int64_t now) {
    if (t.sla_response_left && !t.first_response_at)
        t.sla_response_due = sla.clock.add(now, *t.sla_response_left);
    if (t.sla_resolution_left) t.sla_resolution_due = sla.clock.add(now, *t.sla_resolution_left);
    t.sla_paused_at.reset();
    t.sla_response_left.reset();
    t.sla_resolution_left.reset();
}

// ---- writes shared by the operations ----------------------------------------------------------

struct Writer {
    db::Connection& conn;
    const Actor& actor;
    core::TenantId tenant;
    std::int64_t now;
    std::optional<core::UserId> on_behalf = std::nullopt;  // history actor other than `actor`

    void history(const core::TicketId& ticket, std::string_view action,
                 std::optional<std::string> field = std::nullopt,
                 std::optional<std::string> old_value = std::nullopt,
                 std::optional<std::string> new_value = std::nullopt,
                 std::string_view visibility = "public") {
        static constexpr std::string_view kInsert =
            "INSERT INTO ticket_history (id, ticket_id, at, actor_id, action, field, old_value, "
            "new_value, visibility) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        conn.execute(kInsert, {core::new_uuid_v7(), ticket.str(), now,
                               on_behalf            ? db::Value{on_behalf->str()}
                               : actor.user.empty() ? db::Value{nullptr}
                                                    : db::Value{actor.user.str()},
                               std::string(action), nullable(field), nullable(old_value),
                               nullable(new_value), std::string(visibility)});
    }

    void event(std::string_view topic, const Ticket& t,
               nlohmann::json extra = nlohmann::json::object()) {
        static constexpr std::string_view kInsert =
            "INSERT INTO outbox (id, topic, payload, created_at, available_at) "
            "VALUES ($1, $2, $3, $4, $4)";
        const std::string id = core::new_uuid_v7();
        nlohmann::json payload = {
            {"event_id", id},
            {"tenant_id", tenant.str()},
            {"ticket_id", t.id.str()},
            {"number", t.number},
            {"actor_id",
             actor.user.empty() ? nlohmann::json(nullptr) : nlohmann::json(actor.user.str())},
            {"at", core::format_rfc3339(now)}};
        payload.update(extra);
        conn.execute(kInsert, {id, std::string(topic), payload.dump(), now});
    }

    // Search text of a ticket: customers may read all of it (title, description, public comments).
    // SQLite: one FTS5 document per ticket (rowid = number), rebuilt from the store on each change.
    // PostgreSQL: one tsvector row for the ticket text (ref = ticket id) plus one per public
    // comment (ref = comment id), so a comment is one insert.
    void index_ticket(const Ticket& t, bool replace) {
        if (conn.dialect() == db::Dialect::kSqlite) {
            reindex_sqlite(t, replace);
            return;
        }
        if (replace) conn.execute("DELETE FROM ticket_search WHERE ref = $1", {t.id.str()});
        conn.execute("INSERT INTO ticket_search (ticket_id, ref, body) VALUES ($1, $1, $2)",
                     {t.id.str(), t.title + "\n" + t.description});
    }

    void index_comment(const Ticket& t, const std::string& comment_id, const std::string& body) {
        if (conn.dialect() == db::Dialect::kSqlite) {
            reindex_sqlite(t, true);
            return;
        }
        conn.execute("INSERT INTO ticket_search (ticket_id, ref, body) VALUES ($1, $2, $3)",
                     {t.id.str(), comment_id, body});
    }

    // `replace`: the ticket may have a document already (a new ticket has neither one nor
    // comments, and skipping the lookups is a tenth of a create).
    void reindex_sqlite(const Ticket& t, bool replace) {
        std::string body = t.title + "\n" + t.description;
        if (replace) {
            const auto comments = conn.query(
                "SELECT body FROM ticket_comments WHERE ticket_id = $1 AND visibility = 'public' "
                "ORDER BY created_at, id",
                {t.id.str()});
            for (std::size_t i = 0; i < comments.size(); ++i)
                body += "\n" + comments.get_text(i, 0);
            conn.execute("DELETE FROM ticket_search WHERE rowid = $1", {t.number});
        }
        conn.execute("INSERT INTO ticket_search (rowid, body) VALUES ($1, $2)", {t.number, body});
    }

    void set_tags(const core::TicketId& ticket, const std::vector<std::string>& tags,
                  bool fresh = false) {
        if (!fresh) conn.execute("DELETE FROM ticket_tags WHERE ticket_id = $1", {ticket.str()});
        for (const auto& tag : tags)
            conn.execute("INSERT INTO ticket_tags (ticket_id, tag) VALUES ($1, $2)",
                         {ticket.str(), tag});
    }
};

std::vector<std::string> tags_of(db::Connection& conn, const core::TicketId& id) {
    const auto rs = conn.query("SELECT tag FROM ticket_tags WHERE ticket_id = $1", {id.str()});
    std::vector<std::string> out;
    for (std::size_t i = 0; i < rs.size(); ++i) out.push_back(rs.get_text(i, 0));
    // Byte order, as create stores them: a database collation must not reorder them.
    std::sort(out.begin(), out.end());
    return out;
}

// Tags of a page of tickets in one query.
void fill_tags(db::Connection& conn, std::vector<Ticket>& tickets) {
    if (tickets.empty()) return;
    Params p;
    std::string in;
    for (const auto& t : tickets) in += (in.empty() ? "" : ", ") + p.add(t.id.str());
    const auto rs = conn.query(
        "SELECT ticket_id, tag FROM ticket_tags WHERE ticket_id IN (" + in + ")", p.values);
    for (std::size_t i = 0; i < rs.size(); ++i) {
        const auto& id = rs.get_text(i, 0);
        for (auto& t : tickets)
            if (t.id.str() == id) t.tags.push_back(rs.get_text(i, 1));
    }
    for (auto& t : tickets) std::sort(t.tags.begin(), t.tags.end());
}

// The tenant setting that widens an EXPERT's view to every ticket (read only for EXPERTs: the
// other roles' visibility does not depend on it, and it costs a catalog query).
bool expert_sees_all(tenancy::TenantService& tenants, const Actor& a,
                     const core::TenantId& tenant) {
    if (a.role != Role::kExpert) return false;
    const auto t = tenants.find(tenant.str());
    return t && t->settings.experts_see_all_tickets;
}

// The ticket, when it exists, is not deleted and the actor may see it.
std::optional<Ticket> load_visible(db::Connection& conn, const Actor& actor, bool experts_see_all,
                                   const core::TicketId& id) {
    if (!core::is_uuid(id.str())) return std::nullopt;
    Params p;
    const std::string id_param = p.add(id.str());
    const std::string where = visibility(actor, experts_see_all, p);
    const auto rs = conn.query(std::string("SELECT ") + std::string(kColumns) +
                                   " FROM tickets t WHERE t.id = " + id_param +
                                   " AND t.deleted_at IS NULL AND " + where,
                               p.values);
    if (rs.empty()) return std::nullopt;
    Ticket t = row_to_ticket(rs, 0);
    t.tags = tags_of(conn, t.id);
    return t;
}

// Search text → an FTS5 query: each word quoted (so no user text is FTS syntax), all required.
std::string fts5_query(std::string_view text) {
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        out += (out.empty() ? "\"" : " \"") + word + "\"";
        word.clear();
    };
    for (unsigned char c : text) {
        if (std::isalnum(c) || c >= 0x80) {
            word.push_back(static_cast<char>(c));
        } else {
            flush();
        }
    }
    flush();
    return out;
}

}  // namespace

// ---- reads
// ----------------------------------------------------------------------------------------

core::Result<core::Page<Ticket>> TicketService::list(const Actor& actor,
                                                     const core::TenantId& tenant,
                                                     const TicketQuery& q) {
    if (actor.outside(tenant)) return core::Page<Ticket>{};
    std::vector<core::FieldError> errors;
    Params p;
    std::string where = "t.deleted_at IS NULL";
    const bool experts_see_all = expert_sees_all(tenants_, actor, tenant);
    where += " AND " + visibility(actor, experts_see_all, p);

    auto any_of = [&](const std::vector<std::string>& values, std::string_view column,
                      const char* field, auto valid) {
        if (values.empty()) return;
        std::string in;
        for (const auto& v : values) {
            if (!valid(v)) {
                errors.push_back({std::string("/query/") + field, "has an unknown value: " + v});
                return;
            }
            in += (in.empty() ? "" : ", ") + p.add(v);
        }
        where += " AND " + std::string(column) + " IN (" + in + ")";
    };
    any_of(q.statuses, "t.status", "status",
           [](const std::string& v) { return parse_status(v).has_value(); });
    any_of(q.priorities, "t.priority", "priority",
           [](const std::string& v) { return parse_priority(v).has_value(); });
    if (q.customer) where += " AND t.customer_id = " + p.add(q.customer->str());
    if (q.assignee) {
        if (*q.assignee == "none") {
            where += " AND " + std::string(kAssigneeKey) + " = ''";
        } else if (*q.assignee == "me") {
            where += " AND " + std::string(kAssigneeKey) + " = " + p.add(actor.user.str());
        } else if (core::is_uuid(*q.assignee)) {
            where += " AND " + std::string(kAssigneeKey) + " = " + p.add(*q.assignee);
        } else {
            errors.push_back({"/query/assigned_to", "must be a user id, \"me\" or \"none\""});
        }
    }
    if (q.category) where += " AND t.category = " + p.add(*q.category);
    if (q.tag)
        where += " AND EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = t.id AND g.tag = " +
                 p.add(core::ascii_lower(*q.tag)) + ")";
    if (q.sla_breached)
        where += *q.sla_breached ? " AND t.sla_breached = 1" : " AND t.sla_breached = 0";
    if (q.created_from) where += " AND t.created_at >= " + p.add(*q.created_from);
    if (q.created_to) where += " AND t.created_at < " + p.add(*q.created_to);
    if (q.updated_from) where += " AND t.updated_at >= " + p.add(*q.updated_from);
    if (q.updated_to) where += " AND t.updated_at < " + p.add(*q.updated_to);

    auto lease = stores_.tenant(tenant);
    // One read transaction: the count, the page and its tags see the same state, and SQLite takes
    // its read lock once instead of per statement.
    db::Transaction read(*lease, false);
    const bool sqlite = lease->dialect() == db::Dialect::kSqlite;
    if (q.search) {
        if (auto problem = core::text_problem(*q.search, kMaxSearch)) {
            errors.push_back({"/query/search", *problem});
        } else if (sqlite) {
            const std::string fts = fts5_query(*q.search);
            if (fts.empty()) {
                where += " AND 1 = 0";  // nothing searchable: nothing matches
            } else {
                where +=
                    " AND t.number IN (SELECT rowid FROM ticket_search WHERE ticket_search "
                    "MATCH " +
                    p.add(fts) + ")";
            }
        } else {
            where +=
                " AND t.id IN (SELECT ticket_id FROM ticket_search WHERE tsv @@ "
                "plainto_tsquery('simple', " +
                p.add(*q.search) + "))";
        }
    }

    std::string order;
    const std::string dir = q.descending ? " DESC" : " ASC";
    if (q.sort == "created_at")
        order = "t.created_at" + dir;
    else if (q.sort == "updated_at")
        order = "t.updated_at" + dir;
    else if (q.sort == "priority")
        order = "t.priority_rank" + dir + ", t.created_at" + dir;
    else if (q.sort == "number")
        order = "t.number" + dir;
    else if (q.sort == "sla_resolution_due")
        // Tickets without a due time last, in either direction, on both engines.
        order =
            "CASE WHEN t.sla_resolution_due IS NULL THEN 1 ELSE 0 END, t.sla_resolution_due" + dir;
    else
        errors.push_back(
            {"/query/sort",
             "must be created_at, updated_at, priority, sla_resolution_due or number"});
    if (!errors.empty())
        return core::fail(core::Error::invalid(std::move(errors), "The ticket query is invalid."));
    // The tie-breaker: SQLite's rowid is in every index entry, so the sort of a page needs no
    // table row until the page is known (see below); PostgreSQL breaks ties by id.
    order += (sqlite ? ", t.rowid" : ", t.id") + dir;

    core::Page<Ticket> page;
    // The key of a row: SQLite's rowid is in every index entry, so the page can be chosen from
    // the indexes before any table row is read; PostgreSQL uses the id.
    const std::string key = sqlite ? "t.rowid" : "t.id";
    Params lp = p;
    const std::string limit = lp.add(static_cast<std::int64_t>(q.page.limit));
    const std::string offset = lp.add(q.page.offset());
    const std::string page_sql = " FROM tickets t WHERE " + where + " ORDER BY " + order +
                                 " LIMIT " + limit + " OFFSET " + offset;
    std::vector<std::string> keys;
    bool counted = false;
    if (q.search) {
        // A search reads every match anyway (there is no index order to walk): count them in the
        // same pass that picks the page, instead of a second full pass (bench/RESULTS.md).
        const auto rs = lease->query("SELECT " + key + ", COUNT(*) OVER ()" + page_sql, lp.values);
        for (std::size_t i = 0; i < rs.size(); ++i) keys.push_back(rs.get_text(i, 0));
        if (!rs.empty()) {
            page.total = rs.get_int(0, 1);
            counted = true;
        }
    }
    if (!counted) {
        page.total =
            lease->query("SELECT COUNT(*) FROM tickets t WHERE " + where, p.values).get_int(0, 0);
        if (page.total <= q.page.offset()) return page;
        if (!q.search) {
            // Sorting the full rows of every match cost a table lookup per match (perf: two
            // thirds of a portal list request at 7,600 tickets of one organisation).
            const auto rs = lease->query("SELECT " + key + page_sql, lp.values);
            for (std::size_t i = 0; i < rs.size(); ++i) keys.push_back(rs.get_text(i, 0));
        }
    }
    if (keys.empty()) return page;
    Params kp;
    std::string in;
    for (const auto& k : keys) {
        db::Value v = sqlite ? db::Value{std::stoll(k)} : db::Value{k};
        in += (in.empty() ? "" : ", ") + kp.add(std::move(v));
    }
    const auto rs =
        lease->query(std::string("SELECT ") + std::string(kColumns) + " FROM tickets t WHERE " +
                         key + " IN (" + in + ") ORDER BY " + order,
                     kp.values);
    page.items.reserve(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i) page.items.push_back(row_to_ticket(rs, i));
    fill_tags(*lease, page.items);
    return page;
}

core::Result<Ticket> TicketService::get(const Actor& actor, const core::TenantId& tenant,
                                        const core::TicketId& id) {
    if (actor.outside(tenant)) return core::fail(no_such_ticket());
    const bool experts_see_all = expert_sees_all(tenants_, actor, tenant);
    auto lease = stores_.tenant(tenant);
    db::Transaction read(*lease, false);  // the row and its tags from one snapshot
    auto t = load_visible(*lease, actor, experts_see_all, id);
    if (!t) return core::fail(no_such_ticket());
    return std::move(*t);
}

// ---- create
// -----------------------------------------------------------------------------------------

core::Result<Created> TicketService::create(const Actor& actor, const core::TenantId& tenant,
                                            NewTicket in) {
    if (actor.outside(tenant))
        return core::fail(core::Error::not_found("There is no such tenant."));
    if (!actor.can(Permission::kTicketsWrite))
        return core::fail(
            core::Error::forbidden("Creating tickets needs the tickets.write permission."));
    const auto tenant_record = tenants_.find(tenant.str());
    if (!tenant_record) return core::fail(core::Error::not_found("There is no such tenant."));
    const auto& settings = tenant_record->settings;

    std::vector<core::FieldError> errors;
    check_title(in.title, errors);
    check_description(in.description, errors);
    check_category(in.category, errors);
    const auto tags = normalise_tags(in.tags, errors);
    Priority priority = Priority::kMedium;
    if (in.priority) {
        if (auto p = parse_priority(*in.priority))
            priority = *p;
        else
            errors.push_back({"/priority", "must be low, medium, high or critical"});
    }
    if (in.idempotency_key &&
        (in.idempotency_key->empty() || in.idempotency_key->size() > kMaxIdempotencyKey ||
         core::has_control_chars(*in.idempotency_key)))
        return core::fail(
            core::Error::invalid("/headers/Idempotency-Key", "must be 1-255 visible characters"));

    std::string source = "api";
    core::OrganizationId customer;
    std::optional<core::UserId> requester;
    if (is_customer(actor)) {
        // Customer users file tickets for themselves, in their organisation, through the portal.
        if (!actor.organization)
            return core::fail(core::Error::forbidden("You belong to no organisation."));
        if (in.customer && *in.customer != *actor.organization)
            errors.push_back({"/customer_id", "no such customer"});
        if (in.requester && *in.requester != actor.user)
            return core::fail(
                core::Error::forbidden("Customers open tickets for themselves only."));
        if (in.assignee)
            return core::fail(core::Error::forbidden("Customers cannot assign tickets."));
        if (in.source && *in.source != "portal")
            return core::fail(core::Error::forbidden("Customer tickets come from the portal."));
        customer = *actor.organization;
        requester = actor.user;
        source = "portal";
    } else {
        if (!in.customer) {
            errors.push_back({"/customer_id", "is required"});
        } else {
            customer = *in.customer;
        }
        if (in.source) {
            if (std::find(kSources.begin(), kSources.end(), *in.source) == kSources.end())
                errors.push_back({"/source", "must be portal, email, api, phone or salesforce"});
            else
                source = *in.source;
        }
        if (in.requester) {
            const auto user =
                core::is_uuid(in.requester->str()) ? users_.find(*in.requester) : std::nullopt;
            if (!user || user->tenant != tenant || user->customer != in.customer)
                errors.push_back({"/requester_id", "no such user of this customer"});
            requester = in.requester;
        }
        if (in.assignee && !actor.can(Permission::kTicketsAssign))
            return core::fail(
                core::Error::forbidden("Assigning needs the tickets.assign permission."));
    }
    if (in.assignee) {
        const auto user =
            core::is_uuid(in.assignee->str()) ? users_.find(*in.assignee) : std::nullopt;
        if (!user || user->tenant != tenant || !is_staff_role(user->role) ||
            user->status != "active")
            errors.push_back({"/assigned_to", "no such active EXPERT or MANAGER in this tenant"});
    }
    if (!errors.empty())
        return core::fail(core::Error::invalid(std::move(errors), "The ticket is invalid."));

    // Auto-assignment candidates come from the catalog, before the tenant transaction.
    std::vector<std::pair<core::UserId, int>> candidates;
    if (!in.assignee && settings.auto_assign && in.category)
        candidates = users_.experts_with_skill(tenant, *in.category);

    const std::int64_t now = core::now_ms();
    auto lease = stores_.tenant(tenant);
    // The policy is read before the write lock is taken: creates queue for that lock, and the
    // clock's set-up is work no other writer needs to wait for.
    const Sla sla = load_sla(*lease, customer, settings.time_zone);
    db::Transaction tx(*lease);
    auto& conn = tx.conn();

    if (!customer.empty()) {
        if (conn.query("SELECT 1 FROM customers WHERE id = $1", {customer.str()}).empty())
            return core::fail(core::Error::invalid("/customer_id", "no such customer"));
    }
    if (in.idempotency_key) {
        const auto seen = conn.query(
            "SELECT request_hash, resource_id FROM idempotency_keys "
            "WHERE user_id = $1 AND key = $2 AND created_at > $3",
            {actor.user.str(), *in.idempotency_key, now - kIdempotencyTtlMs});
        if (!seen.empty()) {
            if (seen.get_text(0, 0) != in.fingerprint)
                return core::fail(core::Error::conflict(
                    "This Idempotency-Key was already used for a different request."));
            auto first = load_visible(conn, actor, true, core::TicketId{seen.get_text(0, 1)});
            if (!first) return core::fail(no_such_ticket());  // deleted since
            return Created{std::move(*first), true};
        }
    }
    if (is_customer(actor)) {
        const auto recent = conn.query(
            "SELECT COUNT(*), MIN(created_at) FROM tickets "
            "WHERE requester_id = $1 AND created_at > $2 AND deleted_at IS NULL",
            {actor.user.str(), now - kHourMs});
        const std::int64_t count = recent.get_int(0, 0);
        if (count >= settings.case_rate_limit_per_hour) {
            const std::int64_t oldest = recent.opt_int(0, 1).value_or(now);
            const int wait =
                static_cast<int>(std::max<std::int64_t>(1, (oldest + kHourMs - now + 999) / 1000));
            return core::fail(core::Error{
                core::ErrorCode::kRateLimited,
                "You have opened " + std::to_string(count) +
                    " cases in the last hour, the limit of this service desk; try again in " +
                    std::to_string(wait) + " s.",
                {},
                wait});
        }
    }

    Ticket t;
    t.id = core::TicketId{core::new_uuid_v7()};
    t.number = conn.query(
                       "UPDATE ticket_counter SET last_number = last_number + 1 WHERE id = 1 "
                       "RETURNING last_number")
                   .get_int(0, 0);
    t.title = in.title;
    t.description = in.description;
    t.priority = priority;
    t.category = in.category;
    t.tags = tags;
    t.customer = customer;
    t.requester = requester;
    t.source = source;
    t.created_at = t.updated_at = now;

    // Auto-assignment: the matching expert with the fewest open tickets (then the higher level,
    // then the lower id).
    if (in.assignee) {
        t.assignee = in.assignee;
    } else if (!candidates.empty()) {
        Params p;
        std::string ids;
        for (const auto& c : candidates) ids += (ids.empty() ? "" : ", ") + p.add(c.first.str());
        // Open tickets per expert, kept by triggers (migration 0004, assignee_load).
        const auto load = conn.query(
            "SELECT user_id, open_tickets FROM assignee_load WHERE user_id IN (" + ids + ")",
            p.values);
        std::map<std::string, std::int64_t> open;
        for (std::size_t i = 0; i < load.size(); ++i)
            open[load.get_text(i, 0)] = load.get_int(i, 1);
        const auto best = std::min_element(
            candidates.begin(), candidates.end(), [&](const auto& a, const auto& b) {
                const auto oa = open[a.first.str()], ob = open[b.first.str()];
                if (oa != ob) return oa < ob;
                if (a.second != b.second) return a.second > b.second;
                return a.first < b.first;
            });
        t.assignee = best->first;
    }
    t.status = t.assignee ? Status::kAssigned : Status::kNew;

    const auto& target = sla.targets[static_cast<std::size_t>(priority)];
    t.sla_response_due = sla.clock.add(now, minutes_ms(target.response_minutes));
    t.sla_resolution_due = sla.clock.add(now, minutes_ms(target.resolution_minutes));

    static constexpr std::string_view kInsert =
        "INSERT INTO tickets (id, number, title, description, status, priority, priority_rank, "
        "category, customer_id, requester_id, assigned_to, source, sla_response_due, "
        "sla_resolution_due, sla_breached, created_at, updated_at, version) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $15, 1)";
    conn.execute(kInsert, {t.id.str(), t.number, t.title, t.description,
                           std::string(name(t.status)), std::string(name(t.priority)),
                           static_cast<std::int64_t>(rank(t.priority)), nullable(t.category),
                           t.customer.str(), nullable(t.requester), nullable(t.assignee), t.source,
                           nullable(t.sla_response_due), nullable(t.sla_resolution_due), now});
    Writer w{conn, actor, tenant, now};
    w.set_tags(t.id, t.tags, true);
    w.index_ticket(t, false);
    w.history(t.id, "created", std::nullopt, std::nullopt, std::string(name(t.status)));
    w.event("ticket.created", t,
            {{"customer_id", t.customer.str()},
             {"priority", name(t.priority)},
             {"status", name(t.status)}});
    if (t.assignee) {
        w.history(t.id, "assigned", "assigned_to", std::nullopt, t.assignee->str());
        w.event("ticket.assigned", t,
                {{"assigned_to", t.assignee->str()}, {"auto", !in.assignee.has_value()}});
    }
    if (in.idempotency_key) {
        conn.execute("DELETE FROM idempotency_keys WHERE created_at <= $1",
                     {now - kIdempotencyTtlMs});
        conn.execute(
            "INSERT INTO idempotency_keys (user_id, key, request_hash, resource_id, created_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            {actor.user.str(), *in.idempotency_key, in.fingerprint, t.id.str(), now});
    }
    tx.commit();
    return Created{std::move(t), false};
}

// ---- import
// -----------------------------------------------------------------------------------------

namespace {

// The checks of one imported ticket; field pointers are /<index>/<field>.
void check_imported(const ImportedTicket& in, std::size_t index,
                    std::vector<core::FieldError>& errors) {
    std::vector<core::FieldError> own;
    check_title(in.title, own);
    check_description(in.description, own);
    check_category(in.category, own);
    if (normalise_tags(in.tags, own) != in.tags)
        own.push_back({"/tags", "must be lower case, unique and sorted"});
    if (std::find(kSources.begin(), kSources.end(), in.source) == kSources.end())
        own.push_back({"/source", "must be portal, email, api, phone or salesforce"});
    if (in.customer.empty()) own.push_back({"/customer_id", "is required"});
    if (in.created_at <= 0) own.push_back({"/created_at", "is required"});
    if (in.updated_at < in.created_at) own.push_back({"/updated_at", "is before created_at"});
    const bool done = in.status == Status::kResolved || in.status == Status::kClosed;
    if (done != in.resolved_at.has_value())
        own.push_back({"/resolved_at", "is set exactly when the ticket is resolved or closed"});
    if ((in.status == Status::kClosed) != in.closed_at.has_value())
        own.push_back({"/closed_at", "is set exactly when the ticket is closed"});
    if ((in.status == Status::kAssigned || in.status == Status::kInProgress) && !in.assignee)
        own.push_back({"/assigned_to", "is required for an assigned or in_progress ticket"});
    if (in.status == Status::kNew && in.assignee)
        own.push_back({"/assigned_to", "must be empty for a new ticket"});
    for (auto t : {in.first_response_at, in.resolved_at, in.closed_at}) {
        if (t && (*t < in.created_at || *t > in.updated_at)) {
            own.push_back({"/updated_at", "times must lie between created_at and updated_at"});
            break;
        }
    }
    for (std::size_t c = 0; c < in.comments.size(); ++c) {
        const auto& comment = in.comments[c];
        const std::string at = "/comments/" + std::to_string(c);
        if (comment.body.empty() || blank(comment.body))
            own.push_back({at + "/body", "is required"});
        else if (auto p = core::text_problem(comment.body, kMaxComment, true))
            own.push_back({at + "/body", *p});
        if (comment.visibility != "public" && comment.visibility != "internal")
            own.push_back({at + "/visibility", "must be public or internal"});
        if (comment.at < in.created_at || comment.at > in.updated_at)
            own.push_back({at + "/at", "must lie between created_at and updated_at"});
    }
    for (auto& e : own) {
        e.field = "/" + std::to_string(index) + e.field;
        errors.push_back(std::move(e));
    }
}

}  // namespace

core::Result<std::vector<core::TicketId>> TicketService::import(
    const Actor& actor, const core::TenantId& tenant, const std::vector<ImportedTicket>& batch) {
    if (actor.outside(tenant))
        return core::fail(core::Error::not_found("There is no such tenant."));
    if (!actor.can(Permission::kTicketsReadAll) || !actor.can(Permission::kTicketsAssign))
        return core::fail(core::Error::forbidden("Importing tickets is for managers."));
    const auto tenant_record = tenants_.find(tenant.str());
    if (!tenant_record) return core::fail(core::Error::not_found("There is no such tenant."));
    std::vector<core::FieldError> errors;
    for (std::size_t i = 0; i < batch.size() && errors.size() < 20; ++i)
        check_imported(batch[i], i, errors);
    if (!errors.empty())
        return core::fail(core::Error::invalid(std::move(errors), "The import is invalid."));

    auto lease = stores_.tenant(tenant);
    db::Transaction tx(*lease);
    auto& conn = tx.conn();
    const bool sqlite = conn.dialect() == db::Dialect::kSqlite;
    std::map<std::string, Sla> policies;  // by customer
    std::vector<core::TicketId> ids;
    ids.reserve(batch.size());
    const std::int64_t now = core::now_ms();
    std::int64_t number =
        conn.query(
                "UPDATE ticket_counter SET last_number = last_number + $1 WHERE id = 1 "
                "RETURNING last_number",
                {static_cast<std::int64_t>(batch.size())})
            .get_int(0, 0) -
        static_cast<std::int64_t>(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const auto& in = batch[i];
        auto policy = policies.find(in.customer.str());
        if (policy == policies.end()) {
            if (conn.query("SELECT 1 FROM customers WHERE id = $1", {in.customer.str()}).empty())
                return core::fail(core::Error::invalid("/" + std::to_string(i) + "/customer_id",
                                                       "no such customer"));
            policy = policies
                         .emplace(in.customer.str(),
                                  load_sla(conn, in.customer, tenant_record->settings.time_zone))
                         .first;
        }
        const Sla& sla = policy->second;
        Ticket t;
        t.id = core::TicketId{core::new_uuid_v7()};
        t.number = ++number;
        t.title = in.title;
        t.description = in.description;
        t.status = in.status;
        t.priority = in.priority;
        t.category = in.category;
        t.tags = in.tags;
        t.customer = in.customer;
        t.requester = in.requester;
        t.assignee = in.assignee;
        t.source = in.source;
        t.first_response_at = in.first_response_at;
        t.resolved_at = in.resolved_at;
        t.closed_at = in.closed_at;
        t.created_at = in.created_at;
        t.updated_at = in.updated_at;
        t.external_ref = in.external_ref;
        const auto& target = sla.targets[static_cast<std::size_t>(in.priority)];
        t.sla_response_due = sla.clock.add(in.created_at, minutes_ms(target.response_minutes));
        t.sla_resolution_due = sla.clock.add(in.created_at, minutes_ms(target.resolution_minutes));
        if (t.status == Status::kWaitingCustomer) {  // paused since its last change
            t.sla_paused_at = in.updated_at;
            if (!t.first_response_at)
                t.sla_response_left = sla.clock.between(in.updated_at, *t.sla_response_due);
            t.sla_resolution_left = sla.clock.between(in.updated_at, *t.sla_resolution_due);
        }
        const std::int64_t answered = t.first_response_at.value_or(now);
        const std::int64_t finished = t.resolved_at.value_or(t.sla_paused_at.value_or(now));
        t.sla_breached = answered > *t.sla_response_due || finished > *t.sla_resolution_due;

        static constexpr std::string_view kInsert =
            "INSERT INTO tickets (id, number, title, description, status, priority, "
            "priority_rank, category, customer_id, requester_id, assigned_to, source, "
            "sla_response_due, sla_resolution_due, sla_paused_at, sla_response_left, "
            "sla_resolution_left, sla_breached, first_response_at, resolved_at, closed_at, "
            "created_at, updated_at, version, external_ref) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 1, "
            "$24)";
        conn.execute(kInsert, {t.id.str(),
                               t.number,
                               t.title,
                               t.description,
                               std::string(name(t.status)),
                               std::string(name(t.priority)),
                               static_cast<std::int64_t>(rank(t.priority)),
                               nullable(t.category),
                               t.customer.str(),
                               nullable(t.requester),
                               nullable(t.assignee),
                               t.source,
                               nullable(t.sla_response_due),
                               nullable(t.sla_resolution_due),
                               nullable(t.sla_paused_at),
                               nullable(t.sla_response_left),
                               nullable(t.sla_resolution_left),
                               static_cast<std::int64_t>(t.sla_breached ? 1 : 0),
                               nullable(t.first_response_at),
                               nullable(t.resolved_at),
                               nullable(t.closed_at),
                               t.created_at,
                               t.updated_at,
                               nullable(t.external_ref)});

        // A summary history: who did what is known only for comments; the steps are the import's.
        Writer w{conn, actor, tenant, in.created_at};
        w.set_tags(t.id, t.tags, true);
        w.history(t.id, "created", std::nullopt, std::nullopt, "new");
        Status at = Status::kNew;
        auto step = [&](Status to, std::int64_t when) {
            w.now = when;
            w.history(t.id, "status", "status", std::string(name(at)), std::string(name(to)));
            at = to;
        };
        if (t.assignee) {
            w.history(t.id, "assigned", "assigned_to", std::nullopt, t.assignee->str());
            step(Status::kAssigned, in.created_at);
        }
        if (t.status != Status::kNew && t.status != Status::kAssigned && at == Status::kAssigned)
            step(Status::kInProgress, t.first_response_at.value_or(in.created_at));
        if (t.status == Status::kWaitingCustomer) step(Status::kWaitingCustomer, in.updated_at);
        if (t.resolved_at) step(Status::kResolved, *t.resolved_at);
        if (t.closed_at) step(Status::kClosed, *t.closed_at);
        if (t.status != at) step(t.status, in.updated_at);
        for (const auto& c : in.comments) {
            const std::string comment_id = core::new_uuid_v7();
            conn.execute(
                "INSERT INTO ticket_comments (id, ticket_id, author_id, body, visibility, "
                "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                {comment_id, t.id.str(), nullable(c.author), c.body, c.visibility, c.at});
            if (c.visibility == "public" && !sqlite) w.index_comment(t, comment_id, c.body);
            w.now = c.at;
            w.on_behalf = c.author;
            w.history(t.id, "commented", std::nullopt, std::nullopt, comment_id, c.visibility);
        }
        w.index_ticket(t, true);  // SQLite: the one document, with the comments just written
        ids.push_back(t.id);
    }
    tx.commit();
    return ids;
}

// ---- update
// -----------------------------------------------------------------------------------------

core::Result<Ticket> TicketService::update(const Actor& actor, const core::TenantId& tenant,
                                           const core::TicketId& id, const TicketChange& change,
                                           std::optional<std::int64_t> if_match_version) {
    if (actor.outside(tenant)) return core::fail(no_such_ticket());
    const auto tenant_record = tenants_.find(tenant.str());
    if (!tenant_record) return core::fail(core::Error::not_found("There is no such tenant."));
    const auto& settings = tenant_record->settings;

    std::vector<core::FieldError> errors;
    if (change.title) check_title(*change.title, errors);
    if (change.description) check_description(*change.description, errors);
    if (change.category) check_category(*change.category, errors);
    std::optional<std::vector<std::string>> tags;
    if (change.tags) tags = normalise_tags(*change.tags, errors);
    std::optional<Priority> priority;
    if (change.priority) {
        priority = parse_priority(*change.priority);
        if (!priority) errors.push_back({"/priority", "must be low, medium, high or critical"});
    }
    std::optional<Status> status;
    if (change.status) {
        status = parse_status(*change.status);
        if (!status)
            errors.push_back(
                {"/status",
                 "must be new, assigned, in_progress, waiting_customer, resolved or closed"});
    }
    if (change.assignee && *change.assignee) {
        const auto& who = **change.assignee;
        const auto user = core::is_uuid(who.str()) ? users_.find(who) : std::nullopt;
        if (!user || user->tenant != tenant || !is_staff_role(user->role) ||
            user->status != "active")
            errors.push_back({"/assigned_to", "no such active EXPERT or MANAGER in this tenant"});
    }
    if (!errors.empty())
        return core::fail(core::Error::invalid(std::move(errors), "The change is invalid."));

    const std::int64_t now = core::now_ms();
    auto lease = stores_.tenant(tenant);
    db::Transaction tx(*lease);
    auto& conn = tx.conn();
    auto found = load_visible(conn, actor, settings.experts_see_all_tickets, id);
    if (!found) return core::fail(no_such_ticket());
    const Ticket before = *found;
    Ticket t = before;
    if (if_match_version && *if_match_version != before.version)
        return core::fail(core::ErrorCode::kPreconditionFailed,
                          "The ticket changed since you read it (version " +
                              std::to_string(before.version) + "); reload and try again.");

    // What actually changes (sending back what was read changes nothing).
    const bool title_changes = change.title && *change.title != before.title;
    const bool description_changes =
        change.description && *change.description != before.description;
    const bool category_changes = change.category && *change.category != before.category;
    const bool tags_change = tags && *tags != before.tags;
    const bool priority_changes = priority && *priority != before.priority;
    const bool assignee_changes = change.assignee && *change.assignee != before.assignee;
    bool status_changes = status && *status != before.status;

    if (is_customer(actor)) {
        if (title_changes || description_changes || category_changes || tags_change ||
            priority_changes || assignee_changes)
            return core::fail(core::Error::forbidden(
                "Customers can only close a ticket or reopen a resolved one; add a "
                "comment for anything else."));
        if (status_changes && !customer_may_transition(before.status, *status))
            return core::fail(core::Error::forbidden(
                "Customers can only close a ticket or reopen a resolved one."));
    } else if (!actor.can(Permission::kTicketsWrite)) {
        return core::fail(
            core::Error::forbidden("Changing tickets needs the tickets.write permission."));
    }
    if (assignee_changes && !actor.can(Permission::kTicketsAssign))
        return core::fail(core::Error::forbidden("Assigning needs the tickets.assign permission."));

    if (title_changes) t.title = *change.title;
    if (description_changes) t.description = *change.description;
    if (category_changes) t.category = *change.category;
    if (tags_change) t.tags = *tags;
    if (priority_changes) t.priority = *priority;
    if (assignee_changes) t.assignee = *change.assignee;

    // Assignment moves new ↔ assigned unless the change names a status itself.
    if (!status) {
        if (assignee_changes && t.assignee && before.status == Status::kNew)
            t.status = Status::kAssigned;
        if (assignee_changes && !t.assignee && before.status == Status::kAssigned)
            t.status = Status::kNew;
    } else {
        t.status = *status;
    }
    status_changes = t.status != before.status;
    if (status_changes && !transition_allowed(before.status, t.status))
        return core::fail(core::Error::invalid(
            "/status", "cannot change from " + std::string(name(before.status)) + " to " +
                           std::string(name(t.status))));
    if (t.status == Status::kAssigned && !t.assignee)
        return core::fail(core::Error::invalid("/status", "assigned needs assigned_to"));

    const bool changed = title_changes || description_changes || category_changes || tags_change ||
                         priority_changes || assignee_changes || status_changes;
    if (!changed) return before;

    // The SLA clock: waiting_customer pauses it, leaving resumes with the budget that was left;
    // a new priority moves the due times by the difference of the targets. Other changes leave
    // it alone (and do not load the policy).
    std::optional<Sla> sla;
    if (priority_changes || status_changes) sla = load_sla(conn, t.customer, settings.time_zone);
    if (priority_changes) {
        const auto& old_target = sla->targets[static_cast<std::size_t>(before.priority)];
        const auto& new_target = sla->targets[static_cast<std::size_t>(t.priority)];
        auto shift = [&](std::optional<std::int64_t>& due, std::optional<std::int64_t>& left,
                         int old_min, int new_min) {
            const std::int64_t delta = minutes_ms(new_min) - minutes_ms(old_min);
            if (before.sla_paused_at) {
                if (left) left = std::max<std::int64_t>(0, *left + delta);
            } else if (due) {
                // Working time from creation to the old due time = the old target plus any paused
                // time since; keep the paused part and apply the new target.
                const std::int64_t paused = std::max<std::int64_t>(
                    0, sla->clock.between(t.created_at, *due) - minutes_ms(old_min));
                due = sla->clock.add(t.created_at, minutes_ms(new_min) + paused);
            }
        };
        if (!t.first_response_at)
            shift(t.sla_response_due, t.sla_response_left, old_target.response_minutes,
                  new_target.response_minutes);
        shift(t.sla_resolution_due, t.sla_resolution_left, old_target.resolution_minutes,
              new_target.resolution_minutes);
    }
    if (status_changes) {
        const bool pausing = t.status == Status::kWaitingCustomer;
        const bool was_paused = before.sla_paused_at.has_value();
        if (pausing && !was_paused) {
            t.sla_paused_at = now;
            t.sla_response_left = (!t.first_response_at && t.sla_response_due)
                                      ? std::optional(sla->clock.between(now, *t.sla_response_due))
                                      : std::nullopt;
            t.sla_resolution_left =
                t.sla_resolution_due ? std::optional(sla->clock.between(now, *t.sla_resolution_due))
                                     : std::nullopt;
        } else if (!pausing && was_paused) {
            if (is_open(t.status)) {
                resume(*sla, t, now);
            } else {
                // Resolved or closed from waiting: the due times stay as they were.
                t.sla_paused_at.reset();
                t.sla_response_left.reset();
                t.sla_resolution_left.reset();
            }
        }
        if (t.status == Status::kResolved) t.resolved_at = now;
        if (t.status == Status::kClosed) t.closed_at = now;
        if (before.status == Status::kResolved && is_open(t.status)) t.resolved_at.reset();
    }

    t.updated_at = now;
    t.version = before.version + 1;
    static constexpr std::string_view kUpdate =
        "UPDATE tickets SET title = $2, description = $3, status = $4, priority = $5, "
        "priority_rank = $6, category = $7, assigned_to = $8, sla_response_due = $9, "
        "sla_resolution_due = $10, sla_paused_at = $11, sla_response_left = $12, "
        "sla_resolution_left = $13, resolved_at = $14, closed_at = $15, updated_at = $16, "
        "version = version + 1 WHERE id = $1 AND version = $17";
    const auto rows = conn.execute(
        kUpdate, {t.id.str(), t.title, t.description, std::string(name(t.status)),
                  std::string(name(t.priority)), static_cast<std::int64_t>(rank(t.priority)),
                  nullable(t.category), nullable(t.assignee), nullable(t.sla_response_due),
                  nullable(t.sla_resolution_due), nullable(t.sla_paused_at),
                  nullable(t.sla_response_left), nullable(t.sla_resolution_left),
                  nullable(t.resolved_at), nullable(t.closed_at), now, before.version});
    if (rows != 1)
        return core::fail(core::ErrorCode::kPreconditionFailed,
                          "The ticket changed meanwhile; reload and try again.");

    Writer w{conn, actor, tenant, now};
    if (title_changes) w.history(t.id, "field", "title", before.title, t.title);
    if (description_changes) w.history(t.id, "field", "description", std::nullopt, std::nullopt);
    if (category_changes) w.history(t.id, "field", "category", before.category, t.category);
    if (tags_change) {
        w.set_tags(t.id, t.tags);
        nlohmann::json old_tags = before.tags, new_tags = t.tags;
        w.history(t.id, "field", "tags", old_tags.dump(), new_tags.dump());
    }
    if (title_changes || description_changes) w.index_ticket(t, true);
    if (priority_changes)
        w.history(t.id, "priority", "priority", std::string(name(before.priority)),
                  std::string(name(t.priority)));
    if (assignee_changes) {
        w.history(t.id, "assigned", "assigned_to",
                  before.assignee ? std::optional(before.assignee->str()) : std::nullopt,
                  t.assignee ? std::optional(t.assignee->str()) : std::nullopt);
        w.event("ticket.assigned", t,
                {{"assigned_to",
                  t.assignee ? nlohmann::json(t.assignee->str()) : nlohmann::json(nullptr)},
                 {"auto", false}});
    }
    if (status_changes) {
        w.history(t.id, "status", "status", std::string(name(before.status)),
                  std::string(name(t.status)));
        w.event("ticket.status_changed", t,
                {{"from", name(before.status)}, {"to", name(t.status)}});
    }
    if (title_changes || description_changes || category_changes || tags_change ||
        priority_changes) {
        nlohmann::json fields = nlohmann::json::array();
        if (title_changes) fields.push_back("title");
        if (description_changes) fields.push_back("description");
        if (category_changes) fields.push_back("category");
        if (tags_change) fields.push_back("tags");
        if (priority_changes) fields.push_back("priority");
        w.event("ticket.updated", t, {{"fields", fields}});
    }
    tx.commit();
    return t;
}

core::Result<void> TicketService::remove(const Actor& actor, const core::TenantId& tenant,
                                         const core::TicketId& id) {
    if (actor.outside(tenant)) return core::fail(no_such_ticket());
    const bool experts_see_all = expert_sees_all(tenants_, actor, tenant);
    const std::int64_t now = core::now_ms();
    auto lease = stores_.tenant(tenant);
    db::Transaction tx(*lease);
    auto& conn = tx.conn();
    // Visibility first: a ticket the actor cannot see does not exist for them.
    auto t = load_visible(conn, actor, experts_see_all, id);
    if (!t) return core::fail(no_such_ticket());
    if (!actor.can(Permission::kTicketsDelete))
        return core::fail(
            core::Error::forbidden("Deleting tickets needs the tickets.delete permission."));
    conn.execute(
        "UPDATE tickets SET deleted_at = $2, updated_at = $2, version = version + 1 WHERE id = $1",
        {t->id.str(), now});
    Writer w{conn, actor, tenant, now};
    w.history(t->id, "deleted");
    w.event("ticket.deleted", *t);
    tx.commit();
    return {};
}

// ---- comments and history
// ---------------------------------------------------------------------------

namespace {
// A row of "SELECT id, author_id, body, visibility, created_at FROM ticket_comments".
Comment row_to_comment(const db::ResultSet& rs, std::size_t i, const core::TicketId& ticket) {
    Comment c;
    c.id = rs.get_text(i, 0);
    c.ticket = ticket;
    if (auto a = rs.opt_text(i, 1)) c.author = core::UserId{*a};
    c.body = rs.get_text(i, 2);
    c.visibility = rs.get_text(i, 3);
    c.created_at = rs.get_int(i, 4);
    return c;
}
}  // namespace

core::Result<core::Page<Comment>> TicketService::comments(const Actor& actor,
                                                          const core::TenantId& tenant,
                                                          const core::TicketId& id,
                                                          const core::PageRequest& page) {
    auto visible = get(actor, tenant, id);
    if (!visible) return core::fail(visible.error());
    const std::string filter = is_customer(actor) ? " AND visibility = 'public'" : "";
    auto lease = stores_.tenant(tenant);
    core::Page<Comment> out;
    out.total = lease
                    ->query("SELECT COUNT(*) FROM ticket_comments WHERE ticket_id = $1" + filter,
                            {id.str()})
                    .get_int(0, 0);
    const auto rs = lease->query(
        "SELECT id, author_id, body, visibility, created_at FROM ticket_comments WHERE ticket_id = "
        "$1" +
            filter + " ORDER BY created_at, id LIMIT $2 OFFSET $3",
        {id.str(), static_cast<std::int64_t>(page.limit), page.offset()});
    for (std::size_t i = 0; i < rs.size(); ++i) out.items.push_back(row_to_comment(rs, i, id));
    return out;
}

core::Result<Comment> TicketService::comment(const Actor& actor, const core::TenantId& tenant,
                                             const core::TicketId& id,
                                             const std::string& comment_id) {
    auto visible = get(actor, tenant, id);
    if (!visible) return core::fail(visible.error());
    const auto missing = [] { return core::Error::not_found("There is no such comment."); };
    if (!core::is_uuid(comment_id)) return core::fail(missing());
    const std::string filter = is_customer(actor) ? " AND visibility = 'public'" : "";
    auto lease = stores_.tenant(tenant);
    const auto rs = lease->query(
        "SELECT id, author_id, body, visibility, created_at FROM ticket_comments WHERE id = $1 "
        "AND ticket_id = $2" +
            filter,
        {comment_id, id.str()});
    if (rs.empty()) return core::fail(missing());
    return row_to_comment(rs, 0, id);
}

core::Result<Comment> TicketService::add_comment(const Actor& actor, const core::TenantId& tenant,
                                                 const core::TicketId& id, const NewComment& in) {
    if (actor.outside(tenant)) return core::fail(no_such_ticket());
    const auto tenant_record = tenants_.find(tenant.str());
    if (!tenant_record) return core::fail(core::Error::not_found("There is no such tenant."));
    const auto& settings = tenant_record->settings;
    std::vector<core::FieldError> errors;
    if (in.body.empty() || blank(in.body))
        errors.push_back({"/body", "is required"});
    else if (auto p = core::text_problem(in.body, kMaxComment, true))
        errors.push_back({"/body", *p});
    const std::string visibility_value = in.visibility.value_or("public");
    if (visibility_value != "public" && visibility_value != "internal")
        errors.push_back({"/visibility", "must be public or internal"});
    if (!errors.empty())
        return core::fail(core::Error::invalid(std::move(errors), "The comment is invalid."));

    const std::int64_t now = core::now_ms();
    auto lease = stores_.tenant(tenant);
    db::Transaction tx(*lease);
    auto& conn = tx.conn();
    auto found = load_visible(conn, actor, settings.experts_see_all_tickets, id);
    if (!found) return core::fail(no_such_ticket());
    if (!actor.can(Permission::kTicketsWrite))
        return core::fail(core::Error::forbidden("Commenting needs the tickets.write permission."));
    if (is_customer(actor) && visibility_value == "internal")
        return core::fail(core::Error::forbidden("Internal notes are for staff."));
    if (found->status == Status::kClosed)
        return core::fail(core::Error::conflict("The ticket is closed; open a new one."));

    Comment c;
    c.id = core::new_uuid_v7();
    c.ticket = id;
    c.author = actor.user;
    c.body = in.body;
    c.visibility = visibility_value;
    c.created_at = now;
    conn.execute(
        "INSERT INTO ticket_comments (id, ticket_id, author_id, body, visibility, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {c.id, id.str(), actor.user.str(), c.body, c.visibility, now});
    Writer w{conn, actor, tenant, now};
    const bool is_public = c.visibility == "public";
    Ticket t = *found;
    if (is_public) w.index_comment(t, c.id, c.body);
    w.history(id, "commented", std::nullopt, std::nullopt, c.id, c.visibility);

    const Status before = t.status;
    if (is_public && is_staff(actor) && !t.first_response_at) t.first_response_at = now;
    // A customer's answer to a ticket waiting for them puts it back in the technicians' court.
    const bool resumes = is_public && is_customer(actor) && t.status == Status::kWaitingCustomer;
    if (resumes) {
        t.status = t.assignee ? Status::kInProgress : Status::kNew;
        resume(load_sla(conn, t.customer, settings.time_zone), t, now);
    }
    conn.execute(
        "UPDATE tickets SET status = $2, sla_paused_at = $3, sla_response_left = $4, "
        "sla_resolution_left = $5, sla_response_due = $6, sla_resolution_due = $7, "
        "first_response_at = $8, updated_at = $9, version = version + 1 WHERE id = $1",
        {id.str(), std::string(name(t.status)), nullable(t.sla_paused_at),
         nullable(t.sla_response_left), nullable(t.sla_resolution_left),
         nullable(t.sla_response_due), nullable(t.sla_resolution_due),
         nullable(t.first_response_at), now});
    if (resumes) {
        w.history(id, "status", "status", std::string(name(before)), std::string(name(t.status)));
        w.event("ticket.status_changed", t, {{"from", name(before)}, {"to", name(t.status)}});
    }
    w.event("ticket.commented", t, {{"comment_id", c.id}, {"visibility", c.visibility}});
    tx.commit();
    return c;
}

core::Result<core::Page<HistoryEntry>> TicketService::history(const Actor& actor,
                                                              const core::TenantId& tenant,
                                                              const core::TicketId& id,
                                                              const core::PageRequest& page) {
    auto visible = get(actor, tenant, id);
    if (!visible) return core::fail(visible.error());
    const std::string filter = is_customer(actor) ? " AND visibility = 'public'" : "";
    auto lease = stores_.tenant(tenant);
    core::Page<HistoryEntry> out;
    out.total =
        lease
            ->query("SELECT COUNT(*) FROM ticket_history WHERE ticket_id = $1" + filter, {id.str()})
            .get_int(0, 0);
    const auto rs = lease->query(
        "SELECT id, at, actor_id, action, field, old_value, new_value, visibility FROM "
        "ticket_history "
        "WHERE ticket_id = $1" +
            filter + " ORDER BY at, id LIMIT $2 OFFSET $3",
        {id.str(), static_cast<std::int64_t>(page.limit), page.offset()});
    for (std::size_t i = 0; i < rs.size(); ++i) {
        HistoryEntry e;
        e.id = rs.get_text(i, 0);
        e.at = rs.get_int(i, 1);
        if (auto a = rs.opt_text(i, 2)) e.actor = core::UserId{*a};
        e.action = rs.get_text(i, 3);
        e.field = rs.opt_text(i, 4);
        e.old_value = rs.opt_text(i, 5);
        e.new_value = rs.opt_text(i, 6);
        e.visibility = rs.get_text(i, 7);
        out.items.push_back(std::move(e));
    }
    return out;
}

// ---- the breach job
// -----------------------------------------------------------------------------------

int TicketService::mark_breaches(const core::TenantId& tenant, std::int64_t now) {
    static constexpr std::string_view kDue =
        "SELECT id, number, first_response_at, sla_response_due, sla_resolution_due FROM tickets "
        "WHERE deleted_at IS NULL AND sla_breached = 0 AND status IN ('new', 'assigned', "
        "'in_progress', "
        "'waiting_customer') "
        "AND sla_paused_at IS NULL AND ((first_response_at IS NULL AND sla_response_due < $1) "
        "OR sla_resolution_due < $1) ORDER BY id LIMIT $2";
    identity::Actor system;  // no user: the system acts
    int marked = 0;
    while (true) {
        auto lease = stores_.tenant(tenant);
        db::Transaction tx(*lease);
        auto& conn = tx.conn();
        const auto rs = conn.query(kDue, {now, static_cast<std::int64_t>(kBreachBatch)});
        Writer w{conn, system, tenant, now};
        for (std::size_t i = 0; i < rs.size(); ++i) {
            Ticket t;
            t.id = core::TicketId{rs.get_text(i, 0)};
            t.number = rs.get_int(i, 1);
            const bool response = !rs.opt_int(i, 2) && rs.opt_int(i, 3) && *rs.opt_int(i, 3) < now;
            const char* which = response ? "response" : "resolution";
            conn.execute("UPDATE tickets SET sla_breached = 1, version = version + 1 WHERE id = $1",
                         {t.id.str()});
            w.history(t.id, "sla_breached", "sla", std::nullopt, std::string(which));
            w.event("ticket.sla_breached", t, {{"target", which}});
        }
        tx.commit();
        marked += static_cast<int>(rs.size());
        if (static_cast<int>(rs.size()) < kBreachBatch) break;
    }
    return marked;
}

// ---- JSON
// -------------------------------------------------------------------------------------------------

namespace {
template <class T>
nlohmann::json id_or_null(const std::optional<T>& id) {
    return id ? nlohmann::json(id->str()) : nlohmann::json(nullptr);
}
}  // namespace

void write_json(const Ticket& t, core::JsonText& w, const UserNames* names) {
    const auto opt_string = [&w](const char* key, const std::optional<std::string>& v) {
        w.key(key);
        v ? w.string(*v) : w.null();
    };
    const auto opt_time = [&w](const char* key, const std::optional<std::int64_t>& v) {
        w.key(key);
        v ? w.string(core::format_rfc3339(*v)) : w.null();
    };
    w.begin_object();
    w.key("id").string(t.id.str());
    w.key("number").number(t.number);
    w.key("title").string(t.title);
    w.key("description").string(t.description);
    w.key("status").string(name(t.status));
    w.key("priority").string(name(t.priority));
    opt_string("category", t.category);
    w.key("tags").begin_array();
    for (const auto& tag : t.tags) w.string(tag);
    w.end_array();
    w.key("customer_id").string(t.customer.str());
    opt_string("requester_id",
               t.requester ? std::optional<std::string>(t.requester->str()) : std::nullopt);
    opt_string("assigned_to",
               t.assignee ? std::optional<std::string>(t.assignee->str()) : std::nullopt);
    if (names != nullptr) {
        const auto name_of = [names](const std::optional<core::UserId>& id) {
            if (!id) return std::optional<std::string>();
            const auto found = names->find(id->str());
            return found == names->end() ? std::optional<std::string>()
                                         : std::optional<std::string>(found->second);
        };
        opt_string("requester_name", name_of(t.requester));
        opt_string("assignee_name", name_of(t.assignee));
    }
    w.key("source").string(t.source);
    opt_time("sla_response_due", t.sla_response_due);
    opt_time("sla_resolution_due", t.sla_resolution_due);
    w.key("sla_paused").boolean(t.sla_paused_at.has_value());
    w.key("sla_breached").boolean(t.sla_breached);
    opt_time("first_response_at", t.first_response_at);
    opt_time("resolved_at", t.resolved_at);
    opt_time("closed_at", t.closed_at);
    w.key("created_at").string(core::format_rfc3339(t.created_at));
    w.key("updated_at").string(core::format_rfc3339(t.updated_at));
    opt_time("deleted_at", t.deleted_at);
    w.key("version").number(t.version);
    opt_string("external_ref", t.external_ref);
    w.end_object();
}

nlohmann::json to_json(const Ticket& t) {
    core::JsonText w;
    write_json(t, w);
    return nlohmann::json::parse(w.str());
}

nlohmann::json to_json(const Comment& c) {
    return {{"id", c.id},
            {"ticket_id", c.ticket.str()},
            {"author_id", id_or_null(c.author)},
            {"body", c.body},
            {"visibility", c.visibility},
            {"created_at", core::format_rfc3339(c.created_at)}};
}

nlohmann::json to_json(const HistoryEntry& e) {
    return {{"id", e.id},
            {"at", core::format_rfc3339(e.at)},
            {"actor_id", id_or_null(e.actor)},
            {"action", e.action},
            {"field", e.field ? nlohmann::json(*e.field) : nlohmann::json(nullptr)},
            {"old_value", e.old_value ? nlohmann::json(*e.old_value) : nlohmann::json(nullptr)},
            {"new_value", e.new_value ? nlohmann::json(*e.new_value) : nlohmann::json(nullptr)},
            {"visibility", e.visibility}};
}

}  // namespace kontor::tickets
