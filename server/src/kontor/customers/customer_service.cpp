#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/core/text.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/db/like.hpp"
#include "kontor/identity/users.hpp"

namespace kontor::customers {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO customers (id, name, domain, contact_email, phone, address, notes, external_ref, "
    "created_at, updated_at, version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1)";
constexpr std::string_view kSelectById =
    "SELECT id, name, domain, contact_email, phone, address, notes, external_ref, created_at, "
    "updated_at, version FROM customers WHERE id = $1";
// Compare-and-set: the row changes only while it still has the version the caller read (or named
// with If-Match), so two concurrent edits cannot silently overwrite each other.
constexpr std::string_view kUpdate =
    "UPDATE customers SET name = $2, domain = $3, contact_email = $4, phone = $5, address = $6, "
    "notes = $7, external_ref = $8, updated_at = $9, version = version + 1 "
    "WHERE id = $1 AND version = $10";
constexpr std::string_view kExists = "SELECT 1 FROM customers WHERE id = $1";
// Which unique key a failed write collided with ($2: the row being written, excluded).
constexpr std::string_view kNameTaken =
    "SELECT 1 FROM customers WHERE lower(name) = lower($1) AND id <> $2";
constexpr std::string_view kExternalRefTaken =
    "SELECT 1 FROM customers WHERE external_ref = $1 AND id <> $2";

// Fixed fragments of the list query; user text only ever reaches SQL as a bound parameter.
constexpr std::string_view kListSelect =
    "SELECT id, name, domain, contact_email, phone, address, notes, external_ref, created_at, "
    "updated_at, version FROM customers";
constexpr std::string_view kListCount = "SELECT COUNT(*) FROM customers";
// lower() on both sides: each engine lowers column and pattern the same way (ASCII only on
// SQLite, Unicode on PostgreSQL). The CAST gives PostgreSQL the parameter's type.
constexpr std::string_view kSearchFilter =
    "(lower(name) LIKE lower(CAST($P AS TEXT)) ESCAPE '\\' "
    "OR lower(domain) LIKE lower(CAST($P AS TEXT)) ESCAPE '\\' "
    "OR lower(contact_email) LIKE lower(CAST($P AS TEXT)) ESCAPE '\\')";

struct SortColumn {
    std::string_view key;  // the API's name
    std::string_view sql;  // the ORDER BY expression
};
constexpr std::array kSortColumns{
    SortColumn{"name", "lower(name)"},
    SortColumn{"created_at", "created_at"},
    SortColumn{"updated_at", "updated_at"},
};

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxDomain = 253;
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxPhone = 50;
constexpr std::size_t kMaxAddress = 1000;
constexpr std::size_t kMaxNotes = 10000;
constexpr std::size_t kMaxExternalRef = 100;
constexpr std::size_t kMaxSearch = 200;

Customer row_to_customer(const db::ResultSet& rs, std::size_t i) {
    Customer c;
    c.id = core::OrganizationId{rs.get_text(i, 0)};
    c.name = rs.get_text(i, 1);
    c.domain = rs.opt_text(i, 2);
    c.contact_email = rs.opt_text(i, 3);
    c.phone = rs.opt_text(i, 4);
    c.address = rs.opt_text(i, 5);
    c.notes = rs.opt_text(i, 6);
    c.external_ref = rs.opt_text(i, 7);
    c.created_at = rs.get_int(i, 8);
    c.updated_at = rs.get_int(i, 9);
    c.version = rs.get_int(i, 10);
    return c;
}

// ---- validation -------------------------------------------------------------------------------

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(std::string_view s) {
    while (!s.empty() && is_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && is_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

using core::ascii_lower;
using core::text_problem;

// A host name as DNS allows it (LDH labels, ≥ 2 of them) whose last label is not numeric, so an IP
// address or "localhost" is not taken for a customer's domain.
bool plausible_host(std::string_view host) {
    if (host.empty() || host.size() > kMaxDomain) return false;
    int labels = 0;
    std::string_view last;
    while (true) {
        const auto dot = host.find('.');
        const std::string_view label = host.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (!std::all_of(label.begin(), label.end(), [](unsigned char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            }))
            return false;
        ++labels;
        last = label;
        if (dot == std::string_view::npos) break;
        host.remove_prefix(dot + 1);
    }
    const bool numeric_tld =
        std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c); });
    return labels >= 2 && !numeric_tld;
}

using Nullable = std::optional<std::optional<std::string>>;

// Normalises one nullable single- or multi-line field: surrounding whitespace is dropped and a
// blank value clears the field (forms send "" for an emptied input). True when the field now holds
// a value that passed the generic checks (so field-specific checks may follow).
bool check_text(const char* field, Nullable& value, std::size_t max_bytes, bool multiline,
                std::vector<core::FieldError>& errors) {
    if (!value || !*value) return false;
    std::string v = **value;
    if (multiline) {
        // Browsers and Windows clients send CRLF line breaks; store one form.
        std::string lf;
        lf.reserve(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] == '\r' && i + 1 < v.size() && v[i + 1] == '\n') continue;
            lf.push_back(v[i]);
        }
        v = std::move(lf);
    }
    v = trim(v);
    if (v.empty()) {
        *value = std::optional<std::string>{};
        return false;
    }
    if (auto problem = text_problem(v, max_bytes, multiline)) {
        errors.push_back({field, *problem});
        return false;
    }
    *value = std::move(v);
    return true;
}

