#pragma once
// The composition root's object graph (CONVENTIONS.md §1): stores, services, routes, server.
// main.cpp parses the command line and calls into here; nothing registers itself through globals.
#include <memory>

#include "kontor/app/config.hpp"
#include "kontor/audit/audit.hpp"
#include "kontor/auth/accounts.hpp"
#include "kontor/blobs/blob_store.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/documents/document.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "kontor/tickets/sla_policy.hpp"
#include "kontor/tickets/ticket.hpp"

namespace kontor::app {

// Stores and services without the HTTP server: what the command-line subcommands need.
class Core {
public:
    explicit Core(const Config& config);
    db::StoreManager& stores() noexcept { return *stores_; }
    tenancy::TenantService& tenants() noexcept { return *tenants_; }
    identity::UserService& users() noexcept { return *users_; }
    customers::CustomerService& customers() noexcept { return *customers_; }
    tickets::TicketService& tickets() noexcept { return *tickets_; }
    tickets::SlaPolicyService& sla_policies() noexcept { return *sla_policies_; }
    blobs::BlobStore& blobs() noexcept { return *blobs_; }
    documents::DocumentService& documents() noexcept { return *documents_; }
    auth::AccountService& accounts() noexcept { return *accounts_; }
    audit::AuditLog& audit() noexcept { return *audit_; }
    // Catalog first, then every tenant store; logs what it applied.
    void migrate_all();

private:
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<identity::UserService> users_;
    std::unique_ptr<customers::CustomerService> customers_;
    std::unique_ptr<tickets::TicketService> tickets_;
    std::unique_ptr<tickets::SlaPolicyService> sla_policies_;
    std::unique_ptr<blobs::BlobStore> blobs_;  // <data dir>/blobs
    std::unique_ptr<documents::DocumentService> documents_;
    std::unique_ptr<auth::AccountService> accounts_;
    std::unique_ptr<audit::AuditLog> audit_;
};

// Creates the platform ADMIN from KONTOR_ADMIN_EMAIL / KONTOR_ADMIN_PASSWORD when no user has that
// e-mail yet (first start); returns true when it created one.
bool bootstrap_admin(Core& core, const Config& config);

// Runs `kontor serve` until SIGTERM/SIGINT; returns the process exit code.
int serve(const Config& config);

// Loads the demo tenant and its users; with if_empty, only when no tenant exists yet.
// Returns false when it skipped. `with_cases`: also Acme's demo cases (not under --tickets, which
// generates exactly the tickets it is asked for).
bool load_demo(Core& core, bool if_empty, bool with_cases = true);
// Acme's demo documents (demo_documents.cpp), when it has none yet.
void load_demo_documents(Core& core, const core::TenantId& tenant,
                         const core::OrganizationId& acme);
// Acme's demo cases (demo_cases.cpp), when it has none yet.
void load_demo_cases(Core& core, const core::TenantId& tenant, const core::OrganizationId& acme);

// `kontor demo --tickets N`: the demo tenant plus `customers` organisations (Acme first; two
// invited portal contacts each), `experts` EXPERTs (expert01@demo.example …, demo password) and N
// tickets of the last year with conversations and history. Deterministic for a seed; running it
// again adds N more tickets.
struct TicketDemoOptions {
    int tickets = 0;
    int customers = 500;
    int experts = 30;
    std::uint64_t seed = 42;
};
void load_demo_tickets(Core& core, const TicketDemoOptions& options);

}  // namespace kontor::app
