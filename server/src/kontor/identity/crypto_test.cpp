#include "kontor/identity/crypto.hpp"

#include <gtest/gtest.h>

#include <set>

namespace kontor::identity {
namespace {

std::string hex(std::string_view bytes) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0x0f]);
    }
    return out;
}

TEST(Crypto, Base64UrlRfc4648Vectors) {
    // RFC 4648 §10 without padding; the URL alphabet only differs in characters 62 and 63.
    const std::pair<std::string_view, std::string_view> vectors[] = {
        {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64url_encode(plain), encoded);
        EXPECT_EQ(base64url_decode(encoded), std::string(plain));
    }
    EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
    EXPECT_EQ(base64url_decode("-_-_"), std::string("\xfb\xff\xbf"));
}

TEST(Crypto, Base64UrlRejectsWhatItDoesNotProduce) {
    EXPECT_FALSE(base64url_decode("Zg=="));   // padding
    EXPECT_FALSE(base64url_decode("+/+/"));   // standard alphabet
    EXPECT_FALSE(base64url_decode("Zm9 v"));  // whitespace
    EXPECT_FALSE(base64url_decode("Zm9vY"));  // impossible length
    EXPECT_FALSE(base64url_decode("Zh"));     // non-zero unused bits: a second spelling of "f"
    EXPECT_FALSE(base64url_decode(std::string_view("Zm\0v", 4)));
}

TEST(Crypto, Base64UrlRoundTripsAllByteValues) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t n = 0; n <= all.size(); n += 37) {
        const std::string part = all.substr(0, n);
        EXPECT_EQ(base64url_decode(base64url_encode(part)), part) << n;
    }
}

TEST(Crypto, Sha256KnownAnswers) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, HmacKnownAnswers) {
    // RFC 4231 test case 2 and RFC 2202 test case 2.
    EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(hex(hmac_sha1("Jefe", "what do ya want for nothing?")),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    // RFC 4231 test case 1: 20 bytes of 0x0b.
    EXPECT_EQ(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hmac_sha256("", "").size(), 32u);
    EXPECT_EQ(hmac_sha1("", "").size(), 20u);
}

TEST(Crypto, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("same bytes", "same bytes"));
    EXPECT_FALSE(constant_time_equal("same bytes", "same bytez"));
    EXPECT_FALSE(constant_time_equal("Same bytes", "same bytes"));
    EXPECT_FALSE(constant_time_equal("prefix", "prefix and more"));
    EXPECT_FALSE(constant_time_equal("", "x"));
    EXPECT_FALSE(constant_time_equal("x", ""));
    EXPECT_TRUE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
    EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

TEST(Crypto, RandomBytesAndTokens) {
    EXPECT_EQ(random_bytes(0), "");
    EXPECT_EQ(random_bytes(64).size(), 64u);
    std::set<std::string> tokens;
    for (int i = 0; i < 100; ++i) {
        const std::string t = random_token();
        EXPECT_EQ(t.size(), 43u);  // 32 bytes, base64url without padding
        const auto raw = base64url_decode(t);
        ASSERT_TRUE(raw);
        EXPECT_EQ(raw->size(), 32u);
        tokens.insert(t);
    }
    EXPECT_EQ(tokens.size(), 100u);
    EXPECT_EQ(random_token(16).size(), 22u);
}

}  // namespace
}  // namespace kontor::identity
