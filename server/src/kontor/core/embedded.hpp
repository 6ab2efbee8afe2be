#pragma once
// A file compiled into the binary by kontor_embed() (cmake/KontorEmbed.cmake).
#include <string_view>

namespace kontor::core {

struct EmbeddedFile {
    std::string_view
        name;  // path relative to the embedding base, e.g. "sqlite/catalog/0001_init.sql"
    std::string_view content;  // bytes, not NUL-terminated by contract
};

}  // namespace kontor::core
