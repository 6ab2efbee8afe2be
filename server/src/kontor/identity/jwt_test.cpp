#include "kontor/identity/jwt.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "kontor/identity/crypto.hpp"

namespace kontor::identity::jwt {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::string_view kIss = "https://kontor.example";
constexpr std::string_view kAud = "kontor-api";

const std::string kSecret1(32, 'a');
const std::string kSecret2 = "a different secret of enough length!";

KeyRing ring() { return KeyRing({{"k1", kSecret1}, {"k2", kSecret2}}); }

Claims make_claims() {
    Claims c;
    c.iss = std::string(kIss);
    c.aud = std::string(kAud);
    c.sub = "user-1";
    c.tid = "tenant-1";
    c.role = "AGENT";
    c.sid = "signin-1";
    c.jti = "token-1";
    c.iat = kNow - 10;
    c.exp = kNow + 600;
    return c;
}

nlohmann::json claims_json() {
    return {{"iss", kIss},       {"aud", kAud},      {"sub", "user-1"},
            {"tid", "tenant-1"}, {"role", "AGENT"},  {"sid", "signin-1"},
            {"jti", "token-1"},  {"iat", kNow - 10}, {"exp", kNow + 600}};
}

// A token with any header and body, signed HS256-style with `secret`: lets the tests build
// what an attacker would send.
std::string forge(const std::string& header, const std::string& body, std::string_view secret) {
    const std::string input = base64url_encode(header) + "." + base64url_encode(body);
    return input + "." + base64url_encode(hmac_sha256(secret, input));
}
std::string forge(const nlohmann::json& header, const nlohmann::json& body,
                  std::string_view secret = kSecret1) {
    return forge(header.dump(), body.dump(), secret);
}
nlohmann::json hs256(std::string_view kid = "k1") {
    return {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", kid}};
}

// Refused as unauthenticated, and the detail never repeats the token.
void expect_refused(const std::string& token, std::int64_t now = kNow) {
    const auto r = verify(token, ring(), kIss, kAud, now);
    ASSERT_FALSE(r) << token;
    EXPECT_EQ(r.error().code, core::ErrorCode::kUnauthenticated);
    EXPECT_FALSE(r.error().detail.empty());
    if (!token.empty()) {
        EXPECT_EQ(r.error().detail.find(token), std::string::npos);
    }
}

TEST(Jwt, SignAndVerifyRoundTrip) {
    const std::string token = sign(make_claims(), ring());
    const auto r = verify(token, ring(), kIss, kAud, kNow);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->iss, kIss);
    EXPECT_EQ(r->aud, kAud);
    EXPECT_EQ(r->sub, "user-1");
    EXPECT_EQ(r->tid, "tenant-1");
    EXPECT_EQ(r->role, "AGENT");
    EXPECT_EQ(r->sid, "signin-1");
    EXPECT_EQ(r->jti, "token-1");
    EXPECT_EQ(r->iat, kNow - 10);
    EXPECT_EQ(r->exp, kNow + 600);
}

TEST(Jwt, HeaderAndClaimNames) {
    Claims c = make_claims();
    c.tid.reset();
    const std::string token = sign(c, ring());
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    const auto header = nlohmann::json::parse(*base64url_decode(token.substr(0, first)));
    EXPECT_EQ(header, (nlohmann::json{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "k1"}}));
    const auto body =
        nlohmann::json::parse(*base64url_decode(token.substr(first + 1, second - first - 1)));
    EXPECT_FALSE(body.contains("tid"));  // the platform ADMIN has no tenant
    for (const char* name : {"iss", "aud", "sub", "role", "sid", "jti", "iat", "exp"})
        EXPECT_TRUE(body.contains(name)) << name;
    const auto r = verify(token, ring(), kIss, kAud, kNow);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_FALSE(r->tid);
}

TEST(Jwt, KeyRotation) {
    const KeyRing old_ring({{"k1", kSecret1}});
    const KeyRing new_ring({{"k2", kSecret2}, {"k1", kSecret1}});
    // Tokens from before the rotation still verify; new ones are signed with the new first key.
    EXPECT_TRUE(verify(sign(make_claims(), old_ring), new_ring, kIss, kAud, kNow));
    const std::string fresh = sign(make_claims(), new_ring);
    EXPECT_TRUE(verify(fresh, new_ring, kIss, kAud, kNow));
    EXPECT_FALSE(verify(fresh, old_ring, kIss, kAud, kNow));  // k2 unknown there
}

