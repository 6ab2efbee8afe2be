#include <algorithm>
#include <cctype>
#include <set>

#include "kontor/core/clock.hpp"
#include "kontor/core/text.hpp"
#include "kontor/db/like.hpp"
#include "kontor/identity/crypto.hpp"
#include "kontor/identity/password.hpp"
#include "kontor/identity/users.hpp"

namespace kontor::identity {
namespace {

using core::has_control_chars;

// Every query that builds a User selects these columns in this order (row_to_user reads them);
// password_hash comes last so callers that need it read column kHashColumn.
#define KONTOR_USER_COLUMNS                                                                    \
    "id, tenant_id, email, name, role, status, customer_id, locale, hourly_rate_cents, "       \
    "hourly_rate_currency, last_login_at, mfa_enabled, created_at, updated_at, password_hash " \
    "FROM users"
constexpr int kHashColumn = 14;

constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, tenant_id, email, name, role, status, password_hash, customer_id, "
    "locale, hourly_rate_cents, hourly_rate_currency, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)";
constexpr std::string_view kFindById = "SELECT " KONTOR_USER_COLUMNS " WHERE id = $1";
constexpr std::string_view kFindByEmail = "SELECT " KONTOR_USER_COLUMNS " WHERE email = $1";
constexpr std::string_view kSelectUsers = "SELECT " KONTOR_USER_COLUMNS;
constexpr std::string_view kCountUsers = "SELECT COUNT(*) FROM users";
#undef KONTOR_USER_COLUMNS
constexpr std::string_view kUpdateUser =
    "UPDATE users SET name = $2, role = $3, status = $4, customer_id = $5, locale = $6, "
    "hourly_rate_cents = $7, hourly_rate_currency = $8, updated_at = $9 WHERE id = $1";
constexpr std::string_view kSetPassword =
    "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
constexpr std::string_view kCountSeats =
    "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND status <> 'inactive'";

constexpr std::string_view kSelectExpertise =
    "SELECT skill, level FROM user_expertise WHERE user_id = $1";
constexpr std::string_view kDeleteExpertise = "DELETE FROM user_expertise WHERE user_id = $1";
constexpr std::string_view kInsertExpertise =
    "INSERT INTO user_expertise (user_id, skill, level) VALUES ($1, $2, $3)";

constexpr std::string_view kRetireInvites =
    "UPDATE invites SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL";
constexpr std::string_view kInsertInvite =
    "INSERT INTO invites (token_hash, user_id, created_by, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kFindInvite =
    "SELECT i.user_id, u.email FROM invites i JOIN users u ON u.id = i.user_id "
    "WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 "
    "AND u.status = 'invited'";
// Both conditional, so a token redeemed concurrently or a user deactivated meanwhile changes no
// row and the transaction is rolled back.
constexpr std::string_view kUseInvite =
    "UPDATE invites SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
constexpr std::string_view kActivateInvited =
    "UPDATE users SET password_hash = $2, status = 'active', name = $3, updated_at = $4 "
    "WHERE id = $1 AND status = 'invited'";

constexpr std::size_t kMaxExpertise = 50;

// By skill, byte-wise: the same order on every backend whatever the database's collation.
void sort_by_skill(std::vector<Expertise>& list) {
    std::sort(list.begin(), list.end(),
              [](const Expertise& a, const Expertise& b) { return a.skill < b.skill; });
}

User row_to_user(const db::ResultSet& rs, std::size_t i) {
    User u;
    u.id = core::UserId{rs.get_text(i, 0)};
    if (auto t = rs.opt_text(i, 1)) u.tenant = core::TenantId{*t};
    u.email = rs.get_text(i, 2);
    u.name = rs.get_text(i, 3);
    u.role = parse_role(rs.get_text(i, 4)).value_or(Role::kClient);
    u.status = rs.get_text(i, 5);
    if (auto c = rs.opt_text(i, 6)) u.customer = core::OrganizationId{*c};
    u.locale = rs.opt_text(i, 7);
    const auto cents = rs.opt_int(i, 8);
    const auto currency = rs.opt_text(i, 9);
    if (cents && currency) u.hourly_rate = HourlyRate{*cents, *currency};
    u.last_login_at = rs.opt_int(i, 10);
    u.mfa_enabled = rs.get_bool(i, 11);
    u.created_at = rs.get_int(i, 12);
    u.updated_at = rs.get_int(i, 13);
    return u;
}

bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

using core::ascii_lower;

std::optional<std::string> name_problem(std::string_view name) {
    if (name.empty() || blank(name)) return "must not be empty";
    if (name.size() > 200) return "must be at most 200 bytes";
    if (has_control_chars(name)) return "must not contain control characters";
    return std::nullopt;
}

bool is_client_role(Role role) { return role == Role::kClient || role == Role::kCustomerAdmin; }
bool has_hourly_rate(Role role) { return role == Role::kExpert || role == Role::kManager; }

// The rules every stored user satisfies besides e-mail, password and tenant (which differ between
// create and update): checked on the user as it would be after the change.
void check_profile(const User& u, std::vector<core::FieldError>& errors) {
    if (auto problem = name_problem(u.name)) errors.push_back({"/name", *problem});
    if (u.locale && *u.locale != "en" && *u.locale != "de")
        errors.push_back({"/locale", "must be \"en\" or \"de\""});
    if (is_client_role(u.role) && !u.customer)
        errors.push_back({"/customer_id", "is required for CLIENT and CUSTOMER_ADMIN users"});
    if (!is_client_role(u.role) && u.customer)
        errors.push_back(
            {"/customer_id", "only CLIENT and CUSTOMER_ADMIN users belong to a customer"});
    if (u.customer && !core::is_uuid(u.customer->str()))
        errors.push_back({"/customer_id", "must be a customer id"});
    if (u.hourly_rate) {
        if (!has_hourly_rate(u.role))
            errors.push_back({"/hourly_rate", "only EXPERT and MANAGER users have an hourly rate"});
        if (u.hourly_rate->cents < 0)
            errors.push_back({"/hourly_rate/amount_cents", "must not be negative"});
        const auto& cur = u.hourly_rate->currency;
        if (cur.size() != 3 ||
            !std::all_of(cur.begin(), cur.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            errors.push_back(
                {"/hourly_rate/currency", "must be an ISO 4217 code of three capital letters"});
    }
}

core::Error invalid_user(std::vector<core::FieldError> errors) {
    return core::Error{core::ErrorCode::kValidation, "The user is invalid.", std::move(errors), 0};
}

// The values for kUpdateUser / kInsertUser's profile columns.
db::Value rate_cents(const User& u) {
    return u.hourly_rate ? db::Value{u.hourly_rate->cents} : db::Value{nullptr};
}
db::Value rate_currency(const User& u) {
    return u.hourly_rate ? db::Value{u.hourly_rate->currency} : db::Value{nullptr};
}
db::Value customer_value(const User& u) {
    return u.customer ? db::Value{u.customer->str()} : db::Value{nullptr};
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
    User u;
    u.tenant = input.tenant;
    u.name = input.name;
    u.role = input.role;
    u.status = input.password ? "active" : "invited";
    u.customer = input.customer;
    u.locale = input.locale;
    u.hourly_rate = input.hourly_rate;

    std::vector<core::FieldError> errors;
    const auto email = normalize_email(input.email);
    if (!email) errors.push_back({"/email", "must be an e-mail address"});
    if (input.role == Role::kAdmin && input.tenant)
        errors.push_back({"/tenant_id", "an ADMIN belongs to no tenant"});
    if (input.role != Role::kAdmin && !input.tenant)
        errors.push_back({"/tenant_id", "is required for this role"});
    check_profile(u, errors);
    if (input.password) {
        if (auto problem = password_problem(*input.password, email.value_or("")))
            errors.push_back({"/password", *problem});
    }
    if (!errors.empty()) return core::fail(invalid_user(std::move(errors)));

    u.id = core::UserId{core::new_uuid_v7()};
    u.email = *email;
    u.created_at = u.updated_at = core::now_ms();
    const db::Value tenant = u.tenant ? db::Value{u.tenant->str()} : db::Value{nullptr};
    // Invited users have no password at all (NULL), so nothing can sign in as them before the
    // invite is redeemed.
    const db::Value hash =
        input.password ? db::Value{hash_password(*input.password)} : db::Value{nullptr};
    try {
        auto catalog = stores_.catalog();
        catalog->execute(kInsertUser,
                         {u.id.str(), tenant, u.email, u.name, std::string(role_name(u.role)),
                          u.status, hash, customer_value(u), db::nullable(u.locale), rate_cents(u),
                          rate_currency(u), u.created_at});
    } catch (const db::DbError& e) {
        if (e.kind() == db::ErrorKind::kConflict)
            return core::fail(core::Error::conflict("The e-mail address is taken."));
        if (e.kind() == db::ErrorKind::kConstraint)
            return core::fail(core::Error::invalid("/tenant_id", "no such tenant"));
        throw;
    }
    return u;
}

std::optional<User> UserService::find(const core::UserId& id) {
    auto catalog = stores_.catalog();
    auto rs = catalog->query(kFindById, {id.str()});
    if (rs.empty()) return std::nullopt;
    return row_to_user(rs, 0);
}

std::optional<User> UserService::find_by_email(std::string_view email) {
    const auto normalized = normalize_email(email);
    if (!normalized) return std::nullopt;
    auto catalog = stores_.catalog();
    auto rs = catalog->query(kFindByEmail, {*normalized});
    if (rs.empty()) return std::nullopt;
    return row_to_user(rs, 0);
}

// The filter is built from fixed fragments only; values are always bound parameters.
core::Page<User> UserService::list(const UserQuery& query) {
    std::string where = " WHERE 1 = 1";
    std::vector<db::Value> params;
    auto bind = [&params](db::Value v) {
        params.push_back(std::move(v));
        return "$" + std::to_string(params.size());
    };
    if (query.tenant) where += " AND tenant_id = " + bind(query.tenant->str());
    if (query.role) where += " AND role = " + bind(std::string(role_name(*query.role)));
    if (query.status) where += " AND status = " + bind(*query.status);
    if (query.customer) where += " AND customer_id = " + bind(query.customer->str());
    if (query.staff_only) where += " AND role IN ('EXPERT', 'MANAGER')";
    if (query.search && !query.search->empty()) {
        const std::string p = bind(db::like_contains(ascii_lower(*query.search)));
        where += " AND (lower(name) LIKE " + p + " ESCAPE '\\' OR lower(email) LIKE " + p +
                 " ESCAPE '\\')";
    }

    auto catalog = stores_.catalog();
    core::Page<User> page;
    page.total = catalog->query(std::string(kCountUsers) + where, std::span(params)).get_int(0, 0);
    const std::string limit = bind(std::int64_t{query.page.limit});
    const std::string offset = bind(query.page.offset());
    const auto rs = catalog->query(std::string(kSelectUsers) + where + " ORDER BY name, id LIMIT " +
                                       limit + " OFFSET " + offset,
                                   std::span(params));
    page.items.reserve(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i) page.items.push_back(row_to_user(rs, i));
    return page;
}

std::unordered_map<std::string, std::string> UserService::names(std::span<const core::UserId> ids) {
    std::unordered_map<std::string, std::string> out;
    std::set<std::string> distinct;
    for (const auto& id : ids) distinct.insert(id.str());
    if (distinct.empty()) return out;
    std::vector<db::Value> params;
    std::string in;
    for (const auto& id : distinct) {
        params.emplace_back(id);
        in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    auto catalog = stores_.catalog();
    const auto rs =
        catalog->query("SELECT id, name FROM users WHERE id IN (" + in + ")", std::span(params));
    for (std::size_t i = 0; i < rs.size(); ++i) out.emplace(rs.get_text(i, 0), rs.get_text(i, 1));
    return out;
}

core::Result<User> UserService::update(const core::UserId& id, const UserUpdate& update) {
    auto catalog = stores_.catalog();
    db::Transaction tx(*catalog);
    auto rs = tx.conn().query(kFindById, {id.str()});
    if (rs.empty()) return core::fail(core::Error::not_found("There is no such user."));
    User u = row_to_user(rs, 0);
    const bool has_password = !rs.is_null(0, kHashColumn);
    const Role old_role = u.role;

    std::vector<core::FieldError> errors;
    if (update.name) u.name = *update.name;
    if (update.role) u.role = *update.role;
    if (update.customer) u.customer = *update.customer;
    if (update.locale) u.locale = *update.locale;
    if (update.hourly_rate) u.hourly_rate = *update.hourly_rate;
    if (update.status) {
        if (*update.status == "inactive") {
            u.status = "inactive";
        } else if (*update.status == "active") {
            // Someone who never set a password goes back to waiting for their invite: "active"
            // without a password could neither sign in nor be invited again.
            u.status = has_password ? "active" : "invited";
        } else {
            errors.push_back({"/status", "must be \"active\" or \"inactive\""});
        }
    }
    // The tenant never changes, so ADMIN (no tenant) and the tenant roles cannot turn into each
    // other (the database CHECK says the same).
    if (u.role != old_role && (u.role == Role::kAdmin || old_role == Role::kAdmin))
        errors.push_back({"/role", u.role == Role::kAdmin
                                       ? "a tenant user cannot become ADMIN"
                                       : "an ADMIN cannot become a tenant user"});
    check_profile(u, errors);
    if (!errors.empty()) return core::fail(invalid_user(std::move(errors)));

    u.updated_at = core::now_ms();
    tx.conn().execute(kUpdateUser, {u.id.str(), u.name, std::string(role_name(u.role)), u.status,
                                    customer_value(u), db::nullable(u.locale), rate_cents(u),
                                    rate_currency(u), u.updated_at});
    tx.commit();
    return u;
}

std::int64_t UserService::count_seats(const core::TenantId& tenant) {
    auto catalog = stores_.catalog();
    return catalog->query(kCountSeats, {tenant.str()}).get_int(0, 0);
}

std::vector<std::pair<core::UserId, int>> UserService::experts_with_skill(
    const core::TenantId& tenant, std::string_view skill) {
    static constexpr std::string_view kExperts =
        "SELECT u.id, e.level FROM users u JOIN user_expertise e ON e.user_id = u.id "
        "WHERE u.tenant_id = $1 AND u.role = 'EXPERT' AND u.status = 'active' "
        "AND lower(e.skill) = lower($2) ORDER BY u.id";
    auto catalog = stores_.catalog();
    const auto rs = catalog->query(kExperts, {tenant.str(), std::string(skill)});
    std::vector<std::pair<core::UserId, int>> out;
    out.reserve(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i)
        out.emplace_back(core::UserId{rs.get_text(i, 0)}, static_cast<int>(rs.get_int(i, 1)));
    return out;
}

std::vector<Expertise> UserService::expertise(const core::UserId& id) {
    auto catalog = stores_.catalog();
    const auto rs = catalog->query(kSelectExpertise, {id.str()});
    std::vector<Expertise> out;
    out.reserve(rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i)
        out.push_back({rs.get_text(i, 0), static_cast<int>(rs.get_int(i, 1))});
    sort_by_skill(out);
    return out;
}

core::Result<std::vector<Expertise>> UserService::set_expertise(
    const core::UserId& id, const std::vector<Expertise>& list) {
    std::vector<core::FieldError> errors;
    if (list.size() > kMaxExpertise)
        errors.push_back({"/", "at most " + std::to_string(kMaxExpertise) + " skills"});
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = "/" + std::to_string(i);
        const auto& skill = list[i].skill;
        if (skill.empty() || blank(skill) || skill.size() > 60 || has_control_chars(skill)) {
            errors.push_back({at + "/skill", "must be 1-60 bytes without control characters"});
        } else if (!seen.insert(ascii_lower(skill)).second) {
            errors.push_back({at + "/skill", "is listed twice"});
        }
        if (list[i].level < 1 || list[i].level > 5)
            errors.push_back({at + "/level", "must be from 1 to 5"});
    }
    if (!errors.empty())
        return core::fail(core::Error{core::ErrorCode::kValidation,
                                      "The expertise list is invalid.", std::move(errors), 0});

    auto catalog = stores_.catalog();
    db::Transaction tx(*catalog);
    if (tx.conn().query(kFindById, {id.str()}).empty())
        return core::fail(core::Error::not_found("There is no such user."));
    tx.conn().execute(kDeleteExpertise, {id.str()});
    for (const auto& e : list)
        tx.conn().execute(kInsertExpertise, {id.str(), e.skill, std::int64_t{e.level}});
    tx.commit();
    std::vector<Expertise> sorted = list;
    sort_by_skill(sorted);
    return sorted;
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
            hash = rs.opt_text(0, kHashColumn);
        }
    }
    const bool ok = verify_password(password, hash.value_or(timing_dummy_hash()));
    if (!ok || !user || !hash || user->status != "active") return std::nullopt;
    return user;
}

core::Result<Invite> UserService::issue_invite(const core::UserId& user,
                                               const std::optional<core::UserId>& by,
                                               std::int64_t ttl_ms) {
    Invite invite;
    invite.token = random_token();
    const std::int64_t now = core::now_ms();
    invite.expires_at = now + ttl_ms;

    auto catalog = stores_.catalog();
    db::Transaction tx(*catalog);
    auto rs = tx.conn().query(kFindById, {user.str()});
    if (rs.empty()) return core::fail(core::Error::not_found("There is no such user."));
    if (rs.get_text(0, 5) != "invited")
        return core::fail(core::Error::conflict("The user is not waiting for an invitation."));
    tx.conn().execute(kRetireInvites, {user.str(), now});
    tx.conn().execute(kInsertInvite,
                      {sha256_hex(invite.token), user.str(),
                       by ? db::Value{by->str()} : db::Value{nullptr}, now, invite.expires_at});
    tx.commit();
    return invite;
}

core::Result<User> UserService::redeem_invite(std::string_view token, std::string_view password,
                                              const std::optional<std::string>& name) {
    const auto unknown = [] {
        return core::fail(core::Error::not_found("The invitation is unknown, used or expired."));
    };
    const std::string token_hash = sha256_hex(token);
    std::string user_id;
    std::string email;
    {
        auto catalog = stores_.catalog();
        auto rs = catalog->query(kFindInvite, {token_hash, core::now_ms()});
        if (rs.empty()) return unknown();
        user_id = rs.get_text(0, 0);
        email = rs.get_text(0, 1);
    }
    std::vector<core::FieldError> errors;
    if (auto problem = password_problem(password, email)) errors.push_back({"/password", *problem});
    if (name) {
        if (auto problem = name_problem(*name)) errors.push_back({"/name", *problem});
    }
    if (!errors.empty()) return core::fail(invalid_user(std::move(errors)));

    // Hashing is slow on purpose: do it before taking the write lock.
    const std::string hash = hash_password(password);
    auto current = find(core::UserId{user_id});
    if (!current) return unknown();
    const std::string new_name = name ? *name : current->name;

    auto catalog = stores_.catalog();
    db::Transaction tx(*catalog);
    const std::int64_t now = core::now_ms();
    if (tx.conn().execute(kUseInvite, {token_hash, now}) != 1) return unknown();
    if (tx.conn().execute(kActivateInvited, {user_id, hash, new_name, now}) != 1) return unknown();
    auto rs = tx.conn().query(kFindById, {user_id});
    tx.commit();
    return row_to_user(rs, 0);
}

}  // namespace kontor::identity
