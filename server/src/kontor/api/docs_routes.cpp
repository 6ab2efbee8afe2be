// The API document: JSON for tools, HTML for people.
#include "kontor/api/routes.hpp"

namespace kontor::api {

void register_docs_routes(http::Router& router, Services& s) {
    using http::Access;
    using http::Method;
    // Rendered once: the document is immutable for the life of the process.
    const auto json_text = std::make_shared<const std::string>(s.openapi->document().dump());
    const auto html = std::make_shared<const std::string>(s.openapi->render_html());
    router.add(Method::kGet, "/api/openapi.json", Access::public_route(),
               [json_text](http::Context&) -> core::Result<http::Response> {
                   return http::Response::text(200, *json_text, "application/json");
               },
               {.blocking = false});
    router.add(Method::kGet, "/api/docs", Access::public_route(),
               [html](http::Context&) -> core::Result<http::Response> {
                   return http::Response::text(200, *html, "text/html; charset=utf-8");
               },
               {.blocking = false});
}

}  // namespace kontor::api
