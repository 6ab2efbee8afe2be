#include "kontor/core/text.hpp"

#include <algorithm>
#include <cstdint>

namespace kontor::core {

bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        constexpr std::uint32_t kMinFor[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMinFor[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

bool has_control_chars(std::string_view s, bool multiline) noexcept {
    return std::any_of(s.begin(), s.end(), [multiline](unsigned char c) {
        if (multiline && (c == '\n' || c == '\t')) return false;
        return c < 0x20 || c == 0x7f;
    });
}

// The problem with one text value, or nullopt when it is acceptable.
std::optional<std::string> text_problem(std::string_view v, std::size_t max_bytes, bool multiline) {
    if (v.size() > max_bytes) return "must be at most " + std::to_string(max_bytes) + " bytes";
    if (!valid_utf8(v)) return "must be valid UTF-8";
    if (has_control_chars(v, multiline)) {
        return multiline ? "must not contain control characters other than newline and tab"
                         : "must not contain control characters";
    }
    return std::nullopt;
}

}  // namespace kontor::core
