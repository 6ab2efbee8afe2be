#pragma once
// Small text helpers shared by the modules. Pure functions; thread-safe.
#include <optional>
#include <string>
#include <string_view>

namespace kontor::core {

// ASCII lower-case, independent of the locale; other bytes (UTF-8) are kept as they are.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Well-formed UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. PostgreSQL refuses
// anything else, and a 500 from the store is a poor answer to a bad request.
bool valid_utf8(std::string_view s) noexcept;

// C0 controls and DEL; with multiline, newline and tab are allowed.
bool has_control_chars(std::string_view s, bool multiline = false) noexcept;

// The problem with one text value for a validation error ("must be at most 200 bytes", "must be
// valid UTF-8", "must not contain control characters…"), or nullopt when it is acceptable.
std::optional<std::string> text_problem(std::string_view v, std::size_t max_bytes,
                                        bool multiline = false);

}  // namespace kontor::core
