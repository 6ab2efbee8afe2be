#include "kontor/identity/qr.hpp"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

namespace kontor::identity {
namespace {

struct Reference {
    int width = 0;
    std::vector<bool> dark;  // row-major, width × width
};

// What libqrencode itself produces for the text, with the same parameters qr_svg documents.
Reference reference(const std::string& text) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code) throw std::runtime_error("reference encoding failed");
    Reference r;
    r.width = code->width;
    for (int i = 0; i < r.width * r.width; ++i) r.dark.push_back((code->data[i] & 1) != 0);
    return r;
}

// (Hand-written parsing: libstdc++'s std::regex recurses per character and overflows the stack
// on a path of several kilobytes.)
std::string path_data(const std::string& svg) {
    const auto path = svg.find("<path ");
    if (path == std::string::npos) return {};
    const auto d = svg.find(" d=\"", path);
    if (d == std::string::npos) return {};
    const auto end = svg.find('"', d + 4);
    return svg.substr(d + 4, end - d - 4);
}

std::size_t occurrences(const std::string& s, std::string_view what) {
    std::size_t n = 0;
    for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) ++n;
    return n;
}

// Reads a non-negative decimal number at `pos`, moving past it; -1 if there is none.
int number(const std::string& s, std::size_t& pos) {
    if (pos >= s.size() || s[pos] < '0' || s[pos] > '9') return -1;
    int v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') v = v * 10 + (s[pos++] - '0');
    return v;
}

bool literal(const std::string& s, std::size_t& pos, std::string_view what) {
    if (s.compare(pos, what.size(), what) != 0) return false;
    pos += what.size();
    return true;
}

// Reads the path back as module runs ("Mx yhnv1h-nz") onto a grid of the viewBox size.
std::vector<bool> rasterise(const std::string& d, int size, int* modules) {
    std::vector<bool> grid(static_cast<std::size_t>(size * size), false);
    *modules = 0;
    std::size_t pos = 0;
    while (pos < d.size()) {
        int x = -1, y = -1, n = -1, back = -1;
        const bool ok = literal(d, pos, "M") && (x = number(d, pos)) >= 0 && literal(d, pos, " ") &&
                        (y = number(d, pos)) >= 0 && literal(d, pos, "h") &&
                        (n = number(d, pos)) > 0 && literal(d, pos, "v1h-") &&
                        (back = number(d, pos)) >= 0 && literal(d, pos, "z");
        if (!ok || n != back) {
            ADD_FAILURE() << "unexpected path syntax at " << pos;
            break;
        }
        for (int i = 0; i < n; ++i) {
            const int cx = x + i;
            if (cx >= size || y >= size) {
                ADD_FAILURE() << "module outside the viewBox";
                continue;
            }
            const auto idx = static_cast<std::size_t>(y * size + cx);
            EXPECT_FALSE(grid[idx]) << "module drawn twice";
            grid[idx] = true;
            ++*modules;
        }
    }
    return grid;
}

void expect_matches_reference(const std::string& text) {
    SCOPED_TRACE(text);
    const std::string svg = qr_svg(text);
    const Reference ref = reference(text);
    const int size = ref.width + 8;
    const std::string n = std::to_string(size);

    EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_TRUE(svg.ends_with("</svg>"));
    EXPECT_NE(svg.find("viewBox=\"0 0 " + n + " " + n + "\""), std::string::npos);
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
    EXPECT_NE(svg.find("aria-label=\""), std::string::npos);
    EXPECT_NE(svg.find("fill=\"#fff\""), std::string::npos);  // explicit white background
    // Exactly one svg element and one path, every element closed.
    EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), std::count(svg.begin(), svg.end(), '>'));
    EXPECT_EQ(occurrences(svg, "<svg"), 1u);
    EXPECT_EQ(occurrences(svg, "</svg>"), 1u);
    EXPECT_EQ(occurrences(svg, "<path "), 1u);

    int modules = 0;
    const auto grid = rasterise(path_data(svg), size, &modules);
    const auto expected_dark = std::count(ref.dark.begin(), ref.dark.end(), true);
    EXPECT_EQ(modules, expected_dark);
    // Same modules in the same places, shifted by the 4-module quiet zone.
    int mismatches = 0;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const bool inside = x >= 4 && y >= 4 && x < 4 + ref.width && y < 4 + ref.width;
            const bool want =
                inside && ref.dark[static_cast<std::size_t>((y - 4) * ref.width + (x - 4))];
            if (grid[static_cast<std::size_t>(y * size + x)] != want) ++mismatches;
        }
    }
    EXPECT_EQ(mismatches, 0);
}

TEST(Qr, SvgMatchesLibqrencode) {
    expect_matches_reference("x");
    expect_matches_reference("HELLO WORLD 12345");
    expect_matches_reference(
        "otpauth://totp/Kontor:jane%40acme.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        "&issuer=Kontor&algorithm=SHA1&digits=6&period=30");
    expect_matches_reference(std::string(500, 'q') + "<&\">");
}

TEST(Qr, TextIsNotEmbedded) {
    // The SVG carries only geometry, so markup in the text cannot leak into the document.
    const std::string svg = qr_svg("</svg><script>alert(1)</script>");
    EXPECT_EQ(svg.find("script"), std::string::npos);
}

TEST(Qr, RefusesWhatDoesNotFit) {
    EXPECT_THROW(qr_svg(std::string(4000, 'x')), std::runtime_error);
    EXPECT_THROW(qr_svg(std::string("a\0b", 3)), std::invalid_argument);
    EXPECT_NO_THROW(qr_svg(std::string(2000, 'x')));
}

}  // namespace
}  // namespace kontor::identity
