#include "kontor/app/application.hpp"

#include <pthread.h>
#include <signal.h>

#include <thread>

#include "kontor/api/routes.hpp"
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
    stores_->set_location_resolver(
        [t = tenants_.get()](const core::TenantId& id) { return t->location(id); });
}

void Core::migrate_all() {
    const auto report = stores_->migrate_catalog();
    core::log::info("catalog migrated", {{"from", report.from_version}, {"to", report.to_version}});
    const int changed = tenants_->migrate_all();
    core::log::info("tenant stores migrated", {{"changed", changed}});
}

namespace {

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

    http::Metrics metrics{std::string(kVersion), std::string(kGitCommit)};
    metrics.add_collector([&stores = core.stores()] { return pool_metrics(stores); });
    api::Services services{metrics, api::OpenApi::load(),
                           [&stores = core.stores()] { return readiness(stores); }};
    http::Router router;
    api::register_routes(router, services);

    http::ServerOptions options;
    options.listen = config.listen;
    options.workers = config.effective_workers();
    options.io_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    options.web_dir = config.effective_web_dir();
    options.validate = [openapi = services.openapi](http::Method m, const std::string& pattern,
                                                    const nlohmann::json& body) {
        return openapi->validate(m, pattern, body);
    };
    http::Server server(options, router, metrics);
    server.start();
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
