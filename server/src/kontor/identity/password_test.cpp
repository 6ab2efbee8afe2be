#include "kontor/identity/password.hpp"

#include <crypt.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace kontor::identity {
namespace {

// A bcrypt hash made the way an older system would have: libxcrypt, cost 4 to keep tests fast.
std::string bcrypt(const std::string& password, const char* prefix = "$2b$") {
    std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> salt{};
    if (crypt_gensalt_rn(prefix, 4, nullptr, 0, salt.data(), static_cast<int>(salt.size())) ==
        nullptr) {
        throw std::runtime_error("crypt_gensalt_rn failed");
    }
    auto data = std::make_unique<crypt_data>();
    const char* out = crypt_r(password.c_str(), salt.data(), data.get());
    if (out == nullptr || out[0] != '$') throw std::runtime_error("crypt_r failed");
    return out;
}

std::string argon2id(unsigned long long ops, std::size_t mem) {
    if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str_alg(out.data(), "pw", 2, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("crypto_pwhash_str_alg failed");
    return out.data();
}

TEST(PasswordBcrypt, VerifiesLegacyHashes) {
    const std::string hash = bcrypt("an old passphrase");
    ASSERT_TRUE(hash.starts_with("$2b$04$")) << hash;
    EXPECT_TRUE(verify_password("an old passphrase", hash));
    EXPECT_FALSE(verify_password("an old passphrasE", hash));
    EXPECT_FALSE(verify_password("", hash));
    EXPECT_FALSE(verify_password(std::string_view("an old passphrase\0x", 19), hash));
    EXPECT_TRUE(needs_rehash(hash));
}

TEST(PasswordBcrypt, AcceptsAllPrefixes) {
    // $2a$ and $2y$ come from PHP and older OpenBSD; for ASCII passwords they hash like $2b$.
    const std::string hash_b = bcrypt("legacy password one");
    for (const char* prefix : {"$2a$", "$2y$"}) {
        SCOPED_TRACE(prefix);
        const std::string hash = std::string(prefix) + hash_b.substr(4);
        EXPECT_TRUE(verify_password("legacy password one", hash));
        EXPECT_FALSE(verify_password("legacy password two", hash));
        EXPECT_TRUE(needs_rehash(hash));
    }
    const std::string hash_a = bcrypt("made as 2a", "$2a$");
    ASSERT_TRUE(hash_a.starts_with("$2a$04$")) << hash_a;
    EXPECT_TRUE(verify_password("made as 2a", hash_a));
}

TEST(PasswordBcrypt, MalformedHashesNeverVerify) {
    const std::string hash = bcrypt("some password here");
    EXPECT_FALSE(verify_password("some password here", hash.substr(0, hash.size() - 1)));
    EXPECT_FALSE(verify_password("some password here", hash.substr(0, 29)));  // setting only
    EXPECT_FALSE(verify_password("some password here", "$2b$04$"));
    EXPECT_FALSE(verify_password("some password here", "$2b$"));
    EXPECT_FALSE(verify_password("some password here", "$2x$04$abcdefghijklmnopqrstuv"));
    EXPECT_FALSE(verify_password("some password here", hash + "x"));
    std::string other = hash;
    other.back() = other.back() == 'a' ? 'b' : 'a';
    EXPECT_FALSE(verify_password("some password here", other));
    EXPECT_FALSE(verify_password("", ""));
}

TEST(PasswordRehash, Argon2id) {
    EXPECT_FALSE(needs_rehash(hash_password("a sound passphrase")));
    // Weaker (and merely different) parameters are replaced.
    EXPECT_TRUE(needs_rehash(argon2id(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN)));
    EXPECT_TRUE(needs_rehash(
        argon2id(crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_INTERACTIVE)));
    // Argon2i hashes verify, but are not what we store today.
    std::array<char, crypto_pwhash_STRBYTES> argon2i{};
    ASSERT_EQ(crypto_pwhash_str_alg(
                  argon2i.data(), "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_INTERACTIVE,
                  crypto_pwhash_argon2i_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2I13),
              0);
    EXPECT_TRUE(verify_password("pw", argon2i.data()));
    EXPECT_TRUE(needs_rehash(argon2i.data()));
    EXPECT_TRUE(needs_rehash("not a hash"));
    EXPECT_TRUE(needs_rehash(""));
}

}  // namespace
}  // namespace kontor::identity
