#pragma once
// Access tokens: JWT (RFC 7519) signed with HMAC-SHA256 (JWS "HS256") and a key id, so keys can
// rotate: the first key of the ring signs, every key in the ring verifies (KONTOR_JWT_KEYS).
// Only HS256 is accepted; "none" and every other alg are refused. Thread-safe (immutable).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontor/core/error.hpp"

namespace kontor::identity::jwt {

struct Key {
    std::string kid;     // 1-64 characters of [A-Za-z0-9._-]
    std::string secret;  // raw bytes, at least 32
};

class KeyRing {
public:
    // Throws std::invalid_argument when empty, a kid repeats or is malformed, or a secret is short.
    explicit KeyRing(std::vector<Key> keys);
    // "kid1:<base64url secret>,kid2:<base64url secret>" (the form of KONTOR_JWT_KEYS).
    // Errors: validation_failed with a detail naming the bad entry (never the secret).
    static core::Result<KeyRing> parse(std::string_view spec);

    const Key& signing() const noexcept { return keys_.front(); }
    const Key* find(std::string_view kid) const noexcept;
    const std::vector<Key>& keys() const noexcept { return keys_; }

private:
    std::vector<Key> keys_;
};

struct Claims {
    std::string iss;
    std::string aud;
    std::string sub;                 // user id
    std::optional<std::string> tid;  // tenant id; absent for the platform ADMIN
    std::string role;                // informational; the server re-reads the role per request
    std::string sid;                 // sign-in (refresh family) id
    std::string jti;                 // unique token id (deny-list on logout)
    std::int64_t iat = 0;            // seconds since the epoch
    std::int64_t exp = 0;            // seconds since the epoch
};

// Header {"alg":"HS256","typ":"JWT","kid":<signing kid>}; compact serialisation.
std::string sign(const Claims& claims, const KeyRing& keys);

// Checks, in order: three base64url parts; header alg exactly "HS256" and a kid in the ring;
// the signature (constant time); iss and aud equal the expected values; exp > now_s; iat not more
// than 60 s in the future; sub, sid and jti present. Any failure → unauthenticated with a short
// detail ("The access token has expired." …) that never echoes the token.
core::Result<Claims> verify(std::string_view token, const KeyRing& keys, std::string_view issuer,
                            std::string_view audience, std::int64_t now_s);

}  // namespace kontor::identity::jwt
