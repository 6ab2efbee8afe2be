#pragma once
// The user policy (CONVENTIONS.md §9): who may see and change which user account — a record check
// and a list scope, over identity::UserService (the data layer).
//
//   ADMIN           every user of every tenant (and other ADMINs)
//   MANAGER         the users of their own tenant (never an ADMIN)
//   CUSTOMER_ADMIN  the CLIENT and CUSTOMER_ADMIN users of their own organisation
//   everyone        their own profile (read; change name and locale)
//
// A user outside the actor's scope is not_found, never forbidden, so ids do not leak; inside the
// scope, a change the role may not make is forbidden. Thread-safe (references only).
#include <optional>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/core/page.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/actor.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::auth {

struct CreatedUser {
    identity::User user;
    std::optional<identity::Invite> invite;  // when created without a password
};

class AccountService {
public:
    AccountService(db::StoreManager& stores, identity::UserService& users,
                   tenancy::TenantService& tenants, customers::CustomerService& customers,
                   std::int64_t invite_ttl_ms = 7LL * 24 * 3600 * 1000)
        : stores_(stores),
          users_(users),
          tenants_(tenants),
          customers_(customers),
          invite_ttl_ms_(invite_ttl_ms) {}

    // The query's tenant is set from the actor (an ADMIN may name one or none). CUSTOMER_ADMIN
    // lists only their organisation; roles without users.manage / users.manage.org see only
    // themselves (a page of one).
    core::Result<core::Page<identity::User>> list(const identity::Actor& actor,
                                                  identity::UserQuery query);
    core::Result<identity::User> get(const identity::Actor& actor, const core::UserId& id);

    // ADMIN: any tenant (tenant required except for ADMIN users) and role. MANAGER: own tenant,
    // roles MANAGER, EXPERT, CUSTOMER_ADMIN, CLIENT. CUSTOMER_ADMIN: own tenant and organisation,
    // roles CLIENT and CUSTOMER_ADMIN (tenant and customer default to their own). Others:
    // forbidden. Errors also: validation_failed (incl. a customer that does not exist in the
    // tenant → "/customer_id"), conflict (e-mail), quota_exceeded (the tenant's max_users).
    // Without a password the user is "invited" and an invite is issued. Audits "user.created".
    core::Result<CreatedUser> create(const identity::Actor& actor, identity::NewUser input);

    // Self: name and locale only (anything else → forbidden). MANAGER: users of the own tenant
    // (not themselves for role/status). CUSTOMER_ADMIN: own organisation's users; role only
    // between CLIENT and CUSTOMER_ADMIN; no hourly rate or customer change. Reactivating checks
    // max_users. Audits "user.updated" (changed field names) and "user.role_changed"
    // (old → new) in the tenant's log (the platform log for ADMIN users).
    core::Result<identity::User> update(const identity::Actor& actor, const core::UserId& id,
                                        const identity::UserUpdate& update);

    // Status "inactive", every refresh token revoked and every sign-in of the user ended at once
    // (their access tokens stop working); history is kept. Not oneself. Audits
    // "user.deactivated".
    core::Result<identity::User> deactivate(const identity::Actor& actor, const core::UserId& id);

    // Reading: whoever may get the user. Writing: users.manage in the user's tenant (or ADMIN),
    // for EXPERT and MANAGER users only (validation_failed otherwise).
    core::Result<std::vector<identity::Expertise>> expertise(const identity::Actor& actor,
                                                             const core::UserId& id);
    core::Result<std::vector<identity::Expertise>> set_expertise(
        const identity::Actor& actor, const core::UserId& id,
        const std::vector<identity::Expertise>& list);

    // A fresh invite for an invited user in scope (the first one may have been lost).
    core::Result<identity::Invite> reinvite(const identity::Actor& actor, const core::UserId& id);

private:
    db::StoreManager& stores_;
    identity::UserService& users_;
    tenancy::TenantService& tenants_;
    customers::CustomerService& customers_;
    std::int64_t invite_ttl_ms_;
};

// Ends every sign-in of a user: refresh tokens revoked, their families deny-listed so access
// tokens issued from them stop working. `catalog` is a catalog-store connection (the caller's
// transaction, if any).
void revoke_user_sessions(db::Connection& catalog, const core::UserId& user);

// The JSON form of a user for the API (snake_case). Hourly rate only when include_rate (staff
// viewing staff, or self).
nlohmann::json to_json(const identity::User& user, bool include_rate);

}  // namespace kontor::auth
