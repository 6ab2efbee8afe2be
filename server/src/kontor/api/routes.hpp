#pragma once
// The HTTP handler layer: one file per resource, each starting with its route table
// (CONVENTIONS.md §5). Handlers parse, call one service method and answer; nothing else.
#include <functional>
#include <memory>

#include "kontor/api/openapi.hpp"
#include "kontor/http/metrics.hpp"
#include "kontor/http/router.hpp"
#include "kontor/http/server.hpp"

namespace kontor::tenancy {
class TenantService;
}
namespace kontor::identity {
class UserService;
}
namespace kontor::customers {
class CustomerService;
}
namespace kontor::tickets {
class TicketService;
class SlaPolicyService;
}  // namespace kontor::tickets
namespace kontor::documents {
class DocumentService;
}
namespace kontor::audit {
class AuditLog;
}
namespace kontor::auth {
class AuthService;
class AccountService;
}  // namespace kontor::auth

namespace kontor::api {

// The state /readyz reports; computed by the composition root, which owns the stores.
struct Readiness {
    bool catalog_reachable = false;
    int schema_current = 0;  // catalog migration version in the store
    int schema_latest = 0;   // the version this binary expects
};

// What the handlers need; owned by the composition root (app), which outlives the server.
// Domain services join this struct as their modules arrive.
struct Services {
    http::Metrics& metrics;
    std::shared_ptr<const OpenApi> openapi;
    std::function<Readiness()> readiness;
    tenancy::TenantService* tenants = nullptr;
    identity::UserService* users = nullptr;
    customers::CustomerService* customers = nullptr;
    tickets::TicketService* tickets = nullptr;
    tickets::SlaPolicyService* sla_policies = nullptr;
    documents::DocumentService* documents = nullptr;
    audit::AuditLog* audit = nullptr;
    auth::AuthService* auth = nullptr;
    auth::AccountService* accounts = nullptr;
    bool secure_cookies = true;   // KONTOR_COOKIE_SECURE: the Secure attribute on session cookies
    int download_link_ttl = 300;  // KONTOR_DOWNLOAD_LINK_TTL: seconds a signed download link works
};

// Turns a request's credentials into an actor for the HTTP server: `Authorization: Bearer`, else
// the access cookie — then a state-changing request must also carry the CSRF token (header
// X-CSRF-Token equal to the kontor_csrf cookie: double submit). A tenant that requires a second
// factor for staff admits a staff user without one only to /api/auth/ until they enrol.
http::Authenticator make_authenticator(Services& services);

// Registers every route of the API on the router.
void register_routes(http::Router& router, Services& services);

// Per-resource route tables (called by register_routes).
void register_ops_routes(http::Router& router, Services& services);
void register_docs_routes(http::Router& router, Services& services);
void register_auth_routes(http::Router& router, Services& services);
void register_tenant_routes(http::Router& router, Services& services);
void register_user_routes(http::Router& router, Services& services);
void register_customer_routes(http::Router& router, Services& services);
void register_ticket_routes(http::Router& router, Services& services);
void register_sla_routes(http::Router& router, Services& services);
void register_document_routes(http::Router& router, Services& services);
void register_audit_routes(http::Router& router, Services& services);

}  // namespace kontor::api
