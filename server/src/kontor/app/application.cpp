#include "kontor/app/application.hpp"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "kontor/api/routes.hpp"
#include "kontor/auth/auth_service.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/core/log.hpp"
#include "kontor/db/migrate.hpp"
#include "kontor/http/server.hpp"
#include "kontor/version.hpp"

namespace kontor::app {

Core::Core(const Config& config) {
    db::StoreConfig sc;
    sc.database_url = config.database_url;
    sc.data_dir = config.data_dir;
    sc.max_open_tenant_stores = config.max_open_tenant_stores;
    sc.catalog_pool.max_size = std::max(4, config.effective_workers());
    stores_ = std::make_unique<db::StoreManager>(std::move(sc));
    tenants_ = std::make_unique<tenancy::TenantService>(*stores_);
    users_ = std::make_unique<identity::UserService>(*stores_);
    customers_ = std::make_unique<customers::CustomerService>(*stores_);
    tickets_ = std::make_unique<tickets::TicketService>(*stores_, *tenants_, *users_);
    sla_policies_ = std::make_unique<tickets::SlaPolicyService>(*stores_, *tenants_);
    blobs_ = blobs::make_local_store(std::filesystem::path(config.data_dir) / "blobs");
    documents_ =
        std::make_unique<documents::DocumentService>(*stores_, *blobs_, *tenants_, *tickets_);
    accounts_ = std::make_unique<auth::AccountService>(*stores_, *users_, *tenants_, *customers_);
    audit_ = std::make_unique<audit::AuditLog>(*stores_);
    stores_->set_location_resolver(
        [t = tenants_.get()](const core::TenantId& id) { return t->location(id); });
}

void Core::migrate_all() {
    const auto report = stores_->migrate_catalog();
    core::log::info("catalog migrated", {{"from", report.from_version}, {"to", report.to_version}});
    const int changed = tenants_->migrate_all();
    core::log::info("tenant stores migrated", {{"changed", changed}});
}

bool bootstrap_admin(Core& core, const Config& config) {
    if (config.admin_email.empty() || config.admin_password.empty()) return false;
    if (core.users().find_by_email(config.admin_email)) return false;
    identity::NewUser admin;
    admin.email = config.admin_email;
    admin.name = "Platform Administrator";
    admin.role = identity::Role::kAdmin;
    admin.password = config.admin_password;
    auto created = core.users().create(admin);
    if (!created) {
        std::string fields;
        for (const auto& f : created.error().fields) fields += " " + f.field + ": " + f.message;
        throw std::runtime_error(
            "KONTOR_ADMIN_EMAIL/KONTOR_ADMIN_PASSWORD: " + created.error().detail + fields);
    }
    core::log::info("platform admin created", {{"email", created->email}});
    return true;
}

namespace {

// The SLA breach job (issue #4): at start and then every interval, each active tenant's open,
// unpaused tickets past a due time are marked breached (history + ticket.sla_breached outbox
// event, which the notification worker of a later issue delivers). One thread; stops with serve.
class BreachScanner {
public:
    BreachScanner(Core& core, std::chrono::seconds interval)
        : core_(core), interval_(interval), thread_([this] { run(); }) {}
    ~BreachScanner() {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    BreachScanner(const BreachScanner&) = delete;
    BreachScanner& operator=(const BreachScanner&) = delete;

private:
    void run() {
        std::unique_lock lock(mu_);
        while (!stop_) {
            lock.unlock();
            scan();
            lock.lock();
            cv_.wait_for(lock, interval_, [this] { return stop_; });
        }
    }
    void scan() {
        tenancy::TenantQuery query;
        query.status = "active";
        query.page.limit = core::PageRequest::kMaxLimit;
        for (query.page.page = 1;; ++query.page.page) {
            const auto page = core_.tenants().list(query);
            for (const auto& t : page.items) {
                try {
                    const int marked = core_.tickets().mark_breaches(t.id, core::now_ms());
                    if (marked > 0)
                        core::log::info("sla breaches marked",
                                        {{"tenant_id", t.id.str()}, {"tickets", marked}});
                } catch (const std::exception& e) {
                    // One tenant's store being unreachable must not stop the others' scans.
                    core::log::warn("sla breach scan failed",
                                    {{"tenant_id", t.id.str()}, {"error", e.what()}});
                }
            }
            if (query.page.offset() + query.page.limit >= page.total) break;
        }
    }

    Core& core_;
    std::chrono::seconds interval_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;  // last: starts after the members it uses
};

// Prometheus gauges for the store pools, appended to /metrics. Tenant pools are summed into one
// series: per-tenant labels would grow with the number of tenants.
std::string pool_metrics(const db::StoreManager& stores) {
    struct Sum {
        int open = 0, in_use = 0, max = 0;
        std::uint64_t waits = 0;
    } catalog, tenants;
    int tenant_pools = 0;
    for (const auto& s : stores.stats()) {
        Sum& sum = s.store == "catalog" ? catalog : tenants;
        if (&sum == &tenants) ++tenant_pools;
        sum.open += s.open;
        sum.in_use += s.in_use;
        sum.max += s.max;
        sum.waits += s.waits;
    }
    std::string out =
        "# HELP kontor_store_pool_connections Connections of the store pools by state.\n"
        "# TYPE kontor_store_pool_connections gauge\n";
    std::string waits =
        "# HELP kontor_store_pool_waits_total Acquisitions that had to wait for a free "
        "connection.\n"
        "# TYPE kontor_store_pool_waits_total counter\n";
    for (const auto& [name, sum] : {std::pair{"catalog", catalog}, std::pair{"tenants", tenants}}) {
        const std::string label = std::string("{store=\"") + name + "\"";
        out += "kontor_store_pool_connections" + label + ",state=\"open\"} " +
               std::to_string(sum.open) + "\n";
        out += "kontor_store_pool_connections" + label + ",state=\"in_use\"} " +
               std::to_string(sum.in_use) + "\n";
        out += "kontor_store_pool_connections" + label + ",state=\"max\"} " +
               std::to_string(sum.max) + "\n";
        waits += "kontor_store_pool_waits_total" + label + "} " + std::to_string(sum.waits) + "\n";
    }
    out +=
        "# HELP kontor_tenant_stores_open Tenant store pools currently open.\n"
        "# TYPE kontor_tenant_stores_open gauge\n"
        "kontor_tenant_stores_open " +
        std::to_string(tenant_pools) + "\n";
    return out + waits;
}

std::vector<std::string> split_origins(const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = list.find(',', start);
        std::string item =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

api::Readiness readiness(db::StoreManager& stores) {
    api::Readiness r;
    try {
        auto catalog = stores.catalog();
        r.schema_current = db::current_version(*catalog);
        r.schema_latest = db::latest_version(db::StoreKind::kCatalog, stores.dialect());
        r.catalog_reachable = true;
    } catch (const std::exception& e) {
        core::log::warn("catalog unreachable", {{"error", e.what()}});
    }
    return r;
}

}  // namespace

int serve(const Config& config) {
    // Block the shutdown signals in every thread; one thread waits for them and stops the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Core core(config);
    core.migrate_all();
    bootstrap_admin(core, config);

    auto keys = auth::AuthService::load_keys(core.stores(), config.jwt_keys);
    if (!keys) throw std::runtime_error("KONTOR_JWT_KEYS: " + keys.error().detail);
    auth::AuthConfig auth_config;
    auth_config.access_ttl_s = config.access_token_ttl;
    auth_config.refresh_ttl_s = config.refresh_token_ttl;
    auth::AuthService auth(core.stores(), core.users(), core.tenants(), core.customers(),
                           std::move(*keys), auth_config);

    http::Metrics metrics{std::string(kVersion), std::string(kGitCommit)};
    metrics.add_collector([&stores = core.stores()] { return pool_metrics(stores); });
    api::Services services{metrics, api::OpenApi::load(),
                           [&stores = core.stores()] { return readiness(stores); }};
    services.tenants = &core.tenants();
    services.users = &core.users();
    services.customers = &core.customers();
    services.tickets = &core.tickets();
    services.sla_policies = &core.sla_policies();
    services.documents = &core.documents();
    services.accounts = &core.accounts();
    services.audit = &core.audit();
    services.auth = &auth;
    services.secure_cookies = config.cookie_secure;
    services.download_link_ttl = config.download_link_ttl;
    http::Router router;
    api::register_routes(router, services);

    http::ServerOptions options;
    options.listen = config.listen;
    options.workers = config.effective_workers();
    options.io_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.web_dir = config.effective_web_dir();
    // Upload bodies next to the blobs: the same filesystem, and never the system's /tmp.
    options.spool_dir = std::filesystem::path(config.data_dir) / "spool";
    // Crash leftovers: partial blobs and spooled bodies of uploads a killed server never finished
    // (an hour old, so an upload another process on the same directory is writing right now is
    // left alone).
    core.blobs().sweep_partials(std::chrono::hours(1));
    http::sweep_spool(options.spool_dir, std::chrono::hours(1));
    options.validate = [openapi = services.openapi](http::Method m, const std::string& pattern,
                                                    const nlohmann::json& body) {
        return openapi->validate(m, pattern, body);
    };
    options.authenticate = api::make_authenticator(services);
    options.cors_origins = split_origins(config.cors_origins);
    http::Server server(options, router, metrics);
    server.start();
    BreachScanner breaches(core, std::chrono::seconds(config.sla_scan_interval));
    core::log::info("listening", {{"address", config.listen},
                                  {"port", server.port()},
                                  {"workers", options.workers},
                                  {"web_dir", options.web_dir ? options.web_dir->string() : ""},
                                  {"version", std::string(kVersion)}});

    std::thread waiter([&server, signals] {
        int sig = 0;
        sigwait(&signals, &sig);
        core::log::info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                                          {"in_flight", server.in_flight()}});
        server.stop();
    });
    server.run();
    // run() also returns if the server stops on its own; wake the waiter so it can be joined.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    core::log::info("stopped");
    return 0;
}

}  // namespace kontor::app
