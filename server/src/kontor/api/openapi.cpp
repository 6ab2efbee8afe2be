#include "kontor/api/openapi.hpp"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <span>
#include <stdexcept>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "kontor/core/embedded.hpp"

namespace kontor::api {

std::span<const core::EmbeddedFile> embedded_api_document();  // generated (CMakeLists.txt)

namespace {

nlohmann::json scalar_to_json(const YAML::Node& node) {
    const std::string& s = node.Scalar();
    if (node.Tag() == "!") return s;  // quoted
    static const std::regex kInt(R"([-+]?[0-9]+)");
    static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (s == "null" || s == "~" || s.empty()) return nullptr;
    if (s == "true") return true;
    if (s == "false") return false;
    if (std::regex_match(s, kInt)) return std::stoll(s);
    if (std::regex_match(s, kFloat)) return std::stod(s);
    return s;
}

nlohmann::json node_to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null:
            return nullptr;
        case YAML::NodeType::Scalar:
            return scalar_to_json(node);
        case YAML::NodeType::Sequence: {
            nlohmann::json arr = nlohmann::json::array();
            for (const auto& item : node) arr.push_back(node_to_json(item));
            return arr;
        }
        case YAML::NodeType::Map: {
            nlohmann::json obj = nlohmann::json::object();
            for (const auto& kv : node) obj[kv.first.as<std::string>()] = node_to_json(kv.second);
            return obj;
        }
        case YAML::NodeType::Undefined:
            break;
    }
    return nullptr;
}

std::string to_router_pattern(const std::string& openapi_path) {
    static const std::regex kParam(R"(\{([A-Za-z0-9_]+)\})");
    return std::regex_replace(openapi_path, kParam, ":$1");
}

constexpr std::pair<std::string_view, http::Method> kMethods[] = {
    {"get", http::Method::kGet},        {"head", http::Method::kHead},
    {"post", http::Method::kPost},      {"put", http::Method::kPut},
    {"patch", http::Method::kPatch},    {"delete", http::Method::kDelete},
    {"options", http::Method::kOptions}};

// Replaces every local "$ref": "#/components/..." with a copy of its target, so each request-body
// schema is self-contained for valijson. Recursive schemas are refused (depth bound).
nlohmann::json inline_refs(const nlohmann::json& node, const nlohmann::json& doc, int depth = 0) {
    if (depth > 32)
        throw std::runtime_error("api/openapi.yaml: $ref nesting too deep (recursive schema?)");
    if (node.is_object()) {
        if (auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
            const std::string target = ref->get<std::string>();
            if (!target.starts_with("#/"))
                throw std::runtime_error("api/openapi.yaml: only local $ref is supported: " +
                                         target);
            const nlohmann::json::json_pointer pointer(target.substr(1));
            if (!doc.contains(pointer))
                throw std::runtime_error("api/openapi.yaml: unresolved $ref " + target);
            return inline_refs(doc.at(pointer), doc, depth + 1);
        }
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [k, v] : node.items()) out[k] = inline_refs(v, doc, depth);
        return out;
    }
    if (node.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& v : node) out.push_back(inline_refs(v, doc, depth));
        return out;
    }
    return node;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

}  // namespace

nlohmann::json yaml_to_json(std::string_view yaml) {
    return node_to_json(YAML::Load(std::string(yaml)));
}

struct OpenApi::Validators {
    // Keyed by (method, router pattern). The schema documents keep the parsed schema's storage.
    std::map<std::pair<http::Method, std::string>, std::unique_ptr<valijson::Schema>> schemas;
};

OpenApi::OpenApi(nlohmann::json doc)
    : doc_(std::move(doc)), validators_(std::make_unique<Validators>()) {
    if (!doc_.is_object() || !doc_.contains("openapi") || !doc_.contains("paths")) {
        throw std::runtime_error("api/openapi.yaml: not an OpenAPI document");
    }
    for (const auto& [path, item] : doc_["paths"].items()) {
        for (const auto& [name, method] : kMethods) {
            if (!item.contains(name)) continue;
            const auto& op = item[std::string(name)];
            const nlohmann::json::json_pointer schema_at(
                "/requestBody/content/application~1json/schema");
            if (!op.contains(schema_at)) continue;
            const nlohmann::json root = inline_refs(op.at(schema_at), doc_);
            auto parsed = std::make_unique<valijson::Schema>();
            valijson::SchemaParser parser;
            valijson::adapters::NlohmannJsonAdapter adapter(root);
            try {
                parser.populateSchema(adapter, *parsed);
            } catch (const std::exception& e) {
                throw std::runtime_error("api/openapi.yaml: schema of " + std::string(name) + " " +
                                         path + ": " + e.what());
            }
            validators_->schemas.emplace(std::pair{method, to_router_pattern(path)},
                                         std::move(parsed));
        }
    }
}

