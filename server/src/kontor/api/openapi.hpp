#pragma once
// The HTTP contract (api/openapi.yaml, OpenAPI 3.1), compiled into the binary. One source of
// truth for three things: the document served at /api/openapi.json and /api/docs, the JSON Schema
// validation of request bodies before a handler runs, and the test that fails when the router and
// the document disagree.
//
// Immutable after load(); validate() may be called from any thread.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/http/message.hpp"

namespace kontor::api {

class OpenApi {
public:
    // Parses the embedded api/openapi.yaml. Throws std::runtime_error when it is malformed.
    static std::shared_ptr<const OpenApi> load();
    // Parses a YAML text (tests).
    static std::shared_ptr<const OpenApi> from_yaml(std::string_view yaml);
    ~OpenApi();

    const nlohmann::json& document() const noexcept { return doc_; }
    // (method, router pattern) of every operation; "/tenants/{id}" is reported as "/tenants/:id".
    std::vector<std::pair<http::Method, std::string>> operations() const;
    // Field errors of body against the operation's requestBody schema (application/json);
    // empty when valid or when the operation declares no JSON body.
    std::vector<core::FieldError> validate(http::Method method, const std::string& pattern,
                                           const nlohmann::json& body) const;
    // A self-contained HTML reference of the document (no scripts, so it passes the CSP).
    std::string render_html() const;

private:
    struct Validators;
    explicit OpenApi(nlohmann::json doc);
    nlohmann::json doc_;
    std::unique_ptr<Validators> validators_;
};

// YAML → JSON: plain scalars become null/bool/number where YAML 1.2 core schema says so, quoted
// scalars stay strings.
nlohmann::json yaml_to_json(std::string_view yaml);

}  // namespace kontor::api
