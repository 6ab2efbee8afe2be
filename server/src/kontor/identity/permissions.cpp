#include "kontor/identity/permissions.hpp"

#include <array>
#include <initializer_list>

namespace kontor::identity {
namespace {

struct PermissionRow {
    Permission permission;
    std::string_view name;
};
constexpr std::array kPermissionNames{
    PermissionRow{Permission::kTicketsReadOwn, "tickets.read.own"},
    PermissionRow{Permission::kTicketsReadOrg, "tickets.read.org"},
    PermissionRow{Permission::kTicketsReadAll, "tickets.read.all"},
    PermissionRow{Permission::kTicketsWrite, "tickets.write"},
    PermissionRow{Permission::kTicketsAssign, "tickets.assign"},
    PermissionRow{Permission::kTicketsDelete, "tickets.delete"},
    PermissionRow{Permission::kDocumentsReadOrg, "documents.read.org"},
    PermissionRow{Permission::kDocumentsWrite, "documents.write"},
    PermissionRow{Permission::kUsersManage, "users.manage"},
    PermissionRow{Permission::kUsersManageOrg, "users.manage.org"},
    PermissionRow{Permission::kTenantSettings, "tenant.settings"},
    PermissionRow{Permission::kTenantsManage, "tenants.manage"},
    PermissionRow{Permission::kCustomersRead, "customers.read"},
    PermissionRow{Permission::kCustomersWrite, "customers.write"},
    PermissionRow{Permission::kAuditRead, "audit.read"},
};
static_assert(kPermissionNames.size() == static_cast<std::size_t>(Permission::kCount_));

struct RoleRow {
    Role role;
    std::string_view name;
    std::optional<Role> inherits;
    std::initializer_list<Permission> own;
};

// The role table: each role's own permissions plus those of the role it inherits.
// docs/domain/permissions.md renders this table for readers.
const std::array kRoles{
    RoleRow{Role::kClient,
            "CLIENT",
            std::nullopt,
            {Permission::kTicketsReadOwn, Permission::kTicketsWrite}},
    RoleRow{
        Role::kCustomerAdmin,
        "CUSTOMER_ADMIN",
        Role::kClient,
        {Permission::kTicketsReadOrg, Permission::kDocumentsReadOrg, Permission::kUsersManageOrg}},
    RoleRow{
        Role::kExpert,
        "EXPERT",
        std::nullopt,
        {Permission::kTicketsReadOwn, Permission::kTicketsWrite, Permission::kTicketsAssign,
         Permission::kDocumentsReadOrg, Permission::kCustomersRead, Permission::kCustomersWrite}},
    RoleRow{Role::kManager,
            "MANAGER",
            Role::kExpert,
            {Permission::kTicketsReadAll, Permission::kTicketsDelete, Permission::kDocumentsWrite,
             Permission::kUsersManage, Permission::kTenantSettings, Permission::kAuditRead}},
    RoleRow{Role::kAdmin, "ADMIN", Role::kManager, {Permission::kTenantsManage}},
};

const RoleRow& row_of(Role role) noexcept {
    for (const auto& r : kRoles) {
        if (r.role == role) return r;
    }
    return kRoles.front();  // unreachable: every Role has a row
}

}  // namespace

std::string_view role_name(Role role) noexcept { return row_of(role).name; }

std::optional<Role> parse_role(std::string_view name) noexcept {
    for (const auto& r : kRoles) {
        if (r.name == name) return r.role;
    }
    return std::nullopt;
}

std::string_view permission_name(Permission p) noexcept {
    for (const auto& row : kPermissionNames) {
        if (row.permission == p) return row.name;
    }
    return "";
}

std::optional<Permission> parse_permission(std::string_view name) noexcept {
    for (const auto& row : kPermissionNames) {
        if (row.name == name) return row.permission;
    }
    return std::nullopt;
}

PermissionSet permissions_of(Role role) noexcept {
    PermissionSet set;
    for (std::optional<Role> r = role; r; r = row_of(*r).inherits) {
        for (Permission p : row_of(*r).own) set.set(static_cast<unsigned>(p));
    }
    return set;
}

}  // namespace kontor::identity
