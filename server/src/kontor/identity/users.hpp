#pragma once
// Platform users, kept in the catalog store because e-mail addresses are unique across tenants
// and login needs no tenant name (DESIGN.md §4). This is the part the command line needs
// (create, reset password); the HTTP user API builds on it.
#include <cstdint>
#include <optional>
#include <string>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/permissions.hpp"

namespace kontor::identity {

struct User {
    core::UserId id;
    std::optional<core::TenantId> tenant;  // nullopt only for ADMIN
    std::string email;                     // lower-case
    std::string name;
    Role role = Role::kClient;
    std::string status;  // "active" | "invited" | "inactive"
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct NewUser {
    std::optional<core::TenantId> tenant;
    std::string email;
    std::string name;
    Role role = Role::kClient;
    std::string password;  // checked against the password policy
};

// Thread-safe; holds only a StoreManager reference.
class UserService {
public:
    explicit UserService(db::StoreManager& stores) : stores_(stores) {}

    // Errors: validation_failed (e-mail, name, password policy, ADMIN with a tenant or a tenant
    // role without one), conflict (e-mail taken, platform-wide).
    core::Result<User> create(const NewUser& input);
    std::optional<User> find_by_email(std::string_view email);
    // Sets a new password (policy-checked). Errors: not_found, validation_failed.
    core::Result<void> reset_password(std::string_view email, std::string_view new_password);
    // Checks e-mail and password; nullopt for unknown e-mail, wrong password or inactive user.
    // Takes the same time whether or not the e-mail exists.
    std::optional<User> verify_credentials(std::string_view email, std::string_view password);

private:
    db::StoreManager& stores_;
};

// "  Jane.Doe@Example.COM " → "jane.doe@example.com"; nullopt when it is not an address.
std::optional<std::string> normalize_email(std::string_view email);

}  // namespace kontor::identity
