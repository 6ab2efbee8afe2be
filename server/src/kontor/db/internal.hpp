#pragma once
// Helpers shared by the two backends; private to the db module.
#include <memory>
#include <string>
#include <string_view>

#include "kontor/db/pool.hpp"

namespace kontor::db::internal {

// Shortest text that reads back as the same double (std::to_chars), so values round-trip exactly.
std::string format_double(double value);

// SQL text for error messages: bound parameters keep values out of it, but cap its length.
std::string sql_excerpt(std::string_view sql);

// Statement caches are bounded so ad-hoc SQL (e.g. IN lists of varying length) cannot grow a
// connection without limit; the cache is simply emptied when it overflows.
inline constexpr std::size_t kStatementCacheLimit = 256;

std::unique_ptr<Connection> connect_sqlite(const StoreLocation& location,
                                           const PoolOptions& options);
std::unique_ptr<Connection> connect_postgres(const StoreLocation& location);

// Drops a PostgreSQL schema and everything in it (connects without creating the schema).
void drop_postgres_schema(const std::string& conninfo, const std::string& schema);

}  // namespace kontor::db::internal