// Validates and normalises the input; `creating` makes the name required.
core::Result<CustomerInput> normalize(CustomerInput in, bool creating) {
    std::vector<core::FieldError> errors;
    if (in.name) {
        std::string name = trim(*in.name);
        if (name.empty()) {
            errors.push_back({"/name", "must not be blank"});
        } else if (auto problem = text_problem(name, kMaxName, false)) {
            errors.push_back({"/name", *problem});
        }
        in.name = std::move(name);
    } else if (creating) {
        errors.push_back({"/name", "is required"});
    }

    if (check_text("/domain", in.domain, kMaxDomain, false, errors)) {
        std::string host = ascii_lower(**in.domain);
        if (host.back() == '.') host.pop_back();  // the DNS root
        if (plausible_host(host)) {
            *in.domain = std::move(host);
        } else {
            errors.push_back({"/domain", "must be a host name such as example.com"});
        }
    }

    if (check_text("/contact_email", in.contact_email, kMaxEmail, false, errors)) {
        if (auto email = identity::normalize_email(**in.contact_email)) {
            *in.contact_email = std::move(*email);
        } else {
            errors.push_back({"/contact_email", "must be an e-mail address"});
        }
    }

    check_text("/phone", in.phone, kMaxPhone, false, errors);
    check_text("/address", in.address, kMaxAddress, true, errors);
    check_text("/notes", in.notes, kMaxNotes, true, errors);
    check_text("/external_ref", in.external_ref, kMaxExternalRef, false, errors);

    if (!errors.empty()) {
        return core::fail(core::Error{core::ErrorCode::kValidation, "The customer is invalid.",
                                      std::move(errors), 0});
    }
    return in;
}

// ---- helpers ----------------------------------------------------------------------------------

// The acting tenant must be the actor's own unless the actor is the platform ADMIN (no tenant);
// the HTTP edge already ensures it, this keeps a wrong call from reaching another tenant's data.
bool may_act_in(const identity::Actor& actor, const core::TenantId& tenant) {
    return actor.tenant.empty() || actor.tenant == tenant;
}

// Record check of the policy: staff see every customer, customer users their own organisation.
bool may_see(const identity::Actor& actor, const core::OrganizationId& id) {
    if (actor.can(identity::Permission::kCustomersRead)) return true;
    return actor.organization && *actor.organization == id;
}

// Notes are internal: a customer user never receives them, whatever the caller does with the
// value afterwards.
Customer visible_to(const identity::Actor& actor, Customer c) {
    if (!actor.can(identity::Permission::kCustomersRead)) c.notes.reset();
    return c;
}

core::Error not_found() { return core::Error::not_found("There is no such customer."); }

std::optional<Customer> load(db::Connection& conn, const core::OrganizationId& id) {
    const auto rs = conn.query(kSelectById, {id.str()});
    if (rs.empty()) return std::nullopt;
    return row_to_customer(rs, 0);
}

// After a unique violation (the transaction is rolled back): which field collided. Asking the
// store is exact on both engines, unlike parsing their error messages.
core::Error taken(db::Connection& conn, const Customer& c) {
    if (!conn.query(kNameTaken, {c.name, c.id.str()}).empty()) {
        return core::Error{core::ErrorCode::kConflict,
                           "A customer with this name exists (names are compared ignoring case).",
                           {{"/name", "is taken"}},
                           0};
    }
    if (c.external_ref && !conn.query(kExternalRefTaken, {*c.external_ref, c.id.str()}).empty()) {
        return core::Error{core::ErrorCode::kConflict,
                           "A customer with this external_ref exists.",
                           {{"/external_ref", "is taken"}},
                           0};
    }
    // The other row went away between the failed write and this check.
    return core::Error::conflict("The customer collided with another one; try again.");
}

