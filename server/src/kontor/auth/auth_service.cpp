#include "kontor/auth/auth_service.hpp"

#include <algorithm>
#include <cctype>

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/core/log.hpp"
#include "kontor/core/text.hpp"
#include "kontor/identity/crypto.hpp"
#include "kontor/identity/password.hpp"
#include "kontor/identity/qr.hpp"
#include "kontor/identity/totp.hpp"

namespace kontor::auth {
namespace {

using identity::Role;

core::Result<Session> rate_limited(int wait_s) {
    return core::fail(
        core::Error{core::ErrorCode::kRateLimited,
                    "Too many failed attempts; try again in " + std::to_string(wait_s) + " s.",
                    {},
                    wait_s});
}

constexpr std::string_view kCredentials =
    "SELECT id, tenant_id, status, password_hash, mfa_enabled, mfa_secret, mfa_last_step, email "
    "FROM users WHERE email = $1";
constexpr std::string_view kCredentialsById =
    "SELECT id, tenant_id, status, password_hash, mfa_enabled, mfa_secret, mfa_last_step, email "
    "FROM users WHERE id = $1";
constexpr std::string_view kSetHash =
    "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view kSetLastLogin = "UPDATE users SET last_login_at = $2 WHERE id = $1";
constexpr std::string_view kUseTotpStep =
    "UPDATE users SET mfa_last_step = $2 WHERE id = $1 "
    "AND (mfa_last_step IS NULL OR mfa_last_step < $2)";
constexpr std::string_view kUseRecoveryCode =
    "UPDATE mfa_recovery_codes SET used_at = $3 "
    "WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL";

constexpr std::string_view kInsertRefresh =
    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kFindRefresh =
    "SELECT family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens "
    "WHERE token_hash = $1";
constexpr std::string_view kUseRefresh =
    "UPDATE refresh_tokens SET used_at = $2 "
    "WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL";
constexpr std::string_view kRevokeFamilyTokens =
    "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL";
constexpr std::string_view kRevokeFamily =
    "INSERT INTO revoked_sessions (family_id, expires_at) VALUES ($1, $2) "
    "ON CONFLICT (family_id) DO NOTHING";
constexpr std::string_view kRevokeJti =
    "INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2) "
    "ON CONFLICT (jti) DO NOTHING";
constexpr std::string_view kPruneJti = "DELETE FROM revoked_access_tokens WHERE expires_at < $1";
constexpr std::string_view kPruneFamilies = "DELETE FROM revoked_sessions WHERE expires_at < $1";
constexpr std::string_view kOtherFamilies =
    "SELECT family_id, MAX(expires_at) FROM refresh_tokens "
    "WHERE user_id = $1 AND revoked_at IS NULL AND family_id <> $2 GROUP BY family_id";
constexpr std::string_view kRevokeOtherTokens =
    "UPDATE refresh_tokens SET revoked_at = $3 "
    "WHERE user_id = $1 AND family_id <> $2 AND revoked_at IS NULL";

// One query per authenticated request: the user's current role and state, the tenant's state,
// and whether the token or its sign-in was revoked.
constexpr std::string_view kRequestState =
    "SELECT u.role, u.status, u.tenant_id, u.customer_id, u.locale, u.mfa_enabled, t.status, "
    "(SELECT COUNT(*) FROM revoked_access_tokens r WHERE r.jti = $2) + "
    "(SELECT COUNT(*) FROM revoked_sessions s WHERE s.family_id = $3), t.settings "
    "FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1";

constexpr std::string_view kMfaState =
    "SELECT mfa_enabled, mfa_pending_secret, email FROM users WHERE id = $1";
constexpr std::string_view kSetPending =
    "UPDATE users SET mfa_pending_secret = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view kEnableMfa =
    "UPDATE users SET mfa_enabled = 1, mfa_secret = mfa_pending_secret, "
    "mfa_pending_secret = NULL, mfa_last_step = $2, updated_at = $3 "
    "WHERE id = $1 AND mfa_enabled = 0 AND mfa_pending_secret = $4";
constexpr std::string_view kDisableMfa =
    "UPDATE users SET mfa_enabled = 0, mfa_secret = NULL, mfa_pending_secret = NULL, "
    "mfa_last_step = NULL, updated_at = $2 WHERE id = $1";
constexpr std::string_view kDeleteRecovery = "DELETE FROM mfa_recovery_codes WHERE user_id = $1";
constexpr std::string_view kInsertRecovery =
    "INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)";

constexpr std::string_view kSigningKeys =
    "SELECT kid, secret FROM signing_keys ORDER BY created_at DESC, kid";
constexpr std::string_view kInsertSigningKey =
    "INSERT INTO signing_keys (kid, secret, created_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (kid) DO NOTHING";

const char* const kWrongCredentials = "The e-mail address or password is wrong.";

std::unexpected<core::Error> unauthenticated(std::string detail) {
    return core::fail(core::ErrorCode::kUnauthenticated, std::move(detail));
}

bool is_staff(Role role) { return role == Role::kManager || role == Role::kExpert; }

std::string trim_lower(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return core::ascii_lower(s.substr(0, 254));
}

struct Credentials {
    core::UserId id;
    std::optional<core::TenantId> tenant;
    std::string status;
    std::optional<std::string> hash;
    bool mfa_enabled = false;
    std::optional<std::string> mfa_secret;
    std::optional<std::int64_t> mfa_last_step;
    std::string email;
};

std::optional<Credentials> read_credentials(const db::ResultSet& rs) {
    if (rs.empty()) return std::nullopt;
    Credentials c;
    c.id = core::UserId{rs.get_text(0, 0)};
    if (auto t = rs.opt_text(0, 1)) c.tenant = core::TenantId{*t};
    c.status = rs.get_text(0, 2);
    c.hash = rs.opt_text(0, 3);
    c.mfa_enabled = rs.get_bool(0, 4);
    c.mfa_secret = rs.opt_text(0, 5);
    c.mfa_last_step = rs.opt_int(0, 6);
    c.email = rs.get_text(0, 7);
    return c;
}

std::optional<Credentials> load_credentials(db::StoreManager& stores, std::string_view email) {
    auto catalog = stores.catalog();
    return read_credentials(catalog->query(kCredentials, {std::string(email)}));
}
}  // namespace

AuthService::AuthService(db::StoreManager& stores, identity::UserService& users,
                         tenancy::TenantService& tenants, customers::CustomerService& customers,
                         identity::jwt::KeyRing keys, AuthConfig config)
    : stores_(stores),
      users_(users),
      tenants_(tenants),
      customers_(customers),
      keys_(std::move(keys)),
      config_(std::move(config)),
      throttle_(config_.throttle) {
    (void)identity::timing_dummy_hash();  // pay the hashing cost at start-up, not on the first
                                          // failed sign-in
}

core::Result<identity::jwt::KeyRing> AuthService::load_keys(db::StoreManager& stores,
                                                            std::string_view spec) {
    if (!spec.empty()) return identity::jwt::KeyRing::parse(spec);
    auto catalog = stores.catalog();
    auto rs = catalog->query(kSigningKeys);
    if (rs.empty()) {
        // First start: one generated key. Concurrent starts race harmlessly (ON CONFLICT, then
        // everyone reads what is stored).
        catalog->execute(kInsertSigningKey,
                         {"k" + core::new_uuid_v7().substr(0, 8),
                          identity::base64url_encode(identity::random_bytes(32)), core::now_ms()});
        rs = catalog->query(kSigningKeys);
    }
    std::vector<identity::jwt::Key> keys;
    for (std::size_t i = 0; i < rs.size(); ++i) {
        auto secret = identity::base64url_decode(rs.get_text(i, 1));
        if (!secret) throw std::runtime_error("signing_keys holds a malformed secret");
        keys.push_back({rs.get_text(i, 0), std::move(*secret)});
    }
    return identity::jwt::KeyRing(std::move(keys));
}

void AuthService::audit(const std::optional<core::TenantId>& tenant, const std::string& action,
                        const std::optional<std::string>& actor,
                        const std::optional<std::string>& subject, const Client& client,
                        nlohmann::json details) {
    const audit::Entry entry{
        action, actor, subject, client.ip, client.request_id, std::move(details)};
    try {
        if (tenant) {
            auto conn = stores_.tenant(*tenant);
            audit::append(*conn, entry);
        } else {
            auto conn = stores_.catalog();
            audit::append_platform(*conn, entry);
        }
    } catch (const std::exception& e) {
        // The sign-in itself must not fail because its audit row could not be written; the log
        // line keeps the event.
        core::log::error("audit write failed", {{"action", action}, {"error", e.what()}});
    }
}

core::Result<void> AuthService::check_tenant(const std::optional<core::TenantId>& tenant,
                                             const core::UserId&) {
    if (!tenant) return {};
    const auto t = tenants_.find(tenant->str());
    if (!t) return unauthenticated("The account's tenant no longer exists.");
    if (!t->active())
        return core::fail(core::ErrorCode::kTenantSuspended,
                          "This service desk is suspended; contact its provider.");
    return {};
}

core::Result<Session> AuthService::login(std::string_view email, std::string_view password,
                                         const std::optional<std::string>& second_factor,
                                         const Client& client) {
    const std::string account = identity::normalize_email(email).value_or(trim_lower(email));
    if (auto wait = throttle_.locked_for(client.ip, account)) return rate_limited(*wait);
    const auto cred = load_credentials(stores_, account);
    const std::string& hash = cred && cred->hash ? *cred->hash : identity::timing_dummy_hash();
    const bool password_ok = identity::verify_password(password, hash);

    auto refuse = [&](const char* reason, std::string detail) -> core::Result<Session> {
        const auto failure = throttle_.record_failure(client.ip, account);
        const std::optional<core::TenantId> tenant = cred ? cred->tenant : std::nullopt;
        const std::optional<std::string> subject =
            cred ? std::optional(cred->id.str()) : std::nullopt;
        nlohmann::json details = {{"reason", reason}};
        if (!cred) details["email"] = account;  // platform log only: no user to name
        audit(tenant, "auth.login_failed", std::nullopt, subject, client, details);
        if (failure.ip_locked || failure.account_locked) {
            audit(tenant, "auth.lockout", std::nullopt, subject, client,
                  {{"ip_locked", failure.ip_locked},
                   {"account_locked", failure.account_locked},
                   {"lock_seconds", config_.throttle.lock_ms / 1000}});
        }
        return unauthenticated(std::move(detail));
    };

    if (!cred || !cred->hash || !password_ok || cred->status != "active")
        return refuse(!cred          ? "unknown_email"
                      : !password_ok ? "wrong_password"
                                     : "not_active",
                      kWrongCredentials);

    if (cred->mfa_enabled) {
        if (!second_factor || second_factor->empty()) {
            return core::fail(core::ErrorCode::kMfaRequired,
                              "Enter the code from your authenticator app, or a recovery code.");
        }
        const bool is_totp =
            second_factor->size() == static_cast<std::size_t>(identity::totp::kDigits);
        bool ok = false;
        {
            auto catalog = stores_.catalog();
            if (is_totp) {
                if (auto step =
                        identity::totp::verify(cred->mfa_secret.value_or(""), *second_factor,
                                               core::now_ms() / 1000, cred->mfa_last_step)) {
                    ok = catalog->execute(kUseTotpStep, {cred->id.str(), *step}) == 1;
                }
            } else {
                const auto code_hash =
                    identity::sha256_hex(identity::totp::normalize_recovery_code(*second_factor));
                ok = catalog->execute(kUseRecoveryCode,
                                      {cred->id.str(), code_hash, core::now_ms()}) == 1;
            }
        }  // the lease goes back before audit() takes one (ADMINs audit to the catalog)
        if (!ok) return refuse("wrong_second_factor", "The second factor is wrong or was used.");
        if (!is_totp)
            audit(cred->tenant, "auth.recovery_code_used", cred->id.str(), cred->id.str(), client);
    }

    throttle_.record_success(account);
    if (auto t = check_tenant(cred->tenant, cred->id); !t) {
        audit(cred->tenant, "auth.login_refused", cred->id.str(), cred->id.str(), client,
              {{"reason", core::code_name(t.error().code)}});
        return core::fail(t.error());
    }
    const bool rehash = identity::needs_rehash(*cred->hash);
    {
        auto catalog = stores_.catalog();
        if (rehash) {
            catalog->execute(kSetHash,
                             {cred->id.str(), identity::hash_password(password), core::now_ms()});
        }
        catalog->execute(kSetLastLogin, {cred->id.str(), core::now_ms()});
    }
    if (rehash)
        audit(cred->tenant, "auth.password_rehashed", cred->id.str(), cred->id.str(), client);
    auto user = users_.find(cred->id);
    if (!user) return unauthenticated(kWrongCredentials);
    return start_session(*user, client, "auth.login");
}

core::Result<Session> AuthService::start_session(const identity::User& user, const Client& client,
                                                 const std::string& audit_action) {
    const std::int64_t now = core::now_ms();
    const std::string family = core::new_uuid_v7();
    Session s;
    s.refresh_token = identity::random_token(32);
    s.refresh_expires_in = config_.refresh_ttl_s;
    {
        auto catalog = stores_.catalog();
        catalog->execute(kInsertRefresh, {identity::sha256_hex(s.refresh_token), family,
                                          user.id.str(), now, now + config_.refresh_ttl_s * 1000});
    }
    identity::jwt::Claims claims;
    claims.iss = config_.issuer;
    claims.aud = config_.audience;
    claims.sub = user.id.str();
    if (user.tenant) claims.tid = user.tenant->str();
    claims.role = std::string(identity::role_name(user.role));
    claims.sid = family;
    claims.jti = core::new_uuid_v7();
    claims.iat = now / 1000;
    claims.exp = claims.iat + config_.access_ttl_s;
    s.access_token = identity::jwt::sign(claims, keys_);
    s.expires_in = config_.access_ttl_s;
    s.user = user;
    audit(user.tenant, audit_action, user.id.str(), user.id.str(), client, {{"session", family}});
    return s;
}

core::Result<Session> AuthService::refresh(std::string_view refresh_token, const Client& client) {
    const std::string hash = identity::sha256_hex(refresh_token);
    const std::int64_t now = core::now_ms();
    std::string family;
    core::UserId user_id;
    std::optional<std::string> next;
    bool reused = false;
    {
        auto catalog = stores_.catalog();
        db::Transaction tx(*catalog);
        auto rs = tx.conn().query(kFindRefresh, {hash});
        if (rs.empty()) return unauthenticated("The refresh token is not valid.");
        family = rs.get_text(0, 0);
        user_id = core::UserId{rs.get_text(0, 1)};
        if (!rs.is_null(0, 4)) return unauthenticated("The refresh token was revoked.");
        const bool expired = rs.get_int(0, 2) <= now;
        // Used before, or used by a concurrent request a moment ago (the UPDATE lost the race).
        const bool used =
            !rs.is_null(0, 3) || (!expired && tx.conn().execute(kUseRefresh, {hash, now}) != 1);
        if (used) {
            // A used token presented again: someone holds a copy. End the whole sign-in.
            tx.conn().execute(kRevokeFamilyTokens, {family, now});
            tx.conn().execute(kRevokeFamily, {family, now + config_.refresh_ttl_s * 1000});
            tx.commit();
            reused = true;
        } else {
            if (expired) return unauthenticated("The refresh token has expired.");
            next = identity::random_token(32);
            tx.conn().execute(kInsertRefresh, {identity::sha256_hex(*next), family, user_id.str(),
                                               now, now + config_.refresh_ttl_s * 1000});
            tx.commit();
        }
    }  // the lease goes back before users_ and audit() take their own
    const auto user = users_.find(user_id);
    if (reused) {
        audit(user ? user->tenant : std::nullopt, "auth.refresh_reuse", std::nullopt, user_id.str(),
              client, {{"session", family}});
        return unauthenticated(
            "The refresh token was already used; the sign-in has been ended. Sign in again.");
    }
    if (!user || user->status != "active") return unauthenticated("The account is not active.");
    if (auto t = check_tenant(user->tenant, user->id); !t) return core::fail(t.error());

    identity::jwt::Claims claims;
    claims.iss = config_.issuer;
    claims.aud = config_.audience;
    claims.sub = user->id.str();
    if (user->tenant) claims.tid = user->tenant->str();
    claims.role = std::string(identity::role_name(user->role));
    claims.sid = family;
    claims.jti = core::new_uuid_v7();
    claims.iat = now / 1000;
    claims.exp = claims.iat + config_.access_ttl_s;
    Session s;
    s.access_token = identity::jwt::sign(claims, keys_);
    s.expires_in = config_.access_ttl_s;
    s.refresh_token = std::move(*next);
    s.refresh_expires_in = config_.refresh_ttl_s;
    s.user = *user;
    return s;
}

void AuthService::logout(const identity::Actor& actor) {
    const std::int64_t now = core::now_ms();
    {
        auto catalog = stores_.catalog();
        db::Transaction tx(*catalog);
        tx.conn().execute(kRevokeJti, {actor.token_id, actor.token_expires_at_s * 1000});
        tx.conn().execute(kRevokeFamily, {actor.session_id, now + config_.refresh_ttl_s * 1000});
        tx.conn().execute(kRevokeFamilyTokens, {actor.session_id, now});
        // Deny-list rows are useless once the tokens they name have expired.
        tx.conn().execute(kPruneJti, {now});
        tx.conn().execute(kPruneFamilies, {now});
        tx.commit();
    }
    audit(actor.tenant.empty() ? std::nullopt : std::optional(actor.tenant), "auth.logout",
          actor.user.str(), actor.user.str(), {actor.ip, actor.request_id},
          {{"session", actor.session_id}});
}

core::Result<identity::Actor> AuthService::authenticate(std::string_view access_token) {
    auto claims = identity::jwt::verify(access_token, keys_, config_.issuer, config_.audience,
                                        core::now_ms() / 1000);
    if (!claims) return core::fail(claims.error());
    const auto rs =
        stores_.catalog()->query(kRequestState, {claims->sub, claims->jti, claims->sid});
    if (rs.empty()) return unauthenticated("The account no longer exists.");
    if (rs.get_int(0, 7) > 0) return unauthenticated("The access token was revoked.");
    if (rs.get_text(0, 1) != "active") return unauthenticated("The account is not active.");
    const auto tenant = rs.opt_text(0, 2);
    if (tenant != claims->tid) return unauthenticated("The access token is not valid.");
    if (tenant && rs.opt_text(0, 6) != "active")
        return core::fail(core::ErrorCode::kTenantSuspended,
                          "This service desk is suspended; contact its provider.");
    const auto role = identity::parse_role(rs.get_text(0, 0));
    if (!role) return unauthenticated("The account has no valid role.");

    identity::Actor actor;
    if (tenant) actor.tenant = core::TenantId{*tenant};
    actor.user = core::UserId{claims->sub};
    actor.role = *role;
    actor.permissions = identity::permissions_of(*role);
    if (auto c = rs.opt_text(0, 3)) actor.organization = core::OrganizationId{*c};
    actor.locale = rs.opt_text(0, 4).value_or("en");
    actor.token_id = claims->jti;
    actor.session_id = claims->sid;
    actor.token_expires_at_s = claims->exp;
    if (tenant && is_staff(*role) && !rs.get_bool(0, 5)) {
        // Only staff without a second factor pay for parsing the tenant's settings, and only the
        // one key is read (the settings were validated when they were stored).
        const auto settings =
            nlohmann::json::parse(rs.opt_text(0, 8).value_or("{}"), nullptr, false);
        const auto flag =
            settings.is_object() ? settings.find("mfa_required_for_staff") : settings.end();
        actor.mfa_enrolment_required =
            flag != settings.end() && flag->is_boolean() && flag->get<bool>();
    }
    return actor;
}

core::Result<Status> AuthService::status(const identity::Actor& actor) {
    auto user = users_.find(actor.user);
    if (!user) return unauthenticated("The account no longer exists.");
    Status s;
    s.user = std::move(*user);
    s.permissions = actor.permissions;
    if (!actor.tenant.empty()) s.tenant = tenants_.find(actor.tenant.str());
    s.mfa_enrolment_required = actor.mfa_enrolment_required;
    return s;
}

core::Result<Session> AuthService::register_user(const Registration& input, const Client& client) {
    // Keyed by address on both sides, so one prober cannot lock registration for everyone.
    const std::string key = "register:" + client.ip;
    if (auto wait = throttle_.locked_for(client.ip, key)) return rate_limited(*wait);
    auto session = register_unthrottled(input, client);
    if (!session && (session.error().code == core::ErrorCode::kNotFound ||
                     session.error().code == core::ErrorCode::kConflict))
        throttle_.record_failure(client.ip, key);
    return session;
}

core::Result<Session> AuthService::register_unthrottled(const Registration& input,
                                                        const Client& client) {
    if (input.invite_token) {
        auto user =
            users_.redeem_invite(*input.invite_token, input.password,
                                 input.name.empty() ? std::nullopt : std::optional(input.name));
        if (!user) return core::fail(user.error());
        if (!input.email.empty() && identity::normalize_email(input.email) != user->email) {
            // The token names the account; a different e-mail in the form is noted, not obeyed.
            core::log::warn("invite redeemed with a different e-mail", {{"user", user->id.str()}});
        }
        if (auto t = check_tenant(user->tenant, user->id); !t) return core::fail(t.error());
        return start_session(*user, client, "auth.registered");
    }

    if (!input.tenant)
        return core::fail(core::Error::invalid("/tenant", "name the service desk to join"));
    const auto tenant = tenants_.find(*input.tenant);
    if (!tenant || !tenant->active())
        return core::fail(core::Error::not_found("There is no such service desk."));
    if (!tenant->settings.self_registration)
        return core::fail(core::ErrorCode::kForbidden,
                          "This service desk does not allow self-registration; ask for an invite.");
    const auto email = identity::normalize_email(input.email);
    if (!email) return core::fail(core::Error::invalid("/email", "must be an e-mail address"));
    const std::string domain = email->substr(email->find('@') + 1);
    std::optional<core::OrganizationId> customer;
    for (const auto& d : tenant->settings.registration_domains) {
        if (d.domain == domain) customer = d.customer_id;
    }
    if (!customer || !customers_.exists(tenant->id, *customer))
        return core::fail(core::Error::invalid(
            "/email", "self-registration is open to the e-mail domains of this desk's customers"));
    if (tenant->max_users && users_.count_seats(tenant->id) >= *tenant->max_users)
        return core::fail(core::ErrorCode::kQuotaExceeded,
                          "This service desk has reached its user limit.");

    identity::NewUser nu;
    nu.tenant = tenant->id;
    nu.email = *email;
    nu.name = input.name;
    nu.role = Role::kClient;
    nu.password = input.password;
    nu.customer = customer;
    nu.locale = input.locale;
    auto user = users_.create(nu);
    if (!user) return core::fail(user.error());
    return start_session(*user, client, "auth.registered");
}

core::Result<MfaSetup> AuthService::mfa_setup(const identity::Actor& actor) {
    auto catalog = stores_.catalog();
    const auto rs = catalog->query(kMfaState, {actor.user.str()});
    if (rs.empty()) return unauthenticated("The account no longer exists.");
    if (rs.get_bool(0, 0))
        return core::fail(core::Error::conflict(
            "A second factor is already set up; remove it first to enrol another device."));
    MfaSetup setup;
    setup.secret = identity::totp::new_secret();
    catalog->execute(kSetPending, {actor.user.str(), setup.secret, core::now_ms()});
    setup.otpauth_uri =
        identity::totp::otpauth_uri(config_.mfa_issuer, rs.get_text(0, 2), setup.secret);
    setup.qr_svg = identity::qr_svg(setup.otpauth_uri);
    return setup;
}

core::Result<std::vector<std::string>> AuthService::mfa_verify(const identity::Actor& actor,
                                                               std::string_view code) {
    auto catalog = stores_.catalog();
    const auto rs = catalog->query(kMfaState, {actor.user.str()});
    if (rs.empty()) return unauthenticated("The account no longer exists.");
    if (rs.get_bool(0, 0))
        return core::fail(core::Error::conflict("A second factor is already set up."));
    const auto pending = rs.opt_text(0, 1);
    if (!pending) return core::fail(core::Error::conflict("Start with POST /api/auth/mfa/setup."));
    const auto step = identity::totp::verify(*pending, code, core::now_ms() / 1000, std::nullopt);
    if (!step)
        return core::fail(
            core::Error::invalid("/code", "does not match; check the code and the device's clock"));
    auto codes = identity::totp::new_recovery_codes(10);
    {
        db::Transaction tx(*catalog);
        if (tx.conn().execute(kEnableMfa, {actor.user.str(), *step, core::now_ms(), *pending}) != 1)
            return core::fail(core::Error::conflict("The set-up changed meanwhile; start again."));
        tx.conn().execute(kDeleteRecovery, {actor.user.str()});
        for (const auto& c : codes) {
            tx.conn().execute(kInsertRecovery,
                              {actor.user.str(),
                               identity::sha256_hex(identity::totp::normalize_recovery_code(c))});
        }
        tx.commit();
    }
    catalog = db::Lease{};  // back to the pool before audit() takes a connection
    audit(actor.tenant.empty() ? std::nullopt : std::optional(actor.tenant), "auth.mfa_enabled",
          actor.user.str(), actor.user.str(), {actor.ip, actor.request_id});
    return codes;
}

core::Result<void> AuthService::mfa_disable(const identity::Actor& actor,
                                            std::string_view password) {
    auto catalog = stores_.catalog();
    const auto cred = read_credentials(catalog->query(kCredentialsById, {actor.user.str()}));
    if (!cred || !cred->hash || !identity::verify_password(password, *cred->hash))
        // 422 at the field, not 401: the session is fine, the confirmation is not.
        return core::fail(core::Error::invalid("/password", "is not your current password"));
    if (!cred->mfa_enabled) return core::fail(core::Error::conflict("No second factor is set up."));
    {
        db::Transaction tx(*catalog);
        tx.conn().execute(kDisableMfa, {actor.user.str(), core::now_ms()});
        tx.conn().execute(kDeleteRecovery, {actor.user.str()});
        tx.commit();
    }
    catalog = db::Lease{};  // back to the pool before audit() takes a connection
    audit(cred->tenant, "auth.mfa_disabled", actor.user.str(), actor.user.str(),
          {actor.ip, actor.request_id});
    return {};
}

core::Result<void> AuthService::change_password(const identity::Actor& actor,
                                                std::string_view current, std::string_view next) {
    auto catalog = stores_.catalog();
    const auto cred = read_credentials(catalog->query(kCredentialsById, {actor.user.str()}));
    if (!cred || !cred->hash || !identity::verify_password(current, *cred->hash))
        return core::fail(
            core::Error::invalid("/current_password", "is not your current password"));
    if (auto problem = identity::password_problem(next, cred->email))
        return core::fail(core::Error::invalid("/new_password", *problem));
    const std::int64_t now = core::now_ms();
    {
        db::Transaction tx(*catalog);
        tx.conn().execute(kSetHash, {actor.user.str(), identity::hash_password(next), now});
        // Every other sign-in ends: whoever knew the old password is out.
        const auto families = tx.conn().query(kOtherFamilies, {actor.user.str(), actor.session_id});
        for (std::size_t i = 0; i < families.size(); ++i)
            tx.conn().execute(kRevokeFamily, {families.get_text(i, 0), families.get_int(i, 1)});
        tx.conn().execute(kRevokeOtherTokens, {actor.user.str(), actor.session_id, now});
        tx.commit();
    }
    catalog = db::Lease{};  // back to the pool before audit() takes a connection
    audit(cred->tenant, "auth.password_changed", actor.user.str(), actor.user.str(),
          {actor.ip, actor.request_id});
    return {};
}

}  // namespace kontor::auth
