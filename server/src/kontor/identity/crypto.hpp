#pragma once
// Small cryptographic helpers over libsodium and OpenSSL, so the rest of the code never touches
// their C APIs. All functions are thread-safe.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kontor::identity {

std::string random_bytes(std::size_t n);  // from the OS CSPRNG (libsodium)
// n random bytes as base64url without padding: opaque tokens (refresh, invite, CSRF).
std::string random_token(std::size_t bytes = 32);

std::string base64url_encode(std::string_view bytes);  // RFC 4648 §5, no padding
// nullopt on characters outside the alphabet, '=' padding, or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

std::string sha256_hex(std::string_view data);                         // lower-case hex
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string hmac_sha1(std::string_view key, std::string_view data);    // 20 raw bytes (TOTP)
// Compares in time that depends only on the lengths, never on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace kontor::identity
