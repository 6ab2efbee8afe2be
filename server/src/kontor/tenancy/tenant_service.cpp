#include <algorithm>
#include <array>
#include <cctype>

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/core/log.hpp"
#include "kontor/core/text.hpp"
#include "kontor/db/like.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/internal.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::tenancy {
namespace {

using core::has_control_chars;

// Column order of every SELECT below; row_to_tenant reads by these positions.
constexpr std::string_view kInsertTenant =
    "INSERT INTO tenants (id, slug, name, status, store_location, settings, created_at, "
    "updated_at, email, domain, licence_type, max_users, storage_quota_bytes) "
    "VALUES ($1, $2, $3, 'active', $4, $5, $6, $6, $7, $8, $9, $10, $11)";
constexpr std::string_view kFindById =
    "SELECT id, slug, name, status, store_location, settings, created_at, updated_at, email, "
    "domain, licence_type, max_users, storage_quota_bytes FROM tenants WHERE id = $1";
constexpr std::string_view kFindBySlug =
    "SELECT id, slug, name, status, store_location, settings, created_at, updated_at, email, "
    "domain, licence_type, max_users, storage_quota_bytes FROM tenants WHERE slug = $1";
constexpr std::string_view kListAll =
    "SELECT id, slug, name, status, store_location, settings, created_at, updated_at, email, "
    "domain, licence_type, max_users, storage_quota_bytes FROM tenants ORDER BY slug";
// Filters are always bound: '' stands for "no filter", so one text serves every combination
// without NULL parameters, whose type PostgreSQL could not infer.
constexpr std::string_view kListPage =
    "SELECT id, slug, name, status, store_location, settings, created_at, updated_at, email, "
    "domain, licence_type, max_users, storage_quota_bytes FROM tenants "
    "WHERE ($1 = '' OR status = $1) "
    "AND ($2 = '' OR lower(name) LIKE $2 ESCAPE '\\' OR lower(slug) LIKE $2 ESCAPE '\\') "
    "ORDER BY lower(name), id LIMIT $3 OFFSET $4";
constexpr std::string_view kCount =
    "SELECT COUNT(*) FROM tenants "
    "WHERE ($1 = '' OR status = $1) "
    "AND ($2 = '' OR lower(name) LIKE $2 ESCAPE '\\' OR lower(slug) LIKE $2 ESCAPE '\\')";
constexpr std::string_view kLocation = "SELECT store_location FROM tenants WHERE id = $1";
// Optimistic: the row is written only if nobody changed it since it was read (updated_at moves
// on every write), so concurrent partial updates never lose each other's fields.
constexpr std::string_view kUpdateTenant =
    "UPDATE tenants SET slug = $2, name = $3, status = $4, email = $5, domain = $6, "
    "licence_type = $7, max_users = $8, storage_quota_bytes = $9, updated_at = $10 "
    "WHERE id = $1 AND updated_at = $11";
constexpr std::string_view kUpdateSettings =
    "UPDATE tenants SET settings = $2, updated_at = $3 WHERE id = $1 AND updated_at = $4";
constexpr std::string_view kInsertOutbox =
    "INSERT INTO outbox (id, topic, payload, created_at, available_at) VALUES ($1, $2, $3, $4, $4)";

constexpr int kWriteAttempts = 3;
constexpr std::array<std::string_view, 3> kLicenceTypes = {"trial", "standard", "enterprise"};

Tenant row_to_tenant(const db::ResultSet& rs, std::size_t i) {
    Tenant t;
    t.id = core::TenantId{rs.get_text(i, 0)};
    t.slug = rs.get_text(i, 1);
    t.name = rs.get_text(i, 2);
    t.status = rs.get_text(i, 3);
    t.store_location = rs.get_text(i, 4);
    t.settings = detail::settings_from_stored(rs.get_text(i, 5), t.id.str());
    t.created_at = rs.get_int(i, 6);
    t.updated_at = rs.get_int(i, 7);
    t.email = rs.opt_text(i, 8);
    t.domain = rs.opt_text(i, 9);
    t.licence_type = rs.get_text(i, 10);
    t.max_users = rs.opt_int(i, 11);
    t.storage_quota_bytes = rs.opt_int(i, 12);
    return t;
}

std::optional<std::string> name_problem(const std::string& name) {
    if (name.empty() ||
        std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isspace(c); }))
        return "must not be empty";
    if (name.size() > 200) return "must be at most 200 bytes";
    if (has_control_chars(name)) return "must not contain control characters";
    return std::nullopt;
}

