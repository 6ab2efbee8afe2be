#include "kontor/identity/password.hpp"

#include <crypt.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <stdexcept>

#include "kontor/core/text.hpp"
#include "kontor/identity/crypto.hpp"

namespace kontor::identity {
namespace {

// One place for the Argon2id cost, so needs_rehash() compares against what hash_password() uses.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

using core::ascii_lower;

// The most common passwords of at least 12 characters in public breach corpora; a short list by
// design (the length rule already excludes the short ones).
constexpr std::array<std::string_view, 24> kCommon{
    "123456789012", "1234567890123", "12345678901234",   "qwertyuiopas", "qwerty123456",
    "password1234", "password12345", "passwordpassword", "iloveyou1234", "111111111111",
    "000000000000", "123123123123",  "abc123abc123",     "qwertyqwerty", "letmein12345",
    "welcome12345", "administrator", "changeme1234",     "1q2w3e4r5t6y", "1qaz2wsx3edc",
    "zaq12wsxcde3", "passw0rd1234",  "trustno1trustno1", "football1234"};

bool is_bcrypt(std::string_view hash) {
    return hash.starts_with("$2a$") || hash.starts_with("$2b$") || hash.starts_with("$2y$");
}

// Legacy hashes imported from an older system. crypt_r recomputes the hash with the stored
// setting (cost and salt); the result is compared in constant time.
bool verify_bcrypt(std::string_view password, const std::string& hash) {
    // crypt_r takes a C string: a password with a NUL inside could only match a shorter one.
    if (password.find('\0') != std::string_view::npos) return false;
    const std::string phrase(password);
    // struct crypt_data is some 32 kB: too big for the stack of a pool thread. It must start
    // zeroed (libxcrypt reads its `initialized` field); make_unique value-initialises it.
    auto data = std::make_unique<crypt_data>();
    const char* out = crypt_r(phrase.c_str(), hash.c_str(), data.get());
    // On failure libxcrypt returns null or a string starting with '*' that never equals a hash.
    if (out == nullptr || out[0] != '$') return false;
    return constant_time_equal(out, hash);
}

}  // namespace

const std::string& timing_dummy_hash() {
    static const std::string hash = hash_password("kontor-timing-equaliser");
    return hash;
}

std::string hash_password(std::string_view password) {
    ensure_sodium();
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit) !=
        0) {
        throw std::runtime_error("password hashing ran out of memory");
    }
    return std::string(out.data());
}

bool verify_password(std::string_view password, const std::string& hash) {
    if (is_bcrypt(hash)) return verify_bcrypt(password, hash);
    ensure_sodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& hash) {
    if (is_bcrypt(hash)) return true;
    ensure_sodium();
    // 1: other parameters, -1: not an Argon2id string at all; either way hash anew.
    return crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != 0;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view email) {
    if (password.size() < 12) return "must be at least 12 characters long";
    if (password.size() > 256) return "must be at most 256 bytes long";
    const std::string p = ascii_lower(password);
    if (!email.empty() &&
        (p == ascii_lower(email) || p == ascii_lower(email.substr(0, email.find('@'))))) {
        return "must not be the e-mail address";
    }
    if (std::find(kCommon.begin(), kCommon.end(), p) != kCommon.end())
        return "is a well-known password";
    return std::nullopt;
}

std::string generate_password() {
    ensure_sodium();
    static constexpr std::string_view kAlphabet =
        "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    std::string out;
    for (int i = 0; i < 20; ++i)
        out.push_back(kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))]);
    return out;
}

}  // namespace kontor::identity
