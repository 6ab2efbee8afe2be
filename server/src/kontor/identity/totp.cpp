#include "kontor/identity/totp.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "kontor/identity/crypto.hpp"

namespace kontor::identity::totp {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::size_t kSecretBytes = 20;

// Crockford's base32 digits: no i, l, o or u, so no two symbols are easily confused; 32 symbols
// give exactly 5 bits each, 60 bits for 12 characters.
constexpr std::string_view kRecoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

int base32_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

// HOTP (RFC 4226 §5.3) over an already decoded key.
std::string hotp(std::string_view key, std::uint64_t counter) {
    std::array<char, 8> msg{};
    for (int i = 7; i >= 0; --i) {
        msg[static_cast<std::size_t>(i)] = static_cast<char>(counter & 0xff);
        counter >>= 8;
    }
    const std::string mac = hmac_sha1(key, std::string_view(msg.data(), msg.size()));
    const auto byte = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(mac[i]));
    };
    const std::size_t offset = byte(mac.size() - 1) & 0x0f;
    const std::uint32_t binary = ((byte(offset) & 0x7f) << 24) | (byte(offset + 1) << 16) |
                                 (byte(offset + 2) << 8) | byte(offset + 3);
    std::uint32_t value = binary % 1000000;  // 10^kDigits
    std::string out(kDigits, '0');
    for (int i = kDigits - 1; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return out;
}

char hex_digit(unsigned v) noexcept { return "0123456789ABCDEF"[v & 0x0f]; }

std::string percent_encode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex_digit(c >> 4));
            out.push_back(hex_digit(c));
        }
    }
    return out;
}

}  // namespace

std::string base32_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 8 + 4) / 5);
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(kBase32[(acc >> bits) & 31]);
        }
    }
    if (bits > 0) out.push_back(kBase32[(acc << (5 - bits)) & 31]);
    return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    std::size_t symbols = 0;
    bool padding = false;
    for (char c : text) {
        if (c == ' ') continue;
        if (c == '=') {
            padding = true;
            continue;
        }
        if (padding) return std::nullopt;  // '=' only at the end
        const int v = base32_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        ++symbols;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    // 1, 3 or 6 symbols past a full 8-symbol block encode no whole byte: not from an encoder.
    const std::size_t rest = symbols % 8;
    if (rest == 1 || rest == 3 || rest == 6) return std::nullopt;
    return out;
}

std::string new_secret() { return base32_encode(random_bytes(kSecretBytes)); }

std::int64_t step_of(std::int64_t now_s) noexcept {
    // Floor division, so a (theoretical) time before 1970 does not share step 0 with 1970.
    return now_s >= 0 ? now_s / kStepSeconds : -((-now_s + kStepSeconds - 1) / kStepSeconds);
}

std::string code_at(std::string_view secret_base32, std::int64_t step) {
    const auto key = base32_decode(secret_base32);
    if (!key || key->empty()) throw std::invalid_argument("the TOTP secret is not base32");
    if (step < 0) throw std::invalid_argument("the TOTP step is negative");
    return hotp(*key, static_cast<std::uint64_t>(step));
}

std::optional<std::int64_t> verify(std::string_view secret_base32, std::string_view code,
                                   std::int64_t now_s, std::optional<std::int64_t> last_used_step,
                                   int window) {
    if (code.size() != static_cast<std::size_t>(kDigits) ||
        !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    const auto key = base32_decode(secret_base32);
    if (!key || key->empty()) return std::nullopt;
    window = std::max(window, 0);
    const std::int64_t now_step = step_of(now_s);
    std::optional<std::int64_t> match;
    // Every step of the window is computed and compared, so the time does not tell which one
    // matched. The latest match wins: recording it as used refuses the same code afterwards even
    // if it happens to collide with another step's code.
    for (std::int64_t step = now_step - window; step <= now_step + window; ++step) {
        if (step < 0) continue;
        const bool equal = constant_time_equal(hotp(*key, static_cast<std::uint64_t>(step)), code);
        if (equal && (!last_used_step || step > *last_used_step)) match = step;
    }
    return match;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32) {
    const std::string enc_issuer = percent_encode(issuer);
    std::string uri = "otpauth://totp/" + enc_issuer + ":" + percent_encode(account);
    uri += "?secret=" + percent_encode(secret_base32);
    uri += "&issuer=" + enc_issuer;
    uri += "&algorithm=SHA1&digits=" + std::to_string(kDigits) +
           "&period=" + std::to_string(kStepSeconds);
    return uri;
}

std::vector<std::string> new_recovery_codes(int n) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::vector<std::string> codes;
    codes.reserve(static_cast<std::size_t>(std::max(n, 0)));
    for (int i = 0; i < n; ++i) {
        std::string code;
        for (int j = 0; j < 12; ++j) {
            if (j > 0 && j % 4 == 0) code.push_back('-');
            code.push_back(kRecoveryAlphabet[randombytes_uniform(
                static_cast<std::uint32_t>(kRecoveryAlphabet.size()))]);
        }
        codes.push_back(std::move(code));
    }
    return codes;
}

std::string normalize_recovery_code(std::string_view code) {
    std::string out;
    out.reserve(code.size());
    for (char c : code) {
        if (c == ' ' || c == '-') continue;
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        // The alphabet has no i, l or o, so a typed look-alike can only mean the digit.
        if (c == 'o') c = '0';
        if (c == 'i' || c == 'l') c = '1';
        out.push_back(c);
    }
    return out;
}

}  // namespace kontor::identity::totp
