#pragma once
// The composition root's object graph (CONVENTIONS.md §1): stores, services, routes, server.
// main.cpp parses the command line and calls into here; nothing registers itself through globals.
#include <memory>

#include "kontor/app/config.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::app {

// Stores and services without the HTTP server: what the command-line subcommands need.
class Core {
public:
    explicit Core(const Config& config);
    db::StoreManager& stores() noexcept { return *stores_; }
    tenancy::TenantService& tenants() noexcept { return *tenants_; }
    identity::UserService& users() noexcept { return *users_; }
    // Catalog first, then every tenant store; logs what it applied.
    void migrate_all();

private:
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<identity::UserService> users_;
};

// Runs `kontor serve` until SIGTERM/SIGINT; returns the process exit code.
int serve(const Config& config);

// Loads the demo tenant and its users; with if_empty, only when no tenant exists yet.
// Returns false when it skipped.
bool load_demo(Core& core, bool if_empty);

}  // namespace kontor::app
