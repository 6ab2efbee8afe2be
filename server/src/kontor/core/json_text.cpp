#include "kontor/core/json_text.hpp"

#include <charconv>

namespace kontor::core {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 (RFC 3629: no overlongs, no surrogates).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    const std::size_t left = s.size() - i;
    auto cont = [&](std::size_t k) { return k < left && (b(k) & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
        if (c == 0xED && b(1) > 0x9F) return 0;  // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
        if (c == 0xF4 && b(1) > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t i = 0;
    while (i < s.size()) {
        // Runs of plain ASCII are copied in one go.
        std::size_t j = i;
        while (j < s.size()) {
            const auto c = static_cast<unsigned char>(s[j]);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
            ++j;
        }
        out.append(s.data() + i, j - i);
        i = j;
        if (i == s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            if (const std::size_t n = utf8_sequence(s, i); n > 0) {
                out.append(s.data() + i, n);
                i += n;
            } else {
                out.append("\xEF\xBF\xBD");  // U+FFFD for the bad byte
                ++i;
            }
            continue;
        }
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            case '\b':
                out.append("\\b");
                break;
            case '\f':
                out.append("\\f");
                break;
            default:
                out.append("\\u00");
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 0xF]);
        }
        ++i;
    }
    out.push_back('"');
}

void JsonText::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_.push_back(',');
        first_.back() = false;
    }
}

JsonText& JsonText::begin_object() {
    separate();
    out_.push_back('{');
    first_.push_back(true);
    return *this;
}
JsonText& JsonText::end_object() {
    out_.push_back('}');
    first_.pop_back();
    return *this;
}
JsonText& JsonText::begin_array() {
    separate();
    out_.push_back('[');
    first_.push_back(true);
    return *this;
}
JsonText& JsonText::end_array() {
    out_.push_back(']');
    first_.pop_back();
    return *this;
}
JsonText& JsonText::key(std::string_view name) {
    separate();
    append_json_string(out_, name);
    out_.push_back(':');
    after_key_ = true;
    return *this;
}
JsonText& JsonText::string(std::string_view value) {
    separate();
    append_json_string(out_, value);
    return *this;
}
JsonText& JsonText::number(std::int64_t value) {
    separate();
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    (void)ec;  // 24 bytes hold every int64
    out_.append(buf, end);
    return *this;
}
JsonText& JsonText::boolean(bool value) {
    separate();
    out_.append(value ? "true" : "false");
    return *this;
}
JsonText& JsonText::null() {
    separate();
    out_.append("null");
    return *this;
}

}  // namespace kontor::core
