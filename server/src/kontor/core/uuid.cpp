#include <sodium.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <stdexcept>

#include "kontor/core/clock.hpp"
#include "kontor/core/ids.hpp"

namespace kontor::core {

std::string new_uuid_v7() {
    static const bool sodium_ready = sodium_init() >= 0;
    if (!sodium_ready) throw std::runtime_error("libsodium failed to initialise");
    std::array<std::uint8_t, 16> b{};
    randombytes_buf(b.data(), b.size());
    // RFC 9562 §6.2 method 1: the 12 bits after the version are a counter within one
    // millisecond, so ids made by this process sort in creation order even within a millisecond
    // (lists use the id as their tie-breaker). The counter starts at a random value below 2048;
    // when it runs out, or the clock steps back, the timestamp moves on by one millisecond.
    static std::mutex mu;
    static std::uint64_t last_ms = 0;
    static std::uint16_t counter = 0;
    std::uint64_t ms = static_cast<std::uint64_t>(now_ms());
    {
        std::lock_guard lock(mu);
        if (ms > last_ms) {
            counter = static_cast<std::uint16_t>(((b[6] << 8) | b[7]) & 0x07FF);
        } else if (counter < 0x0FFF) {
            ms = last_ms;
            ++counter;
        } else {
            ms = last_ms + 1;
            counter = 0;
        }
        last_ms = ms;
    }
    for (int i = 0; i < 6; ++i)
        b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    b[6] = static_cast<std::uint8_t>(0x70 | (counter >> 8));  // version 7, counter high bits
    b[7] = static_cast<std::uint8_t>(counter & 0xFF);
    b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3F));  // variant 10
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[b[i] >> 4]);
        out.push_back(kHex[b[i] & 0x0F]);
    }
    return out;
}

bool is_uuid(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

}  // namespace kontor::core
