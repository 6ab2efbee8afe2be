#include "kontor/identity/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>

namespace kontor::identity {
namespace {

void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

// OpenSSL may treat a null pointer with length 0 as "no key" and fail; an empty view's data()
// can be null, so hand it a valid address instead.
const unsigned char* bytes_of(std::string_view s) noexcept {
    static constexpr unsigned char kEmpty = 0;
    return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    if (HMAC(md, bytes_of(key), static_cast<int>(key.size()), bytes_of(data), data.size(),
             out.data(), &len) == nullptr) {
        throw std::runtime_error("HMAC computation failed");
    }
    return std::string(reinterpret_cast<const char*>(out.data()), len);
}

}  // namespace

std::string random_bytes(std::size_t n) {
    ensure_sodium();
    std::string out(n, '\0');
    if (n > 0) randombytes_buf(out.data(), n);
    return out;
}

std::string random_token(std::size_t bytes) { return base64url_encode(random_bytes(bytes)); }

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                                (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                                std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
        out.push_back(kBase64Url[(v >> 18) & 63]);
        out.push_back(kBase64Url[(v >> 12) & 63]);
        out.push_back(kBase64Url[(v >> 6) & 63]);
        out.push_back(kBase64Url[v & 63]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
        out.push_back(kBase64Url[(v >> 18) & 63]);
        out.push_back(kBase64Url[(v >> 12) & 63]);
    } else if (rest == 2) {
        const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                                (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8);
        out.push_back(kBase64Url[(v >> 18) & 63]);
        out.push_back(kBase64Url[(v >> 12) & 63]);
        out.push_back(kBase64Url[(v >> 6) & 63]);
    }
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    // A single leftover character carries only 6 bits: no byte string encodes to that length.
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = base64url_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    // Unused low bits must be zero, so every byte string has exactly one accepted spelling (a
    // token cannot be altered into a second form that still verifies).
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    if (EVP_Digest(bytes_of(data), data.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 computation failed");
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(kHex[digest[i] >> 4]);
        out.push_back(kHex[digest[i] & 0x0f]);
    }
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    return hmac(EVP_sha256(), key, data);
}

std::string hmac_sha1(std::string_view key, std::string_view data) {
    return hmac(EVP_sha1(), key, data);
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        // Still walk the input once so the time depends on the lengths only, not on an early
        // exit that an observer could tell apart from a content comparison.
        (void)CRYPTO_memcmp(bytes_of(a), bytes_of(a), a.size());
        return false;
    }
    return CRYPTO_memcmp(bytes_of(a), bytes_of(b), a.size()) == 0;
}

}  // namespace kontor::identity
