// Ending sign-ins: shared by logout (auth_service.cpp) and deactivation (accounts.cpp).
#include "kontor/auth/accounts.hpp"
#include "kontor/core/clock.hpp"

namespace kontor::auth {
namespace {

// Families of the user that are still alive; each is deny-listed until its last refresh token
// would have expired (after that no access token of the family can exist either).
constexpr std::string_view kLiveFamilies =
    "SELECT family_id, MAX(expires_at) FROM refresh_tokens "
    "WHERE user_id = $1 AND revoked_at IS NULL GROUP BY family_id";
constexpr std::string_view kRevokeFamily =
    "INSERT INTO revoked_sessions (family_id, expires_at) VALUES ($1, $2) "
    "ON CONFLICT (family_id) DO NOTHING";
constexpr std::string_view kRevokeTokens =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";

}  // namespace

void revoke_user_sessions(db::Connection& catalog, const core::UserId& user) {
    const std::int64_t now = core::now_ms();
    const auto families = catalog.query(kLiveFamilies, {user.str()});
    for (std::size_t i = 0; i < families.size(); ++i) {
        catalog.execute(kRevokeFamily, {families.get_text(i, 0), families.get_int(i, 1)});
    }
    catalog.execute(kRevokeTokens, {user.str(), now});
}

}  // namespace kontor::auth
