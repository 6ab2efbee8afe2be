#pragma once
// Tenants: the organisations that run a Kontor service desk (a managed service provider, an
// agency). Recorded in the catalog store, each with its own tenant store (DESIGN.md §4).
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/core/page.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/actor.hpp"

namespace kontor::tenancy {

struct Branding {
    std::string product_name = "Kontor";
    std::string primary_color = "#1c7ed6";  // "#rrggbb"
    std::string accent_color = "#f59f00";   // "#rrggbb"
    std::optional<std::string> logo_url;    // https:// or a same-origin path starting with '/'
};

// An e-mail domain whose owners may register themselves, and the organisation they join.
struct RegistrationDomain {
    std::string domain;  // lower-case, e.g. "acme.example"
    core::OrganizationId customer_id;
};

// What a tenant accepts as a document or ticket attachment.
struct UploadSettings {
    std::int64_t max_file_bytes = 25ll << 20;  // 1 KiB .. 1 GiB; default 25 MiB
    // Content types (sniffed from the bytes, never the client's word) that are refused: programs
    // by default. An empty list accepts every type.
    std::vector<std::string> blocked_types = {
        "application/x-dosexec",        "application/x-executable",
        "application/x-pie-executable", "application/x-sharedlib",
        "application/x-mach-binary",    "application/x-msi",
        "application/x-msdownload",     "application/vnd.microsoft.portable-executable",
        "application/java-archive",     "application/x-ms-shortcut"};
};

// A tenant's settings, stored as JSON in the catalog (tenants.settings). Every field has a
// default, so older rows and partial documents read fine.
struct TenantSettings {
    std::string locale = "en";          // "en" | "de"
    std::string time_zone = "UTC";      // IANA name, e.g. "Europe/Berlin"
    int case_rate_limit_per_hour = 10;  // case creations per customer user per hour (1..1000)
    bool self_registration = false;     // CLIENTs may register (only from registration_domains)
    std::vector<RegistrationDomain> registration_domains;
    bool mfa_required_for_staff = false;  // MANAGER and EXPERT must enrol a second factor
    bool experts_see_all_tickets = false;
    bool auto_assign = true;
    std::map<std::string, bool> features;  // feature flags, e.g. {"documents": true}
    // The tenant's names for ticket statuses, e.g. {"waiting_customer": "Waiting for you"};
    // keys are the statuses of tickets/status.hpp, absent ones keep the product's wording.
    std::map<std::string, std::string> status_labels;
    Branding branding;
    UploadSettings uploads;

    nlohmann::json to_json() const;
    // Reads a stored or submitted document; unknown keys are rejected (field errors name them).
    static core::Result<TenantSettings> from_json(const nlohmann::json& doc);
};

struct Tenant {
    core::TenantId id;
    std::string slug;
    std::string name;
    std::string status;  // "active" | "suspended"
    std::optional<std::string> email;
    std::optional<std::string> domain;
    std::string licence_type = "standard";            // "trial" | "standard" | "enterprise"
    std::optional<std::int64_t> max_users;            // active + invited users; nullopt: no limit
    std::optional<std::int64_t> storage_quota_bytes;  // nullopt: no limit
    std::string store_location;                       // db::StoreLocation::to_string()
    TenantSettings settings;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;

    bool active() const noexcept { return status == "active"; }
};

struct NewTenant {
    std::string name;
    std::optional<std::string> slug;  // derived from the name when absent
    std::optional<std::string> email;
    std::optional<std::string> domain;
    std::optional<std::string> licence_type;
    std::optional<std::int64_t> max_users;
    std::optional<std::int64_t> storage_quota_bytes;
    std::optional<nlohmann::json> settings;  // a partial settings document
};

// A partial update: absent fields stay; for nullable fields an inner nullopt clears the value.
struct TenantUpdate {
    std::optional<std::string> name;
    std::optional<std::string> slug;
    std::optional<std::optional<std::string>> email;
    std::optional<std::optional<std::string>> domain;
    std::optional<std::string> status;
    std::optional<std::string> licence_type;
    std::optional<std::optional<std::int64_t>> max_users;
    std::optional<std::optional<std::int64_t>> storage_quota_bytes;
};

struct TenantQuery {
    core::PageRequest page;
    std::optional<std::string> status;
    std::optional<std::string> search;  // substring of name or slug, case-insensitive
};

// Rules for names and slugs, shared by the command line and the HTTP API.
std::vector<core::FieldError> validate(const NewTenant& input);
// "Acme Services GmbH" → "acme-services-gmbh"; "" when nothing usable remains.
std::string slugify(std::string_view name);

// Owns tenant lifecycle. Thread-safe (holds only a StoreManager reference).
// Authorization is the caller's (the HTTP handlers check tenants.manage / tenant.settings);
// `by` names who acts, for the audit log.
class TenantService {
public:
    explicit TenantService(db::StoreManager& stores) : stores_(stores) {}

    // Provisions the tenant's store (created and migrated) before recording the tenant in the
    // catalog, so a catalog row never points at a missing store; a failed insert removes the new
    // store again. Writes "tenant.created" to the tenant's audit log and outbox.
    // Errors: validation_failed (bad name/slug/fields), conflict (slug taken).
    core::Result<Tenant> create(const NewTenant& input, const identity::Actor* by = nullptr);

    // By id or slug.
    std::optional<Tenant> find(std::string_view id_or_slug);
    std::vector<Tenant> list();                         // every tenant (migrations, command line)
    core::Page<Tenant> list(const TenantQuery& query);  // ordered by name
    // Errors: not_found, validation_failed, conflict (slug taken). Audits "tenant.updated" and,
    // when the status changes, "tenant.suspended" / "tenant.reactivated" in the tenant's log.
    core::Result<Tenant> update(const core::TenantId& id, const TenantUpdate& update,
                                const identity::Actor& by);
    // Merges the given top-level keys into the settings (nested objects such as branding are
    // merged one level deep too), validates, stores; audits "tenant.settings_changed" with the
    // changed keys. Errors: not_found, validation_failed.
    core::Result<TenantSettings> update_settings(const core::TenantId& id,
                                                 const nlohmann::json& patch,
                                                 const identity::Actor& by);

    // Where a tenant's store lives; the StoreManager's LocationResolver.
    std::optional<db::StoreLocation> location(const core::TenantId& id);
    // Applies pending tenant migrations to every tenant store; returns how many stores changed.
    int migrate_all();

private:
    db::StoreManager& stores_;
};

// The JSON form of a tenant for the API (snake_case; settings included).
nlohmann::json to_json(const Tenant& tenant);

}  // namespace kontor::tenancy
