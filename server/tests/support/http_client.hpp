#pragma once
// A small blocking HTTP/1.1 client for API tests (Beast over a TCP socket to 127.0.0.1).
// One Client keeps one connection (keep-alive) and reconnects when the server closed it.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace kontor::testing {

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    bool keep_alive = true;

    std::string header(const std::string& lower_name) const;  // "" when absent
    nlohmann::json json() const;                              // throws on non-JSON
};

class HttpClient {
public:
    explicit HttpClient(unsigned short port);
    ~HttpClient();

    HttpResponse request(const std::string& method, const std::string& target,
                         const std::string& body = "",
                         const std::vector<std::pair<std::string, std::string>>& headers = {});
    HttpResponse get(const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        return request("GET", target, "", headers);
    }
    HttpResponse post_json(const std::string& target, const std::string& body,
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
        headers.emplace_back("Content-Type", "application/json");
        return request("POST", target, body, headers);
    }
    // Sends raw bytes and reads one response (for malformed requests and chunked bodies).
    HttpResponse raw(const std::string& bytes);
    // How many TCP connections this client has opened (keep-alive checks).
    int connections_opened() const noexcept { return opened_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int opened_ = 0;
};

}  // namespace kontor::testing
