// /api/auth: sign-in, registration, token refresh, sign-out, status, second factor, password.
// Browsers get the tokens as cookies too (access: HttpOnly, SameSite=Lax; refresh: HttpOnly,
// SameSite=Strict, Path=/api/auth/refresh; CSRF token: readable by the page), API clients use
// the JSON body and `Authorization: Bearer`.
#include <algorithm>
#include <cctype>

#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/auth/accounts.hpp"
#include "kontor/auth/auth_service.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/identity/crypto.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;

constexpr std::string_view kAccessCookie = "kontor_access";
constexpr std::string_view kRefreshCookie = "kontor_refresh";
constexpr std::string_view kCsrfCookie = "kontor_csrf";
constexpr std::string_view kRefreshPath = "/api/auth/refresh";

std::string cookie(std::string_view name, std::string_view value, std::string_view path,
                   std::int64_t max_age, bool http_only, std::string_view same_site, bool secure) {
    std::string c = std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) +
                    "; Max-Age=" + std::to_string(max_age) + "; SameSite=" + std::string(same_site);
    if (http_only) c += "; HttpOnly";
    if (secure) c += "; Secure";
    return c;
}

void set_session_cookies(http::Response& res, const auth::Session& s, bool secure) {
    res.add("Set-Cookie",
            cookie(kAccessCookie, s.access_token, "/", s.expires_in, true, "Lax", secure));
    res.add("Set-Cookie", cookie(kRefreshCookie, s.refresh_token, kRefreshPath,
                                 s.refresh_expires_in, true, "Strict", secure));
    res.add("Set-Cookie", cookie(kCsrfCookie, identity::random_token(24), "/", s.refresh_expires_in,
                                 false, "Lax", secure));
}

void clear_session_cookies(http::Response& res, bool secure) {
    res.add("Set-Cookie", cookie(kAccessCookie, "", "/", 0, true, "Lax", secure));
    res.add("Set-Cookie", cookie(kRefreshCookie, "", kRefreshPath, 0, true, "Strict", secure));
    res.add("Set-Cookie", cookie(kCsrfCookie, "", "/", 0, false, "Lax", secure));
}

http::Response session_response(int status, const auth::Session& s, bool secure) {
    auto res = http::Response::json(status, {{"access_token", s.access_token},
                                             {"token_type", "Bearer"},
                                             {"expires_in", s.expires_in},
                                             {"refresh_token", s.refresh_token},
                                             {"refresh_expires_in", s.refresh_expires_in},
                                             {"user", auth::to_json(s.user, true)}});
    res.set("Cache-Control", "no-store");
    set_session_cookies(res, s, secure);
    return res;
}

auth::Client client_of(const http::Request& req) { return {req.remote_addr, req.request_id}; }

bool safe_method(http::Method m) {
    return m == Method::kGet || m == Method::kHead || m == Method::kOptions;
}

// Double submit: the header must repeat the CSRF cookie (which another site cannot read).
core::Result<void> check_csrf(const http::Request& req) {
    const auto cookie_value = req.cookie(kCsrfCookie);
    const auto header_value = req.header("x-csrf-token");
    if (!cookie_value || !header_value || cookie_value->empty() ||
        !identity::constant_time_equal(*cookie_value, *header_value)) {
        return core::fail(core::ErrorCode::kForbidden,
                          "The X-CSRF-Token header must repeat the kontor_csrf cookie.");
    }
    return {};
}

core::Result<http::Response> login(Services& s, http::Context& ctx) {
    const auto& b = ctx.request.json;
    auto session =
        s.auth->login(b.at("email").get<std::string>(), b.at("password").get<std::string>(),
                      opt_string(b, "totp"), client_of(ctx.request));
    if (!session) return core::fail(session.error());
    return session_response(200, *session, s.secure_cookies);
}

core::Result<http::Response> register_user(Services& s, http::Context& ctx) {
    const auto& b = ctx.request.json;
    auth::Registration r;
    r.email = opt_string(b, "email").value_or("");
    r.password = b.at("password").get<std::string>();
    r.name = opt_string(b, "name").value_or("");
    r.tenant = opt_string(b, "tenant");
    r.invite_token = opt_string(b, "invite_token");
    r.locale = opt_string(b, "locale");
    auto session = s.auth->register_user(r, client_of(ctx.request));
    if (!session) return core::fail(session.error());
    return session_response(201, *session, s.secure_cookies);
}

