#include "kontor/auth/accounts.hpp"

#include <algorithm>
#include <cctype>

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"

namespace kontor::auth {
namespace {

using identity::Actor;
using identity::Permission;
using identity::Role;
using identity::User;

bool is_client_role(Role role) { return role == Role::kClient || role == Role::kCustomerAdmin; }

// How far the actor's management reaches over a user (self aside: see visible()).
enum class Scope {
    kNone,      // not a user the actor manages
    kOrg,       // CUSTOMER_ADMIN over a portal user of their own organisation
    kTenant,    // MANAGER over a user of their own tenant
    kPlatform,  // ADMIN over anyone
};

Scope manage_scope(const Actor& actor, const User& target) {
    if (actor.can(Permission::kTenantsManage)) return Scope::kPlatform;
    // An ADMIN user has no tenant, so no tenant-bound scope ever reaches one.
    const bool same_tenant = !actor.tenant.empty() && target.tenant == actor.tenant;
    if (!same_tenant) return Scope::kNone;
    if (actor.can(Permission::kUsersManage)) return Scope::kTenant;
    if (actor.can(Permission::kUsersManageOrg) && actor.organization &&
        target.customer == actor.organization && is_client_role(target.role))
        return Scope::kOrg;
    return Scope::kNone;
}

bool is_self(const Actor& actor, const User& target) {
    return !actor.user.empty() && actor.user == target.id;
}

// Who acts, for invites' created_by: nobody for the command line (no user).
std::optional<core::UserId> actor_id(const Actor& actor) {
    if (actor.user.empty()) return std::nullopt;
    return actor.user;
}

bool visible(const Actor& actor, const User& target) {
    return is_self(actor, target) || manage_scope(actor, target) != Scope::kNone;
}

core::Error no_such_user() { return core::Error::not_found("There is no such user."); }
core::Error no_such_tenant() { return core::Error::invalid("/tenant_id", "no such tenant"); }
core::Error no_such_customer() {
    return core::Error::invalid("/customer_id", "no such customer in the tenant");
}

// The user, or not_found when it does not exist for this actor (ids of others never leak).
core::Result<User> load_visible(identity::UserService& users, const Actor& actor,
                                const core::UserId& id) {
    auto user = users.find(id);
    if (!user || !visible(actor, *user)) return core::fail(no_such_user());
    return *user;
}

audit::Entry entry(const Actor& actor, std::string action, const User& subject,
                   nlohmann::json details) {
    return audit::entry_for(actor, std::move(action), subject.id.str(), std::move(details));
}

// The filters of a query, applied to one user (the page of one for actors who manage nobody).
bool matches(const User& u, const identity::UserQuery& q) {
    if (q.tenant && u.tenant != q.tenant) return false;
    if (q.role && u.role != *q.role) return false;
    if (q.status && u.status != *q.status) return false;
    if (q.customer && u.customer != q.customer) return false;
    if (q.staff_only && u.role != Role::kExpert && u.role != Role::kManager) return false;
    if (q.search && !q.search->empty()) {
        auto lower = [](std::string s) {
            std::transform(s.begin(), s.end(), s.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            return s;
        };
        const std::string needle = lower(*q.search);
        if (lower(u.name).find(needle) == std::string::npos &&
            lower(u.email).find(needle) == std::string::npos)
            return false;
    }
    return true;
}

nlohmann::json nullable_time(const std::optional<std::int64_t>& ms) {
    return ms ? nlohmann::json(core::format_rfc3339(*ms)) : nlohmann::json(nullptr);
}

// Writes an audit row where the user's records live: the tenant's log, or the platform log for
// ADMIN users (who have no tenant).
void write_audit(db::StoreManager& stores, const User& subject, const audit::Entry& e) {
    if (subject.tenant) {
        auto conn = stores.tenant(*subject.tenant);
        audit::append(*conn, e);
    } else {
        auto conn = stores.catalog();
        audit::append_platform(*conn, e);
    }
}

core::Error quota_exceeded(std::int64_t max_users) {
    return core::Error{core::ErrorCode::kQuotaExceeded,
                       "The tenant's licence allows " + std::to_string(max_users) +
                           " users (active and invited) and all seats are taken; deactivate a "
                           "user or raise the licence's max_users.",
                       {},
                       0};
}

}  // namespace

core::Result<core::Page<User>> AccountService::list(const Actor& actor, identity::UserQuery query) {
    if (actor.can(Permission::kTenantsManage)) return users_.list(query);
    if (!actor.tenant.empty() && actor.can(Permission::kUsersManage)) {
        query.tenant = actor.tenant;
        return users_.list(query);
    }
    if (!actor.tenant.empty() && actor.can(Permission::kUsersManageOrg) && actor.organization) {
        // Asking for another organisation's users finds none rather than the own ones.
        if (query.customer && query.customer != actor.organization) return core::Page<User>{};
        query.tenant = actor.tenant;
        query.customer = actor.organization;
        return users_.list(query);
    }
    if (!actor.tenant.empty() && actor.can(Permission::kTicketsAssign)) {
        // Technicians see their colleagues, to assign tickets and to name who did what.
        query.tenant = actor.tenant;
        query.staff_only = true;
        return users_.list(query);
    }
    core::Page<User> page;
    auto self = users_.find(actor.user);
    if (self && matches(*self, query)) {
        page.total = 1;
        if (query.page.offset() == 0) page.items.push_back(std::move(*self));
    }
    return page;
}

core::Result<User> AccountService::get(const Actor& actor, const core::UserId& id) {
    return load_visible(users_, actor, id);
}

core::Result<CreatedUser> AccountService::create(const Actor& actor, identity::NewUser input) {
    if (actor.can(Permission::kTenantsManage)) {
        // Any tenant, any role: the data layer checks that they fit together.
    } else if (!actor.tenant.empty() && actor.can(Permission::kUsersManage)) {
        // Another tenant's or organisation's id is answered as an unknown one: it does not exist
        // for this actor (docs/domain/permissions.md).
        if (input.tenant && *input.tenant != actor.tenant) return core::fail(no_such_tenant());
        if (input.role == Role::kAdmin)
            return core::fail(
                core::Error::forbidden("Only a platform administrator can create ADMIN users."));
        input.tenant = actor.tenant;
    } else if (!actor.tenant.empty() && actor.can(Permission::kUsersManageOrg) &&
               actor.organization) {
        if (input.tenant && *input.tenant != actor.tenant) return core::fail(no_such_tenant());
        if (input.customer && *input.customer != *actor.organization)
            return core::fail(no_such_customer());
        if (!is_client_role(input.role))
            return core::fail(
                core::Error::forbidden("You can create CLIENT and CUSTOMER_ADMIN users only."));
        input.tenant = actor.tenant;
        input.customer = actor.organization;
    } else {
        return core::fail(core::Error::forbidden("You may not create users."));
    }

    if (input.tenant) {
        const auto tenant = core::is_uuid(input.tenant->str()) ? tenants_.find(input.tenant->str())
                                                               : std::optional<tenancy::Tenant>{};
        if (!tenant) return core::fail(no_such_tenant());
        if (input.customer && is_client_role(input.role) &&
            (!core::is_uuid(input.customer->str()) ||
             !customers_.exists(*input.tenant, *input.customer)))
            return core::fail(no_such_customer());
        if (tenant->max_users && users_.count_seats(*input.tenant) >= *tenant->max_users)
            return core::fail(quota_exceeded(*tenant->max_users));
    }

    const bool invited = !input.password;
    auto user = users_.create(input);
    if (!user) return core::fail(std::move(user.error()));

    CreatedUser out{std::move(*user), std::nullopt};
    if (invited) {
        auto invite = users_.issue_invite(out.user.id, actor_id(actor), invite_ttl_ms_);
        if (!invite) return core::fail(std::move(invite.error()));
        out.invite = std::move(*invite);
    }
    nlohmann::json details = {{"email", out.user.email},
                              {"role", identity::role_name(out.user.role)},
                              {"status", out.user.status}};
    if (out.user.customer) details["customer_id"] = out.user.customer->str();
    write_audit(stores_, out.user, entry(actor, "user.created", out.user, std::move(details)));
    return out;
}

core::Result<User> AccountService::update(const Actor& actor, const core::UserId& id,
                                          const identity::UserUpdate& update) {
    auto target = load_visible(users_, actor, id);
    if (!target) return core::fail(std::move(target.error()));
    const bool self = is_self(actor, *target);
    const Scope scope = manage_scope(actor, *target);

    // Only what actually changes needs permission (a client may send back what it read), and
    // only that is audited.
    std::vector<std::string> changed;
    if (update.name && *update.name != target->name) changed.emplace_back("name");
    if (update.locale && *update.locale != target->locale) changed.emplace_back("locale");
    const bool role_changes = update.role && *update.role != target->role;
    if (role_changes) changed.emplace_back("role");
    // "active" for someone still invited changes nothing: they become active by redeeming.
    const bool status_changes = update.status && *update.status != target->status &&
                                !(*update.status == "active" && target->status == "invited");
    if (status_changes) changed.emplace_back("status");
    const bool customer_changes = update.customer && *update.customer != target->customer;
    if (customer_changes) changed.emplace_back("customer_id");
    const bool rate_changes =
        update.hourly_rate &&
        (update.hourly_rate->has_value() != target->hourly_rate.has_value() ||
         (update.hourly_rate->has_value() &&
          ((*update.hourly_rate)->cents != target->hourly_rate->cents ||
           (*update.hourly_rate)->currency != target->hourly_rate->currency)));
    if (rate_changes) changed.emplace_back("hourly_rate");
    if (changed.empty()) return *target;

    if (self && (role_changes || status_changes))
        return core::fail(core::Error::forbidden("You cannot change your own role or status."));
    if (role_changes || status_changes || customer_changes || rate_changes) {
        if (scope == Scope::kNone)
            return core::fail(
                core::Error::forbidden("You can change only your own name and language."));
        if (scope == Scope::kTenant && role_changes && *update.role == Role::kAdmin)
            return core::fail(
                core::Error::forbidden("Only a platform administrator can grant ADMIN."));
        if (scope == Scope::kOrg) {
            if (role_changes && !is_client_role(*update.role))
                return core::fail(core::Error::forbidden(
                    "You can switch users between CLIENT and CUSTOMER_ADMIN only."));
            if (customer_changes || rate_changes)
                return core::fail(core::Error::forbidden(
                    "You cannot move users to another organisation or set rates."));
        }
    }
    if (customer_changes && *update.customer && target->tenant &&
        (!core::is_uuid((*update.customer)->str()) ||
         !customers_.exists(*target->tenant, **update.customer)))
        return core::fail(no_such_customer());

    const bool reactivates =
        status_changes && target->status == "inactive" && *update.status == "active";
    if (reactivates && target->tenant) {
        const auto tenant = tenants_.find(target->tenant->str());
        if (tenant && tenant->max_users &&
            users_.count_seats(*target->tenant) >= *tenant->max_users)
            return core::fail(quota_exceeded(*tenant->max_users));
    }

    auto updated = users_.update(id, update);
    if (!updated) return core::fail(std::move(updated.error()));

    const bool deactivates = status_changes && updated->status == "inactive";
    if (deactivates) {
        auto catalog = stores_.catalog();
        db::Transaction tx(*catalog);
        revoke_user_sessions(tx.conn(), id);
        tx.commit();
    }
    write_audit(stores_, *updated, entry(actor, "user.updated", *updated, {{"fields", changed}}));
    if (role_changes) {
        write_audit(stores_, *updated,
                    entry(actor, "user.role_changed", *updated,
                          {{"from", identity::role_name(target->role)},
                           {"to", identity::role_name(updated->role)}}));
    }
    if (deactivates)
        write_audit(stores_, *updated,
                    entry(actor, "user.deactivated", *updated, {{"email", updated->email}}));
    return updated;
}

core::Result<User> AccountService::deactivate(const Actor& actor, const core::UserId& id) {
    auto target = load_visible(users_, actor, id);
    if (!target) return core::fail(std::move(target.error()));
    if (is_self(actor, *target))
        return core::fail(core::Error::forbidden("You cannot deactivate yourself."));
    if (manage_scope(actor, *target) == Scope::kNone)
        return core::fail(core::Error::forbidden("You may not deactivate this user."));

    const bool was_inactive = target->status == "inactive";
    auto updated = users_.update(id, identity::UserUpdate{.status = "inactive"});
    if (!updated) return core::fail(std::move(updated.error()));
    // Also for a user who already was inactive: revoking again is harmless and closes any
    // sign-in that slipped through.
    {
        auto catalog = stores_.catalog();
        db::Transaction tx(*catalog);
        revoke_user_sessions(tx.conn(), id);
        tx.commit();
    }
    if (!was_inactive)
        write_audit(stores_, *updated,
                    entry(actor, "user.deactivated", *updated, {{"email", updated->email}}));
    return updated;
}

core::Result<std::vector<identity::Expertise>> AccountService::expertise(const Actor& actor,
                                                                         const core::UserId& id) {
    auto target = load_visible(users_, actor, id);
    if (!target) return core::fail(std::move(target.error()));
    return users_.expertise(id);
}

core::Result<std::vector<identity::Expertise>> AccountService::set_expertise(
    const Actor& actor, const core::UserId& id, const std::vector<identity::Expertise>& list) {
    auto target = load_visible(users_, actor, id);
    if (!target) return core::fail(std::move(target.error()));
    const Scope scope = manage_scope(actor, *target);
    if (scope != Scope::kPlatform && scope != Scope::kTenant)
        return core::fail(core::Error::forbidden("Only managers set expertise."));
    if (target->role != Role::kExpert && target->role != Role::kManager)
        return core::fail(
            core::Error::invalid("/", "only EXPERT and MANAGER users have expertise"));
    auto stored = users_.set_expertise(id, list);
    if (!stored) return stored;
    write_audit(
        stores_, *target,
        entry(actor, "user.updated", *target, {{"fields", nlohmann::json::array({"expertise"})}}));
    return stored;
}

core::Result<identity::Invite> AccountService::reinvite(const Actor& actor,
                                                        const core::UserId& id) {
    auto target = load_visible(users_, actor, id);
    if (!target) return core::fail(std::move(target.error()));
    if (manage_scope(actor, *target) == Scope::kNone)
        return core::fail(core::Error::forbidden("You may not invite this user."));
    auto invite = users_.issue_invite(id, actor_id(actor), invite_ttl_ms_);
    if (!invite) return invite;
    write_audit(stores_, *target,
                entry(actor, "user.invited", *target,
                      {{"expires_at", core::format_rfc3339(invite->expires_at)}}));
    return invite;
}

nlohmann::json to_json(const User& user, bool include_rate) {
    nlohmann::json j = {
        {"id", user.id.str()},
        {"tenant_id", user.tenant ? nlohmann::json(user.tenant->str()) : nlohmann::json(nullptr)},
        {"email", user.email},
        {"name", user.name},
        {"role", identity::role_name(user.role)},
        {"status", user.status},
        {"customer_id",
         user.customer ? nlohmann::json(user.customer->str()) : nlohmann::json(nullptr)},
        {"locale", user.locale ? nlohmann::json(*user.locale) : nlohmann::json(nullptr)},
        {"last_login_at", nullable_time(user.last_login_at)},
        {"mfa_enabled", user.mfa_enabled},
        {"created_at", core::format_rfc3339(user.created_at)},
        {"updated_at", core::format_rfc3339(user.updated_at)},
    };
    if (include_rate) {
        j["hourly_rate"] = user.hourly_rate
                               ? nlohmann::json{{"amount_cents", user.hourly_rate->cents},
                                                {"currency", user.hourly_rate->currency}}
                               : nlohmann::json(nullptr);
    }
    return j;
}

}  // namespace kontor::auth
