#include "kontor/app/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "kontor/app/application.hpp"
#include "kontor/core/log.hpp"
#include "kontor/identity/password.hpp"
#include "kontor/version.hpp"

namespace kontor::app {
namespace {

nlohmann::json tenant_json(const tenancy::Tenant& t) {
    return {{"id", t.id.str()},
            {"slug", t.slug},
            {"name", t.name},
            {"status", t.status},
            {"store", t.store_location},
            {"created_at", t.created_at}};
}

nlohmann::json user_json(const identity::User& u) {
    return {{"id", u.id.str()},
            {"tenant_id", u.tenant ? nlohmann::json(u.tenant->str()) : nlohmann::json(nullptr)},
            {"email", u.email},
            {"name", u.name},
            {"role", std::string(identity::role_name(u.role))},
            {"status", u.status}};
}

int report_error(const core::Error& e) {
    std::cerr << "error: " << e.detail << "\n";
    for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
    return e.code == core::ErrorCode::kConflict ? 3 : 2;
}

std::string read_password_from_stdin() {
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App cli{"Kontor — multi-tenant customer portal, service desk and PSA"};
    cli.require_subcommand(1);
    cli.fallthrough();  // global options may follow the subcommand

    Config config;
    cli.add_option("--data-dir", config.data_dir, "Data directory (SQLite stores, files)")
        ->envname("KONTOR_DATA_DIR")
        ->capture_default_str();
    cli.add_option("--database-url", config.database_url,
                   "Database: empty for SQLite in the data directory, or postgresql://…")
        ->envname("KONTOR_DATABASE_URL");
    cli.add_option("--log-level", config.log_level, "trace|debug|info|warn|error|off")
        ->envname("KONTOR_LOG_LEVEL")
        ->capture_default_str()
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
    cli.add_option("--log-format", config.log_format, "json|text")
        ->envname("KONTOR_LOG_FORMAT")
        ->capture_default_str()
        ->check(CLI::IsMember({"json", "text"}));

    auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP API and web UI (migrates first)");
    serve_cmd->add_option("--listen", config.listen, "host:port to listen on")
        ->envname("KONTOR_LISTEN")
        ->capture_default_str();
    serve_cmd->add_option("--workers", config.workers, "Handler threads (0: 2 × cores, at least 4)")
        ->envname("KONTOR_WORKERS")
        ->check(CLI::Range(0, 1024));
    serve_cmd
        ->add_option("--web-dir", config.web_dir, "Built web UI (default ./web/dist when present)")
        ->envname("KONTOR_WEB_DIR");
    serve_cmd
        ->add_option("--max-open-tenant-stores", config.max_open_tenant_stores,
                     "Tenant stores kept open at once")
        ->envname("KONTOR_MAX_OPEN_TENANT_STORES")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));

    serve_cmd
        ->add_option("--jwt-keys", config.jwt_keys,
                     "Access-token keys kid:base64url,… (prefer the environment variable)")
        ->envname("KONTOR_JWT_KEYS");
    serve_cmd
        ->add_option("--access-token-ttl", config.access_token_ttl,
                     "Access-token lifetime in seconds (60-1800)")
        ->envname("KONTOR_ACCESS_TOKEN_TTL")
        ->capture_default_str()
        ->check(CLI::Range(60, 1800));
    serve_cmd
        ->add_option("--refresh-token-ttl", config.refresh_token_ttl,
                     "Refresh-token lifetime in seconds (1 hour to 90 days)")
        ->envname("KONTOR_REFRESH_TOKEN_TTL")
        ->capture_default_str()
        ->check(CLI::Range(3600, 90 * 24 * 3600));
    serve_cmd
        ->add_option("--sla-scan-interval", config.sla_scan_interval,
                     "Seconds between scans that mark tickets past their SLA due times (5-3600)")
        ->envname("KONTOR_SLA_SCAN_INTERVAL")
        ->capture_default_str()
        ->check(CLI::Range(5, 3600));
    serve_cmd
        ->add_option("--download-link-ttl", config.download_link_ttl,
                     "Seconds a signed download link works (1-3600)")
        ->envname("KONTOR_DOWNLOAD_LINK_TTL")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
    serve_cmd
        ->add_option("--cookie-secure", config.cookie_secure,
                     "Mark session cookies Secure (turn off only for plain-HTTP development)")
        ->envname("KONTOR_COOKIE_SECURE")
        ->capture_default_str();
    serve_cmd
        ->add_option("--cors-origins", config.cors_origins,
                     "Comma-separated origins allowed to call the API from browsers")
        ->envname("KONTOR_CORS_ORIGINS");
    serve_cmd
        ->add_option("--admin-email", config.admin_email,
                     "Platform admin created on first start (with KONTOR_ADMIN_PASSWORD)")
        ->envname("KONTOR_ADMIN_EMAIL");
    serve_cmd
        ->add_option("--admin-password", config.admin_password,
                     "Password of that admin (prefer the environment variable)")
        ->envname("KONTOR_ADMIN_PASSWORD");

    auto* migrate_cmd = cli.add_subcommand(
        "migrate", "Apply pending migrations to the catalog and every tenant store");

