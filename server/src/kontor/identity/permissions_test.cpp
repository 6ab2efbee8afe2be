#include "kontor/identity/permissions.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

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

namespace kontor::identity {
namespace {

// docs/domain/permissions.md shows the role table to readers; this keeps the two in step.
TEST(Permissions, DocumentedMatrixMatchesTheTable) {
    std::ifstream in(std::string(KONTOR_SOURCE_DIR) + "/docs/domain/permissions.md");
    ASSERT_TRUE(in) << "docs/domain/permissions.md is missing";
    const Role columns[] = {Role::kAdmin, Role::kManager, Role::kExpert, Role::kCustomerAdmin,
                            Role::kClient};
    std::string line;
    bool inside = false;
    int rows = 0;
    while (std::getline(in, line)) {
        if (line == "<!-- matrix:begin -->") inside = true;
        if (line == "<!-- matrix:end -->") break;
        if (!inside || !line.starts_with("| `")) continue;
        std::vector<std::string> cells;
        std::size_t start = 1;
        for (std::size_t bar = line.find('|', start); bar != std::string::npos;
             bar = line.find('|', start)) {
            std::string cell = line.substr(start, bar - start);
            cell.erase(0, cell.find_first_not_of(' '));
            cell.erase(cell.find_last_not_of(' ') + 1);
            cells.push_back(cell);
            start = bar + 1;
        }
        ASSERT_EQ(cells.size(), 6u) << line;
        const auto p = parse_permission(cells[0].substr(1, cells[0].size() - 2));
        ASSERT_TRUE(p) << "unknown permission in the doc: " << cells[0];
        for (int i = 0; i < 5; ++i) {
            EXPECT_EQ(has(permissions_of(columns[i]), *p), cells[i + 1] == "✓")
                << cells[0] << " for " << role_name(columns[i]);
        }
        ++rows;
    }
    EXPECT_EQ(rows, static_cast<int>(Permission::kCount_)) << "every permission has a row";
}

}  // namespace
}  // namespace kontor::identity
