#pragma once
// Small text helpers shared by the modules. Pure functions; thread-safe.
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

}  // namespace kontor::core
