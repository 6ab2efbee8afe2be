#include "kontor/http/form.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kontor/core/ids.hpp"

namespace kontor::http {
namespace {

namespace fs = std::filesystem;

// Builds a multipart body and, beside it, the parts a correct parser must find (offsets counted
// while the body is written, not searched for afterwards).
class BodyBuilder {
public:
    explicit BodyBuilder(std::string boundary) : boundary_(std::move(boundary)) {}

    BodyBuilder& preamble(std::string_view text) {
        body_ += text;
        body_ += "\r\n";
        return *this;
    }
    // A part with raw header lines (each without its CRLF).
    BodyBuilder& part(const std::vector<std::string>& headers, std::string_view content,
                      FormPart expected) {
        body_ += "--" + boundary_ + "\r\n";
        for (const std::string& h : headers) body_ += h + "\r\n";
        body_ += "\r\n";
        expected.offset = body_.size();
        expected.size = content.size();
        body_ += content;
        body_ += "\r\n";
        parts_.push_back(std::move(expected));
        return *this;
    }
    BodyBuilder& field(const std::string& name, std::string_view value) {
        return part({"Content-Disposition: form-data; name=\"" + name + "\""}, value,
                    FormPart{.name = name});
    }
    BodyBuilder& file(const std::string& name, const std::string& filename, const std::string& type,
                      std::string_view content) {
        return part(
            {"Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"",
             "Content-Type: " + type},
            content, FormPart{.name = name, .filename = filename, .content_type = type});
    }
    std::string close(std::string_view epilogue = "\r\n") {
        body_ += "--" + boundary_ + "--";
        body_ += epilogue;
        return body_;
    }
    std::string content_type() const { return "multipart/form-data; boundary=" + boundary_; }
    const std::vector<FormPart>& expected() const { return parts_; }

private:
    std::string boundary_;
    std::string body_;
    std::vector<FormPart> parts_;
};

// One line per part, so a mismatch shows which field of which part differs.
std::string describe(const std::vector<FormPart>& parts) {
    std::ostringstream out;
    for (const FormPart& p : parts) {
        out << p.name << " | " << (p.filename ? "\"" + *p.filename + "\"" : "-") << " | "
            << p.content_type << " | " << p.offset << " | " << p.size << "\n";
    }
    return out.str();
}

std::string describe(const core::Result<std::vector<FormPart>>& r) {
    if (!r)
        return "error: " + std::string(core::code_name(r.error().code)) + ": " + r.error().detail;
    return describe(*r);
}

class MultipartTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("kontor-form-test-" + core::new_uuid_v7());
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    fs::path write(const std::string& body) {
        const fs::path p = dir_ / ("body-" + std::to_string(++files_));
        std::ofstream(p, std::ios::binary) << body;
        return p;
    }
    core::Result<std::vector<FormPart>> parse(const std::string& body,
                                              std::string_view content_type,
                                              const MultipartLimits& limits = {},
                                              std::size_t piece = kMultipartPieceSize) {
        return detail::parse_multipart(write(body), content_type, limits, piece);
    }
    // The parse must fail with bad_request; returns the detail.
    std::string bad_request(const std::string& body, std::string_view content_type,
                            const MultipartLimits& limits = {}, std::size_t piece = 7) {
        const auto r = parse(body, content_type, limits, piece);
        if (r) {
            ADD_FAILURE() << "parsed: " << describe(*r);
            return {};
        }
        EXPECT_EQ(r.error().code, core::ErrorCode::kBadRequest) << r.error().detail;
        return r.error().detail;
    }
    std::string content_of(const fs::path& body, const FormPart& part) {
        auto r = read_part(body, part, 1 << 30);
        EXPECT_TRUE(r) << (r ? "" : r.error().detail);
        return r ? *r : std::string();
    }

