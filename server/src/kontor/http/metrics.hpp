#pragma once
// Prometheus metrics for /metrics (text exposition format 0.0.4): request count and latency
// histogram by route pattern, method and status; in-flight requests; store pool usage (through a
// collector callback); build info. Thread-safe; recording is a short mutex-protected update.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace kontor::http {

class Metrics {
public:
    // Extra exposition text appended to render() (e.g. pool gauges from the store manager).
    using Collector = std::function<std::string()>;

    Metrics(std::string version, std::string commit);
    void observe(const std::string& method, const std::string& route, int status, double seconds);
    void add_in_flight(int delta) noexcept;
    void add_collector(Collector c);
    std::string render() const;

private:
    std::string version_;
    std::string commit_;
    mutable std::mutex mu_;
    struct Series {
        std::uint64_t count = 0;
        double sum = 0;
        std::vector<std::uint64_t> buckets;  // cumulative counts are computed at render time
    };
    std::map<std::tuple<std::string, std::string, int>, Series> series_;
    std::vector<Collector> collectors_;
    std::atomic<int> in_flight_{0};
};

}  // namespace kontor::http
