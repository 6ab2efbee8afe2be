#pragma once
// The actor a signed-in user becomes — what the HTTP edge builds from the access token — for
// service tests that act as real catalog users. Header-only: include it from tests that link
// kontor::identity (kontor_testing itself does not).
#include <string>

#include "kontor/identity/actor.hpp"
#include "kontor/identity/users.hpp"

namespace kontor::testing {

inline identity::Actor actor_for(const identity::User& u, std::string ip = "192.0.2.7") {
    identity::Actor a;
    if (u.tenant) a.tenant = *u.tenant;
    a.user = u.id;
    a.role = u.role;
    a.permissions = identity::permissions_of(u.role);
    a.organization = u.customer;
    a.request_id = "req-" + u.id.str().substr(24);
    a.ip = std::move(ip);
    return a;
}

}  // namespace kontor::testing