    fs::path dir_;
    int files_ = 0;
};

constexpr std::string_view kCt = "multipart/form-data; boundary=b0undary";

// --- parse_header_value ---------------------------------------------------------------------

TEST(HeaderValue, ContentDisposition) {
    auto h = parse_header_value(R"(form-data; name="file"; filename="a b.pdf")");
    EXPECT_EQ(h.value, "form-data");
    EXPECT_EQ(h.params,
              (std::map<std::string, std::string>{{"name", "file"}, {"filename", "a b.pdf"}}));

    h = parse_header_value(" Form-Data ; NAME = field1 ;FileName=plain.txt  ");
    EXPECT_EQ(h.value, "form-data");
    EXPECT_EQ(h.params,
              (std::map<std::string, std::string>{{"name", "field1"}, {"filename", "plain.txt"}}));

    h = parse_header_value(R"(form-data; name="a\"b\\c"; filename="x;y; name=evil.txt")");
    EXPECT_EQ(h.params.at("name"), R"(a"b\c)");
    EXPECT_EQ(h.params.at("filename"), "x;y; name=evil.txt");

    h = parse_header_value(R"(form-data; name="f"; filename="")");
    ASSERT_TRUE(h.params.contains("filename"));
    EXPECT_EQ(h.params.at("filename"), "");

    // No '=': ignored. A repeated key: the first wins.
    h = parse_header_value("form-data; flag; name=a; name=b");
    EXPECT_EQ(h.params, (std::map<std::string, std::string>{{"name", "a"}}));

    h = parse_header_value("");
    EXPECT_EQ(h.value, "");
    EXPECT_TRUE(h.params.empty());
}

TEST(HeaderValue, ExtendedParameterWins) {
    // RFC 8187 after the plain one, before it, with a language tag and a lower-case charset.
    auto h = parse_header_value(
        R"(form-data; name=doc; filename="EUR rates.pdf"; filename*=UTF-8''%E2%82%AC%20rates.pdf)");
    EXPECT_EQ(h.params.at("filename"), "\xE2\x82\xAC rates.pdf");
    h = parse_header_value(
        R"(form-data; filename*=utf-8'en'%E2%82%AC.pdf; filename="EUR.pdf"; name=doc)");
    EXPECT_EQ(h.params.at("filename"), "\xE2\x82\xAC.pdf");
    EXPECT_EQ(h.params.at("name"), "doc");
    EXPECT_FALSE(h.params.contains("filename*"));
    // The first of two extended values wins, as with plain ones.
    h = parse_header_value("a; k*=UTF-8''one; k*=UTF-8''two");
    EXPECT_EQ(h.params.at("k"), "one");
}

TEST(HeaderValue, MalformedExtendedParameterIsIgnored) {
    for (const char* bad : {"ISO-8859-1''%A3.pdf", "UTF-8''%ZZ.pdf", "UTF-8''%E2%82", "UTF-8''%C3",
                            "UTF-8''a%00b", "%41.pdf", "UTF-8'%41.pdf", "UTF-8''trunc%4"}) {
        SCOPED_TRACE(bad);
        auto h =
            parse_header_value(std::string("form-data; filename=\"plain.pdf\"; filename*=") + bad);
        EXPECT_EQ(h.params.at("filename"), "plain.pdf");
        h = parse_header_value(std::string("form-data; filename*=") + bad);
        EXPECT_FALSE(h.params.contains("filename"));
    }
}

TEST(HeaderValue, ContentType) {
    auto h = parse_header_value("multipart/form-data; boundary=----WebKitFormBoundaryABC123");
    EXPECT_EQ(h.value, "multipart/form-data");
    EXPECT_EQ(h.params.at("boundary"), "----WebKitFormBoundaryABC123");

    h = parse_header_value(R"(Multipart/Form-Data; Boundary="a b:c;d=e")");
    EXPECT_EQ(h.value, "multipart/form-data");
    EXPECT_EQ(h.params.at("boundary"), "a b:c;d=e");  // the value keeps its case

    h = parse_header_value("Text/Plain;charset=UTF-8");
    EXPECT_EQ(h.value, "text/plain");
    EXPECT_EQ(h.params.at("charset"), "UTF-8");
}

// --- parse_multipart ------------------------------------------------------------------------

TEST_F(MultipartTest, BrowserForm) {
    const std::string pdf("%PDF-1.7\r\n\x00\x01\xFF binary\r\n%%EOF", 27);
    const std::string body =
        "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
        "Content-Disposition: form-data; name=\"title\"\r\n"
        "\r\n"
        "Printer on fire\r\n"
        "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
        "Content-Disposition: form-data; name=\"body\"\r\n"
        "\r\n"
        "Line one\r\nLine two\r\n"
        "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
        "Content-Disposition: form-data; name=\"attachment\"; filename=\"report 2024.pdf\"\r\n"
        "Content-Type: application/pdf\r\n"
        "\r\n" +
        pdf +
        "\r\n"
        "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n";
    const fs::path path = write(body);
    const auto r = parse_multipart(
        path, "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW");
    ASSERT_TRUE(r) << r.error().detail;
    // Offsets counted by hand: delimiter line 41 + header line 46 + blank 2 = 89, and so on.
    EXPECT_EQ(describe(*r),
              "title | - | text/plain | 89 | 15\n"
              "body | - | text/plain | 194 | 18\n"
              "attachment | \"report 2024.pdf\" | application/pdf | 367 | 27\n");
    ASSERT_EQ(r->size(), 3U);
    EXPECT_EQ(content_of(path, (*r)[0]), "Printer on fire");
    EXPECT_EQ(content_of(path, (*r)[1]), "Line one\r\nLine two");
    EXPECT_EQ(content_of(path, (*r)[2]), pdf);
}

TEST_F(MultipartTest, BinaryContentWithNearMisses) {
    const std::string b = "b0undary";
    std::string content("\r\n--\0--\r\n\r\n", 11);
    content += "\r\n--" + b.substr(0, 5) + "\r\n";  // a prefix of the delimiter
    content += "\r\n--" + b + "X\r\n";              // the boundary, then not a delimiter line
    content += "\r\n--" + b + "-x";                 // a single dash is not the close
    content += "x--" + b + "--y";                   // not at the start of a line
    content += "z--" + b + "\r\n";                  // nor this
    for (int i = 0; i < 256; ++i) content += static_cast<char>(i);
    content += "\r\n\r";  // ends just short of a CRLF
    BodyBuilder builder(b);
    builder.file("blob", "x.bin", "application/octet-stream", content).field("after", "ok");
    const std::string body = builder.close();
    for (const std::size_t piece : {std::size_t{3}, std::size_t{7}, kMultipartPieceSize}) {
        SCOPED_TRACE(piece);
        const fs::path path = write(body);
        const auto r = detail::parse_multipart(path, builder.content_type(), {}, piece);
        EXPECT_EQ(describe(r), describe(builder.expected()));
        ASSERT_TRUE(r);
        EXPECT_EQ(content_of(path, (*r)[0]), content);
    }
}

// A client picks the boundary, so it can fill a file with near-misses of the delimiter: each one
// must cost the parser a constant, not a move of its buffer (a 4 MiB body of them once took
// seconds of CPU; now it parses like any other).
TEST_F(MultipartTest, ABodyFullOfNearMissesParsesWhole) {
    std::string content;
    content.reserve(4 << 20);
    while (content.size() < (4u << 20)) content += "\r\n--ax";
    BodyBuilder builder("a");
    builder.file("file", "tricky.bin", "application/octet-stream", content);
    const std::string body = builder.close();
    const fs::path path = write(body);
    const auto r = parse_multipart(path, builder.content_type());
    ASSERT_TRUE(r) << r.error().detail;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].size, content.size());
    EXPECT_EQ(content_of(path, (*r)[0]), content);
}

