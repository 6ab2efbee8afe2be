#pragma once
// Times are UTC epoch milliseconds everywhere (DESIGN.md §4).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kontor::core {

inline std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// RFC 3339 UTC text with milliseconds, e.g. "2026-11-21T17:03:04.123Z".
std::string format_rfc3339(std::int64_t epoch_ms);
// Parses "YYYY-MM-DDTHH:MM:SS[.fff]Z" or with a "+hh:mm"/"-hh:mm" offset; nullopt otherwise.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace kontor::core
