#include "kontor/app/config.hpp"

#include <algorithm>
#include <thread>

namespace kontor::app {

int Config::effective_workers() const {
    if (workers > 0) return workers;
    return std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
}

std::optional<std::filesystem::path> Config::effective_web_dir() const {
    if (!web_dir.empty()) return std::filesystem::path(web_dir);
    std::error_code ec;
    if (std::filesystem::exists("web/dist/index.html", ec))
        return std::filesystem::path("web/dist");
    return std::nullopt;
}

}  // namespace kontor::app