TEST_F(MultipartTest, EmptyContents) {
    BodyBuilder builder("b0undary");
    builder.file("upload", "empty.txt", "text/plain", "").field("note", "").field("last", "x");
    const std::string body = builder.close();
    const auto r = parse(body, kCt);
    EXPECT_EQ(describe(r), describe(builder.expected()));
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0].size, 0U);
    EXPECT_EQ(content_of(write(body), (*r)[0]), "");
}

TEST_F(MultipartTest, HeadersWithoutContent) {
    // RFC 2046 makes the CRLF and content after a part's headers optional.
    const std::string body =
        "--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--b0undary--";
    EXPECT_EQ(describe(parse(body, kCt)), "a | - | text/plain | 56 | 0\n");
}

TEST_F(MultipartTest, PreambleAndEpilogueAreIgnored) {
    BodyBuilder builder("b0undary");
    builder.preamble("This is the preamble. x--b0undary\r\n--b0undaryX\r\n--b0undar");
    builder.field("a", "1").field("b", "22");
    const std::string body = builder.close(
        "\r\nepilogue\r\n--b0undary\r\nContent-Disposition: form-data; name=\"ghost\"\r\n\r\n"
        "boo\r\n--b0undary--\r\n");
    EXPECT_EQ(describe(parse(body, kCt)), describe(builder.expected()));
    // Nothing at all after the close delimiter is fine too.
    BodyBuilder bare("b0undary");
    bare.field("a", "1");
    EXPECT_EQ(describe(parse(bare.close(""), kCt)), describe(bare.expected()));
}