bool slug_ok(const std::string& slug) {
    return slug.size() >= 2 && slug.size() <= 63 && slug.front() != '-' && slug.back() != '-' &&
           std::all_of(slug.begin(), slug.end(), [](unsigned char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
           });
}
constexpr std::string_view kSlugRule =
    "must be 2-63 characters of a-z, 0-9 and '-', not starting or ending with '-'";

// Normalised forms of the optional fields, shared by create and update. Each returns nullopt and
// records a field error when the value is unusable.
std::optional<std::string> checked_email(const std::string& email,
                                         std::vector<core::FieldError>& errors) {
    auto normalized = identity::normalize_email(email);
    if (!normalized) errors.push_back({"/email", "must be an e-mail address"});
    return normalized;
}

std::optional<std::string> checked_domain(const std::string& domain,
                                          std::vector<core::FieldError>& errors) {
    std::string host = detail::ascii_lower(domain);
    if (!detail::valid_host(host)) {
        errors.push_back({"/domain", "must be a domain name such as acme.example"});
        return std::nullopt;
    }
    return host;
}

void check_licence(const std::string& licence, std::vector<core::FieldError>& errors) {
    if (std::find(kLicenceTypes.begin(), kLicenceTypes.end(), licence) == kLicenceTypes.end())
        errors.push_back({"/licence_type", "must be \"trial\", \"standard\" or \"enterprise\""});
}

void check_limits(const std::optional<std::int64_t>& max_users,
                  const std::optional<std::int64_t>& quota, std::vector<core::FieldError>& errors) {
    if (max_users && *max_users < 1)
        errors.push_back({"/max_users", "must be at least 1 (null: no limit)"});
    if (quota && *quota < 0)
        errors.push_back({"/storage_quota_bytes", "must not be negative (null: no limit)"});
}

// The settings of a new tenant: the defaults with the caller's partial document merged over them.
core::Result<TenantSettings> initial_settings(const std::optional<nlohmann::json>& patch) {
    if (!patch) return TenantSettings{};
    if (!patch->is_object()) return core::fail(core::Error::invalid("/", "must be an object"));
    return TenantSettings::from_json(detail::merge_settings(TenantSettings{}.to_json(), *patch));
}

std::optional<std::string> actor_id(const identity::Actor* by) {
    if (!by || by->user.empty()) return std::nullopt;
    return by->user.str();
}

audit::Entry audit_entry(std::string action, const core::TenantId& tenant,
                         const identity::Actor* by, nlohmann::json details) {
    audit::Entry e;
    e.action = std::move(action);
    e.actor_id = actor_id(by);
    e.subject = tenant.str();
    if (by) {
        e.ip = by->ip;
        e.request_id = by->request_id;
    }
    e.details = std::move(details);
    return e;
}

core::Error changed_underneath() {
    return core::Error::conflict("The tenant was changed by someone else meanwhile; try again.");
}

}  // namespace

std::string slugify(std::string_view name) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c) && c < 0x80) {
            out.push_back(static_cast<char>(std::tolower(c)));
        } else if (!out.empty() && out.back() != '-') {
            out.push_back('-');
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.size() > 63) {
        out.resize(63);
        while (!out.empty() && out.back() == '-') out.pop_back();
    }
    return out;
}