audit::Entry audit_entry(const identity::Actor& actor, std::string action,
                         const core::OrganizationId& id, std::vector<std::string> fields) {
    // Field names only: values (notes above all) may be confidential and the log is permanent.
    return audit::entry_for(actor, std::move(action), id.str(), {{"fields", std::move(fields)}});
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const auto hit = text.find(from, pos);
        out.append(text.substr(pos, hit - pos));
        if (hit == std::string_view::npos) break;
        out.append(to);
        pos = hit + from.size();
    }
    return out;
}

}  // namespace

core::Result<core::Page<Customer>> CustomerService::list(const identity::Actor& actor,
                                                         const core::TenantId& tenant,
                                                         const CustomerQuery& query) {
    const auto sort = std::find_if(kSortColumns.begin(), kSortColumns.end(),
                                   [&](const SortColumn& s) { return s.key == query.sort; });
    if (sort == kSortColumns.end()) {
        return core::fail(
            core::Error::invalid("/query/sort", "must be one of name, created_at, updated_at"));
    }
    std::optional<std::string> search;
    if (query.search) {
        search = trim(*query.search);
        if (search->empty()) {
            search.reset();
        } else if (auto problem = text_problem(*search, kMaxSearch, false)) {
            return core::fail(core::Error::invalid("/query/search", *problem));
        }
    }
    if (!may_act_in(actor, tenant)) return core::fail(core::Error::not_found("No such tenant."));

    core::Page<Customer> page;
    const bool staff = actor.can(identity::Permission::kCustomersRead);
    if (!staff && !actor.organization) return page;  // a customer user without an organisation

    std::string where = " WHERE 1 = 1";
    std::vector<db::Value> params;
    auto bind = [&params](db::Value v) {
        params.push_back(std::move(v));
        return "$" + std::to_string(params.size());
    };
    if (!staff) where += " AND id = " + bind(actor.organization->str());  // the list scope
    if (search)
        where += " AND " + replace_all(kSearchFilter, "$P", bind(db::like_contains(*search)));

    auto conn = stores_.tenant(tenant);
    page.total = conn->query(std::string(kListCount) + where, std::span(params)).get_int(0, 0);
    if (page.total == 0) return page;
    const std::string dir = query.descending ? " DESC" : " ASC";
    const std::string limit = bind(std::int64_t{query.page.limit});
    const std::string offset = bind(query.page.offset());
    const auto rs =
        conn->query(std::string(kListSelect) + where + " ORDER BY " + std::string(sort->sql) + dir +
                        ", id" + dir + " LIMIT " + limit + " OFFSET " + offset,
                    std::span(params));
    page.items.reserve(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i)
        page.items.push_back(visible_to(actor, row_to_customer(rs, i)));
    return page;
}

core::Result<Customer> CustomerService::get(const identity::Actor& actor,
                                            const core::TenantId& tenant,
                                            const core::OrganizationId& id) {
    // Out of scope answers exactly like missing, before any store access.
    if (!may_act_in(actor, tenant) || !may_see(actor, id)) return core::fail(not_found());
    auto conn = stores_.tenant(tenant);
    auto c = load(*conn, id);
    if (!c) return core::fail(not_found());
    return visible_to(actor, std::move(*c));
}

core::Result<Customer> CustomerService::create(const identity::Actor& actor,
                                               const core::TenantId& tenant,
                                               const CustomerInput& input) {
    if (!actor.can(identity::Permission::kCustomersWrite)) {
        return core::fail(core::ErrorCode::kForbidden, "Editing customers needs customers.write.");
    }
    if (!may_act_in(actor, tenant)) return core::fail(core::Error::not_found("No such tenant."));
    auto in = normalize(input, true);
    if (!in) return core::fail(std::move(in.error()));

    Customer c;
    c.id = core::OrganizationId{core::new_uuid_v7()};
    c.name = *in->name;
    auto value = [](const Nullable& v) { return v ? *v : std::nullopt; };
    c.domain = value(in->domain);
    c.contact_email = value(in->contact_email);
    c.phone = value(in->phone);
    c.address = value(in->address);
    c.notes = value(in->notes);
    c.external_ref = value(in->external_ref);
    c.created_at = c.updated_at = core::now_ms();
    c.version = 1;

    std::vector<std::string> fields = {"name"};
    const std::pair<const char*, const std::optional<std::string>*> optional_fields[] = {
        {"domain", &c.domain}, {"contact_email", &c.contact_email},
        {"phone", &c.phone},   {"address", &c.address},
        {"notes", &c.notes},   {"external_ref", &c.external_ref}};
    for (const auto& [name, v] : optional_fields) {
        if (*v) fields.emplace_back(name);
    }

    auto conn = stores_.tenant(tenant);
    try {
        db::Transaction tx(*conn);
        tx.conn().execute(
            kInsert, {c.id.str(), c.name, db::nullable(c.domain), db::nullable(c.contact_email),
                      db::nullable(c.phone), db::nullable(c.address), db::nullable(c.notes),
                      db::nullable(c.external_ref), c.created_at});
        audit::append(tx.conn(), audit_entry(actor, "customer.created", c.id, std::move(fields)));
        tx.commit();
    } catch (const db::DbError& e) {
        if (e.kind() != db::ErrorKind::kConflict) throw;
        return core::fail(taken(*conn, c));
    }
    return c;
}

