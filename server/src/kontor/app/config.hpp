#pragma once
// Process configuration (12-factor): environment variables, each mirrored by a command-line flag
// that wins over it. README.md's configuration table lists the same names and defaults.
#include <filesystem>
#include <optional>
#include <string>

namespace kontor::app {

struct Config {
    std::string listen = "127.0.0.1:8080";  // KONTOR_LISTEN
    std::string data_dir = "./data";        // KONTOR_DATA_DIR
    std::string database_url;               // KONTOR_DATABASE_URL ("" → SQLite in data_dir)
    std::string log_level = "info";         // KONTOR_LOG_LEVEL
    std::string log_format = "json";        // KONTOR_LOG_FORMAT: json | text
    int workers = 0;                        // KONTOR_WORKERS (0 → 2 × cores, at least 4)
    std::string web_dir;                    // KONTOR_WEB_DIR ("" → ./web/dist when it exists)
    int max_open_tenant_stores = 256;       // KONTOR_MAX_OPEN_TENANT_STORES
    // Access-token keys "kid:base64url,…" (first signs, all verify); "" → a generated key kept in
    // the catalog.
    std::string jwt_keys;                    // KONTOR_JWT_KEYS
    int access_token_ttl = 900;              // KONTOR_ACCESS_TOKEN_TTL, seconds (60..1800)
    int refresh_token_ttl = 14 * 24 * 3600;  // KONTOR_REFRESH_TOKEN_TTL, seconds
    int sla_scan_interval = 60;              // KONTOR_SLA_SCAN_INTERVAL, seconds
    int download_link_ttl = 300;             // KONTOR_DOWNLOAD_LINK_TTL, seconds (1..3600)
    bool cookie_secure = true;               // KONTOR_COOKIE_SECURE
    std::string cors_origins;                // KONTOR_CORS_ORIGINS, comma-separated; "" → none
    std::string admin_email;                 // KONTOR_ADMIN_EMAIL: platform ADMIN bootstrapped on
    std::string admin_password;              // KONTOR_ADMIN_PASSWORD  first start when both set

    int effective_workers() const;
    std::optional<std::filesystem::path> effective_web_dir() const;
};

}  // namespace kontor::app
