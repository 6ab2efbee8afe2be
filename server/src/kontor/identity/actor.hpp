#pragma once
// Who is asking, for which tenant (CONVENTIONS.md §8). Built by the HTTP edge from the access
// token and passed explicitly into services; never a global.
#include <cstdint>
#include <optional>
#include <string>

#include "kontor/core/ids.hpp"
#include "kontor/identity/permissions.hpp"

namespace kontor::identity {

struct Actor {
    core::TenantId tenant;  // empty for the platform ADMIN acting outside a tenant
    core::UserId user;
    Role role = Role::kClient;
    PermissionSet permissions;
    std::optional<core::OrganizationId> organization;  // CLIENT / CUSTOMER_ADMIN only
    std::string request_id;
    std::string ip;  // the client address, for the audit log
    std::string locale = "en";
    // The access token this request came with (logout deny-lists it and revokes its sign-in).
    std::string token_id;                 // jti
    std::string session_id;               // sid: the refresh-token family
    std::int64_t token_expires_at_s = 0;  // exp
    // The tenant requires a second factor for this role and the user has none yet: only the
    // /api/auth/ routes answer until one is set up.
    bool mfa_enrolment_required = false;

    bool can(Permission p) const noexcept { return has(permissions, p); }
    // A tenant user acting on another tenant's data: the routes never let this happen (the
    // tenant comes from the actor), and services refuse it as well — for them that tenant does
    // not exist. A platform ADMIN (no tenant) acts in any.
    bool outside(const core::TenantId& t) const noexcept { return !tenant.empty() && tenant != t; }
};

}  // namespace kontor::identity