OpenApi::~OpenApi() = default;

std::shared_ptr<const OpenApi> OpenApi::from_yaml(std::string_view yaml) {
    return std::shared_ptr<const OpenApi>(new OpenApi(yaml_to_json(yaml)));
}

std::shared_ptr<const OpenApi> OpenApi::load() {
    for (const auto& f : embedded_api_document()) {
        if (f.name == "openapi.yaml") return from_yaml(f.content);
    }
    throw std::runtime_error("api/openapi.yaml is not embedded");
}

std::vector<std::pair<http::Method, std::string>> OpenApi::operations() const {
    std::vector<std::pair<http::Method, std::string>> out;
    for (const auto& [path, item] : doc_["paths"].items()) {
        for (const auto& [name, method] : kMethods) {
            if (item.contains(name)) out.emplace_back(method, to_router_pattern(path));
        }
    }
    return out;
}

std::vector<core::FieldError> OpenApi::validate(http::Method method, const std::string& pattern,
                                                const nlohmann::json& body) const {
    const auto it = validators_->schemas.find({method, pattern});
    if (it == validators_->schemas.end()) return {};
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(body);
    std::vector<core::FieldError> errors;
    if (validator.validate(*it->second, target, &results)) return errors;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        // context is like ["<root>", "[name]"]; turn it into a JSON pointer "/name".
        std::string pointer;
        for (std::size_t i = 1; i < error.context.size(); ++i) {
            std::string seg = error.context[i];
            if (seg.size() >= 2 && seg.front() == '[' && seg.back() == ']')
                seg = seg.substr(1, seg.size() - 2);
            if (seg.size() >= 2 && seg.front() == '"' && seg.back() == '"')
                seg = seg.substr(1, seg.size() - 2);
            pointer += "/" + seg;
        }
        // valijson reports a failed property and then its parent object; keep the most specific.
        const bool covered =
            std::any_of(errors.begin(), errors.end(), [&](const core::FieldError& e) {
                return e.field.size() > pointer.size() && e.field.rfind(pointer, 0) == 0;
            });
        if (!covered) errors.push_back({pointer.empty() ? "/" : pointer, error.description});
    }
    return errors;
}

std::string OpenApi::render_html() const {
    const auto& info = doc_.value("info", nlohmann::json::object());
    std::string h;
    h += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         html_escape(info.value("title", "API")) +
         " — API reference</title><style>"
         "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 "
         "1rem;color:#1a1a1a}"
         "h2{margin-top:2.5rem;border-bottom:1px solid #ddd}.op{border:1px solid "
         "#ddd;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}"
         ".m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace}.p{font-"
         "family:monospace}"
         "pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:13px}small{color:#555}</"
         "style></head><body>";
    h += "<h1>" + html_escape(info.value("title", "API")) + " <small>" +
         html_escape(info.value("version", "")) + "</small></h1>";
    h += "<p>" + html_escape(info.value("description", "")) + "</p>";
    h += "<p>Machine-readable: <a "
         "href=\"/api/openapi.json\">/api/openapi.json</a></p><h2>Operations</h2>";
    for (const auto& [path, item] : doc_["paths"].items()) {
        for (const auto& [name, method] : kMethods) {
            if (!item.contains(name)) continue;
            const auto& op = item[std::string(name)];
            std::string upper(name);
            for (char& c : upper)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            h += "<div class=\"op\" id=\"" + html_escape(op.value("operationId", "")) +
                 "\"><p><span class=\"m\">" + upper + "</span> <span class=\"p\">" +
                 html_escape(path) + "</span> — " + html_escape(op.value("summary", "")) + "</p>";
            if (op.contains("description"))
                h += "<p>" + html_escape(op["description"].get<std::string>()) + "</p>";
            if (op.contains("requestBody")) {
                h += "<p><b>Request body</b></p><pre>" + html_escape(op["requestBody"].dump(2)) +
                     "</pre>";
            }
            h += "<p><b>Responses</b>: ";
            const nlohmann::json responses = op.value("responses", nlohmann::json::object());
            for (const auto& [status, resp] : responses.items()) {
                h += "<code>" + html_escape(status) + "</code> " +
                     html_escape(resp.value("description", "")) + "; ";
            }
            h += "</p></div>";
        }
    }
    if (doc_.contains("components") && doc_["components"].contains("schemas")) {
        h += "<h2>Schemas</h2>";
        for (const auto& [name, schema] : doc_["components"]["schemas"].items()) {
            h += "<h3 id=\"schema-" + html_escape(name) + "\">" + html_escape(name) + "</h3><pre>" +
                 html_escape(schema.dump(2)) + "</pre>";
        }
    }
    h += "</body></html>";
    return h;
}

}  // namespace kontor::api
