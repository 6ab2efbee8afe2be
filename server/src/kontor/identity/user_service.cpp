#include <algorithm>
#include <cctype>

#include "kontor/core/clock.hpp"
#include "kontor/identity/password.hpp"
#include "kontor/identity/users.hpp"

namespace kontor::identity {
namespace {

constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, tenant_id, email, name, role, status, password_hash, created_at, "
    "updated_at) "
    "VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $7)";
constexpr std::string_view kFindByEmail =
    "SELECT id, tenant_id, email, name, role, status, created_at, updated_at, password_hash FROM "
    "users WHERE email = $1";
constexpr std::string_view kSetPassword =
    "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";

User row_to_user(const db::ResultSet& rs, std::size_t i) {
    User u;
    u.id = core::UserId{rs.get_text(i, 0)};
    if (auto t = rs.opt_text(i, 1)) u.tenant = core::TenantId{*t};
    u.email = rs.get_text(i, 2);
    u.name = rs.get_text(i, 3);
    u.role = parse_role(rs.get_text(i, 4)).value_or(Role::kClient);
    u.status = rs.get_text(i, 5);
    u.created_at = rs.get_int(i, 6);
    u.updated_at = rs.get_int(i, 7);
    return u;
}

// A fixed hash verified when the e-mail is unknown, so a miss costs what a hit costs.
const std::string& dummy_hash() {
    static const std::string hash = hash_password("kontor-timing-equaliser");
    return hash;
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view email) {
    while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front())))
        email.remove_prefix(1);
    while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back())))
        email.remove_suffix(1);
    std::string out(email);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto at = out.find('@');
    const bool ok = out.size() <= 254 && at != std::string::npos && at > 0 &&
                    at == out.rfind('@') && out.find('.', at) != std::string::npos &&
                    out.back() != '.' && std::none_of(out.begin(), out.end(), [](unsigned char c) {
                        return c <= 0x20 || c == 0x7f;
                    });
    if (!ok) return std::nullopt;
    return out;
}

core::Result<User> UserService::create(const NewUser& input) {
    std::vector<core::FieldError> errors;
    const auto email = normalize_email(input.email);
    if (!email) errors.push_back({"/email", "must be an e-mail address"});
    if (input.name.empty() || input.name.size() > 200)
        errors.push_back({"/name", "must be 1-200 bytes"});
    if (input.role == Role::kAdmin && input.tenant)
        errors.push_back({"/tenant_id", "an ADMIN belongs to no tenant"});
    if (input.role != Role::kAdmin && !input.tenant)
        errors.push_back({"/tenant_id", "is required for this role"});
    if (auto problem = password_problem(input.password, email.value_or("")))
        errors.push_back({"/password", *problem});
    if (!errors.empty())
        return core::fail(
            core::Error{core::ErrorCode::kValidation, "The user is invalid.", std::move(errors)});

    User u;
    u.id = core::UserId{core::new_uuid_v7()};
    u.tenant = input.tenant;
    u.email = *email;
    u.name = input.name;
    u.role = input.role;
    u.status = "active";
    u.created_at = u.updated_at = core::now_ms();
    const db::Value tenant = u.tenant ? db::Value{u.tenant->str()} : db::Value{nullptr};
    try {
        auto catalog = stores_.catalog();
        catalog->execute(kInsertUser,
                         {u.id.str(), tenant, u.email, u.name, std::string(role_name(u.role)),
                          hash_password(input.password), u.created_at});
    } catch (const db::DbError& e) {
        if (e.kind() == db::ErrorKind::kConflict)
            return core::fail(core::Error::conflict("The e-mail address is taken."));
        if (e.kind() == db::ErrorKind::kConstraint)
            return core::fail(core::Error::invalid("/tenant_id", "no such tenant"));
        throw;
    }
    return u;
}

std::optional<User> UserService::find_by_email(std::string_view email) {
    const auto normalized = normalize_email(email);
    if (!normalized) return std::nullopt;
    auto catalog = stores_.catalog();
    auto rs = catalog->query(kFindByEmail, {*normalized});
    if (rs.empty()) return std::nullopt;
    return row_to_user(rs, 0);
}

core::Result<void> UserService::reset_password(std::string_view email,
                                               std::string_view new_password) {
    auto user = find_by_email(email);
    if (!user) return core::fail(core::Error::not_found("No user has that e-mail address."));
    if (auto problem = password_problem(new_password, user->email))
        return core::fail(core::Error::invalid("/password", *problem));
    auto catalog = stores_.catalog();
    catalog->execute(kSetPassword, {user->id.str(), hash_password(new_password), core::now_ms()});
    return {};
}

std::optional<User> UserService::verify_credentials(std::string_view email,
                                                    std::string_view password) {
    const auto normalized = normalize_email(email);
    std::optional<User> user;
    std::optional<std::string> hash;
    if (normalized) {
        auto catalog = stores_.catalog();
        auto rs = catalog->query(kFindByEmail, {*normalized});
        if (!rs.empty()) {
            user = row_to_user(rs, 0);
            hash = rs.opt_text(0, 8);
        }
    }
    const bool ok = verify_password(password, hash.value_or(dummy_hash()));
    if (!ok || !user || !hash || user->status != "active") return std::nullopt;
    return user;
}

}  // namespace kontor::identity