std::vector<core::FieldError> validate(const NewTenant& input) {
    std::vector<core::FieldError> errors;
    if (auto problem = name_problem(input.name)) errors.push_back({"/name", *problem});
    const std::string slug = input.slug ? *input.slug : slugify(input.name);
    if (!slug_ok(slug)) {
        errors.push_back({"/slug", input.slug
                                       ? std::string(kSlugRule)
                                       : "cannot be derived from the name; give one explicitly"});
    }
    if (input.email) checked_email(*input.email, errors);
    if (input.domain) checked_domain(*input.domain, errors);
    if (input.licence_type) check_licence(*input.licence_type, errors);
    check_limits(input.max_users, input.storage_quota_bytes, errors);
    if (auto settings = initial_settings(input.settings); !settings) {
        for (auto& f : settings.error().fields)
            errors.push_back({"/settings" + (f.field == "/" ? "" : f.field), f.message});
    }
    return errors;
}

core::Result<Tenant> TenantService::create(const NewTenant& input, const identity::Actor* by) {
    if (auto errors = validate(input); !errors.empty()) {
        return core::fail(
            core::Error{core::ErrorCode::kValidation, "The tenant is invalid.", std::move(errors)});
    }
    std::vector<core::FieldError> unused;
    Tenant t;
    t.id = core::TenantId{core::new_uuid_v7()};
    t.slug = input.slug ? *input.slug : slugify(input.name);
    t.name = input.name;
    t.status = "active";
    if (input.email) t.email = checked_email(*input.email, unused);
    if (input.domain) t.domain = checked_domain(*input.domain, unused);
    if (input.licence_type) t.licence_type = *input.licence_type;
    t.max_users = input.max_users;
    t.storage_quota_bytes = input.storage_quota_bytes;
    t.settings = *initial_settings(input.settings);  // validated above
    t.created_at = t.updated_at = core::now_ms();
    if (find(t.slug))
        return core::fail(core::Error::conflict("A tenant with slug '" + t.slug + "' exists."));

    const db::StoreLocation location = stores_.default_location(t.id);
    t.store_location = location.to_string();
    const nlohmann::json event = {{"tenant_id", t.id.str()}, {"slug", t.slug}, {"name", t.name}};
    try {
        stores_.migrate_tenant(t.id, location);
        // The tenant is not in the catalog yet, so its pool cannot be resolved: connect directly.
        auto conn = stores_.open(location);
        db::Transaction tx(*conn);
        audit::append(tx.conn(), audit_entry("tenant.created", t.id, by, event));
        tx.conn().execute(kInsertOutbox, {core::new_uuid_v7(), std::string("tenant.created"),
                                          event.dump(), t.created_at});
        tx.commit();
        auto catalog = stores_.catalog();
        catalog->execute(
            kInsertTenant,
            {t.id.str(), t.slug, t.name, t.store_location, t.settings.to_json().dump(),
             t.created_at, db::nullable(t.email), db::nullable(t.domain), t.licence_type,
             db::nullable(t.max_users), db::nullable(t.storage_quota_bytes)});
    } catch (const db::DbError& e) {
        stores_.drop_tenant_store(location);
        if (e.kind() == db::ErrorKind::kConflict) {  // lost a race for the slug
            return core::fail(core::Error::conflict("A tenant with slug '" + t.slug + "' exists."));
        }
        throw;
    } catch (...) {
        stores_.drop_tenant_store(location);
        throw;
    }
    core::log::info("tenant created",
                    {{"tenant_id", t.id.str()}, {"slug", t.slug}, {"store", t.store_location}});
    return t;
}

std::optional<Tenant> TenantService::find(std::string_view id_or_slug) {
    auto catalog = stores_.catalog();
    const std::string key(id_or_slug);
    auto rs = catalog->query(core::is_uuid(key) ? kFindById : kFindBySlug, {key});
    if (rs.empty()) return std::nullopt;
    return row_to_tenant(rs, 0);
}

