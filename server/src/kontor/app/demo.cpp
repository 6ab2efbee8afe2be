#include "kontor/app/application.hpp"
#include "kontor/app/demo_support.hpp"
#include "kontor/core/log.hpp"

namespace kontor::app {
using demo::must;

// Demo data for `make run`: one tenant with one user per role, a customer organisation with
// documents and cases in its portal, and the platform admin. Passwords come from
// KONTOR_DEMO_PASSWORD (default documented in README.md: demo use only).
bool load_demo(Core& core, bool if_empty, bool with_cases) {
    if (if_empty && !core.tenants().list().empty()) return false;
    const std::string password = demo::password();

    auto tenant = core.tenants().find("demo");
    if (!tenant) {
        tenant = must(core.tenants().create({.name = "Demo Service Desk", .slug = "demo"}),
                      "demo tenant");
    }
    const identity::Actor actor = demo::manager_of(tenant->id);

    customers::CustomerQuery query;
    query.search = "Acme";
    auto found = must(core.customers().list(actor, tenant->id, query), "demo customer");
    customers::Customer acme;
    if (!found.items.empty()) {
        acme = found.items.front();
    } else {
        customers::CustomerInput in;
        in.name = "Acme Corporation";
        in.domain = std::optional<std::string>("acme.example");
        in.contact_email = std::optional<std::string>("it@acme.example");
        in.phone = std::optional<std::string>("+49 30 1234567");
        in.address = std::optional<std::string>("Friedrichstraße 1\n10117 Berlin");
        acme = must(core.customers().create(actor, tenant->id, in), "demo customer");
        // Colleagues at acme.example may register themselves into Acme's portal.
        must(core.tenants().update_settings(
                 tenant->id,
                 {{"self_registration", true},
                  {"registration_domains",
                   {{{"domain", "acme.example"}, {"customer_id", acme.id.str()}}}}},
                 actor),
             "demo settings");
    }

    struct DemoUser {
        std::string email, name;
        identity::Role role;
        bool in_tenant, customer_user;
    };
    const DemoUser users[] = {
        {"admin@kontor.example", "Platform Admin", identity::Role::kAdmin, false, false},
        {"manager@demo.example", "Mia Manager", identity::Role::kManager, true, false},
        {"expert@demo.example", "Erik Expert", identity::Role::kExpert, true, false},
        {"anna@acme.example", "Anna Admin (Acme)", identity::Role::kCustomerAdmin, true, true},
        {"carl@acme.example", "Carl Client (Acme)", identity::Role::kClient, true, true},
    };
    for (const auto& u : users) {
        if (core.users().find_by_email(u.email)) continue;
        identity::NewUser nu;
        if (u.in_tenant) nu.tenant = tenant->id;
        nu.email = u.email;
        nu.name = u.name;
        nu.role = u.role;
        nu.password = password;
        if (u.customer_user) nu.customer = acme.id;
        if (u.role == identity::Role::kExpert) nu.hourly_rate = identity::HourlyRate{9500, "EUR"};
        const auto created = must(core.users().create(nu), "demo user " + u.email);
        if (u.role == identity::Role::kExpert) {
            must(core.users().set_expertise(created.id, {{"network", 4}, {"windows", 3}}),
                 "demo expertise");
        }
    }
    load_demo_documents(core, tenant->id, acme.id);
    if (with_cases) load_demo_cases(core, tenant->id, acme.id);
    core::log::info("demo data loaded", {{"tenant", tenant->slug}});
    return true;
}

}  // namespace kontor::app
