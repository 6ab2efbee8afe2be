#pragma once
// Roles and permissions as data (DESIGN.md §1): each role maps to a set of named permissions, and
// roles inherit (MANAGER ⊃ EXPERT). The table is in permissions.cpp and nowhere else.
#include <bitset>
#include <optional>
#include <string_view>

namespace kontor::identity {

enum class Role { kAdmin, kManager, kExpert, kCustomerAdmin, kClient };

enum class Permission : unsigned {
    kTicketsReadOwn,
    kTicketsReadOrg,
    kTicketsReadAll,
    kTicketsWrite,
    kTicketsAssign,
    kTicketsDelete,
    kDocumentsReadOrg,
    kDocumentsWrite,
    kUsersManage,
    kUsersManageOrg,
    kTenantSettings,
    kTenantsManage,
    kCustomersRead,   // every customer organisation of the tenant (staff)
    kCustomersWrite,  // create and edit customer organisations (staff)
    kAuditRead,       // the tenant's audit log
    kCount_,          // not a permission: the number of them
};

using PermissionSet = std::bitset<static_cast<unsigned>(Permission::kCount_)>;

std::string_view role_name(Role role) noexcept;  // "ADMIN", "MANAGER", ...
std::optional<Role> parse_role(std::string_view name) noexcept;
std::string_view permission_name(Permission p) noexcept;  // "tickets.read.own", ...
std::optional<Permission> parse_permission(std::string_view name) noexcept;

// The effective permissions of a role, inherited ones included.
PermissionSet permissions_of(Role role) noexcept;
inline bool has(const PermissionSet& set, Permission p) noexcept {
    return set.test(static_cast<unsigned>(p));
}

}  // namespace kontor::identity