std::vector<Tenant> TenantService::list() {
    auto catalog = stores_.catalog();
    auto rs = catalog->query(kListAll);
    std::vector<Tenant> out;
    out.reserve(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i) out.push_back(row_to_tenant(rs, i));
    return out;
}

core::Page<Tenant> TenantService::list(const TenantQuery& query) {
    const std::string status = query.status.value_or("");
    const std::string pattern = query.search && !query.search->empty()
                                    ? db::like_contains(detail::ascii_lower(*query.search))
                                    : "";
    // The HTTP edge checks paging; callers that do not (command line, tests) still get a valid
    // LIMIT, which a negative number is not on PostgreSQL.
    core::PageRequest paging = query.page;
    paging.limit = std::clamp(paging.limit, 1, core::PageRequest::kMaxLimit);
    paging.page = std::max(paging.page, 1);
    auto catalog = stores_.catalog();
    core::Page<Tenant> page;
    page.total = catalog->query(kCount, {status, pattern}).get_int(0, 0);
    auto rs =
        catalog->query(kListPage, {status, pattern, std::int64_t{paging.limit}, paging.offset()});
    page.items.reserve(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i) page.items.push_back(row_to_tenant(rs, i));
    return page;
}

core::Result<Tenant> TenantService::update(const core::TenantId& id, const TenantUpdate& update,
                                           const identity::Actor& by) {
    std::vector<core::FieldError> errors;
    if (update.name) {
        if (auto problem = name_problem(*update.name)) errors.push_back({"/name", *problem});
    }
    if (update.slug && !slug_ok(*update.slug)) errors.push_back({"/slug", std::string(kSlugRule)});
    std::optional<std::optional<std::string>> email, domain;
    if (update.email)
        email =
            *update.email ? checked_email(**update.email, errors) : std::optional<std::string>{};
    if (update.domain)
        domain =
            *update.domain ? checked_domain(**update.domain, errors) : std::optional<std::string>{};
    if (update.status && *update.status != "active" && *update.status != "suspended")
        errors.push_back({"/status", "must be \"active\" or \"suspended\""});
    if (update.licence_type) check_licence(*update.licence_type, errors);
    check_limits(update.max_users ? *update.max_users : std::nullopt,
                 update.storage_quota_bytes ? *update.storage_quota_bytes : std::nullopt, errors);
    if (!errors.empty()) {
        return core::fail(
            core::Error{core::ErrorCode::kValidation, "The tenant is invalid.", std::move(errors)});
    }
    if (!core::is_uuid(id.str())) return core::fail(core::Error::not_found("No such tenant."));

    for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
        const auto current = find(id.str());
        if (!current) return core::fail(core::Error::not_found("No such tenant."));
        Tenant next = *current;
        std::vector<std::string> changed;
        auto apply = [&changed](std::string_view field, auto& target, const auto& value) {
            if (target != value) {
                target = value;
                changed.emplace_back(field);
            }
        };
        if (update.name) apply("name", next.name, *update.name);
        if (update.slug) apply("slug", next.slug, *update.slug);
        if (email) apply("email", next.email, *email);
        if (domain) apply("domain", next.domain, *domain);
        if (update.status) apply("status", next.status, *update.status);
        if (update.licence_type) apply("licence_type", next.licence_type, *update.licence_type);
        if (update.max_users) apply("max_users", next.max_users, *update.max_users);
        if (update.storage_quota_bytes)
            apply("storage_quota_bytes", next.storage_quota_bytes, *update.storage_quota_bytes);
        if (changed.empty()) return next;
        next.updated_at = std::max(core::now_ms(), current->updated_at + 1);

        try {
            // The audit rows commit only if the catalog row was written; the tenant store and the
            // catalog are separate stores, so this is the closest to one transaction there is.
            auto tenant_conn = stores_.tenant(id);
            db::Transaction tx(*tenant_conn);
            audit::append(tx.conn(), audit_entry("tenant.updated", id, &by, {{"fields", changed}}));
            if (next.status != current->status) {
                audit::append(tx.conn(),
                              audit_entry(next.active() ? "tenant.reactivated" : "tenant.suspended",
                                          id, &by, nlohmann::json::object()));
            }
            auto catalog = stores_.catalog();
            const auto rows = catalog->execute(
                kUpdateTenant,
                {id.str(), next.slug, next.name, next.status, db::nullable(next.email),
                 db::nullable(next.domain), next.licence_type, db::nullable(next.max_users),
                 db::nullable(next.storage_quota_bytes), next.updated_at, current->updated_at});
            if (rows == 0) continue;  // changed meanwhile: read again and reapply
            tx.commit();
        } catch (const db::DbError& e) {
            if (e.kind() == db::ErrorKind::kConflict)
                return core::fail(
                    core::Error::conflict("A tenant with slug '" + next.slug + "' exists."));
            throw;
        }
        core::log::info("tenant updated", {{"tenant_id", id.str()}, {"fields", changed}});
        return next;
    }
    return core::fail(changed_underneath());
}

