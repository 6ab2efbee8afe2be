#include "kontor/http/form.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <set>
#include <stdexcept>
#include <utility>

#include "kontor/http/internal.hpp"

namespace kontor::http {
namespace {

using core::ErrorCode;

constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();
constexpr std::string_view kUnreadable = "The request body could not be read.";

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        unsigned lo = 0x80;
        unsigned hi = 0xBF;  // allowed range of the second byte
        if (b < 0x80) {
            ++i;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            if (b == 0xE0) lo = 0xA0;
            if (b == 0xED) hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            if (b == 0xF0) lo = 0x90;
            if (b == 0xF4) hi = 0x8F;
        } else {
            return false;
        }
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return false;
        }
        i += len;
    }
    return true;
}

// An RFC 8187 ext-value: charset "'" [language] "'" percent-encoded value. Only UTF-8 is
// understood; literal characters are taken as they are except controls (clients are not all
// strict about attr-char), and the result must be valid UTF-8 without NUL.
std::optional<std::string> decode_ext_value(std::string_view v) {
    const std::size_t q1 = v.find('\'');
    if (q1 == std::string_view::npos) return std::nullopt;
    const std::size_t q2 = v.find('\'', q1 + 1);
    if (q2 == std::string_view::npos) return std::nullopt;
    if (!detail::iequals(trim(v.substr(0, q1)), "utf-8")) return std::nullopt;
    std::string out;
    for (std::size_t i = q2 + 1; i < v.size(); ++i) {
        const char c = v[i];
        if (c == '%') {
            if (i + 2 >= v.size()) return std::nullopt;
            const int h = hex_value(v[i + 1]);
            const int l = hex_value(v[i + 2]);
            if (h < 0 || l < 0) return std::nullopt;
            out += static_cast<char>(h * 16 + l);
            i += 2;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            return std::nullopt;
        } else {
            out += c;
        }
    }
    if (out.find('\0') != std::string::npos || !is_valid_utf8(out)) return std::nullopt;
    return out;
}

