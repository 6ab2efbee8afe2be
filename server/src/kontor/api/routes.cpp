#include "kontor/api/routes.hpp"

namespace kontor::api {

void register_routes(http::Router& router, Services& services) {
    register_ops_routes(router, services);
    register_docs_routes(router, services);
    register_auth_routes(router, services);
    register_tenant_routes(router, services);
    register_user_routes(router, services);
    register_customer_routes(router, services);
    register_ticket_routes(router, services);
    register_sla_routes(router, services);
    register_document_routes(router, services);
    register_audit_routes(router, services);
}

}  // namespace kontor::api
