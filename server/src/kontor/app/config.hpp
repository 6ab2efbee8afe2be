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

    int effective_workers() const;
    std::optional<std::filesystem::path> effective_web_dir() const;
};

}  // namespace kontor::app
