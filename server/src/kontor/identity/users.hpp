#pragma once
// Platform users, kept in the catalog store because e-mail addresses are unique across tenants
// and login needs no tenant name (DESIGN.md §4). UserService is the data layer (rows, rules that
// hold for every caller); who may see or change which user is the account policy in
// auth/accounts.hpp.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/core/page.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/permissions.hpp"

namespace kontor::identity {

struct HourlyRate {
    std::int64_t cents = 0;  // ≥ 0
    std::string currency;    // ISO 4217, three upper-case letters
};

struct Expertise {
    std::string skill;  // 1-60 bytes, no control characters; compared case-insensitively
    int level = 1;      // 1 (basic) … 5 (expert)
};

struct User {
    core::UserId id;
    std::optional<core::TenantId> tenant;  // nullopt only for ADMIN
    std::string email;                     // lower-case
    std::string name;
    Role role = Role::kClient;
    std::string status;                            // "active" | "invited" | "inactive"
    std::optional<core::OrganizationId> customer;  // CLIENT / CUSTOMER_ADMIN: their organisation
    std::optional<std::string> locale;             // "en" | "de"; nullopt: the tenant's
    std::optional<HourlyRate> hourly_rate;         // EXPERT / MANAGER
    std::optional<std::int64_t> last_login_at;
    bool mfa_enabled = false;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct NewUser {
    std::optional<core::TenantId> tenant;
    std::string email;
    std::string name;
    Role role = Role::kClient;
    // Checked against the password policy. nullopt: the user is created "invited" and signs up
    // with an invite token (issue_invite).
    std::optional<std::string> password;
    std::optional<core::OrganizationId> customer;
    std::optional<std::string> locale;
    std::optional<HourlyRate> hourly_rate;
};

// A partial update: absent fields stay; an inner nullopt clears a nullable field.
struct UserUpdate {
    std::optional<std::string> name;
    std::optional<Role> role;
    std::optional<std::string> status;  // "active" | "inactive"
    std::optional<std::optional<core::OrganizationId>> customer;
    std::optional<std::optional<std::string>> locale;
    std::optional<std::optional<HourlyRate>> hourly_rate;
};

struct UserQuery {
    core::PageRequest page;
    std::optional<core::TenantId> tenant;  // nullopt: every tenant (platform ADMIN only)
    std::optional<Role> role;
    std::optional<std::string> status;
    std::optional<core::OrganizationId> customer;
    std::optional<std::string> search;  // substring of name or e-mail, case-insensitive
    bool staff_only = false;            // EXPERT and MANAGER users only
};

struct Invite {
    std::string token;  // shown once; only its SHA-256 is stored
    std::int64_t expires_at = 0;
};

// Thread-safe; holds only a StoreManager reference.
class UserService {
public:
    explicit UserService(db::StoreManager& stores) : stores_(stores) {}

    // Errors: validation_failed (e-mail, name, password policy, locale, hourly rate, ADMIN with a
    // tenant or a tenant role without one, CLIENT / CUSTOMER_ADMIN without a customer, a customer
    // on a staff role), conflict (e-mail taken, platform-wide).
    core::Result<User> create(const NewUser& input);
    std::optional<User> find(const core::UserId& id);
    std::optional<User> find_by_email(std::string_view email);
    core::Page<User> list(const UserQuery& query);  // ordered by name, then id
    // The display names of these users (ids that name no user are left out): one query, for
    // answers that name authors and actors.
    std::unordered_map<std::string, std::string> names(std::span<const core::UserId> ids);
    // Errors: not_found, validation_failed (same rules as create, applied to the result).
    core::Result<User> update(const core::UserId& id, const UserUpdate& update);
    // Users that take a seat of the tenant's licence (max_users): every status but "inactive".
    std::int64_t count_seats(const core::TenantId& tenant);

    std::vector<Expertise> expertise(const core::UserId& id);
    // Active EXPERT users of the tenant with this skill (case-insensitive), with their level —
    // the candidates of ticket auto-assignment.
    std::vector<std::pair<core::UserId, int>> experts_with_skill(const core::TenantId& tenant,
                                                                 std::string_view skill);
    // Replaces the list (≤ 50 entries, skills unique case-insensitively). Errors: not_found,
    // validation_failed (per entry: "/0/skill", "/1/level").
    core::Result<std::vector<Expertise>> set_expertise(const core::UserId& id,
                                                       const std::vector<Expertise>& list);

    // Sets a new password (policy-checked). Errors: not_found, validation_failed.
    core::Result<void> reset_password(std::string_view email, std::string_view new_password);
    // Checks e-mail and password; nullopt for unknown e-mail, wrong password or inactive user.
    // Takes the same time whether or not the e-mail exists.
    std::optional<User> verify_credentials(std::string_view email, std::string_view password);

    // A new invite for an "invited" user (earlier unused invites of that user stop working).
    // Errors: not_found, conflict (the user is not "invited").
    core::Result<Invite> issue_invite(const core::UserId& user,
                                      const std::optional<core::UserId>& by, std::int64_t ttl_ms);
    // Redeems an invite: sets the password (policy-checked), makes the user "active", marks the
    // invite used — in one transaction. Errors: not_found (unknown, used or expired token — one
    // answer for all three), validation_failed (password).
    core::Result<User> redeem_invite(std::string_view token, std::string_view password,
                                     const std::optional<std::string>& name);

private:
    db::StoreManager& stores_;
};

// "  Jane.Doe@Example.COM " → "jane.doe@example.com"; nullopt when it is not an address.
std::optional<std::string> normalize_email(std::string_view email);

}  // namespace kontor::identity