// RFC 2046 allows 1..70 of a small character set; we take any printable ASCII (what matters is
// that it cannot hold CR/LF) but keep the rule that it does not end in a space.
bool is_valid_boundary(std::string_view b) noexcept {
    if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
    return std::all_of(b.begin(), b.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// RFC 6901: the pointer to a member named `name` of the request.
std::string json_pointer(std::string_view name) {
    std::string out = "/";
    for (const char c : name) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

class FileDescriptor {
public:
    explicit FileDescriptor(const std::filesystem::path& path)
        : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

// A window over the body file: holds bytes [base_, base_ + buf_.size()), reading `piece` bytes
// at a time and letting go of bytes a search has passed. A read error ends the file early and is
// remembered in failed().
class BodyReader {
public:
    BodyReader(int fd, std::size_t piece, std::size_t reserve) : fd_(fd), piece_(piece) {
        buf_.reserve(reserve);
    }

    bool failed() const noexcept { return failed_; }

    // The byte at pos (not yet let go of), or -1 past the end of the file.
    int at(std::uint64_t pos) {
        if (pos < base_) throw std::logic_error("multipart: byte already discarded");
        while (pos - base_ >= held()) {
            if (!read_piece()) return -1;
        }
        return static_cast<unsigned char>(buf_[head_ + static_cast<std::size_t>(pos - base_)]);
    }

    // Bytes [from, to), all held.
    std::string_view slice(std::uint64_t from, std::uint64_t to) const {
        if (from < base_ || to > base_ + held() || from > to) {
            throw std::logic_error("multipart: slice outside the window");
        }
        return std::string_view(buf_).substr(head_ + static_cast<std::size_t>(from - base_),
                                             static_cast<std::size_t>(to - from));
    }

    struct Match {
        enum Kind { kFound, kEnd, kLimit } kind = kEnd;
        std::uint64_t pos = 0;
    };

    // The first occurrence of needle starting at or after `from`. kLimit when none starts at or
    // before last_start; kEnd when the file ends first. Bytes before both the search position
    // and keep_from are let go of, keeping needle.size() - 1 bytes between pieces so a match
    // across their edge is found.
    Match find(std::string_view needle, std::uint64_t from, std::uint64_t last_start = kNoLimit,
               std::uint64_t keep_from = kNoLimit) {
        std::uint64_t scan = from;
        for (;;) {
            if (scan < base_) throw std::logic_error("multipart: search before the window");
            const std::string_view window = std::string_view(buf_).substr(head_);
            if (scan - base_ < window.size()) {
                const std::size_t p = window.find(needle, static_cast<std::size_t>(scan - base_));
                if (p != std::string_view::npos) {
                    if (base_ + p > last_start) return {Match::kLimit};
                    return {Match::kFound, base_ + p};
                }
                if (window.size() >= needle.size()) {
                    scan = std::max(scan, base_ + window.size() - needle.size() + 1);
                }
            }
            if (scan > last_start) return {Match::kLimit};
            discard_before(std::min(scan, keep_from));
            if (!read_piece()) return {Match::kEnd};
        }
    }

    // Lets go of the bytes before pos. O(1): the buffer is compacted once per piece read, not
    // per call — a body full of near-misses of the boundary calls this once per near-miss.
    void discard_before(std::uint64_t pos) {
        if (pos <= base_) return;
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(pos - base_, held()));
        head_ += n;
        base_ += n;
    }

private:
    std::size_t held() const noexcept { return buf_.size() - head_; }

    bool read_piece() {
        if (end_) return false;
        if (head_ > 0) {
            buf_.erase(0, head_);
            head_ = 0;
        }
        const std::size_t old = buf_.size();
        buf_.resize(old + piece_);
        for (;;) {
            const ssize_t n =
                ::pread(fd_, buf_.data() + old, piece_, static_cast<off_t>(base_ + old));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                buf_.resize(old);
                end_ = true;
                failed_ = n < 0;
                return false;
            }
            buf_.resize(old + static_cast<std::size_t>(n));
            return true;
        }
    }

    int fd_;
    std::size_t piece_;
    std::string buf_;
    std::size_t head_ = 0;    // bytes at the front of buf_ already let go of
    std::uint64_t base_ = 0;  // the file offset of buf_[head_]
    bool end_ = false;
    bool failed_ = false;
};

class MultipartParser {
public:
    MultipartParser(int fd, std::string_view boundary, const MultipartLimits& limits,
                    std::size_t piece)
        : dash_("--" + std::string(boundary)),
          delimiter_("\r\n" + dash_),
          limits_(limits),
          reader_(fd, piece, piece + limits.max_header_bytes + 2 * delimiter_.size() + 16) {}

    core::Result<std::vector<FormPart>> run() {
        auto delimiter = find_delimiter(0);
        if (!delimiter) return ended("The multipart body has no opening delimiter.");
        std::vector<FormPart> parts;
        for (;;) {
            const std::uint64_t after = delimiter->after;
            // The close delimiter; whatever follows it (the epilogue) is ignored.
            if (reader_.at(after) == '-' && reader_.at(after + 1) == '-') return parts;

            std::uint64_t eol = after;  // transport padding, then CRLF
            while (eol - after <= limits_.max_header_bytes && is_padding(reader_.at(eol))) ++eol;
            if (reader_.at(eol) < 0 || reader_.at(eol + 1) < 0) return ended(kNoClose);
            if (reader_.at(eol) != '\r' || reader_.at(eol + 1) != '\n') {
                return bad("A multipart delimiter line is malformed.");
            }
            if (parts.size() >= limits_.max_parts) {
                return bad("The form has more than " + std::to_string(limits_.max_parts) +
                           " parts.");
            }
            auto part = read_headers(eol);
            if (!part) return std::unexpected(std::move(part.error()));
            delimiter = find_delimiter(part->offset);
            if (!delimiter) return ended(kNoClose);
            part->size = delimiter->content_end - part->offset;
            parts.push_back(std::move(*part));
        }
    }

private:
    static constexpr std::string_view kNoClose =
        "The multipart body ends before its closing delimiter.";

    struct Delimiter {
        std::uint64_t content_end;  // where the content before it ends
        std::uint64_t after;        // the first byte after "--boundary"
    };

    static bool is_padding(int c) noexcept { return c == ' ' || c == '\t'; }

    static std::unexpected<core::Error> bad(std::string detail) {
        return core::fail(ErrorCode::kBadRequest, std::move(detail));
    }

    // An error for a body that ended early, unless it "ended" because it could not be read.
    std::unexpected<core::Error> ended(std::string_view detail) const {
        return bad(std::string(reader_.failed() ? kUnreadable : detail));
    }

    // "--boundary" found at some position is a delimiter only when what follows can start a
    // delimiter line (padding, CRLF) or is "--"; otherwise it is content that happens to contain
    // the boundary. The end of the file counts as a delimiter so the caller reports truncation.
    bool delimiter_follows(std::uint64_t after) {
        const int c = reader_.at(after);
        if (c < 0 || c == ' ' || c == '\t' || c == '\r') return true;
        return c == '-' && reader_.at(after + 1) == '-';
    }

    bool dash_at(std::uint64_t pos) {
        for (std::size_t i = 0; i < dash_.size(); ++i) {
            if (reader_.at(pos + i) != static_cast<unsigned char>(dash_[i])) return false;
        }
        return true;
    }

    // The next delimiter at or after `from`. Right at `from` (the start of the body, or content
    // that starts with it) "--boundary" needs no CRLF before it.
    std::optional<Delimiter> find_delimiter(std::uint64_t from) {
        if (dash_at(from) && delimiter_follows(from + dash_.size())) {
            return Delimiter{from, from + dash_.size()};
        }
        for (;;) {
            const auto m = reader_.find(delimiter_, from);
            if (m.kind != BodyReader::Match::kFound) return std::nullopt;
            reader_.discard_before(m.pos);
            if (delimiter_follows(m.pos + delimiter_.size())) {
                return Delimiter{m.pos, m.pos + delimiter_.size()};
            }
            from = m.pos + 1;
        }
    }

    // The header block starting with the CRLF at `eol` that ends the delimiter line.
    core::Result<FormPart> read_headers(std::uint64_t eol) {
        const std::size_t limit = limits_.max_header_bytes;
        const auto m = reader_.find("\r\n\r\n", eol, eol + 2 + limit, eol);
        if (m.kind == BodyReader::Match::kLimit) {
            return bad("A part's header block is larger than " + std::to_string(limit) + " bytes.");
        }
        if (m.kind == BodyReader::Match::kEnd) {
            return ended("A part's header block does not end with an empty line.");
        }
        const std::string_view block =
            m.pos > eol ? reader_.slice(eol + 2, m.pos) : std::string_view{};

        FormPart part;
        part.offset = m.pos + 4;
        std::optional<HeaderValue> disposition;
        bool have_type = false;
        std::size_t start = 0;
        while (start < block.size()) {
            std::size_t end = block.find("\r\n", start);
            if (end == std::string_view::npos) end = block.size();
            const std::string_view line = block.substr(start, end - start);
            start = end + 2;
            const std::size_t colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            const std::string_view name = trim(line.substr(0, colon));
            const std::string_view value = trim(line.substr(colon + 1));
            if (detail::iequals(name, "content-disposition")) {
                // Two could be read differently by us and by a proxy in front of us.
                if (disposition) return bad("A part has more than one Content-Disposition header.");
                disposition = parse_header_value(value);
            } else if (detail::iequals(name, "content-type") && !have_type) {
                have_type = true;
                std::string type = parse_header_value(value).value;
                if (!type.empty()) part.content_type = std::move(type);
            }
        }
        if (!disposition || disposition->value != "form-data") {
            return bad("A part has no Content-Disposition: form-data header.");
        }
        const auto name = disposition->params.find("name");
        if (name == disposition->params.end() || name->second.empty()) {
            return bad("A part's Content-Disposition has no name.");
        }
        part.name = name->second;
        if (const auto f = disposition->params.find("filename"); f != disposition->params.end()) {
            part.filename = f->second;
        }
        return part;
    }

    std::string dash_;       // "--" boundary
    std::string delimiter_;  // CRLF "--" boundary
    MultipartLimits limits_;
    BodyReader reader_;
};

}  // namespace

HeaderValue parse_header_value(std::string_view header) {
    HeaderValue out;
    const std::size_t semi = header.find(';');
    out.value = lower(trim(header.substr(0, semi)));
    if (semi == std::string_view::npos) return out;

    std::set<std::string> extended;  // keys set from key*=, which win over a plain key
    std::size_t i = semi + 1;
    while (i < header.size()) {
        const std::size_t key_start = i;
        while (i < header.size() && header[i] != '=' && header[i] != ';') ++i;
        std::string key = lower(trim(header.substr(key_start, i - key_start)));
        if (i >= header.size() || header[i] == ';') {  // no '=': ignored
            ++i;
            continue;
        }
        ++i;  // '='
        while (i < header.size() && is_blank(header[i])) ++i;
        std::string value;
        if (i < header.size() && header[i] == '"') {
            for (++i; i < header.size() && header[i] != '"'; ++i) {
                if (header[i] == '\\' && i + 1 < header.size()) ++i;
                value += header[i];
            }
            while (i < header.size() && header[i] != ';') ++i;  // closing quote and stray text
        } else {
            const std::size_t value_start = i;
            while (i < header.size() && header[i] != ';') ++i;
            value = trim(header.substr(value_start, i - value_start));
        }
        ++i;  // ';'
        if (key.empty()) continue;
        if (key.size() > 1 && key.back() == '*') {
            key.pop_back();
            auto decoded = decode_ext_value(value);
            if (!decoded || extended.contains(key)) continue;
            out.params[key] = std::move(*decoded);
            extended.insert(std::move(key));
        } else {
            out.params.emplace(std::move(key), std::move(value));  // the first one wins
        }
    }
    return out;
}

core::Result<std::vector<FormPart>> parse_multipart(const std::filesystem::path& body,
                                                    std::string_view content_type,
                                                    const MultipartLimits& limits) {
    return detail::parse_multipart(body, content_type, limits, kMultipartPieceSize);
}

namespace detail {

core::Result<std::vector<FormPart>> parse_multipart(const std::filesystem::path& body,
                                                    std::string_view content_type,
                                                    const MultipartLimits& limits,
                                                    std::size_t piece_size) {
    if (piece_size == 0) throw std::invalid_argument("parse_multipart: piece_size is 0");
    const HeaderValue type = parse_header_value(content_type);
    if (type.value != "multipart/form-data") {
        return core::fail(ErrorCode::kUnsupportedMediaType,
                          "The request body must be multipart/form-data.");
    }
    const auto boundary = type.params.find("boundary");
    if (boundary == type.params.end() || boundary->second.empty()) {
        return core::fail(ErrorCode::kBadRequest, "The Content-Type has no multipart boundary.");
    }
    if (boundary->second.size() > 70) {
        return core::fail(ErrorCode::kBadRequest,
                          "The multipart boundary is longer than 70 characters.");
    }
    if (!is_valid_boundary(boundary->second)) {
        return core::fail(ErrorCode::kBadRequest,
                          "The multipart boundary contains characters that are not allowed.");
    }
    const FileDescriptor fd(body);
    if (fd.get() < 0) return core::fail(ErrorCode::kBadRequest, std::string(kUnreadable));
    MultipartParser parser(fd.get(), boundary->second, limits, piece_size);
    return parser.run();
}

}  // namespace detail

core::Result<std::string> read_part(const std::filesystem::path& body, const FormPart& part,
                                    std::size_t max_bytes) {
    if (part.size > max_bytes) {
        return core::fail(core::Error::invalid(
            json_pointer(part.name), "is longer than " + std::to_string(max_bytes) + " bytes"));
    }
    const FileDescriptor fd(body);
    if (fd.get() < 0) return core::fail(ErrorCode::kInternal, std::string(kUnreadable));
    std::string out(static_cast<std::size_t>(part.size), '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        const ssize_t n = ::pread(fd.get(), out.data() + got, out.size() - got,
                                  static_cast<off_t>(part.offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return core::fail(ErrorCode::kInternal, std::string(kUnreadable));
        got += static_cast<std::size_t>(n);
    }
    return out;
}

}  // namespace kontor::http
