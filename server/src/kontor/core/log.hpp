#pragma once
// Process-wide logging on spdlog: JSON lines (default) or text, to stderr. Every line carries the
// request id of the request being served on this thread (RequestIdScope), so one request's lines
// can be found together. Safe to call from any thread once init() has run.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kontor::core::log {

enum class Format { kJson, kText };

// Configures the default logger. level: trace|debug|info|warn|error|critical|off.
// Throws std::invalid_argument for an unknown level.
void init(std::string_view level, Format format);

// The request id attached to log lines written by this thread while the scope lives.
class RequestIdScope {
public:
    explicit RequestIdScope(std::string request_id);
    ~RequestIdScope();
    RequestIdScope(const RequestIdScope&) = delete;
    RequestIdScope& operator=(const RequestIdScope&) = delete;

private:
    std::string previous_;
};

const std::string& current_request_id() noexcept;

// A structured event: message plus fields. In JSON format the fields become top-level keys; in
// text format they follow the message as key=value.
void event(spdlog::level::level_enum level, std::string_view message, const nlohmann::json& fields);

inline void info(std::string_view message,
                 const nlohmann::json& fields = nlohmann::json::object()) {
    event(spdlog::level::info, message, fields);
}
inline void warn(std::string_view message,
                 const nlohmann::json& fields = nlohmann::json::object()) {
    event(spdlog::level::warn, message, fields);
}
inline void error(std::string_view message,
                  const nlohmann::json& fields = nlohmann::json::object()) {
    event(spdlog::level::err, message, fields);
}
inline void debug(std::string_view message,
                  const nlohmann::json& fields = nlohmann::json::object()) {
    event(spdlog::level::debug, message, fields);
}

}  // namespace kontor::core::log
