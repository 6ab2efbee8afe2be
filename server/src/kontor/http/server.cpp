// The HTTP edge: one coroutine per connection on the I/O threads, handlers on the worker pool.
// Boost 1.74 specifics (reference/scratch/coro_beast_174.cpp): errors come back through
// redirect_error (no as_tuple yet), and <utility> must precede Asio's awaitable header.
#include "kontor/http/server.hpp"

#include <algorithm>
#include <utility>

// GCC 12 reports -Wnull-dereference inside Asio's scheduler after inlining (a false positive in
// code we do not own); silence it for the Boost headers only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop

#include <array>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>

#include "kontor/core/ids.hpp"
#include "kontor/core/log.hpp"
#include "kontor/http/internal.hpp"
#include "kontor/http/static_files.hpp"

namespace kontor::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// Unmatched requests still have their (small) body read so the connection can be reused.
constexpr std::size_t kDefaultBodyLimit = 1 << 20;
// Requests waiting for a worker, per worker, before new ones are turned away with 503: beyond
// this, queueing only adds latency that the client will time out on anyway.
constexpr int kQueuePerWorker = 64;
// After an error answered before the body was read, keep reading (and discarding) for a while so
// the client receives the answer instead of a connection reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 16 << 20;
constexpr std::size_t kReadChunk = 4096;
// Deeper JSON than this is not a real request body; refusing it keeps recursive consumers
// (validators, destructors) off the end of the stack.
constexpr int kMaxJsonDepth = 128;