TEST_F(MultipartTest, NoPartsAtAll) {
    const auto r = parse("--b0undary--\r\n", kCt);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_TRUE(r->empty());
}

TEST_F(MultipartTest, TransportPaddingAfterDelimiter) {
    const std::string body =
        "--b0undary \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b0undary--";
    EXPECT_EQ(describe(parse(body, kCt, {}, 2)), "a | - | text/plain | 59 | 1\n");
}

TEST_F(MultipartTest, QuotedBoundaryAndCaseInsensitiveType) {
    BodyBuilder builder("simple boundary:(x)");
    builder.field("a", "1");
    const std::string body = builder.close();
    EXPECT_EQ(describe(parse(body, "Multipart/Form-Data; Boundary=\"simple boundary:(x)\"")),
              describe(builder.expected()));
    EXPECT_EQ(describe(parse(body, "multipart/form-data;boundary = \"simple boundary:(x)\" ")),
              describe(builder.expected()));
}

TEST_F(MultipartTest, PartHeaders) {
    const std::string body =
        "--b0undary\r\n"
        "content-disposition: form-data; name=\"doc\"; filename=\"EUR rates.pdf\"; "
        "filename*=UTF-8''%E2%82%AC%20rates.pdf\r\n"
        "CONTENT-TYPE: Application/PDF; name=x\r\n"
        "Content-Transfer-Encoding: binary\r\n"
        "no colon on this line\r\n"
        "\r\n"
        "%PDF\r\n"
        "--b0undary\r\n"
        "Content-Disposition: form-data; name=\"a;b\"; filename=\"x;y; name=evil.txt\"\r\n"
        "\r\n"
        "\r\n"
        "--b0undary\r\n"
        "Content-Disposition: form-data; name=\"c\"; filename=\"\"\r\n"
        "Content-Type: application/octet-stream\r\n"
        "\r\n"
        "\r\n"
        "--b0undary--\r\n";
    const auto r = parse(body, kCt);
    ASSERT_TRUE(r) << r.error().detail;
    ASSERT_EQ(r->size(), 3U);
    EXPECT_EQ((*r)[0].name, "doc");
    EXPECT_EQ((*r)[0].filename, "\xE2\x82\xAC rates.pdf");
    EXPECT_EQ((*r)[0].content_type, "application/pdf");
    EXPECT_EQ((*r)[0].size, 4U);
    EXPECT_EQ((*r)[1].name, "a;b");
    EXPECT_EQ((*r)[1].filename, "x;y; name=evil.txt");
    EXPECT_EQ((*r)[1].content_type, "text/plain");
    EXPECT_EQ((*r)[2].name, "c");
    ASSERT_TRUE((*r)[2].filename.has_value());
    EXPECT_EQ(*(*r)[2].filename, "");
    EXPECT_EQ((*r)[2].content_type, "application/octet-stream");
    EXPECT_EQ((*r)[2].size, 0U);
}

