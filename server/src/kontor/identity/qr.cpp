#include "kontor/identity/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <stdexcept>

namespace kontor::identity {
namespace {

constexpr int kQuietZone = 4;  // modules of white around the symbol (ISO/IEC 18004 §6.3.8)

struct QrFree {
    void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};

}  // namespace

std::string qr_svg(std::string_view text) {
    // libqrencode reads a C string; an embedded NUL would silently cut the text short.
    if (text.find('\0') != std::string_view::npos)
        throw std::invalid_argument("QR text must not contain NUL characters");
    const std::string input(text);
    errno = 0;
    std::unique_ptr<QRcode, QrFree> code(
        QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code) {
        if (errno == ERANGE) throw std::runtime_error("the text is too long for a QR code");
        throw std::runtime_error("QR encoding failed");
    }
    const int width = code->width;
    const int size = width + 2 * kQuietZone;
    const std::string n = std::to_string(size);

    // One sub-path per horizontal run of dark modules keeps the document small (about a third
    // of one square per module) while staying exact on every renderer.
    std::string d;
    for (int y = 0; y < width; ++y) {
        const unsigned char* row = code->data + static_cast<std::ptrdiff_t>(y) * width;
        int x = 0;
        while (x < width) {
            if ((row[x] & 1) == 0) {
                ++x;
                continue;
            }
            const int start = x;
            while (x < width && (row[x] & 1) != 0) ++x;
            const std::string run = std::to_string(x - start);
            d += "M" + std::to_string(start + kQuietZone) + " " + std::to_string(y + kQuietZone) +
                 "h" + run + "v1h-" + run + "z";
        }
    }

    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
                      "\" width=\"" + std::to_string(size * 4) + "\" height=\"" +
                      std::to_string(size * 4) +
                      "\" role=\"img\" aria-label=\"QR code\" shape-rendering=\"crispEdges\">";
    svg += "<rect width=\"" + n + "\" height=\"" + n + "\" fill=\"#fff\"/>";
    svg += "<path fill=\"#000\" d=\"" + d + "\"/>";
    svg += "</svg>";
    return svg;
}

}  // namespace kontor::identity
