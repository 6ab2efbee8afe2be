#pragma once
// JSON text written straight into a string, for the few hot answers where building an
// nlohmann::json tree first costs more than the rest of the request (ticket lists: a tree of 25
// tickets was a third of the CPU time of a list request; bench/RESULTS.md). Everything else uses
// nlohmann::json. Strings are escaped as RFC 8259 requires; text that is not valid UTF-8 is
// written with U+FFFD for the bad bytes, as http::Response::json does.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kontor::core {

class JsonText {
public:
    JsonText& begin_object();
    JsonText& end_object();
    JsonText& begin_array();
    JsonText& end_array();
    JsonText& key(std::string_view name);  // inside an object, before its value
    JsonText& string(std::string_view value);
    JsonText& number(std::int64_t value);
    JsonText& boolean(bool value);
    JsonText& null();

    const std::string& str() const noexcept { return out_; }
    std::string take() noexcept { return std::move(out_); }

private:
    void separate();  // the comma before a value or key that is not the first of its container
    std::string out_;
    std::vector<bool> first_;  // per open container: nothing written into it yet
    bool after_key_ = false;
};

// Appends `value` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view value);

}  // namespace kontor::core