// The refresh token comes in the JSON body (API clients) or the refresh cookie (browsers; then
// the CSRF check applies, as for every cookie-authenticated change).
core::Result<http::Response> refresh(Services& s, http::Context& ctx) {
    std::optional<std::string> token;
    if (!ctx.request.body.empty()) {
        const auto body = nlohmann::json::parse(ctx.request.body, nullptr, false);
        if (body.is_discarded() || !body.is_object())
            return core::fail(core::ErrorCode::kMalformedJson, "The request body is not JSON.");
        if (body.contains("refresh_token")) {
            if (!body["refresh_token"].is_string() ||
                body["refresh_token"].get_ref<const std::string&>().empty())
                return core::fail(core::Error::invalid("/refresh_token", "must be a string"));
            token = body["refresh_token"].get<std::string>();
        }
    }
    if (!token) {
        if (auto c = ctx.request.cookie(kRefreshCookie); c && !c->empty()) {
            if (auto csrf = check_csrf(ctx.request); !csrf) return core::fail(csrf.error());
            token = std::string(*c);
        }
    }
    if (!token)
        return core::fail(core::ErrorCode::kUnauthenticated,
                          "Send the refresh token in the body or the kontor_refresh cookie.");
    auto session = s.auth->refresh(*token, client_of(ctx.request));
    if (!session) {
        auto res = http::problem(session.error(), ctx.request.request_id);
        clear_session_cookies(res, s.secure_cookies);
        return res;
    }
    return session_response(200, *session, s.secure_cookies);
}

core::Result<http::Response> logout(Services& s, http::Context& ctx) {
    s.auth->logout(*ctx.actor);
    auto res = http::Response::no_content();
    clear_session_cookies(res, s.secure_cookies);
    return res;
}

nlohmann::json tenant_summary(const tenancy::Tenant& t) {
    const auto& b = t.settings.branding;
    return {{"id", t.id.str()},
            {"slug", t.slug},
            {"name", t.name},
            {"status", t.status},
            {"locale", t.settings.locale},
            {"time_zone", t.settings.time_zone},
            {"features", t.settings.features},
            {"status_labels", t.settings.status_labels},
            {"self_registration", t.settings.self_registration},
            {"max_upload_bytes", t.settings.uploads.max_file_bytes},
            {"branding",
             {{"product_name", b.product_name},
              {"primary_color", b.primary_color},
              {"accent_color", b.accent_color},
              {"logo_url", b.logo_url ? nlohmann::json(*b.logo_url) : nlohmann::json(nullptr)}}}};
}

core::Result<http::Response> status(Services& s, http::Context& ctx) {
    auto st = s.auth->status(*ctx.actor);
    if (!st) return core::fail(st.error());
    nlohmann::json permissions = nlohmann::json::array();
    for (unsigned i = 0; i < static_cast<unsigned>(identity::Permission::kCount_); ++i) {
        const auto p = static_cast<identity::Permission>(i);
        if (identity::has(st->permissions, p)) permissions.push_back(identity::permission_name(p));
    }
    auto res = http::Response::json(
        200, {{"authenticated", true},
              {"user", auth::to_json(st->user, true)},
              {"role", identity::role_name(st->user.role)},
              {"permissions", permissions},
              {"tenant", st->tenant ? tenant_summary(*st->tenant) : nlohmann::json(nullptr)},
              {"mfa_enrolment_required", st->mfa_enrolment_required},
              {"session_expires_at", core::format_rfc3339(ctx.actor->token_expires_at_s * 1000)}});
    res.set("Cache-Control", "no-store");
    return res;
}

core::Result<http::Response> mfa_setup(Services& s, http::Context& ctx) {
    auto setup = s.auth->mfa_setup(*ctx.actor);
    if (!setup) return core::fail(setup.error());
    auto res = http::Response::json(200, {{"secret", setup->secret},
                                          {"otpauth_uri", setup->otpauth_uri},
                                          {"qr_svg", setup->qr_svg}});
    res.set("Cache-Control", "no-store");
    return res;
}

