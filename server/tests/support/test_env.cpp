#include "support/test_env.hpp"

#include <cstdlib>
#include <stdexcept>

#include "kontor/core/ids.hpp"
#include "kontor/db/pool.hpp"

namespace kontor::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "kontor-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::optional<std::string> pg_admin_url() {
    const char* url = std::getenv("KONTOR_TEST_PG_URL");
    if (url == nullptr || *url == '\0') return std::nullopt;
    return std::string(url);
}

std::vector<std::string> backends() { return {"sqlite", "postgres"}; }

namespace {

// "postgresql://u@h:p/dbname?x" → "postgresql://u@h:p/<name>?x"
std::string with_database(const std::string& url, const std::string& name) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (slash == std::string::npos) return url + "/" + name;
    const auto query = url.find('?', slash);
    return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

void admin_exec(const std::string& sql) {
    db::StoreLocation admin;
    admin.dialect = db::Dialect::kPostgres;
    admin.pg_conninfo = *pg_admin_url();
    admin.pg_schema = "public";
    auto conn = db::connect(admin, db::PoolOptions{});
    conn->exec_script(sql);
}

}  // namespace

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
    if (backend == "sqlite") return;
    if (backend != "postgres" || !pg_admin_url())
        throw std::runtime_error("backend unavailable: " + backend);
    std::string id = core::new_uuid_v7();
    for (char& c : id) {
        if (c == '-') c = '_';
    }
    pg_database_ = "kontor_t_" + id;
    admin_exec("CREATE DATABASE " + pg_database_);
    url_ = with_database(*pg_admin_url(), pg_database_);
}

TestDatabase::~TestDatabase() {
    if (pg_database_.empty()) return;
    try {
        admin_exec("DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)");
    } catch (...) {  // a leftover test database is harmless; never throw from a destructor
    }
}

db::StoreConfig TestDatabase::store_config() const {
    db::StoreConfig config;
    config.database_url = url_;
    config.data_dir = data_dir().string();
    return config;
}

}  // namespace kontor::testing
