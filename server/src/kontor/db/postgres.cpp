// PostgreSQL backend: one libpq connection per Connection, text format both ways. The schema of
// the store is created on connect and becomes the connection's whole search_path, so a tenant's
// connection cannot name another tenant's tables by accident.
#include <libpq-fe.h>

#include <charconv>
#include <memory>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "kontor/db/internal.hpp"

namespace kontor::db::internal {
namespace {

struct ResultDeleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using PgConn = std::unique_ptr<PGconn, ConnDeleter>;

std::string sqlstate_of(const PGresult* res) {
    const char* s = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    return s != nullptr ? s : "";
}

ErrorKind kind_of(std::string_view state, PGconn* conn) {
    if (PQstatus(conn) != CONNECTION_OK) return ErrorKind::kUnavailable;
    if (state == "23505") return ErrorKind::kConflict;
    if (state.starts_with("23")) return ErrorKind::kConstraint;
    if (state == "40001" || state == "40P01") return ErrorKind::kBusy;
    if (state.starts_with("08") || state.starts_with("53") || state == "57P01" ||
        state == "57P02" || state == "57P03") {
        return ErrorKind::kUnavailable;
    }
    return ErrorKind::kOther;
}

// The primary message only: DETAIL may quote row values ("Key (email)=(...) already exists").
std::string message_of(const PGresult* res, PGconn* conn) {
    const char* primary =
        res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string msg = primary != nullptr ? primary : PQerrorMessage(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return msg;
}

PgConn open_pg(const std::string& conninfo) {
    // Defaults come before "dbname" so that settings in the URL itself override them.
    const char* const keys[] = {"application_name", "connect_timeout", "client_encoding", "dbname",
                                nullptr};
    const char* const values[] = {"kontor", "10", "UTF8", conninfo.c_str(), nullptr};
    PgConn conn(PQconnectdbParams(keys, values, 1));
    if (!conn) throw DbError(ErrorKind::kUnavailable, "postgres: out of memory while connecting");
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        throw DbError(ErrorKind::kUnavailable,
                      "postgres: cannot connect: " + message_of(nullptr, conn.get()));
    }
    // NOTICEs ("schema already exists, skipping") would otherwise go to stderr.
    PQsetNoticeProcessor(
        conn.get(), [](void*, const char*) {}, nullptr);
    return conn;
}

std::string quote_identifier(PGconn* conn, const std::string& name) {
    char* q = PQescapeIdentifier(conn, name.c_str(), name.size());
    if (q == nullptr)
        throw DbError(ErrorKind::kOther,
                      "postgres: cannot quote identifier: " + message_of(nullptr, conn));
    std::string out(q);
    PQfreemem(q);
    return out;
}

bool ok(const PGresult* res) {
    if (res == nullptr) return false;
    const auto st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
}

[[noreturn]] void throw_result(const PGresult* res, PGconn* conn, std::string_view sql) {
    const std::string state = sqlstate_of(res);
    std::string msg = "postgres: " + message_of(res, conn);
    if (!state.empty()) msg += " (SQLSTATE " + state + ")";
    msg += " in: " + sql_excerpt(sql);
    throw DbError(kind_of(state, conn), msg);
}

PgResult exec_checked(PGconn* conn, const std::string& sql) {
    PgResult res(PQexec(conn, sql.c_str()));
    if (!ok(res.get())) throw_result(res.get(), conn, sql);
    return res;
}

class PostgresConnection final : public Connection {
public:
    explicit PostgresConnection(const StoreLocation& location)
        : conn_(open_pg(location.pg_conninfo)) {
        const std::string schema = quote_identifier(conn_.get(), location.pg_schema);
        if (!schema_exists(location.pg_schema)) {
            // Only when missing: CREATE SCHEMA needs the CREATE privilege on the database even
            // with IF NOT EXISTS, which a least-privilege role for existing stores lacks.
            const std::string create = "CREATE SCHEMA IF NOT EXISTS " + schema;
            PgResult res(PQexec(conn_.get(), create.c_str()));
            if (!ok(res.get())) {
                // IF NOT EXISTS is not atomic: a concurrent creator can still win the insert.
                const std::string state = sqlstate_of(res.get());
                if (state != "23505" && state != "42P06")
                    throw_result(res.get(), conn_.get(), create);
            }
        }
        exec_checked(conn_.get(), "SET search_path TO " + schema);
    }

