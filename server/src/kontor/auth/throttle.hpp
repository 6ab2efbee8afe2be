#pragma once
// Sign-in throttling (DESIGN.md §6): failed attempts are counted per client address and per
// account in a sliding window; past the limit the address or account is locked for a while and
// every attempt — even with the right password — is refused with the remaining time.
//
// State is in process memory: one node needs nothing else, and several nodes share limits only
// once a shared store (Redis, DESIGN.md §8) arrives — ADR 0005. Memory is bounded: entries
// older than the window are pruned and each map holds at most max_entries keys (the stalest go
// first). Thread-safe (one mutex; the critical sections are a few map operations).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kontor::auth {

struct ThrottlePolicy {
    int max_failures_per_ip = 10;      // within window_ms → the address is locked
    int max_failures_per_account = 5;  // within window_ms → the account is locked
    std::int64_t window_ms = 15 * 60 * 1000;
    std::int64_t lock_ms = 15 * 60 * 1000;  // lock length, counted from the failure that set it
    std::size_t max_entries = 100000;       // per map
};

class LoginThrottle {
public:
    using Clock = std::function<std::int64_t()>;  // epoch milliseconds
    explicit LoginThrottle(ThrottlePolicy policy = {}, Clock now_ms = {});

    // Before the password is checked: nullopt to go ahead, else whole seconds (≥ 1) until the
    // longer of the two locks ends (for Retry-After). `account` is the normalised e-mail.
    std::optional<int> locked_for(std::string_view ip, std::string_view account);

    struct Failure {
        bool ip_locked = false;       // this failure started a lock of the address
        bool account_locked = false;  // this failure started a lock of the account
    };
    Failure record_failure(std::string_view ip, std::string_view account);
    // A successful sign-in clears the account's failures (not the address's: a valid account
    // must not let one client reset its guessing budget).
    void record_success(std::string_view account);

private:
    struct Entry {
        int failures = 0;
        std::int64_t window_start = 0;
        std::int64_t locked_until = 0;
        std::int64_t last_seen = 0;
    };
    using Map = std::unordered_map<std::string, Entry>;
    bool fail(Map& map, std::string_view key, int max, std::int64_t now);
    std::int64_t lock_end(Map& map, std::string_view key, std::int64_t now);
    void prune(Map& map, std::int64_t now);

    ThrottlePolicy policy_;
    Clock now_;
    std::mutex mu_;
    Map by_ip_;
    Map by_account_;
};

}  // namespace kontor::auth
