#include "kontor/auth/throttle.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "kontor/core/clock.hpp"

namespace kontor::auth {
namespace {

// An entry that behaves exactly like no entry: not locked, and either its lock has run out
// (counting starts afresh) or its window has passed (its failures no longer count).
bool is_dead(const auto& e, std::int64_t now, std::int64_t window_ms) {
    if (e.locked_until > now) return false;
    return e.locked_until != 0 || now - e.window_start >= window_ms;
}

}  // namespace

LoginThrottle::LoginThrottle(ThrottlePolicy policy, Clock now_ms)
    : policy_(policy), now_(now_ms ? std::move(now_ms) : Clock(&core::now_ms)) {
    policy_.max_failures_per_ip = std::max(policy_.max_failures_per_ip, 1);
    policy_.max_failures_per_account = std::max(policy_.max_failures_per_account, 1);
    policy_.max_entries = std::max<std::size_t>(policy_.max_entries, 1);
}

std::optional<int> LoginThrottle::locked_for(std::string_view ip, std::string_view account) {
    std::lock_guard lock(mu_);
    const std::int64_t now = now_();
    const std::int64_t until =
        std::max(lock_end(by_ip_, ip, now), lock_end(by_account_, account, now));
    if (until <= now) return std::nullopt;
    const std::int64_t seconds = (until - now + 999) / 1000;  // rounded up, so never 0
    return static_cast<int>(std::min<std::int64_t>(seconds, 1'000'000'000));
}

LoginThrottle::Failure LoginThrottle::record_failure(std::string_view ip,
                                                     std::string_view account) {
    std::lock_guard lock(mu_);
    const std::int64_t now = now_();
    Failure f;
    f.ip_locked = fail(by_ip_, ip, policy_.max_failures_per_ip, now);
    f.account_locked = fail(by_account_, account, policy_.max_failures_per_account, now);
    return f;
}

void LoginThrottle::record_success(std::string_view account) {
    std::lock_guard lock(mu_);
    const std::int64_t now = now_();
    const auto it = by_account_.find(std::string(account));
    // A lock stands even if a check raced with it: only the unlocked count is forgiven.
    if (it != by_account_.end() && it->second.locked_until <= now) by_account_.erase(it);
}

bool LoginThrottle::fail(Map& map, std::string_view key, int max, std::int64_t now) {
    std::string k(key);
    auto it = map.find(k);
    if (it == map.end()) {
        prune(map, now);
        it = map.emplace(std::move(k), Entry{}).first;
    }
    Entry& e = it->second;
    e.last_seen = now;
    if (e.locked_until > now) return false;  // already locked; the lock is not extended
    if (is_dead(e, now, policy_.window_ms) || e.failures == 0) {
        e.failures = 0;
        e.locked_until = 0;
        e.window_start = now;
    }
    if (++e.failures < max) return false;
    e.locked_until = now + policy_.lock_ms;
    return true;
}

std::int64_t LoginThrottle::lock_end(Map& map, std::string_view key, std::int64_t now) {
    const auto it = map.find(std::string(key));
    if (it == map.end() || it->second.locked_until <= now) return 0;
    return it->second.locked_until;
}

// Called just before a new key goes in. A full scan is O(n), so it runs only at moments that
// already cost O(n) or are rare: when the table is about to grow its bucket array, or when it is
// full. Between those, stale entries are harmless (is_dead() treats them as absent).
void LoginThrottle::prune(Map& map, std::int64_t now) {
    const bool full = map.size() >= policy_.max_entries;
    const bool will_rehash =
        static_cast<float>(map.size() + 1) > map.max_load_factor() * map.bucket_count();
    if (!full && !will_rehash) return;
    std::erase_if(map, [&](const auto& kv) { return is_dead(kv.second, now, policy_.window_ms); });
    if (map.size() < policy_.max_entries) return;

    // Still full of live entries: forget the stalest, a tenth at a time so the scan is not
    // repeated on every new key while under attack.
    const std::size_t drop = map.size() - policy_.max_entries + 1 + (policy_.max_entries / 10);
    std::vector<std::pair<std::int64_t, const std::string*>> ages;
    ages.reserve(map.size());
    for (const auto& [k, e] : map) ages.emplace_back(e.last_seen, &k);
    const auto cut = ages.begin() + static_cast<std::ptrdiff_t>(std::min(drop, ages.size()));
    std::nth_element(ages.begin(), cut - 1, ages.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> victims;
    victims.reserve(static_cast<std::size_t>(cut - ages.begin()));
    for (auto i = ages.begin(); i != cut; ++i) victims.push_back(*i->second);
    for (const auto& v : victims) map.erase(v);
}

}  // namespace kontor::auth
