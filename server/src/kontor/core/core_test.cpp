#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "kontor/core/clock.hpp"
#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/core/json_text.hpp"

namespace kontor::core {
namespace {

TEST(Uuid, IsVersion7AndSortsByTime) {
    const std::string a = new_uuid_v7();
    EXPECT_TRUE(is_uuid(a)) << a;
    EXPECT_EQ(a[14], '7');
    EXPECT_TRUE(a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b') << a;
    // The first 48 bits are the creation millisecond, so a later id never sorts before.
    const std::int64_t before = now_ms();
    const std::string b = new_uuid_v7();
    EXPECT_EQ(std::stoll(b.substr(0, 8) + b.substr(9, 4), nullptr, 16) >= before, true);
    EXPECT_LE(a.substr(0, 13), b.substr(0, 13));
}

TEST(Uuid, Unique) {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) ASSERT_TRUE(seen.insert(new_uuid_v7()).second);
}

TEST(Uuid, IdsOfOneProcessSortInCreationOrder) {
    std::string previous = new_uuid_v7();
    for (int i = 0; i < 20000; ++i) {  // many per millisecond: the counter keeps the order
        std::string next = new_uuid_v7();
        ASSERT_LT(previous, next);
        previous = std::move(next);
    }
}

TEST(Uuid, RejectsNonCanonical) {
    EXPECT_FALSE(is_uuid(""));
    EXPECT_FALSE(is_uuid("0190b3b2-7c4e-7aaa-8bbb-ccccdddd"));
    EXPECT_FALSE(is_uuid("0190B3B2-7C4E-7AAA-8BBB-CCCCDDDDEEEE"));
    EXPECT_FALSE(is_uuid("../../etc/passwd-xxxxxxxxxxxxxxxxxxxxxx"));
    EXPECT_TRUE(is_uuid("0190b3b2-7c4e-7aaa-8bbb-ccccddddeeee"));
}

TEST(Clock, FormatsRfc3339Utc) {
    EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_rfc3339(1795266184123), "2026-11-21T13:03:04.123Z");
    EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Error, CodeNamesAreStable) {
    EXPECT_EQ(code_name(ErrorCode::kNotFound), "not_found");
    EXPECT_EQ(code_name(ErrorCode::kMalformedJson), "malformed_json");
    EXPECT_EQ(code_name(ErrorCode::kValidation), "validation_failed");
    EXPECT_EQ(code_name(ErrorCode::kPayloadTooLarge), "payload_too_large");
}

TEST(Ids, StrongTypesCompareByValue) {
    TenantId a{"x"}, b{"x"}, c{"y"};
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    static_assert(!std::is_convertible_v<TenantId, UserId>);
}

}  // namespace
}  // namespace kontor::core

namespace kontor::core {
namespace {

// JsonText must write what nlohmann::json would: the same document, the same escapes.
TEST(JsonText, WritesWhatNlohmannReadsBack) {
    JsonText w;
    w.begin_object()
        .key("id")
        .string("t-1")
        .key("n")
        .number(-9'000'000'000)
        .key("ok")
        .boolean(true)
        .key("none")
        .null()
        .key("tags")
        .begin_array()
        .string("a")
        .string("b")
        .begin_object()
        .end_object()
        .begin_array()
        .end_array()
        .end_array()
        .key("nested")
        .begin_object()
        .key("x")
        .number(0)
        .end_object()
        .end_object();
    const auto parsed = nlohmann::json::parse(w.str());
    EXPECT_EQ(parsed, nlohmann::json::parse(R"({"id":"t-1","n":-9000000000,"ok":true,"none":null,
        "tags":["a","b",{},[]],"nested":{"x":0}})"));
}

TEST(JsonText, EscapesLikeNlohmann) {
    std::string all_controls;
    for (char c = 1; c < 0x20; ++c) all_controls.push_back(c);
    for (const std::string& s :
         {std::string(""), std::string("plain"), std::string("quote \" and backslash \\"),
          std::string("line\nbreak\ttab\rcr"), all_controls, std::string("\x7f del"),
          std::string("Straße — 東京 — 😀"), std::string("</script>")}) {
        std::string out;
        append_json_string(out, s);
        EXPECT_EQ(out, nlohmann::json(s).dump()) << s;
        EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), s);
    }
}

TEST(JsonText, ReplacesInvalidUtf8) {
    // Bytes that are not UTF-8: a stray 0xFF, a cut-off sequence, a surrogate, an overlong slash,
    // a code point above U+10FFFF.
    const std::vector<std::string> bads = {
        "a\xff"
        "b",
        "\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"};
    for (const std::string& bad : bads) {
        std::string out;
        append_json_string(out, bad);
        const auto back = nlohmann::json::parse(out).get<std::string>();  // parses: valid UTF-8
        EXPECT_NE(back.find("\xEF\xBF\xBD"), std::string::npos) << out;
    }
}

}  // namespace
}  // namespace kontor::core
