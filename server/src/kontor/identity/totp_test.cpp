#include "kontor/identity/totp.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace kontor::identity::totp {
namespace {

// RFC 6238 appendix B uses the ASCII seed "12345678901234567890" for SHA-1.
const std::string kRfcSecret = base32_encode("12345678901234567890");

TEST(Totp, Rfc6238Sha1Vectors) {
    // The RFC lists 8 digits; a 6-digit code is the same value mod 10^6, i.e. the last six.
    const std::pair<std::int64_t, std::string_view> vectors[] = {
        {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
        {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}};
    for (const auto& [t, code] : vectors) {
        SCOPED_TRACE(t);
        EXPECT_EQ(code_at(kRfcSecret, step_of(t)), code);
        EXPECT_EQ(verify(kRfcSecret, code, t, std::nullopt, 0), step_of(t));
    }
}

TEST(Totp, StepOf) {
    EXPECT_EQ(step_of(0), 0);
    EXPECT_EQ(step_of(29), 0);
    EXPECT_EQ(step_of(30), 1);
    EXPECT_EQ(step_of(59), 1);
    EXPECT_EQ(step_of(1111111109), 37037036);
    EXPECT_EQ(step_of(-1), -1);
}

TEST(Totp, CodeAtRefusesMalformedSecrets) {
    EXPECT_THROW(code_at("not base32!", 1), std::invalid_argument);
    EXPECT_THROW(code_at("", 1), std::invalid_argument);
    // Lower case and spaces are how people type secrets in by hand.
    std::string spaced;
    for (char c : kRfcSecret) spaced.push_back(static_cast<char>(std::tolower(c)));
    spaced.insert(4, " ");
    EXPECT_EQ(code_at(spaced, step_of(59)), "287082");
}

TEST(Totp, VerifyWindow) {
    const std::int64_t t = 1234567890;
    const std::int64_t step = step_of(t);
    const std::string prev = code_at(kRfcSecret, step - 1);
    const std::string next = code_at(kRfcSecret, step + 1);
    const std::string two_back = code_at(kRfcSecret, step - 2);
    EXPECT_EQ(verify(kRfcSecret, prev, t, std::nullopt), step - 1);
    EXPECT_EQ(verify(kRfcSecret, next, t, std::nullopt), step + 1);
    EXPECT_FALSE(verify(kRfcSecret, two_back, t, std::nullopt));
    EXPECT_EQ(verify(kRfcSecret, two_back, t, std::nullopt, 2), step - 2);
    EXPECT_FALSE(verify(kRfcSecret, prev, t, std::nullopt, 0));
    EXPECT_FALSE(verify(kRfcSecret, next, t, std::nullopt, 0));
    EXPECT_FALSE(verify(kRfcSecret, "000000", t, std::nullopt));
}

TEST(Totp, VerifyRefusesReplay) {
    const std::int64_t t = 2000000000;
    const std::int64_t step = step_of(t);
    const std::string code = code_at(kRfcSecret, step);
    const auto used = verify(kRfcSecret, code, t, std::nullopt);
    ASSERT_EQ(used, step);
    // Same code again, now and a step later while still inside the window: refused.
    EXPECT_FALSE(verify(kRfcSecret, code, t, used));
    EXPECT_FALSE(verify(kRfcSecret, code, t + kStepSeconds, used));
    // An older code inside the window is refused once a later step was used.
    EXPECT_FALSE(verify(kRfcSecret, code_at(kRfcSecret, step - 1), t, used));
    // The next step's code is still good.
    EXPECT_EQ(verify(kRfcSecret, code_at(kRfcSecret, step + 1), t + kStepSeconds, used), step + 1);
}

TEST(Totp, VerifyRefusesMalformedInput) {
    const std::int64_t t = 59;
    EXPECT_FALSE(verify(kRfcSecret, "28708", t, std::nullopt));
    EXPECT_FALSE(verify(kRfcSecret, "2870820", t, std::nullopt));
    EXPECT_FALSE(verify(kRfcSecret, "28708a", t, std::nullopt));
    EXPECT_FALSE(verify(kRfcSecret, " 287082", t, std::nullopt));
    EXPECT_FALSE(verify(kRfcSecret, "", t, std::nullopt));
    EXPECT_FALSE(verify("not base32!", "287082", t, std::nullopt));
    EXPECT_FALSE(verify("", "287082", t, std::nullopt));
    EXPECT_TRUE(verify(kRfcSecret, "287082", t, std::nullopt));
}

TEST(Totp, Base32Rfc4648Vectors) {
    // RFC 4648 §10, without the padding we do not emit.
    const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                     {"f", "MY"},
                                                                     {"fo", "MZXQ"},
                                                                     {"foo", "MZXW6"},
                                                                     {"foob", "MZXW6YQ"},
                                                                     {"fooba", "MZXW6YTB"},
                                                                     {"foobar", "MZXW6YTBOI"}};
    for (const auto& [plain, encoded] : vectors) {
        SCOPED_TRACE(plain);
        EXPECT_EQ(base32_encode(plain), encoded);
        EXPECT_EQ(base32_decode(encoded), std::string(plain));
    }
    EXPECT_EQ(base32_decode("MZXW6YTBOI======"), "foobar");  // padding accepted at the end
    EXPECT_EQ(base32_decode("mzxw 6ytb oi"), "foobar");      // lower case and spaces
}

TEST(Totp, Base32RejectsOtherCharacters) {
    EXPECT_FALSE(base32_decode("MZXW6YT1"));  // 1 is not in the alphabet
    EXPECT_FALSE(base32_decode("MZXW6YT8"));
    EXPECT_FALSE(base32_decode("MZXW-6YTB"));
    EXPECT_FALSE(base32_decode("MZ=XW"));      // '=' only at the end
    EXPECT_FALSE(base32_decode("MZXW6YTBO"));  // 9 symbols: no whole byte in the last one
}

TEST(Totp, Base32RoundTrip) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(255 - i));
    for (std::size_t n = 0; n <= 40; ++n) {
        const std::string part = bytes.substr(n * 5, n);
        EXPECT_EQ(base32_decode(base32_encode(part)), part) << n;
    }
}

