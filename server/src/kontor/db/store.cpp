// ResultSet accessors, StoreLocation text form, and connect(), shared by both backends.
#include "kontor/db/store.hpp"

#include <charconv>
#include <stdexcept>
#include <system_error>

#include "kontor/db/internal.hpp"
#include "kontor/db/pool.hpp"

namespace kontor::db {

namespace {

const ResultSet::Cell& cell_at(const ResultSet& rs, std::size_t row, int col) {
    if (row >= rs.rows.size() || col < 0 || static_cast<std::size_t>(col) >= rs.rows[row].size()) {
        throw DbError(ErrorKind::kOther, "result access out of range: row " + std::to_string(row) +
                                             ", column " + std::to_string(col));
    }
    return rs.rows[row][static_cast<std::size_t>(col)];
}

const ResultSet::Cell& non_null(const ResultSet& rs, std::size_t row, int col) {
    const auto& c = cell_at(rs, row, col);
    if (c.null) {
        const std::string name = static_cast<std::size_t>(col) < rs.columns.size()
                                     ? rs.columns[static_cast<std::size_t>(col)]
                                     : "";
        throw DbError(ErrorKind::kOther,
                      "column " + std::to_string(col) + " (" + name + ") is NULL");
    }
    return c;
}

bool valid_schema_name(std::string_view s) {
    if (s.empty() || s.size() > 63) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::int64_t ResultSet::get_int(std::size_t row, int col) const {
    const std::string& t = non_null(*this, row, col).text;
    // PostgreSQL renders booleans (e.g. EXISTS(...)) as t/f in text format.
    if (t == "t") return 1;
    if (t == "f") return 0;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size()) {
        throw DbError(ErrorKind::kOther, "column " + std::to_string(col) + " is not an integer");
    }
    return v;
}

double ResultSet::get_double(std::size_t row, int col) const {
    const std::string& t = non_null(*this, row, col).text;
    double v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size()) {
        throw DbError(ErrorKind::kOther, "column " + std::to_string(col) + " is not a number");
    }
    return v;
}

const std::string& ResultSet::get_text(std::size_t row, int col) const {
    return non_null(*this, row, col).text;
}

bool ResultSet::is_null(std::size_t row, int col) const { return cell_at(*this, row, col).null; }

std::optional<std::int64_t> ResultSet::opt_int(std::size_t row, int col) const {
    return is_null(row, col) ? std::nullopt : std::optional(get_int(row, col));
}

std::optional<std::string> ResultSet::opt_text(std::size_t row, int col) const {
    return is_null(row, col) ? std::nullopt : std::optional(get_text(row, col));
}

std::string StoreLocation::to_string() const {
    if (dialect == Dialect::kSqlite) return "sqlite:" + sqlite_path;
    return pg_conninfo + "#schema=" + pg_schema;
}

StoreLocation StoreLocation::parse(std::string_view text) {
    StoreLocation loc;
    if (text.starts_with("sqlite:")) {
        loc.dialect = Dialect::kSqlite;
        loc.sqlite_path = std::string(text.substr(7));
        if (loc.sqlite_path.empty())
            throw std::invalid_argument("store location: empty SQLite path");
        return loc;
    }
    if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
        constexpr std::string_view kFragment = "#schema=";
        const auto hash = text.find('#');
        if (hash == std::string_view::npos || text.substr(hash, kFragment.size()) != kFragment) {
            throw std::invalid_argument("store location: PostgreSQL location needs #schema=<name>");
        }
        loc.dialect = Dialect::kPostgres;
        loc.pg_conninfo = std::string(text.substr(0, hash));
        loc.pg_schema = std::string(text.substr(hash + kFragment.size()));
        if (!valid_schema_name(loc.pg_schema)) {
            throw std::invalid_argument("store location: bad schema name '" + loc.pg_schema + "'");
        }
        return loc;
    }
    // Never echo the text: a PostgreSQL URL may carry a password.
    throw std::invalid_argument(
        "store location: expected sqlite:<path> or postgresql://...#schema=<name>");
}

std::unique_ptr<Connection> connect(const StoreLocation& location, const PoolOptions& options) {
    if (location.dialect == Dialect::kSqlite) return internal::connect_sqlite(location, options);
    return internal::connect_postgres(location);
}

namespace internal {

std::string format_double(double value) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    if (ec != std::errc()) throw DbError(ErrorKind::kOther, "cannot format double");
    return std::string(buf, end);
}

std::string sql_excerpt(std::string_view sql) {
    constexpr std::size_t kMax = 160;
    std::string out(sql.substr(0, kMax));
    for (char& c : out) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    if (sql.size() > kMax) out += "...";
    return out;
}

}  // namespace internal
}  // namespace kontor::db