auto ec_token(beast::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

// Beast 1.74 hands out boost::string_view; the rest of Kontor speaks std::string_view.
std::string_view sv(beast::string_view s) noexcept { return {s.data(), s.size()}; }

std::optional<Method> from_verb(bhttp::verb v) noexcept {
    switch (v) {
        case bhttp::verb::get:
            return Method::kGet;
        case bhttp::verb::head:
            return Method::kHead;
        case bhttp::verb::post:
            return Method::kPost;
        case bhttp::verb::put:
            return Method::kPut;
        case bhttp::verb::patch:
            return Method::kPatch;
        case bhttp::verb::delete_:
            return Method::kDelete;
        case bhttp::verb::options:
            return Method::kOptions;
        default:
            return std::nullopt;
    }
}

bool no_body_status(int status) noexcept { return status < 200 || status == 204 || status == 304; }

// Malformed HTTP (answered with 400) as opposed to the peer going away or a timeout (no answer).
bool is_protocol_error(const beast::error_code& ec) {
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return false;
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

Response error_response(core::ErrorCode code, std::string detail, std::string_view request_id) {
    return problem(core::Error{code, std::move(detail), {}}, request_id);
}

// 431 has no ErrorCode of its own (it is a kind of bad request); only status and title differ.
Response header_too_large(std::string_view request_id) {
    Response res = error_response(core::ErrorCode::kBadRequest, "The request header is too large.",
                                  request_id);
    nlohmann::json body = nlohmann::json::parse(res.body);
    body["status"] = 431;
    body["title"] = "Request header fields too large";
    res.body = body.dump();
    res.status = 431;
    return res;
}

// Nesting depth of a JSON text, counting brackets outside strings; cheap and allocation-free.
int json_depth(std::string_view text) noexcept {
    int depth = 0;
    int max_depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            max_depth = std::max(max_depth, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return max_depth;
}

std::string join_methods(const std::vector<Method>& methods) {
    std::string out;
    for (const Method m : methods) {
        if (!out.empty()) out += ", ";
        out += method_name(m);
    }
    return out;
}

bool header_safe(std::string_view s) noexcept {
    return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

template <class Body>
void copy_headers(bhttp::response<Body>& msg, const Response& res) {
    for (const auto& [name, value] : res.headers) {
        // A CR or LF in a header would let a value split the response; drop such headers.
        if (name.empty() || !header_safe(name) || !header_safe(value)) {
            core::log::warn("dropped unsafe response header", {{"header", name}});
            continue;
        }
        msg.insert(beast::string_view(name.data(), name.size()),
                   beast::string_view(value.data(), value.size()));
    }
}

// A connection: the socket, and whether it waits for a request (then stop() may close it).
// Owned jointly by its session coroutine and the server's registry; touched only on its strand.
struct Connection {
    explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
    beast::tcp_stream stream;
    bool idle = true;
    std::string remote;
};

// Pairs +1/-1 on the server's and the metrics' in-flight counters, also on early exits.
class InFlight {
public:
    InFlight(std::atomic<int>& counter, Metrics& metrics) : counter_(counter), metrics_(metrics) {
        counter_.fetch_add(1);
        metrics_.add_in_flight(1);
    }
    ~InFlight() {
        counter_.fetch_sub(1);
        metrics_.add_in_flight(-1);
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

private:
    std::atomic<int>& counter_;
    Metrics& metrics_;
};

std::pair<std::string, std::string> split_listen(const std::string& listen) {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string::npos)
        throw std::invalid_argument("listen address '" + listen + "' has no port");
    std::string host = listen.substr(0, colon);
    std::string port = listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    return {host, port};
}

// A spooled request body: removed when the request is done, whatever happened.
struct SpoolFile {
    explicit SpoolFile(std::filesystem::path p) : path(std::move(p)) {}
    ~SpoolFile() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
    SpoolFile(const SpoolFile&) = delete;
    SpoolFile& operator=(const SpoolFile&) = delete;
    std::filesystem::path path;
};

}  // namespace

int sweep_spool(const std::filesystem::path& spool_dir, std::chrono::seconds older_than) {
    int removed = 0;
    std::error_code ec;
    const auto cutoff = std::filesystem::file_time_type::clock::now() - older_than;
    for (const auto& f : std::filesystem::directory_iterator(spool_dir, ec)) {
        if (f.is_regular_file(ec) && std::filesystem::last_write_time(f.path(), ec) < cutoff &&
            std::filesystem::remove(f.path(), ec))
            ++removed;
    }
    if (removed > 0) core::log::info("upload spool swept", {{"files", removed}});
    return removed;
}

namespace {

std::filesystem::path spool_dir_of(const ServerOptions& o) {
    std::filesystem::path dir =
        o.spool_dir.empty() ? std::filesystem::temp_directory_path() / "kontor-spool" : o.spool_dir;
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, const Router& r, Metrics& m)
        : options_(std::move(o)),
          spool_dir_(spool_dir_of(options_)),
          router_(r),
          metrics_(m),
          statics_(options_.web_dir),
          ioc_(std::max(1, options_.io_threads)),
          work_(net::make_work_guard(ioc_)),
          pool_(static_cast<std::size_t>(std::max(1, options_.workers))),
          acceptor_(net::make_strand(ioc_)),
          drain_timer_(ioc_) {}

    ~Impl() {
        destroying_ = true;
        // Stop a pool that run() did not join, so no handler outlives the objects it uses.
        pool_.stop();
        pool_.join();
        std::lock_guard lock(sessions_mu_);
        sessions_.clear();
    }

    void start();
    void run();
    void stop();

    net::awaitable<void> accept_loop();
    net::awaitable<void> session(std::shared_ptr<Connection> conn);
    net::awaitable<void> serve_one(Connection& conn, beast::flat_buffer& buffer, bool& keep_going);
    net::awaitable<Response> respond(Request& req, std::optional<Method> method,
                                     std::variant<RouteMatch, NoRoute, WrongMethod>& matched,
                                     std::string& route_label);
    Response handle(Request& req, const Route& route);
    // The caller of a non-public route, or the refusal (401/403) to answer instead.
    std::variant<std::optional<identity::Actor>, Response> authorize(Request& req,
                                                                     const Route& route);
    net::awaitable<std::size_t> write(Connection& conn, Response& res, bool head, bool keep_alive,
                                      unsigned version, beast::error_code& ec);
    net::awaitable<void> linger_close(Connection& conn);
    void record(const std::string& request_id, const std::string& method, std::string_view raw_path,
                const std::string& route, int status,
                std::chrono::steady_clock::time_point started_at, std::size_t bytes,
                const std::string& remote);
    void unregister(Connection* conn);
    void maybe_finish();

    // Declaration order matters for destruction: the io_context goes before the state its
    // pending handlers touch, and the pool, acceptor and timer go before the io_context.
    ServerOptions options_;
    std::filesystem::path spool_dir_;
    const Router& router_;
    Metrics& metrics_;
    detail::StaticFiles statics_;
    std::atomic<bool> started_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<bool> acceptor_closed_{false};
    std::atomic<bool> destroying_{false};
    std::atomic<int> in_flight_{0};
    std::atomic<int> queued_{0};
    std::atomic<unsigned short> port_{0};
    std::mutex sessions_mu_;
    std::map<Connection*, std::shared_ptr<Connection>> sessions_;
    net::io_context ioc_;
    net::executor_work_guard<net::io_context::executor_type> work_;
    net::thread_pool pool_;
    tcp::acceptor acceptor_;
    net::steady_timer drain_timer_;
};

void Server::Impl::start() {
    if (started_.exchange(true)) throw std::logic_error("Server::start() called twice");
    const auto [host, service] = split_listen(options_.listen);
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    const auto results = resolver.resolve(
        host, service, tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
        throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                                "cannot resolve listen address '" + options_.listen + "'");
    }
    const tcp::endpoint endpoint = results.begin()->endpoint();
    auto check = [&](const char* what) {
        if (ec) {
            throw std::system_error(std::error_code(ec.value(), std::system_category()),
                                    std::string(what) + " " + options_.listen);
        }
    };
    acceptor_.open(endpoint.protocol(), ec);
    check("open");
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    check("set SO_REUSEADDR on");
    acceptor_.bind(endpoint, ec);
    check("bind");
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    check("listen on");
    port_ = acceptor_.local_endpoint(ec).port();
    net::co_spawn(acceptor_.get_executor(), accept_loop(), net::detached);
}

void Server::Impl::run() {
    if (!started_) start();
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    // Handlers still running after a drain timeout finish here; none are cut off mid-write to
    // the database.
    pool_.join();
}

void Server::Impl::stop() {
    if (stopping_.exchange(true)) return;
    net::post(acceptor_.get_executor(), [this] {
        beast::error_code ec;
        acceptor_.close(ec);
        acceptor_closed_ = true;
        drain_timer_.expires_after(options_.drain_timeout);
        drain_timer_.async_wait([this](beast::error_code wait_ec) {
            if (wait_ec) return;
            core::log::warn("drain timeout: stopping with requests in flight",
                            {{"in_flight", in_flight_.load()}});
            ioc_.stop();
        });
        maybe_finish();
    });
    std::vector<std::shared_ptr<Connection>> conns;
    {
        std::lock_guard lock(sessions_mu_);
        for (const auto& [ptr, conn] : sessions_) conns.push_back(conn);
    }
    // Connections waiting for a request close now; busy ones see `stopping` after their response.
    for (auto& conn : conns) {
        net::post(conn->stream.get_executor(), [conn] {
            if (conn->idle) conn->stream.close();
        });
    }
}

void Server::Impl::unregister(Connection* conn) {
    {
        std::lock_guard lock(sessions_mu_);
        sessions_.erase(conn);
    }
    maybe_finish();
}

void Server::Impl::maybe_finish() {
    if (!stopping_ || destroying_ || !acceptor_closed_) return;
    std::lock_guard lock(sessions_mu_);
    if (sessions_.empty()) ioc_.stop();
}

net::awaitable<void> Server::Impl::accept_loop() {
    net::steady_timer backoff(acceptor_.get_executor());
    for (;;) {
        // Each connection gets its own strand, so with several I/O threads its handlers still
        // run one at a time.
        tcp::socket socket(net::make_strand(ioc_));
        beast::error_code ec;
        co_await acceptor_.async_accept(socket, ec_token(ec));
        if (ec) {
            if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
            // Out of file descriptors and the like: back off briefly instead of spinning.
            core::log::warn("accept failed", {{"error", ec.message()}});
            backoff.expires_after(std::chrono::milliseconds(50));
            co_await backoff.async_wait(ec_token(ec));
            continue;
        }
        if (stopping_) {
            socket.close(ec);
            continue;
        }
        auto conn = std::make_shared<Connection>(std::move(socket));
        const auto remote = conn->stream.socket().remote_endpoint(ec);
        if (!ec) conn->remote = remote.address().to_string();
        {
            std::lock_guard lock(sessions_mu_);
            sessions_.emplace(conn.get(), conn);
        }
        net::co_spawn(conn->stream.get_executor(), session(conn), net::detached);
    }
}

net::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> conn) {
    struct Unregister {
        Impl& impl;
        Connection* conn;
        ~Unregister() { impl.unregister(conn); }
    } unregister_on_exit{*this, conn.get()};

    beast::flat_buffer buffer;
    bool first = true;
    try {
        for (;;) {
            conn->idle = true;
            if (stopping_) break;
            if (buffer.size() == 0) {
                // Waiting for the next request: the idle timeout applies (header_timeout for a
                // new connection, which should send its request right away).
                conn->stream.expires_after(first ? options_.header_timeout : options_.idle_timeout);
                beast::error_code ec;
                const std::size_t n =
                    co_await conn->stream.async_read_some(buffer.prepare(kReadChunk), ec_token(ec));
                if (ec) break;
                buffer.commit(n);
            }
            first = false;
            bool keep_going = false;
            co_await serve_one(*conn, buffer, keep_going);
            if (!keep_going) break;
        }
    } catch (const std::exception& e) {
        core::log::error("connection failed", {{"error", e.what()}, {"remote", conn->remote}});
    }
    conn->stream.close();
}

net::awaitable<void> Server::Impl::serve_one(Connection& conn, beast::flat_buffer& buffer,
                                             bool& keep_going) {
    const auto started_at = std::chrono::steady_clock::now();
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    // The body limit depends on the route, known only after the head; Beast would otherwise
    // reject a large Content-Length during the head already, before we can answer 413 ourselves.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());

    conn.stream.expires_after(options_.header_timeout);
    beast::error_code ec;
    co_await bhttp::async_read_header(conn.stream, buffer, parser, ec_token(ec));
    conn.idle = false;
    if (ec) {
        const bool too_large = ec == bhttp::error::header_limit;
        if (!too_large && !is_protocol_error(ec)) co_return;  // gone or timed out: just close
        InFlight guard(in_flight_, metrics_);
        const std::string request_id = core::new_uuid_v7();
        Response res = too_large ? header_too_large(request_id)
                                 : error_response(core::ErrorCode::kBadRequest,
                                                  "The request is not valid HTTP/1.1.", request_id);
        detail::add_standard_headers(res, "", request_id);
        const std::size_t bytes = co_await write(conn, res, false, false, 11, ec);
        record(request_id, "OTHER", "", "unmatched", res.status, started_at, bytes, conn.remote);
        if (!ec) co_await linger_close(conn);
        co_return;
    }

    InFlight guard(in_flight_, metrics_);
    auto& msg = parser.get();
    const bool head = msg.method() == bhttp::verb::head;
    const std::optional<Method> method = from_verb(msg.method());

    Request req;
    req.method = method.value_or(Method::kGet);
    req.target = std::string(sv(msg.target()));
    req.remote_addr = conn.remote;
    for (const auto& field : msg) {
        std::string name(sv(field.name_string()));
        for (char& c : name) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        req.headers.emplace_back(std::move(name), std::string(sv(field.value())));
    }
    const auto given_id = req.header("x-request-id");
    req.request_id = given_id && detail::is_valid_request_id(*given_id) ? std::string(*given_id)
                                                                        : core::new_uuid_v7();

    const std::string_view target = req.target;
    const std::string_view raw_path = target.substr(0, target.find('?'));
    std::optional<Response> early;  // answered without reading the body
    if (!target.starts_with('/')) {
        early = error_response(core::ErrorCode::kBadRequest,
                               "The request target must be an absolute path.", req.request_id);
    } else if (auto path = detail::percent_decode(raw_path, false); !path) {
        early = error_response(core::ErrorCode::kBadRequest,
                               "The path contains an invalid percent-escape or a NUL byte.",
                               req.request_id);
    } else {
        req.path = std::move(*path);
        const std::size_t q = target.find('?');
        auto query = detail::parse_query(q == std::string_view::npos ? std::string_view{}
                                                                     : target.substr(q + 1));
        if (!query) {
            early =
                error_response(core::ErrorCode::kBadRequest,
                               "The query string contains an invalid percent-escape or a NUL byte.",
                               req.request_id);
        } else {
            req.query = std::move(*query);
        }
    }

    std::variant<RouteMatch, NoRoute, WrongMethod> matched = NoRoute{};
    std::string route_label = "unmatched";
    // CORS (DESIGN.md §6): only origins on the configured allow-list get CORS headers; none by
    // default, because the web UI is served from the same origin.
    std::optional<std::string> cors_origin;
    if (const auto origin = req.header("origin");
        origin && std::find(options_.cors_origins.begin(), options_.cors_origins.end(), *origin) !=
                      options_.cors_origins.end()) {
        cors_origin = std::string(*origin);
    }
    if (!early && cors_origin && method == Method::kOptions &&
        req.header("access-control-request-method") && detail::is_api_path(req.path)) {
        Response preflight = Response::no_content();
        preflight.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
        preflight.set("Access-Control-Allow-Headers",
                      "Authorization, Content-Type, If-Match, Idempotency-Key, X-CSRF-Token, "
                      "X-Request-Id");
        preflight.set("Access-Control-Max-Age", "600");
        early = std::move(preflight);
        route_label = "preflight";
    }
    std::size_t limit = kDefaultBodyLimit;
    if (!early && method) {
        matched = router_.match(*method, req.path);
        if (auto* m = std::get_if<RouteMatch>(&matched)) {
            req.route = m->route->pattern;
            req.params = std::move(m->params);
            route_label = m->route->pattern;
            limit = m->route->options.body_limit;
        }
    }
    if (!early && parser.content_length() && *parser.content_length() > limit) {
        early = error_response(
            core::ErrorCode::kPayloadTooLarge,
            "The request body is larger than " + std::to_string(limit) + " bytes.", req.request_id);
    }
    // Uploads: whoever may not send this request gets their answer before a byte of the body is
    // read (authentication runs here, on the connection's thread; uploads are rare).
    const Route* spool_route = nullptr;
    if (const auto* m = std::get_if<RouteMatch>(&matched); m && m->route->options.spool_body)
        spool_route = m->route;
    if (!early && spool_route) {
        try {
            core::log::RequestIdScope scope(req.request_id);
            auto authorized = authorize(req, *spool_route);
            if (auto* refusal = std::get_if<Response>(&authorized)) {
                early = std::move(*refusal);
            } else if (const auto& actor = std::get<std::optional<identity::Actor>>(authorized);
                       actor && spool_route->options.spool_limit) {
                limit = std::min(limit, spool_route->options.spool_limit(req, *actor));
                if (parser.content_length() && *parser.content_length() > limit)
                    early = error_response(
                        core::ErrorCode::kPayloadTooLarge,
                        "The request body is larger than " + std::to_string(limit) + " bytes.",
                        req.request_id);
            }
        } catch (const std::exception& e) {
            core::log::error("authentication failed", {{"error", e.what()}});
            early = error_response(core::ErrorCode::kUnavailable,
                                   "A data store is busy or unavailable; retry in a moment.",
                                   req.request_id);
        }
    }
    // Head fields used after the body is read (a spooled body moves the parser).
    const bool wants_keep_alive = msg.keep_alive();
    const unsigned version = msg.version();
    const std::string method_string(sv(msg.method_string()));

    Response res;
    bool must_close = false;  // the stream position is unknown or a body is unread
    if (early) {
        res = std::move(*early);
        must_close = !parser.is_done();
    } else {
        bool body_ok = true;
        std::optional<SpoolFile> spooled;
        if (!parser.is_done()) {
            const auto expect = msg.find(bhttp::field::expect);
            if (expect != msg.end() && detail::iequals(sv(expect->value()), "100-continue")) {
                bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
                conn.stream.expires_after(options_.body_timeout);
                co_await bhttp::async_write(conn.stream, cont, ec_token(ec));
                if (ec) co_return;
            }
            conn.stream.expires_after(options_.body_timeout);
            if (spool_route) {
                // Straight to a file in the spool directory, never into memory.
                spooled.emplace(spool_dir_ / core::new_uuid_v7());
                bhttp::request_parser<bhttp::file_body> file_parser{std::move(parser)};
                file_parser.body_limit(limit);
                file_parser.get().body().open(spooled->path.c_str(), beast::file_mode::write_new,
                                              ec);
                if (ec) {
                    core::log::error("spool file", {{"error", ec.message()}});
                    co_return;
                }
                co_await bhttp::async_read(conn.stream, buffer, file_parser, ec_token(ec));
                file_parser.get().body().close();
            } else {
                parser.body_limit(limit);
                co_await bhttp::async_read(conn.stream, buffer, parser, ec_token(ec));
            }
            if (ec == bhttp::error::body_limit) {
                res = error_response(
                    core::ErrorCode::kPayloadTooLarge,
                    "The request body is larger than " + std::to_string(limit) + " bytes.",
                    req.request_id);
                body_ok = false;
            } else if (ec && is_protocol_error(ec)) {
                res = error_response(core::ErrorCode::kBadRequest,
                                     "The request body is not valid HTTP/1.1.", req.request_id);
                body_ok = false;
            } else if (ec) {
                co_return;  // timed out or gone mid-body: nobody to answer
            }
        } else if (spool_route) {
            spooled.emplace(spool_dir_ / core::new_uuid_v7());  // an empty body: an empty file
            std::ofstream(spooled->path, std::ios::binary);
        }
        if (body_ok) {
            if (spooled) {
                std::error_code size_ec;
                req.body_file = spooled->path;
                req.body_size = std::filesystem::file_size(spooled->path, size_ec);
            } else {
                req.body = std::move(msg.body());
            }
            res = co_await respond(req, method, matched, route_label);
        } else {
            must_close = true;
        }
    }

    if (cors_origin) {
        res.set("Access-Control-Allow-Origin", *cors_origin);
        res.set("Access-Control-Allow-Credentials", "true");
        res.set("Access-Control-Expose-Headers", "ETag, Location, Retry-After, X-Request-Id");
        res.add("Vary", "Origin");
    }
    const bool keep_alive = !must_close && wants_keep_alive && !stopping_;
    detail::add_standard_headers(res, req.path.empty() ? raw_path : std::string_view(req.path),
                                 req.request_id);
    const std::size_t bytes = co_await write(conn, res, head, keep_alive, version, ec);
    record(req.request_id, method_string, raw_path, route_label, res.status, started_at, bytes,
           conn.remote);
    if (ec) co_return;
    if (must_close) {
        co_await linger_close(conn);
    } else if (!keep_alive) {
        conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    } else {
        keep_going = true;
    }
}

net::awaitable<Response> Server::Impl::respond(
    Request& req, std::optional<Method> method,
    std::variant<RouteMatch, NoRoute, WrongMethod>& matched, std::string& route_label) {
    if (!method) {
        co_return error_response(core::ErrorCode::kMethodNotAllowed,
                                 "This HTTP method is not supported.", req.request_id);
    }
    if (auto* m = std::get_if<RouteMatch>(&matched)) {
        const Route& route = *m->route;
        if (!route.options.blocking) co_return handle(req, route);
        const int limit = std::max(1, options_.workers) * kQueuePerWorker;
        if (queued_.load() >= limit) {
            Response res = error_response(core::ErrorCode::kUnavailable,
                                          "The server is busy; retry in a moment.", req.request_id);
            res.set("Retry-After", "1");
            co_return res;
        }
        queued_.fetch_add(1);
        // Runs on a worker; this coroutine resumes on the connection's strand (offload.cpp).
        co_return co_await net::co_spawn(
            pool_.get_executor(),
            [this, &req, &route]() -> net::awaitable<Response> {
                queued_.fetch_sub(1);
                co_return handle(req, route);
            },
            net::use_awaitable);
    }
    if (const auto* wrong = std::get_if<WrongMethod>(&matched)) {
        Response res =
            error_response(core::ErrorCode::kMethodNotAllowed,
                           "This path does not support " + std::string(method_name(*method)) + ".",
                           req.request_id);
        res.set("Allow", join_methods(wrong->allowed));
        co_return res;
    }
    if (detail::is_api_path(req.path) || (*method != Method::kGet && *method != Method::kHead)) {
        co_return error_response(core::ErrorCode::kNotFound, "There is nothing at this path.",
                                 req.request_id);
    }
    route_label = "static";
    core::log::RequestIdScope scope(req.request_id);
    co_return statics_.serve(req);
}

namespace {
std::string failure_detail(core::ErrorCode code) {
    switch (code) {
        case core::ErrorCode::kConflict:
            return "The change conflicts with existing data.";
        case core::ErrorCode::kUnavailable:
            return "A data store is busy or unavailable; retry in a moment.";
        default:
            return "The request could not be completed.";
    }
}
}  // namespace

std::variant<std::optional<identity::Actor>, Response> Server::Impl::authorize(Request& req,
                                                                               const Route& route) {
    std::optional<identity::Actor> actor;
    if (route.access.kind != Access::Kind::kPublic) {
        auto auth = options_.authenticate
                        ? options_.authenticate(req)
                        : core::Result<std::optional<identity::Actor>>(std::nullopt);
        if (!auth) {
            Response res = problem(auth.error(), req.request_id);
            if (res.status == 401 && !res.header("WWW-Authenticate"))
                res.set("WWW-Authenticate", "Bearer");
            return res;
        }
        if (!*auth) {
            Response res =
                error_response(core::ErrorCode::kUnauthenticated,
                               "This request needs a valid access token.", req.request_id);
            res.set("WWW-Authenticate", "Bearer");
            return res;
        }
        actor = std::move(**auth);
        actor->request_id = req.request_id;
        actor->ip = req.remote_addr;
        if (route.access.kind == Access::Kind::kPermission &&
            !actor->can(route.access.permission)) {
            return error_response(
                core::ErrorCode::kForbidden,
                "This needs the permission '" +
                    std::string(identity::permission_name(route.access.permission)) + "'.",
                req.request_id);
        }
    }
    return actor;
}

Response Server::Impl::handle(Request& req, const Route& route) {
    core::log::RequestIdScope scope(req.request_id);
    try {
        auto authorized = authorize(req, route);
        if (auto* refusal = std::get_if<Response>(&authorized)) return std::move(*refusal);
        std::optional<identity::Actor> actor =
            std::move(std::get<std::optional<identity::Actor>>(authorized));
        if (route.options.json_body) {
            const auto content_type = req.header("content-type");
            if (!content_type || detail::media_type(*content_type) != "application/json") {
                return error_response(core::ErrorCode::kUnsupportedMediaType,
                                      "The request body must be application/json.", req.request_id);
            }
            if (req.body.empty()) {
                return error_response(core::ErrorCode::kMalformedJson,
                                      "The request body is empty; a JSON document is expected.",
                                      req.request_id);
            }
            if (json_depth(req.body) > kMaxJsonDepth) {
                return error_response(core::ErrorCode::kMalformedJson,
                                      "The JSON document is nested more than " +
                                          std::to_string(kMaxJsonDepth) + " levels deep.",
                                      req.request_id);
            }
            try {
                req.json = nlohmann::json::parse(req.body);
            } catch (const nlohmann::json::parse_error& e) {
                return error_response(core::ErrorCode::kMalformedJson,
                                      "The request body is not valid JSON (error at byte " +
                                          std::to_string(e.byte) + ").",
                                      req.request_id);
            }
            if (options_.validate) {
                std::vector<core::FieldError> errors =
                    options_.validate(route.method, route.pattern, req.json);
                if (!errors.empty()) {
                    return problem(core::Error{core::ErrorCode::kValidation,
                                               "The request body is invalid.", std::move(errors)},
                                   req.request_id);
                }
            }
        }
        Context ctx{req, actor ? &*actor : nullptr};
        core::Result<Response> result = route.handler(ctx);
        if (!result) {
            Response res = problem(result.error(), req.request_id);
            if (res.status == 401 && !res.header("WWW-Authenticate"))
                res.set("WWW-Authenticate", "Bearer");
            return res;
        }
        return std::move(*result);
    } catch (const core::Failure& e) {
        // A dependency failed in a way that has a proper answer (a store busy or down: 503; a
        // unique key lost in a race: 409). The text is logged, never sent.
        if (e.code() != core::ErrorCode::kInternal) {
            core::log::warn("request failed", {{"error", e.what()},
                                               {"code", core::code_name(e.code())},
                                               {"route", route.pattern}});
            Response res = error_response(e.code(), failure_detail(e.code()), req.request_id);
            if (e.code() == core::ErrorCode::kUnavailable) res.set("Retry-After", "1");
            return res;
        }
        core::log::error(
            "unhandled exception",
            {{"error", e.what()}, {"method", method_name(route.method)}, {"route", route.pattern}});
    } catch (const std::exception& e) {
        core::log::error(
            "unhandled exception",
            {{"error", e.what()}, {"method", method_name(route.method)}, {"route", route.pattern}});
    } catch (...) {
        core::log::error("unhandled exception", {{"error", "unknown"},
                                                 {"method", method_name(route.method)},
                                                 {"route", route.pattern}});
    }
    // The exception text stays in the log: it may name tables, files or secrets.
    return error_response(core::ErrorCode::kInternal,
                          "An unexpected error occurred. Quote the request id when reporting it.",
                          req.request_id);
}

net::awaitable<std::size_t> Server::Impl::write(Connection& conn, Response& res, bool head,
                                                bool keep_alive, unsigned version,
                                                beast::error_code& ec) {
    if (res.status < 100 || res.status > 599) {
        core::log::error("handler returned an invalid status", {{"status", res.status}});
        res = error_response(core::ErrorCode::kInternal, "The server produced an invalid response.",
                             std::string(res.header("X-Request-Id").value_or("")));
    }
    const bool bodiless = no_body_status(res.status);
    std::optional<bhttp::file_body::value_type> file;
    if (res.file && !bodiless) {
        file.emplace();
        file->open(res.file->c_str(), beast::file_mode::scan, ec);
        if (ec) {
            // Deleted between lookup and open (a deploy in progress): a plain 404 is honest.
            core::log::warn("static file vanished",
                            {{"file", res.file->string()}, {"error", ec.message()}});
            ec = {};
            file.reset();
            Response missing =
                error_response(core::ErrorCode::kNotFound, "There is no file at this path.",
                               std::string(res.header("X-Request-Id").value_or("")));
            for (const auto& [name, value] : res.headers) {
                if (!missing.header(name) && !detail::iequals(name, "ETag") &&
                    !detail::iequals(name, "Cache-Control")) {
                    missing.headers.emplace_back(name, value);
                }
            }
            res = std::move(missing);
        }
    }

    conn.stream.expires_after(options_.body_timeout);
    const auto status = static_cast<unsigned>(res.status);
    if (file && !head && res.file_range) {
        // A part of the file: the head, then the bytes in 64 KiB pieces (never all in memory).
        const auto [offset, length] = *res.file_range;
        bhttp::response<bhttp::buffer_body> msg;
        msg.result(status);
        msg.version(version);
        copy_headers(msg, res);
        msg.content_length(length);
        msg.keep_alive(keep_alive);
        msg.body().data = nullptr;
        msg.body().more = true;
        bhttp::response_serializer<bhttp::buffer_body> sr{msg};
        co_await bhttp::async_write_header(conn.stream, sr, ec_token(ec));
        if (ec) co_return 0;
        file->file().seek(offset, ec);
        std::array<char, 64 * 1024> piece{};
        std::uint64_t left = length;
        while (!ec && left > 0) {
            const std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), left));
            const std::size_t got = file->file().read(piece.data(), want, ec);
            if (ec || got == 0) break;
            left -= got;
            msg.body().data = piece.data();
            msg.body().size = got;
            msg.body().more = left > 0;
            conn.stream.expires_after(options_.body_timeout);
            co_await bhttp::async_write(conn.stream, sr, ec_token(ec));
            if (ec == bhttp::error::need_buffer) ec = {};
        }
        if (!ec && left > 0) ec = beast::http::error::partial_message;  // the file shrank
        co_return length - left;
    }
    if (file && !head) {
        bhttp::response<bhttp::file_body> msg;
        msg.result(status);
        msg.version(version);
        copy_headers(msg, res);
        const std::size_t size = static_cast<std::size_t>(file->size());
        msg.body() = std::move(*file);
        msg.keep_alive(keep_alive);
        msg.prepare_payload();
        co_await bhttp::async_write(conn.stream, msg, ec_token(ec));
        co_return size;
    }
    if (head || bodiless) {
        bhttp::response<bhttp::empty_body> msg;
        msg.result(status);
        msg.version(version);
        copy_headers(msg, res);
        // HEAD announces the length GET would send; 1xx/204/304 carry no length at all.
        if (!bodiless) msg.content_length(file ? file->size() : res.body.size());
        msg.keep_alive(keep_alive);
        co_await bhttp::async_write(conn.stream, msg, ec_token(ec));
        co_return 0;
    }
    bhttp::response<bhttp::string_body> msg;
    msg.result(status);
    msg.version(version);
    copy_headers(msg, res);
    msg.body() = std::move(res.body);
    msg.keep_alive(keep_alive);
    msg.prepare_payload();
    const std::size_t size = msg.body().size();
    co_await bhttp::async_write(conn.stream, msg, ec_token(ec));
    co_return size;
}