core::Result<http::Response> mfa_verify(Services& s, http::Context& ctx) {
    auto codes = s.auth->mfa_verify(*ctx.actor, ctx.request.json.at("code").get<std::string>());
    if (!codes) return core::fail(codes.error());
    auto res = http::Response::json(200, {{"mfa_enabled", true}, {"recovery_codes", *codes}});
    res.set("Cache-Control", "no-store");
    return res;
}

core::Result<http::Response> mfa_disable(Services& s, http::Context& ctx) {
    auto r = s.auth->mfa_disable(*ctx.actor, ctx.request.json.at("password").get<std::string>());
    if (!r) return core::fail(r.error());
    return http::Response::no_content();
}

core::Result<http::Response> change_password(Services& s, http::Context& ctx) {
    const auto& b = ctx.request.json;
    auto r = s.auth->change_password(*ctx.actor, b.at("current_password").get<std::string>(),
                                     b.at("new_password").get<std::string>());
    if (!r) return core::fail(r.error());
    return http::Response::no_content();
}

}  // namespace

void register_auth_routes(http::Router& router, Services& s) {
    const http::RouteOptions json{.body_limit = 16 * 1024, .json_body = true};
    const http::RouteOptions small{.body_limit = 16 * 1024};
    auto bind = [&s](auto fn) { return [&s, fn](http::Context& c) { return fn(s, c); }; };
    router.add(Method::kPost, "/api/auth/login", Access::public_route(), bind(login), json);
    router.add(Method::kPost, "/api/auth/register", Access::public_route(), bind(register_user),
               json);
    router.add(Method::kPost, "/api/auth/refresh", Access::public_route(), bind(refresh), small);
    router.add(Method::kPost, "/api/auth/logout", Access::authenticated(), bind(logout), small);
    router.add(Method::kGet, "/api/auth/status", Access::authenticated(), bind(status));
    router.add(Method::kPost, "/api/auth/mfa/setup", Access::authenticated(), bind(mfa_setup),
               small);
    router.add(Method::kPost, "/api/auth/mfa/verify", Access::authenticated(), bind(mfa_verify),
               json);
    router.add(Method::kDelete, "/api/auth/mfa", Access::authenticated(), bind(mfa_disable), json);
    router.add(Method::kPost, "/api/auth/password", Access::authenticated(), bind(change_password),
               json);
}

http::Authenticator make_authenticator(Services& s) {
    return [&s](const http::Request& req) -> core::Result<std::optional<identity::Actor>> {
        std::string_view token;
        bool from_cookie = false;
        if (auto h = req.header("authorization")) {
            constexpr std::string_view kScheme = "bearer ";
            std::string_view v = *h;
            if (v.size() <= kScheme.size() ||
                !std::equal(kScheme.begin(), kScheme.end(), v.begin(), [](char a, char b) {
                    return a == std::tolower(static_cast<unsigned char>(b));
                })) {
                return core::fail(core::ErrorCode::kUnauthenticated,
                                  "Use the Bearer scheme: Authorization: Bearer <access token>.");
            }
            token = v.substr(kScheme.size());
        } else if (auto c = req.cookie(kAccessCookie); c && !c->empty()) {
            token = *c;
            from_cookie = true;
        } else {
            return std::optional<identity::Actor>{};
        }
        if (from_cookie && !safe_method(req.method)) {
            if (auto csrf = check_csrf(req); !csrf) return core::fail(csrf.error());
        }
        auto actor = s.auth->authenticate(token);
        if (!actor) return core::fail(actor.error());
        if (actor->mfa_enrolment_required && !req.path.starts_with("/api/auth/")) {
            return core::fail(core::ErrorCode::kForbidden,
                              "This service desk requires a second factor for staff; set one up "
                              "with POST /api/auth/mfa/setup first.");
        }
        return std::optional<identity::Actor>{std::move(*actor)};
    };
}

}  // namespace kontor::api
