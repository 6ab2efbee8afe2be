#include "kontor/identity/jwt.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_set>

#include "kontor/identity/crypto.hpp"

namespace kontor::identity::jwt {
namespace {

constexpr std::size_t kMinSecretBytes = 32;
constexpr std::size_t kMaxKidLength = 64;
constexpr std::int64_t kMaxClockSkewS = 60;

bool valid_kid(std::string_view kid) noexcept {
    if (kid.empty() || kid.size() > kMaxKidLength) return false;
    return std::all_of(kid.begin(), kid.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

std::unexpected<core::Error> refuse(std::string detail) {
    return core::fail(core::ErrorCode::kUnauthenticated, std::move(detail));
}

// A JSON integer that fits std::int64_t; floats, strings and huge unsigned values are refused.
std::optional<std::int64_t> int_field(const nlohmann::json& obj, const char* name) {
    const auto it = obj.find(name);
    if (it == obj.end()) return std::nullopt;
    if (it->is_number_unsigned()) {
        const auto v = it->get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    if (it->is_number_integer()) return it->get<std::int64_t>();
    return std::nullopt;
}

// nullopt when absent or not a string.
std::optional<std::string> string_field(const nlohmann::json& obj, const char* name) {
    const auto it = obj.find(name);
    if (it == obj.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

}  // namespace

KeyRing::KeyRing(std::vector<Key> keys) : keys_(std::move(keys)) {
    if (keys_.empty()) throw std::invalid_argument("a JWT key ring needs at least one key");
    std::unordered_set<std::string_view> seen;
    for (const Key& k : keys_) {
        if (!valid_kid(k.kid)) throw std::invalid_argument("a JWT key id is malformed");
        if (!seen.insert(k.kid).second)
            throw std::invalid_argument("the JWT key id '" + k.kid + "' repeats");
        if (k.secret.size() < kMinSecretBytes)
            throw std::invalid_argument("the JWT key '" + k.kid + "' is shorter than 32 bytes");
    }
}

core::Result<KeyRing> KeyRing::parse(std::string_view spec) {
    auto bad = [](std::size_t index, std::string_view kid, std::string_view why) {
        std::string detail = "KONTOR_JWT_KEYS entry " + std::to_string(index + 1);
        if (!kid.empty() && valid_kid(kid)) detail += " ('" + std::string(kid) + "')";
        detail += ": ";
        detail += why;
        return core::fail(core::ErrorCode::kValidation, std::move(detail));
    };
    std::vector<Key> keys;
    std::unordered_set<std::string> seen;
    std::size_t index = 0;
    std::size_t pos = 0;
    if (trim(spec).empty())
        return core::fail(core::ErrorCode::kValidation, "KONTOR_JWT_KEYS is empty");
    while (pos <= spec.size()) {
        const std::size_t comma = std::min(spec.find(',', pos), spec.size());
        const std::string_view entry = trim(spec.substr(pos, comma - pos));
        pos = comma + 1;
        const std::size_t colon = entry.find(':');
        if (colon == std::string_view::npos) return bad(index, {}, "expected <kid>:<secret>");
        const std::string_view kid = trim(entry.substr(0, colon));
        if (!valid_kid(kid))
            return bad(index, {}, "the key id must be 1-64 characters of A-Z a-z 0-9 . _ -");
        if (!seen.insert(std::string(kid)).second) return bad(index, kid, "the key id repeats");
        auto secret = base64url_decode(trim(entry.substr(colon + 1)));
        if (!secret) return bad(index, kid, "the secret is not base64url (without padding)");
        if (secret->size() < kMinSecretBytes)
            return bad(index, kid, "the secret must decode to at least 32 bytes");
        keys.push_back(Key{std::string(kid), std::move(*secret)});
        ++index;
    }
    return KeyRing(std::move(keys));
}

const Key* KeyRing::find(std::string_view kid) const noexcept {
    for (const Key& k : keys_)
        if (k.kid == kid) return &k;
    return nullptr;
}

std::string sign(const Claims& claims, const KeyRing& keys) {
    const Key& key = keys.signing();
    // ordered_json keeps the fields in the order RFC 7519 examples use; purely cosmetic.
    nlohmann::ordered_json header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", key.kid}};
    nlohmann::ordered_json body{{"iss", claims.iss}, {"aud", claims.aud}, {"sub", claims.sub}};
    if (claims.tid) body["tid"] = *claims.tid;
    body["role"] = claims.role;
    body["sid"] = claims.sid;
    body["jti"] = claims.jti;
    body["iat"] = claims.iat;
    body["exp"] = claims.exp;
    std::string input = base64url_encode(header.dump()) + "." + base64url_encode(body.dump());
    const std::string signature = hmac_sha256(key.secret, input);
    input += ".";
    input += base64url_encode(signature);
    return input;
}

core::Result<Claims> verify(std::string_view token, const KeyRing& keys, std::string_view issuer,
                            std::string_view audience, std::int64_t now_s) {
    const std::size_t dot1 = token.find('.');
    const std::size_t dot2 =
        dot1 == std::string_view::npos ? std::string_view::npos : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
        return refuse("The access token is malformed.");
    const std::string_view header_part = token.substr(0, dot1);
    const std::string_view body_part = token.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string_view signature_part = token.substr(dot2 + 1);
    const auto header_json = base64url_decode(header_part);
    const auto body_json = base64url_decode(body_part);
    const auto signature = base64url_decode(signature_part);
    if (!header_json || !body_json || !signature || header_part.empty() || body_part.empty() ||
        signature_part.empty()) {
        return refuse("The access token is malformed.");
    }

    const auto header = nlohmann::json::parse(*header_json, nullptr, false);
    if (!header.is_object()) return refuse("The access token is malformed.");
    if (string_field(header, "alg") != "HS256")
        return refuse("The access token uses an unsupported algorithm.");
    // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
    if (header.contains("crit")) return refuse("The access token uses an unsupported extension.");
    const auto kid = string_field(header, "kid");
    const Key* key = kid ? keys.find(*kid) : nullptr;
    if (key == nullptr) return refuse("The access token's key is unknown.");

    const std::string expected =
        hmac_sha256(key->secret, token.substr(0, dot2));  // header "." payload, as sent
    if (!constant_time_equal(expected, *signature))
        return refuse("The access token's signature is invalid.");

    // From here on the content is ours (the signature held), but still checked field by field.
    const auto body = nlohmann::json::parse(*body_json, nullptr, false);
    if (!body.is_object()) return refuse("The access token is malformed.");
    Claims c;
    auto iss = string_field(body, "iss");
    auto aud = string_field(body, "aud");
    if (!iss || !aud || *iss != issuer || *aud != audience)
        return refuse("The access token was not issued for this service.");
    const auto exp = int_field(body, "exp");
    const auto iat = int_field(body, "iat");
    if (!exp || !iat) return refuse("The access token is malformed.");
    if (*exp <= now_s) return refuse("The access token has expired.");
    if (*iat > now_s + kMaxClockSkewS) return refuse("The access token is not valid yet.");
    auto sub = string_field(body, "sub");
    auto sid = string_field(body, "sid");
    auto jti = string_field(body, "jti");
    if (!sub || !sid || !jti || sub->empty() || sid->empty() || jti->empty())
        return refuse("The access token is incomplete.");
    if (body.contains("tid")) {
        auto tid = string_field(body, "tid");
        if (!tid) return refuse("The access token is malformed.");
        c.tid = std::move(*tid);
    }
    if (body.contains("role")) {
        auto role = string_field(body, "role");
        if (!role) return refuse("The access token is malformed.");
        c.role = std::move(*role);
    }
    c.iss = std::move(*iss);
    c.aud = std::move(*aud);
    c.sub = std::move(*sub);
    c.sid = std::move(*sid);
    c.jti = std::move(*jti);
    c.iat = *iat;
    c.exp = *exp;
    return c;
}

}  // namespace kontor::identity::jwt