net::awaitable<void> Server::Impl::linger_close(Connection& conn) {
    beast::error_code ec;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.expires_after(kLingerTime);
    std::array<char, 8192> sink;
    std::size_t total = 0;
    while (!ec && total < kLingerBytes) {
        total += co_await conn.stream.async_read_some(net::buffer(sink), ec_token(ec));
    }
}

void Server::Impl::record(const std::string& request_id, const std::string& method,
                          std::string_view raw_path, const std::string& route, int status,
                          std::chrono::steady_clock::time_point started_at, std::size_t bytes,
                          const std::string& remote) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    const std::optional<Method> known = parse_method(method);
    metrics_.observe(known ? method : "OTHER", route, status, seconds);
    core::log::RequestIdScope scope(request_id);
    core::log::info("request", {{"method", method},
                                {"path", raw_path},
                                {"route", route},
                                {"status", status},
                                {"duration_ms", std::round(seconds * 1e6) / 1e3},
                                {"bytes", bytes},
                                {"remote", remote}});
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() = default;

void Server::start() { impl_->start(); }
unsigned short Server::port() const noexcept { return impl_->port_.load(); }
void Server::run() { impl_->run(); }
void Server::stop() { impl_->stop(); }
int Server::in_flight() const noexcept { return impl_->in_flight_.load(); }

}  // namespace kontor::http
