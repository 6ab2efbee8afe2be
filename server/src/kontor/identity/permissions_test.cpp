#include "kontor/identity/permissions.hpp"

#include <gtest/gtest.h>

namespace kontor::identity {
namespace {

TEST(Permissions, RoleNamesRoundTrip) {
    for (Role r :
         {Role::kAdmin, Role::kManager, Role::kExpert, Role::kCustomerAdmin, Role::kClient}) {
        EXPECT_EQ(parse_role(role_name(r)), r);
    }
    EXPECT_FALSE(parse_role("admin"));  // names are exact
    EXPECT_FALSE(parse_role(""));
}

TEST(Permissions, NamesRoundTrip) {
    for (unsigned i = 0; i < static_cast<unsigned>(Permission::kCount_); ++i) {
        const auto p = static_cast<Permission>(i);
        EXPECT_FALSE(permission_name(p).empty());
        EXPECT_EQ(parse_permission(permission_name(p)), p);
    }
}

struct Case {
    Role role;
    Permission permission;
    bool allowed;
};

TEST(Permissions, RoleTable) {
    const Case cases[] = {
        {Role::kClient, Permission::kTicketsReadOwn, true},
        {Role::kClient, Permission::kTicketsReadOrg, false},
        {Role::kClient, Permission::kDocumentsReadOrg, false},
        {Role::kCustomerAdmin, Permission::kTicketsReadOwn, true},  // inherited from CLIENT
        {Role::kCustomerAdmin, Permission::kTicketsReadOrg, true},
        {Role::kCustomerAdmin, Permission::kUsersManageOrg, true},
        {Role::kCustomerAdmin, Permission::kUsersManage, false},
        {Role::kCustomerAdmin, Permission::kTicketsReadAll, false},
        {Role::kExpert, Permission::kTicketsAssign, true},
        {Role::kExpert, Permission::kTicketsReadAll, false},
        {Role::kExpert, Permission::kTenantSettings, false},
        {Role::kManager, Permission::kTicketsAssign, true},  // inherited from EXPERT
        {Role::kManager, Permission::kTicketsReadAll, true},
        {Role::kManager, Permission::kTenantSettings, true},
        {Role::kManager, Permission::kTenantsManage, false},
        {Role::kAdmin, Permission::kTenantsManage, true},
        {Role::kAdmin, Permission::kUsersManage, true},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(has(permissions_of(c.role), c.permission), c.allowed)
            << role_name(c.role) << " " << permission_name(c.permission);
    }
}

}  // namespace
}  // namespace kontor::identity