    Dialect dialect() const noexcept override { return Dialect::kPostgres; }

    ResultSet query(std::string_view sql, std::span<const Value> params) override {
        PgResult res = run(sql, params);
        ResultSet rs;
        if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) return rs;
        const int ncol = PQnfields(res.get());
        const int nrow = PQntuples(res.get());
        rs.columns.reserve(static_cast<std::size_t>(ncol));
        for (int c = 0; c < ncol; ++c) rs.columns.emplace_back(PQfname(res.get(), c));
        rs.rows.resize(static_cast<std::size_t>(nrow));
        for (int r = 0; r < nrow; ++r) {
            auto& row = rs.rows[static_cast<std::size_t>(r)];
            row.resize(static_cast<std::size_t>(ncol));
            for (int c = 0; c < ncol; ++c) {
                if (PQgetisnull(res.get(), r, c)) continue;
                auto& cell = row[static_cast<std::size_t>(c)];
                cell.null = false;
                cell.text.assign(PQgetvalue(res.get(), r, c),
                                 static_cast<std::size_t>(PQgetlength(res.get(), r, c)));
            }
        }
        return rs;
    }

    std::int64_t execute(std::string_view sql, std::span<const Value> params) override {
        PgResult res = run(sql, params);
        const std::string_view tuples = PQcmdTuples(res.get());
        std::int64_t n = 0;
        std::from_chars(tuples.data(), tuples.data() + tuples.size(), n);  // "" (no count) stays 0
        return n;
    }

    void exec_script(std::string_view sql) override { exec_checked(conn_.get(), std::string(sql)); }

    bool healthy() override { return !broken_ && PQstatus(conn_.get()) == CONNECTION_OK; }

    void begin(bool /*write*/) override {
        if (PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) {
            throw DbError(ErrorKind::kOther,
                          "postgres: a transaction is already open on this connection");
        }
        exec_checked(conn_.get(), "BEGIN");
    }

    void commit() override {
        if (PQtransactionStatus(conn_.get()) == PQTRANS_INERROR) {
            // COMMIT would quietly roll back and report success; say what happened instead.
            rollback();
            throw DbError(ErrorKind::kOther,
                          "postgres: transaction aborted by an earlier error; rolled back");
        }
        PgResult res = exec_checked(conn_.get(), "COMMIT");
        if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
            throw DbError(ErrorKind::kOther, "postgres: COMMIT rolled back the transaction");
        }
    }

    void rollback() noexcept override {
        switch (PQtransactionStatus(conn_.get())) {
            case PQTRANS_IDLE:
                return;
            case PQTRANS_INTRANS:
            case PQTRANS_INERROR: {
                PgResult res(PQexec(conn_.get(), "ROLLBACK"));
                if (!ok(res.get())) broken_ = true;
                return;
            }
            default:  // a command still running or the connection is gone: not reusable
                broken_ = true;
                return;
        }
    }

private:
    bool schema_exists(const std::string& name) {
        constexpr const char* kSql = "SELECT 1 FROM pg_namespace WHERE nspname = $1";
        const char* values[] = {name.c_str()};
        PgResult res(PQexecParams(conn_.get(), kSql, 1, nullptr, values, nullptr, nullptr, 0));
        if (!ok(res.get())) throw_result(res.get(), conn_.get(), kSql);
        return PQntuples(res.get()) > 0;
    }

    struct Prepared {
        std::string name;
        int nparams = 0;
    };