core::Result<TenantSettings> TenantService::update_settings(const core::TenantId& id,
                                                            const nlohmann::json& patch,
                                                            const identity::Actor& by) {
    if (!patch.is_object()) return core::fail(core::Error::invalid("/", "must be an object"));
    if (!core::is_uuid(id.str())) return core::fail(core::Error::not_found("No such tenant."));

    for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
        const auto current = find(id.str());
        if (!current) return core::fail(core::Error::not_found("No such tenant."));
        auto next =
            TenantSettings::from_json(detail::merge_settings(current->settings.to_json(), patch));
        if (!next) return core::fail(std::move(next.error()));
        const auto changed = detail::changed_keys(current->settings, *next);
        if (changed.empty()) return next;
        const std::int64_t now = std::max(core::now_ms(), current->updated_at + 1);

        auto tenant_conn = stores_.tenant(id);
        db::Transaction tx(*tenant_conn);
        audit::append(tx.conn(),
                      audit_entry("tenant.settings_changed", id, &by, {{"keys", changed}}));
        auto catalog = stores_.catalog();
        const auto rows = catalog->execute(
            kUpdateSettings, {id.str(), next->to_json().dump(), now, current->updated_at});
        if (rows == 0) continue;  // changed meanwhile: merge over the newer settings
        tx.commit();
        core::log::info("tenant settings changed", {{"tenant_id", id.str()}, {"keys", changed}});
        return next;
    }
    return core::fail(changed_underneath());
}

std::optional<db::StoreLocation> TenantService::location(const core::TenantId& id) {
    auto catalog = stores_.catalog();
    auto rs = catalog->query(kLocation, {id.str()});
    if (rs.empty()) return std::nullopt;
    return db::StoreLocation::parse(rs.get_text(0, 0));
}

int TenantService::migrate_all() {
    int changed = 0;
    for (const auto& t : list()) {
        const auto report =
            stores_.migrate_tenant(t.id, db::StoreLocation::parse(t.store_location));
        if (!report.applied.empty()) ++changed;
    }
    return changed;
}

nlohmann::json to_json(const Tenant& t) {
    auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    return {{"id", t.id.str()},
            {"slug", t.slug},
            {"name", t.name},
            {"status", t.status},
            {"email", opt(t.email)},
            {"domain", opt(t.domain)},
            {"licence_type", t.licence_type},
            {"max_users", opt(t.max_users)},
            {"storage_quota_bytes", opt(t.storage_quota_bytes)},
            {"settings", t.settings.to_json()},
            {"created_at", core::format_rfc3339(t.created_at)},
            {"updated_at", core::format_rfc3339(t.updated_at)}};
}

}  // namespace kontor::tenancy