TEST(Totp, NewSecret) {
    const std::string s = new_secret();
    EXPECT_EQ(s.size(), 32u);  // 160 bits
    const auto raw = base32_decode(s);
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), 20u);
    EXPECT_NE(new_secret(), s);
    EXPECT_EQ(code_at(s, 1).size(), 6u);
}

TEST(Totp, OtpauthUri) {
    EXPECT_EQ(otpauth_uri("Kontor", "jane@acme.example", "JBSWY3DPEHPK3PXP"),
              "otpauth://totp/Kontor:jane%40acme.example?secret=JBSWY3DPEHPK3PXP&issuer=Kontor"
              "&algorithm=SHA1&digits=6&period=30");
    EXPECT_EQ(otpauth_uri("Acme & Co: Desk", "a b/c?d", "ABC"),
              "otpauth://totp/Acme%20%26%20Co%3A%20Desk:a%20b%2Fc%3Fd?secret=ABC"
              "&issuer=Acme%20%26%20Co%3A%20Desk&algorithm=SHA1&digits=6&period=30");
    EXPECT_EQ(otpauth_uri("Küche", "x", "ABC").substr(0, 27), "otpauth://totp/K%C3%BCche:x");
}

TEST(Totp, RecoveryCodes) {
    const auto codes = new_recovery_codes();
    ASSERT_EQ(codes.size(), 10u);
    std::set<std::string> unique(codes.begin(), codes.end());
    EXPECT_EQ(unique.size(), codes.size());
    for (const std::string& c : codes) {
        ASSERT_EQ(c.size(), 14u) << c;
        EXPECT_EQ(c[4], '-');
        EXPECT_EQ(c[9], '-');
        for (std::size_t i = 0; i < c.size(); ++i) {
            if (i == 4 || i == 9) continue;
            const char ch = c[i];
            EXPECT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) << c;
            EXPECT_EQ(std::string_view("ilou").find(ch), std::string_view::npos) << c;
        }
        EXPECT_EQ(normalize_recovery_code(c).size(), 12u);
    }
    EXPECT_EQ(new_recovery_codes(3).size(), 3u);
    EXPECT_TRUE(new_recovery_codes(0).empty());
}

TEST(Totp, NormalizeRecoveryCode) {
    EXPECT_EQ(normalize_recovery_code("ab12-cd34-ef56"), "ab12cd34ef56");
    EXPECT_EQ(normalize_recovery_code(" AB12 CD34-EF56 "), "ab12cd34ef56");
    // Look-alikes that are not in the alphabet are read as the digit they resemble.
    EXPECT_EQ(normalize_recovery_code("Oo0I-il1L"), "00011111");
}

}  // namespace
}  // namespace kontor::identity::totp
