// The router and api/openapi.yaml must describe the same routes: a route missing from the
// document, or a documented route the server lacks, fails here.
#include <gtest/gtest.h>

#include <set>

#include "kontor/api/routes.hpp"

namespace kontor {
namespace {

TEST(OpenApiContract, RouterAndDocumentAgree) {
    http::Metrics metrics("test", "test");
    api::Services services{metrics, api::OpenApi::load(), [] { return api::Readiness{}; }};
    http::Router router;
    api::register_routes(router, services);

    std::set<std::pair<std::string, std::string>> served, documented;
    for (const auto& r : router.routes()) served.emplace(http::method_name(r.method), r.pattern);
    for (const auto& [m, p] : services.openapi->operations())
        documented.emplace(http::method_name(m), p);

    for (const auto& [m, p] : served)
        EXPECT_TRUE(documented.count({m, p})) << "undocumented route: " << m << " " << p;
    for (const auto& [m, p] : documented)
        EXPECT_TRUE(served.count({m, p})) << "documented but not served: " << m << " " << p;
    EXPECT_FALSE(served.empty());
}

}  // namespace
}  // namespace kontor
