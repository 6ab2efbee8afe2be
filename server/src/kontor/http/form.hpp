#pragma once
// multipart/form-data (RFC 7578, RFC 2046 §5.1) for upload routes whose body was spooled to a file
// (RouteOptions.spool_body → Request::body_file). The parser streams the file through a bounded
// buffer and answers where each part's content lies in it (offset/size); contents are never
// copied, so a 2 GB upload costs about 1 MiB of memory. Small text fields are read with
// read_part(). Free functions without state: safe from any thread.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontor/core/error.hpp"

namespace kontor::http {

// A header value with parameters, e.g. Content-Disposition `form-data; name="file";
// filename="a b.pdf"` or Content-Type `multipart/form-data; boundary=xyz`.
struct HeaderValue {
    std::string value;                          // the first token, lower-cased ("form-data")
    std::map<std::string, std::string> params;  // keys lower-cased; quoted strings unquoted
};

// Splits a header value into its first token and parameters. Semicolons inside quoted strings do
// not split; whitespace around tokens and '=' is ignored; quoted-pairs (\x) become x. A
// parameter without '=' is ignored; of two plain parameters with the same key the first wins.
// `key*=UTF-8''percent-encoded` (RFC 8187; only the UTF-8 charset, case-insensitive) is decoded
// and stored under `key`, taking precedence over a plain `key` wherever that stands; a malformed
// one (other charset, bad escape, invalid UTF-8) is ignored.
HeaderValue parse_header_value(std::string_view header);

struct MultipartLimits {
    std::size_t max_parts = 32;
    std::size_t max_header_bytes = 16 * 1024;  // one part's header block
};

// One part of a form, its content left in the body file.
struct FormPart {
    std::string name;                         // Content-Disposition name= (required, not empty)
    std::optional<std::string> filename;      // filename= / filename*= when present (may be empty)
    std::string content_type = "text/plain";  // lower-cased type/subtype as sent, no parameters
    std::uint64_t offset = 0;                 // the content's first byte within the body file
    std::uint64_t size = 0;                   // content length in bytes
};

// How much of the body file parse_multipart reads at a time.
inline constexpr std::size_t kMultipartPieceSize = std::size_t{1} << 20;

// Parses the multipart/form-data body held in `body` given the request's Content-Type value.
// Errors: unsupported_media_type when the type is not multipart/form-data; bad_request for a
// missing or invalid boundary (RFC 2046: 1..70 printable ASCII characters, not ending in a
// space), no opening or no closing delimiter, a malformed delimiter line, a part without
// `Content-Disposition: form-data` with a name (or with two Content-Disposition headers), a header
// block over max_header_bytes or not ended by an empty line, more than max_parts parts, or a body
// file that cannot be read.
core::Result<std::vector<FormPart>> parse_multipart(const std::filesystem::path& body,
                                                    std::string_view content_type,
                                                    const MultipartLimits& limits = {});

// Reads one part's content into memory (for small text fields). Errors: validation_failed (field
// error at the JSON pointer of part.name: "is longer than N bytes") when part.size > max_bytes;
// internal when the file cannot be read or is shorter than the part says.
core::Result<std::string> read_part(const std::filesystem::path& body, const FormPart& part,
                                    std::size_t max_bytes);

namespace detail {
// parse_multipart reading `piece_size` bytes at a time (> 0), so tests can put a delimiter
// across the edge between two pieces.
core::Result<std::vector<FormPart>> parse_multipart(const std::filesystem::path& body,
                                                    std::string_view content_type,
                                                    const MultipartLimits& limits,
                                                    std::size_t piece_size);
}  // namespace detail

}  // namespace kontor::http
