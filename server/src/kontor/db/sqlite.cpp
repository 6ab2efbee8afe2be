// SQLite backend: one sqlite3 handle per Connection, used by one thread at a time (NOMUTEX).
#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "kontor/db/internal.hpp"

namespace kontor::db::internal {
namespace {

// On top of busy_timeout (which SQLite waits inside sqlite3_step) a few short retries cover the
// cases where SQLite returns SQLITE_BUSY at once without calling the busy handler.
constexpr std::chrono::milliseconds kBusyBackoff[] = {
    std::chrono::milliseconds(5), std::chrono::milliseconds(25), std::chrono::milliseconds(100)};

ErrorKind kind_of(int rc) {
    switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return ErrorKind::kConflict;
        default:
            break;
    }
    switch (rc & 0xff) {
        case SQLITE_CONSTRAINT:
            return ErrorKind::kConstraint;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return ErrorKind::kBusy;
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_PERM:
        case SQLITE_READONLY:
        case SQLITE_NOMEM:
        case SQLITE_PROTOCOL:
            return ErrorKind::kUnavailable;
        default:
            return ErrorKind::kOther;
    }
}

bool is_busy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }

// Parses "$N"; returns 0 for any other parameter form.
int dollar_index(const char* name) {
    if (name == nullptr || name[0] != '$' || name[1] == '\0') return 0;
    const std::string_view digits(name + 1);
    int n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size() || n <= 0) return 0;
    return n;
}

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const StoreLocation& location, const PoolOptions& options)
        : path_(location.sqlite_path) {
        const std::filesystem::path p(path_);
        if (p.has_parent_path()) {
            std::error_code ec;
            std::filesystem::create_directories(p.parent_path(), ec);
            if (ec) {
                throw DbError(ErrorKind::kUnavailable,
                              "sqlite: cannot create directory for " + path_ + ": " + ec.message());
            }
        }
        // NOMUTEX: the pool hands a connection to one thread at a time, so SQLite's own mutex
        // would only cost time.
        const int rc = sqlite3_open_v2(
            path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
            nullptr);
        if (rc != SQLITE_OK) {
            const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close_v2(db_);
            db_ = nullptr;
            throw DbError(ErrorKind::kUnavailable, "sqlite: cannot open " + path_ + ": " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));
        try {
            // journal_mode=WAL needs a lock the first time; run it through the busy retry.
            const int rc_wal = run_with_retry([&] { return exec_raw("PRAGMA journal_mode=WAL"); });
            if (rc_wal != SQLITE_OK) fail(rc_wal, "PRAGMA journal_mode=WAL");
            exec_or_throw("PRAGMA synchronous=FULL");
            // Reads straight from the OS page cache instead of a read(2) per page: the ticket
            // lists touch thousands of index and table pages (bench/RESULTS.md, issue #4).
            exec_or_throw("PRAGMA mmap_size=1073741824");
            exec_or_throw("PRAGMA foreign_keys=ON");
        } catch (...) {
            sqlite3_close_v2(db_);
            db_ = nullptr;
            throw;
        }
    }

    ~SqliteConnection() override {
        for (auto& [sql, st] : cache_) sqlite3_finalize(st.stmt);
        sqlite3_close_v2(db_);
    }

    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    Dialect dialect() const noexcept override { return Dialect::kSqlite; }

    ResultSet query(std::string_view sql, std::span<const Value> params) override {
        ResultSet rs;
        run(sql, params, &rs);
        return rs;
    }

    std::int64_t execute(std::string_view sql, std::span<const Value> params) override {
        run(sql, params, nullptr);
        return sqlite3_changes64(db_);
    }

    void exec_script(std::string_view sql) override {
        const std::string text(sql);
        const int rc = exec_raw(text.c_str());
        if (rc != SQLITE_OK) fail(rc, sql);
    }

    bool healthy() override { return db_ != nullptr && !broken_; }

    void begin(bool write) override {
        if (sqlite3_get_autocommit(db_) == 0) {
            throw DbError(ErrorKind::kOther,
                          "sqlite: a transaction is already open on this connection");
        }
        // Outside a transaction a busy BEGIN IMMEDIATE may be retried safely.
        const char* sql = write ? "BEGIN IMMEDIATE" : "BEGIN";
        const int rc = run_with_retry([&] { return exec_raw(sql); });
        if (rc != SQLITE_OK) fail(rc, sql);
    }

    void commit() override {
        // SQLite documents COMMIT as retryable after SQLITE_BUSY (readers still finishing).
        const int rc = run_with_retry([&] { return exec_raw("COMMIT"); });
        if (rc != SQLITE_OK) fail(rc, "COMMIT");
    }

    void rollback() noexcept override {
        if (db_ == nullptr || sqlite3_get_autocommit(db_) != 0) return;  // nothing open
        // Statements still stepping would make ROLLBACK fail with SQLITE_BUSY.
        for (auto& [sql, st] : cache_) sqlite3_reset(st.stmt);
        if (exec_raw("ROLLBACK") != SQLITE_OK && sqlite3_get_autocommit(db_) == 0) broken_ = true;
    }