TEST_F(MultipartTest, DelimiterStraddlesEveryPieceEdge) {
    // Shifting the body by 0..piece-1 bytes puts every delimiter at every position relative to
    // the edges between pieces; contents near-miss the boundary to tempt a wrong match.
    const std::string b = "XyZ";
    for (const std::size_t piece :
         {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64}}) {
        for (std::size_t shift = 0; shift < piece + 8; ++shift) {
            SCOPED_TRACE(testing::Message() << "piece " << piece << " shift " << shift);
            BodyBuilder builder(b);
            if (shift > 0) builder.preamble(std::string(shift - 1, 'p'));
            builder.field("one", "a\r\n--XyQ")
                .file("two", "t.bin", "image/png", std::string("\r\n--Xy\0\r", 7))
                .field("three", "")
                .field("four", std::string(shift, '-'));
            const std::string body = builder.close();
            EXPECT_EQ(describe(parse(body, "multipart/form-data; boundary=XyZ", {}, piece)),
                      describe(builder.expected()));
        }
    }
}

TEST_F(MultipartTest, LargeBody) {
    // 8 MiB of content with CRLFs, dashes and boundary prefixes, read with the default piece size.
    const std::string b = "----WebKitFormBoundaryq8WkLxRcDmv1Uv6z";
    std::string big;
    big.reserve(8U << 20);
    std::uint32_t x = 12345;
    while (big.size() < (8U << 20)) {
        x = x * 1664525U + 1013904223U;
        switch (x >> 29) {
            case 0:
                big += "\r\n";
                break;
            case 1:
                big += "\r\n--" + b.substr(0, (x >> 8) % b.size()) + "#";  // never the whole
                break;
            default:
                big += static_cast<char>(x >> 16);
                break;
        }
    }
    BodyBuilder builder(b);
    builder.field("title", "big").file("data", "big.bin", "application/octet-stream", big);
    builder.field("after", "tail");
    const std::string body = builder.close();
    const fs::path path = write(body);
    const auto r = parse_multipart(path, builder.content_type());
    EXPECT_EQ(describe(r), describe(builder.expected()));
    ASSERT_TRUE(r);
    EXPECT_TRUE(content_of(path, (*r)[1]) == big);
    EXPECT_EQ(content_of(path, (*r)[2]), "tail");
}

TEST_F(MultipartTest, BoundaryOfSeventyCharacters) {
    BodyBuilder builder(std::string(70, 'b'));
    builder.field("a", "1");
    EXPECT_EQ(describe(parse(builder.close(), builder.content_type())),
              describe(builder.expected()));
}

// --- errors ---------------------------------------------------------------------------------

TEST_F(MultipartTest, NotMultipartFormData) {
    for (const char* type : {"application/json", "multipart/mixed; boundary=b0undary", "",
                             "application/x-www-form-urlencoded"}) {
        const auto r = parse("--b0undary--", type);
        ASSERT_FALSE(r) << type;
        EXPECT_EQ(r.error().code, core::ErrorCode::kUnsupportedMediaType);
        EXPECT_EQ(r.error().detail, "The request body must be multipart/form-data.");
    }
}

