#pragma once
// The store interface (DESIGN.md §4): one small API over SQLite and PostgreSQL.
//
// SQL is written once with $1..$n parameters; the SQLite backend binds "$N" as a named parameter,
// the PostgreSQL backend passes it to libpq unchanged. Prepared statements are cached per
// connection by SQL text, so repositories keep their SQL as constexpr string_view constants and
// pay the prepare once per connection.
//
// Thread rules: a Connection is used by one thread at a time (it is handed out by a Pool and
// returned when the Lease dies). Pools and the StoreManager are thread-safe.
//
// Failures: database problems are exceptions of type db::DbError (CONVENTIONS.md §6: outages are
// exceptions). DbError::kind tells the caller what happened; as a core::Failure it tells the HTTP
// edge what to answer: kConflict → 409, kBusy/kUnavailable → 503, everything else → 500.
// Repositories catch kConflict where a unique violation is an expected outcome and return
// core::Error instead.
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kontor/core/error.hpp"

namespace kontor::db {

enum class Dialect { kSqlite, kPostgres };

enum class ErrorKind {
    kConflict,     // unique / primary key violation
    kConstraint,   // other constraint (foreign key, check, not null)
    kBusy,         // SQLite busy/locked after the bounded retry; PostgreSQL serialization/deadlock
    kUnavailable,  // cannot connect, connection lost, server shutting down
    kOther,        // anything else (syntax error, type mismatch: a bug)
};

// A core::Failure, so the HTTP edge answers it without knowing db: a unique violation is a 409
// conflict, busy/unavailable a 503, anything else a 500.
class DbError : public core::Failure {
public:
    DbError(ErrorKind kind, const std::string& what)
        : core::Failure(code_for(kind), what), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    static core::ErrorCode code_for(ErrorKind kind) noexcept {
        switch (kind) {
            case ErrorKind::kConflict:
                return core::ErrorCode::kConflict;
            case ErrorKind::kBusy:
            case ErrorKind::kUnavailable:
                return core::ErrorCode::kUnavailable;
            case ErrorKind::kConstraint:
            case ErrorKind::kOther:
                break;
        }
        return core::ErrorCode::kInternal;
    }
    ErrorKind kind_;
};

// A bound parameter. bool binds as integer 0/1 on both engines (columns are INTEGER/BOOLEAN-free).
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, bool>;

// An optional value as a parameter: SQL NULL when absent.
template <class T>
requires std::constructible_from<Value, T> Value nullable(const std::optional<T>& v) {
    return v ? Value{*v} : Value{nullptr};
}

// One result row, valid until the next row is fetched. Column access by index (0-based).
class Row {
public:
    virtual ~Row() = default;
    virtual int size() const = 0;
    virtual bool is_null(int col) const = 0;
    virtual std::int64_t get_int(
        int col) const = 0;  // throws DbError(kOther) when NULL or not numeric
    virtual double get_double(int col) const = 0;
    virtual std::string get_text(int col) const = 0;  // throws when NULL
    virtual std::string_view column_name(int col) const = 0;

    std::optional<std::int64_t> opt_int(int col) const {
        return is_null(col) ? std::nullopt : std::optional(get_int(col));
    }
    std::optional<std::string> opt_text(int col) const {
        return is_null(col) ? std::nullopt : std::optional(get_text(col));
    }
    bool get_bool(int col) const { return get_int(col) != 0; }
};

// Materialized result of a query: rows are copied out so the statement can be reused at once.
// Values keep their engine type; text is UTF-8.
class ResultSet {
public:
    struct Cell {
        bool null = true;
        std::string text;  // canonical text for every non-null value
    };
    std::vector<std::string> columns;
    std::vector<std::vector<Cell>> rows;

    bool empty() const noexcept { return rows.empty(); }
    std::size_t size() const noexcept { return rows.size(); }
    // Typed access; throws DbError(kOther) for NULL (use the opt_ forms) or bad conversion.
    std::int64_t get_int(std::size_t row, int col) const;
    double get_double(std::size_t row, int col) const;
    const std::string& get_text(std::size_t row, int col) const;
    bool get_bool(std::size_t row, int col) const { return get_int(row, col) != 0; }
    bool is_null(std::size_t row, int col) const;
    std::optional<std::int64_t> opt_int(std::size_t row, int col) const;
    std::optional<std::string> opt_text(std::size_t row, int col) const;
};

class Connection {
public:
    virtual ~Connection() = default;
    virtual Dialect dialect() const noexcept = 0;

    // Runs a query with parameters and returns all rows (empty for statements without RETURNING).
    virtual ResultSet query(std::string_view sql, std::span<const Value> params = {}) = 0;
    // Runs a statement with parameters and returns the number of rows changed.
    virtual std::int64_t execute(std::string_view sql, std::span<const Value> params = {}) = 0;
    // Runs a script of several statements without parameters (migrations). Not cached.
    virtual void exec_script(std::string_view sql) = 0;
    // True when the connection is still usable (used by the pool before handing it out).
    virtual bool healthy() = 0;

    // Transactions: prefer db::Transaction (RAII) to calling these.
    // write=true on SQLite means BEGIN IMMEDIATE (takes the write lock up front, so two writers
    // never deadlock on lock upgrade); on PostgreSQL both are plain BEGIN.
    virtual void begin(bool write) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;

    // Convenience: parameters as a brace list, e.g. conn.query(kSql, {id, name}).
    ResultSet query(std::string_view sql, std::initializer_list<Value> params) {
        return query(sql, std::span<const Value>(params.begin(), params.size()));
    }
    std::int64_t execute(std::string_view sql, std::initializer_list<Value> params) {
        return execute(sql, std::span<const Value>(params.begin(), params.size()));
    }
};

// RAII transaction: rolls back unless commit() was called.
class Transaction {
public:
    Transaction(Connection& conn, bool write = true) : conn_(conn) { conn_.begin(write); }
    ~Transaction() {
        if (!done_) conn_.rollback();
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        conn_.commit();
        done_ = true;
    }
    Connection& conn() noexcept { return conn_; }

private:
    Connection& conn_;
    bool done_ = false;
};

}  // namespace kontor::db