core::Result<Customer> CustomerService::update(const identity::Actor& actor,
                                               const core::TenantId& tenant,
                                               const core::OrganizationId& id,
                                               const CustomerInput& input,
                                               std::optional<std::int64_t> if_match_version) {
    if (!actor.can(identity::Permission::kCustomersWrite)) {
        return core::fail(core::ErrorCode::kForbidden, "Editing customers needs customers.write.");
    }
    if (!may_act_in(actor, tenant) || !may_see(actor, id)) return core::fail(not_found());
    auto in = normalize(input, false);
    if (!in) return core::fail(std::move(in.error()));

    auto conn = stores_.tenant(tenant);
    Customer next;
    try {
        db::Transaction tx(*conn);
        auto current = load(tx.conn(), id);
        if (!current) return core::fail(not_found());
        if (if_match_version && *if_match_version != current->version) {
            return core::fail(core::ErrorCode::kPreconditionFailed,
                              "The customer has changed since it was read (version " +
                                  std::to_string(current->version) + ").");
        }

        next = *current;
        std::vector<std::string> changed;
        if (in->name && *in->name != current->name) {
            next.name = *in->name;
            changed.emplace_back("name");
        }
        const std::tuple<const char*, const Nullable*, std::optional<std::string>*> nullable[] = {
            {"domain", &in->domain, &next.domain},
            {"contact_email", &in->contact_email, &next.contact_email},
            {"phone", &in->phone, &next.phone},
            {"address", &in->address, &next.address},
            {"notes", &in->notes, &next.notes},
            {"external_ref", &in->external_ref, &next.external_ref}};
        for (const auto& [name, given, target] : nullable) {
            if (*given && **given != *target) {
                *target = **given;
                changed.emplace_back(name);
            }
        }
        // Nothing to change: no write, no new version, no audit row.
        if (changed.empty()) return visible_to(actor, std::move(next));

        next.updated_at = std::max(core::now_ms(), current->updated_at);
        next.version = current->version + 1;
        const auto n = tx.conn().execute(
            kUpdate,
            {id.str(), next.name, db::nullable(next.domain), db::nullable(next.contact_email),
             db::nullable(next.phone), db::nullable(next.address), db::nullable(next.notes),
             db::nullable(next.external_ref), next.updated_at, current->version});
        if (n == 0) {
            // Another writer committed between our read and this write (PostgreSQL; SQLite's
            // write transaction excludes it).
            if (!load(tx.conn(), id)) return core::fail(not_found());
            if (if_match_version) {
                return core::fail(core::ErrorCode::kPreconditionFailed,
                                  "The customer has changed since it was read.");
            }
            return core::fail(core::Error::conflict(
                "The customer was changed by someone else at the same time; try again."));
        }
        audit::append(tx.conn(), audit_entry(actor, "customer.updated", id, std::move(changed)));
        tx.commit();
    } catch (const db::DbError& e) {
        if (e.kind() != db::ErrorKind::kConflict) throw;
        return core::fail(taken(*conn, next));
    }
    return visible_to(actor, std::move(next));
}

bool CustomerService::exists(const core::TenantId& tenant, const core::OrganizationId& id) {
    auto conn = stores_.tenant(tenant);
    return !conn->query(kExists, {id.str()}).empty();
}

nlohmann::json to_json(const Customer& c, bool include_internal) {
    auto nullable = [](const std::optional<std::string>& v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    nlohmann::json out = {
        {"id", c.id.str()},
        {"name", c.name},
        {"domain", nullable(c.domain)},
        {"contact_email", nullable(c.contact_email)},
        {"phone", nullable(c.phone)},
        {"address", nullable(c.address)},
        {"external_ref", nullable(c.external_ref)},
        {"created_at", core::format_rfc3339(c.created_at)},
        {"updated_at", core::format_rfc3339(c.updated_at)},
        {"version", c.version},
    };
    if (include_internal) out["notes"] = nullable(c.notes);
    return out;
}

}  // namespace kontor::customers
