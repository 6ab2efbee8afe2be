#include <cstdlib>

#include "kontor/app/application.hpp"
#include "kontor/core/log.hpp"

namespace kontor::app {

// Demo data for `make run`: one tenant with a manager and an expert, plus the platform admin.
// Passwords come from KONTOR_DEMO_PASSWORD (default documented in README.md: demo use only).
bool load_demo(Core& core, bool if_empty) {
    if (if_empty && !core.tenants().list().empty()) return false;
    const char* env = std::getenv("KONTOR_DEMO_PASSWORD");
    const std::string password = env != nullptr && *env != '\0' ? env : "kontor-demo-2026";

    auto tenant = core.tenants().find("demo");
    if (!tenant) {
        auto created = core.tenants().create({.name = "Demo Service Desk", .slug = "demo"});
        if (!created) throw std::runtime_error("demo tenant: " + created.error().detail);
        tenant = *created;
    }
    const identity::NewUser users[] = {
        {std::nullopt, "admin@kontor.example", "Platform Admin", identity::Role::kAdmin, password},
        {tenant->id, "manager@demo.example", "Mia Manager", identity::Role::kManager, password},
        {tenant->id, "expert@demo.example", "Erik Expert", identity::Role::kExpert, password},
    };
    for (const auto& u : users) {
        if (core.users().find_by_email(u.email)) continue;
        if (auto r = core.users().create(u); !r)
            throw std::runtime_error("demo user " + u.email + ": " + r.error().detail);
    }
    core::log::info("demo data loaded", {{"tenant", tenant->slug}});
    return true;
}

}  // namespace kontor::app