TEST_F(MultipartTest, MissingOrInvalidBoundary) {
    const std::string body = "--b0undary--";
    EXPECT_EQ(bad_request(body, "multipart/form-data"),
              "The Content-Type has no multipart boundary.");
    EXPECT_EQ(bad_request(body, "multipart/form-data; boundary="),
              "The Content-Type has no multipart boundary.");
    EXPECT_EQ(bad_request(body, "multipart/form-data; boundary=\"\""),
              "The Content-Type has no multipart boundary.");
    EXPECT_EQ(bad_request(body, "multipart/form-data; boundary=" + std::string(71, 'b')),
              "The multipart boundary is longer than 70 characters.");
    EXPECT_EQ(bad_request(body, "multipart/form-data; boundary=\"ends in space \""),
              "The multipart boundary contains characters that are not allowed.");
    EXPECT_EQ(bad_request(body, "multipart/form-data; boundary=\"a\\\rb\""),
              "The multipart boundary contains characters that are not allowed.");
}

TEST_F(MultipartTest, NoOpeningDelimiter) {
    const std::string no_opening = "The multipart body has no opening delimiter.";
    EXPECT_EQ(bad_request("", kCt), no_opening);
    EXPECT_EQ(bad_request("name=value&x=y", kCt), no_opening);
    EXPECT_EQ(bad_request("--b0undaryX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n", kCt),
              no_opening);
    EXPECT_EQ(bad_request("--otherboundary\r\n\r\n--otherboundary--", kCt), no_opening);
}

TEST_F(MultipartTest, MissingCloseDelimiter) {
    const std::string no_close = "The multipart body ends before its closing delimiter.";
    BodyBuilder builder("b0undary");
    builder.field("a", "1").file("f", "f.bin", "application/octet-stream", std::string(100, 'z'));
    const std::string body = builder.close();
    // Cut in the middle of the file content, as after a client that went away.
    const std::size_t cut = builder.expected()[1].offset + 50;
    EXPECT_EQ(bad_request(body.substr(0, cut), kCt), no_close);
    EXPECT_EQ(bad_request(body.substr(0, cut), kCt, {}, kMultipartPieceSize), no_close);
    // Cut after the last delimiter's boundary, before its "--".
    EXPECT_EQ(bad_request(body.substr(0, body.size() - 4), kCt), no_close);
    EXPECT_EQ(bad_request(body.substr(0, body.size() - 3), kCt), no_close);
    // Cut within a delimiter's line end.
    EXPECT_EQ(bad_request("--b0undary\r", kCt), no_close);
    EXPECT_EQ(bad_request("--b0undary", kCt), no_close);
}

TEST_F(MultipartTest, MalformedDelimiterLine) {
    EXPECT_EQ(bad_request("--b0undary  junk\r\n\r\n--b0undary--", kCt),
              "A multipart delimiter line is malformed.");
    EXPECT_EQ(bad_request("--b0undary\rX", kCt), "A multipart delimiter line is malformed.");
}

TEST_F(MultipartTest, PartWithoutFormDataDisposition) {
    const std::string none = "A part has no Content-Disposition: form-data header.";
    EXPECT_EQ(bad_request("--b0undary\r\nContent-Type: text/plain\r\n\r\nx\r\n--b0undary--", kCt),
              none);
    EXPECT_EQ(bad_request("--b0undary\r\n\r\nx\r\n--b0undary--", kCt), none);
    EXPECT_EQ(bad_request("--b0undary\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n"
                          "--b0undary--",
                          kCt),
              none);
    EXPECT_EQ(bad_request("--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n"
                          "Content-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n--b0undary--",
                          kCt),
              "A part has more than one Content-Disposition header.");
}

TEST_F(MultipartTest, PartWithoutName) {
    const std::string no_name = "A part's Content-Disposition has no name.";
    BodyBuilder builder("b0undary");
    builder.field("ok", "1").part({"Content-Disposition: form-data; filename=\"a.txt\""}, "x", {});
    EXPECT_EQ(bad_request(builder.close(), kCt), no_name);
    EXPECT_EQ(bad_request("--b0undary\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n"
                          "--b0undary--",
                          kCt),
              no_name);
}

