#include "kontor/http/metrics.hpp"

#include <array>
#include <charconv>
#include <string_view>

namespace kontor::http {
namespace {

// Upper bounds of the latency buckets in seconds; +Inf is the count itself.
constexpr std::array<double, 11> kBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
constexpr std::array<std::string_view, 11> kBoundLabels{
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"};

// Label values per the exposition format: backslash, double quote and line feed are escaped.
std::string escape_label(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (const char c : v) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string format_double(double v) {
    std::array<char, 64> buf{};
    const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    if (ec != std::errc{}) return "0";
    return std::string(buf.data(), end);
}

}  // namespace

Metrics::Metrics(std::string version, std::string commit)
    : version_(std::move(version)), commit_(std::move(commit)) {}

void Metrics::observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
    std::size_t bucket = 0;
    while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;
    std::lock_guard lock(mu_);
    Series& s = series_[{method, route, status}];
    if (s.buckets.empty()) s.buckets.assign(kBounds.size(), 0);
    ++s.count;
    s.sum += seconds;
    if (bucket < kBounds.size()) ++s.buckets[bucket];  // beyond the last bound only +Inf counts it
}

void Metrics::add_in_flight(int delta) noexcept {
    in_flight_.fetch_add(delta, std::memory_order_relaxed);
}

void Metrics::add_collector(Collector c) {
    std::lock_guard lock(mu_);
    collectors_.push_back(std::move(c));
}

std::string Metrics::render() const {
    std::string out;
    std::vector<Collector> collectors;
    {
        std::lock_guard lock(mu_);
        collectors = collectors_;

        out +=
            "# HELP kontor_http_requests_total HTTP requests answered, by method, route pattern "
            "and status.\n";
        out += "# TYPE kontor_http_requests_total counter\n";
        for (const auto& [key, s] : series_) {
            const auto& [method, route, status] = key;
            out += "kontor_http_requests_total{method=\"" + escape_label(method) + "\",route=\"" +
                   escape_label(route) + "\",status=\"" + std::to_string(status) + "\"} " +
                   std::to_string(s.count) + "\n";
        }

        out +=
            "# HELP kontor_http_request_duration_seconds Time from request head received to "
            "response written.\n";
        out += "# TYPE kontor_http_request_duration_seconds histogram\n";
        // By route and status, like the counter: a slow 503 and a fast 200 must not blur together.
        for (const auto& [key, h] : series_) {
            const auto& [method, route, status] = key;
            const std::string labels = "method=\"" + escape_label(method) + "\",route=\"" +
                                       escape_label(route) + "\",status=\"" +
                                       std::to_string(status) + "\"";
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < kBounds.size() && i < h.buckets.size(); ++i) {
                cumulative += h.buckets[i];
                out += "kontor_http_request_duration_seconds_bucket{" + labels + ",le=\"" +
                       std::string(kBoundLabels[i]) + "\"} " + std::to_string(cumulative) + "\n";
            }
            out += "kontor_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
                   std::to_string(h.count) + "\n";
            out += "kontor_http_request_duration_seconds_sum{" + labels + "} " +
                   format_double(h.sum) + "\n";
            out += "kontor_http_request_duration_seconds_count{" + labels + "} " +
                   std::to_string(h.count) + "\n";
        }
    }

    out += "# HELP kontor_http_in_flight_requests Requests being handled right now.\n";
    out += "# TYPE kontor_http_in_flight_requests gauge\n";
    out += "kontor_http_in_flight_requests " +
           std::to_string(in_flight_.load(std::memory_order_relaxed)) + "\n";
    out += "# HELP kontor_build_info The running build.\n";
    out += "# TYPE kontor_build_info gauge\n";
    out += "kontor_build_info{version=\"" + escape_label(version_) + "\",commit=\"" +
           escape_label(commit_) + "\"} 1\n";

    // Collectors may take their own locks (store pools); call them outside ours.
    for (const auto& c : collectors) {
        std::string text = c();
        if (!text.empty() && text.back() != '\n') text.push_back('\n');
        out += text;
    }
    return out;
}

}  // namespace kontor::http
