#pragma once
// Serving the built web UI (private to http/). Paths are refused rather than normalised when they
// try to leave web_dir ("..", dotfiles, symlinks pointing outside), so no clever encoding can reach
// a file the operator did not put there. Bodies are not read here: the response names the file
// and the server streams it.
//
// Thread rules: immutable after construction; serve() is safe from any thread.
#include <filesystem>
#include <optional>
#include <string_view>

#include "kontor/http/message.hpp"

namespace kontor::http::detail {

class StaticFiles {
public:
    // web_dir may be unset or missing: then "/" and SPA paths get the built-in notice page.
    explicit StaticFiles(const std::optional<std::filesystem::path>& web_dir);

    // The answer for a GET/HEAD on a non-API path that matched no route: a file, 304, the SPA's
    // index.html, the built-in page, or a 404 problem.
    Response serve(const Request& req) const;

private:
    Response serve_file(const std::filesystem::path& file, const Request& req,
                        bool immutable) const;

    std::optional<std::filesystem::path> root_;  // canonical web_dir, when it exists
};

// Content type by file extension (".js" → "text/javascript; charset=utf-8"); unknown types are
// application/octet-stream, which browsers will not sniff into something executable.
std::string_view content_type_for(const std::filesystem::path& file);

// The page shown when the web UI has not been built.
Response builtin_page();

}  // namespace kontor::http::detail