TEST(Jwt, RefusesOtherAlgorithms) {
    const auto body = claims_json();
    for (const char* alg : {"none", "None", "HS512", "RS256", "ES256", "hs256", ""}) {
        SCOPED_TRACE(alg);
        expect_refused(forge({{"alg", alg}, {"typ", "JWT"}, {"kid", "k1"}}, body));
    }
    expect_refused(forge({{"typ", "JWT"}, {"kid", "k1"}}, body));    // no alg
    expect_refused(forge({{"alg", nullptr}, {"kid", "k1"}}, body));  // alg not a string
    // The classic "none" token: no signature at all.
    const std::string unsigned_token =
        base64url_encode(nlohmann::json{{"alg", "none"}, {"kid", "k1"}}.dump()) + "." +
        base64url_encode(body.dump()) + ".";
    expect_refused(unsigned_token);
    // Unknown critical extensions must not be ignored.
    auto crit = hs256();
    crit["crit"] = {"exp"};
    expect_refused(forge(crit, body));
}

TEST(Jwt, RefusesMissingOrUnknownKid) {
    const auto body = claims_json();
    expect_refused(forge({{"alg", "HS256"}, {"typ", "JWT"}}, body));
    expect_refused(forge(hs256("k3"), body));
    expect_refused(forge({{"alg", "HS256"}, {"kid", 1}}, body));
    expect_refused(forge(hs256(""), body));
    EXPECT_TRUE(verify(forge(hs256("k2"), body, kSecret2), ring(), kIss, kAud, kNow));
}

TEST(Jwt, RefusesBadSignatures) {
    const auto body = claims_json();
    // Right kid, wrong secret (k2's secret under k1's name).
    expect_refused(forge(hs256("k1"), body, kSecret2));
    // A changed payload under the original signature.
    const std::string token = sign(make_claims(), ring());
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    auto tampered_body = claims_json();
    tampered_body["role"] = "ADMIN";
    expect_refused(token.substr(0, first + 1) + base64url_encode(tampered_body.dump()) +
                   token.substr(second));
    // A changed signature byte, a truncated and an empty signature.
    std::string flipped = token;
    flipped[second + 1] = flipped[second + 1] == 'A' ? 'B' : 'A';
    expect_refused(flipped);
    expect_refused(token.substr(0, token.size() - 4));
    expect_refused(token.substr(0, second + 1));
}

TEST(Jwt, RefusesWrongIssuerOrAudience) {
    const std::string token = sign(make_claims(), ring());
    EXPECT_FALSE(verify(token, ring(), "https://other.example", kAud, kNow));
    EXPECT_FALSE(verify(token, ring(), kIss, "other-api", kNow));
    auto body = claims_json();
    body["aud"] = {kAud};  // we only issue a plain string
    expect_refused(forge(hs256(), body));
    body = claims_json();
    body.erase("iss");
    expect_refused(forge(hs256(), body));
}

TEST(Jwt, ExpiryAndIssuedAt) {
    const std::string token = sign(make_claims(), ring());
    EXPECT_TRUE(verify(token, ring(), kIss, kAud, kNow + 599));
    const auto expired = verify(token, ring(), kIss, kAud, kNow + 600);  // exp must be > now
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().detail, "The access token has expired.");
    expect_refused(token, kNow + 10'000);

    Claims future = make_claims();
    future.iat = kNow + 60;  // clock skew allowance
    EXPECT_TRUE(verify(sign(future, ring()), ring(), kIss, kAud, kNow));
    future.iat = kNow + 61;
    expect_refused(sign(future, ring()));

    for (const char* field : {"exp", "iat"}) {
        SCOPED_TRACE(field);
        auto body = claims_json();
        body.erase(field);
        expect_refused(forge(hs256(), body));
        body[field] = std::to_string(kNow + 600);  // a string, not a number
        expect_refused(forge(hs256(), body));
        body[field] = static_cast<double>(kNow) + 600.5;
        expect_refused(forge(hs256(), body));
    }
    auto body = claims_json();
    body["exp"] = std::numeric_limits<std::uint64_t>::max();
    expect_refused(forge(hs256(), body));
}

TEST(Jwt, RefusesMissingSubjectSessionOrId) {
    for (const char* field : {"sub", "sid", "jti"}) {
        SCOPED_TRACE(field);
        auto body = claims_json();
        body.erase(field);
        expect_refused(forge(hs256(), body));
        body[field] = "";
        expect_refused(forge(hs256(), body));
        body[field] = 42;
        expect_refused(forge(hs256(), body));
    }
    auto body = claims_json();
    body["tid"] = 7;
    expect_refused(forge(hs256(), body));
    body = claims_json();
    body["role"] = nullptr;
    expect_refused(forge(hs256(), body));
}

