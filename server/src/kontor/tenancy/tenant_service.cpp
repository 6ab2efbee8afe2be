#include <algorithm>
#include <cctype>

#include "kontor/core/clock.hpp"
#include "kontor/core/log.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::tenancy {
namespace {

constexpr std::string_view kInsertTenant =
    "INSERT INTO tenants (id, slug, name, status, store_location, settings, created_at, "
    "updated_at) "
    "VALUES ($1, $2, $3, 'active', $4, $5, $6, $6)";
constexpr std::string_view kFindById =
    "SELECT id, slug, name, status, store_location, settings, created_at, updated_at FROM tenants "
    "WHERE id = $1";
constexpr std::string_view kFindBySlug =
    "SELECT id, slug, name, status, store_location, settings, created_at, updated_at FROM tenants "
    "WHERE slug = $1";
constexpr std::string_view kList =
    "SELECT id, slug, name, status, store_location, settings, created_at, updated_at FROM tenants "
    "ORDER BY slug";
constexpr std::string_view kLocation = "SELECT store_location FROM tenants WHERE id = $1";
constexpr std::string_view kInsertAudit =
    "INSERT INTO audit_log (id, at, actor_id, action, subject, ip, request_id, details) "
    "VALUES ($1, $2, NULL, $3, $4, NULL, NULL, $5)";
constexpr std::string_view kInsertOutbox =
    "INSERT INTO outbox (id, topic, payload, created_at, available_at) VALUES ($1, $2, $3, $4, $4)";

Tenant row_to_tenant(const db::ResultSet& rs, std::size_t i) {
    Tenant t;
    t.id = core::TenantId{rs.get_text(i, 0)};
    t.slug = rs.get_text(i, 1);
    t.name = rs.get_text(i, 2);
    t.status = rs.get_text(i, 3);
    t.store_location = rs.get_text(i, 4);
    t.settings = nlohmann::json::parse(rs.get_text(i, 5), nullptr, false);
    if (t.settings.is_discarded()) t.settings = nlohmann::json::object();
    t.created_at = rs.get_int(i, 6);
    t.updated_at = rs.get_int(i, 7);
    return t;
}

bool has_control_chars(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
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
    const auto name_len = input.name.size();
    if (name_len == 0 || std::all_of(input.name.begin(), input.name.end(),
                                     [](unsigned char c) { return std::isspace(c); })) {
        errors.push_back({"/name", "must not be empty"});
    } else if (name_len > 200) {
        errors.push_back({"/name", "must be at most 200 bytes"});
    } else if (has_control_chars(input.name)) {
        errors.push_back({"/name", "must not contain control characters"});
    }
    const std::string slug = input.slug ? *input.slug : slugify(input.name);
    const bool slug_ok = slug.size() >= 2 && slug.size() <= 63 && slug.front() != '-' &&
                         slug.back() != '-' &&
                         std::all_of(slug.begin(), slug.end(), [](unsigned char c) {
                             return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                         });
    if (!slug_ok) {
        errors.push_back(
            {"/slug",
             input.slug
                 ? "must be 2-63 characters of a-z, 0-9 and '-', not starting or ending with '-'"
                 : "cannot be derived from the name; give one explicitly"});
    }
    return errors;
}

core::Result<Tenant> TenantService::create(const NewTenant& input) {
    if (auto errors = validate(input); !errors.empty()) {
        return core::fail(
            core::Error{core::ErrorCode::kValidation, "The tenant is invalid.", std::move(errors)});
    }
    Tenant t;
    t.id = core::TenantId{core::new_uuid_v7()};
    t.slug = input.slug ? *input.slug : slugify(input.name);
    t.name = input.name;
    t.status = "active";
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
        tx.conn().execute(kInsertAudit, {core::new_uuid_v7(), t.created_at,
                                         std::string("tenant.created"), t.id.str(), event.dump()});
        tx.conn().execute(kInsertOutbox, {core::new_uuid_v7(), std::string("tenant.created"),
                                          event.dump(), t.created_at});
        tx.commit();
        auto catalog = stores_.catalog();
        catalog->execute(kInsertTenant, {t.id.str(), t.slug, t.name, t.store_location,
                                         t.settings.dump(), t.created_at});
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
    auto rs = catalog->query(kList);
    std::vector<Tenant> out;
    out.reserve(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i) out.push_back(row_to_tenant(rs, i));
    return out;
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

}  // namespace kontor::tenancy
