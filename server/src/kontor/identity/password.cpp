#include "kontor/identity/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace kontor::identity {
namespace {

void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The most common passwords of at least 12 characters in public breach corpora; a short list by
// design (the length rule already excludes the short ones).
constexpr std::array<std::string_view, 24> kCommon{
    "123456789012", "1234567890123", "12345678901234",   "qwertyuiopas", "qwerty123456",
    "password1234", "password12345", "passwordpassword", "iloveyou1234", "111111111111",
    "000000000000", "123123123123",  "abc123abc123",     "qwertyqwerty", "letmein12345",
    "welcome12345", "administrator", "changeme1234",     "1q2w3e4r5t6y", "1qaz2wsx3edc",
    "zaq12wsxcde3", "passw0rd1234",  "trustno1trustno1", "football1234"};

}  // namespace

std::string hash_password(std::string_view password) {
    ensure_sodium();
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw std::runtime_error("password hashing ran out of memory");
    }
    return std::string(out.data());
}

bool verify_password(std::string_view password, const std::string& hash) {
    ensure_sodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view email) {
    if (password.size() < 12) return "must be at least 12 characters long";
    if (password.size() > 256) return "must be at most 256 bytes long";
    const std::string p = lower(password);
    if (!email.empty() && (p == lower(email) || p == lower(email.substr(0, email.find('@'))))) {
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