    auto* admin_cmd = cli.add_subcommand("admin", "Administration: tenants, users, passwords");
    admin_cmd->require_subcommand(1);
    tenancy::NewTenant new_tenant;
    std::string tenant_slug;
    auto* create_tenant =
        admin_cmd->add_subcommand("create-tenant", "Create a tenant and its store");
    create_tenant->add_option("--name", new_tenant.name, "Display name")->required();
    create_tenant->add_option("--slug", tenant_slug,
                              "URL-safe short name (default: from the name)");

    std::string email, name, role = "MANAGER", tenant_ref;
    bool password_stdin = false;
    auto* create_user = admin_cmd->add_subcommand(
        "create-user", "Create a user (prints a generated password unless --password-stdin)");
    create_user->add_option("--email", email, "E-mail address (unique platform-wide)")->required();
    create_user->add_option("--name", name, "Display name")->required();
    create_user->add_option("--role", role, "ADMIN|MANAGER|EXPERT|CUSTOMER_ADMIN|CLIENT")
        ->capture_default_str()
        ->check(CLI::IsMember({"ADMIN", "MANAGER", "EXPERT", "CUSTOMER_ADMIN", "CLIENT"}));
    create_user->add_option("--tenant", tenant_ref, "Tenant id or slug (all roles but ADMIN)");
    create_user->add_flag("--password-stdin", password_stdin,
                          "Read the password from the first line of stdin");

    auto* reset_password = admin_cmd->add_subcommand(
        "reset-password", "Set a new password (prints a generated one unless --password-stdin)");
    reset_password->add_option("--email", email, "The user's e-mail address")->required();
    reset_password->add_flag("--password-stdin", password_stdin,
                             "Read the password from the first line of stdin");

    bool if_empty = false;
    auto* demo_cmd = cli.add_subcommand("demo", "Load demo data (a demo tenant and its users)");
    demo_cmd->add_flag("--if-empty", if_empty, "Only when no tenant exists yet");
    TicketDemoOptions ticket_demo;
    demo_cmd
        ->add_option("--tickets", ticket_demo.tickets,
                     "Also generate N tickets of the last year (e.g. 100000 for the benchmarks)")
        ->check(CLI::Range(0, 10'000'000));
    demo_cmd
        ->add_option("--customers", ticket_demo.customers,
                     "Customer organisations for --tickets (Acme included)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100'000));
    demo_cmd->add_option("--experts", ticket_demo.experts, "EXPERTs for --tickets")
        ->capture_default_str()
        ->check(CLI::Range(1, 10'000));
    demo_cmd->add_option("--seed", ticket_demo.seed, "Random seed for --tickets")
        ->capture_default_str();

    auto* version_cmd = cli.add_subcommand("version", "Print the version");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }

    if (version_cmd->parsed()) {
        std::cout << "kontor " << kVersion << " (" << kGitCommit << ")\n";
        return 0;
    }

    try {
        core::log::init(config.log_level, config.log_format == "text" ? core::log::Format::kText
                                                                      : core::log::Format::kJson);
        if (serve_cmd->parsed()) return serve(config);

        Core core(config);
        if (migrate_cmd->parsed()) {
            core.migrate_all();
            std::cout << "migrations applied\n";
            return 0;
        }
        core.stores().migrate_catalog();  // every other command needs a current catalog
        if (demo_cmd->parsed()) {
            core.migrate_all();
            if (ticket_demo.tickets > 0) {
                if (if_empty && !core.tenants().list().empty()) {
                    std::cout << "demo data skipped: tenants exist\n";
                    return 0;
                }
                load_demo_tickets(core, ticket_demo);
                std::cout << "demo data loaded with " << ticket_demo.tickets << " tickets\n";
                return 0;
            }
            std::cout << (load_demo(core, if_empty) ? "demo data loaded\n"
                                                    : "demo data skipped: tenants exist\n");
            return 0;
        }
        if (create_tenant->parsed()) {
            if (!tenant_slug.empty()) new_tenant.slug = tenant_slug;
            auto t = core.tenants().create(new_tenant);
            if (!t) return report_error(t.error());
            std::cout << tenant_json(*t).dump(2) << "\n";
            return 0;
        }
        if (create_user->parsed()) {
            identity::NewUser u{.tenant = std::nullopt,
                                .email = email,
                                .name = name,
                                .role = *identity::parse_role(role),
                                .password = ""};
            if (!tenant_ref.empty()) {
                auto t = core.tenants().find(tenant_ref);
                if (!t)
                    return report_error(core::Error::not_found("No tenant '" + tenant_ref + "'."));
                u.tenant = t->id;
            }
            const bool generated = !password_stdin;
            u.password = generated ? identity::generate_password() : read_password_from_stdin();
            auto created = core.users().create(u);
            if (!created) return report_error(created.error());
            auto out = user_json(*created);
            if (generated) out["password"] = *u.password;
            std::cout << out.dump(2) << "\n";
            return 0;
        }
        if (reset_password->parsed()) {
            const bool generated = !password_stdin;
            const std::string password =
                generated ? identity::generate_password() : read_password_from_stdin();
            if (auto r = core.users().reset_password(email, password); !r)
                return report_error(r.error());
            std::cout << (generated ? "new password: " + password + "\n"
                                    : std::string("password changed\n"));
            return 0;
        }
    } catch (const std::exception& e) {
        core::log::error("command failed", {{"error", e.what()}});
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace kontor::app
