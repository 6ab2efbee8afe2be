#include "kontor/core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace kontor::core {

std::string format_rfc3339(std::int64_t epoch_ms) {
    std::int64_t secs = epoch_ms / 1000;
    std::int64_t ms = epoch_ms % 1000;
    if (ms < 0) {
        ms += 1000;
        secs -= 1;
    }
    const std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[40];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
    return out;
}

}  // namespace kontor::core
