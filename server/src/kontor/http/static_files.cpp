#include "kontor/http/static_files.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kontor::http::detail {
namespace fs = std::filesystem;
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
    {".wasm", "application/wasm"},
}};

// Vite puts content-hashed names under /assets/, so a changed file always has a new URL.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// Everything else (index.html above all) must be revalidated, or a deploy would not show up.
constexpr std::string_view kRevalidate = "no-cache";

constexpr std::string_view kBuiltinPage = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kontor</title>
</head>
<body>
<h1>Kontor</h1>
<p>The Kontor API is running.</p>
<p>The web UI has not been built, so there is nothing else to show here.
Build it with <code>npm run build</code> in <code>web/</code>, or point <code>web_dir</code>
at a built copy, then restart the server.</p>
<ul>
<li><a href="/api/docs">API documentation</a> (/api/docs)</li>
<li><a href="/healthz">Health check</a> (/healthz)</li>
</ul>
</body>
</html>
)";

Response not_found(const Request& req) {
    return problem(core::Error::not_found("There is no file at this path."), req.request_id);
}

bool inside(const fs::path& root, const fs::path& candidate) {
    const auto [r, c] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
    return r == root.end();
}

// "a", "W/\"a\"", "\"a\", \"b\"" and "*" as sent by browsers and proxies.
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    auto strip_weak = [](std::string_view t) { return t.starts_with("W/") ? t.substr(2) : t; };
    etag = strip_weak(etag);
    while (!if_none_match.empty()) {
        const std::size_t comma = if_none_match.find(',');
        std::string_view tag = if_none_match.substr(0, comma);
        if_none_match =
            comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag == "*" || strip_weak(tag) == etag) return true;
    }
    return false;
}

}  // namespace

std::string_view content_type_for(const fs::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    for (const auto& [e, type] : kContentTypes) {
        if (e == ext) return type;
    }
    return "application/octet-stream";
}

Response builtin_page() {
    Response res = Response::text(200, std::string(kBuiltinPage), "text/html; charset=utf-8");
    res.set("Cache-Control", std::string(kRevalidate));
    return res;
}

StaticFiles::StaticFiles(const std::optional<fs::path>& web_dir) {
    if (!web_dir) return;
    std::error_code ec;
    fs::path root = fs::canonical(*web_dir, ec);
    if (!ec && fs::is_directory(root, ec)) root_ = std::move(root);
}

Response StaticFiles::serve(const Request& req) const {
    // req.path is already percent-decoded, so "%2e%2e" arrives here as ".." and is refused too.
    std::vector<std::string_view> segments;
    std::string_view rest = req.path;
    while (!rest.empty()) {
        const std::size_t slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (segment.empty()) continue;
        // Dotfiles (.env, .git) and "."/".." are never served, whatever is on disk.
        if (segment.starts_with('.') || segment.find('\\') != std::string_view::npos)
            return not_found(req);
        segments.push_back(segment);
    }
    const bool is_asset = req.path.starts_with("/assets/");
    // A name with an extension asks for a file; answering it with index.html would hand HTML to
    // a <script> tag and hide the missing file.
    const bool wants_file =
        !segments.empty() && segments.back().find('.') != std::string_view::npos;

    if (root_) {
        if (!segments.empty()) {
            fs::path candidate = *root_;
            for (const std::string_view s : segments) candidate /= fs::path(std::string(s));
            std::error_code ec;
            // canonical() resolves symlinks, so a link pointing out of web_dir is caught here.
            const fs::path resolved = fs::canonical(candidate, ec);
            if (!ec && inside(*root_, resolved) && fs::is_regular_file(resolved, ec)) {
                return serve_file(resolved, req, is_asset);
            }
        }
        if (wants_file || is_asset) return not_found(req);
        std::error_code ec;
        const fs::path index = *root_ / "index.html";
        if (fs::is_regular_file(index, ec)) return serve_file(index, req, false);
    } else if (wants_file || is_asset) {
        return not_found(req);
    }
    return builtin_page();
}

Response StaticFiles::serve_file(const fs::path& file, const Request& req, bool immutable) const {
    std::error_code size_ec;
    std::error_code time_ec;
    const auto size = fs::file_size(file, size_ec);
    const auto mtime = fs::last_write_time(file, time_ec);
    if (size_ec || time_ec) return not_found(req);

    // Size and modification time identify a build's file well enough and cost no hashing.
    std::array<char, 64> etag_buf{};
    const int n = std::snprintf(etag_buf.data(), etag_buf.size(), "\"%llx-%llx\"",
                                static_cast<unsigned long long>(size),
                                static_cast<unsigned long long>(mtime.time_since_epoch().count()));
    const std::string etag(etag_buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
    const std::string cache_control(immutable ? kImmutable : kRevalidate);

    Response res;
    if (const auto inm = req.header("if-none-match"); inm && etag_matches(*inm, etag)) {
        res.status = 304;
    } else {
        res.status = 200;
        res.file = file;
        res.set("Content-Type", std::string(content_type_for(file)));
    }
    res.set("ETag", etag);
    res.set("Cache-Control", cache_control);
    return res;
}

}  // namespace kontor::http::detail
