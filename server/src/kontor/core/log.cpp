#include "kontor/core/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <stdexcept>

#include "kontor/core/clock.hpp"

namespace kontor::core::log {
namespace {

thread_local std::string t_request_id;
Format g_format = Format::kJson;

// Renders a record as one JSON object. The payload of a record written through event() is
// already a JSON object text without braces ("\"msg\":...,\"k\":v"), so it is spliced in;
// records written directly through spdlog (by libraries) are escaped as a plain message.
class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch())
                .count();
        nlohmann::json head = {
            {"ts", format_rfc3339(ms)},
            {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                                  spdlog::level::to_string_view(msg.level).size())}};
        if (!t_request_id.empty()) head["request_id"] = t_request_id;
        std::string out = head.dump();
        out.pop_back();  // drop '}'
        std::string_view payload(msg.payload.data(), msg.payload.size());
        if (payload.starts_with("\x1f")) {
            payload.remove_prefix(1);
            out += ",";
            out.append(payload);
        } else {
            out +=
                ",\"msg\":" + nlohmann::json(std::string(payload))
                                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        out += "}\n";
        dest.append(out.data(), out.data() + out.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }
};

class RequestIdFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg&, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const std::string& id = t_request_id.empty() ? std::string("-") : t_request_id;
        dest.append(id.data(), id.data() + id.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<RequestIdFlag>();
    }
};

}  // namespace

void init(std::string_view level, Format format) {
    const auto lvl = spdlog::level::from_str(std::string(level));
    if (lvl == spdlog::level::off && level != "off") {
        throw std::invalid_argument("unknown log level '" + std::string(level) + "'");
    }
    g_format = format;
    auto logger = std::make_shared<spdlog::logger>(
        "kontor", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    if (format == Format::kJson) {
        logger->set_formatter(std::make_unique<JsonFormatter>());
    } else {
        auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
        f->add_flag<RequestIdFlag>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %-5l [%*] %v");
        logger->set_formatter(std::move(f));
    }
    logger->set_level(lvl);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
}

RequestIdScope::RequestIdScope(std::string request_id) : previous_(std::move(t_request_id)) {
    t_request_id = std::move(request_id);
}
RequestIdScope::~RequestIdScope() { t_request_id = std::move(previous_); }

const std::string& current_request_id() noexcept { return t_request_id; }

void event(spdlog::level::level_enum level, std::string_view message,
           const nlohmann::json& fields) {
    auto logger = spdlog::default_logger_raw();
    if (!logger->should_log(level)) return;
    constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
    if (g_format == Format::kJson) {
        std::string payload =
            "\x1f\"msg\":" + nlohmann::json(std::string(message)).dump(-1, ' ', false, kReplace);
        if (fields.is_object()) {
            for (const auto& [k, v] : fields.items()) {
                payload += "," + nlohmann::json(k).dump() + ":" + v.dump(-1, ' ', false, kReplace);
            }
        }
        logger->log(level, "{}", payload);
    } else {
        std::string line(message);
        if (fields.is_object()) {
            for (const auto& [k, v] : fields.items()) {
                line += " " + k + "=" +
                        (v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, kReplace));
            }
        }
        logger->log(level, "{}", line);
    }
}

}  // namespace kontor::core::log