TEST(Jwt, RefusesMalformedStructure) {
    const std::string token = sign(make_claims(), ring());
    expect_refused("");
    expect_refused("..");
    expect_refused("abc");
    expect_refused(token.substr(0, token.rfind('.')));  // two parts
    expect_refused(token + ".extra");                   // four parts
    expect_refused(token + ".");
    // Characters outside base64url: padding, the standard alphabet, whitespace.
    expect_refused(token + "=");
    std::string plus = token;
    plus[1] = '+';
    expect_refused(plus);
    expect_refused(" " + token);
    // Signed correctly, but the JSON is not an object (or not JSON).
    const std::string obj = claims_json().dump();
    const std::string hdr = hs256().dump();
    expect_refused(forge("[]", obj, kSecret1));
    expect_refused(forge("\"HS256\"", obj, kSecret1));
    expect_refused(forge(hdr, "[1,2]", kSecret1));
    expect_refused(forge(hdr, "\"claims\"", kSecret1));
    expect_refused(forge(hdr, "not json", kSecret1));
    expect_refused(forge(hdr, obj + "x", kSecret1));
    EXPECT_TRUE(verify(forge(hdr, obj, kSecret1), ring(), kIss, kAud, kNow));
}

TEST(Jwt, KeyRingConstructorValidates) {
    EXPECT_THROW(KeyRing({}), std::invalid_argument);
    EXPECT_THROW(KeyRing({{"k1", std::string(31, 'x')}}), std::invalid_argument);
    EXPECT_THROW(KeyRing({{"k1", kSecret1}, {"k1", kSecret2}}), std::invalid_argument);
    EXPECT_THROW(KeyRing({{"", kSecret1}}), std::invalid_argument);
    EXPECT_THROW(KeyRing({{"k 1", kSecret1}}), std::invalid_argument);
    EXPECT_THROW(KeyRing({{std::string(65, 'k'), kSecret1}}), std::invalid_argument);
    EXPECT_NO_THROW(KeyRing({{std::string(64, 'k'), kSecret1}}));
    EXPECT_NO_THROW(KeyRing({{"2026-01.a_B", kSecret1}}));
    const KeyRing r = ring();
    EXPECT_EQ(r.signing().kid, "k1");
    ASSERT_NE(r.find("k2"), nullptr);
    EXPECT_EQ(r.find("k2")->secret, kSecret2);
    EXPECT_EQ(r.find("k3"), nullptr);
    EXPECT_EQ(r.keys().size(), 2u);
}

TEST(Jwt, KeyRingParse) {
    const std::string s1 = base64url_encode(kSecret1);
    const std::string s2 = base64url_encode(kSecret2);
    const auto r = KeyRing::parse("k1:" + s1 + ", k2:" + s2);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->signing().kid, "k1");
    EXPECT_EQ(r->signing().secret, kSecret1);
    ASSERT_NE(r->find("k2"), nullptr);
    EXPECT_EQ(r->find("k2")->secret, kSecret2);

    const std::string short_secret = base64url_encode(std::string(31, 's'));
    const std::pair<std::string, std::string> bad[] = {
        {"", "empty"},
        {"   ", "empty"},
        {"k1" + s1, "entry 1"},                                  // no colon
        {"k1:" + s1 + ",", "entry 2"},                           // trailing comma
        {"k1:" + s1 + ",k1:" + s2, "entry 2 ('k1')"},            // repeated kid
        {"k1:" + s1 + ",k2:" + short_secret, "entry 2 ('k2')"},  // short
        {"k1:" + s1 + "==", "entry 1 ('k1')"},                   // padding
        {"k/1:" + s1, "entry 1"},                                // bad kid
        {":" + s1, "entry 1"},
    };
    for (const auto& [spec, where] : bad) {
        SCOPED_TRACE(spec);
        const auto e = KeyRing::parse(spec);
        ASSERT_FALSE(e);
        EXPECT_EQ(e.error().code, core::ErrorCode::kValidation);
        EXPECT_NE(e.error().detail.find(where), std::string::npos) << e.error().detail;
        EXPECT_EQ(e.error().detail.find(s1), std::string::npos);
        EXPECT_EQ(e.error().detail.find(short_secret), std::string::npos);
    }
}

}  // namespace
}  // namespace kontor::identity::jwt