private:
    struct Cached {
        sqlite3_stmt* stmt = nullptr;
        int max_param = 0;  // highest $N the statement refers to
    };

    // Resets a statement on every exit path so the cache never holds a running statement.
    class StmtGuard {
    public:
        explicit StmtGuard(sqlite3_stmt* st) : st_(st) {}
        ~StmtGuard() {
            sqlite3_reset(st_);
            sqlite3_clear_bindings(st_);
        }
        StmtGuard(const StmtGuard&) = delete;
        StmtGuard& operator=(const StmtGuard&) = delete;

    private:
        sqlite3_stmt* st_;
    };

    int exec_raw(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

    void exec_or_throw(const char* sql) {
        const int rc = exec_raw(sql);
        if (rc != SQLITE_OK) fail(rc, sql);
    }

    template <class F>
    int run_with_retry(F&& attempt) {
        int rc = attempt();
        for (const auto delay : kBusyBackoff) {
            if (!is_busy(rc)) break;
            std::this_thread::sleep_for(delay);
            rc = attempt();
        }
        return rc;
    }

    [[noreturn]] void fail(int rc, std::string_view sql) {
        const ErrorKind kind = kind_of(rc);
        if (kind == ErrorKind::kUnavailable) broken_ = true;
        std::string msg = "sqlite: ";
        msg += db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        msg += " (code " + std::to_string(rc) + ") in: " + sql_excerpt(sql);
        throw DbError(kind, msg);
    }

    Cached& prepare(std::string_view sql) {
        const std::string key(sql);
        if (auto it = cache_.find(key); it != cache_.end()) return it->second;
        if (cache_.size() >= kStatementCacheLimit) {
            for (auto& [s, st] : cache_) sqlite3_finalize(st.stmt);
            cache_.clear();
        }
        Cached c;
        const char* tail = nullptr;
        int rc = SQLITE_OK;
        for (const auto delay : kBusyBackoff) {
            rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size() + 1),
                                    SQLITE_PREPARE_PERSISTENT, &c.stmt, &tail);
            if (!is_busy(rc)) break;  // preparing may need the schema lock
            std::this_thread::sleep_for(delay);
        }
        if (rc != SQLITE_OK) fail(rc, sql);
        if (c.stmt == nullptr)
            throw DbError(ErrorKind::kOther, "sqlite: empty statement: " + sql_excerpt(sql));
        const std::string_view rest(tail);
        if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
            sqlite3_finalize(c.stmt);
            throw DbError(ErrorKind::kOther,
                          "sqlite: query()/execute() take one statement, use exec_script(): " +
                              sql_excerpt(sql));
        }
        const int count = sqlite3_bind_parameter_count(c.stmt);
        for (int i = 1; i <= count; ++i) {
            const int n = dollar_index(sqlite3_bind_parameter_name(c.stmt, i));
            if (n == 0) {
                sqlite3_finalize(c.stmt);
                throw DbError(ErrorKind::kOther,
                              "sqlite: only $N parameters are supported: " + sql_excerpt(sql));
            }
            c.max_param = std::max(c.max_param, n);
        }
        return cache_.emplace(key, c).first->second;
    }

    void bind(const Cached& c, std::span<const Value> params, std::string_view sql) {
        if (static_cast<std::size_t>(c.max_param) > params.size()) {
            throw DbError(ErrorKind::kOther, "sqlite: statement uses $" +
                                                 std::to_string(c.max_param) + " but " +
                                                 std::to_string(params.size()) +
                                                 " parameters were given: " + sql_excerpt(sql));
        }
        for (std::size_t i = 0; i < params.size(); ++i) {
            const std::string name = "$" + std::to_string(i + 1);
            const int idx = sqlite3_bind_parameter_index(c.stmt, name.c_str());
            if (idx == 0) continue;  // parameter not used by this statement
            const Value& v = params[i];
            int rc = SQLITE_OK;
            if (std::holds_alternative<std::nullptr_t>(v)) {
                rc = sqlite3_bind_null(c.stmt, idx);
            } else if (const auto* iv = std::get_if<std::int64_t>(&v)) {
                rc = sqlite3_bind_int64(c.stmt, idx, *iv);
            } else if (const auto* dv = std::get_if<double>(&v)) {
                rc = sqlite3_bind_double(c.stmt, idx, *dv);
            } else if (const auto* sv = std::get_if<std::string>(&v)) {
                // SQLITE_STATIC: params outlive the statement's use; bindings are cleared after.
                rc = sqlite3_bind_text64(c.stmt, idx, sv->data(), sv->size(), SQLITE_STATIC,
                                         SQLITE_UTF8);
            } else if (const auto* bv = std::get_if<bool>(&v)) {
                rc = sqlite3_bind_int(c.stmt, idx, *bv ? 1 : 0);
            }
            if (rc != SQLITE_OK) fail(rc, sql);
        }
    }

    static ResultSet::Cell read_cell(sqlite3_stmt* st, int col) {
        ResultSet::Cell cell;
        switch (sqlite3_column_type(st, col)) {
            case SQLITE_NULL:
                return cell;
            case SQLITE_INTEGER:
                cell.text = std::to_string(sqlite3_column_int64(st, col));
                break;
            case SQLITE_FLOAT:
                cell.text = format_double(sqlite3_column_double(st, col));
                break;
            default: {  // TEXT or BLOB: the bytes as they are
                const auto* p = static_cast<const char*>(sqlite3_column_blob(st, col));
                const int n = sqlite3_column_bytes(st, col);
                if (p != nullptr) cell.text.assign(p, static_cast<std::size_t>(n));
                break;
            }
        }
        cell.null = false;
        return cell;
    }

    void run(std::string_view sql, std::span<const Value> params, ResultSet* out) {
        Cached& c = prepare(sql);
        StmtGuard guard(c.stmt);
        bind(c, params, sql);
        const int ncol = sqlite3_column_count(c.stmt);
        if (out != nullptr) {
            out->columns.clear();
            for (int i = 0; i < ncol; ++i)
                out->columns.emplace_back(sqlite3_column_name(c.stmt, i));
        }
        std::size_t attempt = 0;
        for (;;) {
            const int rc = sqlite3_step(c.stmt);
            if (rc == SQLITE_ROW) {
                if (out != nullptr) {
                    auto& row = out->rows.emplace_back();
                    row.reserve(static_cast<std::size_t>(ncol));
                    for (int i = 0; i < ncol; ++i) row.push_back(read_cell(c.stmt, i));
                }
                continue;
            }
            if (rc == SQLITE_DONE) return;
            // Inside an explicit transaction SQLite asks for a rollback rather than a retry;
            // outside one, a statement that hit a lock has had no effect and can run again.
            if (is_busy(rc) && sqlite3_get_autocommit(db_) != 0 &&
                attempt < std::size(kBusyBackoff)) {
                std::this_thread::sleep_for(kBusyBackoff[attempt++]);
                sqlite3_reset(c.stmt);  // keeps bindings
                if (out != nullptr) out->rows.clear();
                continue;
            }
            fail(rc, sql);
        }
    }

    std::string path_;
    sqlite3* db_ = nullptr;
    bool broken_ = false;
    std::unordered_map<std::string, Cached> cache_;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const StoreLocation& location,
                                           const PoolOptions& options) {
    return std::make_unique<SqliteConnection>(location, options);
}

}  // namespace kontor::db::internal
