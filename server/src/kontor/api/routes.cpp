#include "kontor/api/routes.hpp"

namespace kontor::api {

void register_routes(http::Router& router, Services& services) {
    register_ops_routes(router, services);
    register_docs_routes(router, services);
}

}  // namespace kontor::api