    Prepared& prepare(std::string_view sql) {
        std::string key(sql);
        if (auto it = cache_.find(key); it != cache_.end()) return it->second;
        if (cache_.size() >= kStatementCacheLimit) {
            // Names are never reused, so a failed DEALLOCATE only leaves harmless leftovers.
            PgResult drop(PQexec(conn_.get(), "DEALLOCATE ALL"));
            cache_.clear();
        }
        Prepared p{"k" + std::to_string(++counter_), 0};
        // No parameter types: the server infers them from the statement (columns are never
        // boolean, so bool travels as integer text).
        PgResult res(PQprepare(conn_.get(), p.name.c_str(), key.c_str(), 0, nullptr));
        if (!ok(res.get())) fail(res.get(), sql);
        PgResult desc(PQdescribePrepared(conn_.get(), p.name.c_str()));
        if (!ok(desc.get())) fail(desc.get(), sql);
        p.nparams = PQnparams(desc.get());
        return cache_.emplace(std::move(key), std::move(p)).first->second;
    }

    [[noreturn]] void fail(const PGresult* res, std::string_view sql) {
        if (PQstatus(conn_.get()) != CONNECTION_OK) broken_ = true;
        throw_result(res, conn_.get(), sql);
    }

    PgResult run(std::string_view sql, std::span<const Value> params) {
        const bool in_tx = PQtransactionStatus(conn_.get()) != PQTRANS_IDLE;
        PgResult res = exec_prepared(prepare(sql), params, sql);
        if (ok(res.get())) return res;
        // A migration that changes a table's row type invalidates statements cached before it
        // ("cached plan must not change result type"); re-prepare once when that is safe, i.e.
        // when no transaction was aborted by the failure.
        if (sqlstate_of(res.get()) == "0A000" && !in_tx) {
            const auto it = cache_.find(std::string(sql));
            if (it != cache_.end()) {
                PgResult drop(PQexec(conn_.get(), ("DEALLOCATE " + it->second.name).c_str()));
                cache_.erase(it);
            }
            res = exec_prepared(prepare(sql), params, sql);
            if (ok(res.get())) return res;
        }
        fail(res.get(), sql);
    }

    PgResult exec_prepared(const Prepared& p, std::span<const Value> params, std::string_view sql) {
        if (static_cast<std::size_t>(p.nparams) > params.size()) {
            throw DbError(ErrorKind::kOther, "postgres: statement uses $" +
                                                 std::to_string(p.nparams) + " but " +
                                                 std::to_string(params.size()) +
                                                 " parameters were given: " + sql_excerpt(sql));
        }
        // Extra trailing parameters are ignored, as on SQLite.
        std::vector<std::string> text(static_cast<std::size_t>(p.nparams));
        std::vector<const char*> values(static_cast<std::size_t>(p.nparams), nullptr);
        for (std::size_t i = 0; i < values.size(); ++i) {
            const Value& v = params[i];
            if (std::holds_alternative<std::nullptr_t>(v)) continue;
            if (const auto* sv = std::get_if<std::string>(&v)) {
                values[i] = sv->c_str();
                continue;
            }
            if (const auto* iv = std::get_if<std::int64_t>(&v)) {
                text[i] = std::to_string(*iv);
            } else if (const auto* dv = std::get_if<double>(&v)) {
                text[i] = format_double(*dv);
            } else if (const auto* bv = std::get_if<bool>(&v)) {
                text[i] = *bv ? "1" : "0";
            }
            values[i] = text[i].c_str();
        }
        return PgResult(PQexecPrepared(conn_.get(), p.name.c_str(), p.nparams, values.data(),
                                       nullptr, nullptr, 0));
    }

    PgConn conn_;
    bool broken_ = false;
    std::uint64_t counter_ = 0;
    std::unordered_map<std::string, Prepared> cache_;
};

}  // namespace

std::unique_ptr<Connection> connect_postgres(const StoreLocation& location) {
    return std::make_unique<PostgresConnection>(location);
}

void drop_postgres_schema(const std::string& conninfo, const std::string& schema) {
    PgConn conn = open_pg(conninfo);
    exec_checked(conn.get(),
                 "DROP SCHEMA IF EXISTS " + quote_identifier(conn.get(), schema) + " CASCADE");
}

}  // namespace kontor::db::internal
