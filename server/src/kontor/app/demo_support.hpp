#pragma once
// Shared by the demo loaders (demo.cpp, demo_tickets.cpp): the command line acts as the demo
// tenant's manager, a failed step stops the load with the service's own words, and the demo
// password comes from KONTOR_DEMO_PASSWORD (default documented in README.md: demo use only).
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "kontor/core/error.hpp"
#include "kontor/identity/actor.hpp"

namespace kontor::app::demo {

inline identity::Actor manager_of(const core::TenantId& tenant) {
    identity::Actor a;
    a.tenant = tenant;
    a.role = identity::Role::kManager;
    a.permissions = identity::permissions_of(identity::Role::kManager);
    a.request_id = "demo";
    return a;
}

template <class T>
T must(core::Result<T> r, const std::string& what) {
    if (!r) {
        std::string fields;
        for (const auto& f : r.error().fields) fields += " " + f.field + ": " + f.message;
        throw std::runtime_error(what + ": " + r.error().detail + fields);
    }
    return std::move(*r);
}

inline std::string password() {
    const char* env = std::getenv("KONTOR_DEMO_PASSWORD");
    return env != nullptr && *env != '\0' ? env : "kontor-demo-2026";
}

}  // namespace kontor::app::demo
