#pragma once
// QR codes as SVG (libqrencode), for the MFA set-up screen: the otpauth URI becomes an image the
// browser can show without loading anything else. Thread-safe.
#include <string>
#include <string_view>

namespace kontor::identity {

// A standalone <svg> document: error correction level M, a 4-module quiet zone, one black <path>
// on a white background, viewBox in modules (scales crisply), role="img" with an aria-label.
// Throws std::runtime_error when the text does not fit a QR code (over ~2 kB).
std::string qr_svg(std::string_view text);

}  // namespace kontor::identity
