#pragma once
// Test support shared by the store contract suites and the API tests.
//
// TestDatabase gives each test an empty database on one backend: SQLite (a temp data dir) or
// PostgreSQL (a freshly created database on the server at KONTOR_TEST_PG_URL, dropped afterwards).
// backends() lists both; a parameterized suite calls KONTOR_REQUIRE_BACKEND(GetParam()) first in
// SetUp, so without KONTOR_TEST_PG_URL its PostgreSQL cases are reported as SKIPPED.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/db/stores.hpp"

namespace kontor::testing {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

std::optional<std::string> pg_admin_url();  // KONTOR_TEST_PG_URL, if set
std::vector<std::string> backends();        // always {"sqlite", "postgres"}
// Skips the running test (reported as SKIPPED, never a silent pass) when its backend is missing.
#define KONTOR_REQUIRE_BACKEND(backend)                                          \
    do {                                                                         \
        if ((backend) == "postgres" && !::kontor::testing::pg_admin_url())       \
            GTEST_SKIP() << "PostgreSQL case: set KONTOR_TEST_PG_URL to run it"; \
    } while (0)

// The value of a result that must succeed; otherwise the test fails with the error's code and
// detail (and the throw ends the test body).
template <class T>
T must(core::Result<T> r) {
    if (!r) {
        ADD_FAILURE() << "unexpected error: " << core::code_name(r.error().code) << ": "
                      << r.error().detail;
        throw std::runtime_error("unexpected error");
    }
    return std::move(*r);
}

// The JSON pointers a validation error names, in order.
inline std::vector<std::string> fields_of(const core::Error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.field);
    return out;
}

class TestDatabase {
public:
    explicit TestDatabase(const std::string& backend);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& backend() const noexcept { return backend_; }
    // KONTOR_DATABASE_URL for this database ("" for SQLite in data_dir()).
    const std::string& url() const noexcept { return url_; }
    const std::filesystem::path& data_dir() const noexcept { return dir_.path(); }
    db::StoreConfig store_config() const;

private:
    std::string backend_;
    TempDir dir_;
    std::string url_;
    std::string pg_database_;
};

}  // namespace kontor::testing