TEST_F(MultipartTest, HeaderBlockLimit) {
    const std::string line1 = "Content-Disposition: form-data; name=\"a\"";
    const std::string line2 = "X-Padding: " + std::string(200, 'p');
    const std::size_t block = line1.size() + 2 + line2.size();  // without the final CRLF
    BodyBuilder builder("b0undary");
    builder.part({line1, line2}, "content", FormPart{.name = "a"});
    const std::string body = builder.close();
    for (const std::size_t piece : {std::size_t{7}, kMultipartPieceSize}) {
        SCOPED_TRACE(piece);
        EXPECT_EQ(describe(parse(body, kCt, {.max_header_bytes = block}, piece)),
                  describe(builder.expected()));
        EXPECT_EQ(bad_request(body, kCt, {.max_header_bytes = block - 1}, piece),
                  "A part's header block is larger than " + std::to_string(block - 1) + " bytes.");
    }
    // Endless header bytes are cut off at the limit, whatever the file holds after them.
    EXPECT_EQ(bad_request("--b0undary\r\nX: " + std::string(100000, 'h'), kCt,
                          {.max_header_bytes = 1024}),
              "A part's header block is larger than 1024 bytes.");
}

TEST_F(MultipartTest, HeaderBlockNotTerminated) {
    EXPECT_EQ(bad_request("--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n", kCt),
              "A part's header block does not end with an empty line.");
    EXPECT_EQ(bad_request("--b0undary\r\nContent-Disposition: form-data; name=\"a\"", kCt),
              "A part's header block does not end with an empty line.");
}

TEST_F(MultipartTest, TooManyParts) {
    BodyBuilder two("b0undary");
    two.field("a", "1").field("b", "2");
    EXPECT_EQ(describe(parse(two.close(), kCt, {.max_parts = 2})), describe(two.expected()));
    BodyBuilder three("b0undary");
    three.field("a", "1").field("b", "2").field("c", "3");
    EXPECT_EQ(bad_request(three.close(), kCt, {.max_parts = 2}), "The form has more than 2 parts.");
}

TEST_F(MultipartTest, UnreadableBody) {
    // A directory opens but cannot be read: the I/O error, not a truncation, is reported.
    const auto r = detail::parse_multipart(dir_, kCt, {}, 7);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kBadRequest);
    EXPECT_EQ(r.error().detail, "The request body could not be read.");
    const auto missing = parse_multipart(dir_ / "missing", kCt);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::kBadRequest);
    EXPECT_EQ(missing.error().detail, "The request body could not be read.");
}

// --- read_part ------------------------------------------------------------------------------

TEST_F(MultipartTest, ReadPart) {
    const fs::path path = write("0123456789");
    EXPECT_EQ(read_part(path, FormPart{.name = "n", .offset = 2, .size = 5}, 5), "23456");
    EXPECT_EQ(read_part(path, FormPart{.name = "n", .offset = 9, .size = 0}, 0), "");

    const auto over = read_part(path, FormPart{.name = "note", .offset = 2, .size = 5}, 4);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, core::ErrorCode::kValidation);
    ASSERT_EQ(over.error().fields.size(), 1U);
    EXPECT_EQ(over.error().fields[0].field, "/note");
    EXPECT_EQ(over.error().fields[0].message, "is longer than 4 bytes");
    // The field is a JSON pointer, escaped as RFC 6901 says.
    const auto odd = read_part(path, FormPart{.name = "a/b~c", .size = 5}, 4);
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().fields[0].field, "/a~1b~0c");

    // Past the end of the file, or no file: internal.
    const auto short_file = read_part(path, FormPart{.name = "n", .offset = 8, .size = 5}, 5);
    ASSERT_FALSE(short_file);
    EXPECT_EQ(short_file.error().code, core::ErrorCode::kInternal);
    const auto missing = read_part(dir_ / "missing", FormPart{.name = "n", .size = 1}, 5);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::kInternal);
}

}  // namespace
}  // namespace kontor::http
