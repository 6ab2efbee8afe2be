#pragma once
// Sign-in and sessions (DESIGN.md §6): password + optional TOTP → a short-lived access token (JWT,
// HS256) and an opaque refresh token that rotates on every use; presenting a used refresh token
// revokes its whole family (theft detection). Logout deny-lists the access token's jti and ends
// its sign-in. Every request's token is checked against the catalog (user active, tenant active,
// not revoked), so deactivation, suspension and logout take effect at once. Also: registration
// (self-service or by invite), MFA enrolment, password change.
//
// Owned by the composition root; thread-safe (the throttle has its own lock, the rest is stores).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kontor/auth/throttle.hpp"
#include "kontor/core/error.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/actor.hpp"
#include "kontor/identity/jwt.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::auth {

struct AuthConfig {
    std::string issuer = "kontor";
    std::string audience = "kontor-api";
    std::int64_t access_ttl_s = 15 * 60;  // at most 30 min (checked by the config)
    std::int64_t refresh_ttl_s = 14LL * 24 * 3600;
    std::int64_t invite_ttl_s = 7LL * 24 * 3600;
    std::string mfa_issuer = "Kontor";  // shown in authenticator apps
    ThrottlePolicy throttle;
};

// Where a request came from, for throttling and the audit log.
struct Client {
    std::string ip;
    std::string request_id;
};

struct Session {
    std::string access_token;
    std::int64_t expires_in = 0;  // seconds
    std::string refresh_token;
    std::int64_t refresh_expires_in = 0;  // seconds
    identity::User user;
};

struct Registration {
    std::string email;
    std::string password;
    std::string name;
    std::optional<std::string> tenant;        // slug or id (self-registration)
    std::optional<std::string> invite_token;  // invite (then tenant is not needed)
    std::optional<std::string> locale;
};

struct MfaSetup {
    std::string secret;  // base32, for manual entry
    std::string otpauth_uri;
    std::string qr_svg;
};

struct Status {
    identity::User user;
    identity::PermissionSet permissions;
    std::optional<tenancy::Tenant> tenant;
    bool mfa_enrolment_required = false;
};

class AuthService {
public:
    AuthService(db::StoreManager& stores, identity::UserService& users,
                tenancy::TenantService& tenants, customers::CustomerService& customers,
                identity::jwt::KeyRing keys, AuthConfig config = {});

    // KONTOR_JWT_KEYS when given (errors name the bad entry); otherwise the catalog's signing key,
    // generated and stored on first use so restarts keep sessions valid.
    static core::Result<identity::jwt::KeyRing> load_keys(db::StoreManager& stores,
                                                          std::string_view spec);
    // The key ring that signs access tokens; download links are signed with it too.
    const identity::jwt::KeyRing& keys() const noexcept { return keys_; }

    // Errors: rate_limited (with retry_after_s) while the address or account is locked;
    // unauthenticated with one detail for unknown e-mail, wrong password, invited or inactive
    // user; mfa_required when the password was right and a second factor is due;
    // tenant_suspended. Audits auth.login / auth.login_failed / auth.lockout.
    core::Result<Session> login(std::string_view email, std::string_view password,
                                const std::optional<std::string>& second_factor,
                                const Client& client);
    // Rotates a refresh token. Errors: unauthenticated (unknown, expired, revoked, reused — a
    // reuse revokes the family and audits auth.refresh_reuse), tenant_suspended.
    core::Result<Session> refresh(std::string_view refresh_token, const Client& client);
    // Ends the actor's sign-in: the access token's jti deny-listed until it expires, its refresh
    // family revoked. Audits auth.logout.
    void logout(const identity::Actor& actor);

    // Access token → actor. nullopt never: errors are unauthenticated (bad, expired, revoked
    // token; user gone or inactive) or tenant_suspended.
    core::Result<identity::Actor> authenticate(std::string_view access_token);
    core::Result<Status> status(const identity::Actor& actor);

    // Self-registration (the tenant allows it and the e-mail's domain maps to an organisation)
    // or by invite. Errors: validation_failed, forbidden (registration closed), not_found
    // (unknown tenant or invite), conflict (e-mail taken), quota_exceeded, rate_limited.
    // Unknown tenants or invites and taken e-mails count against the client's address like
    // failed sign-ins: they are what someone probing for accounts or tokens would see.
    core::Result<Session> register_user(const Registration& input, const Client& client);

    // Errors: conflict (already enabled).
    core::Result<MfaSetup> mfa_setup(const identity::Actor& actor);
    // Enables MFA with a code of the pending secret; returns fresh recovery codes (shown once).
    // Errors: conflict (nothing pending / already enabled), validation_failed (wrong code).
    core::Result<std::vector<std::string>> mfa_verify(const identity::Actor& actor,
                                                      std::string_view code);
    // Errors: unauthenticated (wrong password), conflict (not enabled).
    core::Result<void> mfa_disable(const identity::Actor& actor, std::string_view password);
    // Errors: unauthenticated (wrong current password), validation_failed (policy).
    // Other sign-ins of the user end; the current one stays.
    core::Result<void> change_password(const identity::Actor& actor, std::string_view current,
                                       std::string_view next);

    const AuthConfig& config() const noexcept { return config_; }

private:
    core::Result<Session> register_unthrottled(const Registration& input, const Client& client);
    core::Result<Session> start_session(const identity::User& user, const Client& client,
                                        const std::string& audit_action);
    core::Result<void> check_tenant(const std::optional<core::TenantId>& tenant,
                                    const core::UserId& user);
    void audit(const std::optional<core::TenantId>& tenant, const std::string& action,
               const std::optional<std::string>& actor, const std::optional<std::string>& subject,
               const Client& client, nlohmann::json details = nlohmann::json::object());

    db::StoreManager& stores_;
    identity::UserService& users_;
    tenancy::TenantService& tenants_;
    customers::CustomerService& customers_;
    identity::jwt::KeyRing keys_;
    AuthConfig config_;
    LoginThrottle throttle_;
};

}  // namespace kontor::auth
