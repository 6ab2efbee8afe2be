#pragma once
// LIKE patterns from user text, the same on both engines: the query writes `x LIKE $n ESCAPE '\'`.
#include <string>
#include <string_view>

namespace kontor::db {

// "50%_off\" → "%50\%\_off\\%": matches the text literally anywhere (its wildcards and the escape
// character are escaped). Case folding is the caller's: lower both sides.
inline std::string like_contains(std::string_view text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('%');
    return out;
}

}  // namespace kontor::db
