#pragma once
// The HTTP handler layer: one file per resource, each starting with its route table
// (CONVENTIONS.md §5). Handlers parse, call one service method and answer; nothing else.
#include <functional>
#include <memory>

#include "kontor/api/openapi.hpp"
#include "kontor/http/metrics.hpp"
#include "kontor/http/router.hpp"

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
};

// Registers every route of the API on the router.
void register_routes(http::Router& router, Services& services);

// Per-resource route tables (called by register_routes).
void register_ops_routes(http::Router& router, Services& services);
void register_docs_routes(http::Router& router, Services& services);

}  // namespace kontor::api
