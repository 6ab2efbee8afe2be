#include "support/http_client.hpp"

#include <cctype>
#include <utility>

// GCC 12 reports a false -Wnull-dereference inside Asio's scheduler (see http/server.cpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop

namespace kontor::testing {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string HttpResponse::header(const std::string& lower_name) const {
    for (const auto& [k, v] : headers) {
        if (k == lower_name) return v;
    }
    return "";
}

nlohmann::json HttpResponse::json() const { return nlohmann::json::parse(body); }

struct HttpClient::Impl {
    unsigned short port;
    net::io_context ioc;
    std::unique_ptr<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    void connect() {
        stream = std::make_unique<beast::tcp_stream>(ioc);
        stream->expires_after(std::chrono::seconds(30));
        stream->connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        buffer.clear();
    }

    HttpResponse read_response() {
        http::response_parser<http::string_body> parser;
        parser.body_limit(512 * 1024 * 1024);
        stream->expires_after(std::chrono::seconds(60));
        http::read(*stream, buffer, parser);
        auto& res = parser.get();
        HttpResponse out;
        out.status = static_cast<int>(res.result_int());
        for (const auto& f : res) {
            std::string name(f.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            out.headers.emplace_back(std::move(name), std::string(f.value()));
        }
        out.body = std::move(res.body());
        out.keep_alive = res.keep_alive();
        if (!out.keep_alive) stream.reset();
        return out;
    }
};

HttpClient::HttpClient(unsigned short port) : impl_(std::make_unique<Impl>()) {
    impl_->port = port;
}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
    for (int attempt = 0;; ++attempt) {
        if (!impl_->stream) {
            impl_->connect();
            ++opened_;
        }
        http::request<http::string_body> req{http::string_to_verb(method), target, 11};
        req.set(http::field::host, "127.0.0.1");
        for (const auto& [k, v] : headers) req.set(k, v);
        req.body() = body;
        if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
            req.prepare_payload();
        try {
            impl_->stream->expires_after(std::chrono::seconds(30));
            http::write(*impl_->stream, req);
            return impl_->read_response();
        } catch (const boost::system::system_error&) {
            // A keep-alive connection the server closed in between: retry once on a new one.
            impl_->stream.reset();
            if (attempt > 0) throw;
        }
    }
}

HttpResponse HttpClient::raw(const std::string& bytes) {
    impl_->connect();
    ++opened_;
    net::write(impl_->stream->socket(), net::buffer(bytes));
    return impl_->read_response();
}

}  // namespace kontor::testing
