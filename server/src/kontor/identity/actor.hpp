#pragma once
// Who is asking, for which tenant (CONVENTIONS.md §8). Built by the HTTP edge from the access
// token and passed explicitly into services; never a global.
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
    std::string locale = "en";

    bool can(Permission p) const noexcept { return has(permissions, p); }
};

}  // namespace kontor::identity
