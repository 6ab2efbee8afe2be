// Black-box tests of the server: a real Server on 127.0.0.1:0 in a background thread, spoken to
// with a small synchronous Beast client.
#include <utility>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <system_error>
#include <thread>

#include "kontor/core/ids.hpp"
#include "kontor/core/log.hpp"
#include "kontor/http/server.hpp"

namespace kontor::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Reply = bhttp::response<bhttp::string_body>;
using Headers = std::vector<std::pair<std::string, std::string>>;
namespace fs = std::filesystem;

// Access lines at info level would drown the test output.
class QuietLogs : public ::testing::Environment {
public:
    void SetUp() override { core::log::init("error", core::log::Format::kText); }
};
[[maybe_unused]] const auto* const kQuietLogs = ::testing::AddGlobalTestEnvironment(new QuietLogs);

std::string str(beast::string_view s) { return std::string(s.data(), s.size()); }

// One connection to the server; requests on it are sequential (keep-alive).
class Client {
public:
    explicit Client(unsigned short port) : socket_(ioc_) {
        socket_.connect({net::ip::make_address("127.0.0.1"), port});
    }

    Reply request(bhttp::verb verb, const std::string& target, const Headers& headers = {},
                  const std::string& body = "") {
        bhttp::request<bhttp::string_body> req{verb, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        for (const auto& [name, value] : headers) req.set(name, value);
        req.body() = body;
        req.prepare_payload();
        bhttp::write(socket_, req);
        return read(verb == bhttp::verb::head);
    }

    // Writes bytes as they are; errors are ignored because the server may already have answered.
    void write_raw(std::string_view data) {
        beast::error_code ec;
        net::write(socket_, net::buffer(data.data(), data.size()), ec);
    }

    Reply read(bool head = false) {
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 << 20);
        if (head) parser.skip(true);
        bhttp::read(socket_, buffer_, parser);
        return parser.release();
    }

    // True when the server closed the connection (EOF or reset) within a few seconds.
    bool closed_by_server() {
        beast::error_code ec;
        std::array<char, 256> sink{};
        for (int i = 0; i < 1000 && !ec; ++i) socket_.read_some(net::buffer(sink), ec);
        return ec == net::error::eof || ec == net::error::connection_reset;
    }

private:
    net::io_context ioc_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
};

nlohmann::json body_json(const Reply& r) { return nlohmann::json::parse(r.body()); }

core::Result<std::optional<identity::Actor>> fake_authenticate(const Request& req) {
    const auto auth = req.header("authorization");
    if (!auth) return std::optional<identity::Actor>{};
    if (*auth == "Bearer good") {
        identity::Actor actor;
        actor.tenant = core::TenantId("t-1");
        actor.user = core::UserId("u-1");
        actor.role = identity::Role::kManager;
        actor.permissions = identity::permissions_of(identity::Role::kManager);
        return std::optional<identity::Actor>(std::move(actor));
    }
    return core::fail(core::ErrorCode::kUnauthenticated, "The token has expired.");
}

std::vector<core::FieldError> fake_validate(Method, const std::string& pattern,
                                            const nlohmann::json& body) {
    if (pattern == "/api/validated" && !body.contains("name")) return {{"/name", "is required"}};
    return {};
}

// A server running on its own thread for the life of the object.
class TestServer {
public:
    TestServer(const Router& router, ServerOptions options)
        : metrics_("test", "abc"), server_(std::move(options), router, metrics_) {
        server_.start();
        thread_ = std::thread([this] { server_.run(); });
    }
    ~TestServer() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    unsigned short port() const { return server_.port(); }
    Server& server() { return server_; }
    Metrics& metrics() { return metrics_; }
    void join() { thread_.join(); }

private:
    Metrics metrics_;
    Server server_;
    std::thread thread_;
};

ServerOptions test_options() {
    ServerOptions o;
    o.listen = "127.0.0.1:0";
    o.workers = 2;
    o.authenticate = fake_authenticate;
    o.validate = fake_validate;
    return o;
}

class ServerTest : public ::testing::Test {
protected:
    ServerTest() {
        const Access pub = Access::public_route();
        router_.add(Method::kGet, "/api/ping", pub,
                    [](Context&) -> core::Result<Response> {
                        return Response::json(200, {{"pong", true}});
                    },
                    {.blocking = false});
        router_.add(Method::kPost, "/api/items", pub,
                    [](Context& c) -> core::Result<Response> {
                        return Response::json(201, c.request.json);
                    },
                    {.json_body = true});
        router_.add(Method::kGet, "/api/items/:id", pub, [](Context& c) -> core::Result<Response> {
            return Response::json(200, {{"id", c.request.param("id")},
                                        {"x", c.request.query_param("x").value_or("")},
                                        {"y", c.request.query_param("y").value_or("")}});
        });
        router_.add(Method::kPost, "/api/validated", pub,
                    [](Context&) -> core::Result<Response> { return Response::no_content(); },
                    {.json_body = true});
        router_.add(Method::kGet, "/api/reports",
                    Access::require(identity::Permission::kTicketsReadAll),
                    [](Context& c) -> core::Result<Response> {
                        return Response::json(200, {{"role", identity::role_name(c.actor->role)},
                                                    {"request_id", c.actor->request_id}});
                    });
        router_.add(Method::kGet, "/api/tenants",
                    Access::require(identity::Permission::kTenantsManage),
                    [](Context&) -> core::Result<Response> {
                        return Response::json(200, nlohmann::json::array());
                    });
        router_.add(Method::kGet, "/api/throws", pub, [](Context&) -> core::Result<Response> {
            throw std::runtime_error("secret table name");
        });
        router_.add(Method::kGet, "/api/conflict", pub, [](Context&) -> core::Result<Response> {
            return core::fail(core::ErrorCode::kConflict, "Already taken.");
        });
        router_.add(Method::kGet, "/api/log-id", pub, [](Context&) -> core::Result<Response> {
            // Runs on a worker thread: the request id must have followed it there.
            return Response::json(200, {{"logged", core::log::current_request_id()}});
        });
        router_.add(Method::kGet, "/api/slow", pub, [this](Context&) -> core::Result<Response> {
            slow_started_.set_value();
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            return Response::json(200, {{"slow", true}});
        });
    }

    TestServer& start(ServerOptions options = test_options()) {
        server_ = std::make_unique<TestServer>(router_, std::move(options));
        return *server_;
    }
    unsigned short port() const { return server_->port(); }

    Router router_;
    std::promise<void> slow_started_;
    std::unique_ptr<TestServer> server_;
};

void expect_security_headers(const Reply& r) {
    EXPECT_EQ(str(r["X-Content-Type-Options"]), "nosniff");
    EXPECT_EQ(str(r["X-Frame-Options"]), "DENY");
    EXPECT_EQ(str(r["Referrer-Policy"]), "strict-origin-when-cross-origin");
    EXPECT_EQ(str(r["Cross-Origin-Opener-Policy"]), "same-origin");
    EXPECT_NE(str(r["Content-Security-Policy"]).find("frame-ancestors 'none'"), std::string::npos);
}

TEST_F(ServerTest, UnknownApiPathIsProblemJson) {
    start();
    Client c(port());
    const Reply r = c.request(bhttp::verb::get, "/api/nothing");
    EXPECT_EQ(r.result_int(), 404);
    EXPECT_EQ(str(r[bhttp::field::content_type]), "application/problem+json");
    const auto body = body_json(r);
    EXPECT_EQ(body["type"], "https://kontor.dev/problems/not_found");
    EXPECT_EQ(body["title"], "Not found");
    EXPECT_EQ(body["status"], 404);
    EXPECT_TRUE(body["detail"].is_string());
    EXPECT_EQ(body["code"], "not_found");
    EXPECT_EQ(body["request_id"], str(r["X-Request-Id"]));
    EXPECT_TRUE(core::is_uuid(body["request_id"].get<std::string>()));
    EXPECT_EQ(str(r[bhttp::field::cache_control]), "no-store");
    expect_security_headers(r);
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
    start();
    Client c(port());
    const Reply r = c.request(bhttp::verb::delete_, "/api/ping");
    EXPECT_EQ(r.result_int(), 405);
    EXPECT_EQ(str(r[bhttp::field::allow]), "GET, HEAD");
    EXPECT_EQ(body_json(r)["code"], "method_not_allowed");
    expect_security_headers(r);
}

TEST_F(ServerTest, OversizedBodyByContentLengthIs413) {
    start();
    Client c(port());
    const std::string big(2 << 20, 'x');
    const Reply r =
        c.request(bhttp::verb::post, "/api/items", {{"Content-Type", "application/json"}}, big);
    EXPECT_EQ(r.result_int(), 413);
    EXPECT_EQ(body_json(r)["code"], "payload_too_large");
    EXPECT_FALSE(r.keep_alive());
    expect_security_headers(r);
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
    start();
    Client c(port());
    c.write_raw(
        "POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n");
    const std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 40; ++i) c.write_raw("10000\r\n" + chunk + "\r\n");  // 2.5 MiB in total
    c.write_raw("0\r\n\r\n");
    const Reply r = c.read();
    EXPECT_EQ(r.result_int(), 413);
    EXPECT_EQ(body_json(r)["code"], "payload_too_large");
    EXPECT_FALSE(r.keep_alive());
}

TEST_F(ServerTest, SmallChunkedBodyIsAccepted) {
    start();
    Client c(port());
    c.write_raw(
        "POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n");
    const Reply r = c.read();
    EXPECT_EQ(r.result_int(), 201);
    EXPECT_EQ(body_json(r), (nlohmann::json{{"a", 1}}));
}

// ---- spooled bodies (uploads)
// --------------------------------------------------------------------

class SpoolTest : public ServerTest {
protected:
    SpoolTest() {
        spool_ =
            std::filesystem::temp_directory_path() / ("kontor-spool-test-" + core::new_uuid_v7());
        auto upload = [this](Context& c) -> core::Result<Response> {
            // What the handler sees: a file, not a string.
            EXPECT_TRUE(c.request.body.empty());
            const auto& file = c.request.body_file;
            if (!file) return core::fail(core::ErrorCode::kInternal, "no body file");
            seen_in_spool_ = std::filesystem::exists(*file) && file->parent_path() == spool_;
            std::ifstream in(*file, std::ios::binary);
            std::string head(16, '\0');
            in.read(head.data(), 16);
            head.resize(static_cast<std::size_t>(in.gcount()));
            return Response::json(201, {{"size", c.request.body_size}, {"head", head}});
        };
        router_.add(Method::kPost, "/api/upload", Access::public_route(), upload,
                    {.body_limit = 8 << 20, .spool_body = true});
        router_.add(Method::kPost, "/api/private-upload",
                    Access::require(identity::Permission::kTicketsReadAll), upload,
                    {.body_limit = 8 << 20, .spool_body = true});
        // The caller's own limit (a tenant's file size), asked once they are known.
        router_.add(Method::kPost, "/api/limited-upload",
                    Access::require(identity::Permission::kTicketsReadAll), upload,
                    {.body_limit = 8 << 20,
                     .spool_body = true,
                     .spool_limit = [this](const Request&, const identity::Actor& a) {
                         limit_asked_for_ = a.user.str();
                         return std::size_t{1} << 20;
                     }});
    }
    ~SpoolTest() override {
        server_.reset();
        std::filesystem::remove_all(spool_);
    }
    TestServer& start_spooling() {
        ServerOptions o = test_options();
        o.spool_dir = spool_;
        return start(std::move(o));
    }
    std::size_t files_in_spool() const {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(spool_)) ++n;
        return n;
    }
    std::filesystem::path spool_;
    bool seen_in_spool_ = false;
    std::string limit_asked_for_;
};

TEST_F(SpoolTest, TheBodyReachesTheHandlerAsAFileThatIsRemovedAfterwards) {
    start_spooling();
    Client c(port());
    std::string body(5 << 20, 'x');
    body.replace(0, 10, "%PDF-1.7\n\n");
    const Reply r = c.request(bhttp::verb::post, "/api/upload",
                              {{"Content-Type", "application/octet-stream"}}, body);
    ASSERT_EQ(r.result_int(), 201) << r.body();
    EXPECT_EQ(body_json(r)["size"], 5 << 20);
    EXPECT_EQ(body_json(r)["head"], body.substr(0, 16));
    EXPECT_TRUE(seen_in_spool_);
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(files_in_spool(), 0u);  // gone once answered

    const Reply chunked = [&] {
        c.write_raw(
            "POST /api/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        return c.read();
    }();
    EXPECT_EQ(chunked.result_int(), 201);
    EXPECT_EQ(body_json(chunked)["head"], "hello world");
    const Reply empty = c.request(bhttp::verb::post, "/api/upload");
    EXPECT_EQ(empty.result_int(), 201);
    EXPECT_EQ(body_json(empty)["size"], 0);
    EXPECT_EQ(files_in_spool(), 0u);
}

TEST_F(SpoolTest, RefusalsComeBeforeTheBody) {
    start_spooling();
    // Head only, announcing 7 MiB: the refusal arrives without a byte of the body sent.
    for (const auto& [auth, status] :
         std::vector<std::pair<std::string, int>>{{"", 401}, {"Bearer stale", 401}}) {
        Client c(port());
        c.write_raw("POST /api/private-upload HTTP/1.1\r\nHost: x\r\nContent-Length: 7340032\r\n" +
                    (auth.empty() ? std::string() : "Authorization: " + auth + "\r\n") + "\r\n");
        const Reply r = c.read();
        EXPECT_EQ(r.result_int(), status) << auth;
        EXPECT_FALSE(r.keep_alive());
    }
    Client c(port());
    const Reply ok = c.request(bhttp::verb::post, "/api/private-upload",
                               {{"Authorization", "Bearer good"}}, "signed in");
    EXPECT_EQ(ok.result_int(), 201);
    EXPECT_EQ(files_in_spool(), 0u);
}

TEST_F(SpoolTest, TooLargeIs413AndLeavesNoFile) {
    start_spooling();
    {
        Client c(port());
        const Reply r = c.request(bhttp::verb::post, "/api/upload", {}, std::string(9 << 20, 'x'));
        EXPECT_EQ(r.result_int(), 413);  // by Content-Length, before reading
    }
    {
        Client c(port());
        c.write_raw("POST /api/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        const std::string chunk(1 << 20, 'x');
        for (int i = 0; i < 9; ++i) c.write_raw("100000\r\n" + chunk + "\r\n");
        c.write_raw("0\r\n\r\n");
        const Reply r = c.read();
        EXPECT_EQ(r.result_int(), 413);  // counted while streaming
        EXPECT_EQ(body_json(r)["code"], "payload_too_large");
    }
    EXPECT_EQ(files_in_spool(), 0u);
}

TEST_F(SpoolTest, TheCallersOwnLimitIsAppliedBeforeTheBody) {
    start_spooling();
    {
        // Announcing one byte more than this caller may send: 413 on the head alone.
        Client c(port());
        c.write_raw(
            "POST /api/limited-upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            "good\r\nContent-Length: 1048577\r\n\r\n");
        const Reply r = c.read();
        EXPECT_EQ(r.result_int(), 413);
        EXPECT_EQ(body_json(r)["code"], "payload_too_large");
        EXPECT_FALSE(r.keep_alive());
        EXPECT_FALSE(limit_asked_for_.empty());  // asked with the authenticated actor
    }
    {
        Client c(port());
        c.write_raw(
            "POST /api/limited-upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            "good\r\nTransfer-Encoding: chunked\r\n\r\n");
        const std::string chunk(1 << 19, 'x');
        for (int i = 0; i < 3; ++i) c.write_raw("80000\r\n" + chunk + "\r\n");
        c.write_raw("0\r\n\r\n");
        EXPECT_EQ(c.read().result_int(), 413);  // counted while streaming
    }
    Client c(port());
    const Reply ok = c.request(bhttp::verb::post, "/api/limited-upload",
                               {{"Authorization", "Bearer good"}}, std::string(1 << 20, 'x'));
    EXPECT_EQ(ok.result_int(), 201);
    EXPECT_EQ(files_in_spool(), 0u);
}

TEST_F(SpoolTest, SweepRemovesOnlyOldLeftovers) {
    std::filesystem::create_directories(spool_);
    const auto old_file = spool_ / "left-by-a-killed-server";
    const auto new_file = spool_ / "being-received-now";
    std::ofstream(old_file) << "half a body";
    std::ofstream(new_file) << "a body";
    std::filesystem::last_write_time(
        old_file, std::filesystem::file_time_type::clock::now() - std::chrono::hours(2));
    EXPECT_EQ(sweep_spool(spool_, std::chrono::hours(1)), 1);
    EXPECT_FALSE(std::filesystem::exists(old_file));
    EXPECT_TRUE(std::filesystem::exists(new_file));
    EXPECT_EQ(sweep_spool(spool_ / "missing", std::chrono::hours(1)), 0);
}

TEST_F(ServerTest, JsonRouteChecksMediaType) {
    start();
    Client c(port());
    Reply r =
        c.request(bhttp::verb::post, "/api/items", {{"Content-Type", "text/plain"}}, R"({"a":1})");
    EXPECT_EQ(r.result_int(), 415);
    EXPECT_EQ(body_json(r)["code"], "unsupported_media_type");
    r = c.request(bhttp::verb::post, "/api/items", {}, R"({"a":1})");
    EXPECT_EQ(r.result_int(), 415);
    r = c.request(bhttp::verb::post, "/api/items",
                  {{"Content-Type", "Application/JSON; charset=utf-8"}}, R"({"a":1})");
    EXPECT_EQ(r.result_int(), 201);
    EXPECT_EQ(body_json(r), (nlohmann::json{{"a", 1}}));
}

TEST_F(ServerTest, MalformedJsonIs400) {
    start();
    Client c(port());
    const Headers json{{"Content-Type", "application/json"}};
    Reply r = c.request(bhttp::verb::post, "/api/items", json, R"({"a": tru})");
    EXPECT_EQ(r.result_int(), 400);
    auto body = body_json(r);
    EXPECT_EQ(body["code"], "malformed_json");
    EXPECT_NE(body["detail"].get<std::string>().find("byte"), std::string::npos) << body.dump();
    r = c.request(bhttp::verb::post, "/api/items", json, "");
    EXPECT_EQ(r.result_int(), 400);
    EXPECT_EQ(body_json(r)["code"], "malformed_json");
    r = c.request(bhttp::verb::post, "/api/items", json,
                  std::string(1000, '[') + std::string(1000, ']'));
    EXPECT_EQ(r.result_int(), 400);
}

TEST_F(ServerTest, ValidatorErrorsAre422) {
    start();
    Client c(port());
    const Headers json{{"Content-Type", "application/json"}};
    Reply r = c.request(bhttp::verb::post, "/api/validated", json, R"({"other":1})");
    EXPECT_EQ(r.result_int(), 422);
    const auto body = body_json(r);
    EXPECT_EQ(body["code"], "validation_failed");
    ASSERT_EQ(body["errors"].size(), 1U);
    EXPECT_EQ(body["errors"][0]["field"], "/name");
    EXPECT_EQ(body["errors"][0]["message"], "is required");
    r = c.request(bhttp::verb::post, "/api/validated", json, R"({"name":"x"})");
    EXPECT_EQ(r.result_int(), 204);
}

TEST_F(ServerTest, AccessControl) {
    start();
    Client c(port());
    Reply r = c.request(bhttp::verb::get, "/api/reports");
    EXPECT_EQ(r.result_int(), 401);
    EXPECT_EQ(str(r[bhttp::field::www_authenticate]), "Bearer");
    EXPECT_EQ(body_json(r)["code"], "unauthenticated");
    expect_security_headers(r);

    r = c.request(bhttp::verb::get, "/api/reports", {{"Authorization", "Bearer stale"}});
    EXPECT_EQ(r.result_int(), 401);
    EXPECT_EQ(body_json(r)["detail"], "The token has expired.");

    r = c.request(bhttp::verb::get, "/api/tenants", {{"Authorization", "Bearer good"}});
    EXPECT_EQ(r.result_int(), 403);
    EXPECT_EQ(body_json(r)["code"], "forbidden");

    r = c.request(bhttp::verb::get, "/api/reports",
                  {{"Authorization", "Bearer good"}, {"X-Request-Id", "rq-9"}});
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(body_json(r)["role"], "MANAGER");
    EXPECT_EQ(body_json(r)["request_id"], "rq-9");
}

TEST_F(ServerTest, HandlerErrorBecomesProblem) {
    start();
    Client c(port());
    const Reply r = c.request(bhttp::verb::get, "/api/conflict");
    EXPECT_EQ(r.result_int(), 409);
    EXPECT_EQ(body_json(r)["detail"], "Already taken.");
}

TEST_F(ServerTest, ExceptionIs500WithoutItsText) {
    start();
    Client c(port());
    const Reply r = c.request(bhttp::verb::get, "/api/throws");
    EXPECT_EQ(r.result_int(), 500);
    EXPECT_EQ(body_json(r)["code"], "internal");
    EXPECT_EQ(r.body().find("secret"), std::string::npos);
    // The connection survives a failed handler.
    EXPECT_EQ(c.request(bhttp::verb::get, "/api/ping").result_int(), 200);
}

TEST_F(ServerTest, RequestIdIsEchoedOrGenerated) {
    start();
    Client c(port());
    Reply r = c.request(bhttp::verb::get, "/api/ping", {{"X-Request-Id", "client-id.1:2_3"}});
    EXPECT_EQ(str(r["X-Request-Id"]), "client-id.1:2_3");
    r = c.request(bhttp::verb::get, "/api/ping");
    EXPECT_TRUE(core::is_uuid(str(r["X-Request-Id"]))) << str(r["X-Request-Id"]);
    r = c.request(bhttp::verb::get, "/api/ping", {{"X-Request-Id", "bad id <script>"}});
    EXPECT_TRUE(core::is_uuid(str(r["X-Request-Id"]))) << str(r["X-Request-Id"]);
    // Log lines written by the handler on its worker thread carry the id.
    r = c.request(bhttp::verb::get, "/api/log-id", {{"X-Request-Id", "trace-me"}});
    EXPECT_EQ(body_json(r)["logged"], "trace-me");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequests) {
    start();
    Client c(port());
    const Reply a = c.request(bhttp::verb::get, "/api/ping");
    EXPECT_TRUE(a.keep_alive());
    const Reply b = c.request(bhttp::verb::get, "/api/items/7");
    EXPECT_EQ(a.result_int(), 200);
    EXPECT_EQ(b.result_int(), 200);
    EXPECT_EQ(body_json(b)["id"], "7");
    const Reply last = c.request(bhttp::verb::get, "/api/ping", {{"Connection", "close"}});
    EXPECT_EQ(last.result_int(), 200);
    EXPECT_FALSE(last.keep_alive());
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, HeadAnswersLikeGetWithoutBody) {
    start();
    Client c(port());
    const Reply get = c.request(bhttp::verb::get, "/api/items/1");
    const Reply head = c.request(bhttp::verb::head, "/api/items/1");
    EXPECT_EQ(head.result_int(), 200);
    EXPECT_EQ(str(head[bhttp::field::content_length]), std::to_string(get.body().size()));
    EXPECT_TRUE(head.body().empty());
    // The connection is still in sync after the bodiless answer.
    EXPECT_EQ(c.request(bhttp::verb::get, "/api/ping").result_int(), 200);
}

TEST_F(ServerTest, PathAndQueryAreDecoded) {
    start();
    Client c(port());
    Reply r = c.request(bhttp::verb::get, "/api/items/a%20b?x=1+2&y=%C3%A4");
    EXPECT_EQ(r.result_int(), 200);
    const auto body = body_json(r);
    EXPECT_EQ(body["id"], "a b");
    EXPECT_EQ(body["x"], "1 2");
    EXPECT_EQ(body["y"], "\xC3\xA4");
    r = c.request(bhttp::verb::get, "/api/items/%zz");
    EXPECT_EQ(r.result_int(), 400);
    EXPECT_EQ(body_json(r)["code"], "bad_request");
    r = c.request(bhttp::verb::get, "/api/items/a%00b");
    EXPECT_EQ(r.result_int(), 400);
}

TEST_F(ServerTest, MalformedHttpIs400AndCloses) {
    start();
    Client c(port());
    c.write_raw("GET /api/ping HTTP/1.1\r\nHost x\r\n\r\n");
    const Reply r = c.read();
    EXPECT_EQ(r.result_int(), 400);
    EXPECT_EQ(body_json(r)["code"], "bad_request");
    expect_security_headers(r);
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, OversizedHeaderIs431) {
    start();
    Client c(port());
    c.write_raw("GET /api/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(32 * 1024, 'a') +
                "\r\n\r\n");
    const Reply r = c.read();
    EXPECT_EQ(r.result_int(), 431);
    EXPECT_EQ(body_json(r)["status"], 431);
}

TEST_F(ServerTest, RecordsMetrics) {
    TestServer& s = start();
    Client c(port());
    c.request(bhttp::verb::get, "/api/items/1");
    c.request(bhttp::verb::get, "/api/nothing");
    // A connection's requests are recorded in order, after each response is written; once the
    // third answer is here, the first two are in the metrics.
    c.request(bhttp::verb::get, "/api/ping");
    const std::string text = s.metrics().render();
    EXPECT_NE(
        text.find(
            R"(kontor_http_requests_total{method="GET",route="/api/items/:id",status="200"} 1)"),
        std::string::npos)
        << text;
    EXPECT_NE(
        text.find(R"(kontor_http_requests_total{method="GET",route="unmatched",status="404"} 1)"),
        std::string::npos)
        << text;
}

TEST_F(ServerTest, BuiltInPageWithoutWebUi) {
    start();
    Client c(port());
    for (const char* path : {"/", "/tickets/42"}) {
        const Reply r = c.request(bhttp::verb::get, path);
        EXPECT_EQ(r.result_int(), 200) << path;
        EXPECT_EQ(str(r[bhttp::field::content_type]), "text/html; charset=utf-8");
        EXPECT_NE(r.body().find("<title>Kontor</title>"), std::string::npos);
        EXPECT_NE(r.body().find("/api/docs"), std::string::npos);
        EXPECT_NE(r.body().find("/healthz"), std::string::npos);
        expect_security_headers(r);
    }
    EXPECT_EQ(c.request(bhttp::verb::get, "/assets/app.js").result_int(), 404);
    EXPECT_EQ(c.request(bhttp::verb::post, "/tickets").result_int(), 404);
}

TEST_F(ServerTest, ServesConcurrentClientsOnSeveralIoThreads) {
    ServerOptions o = test_options();
    o.io_threads = 3;
    o.workers = 3;
    start(std::move(o));
    std::vector<std::future<int>> clients;
    for (int i = 0; i < 8; ++i) {
        clients.push_back(std::async(std::launch::async, [p = port(), i] {
            Client c(p);
            int ok = 0;
            for (int n = 0; n < 25; ++n) {
                const std::string id = std::to_string(i) + "-" + std::to_string(n);
                const Reply r =
                    c.request(n % 2 ? bhttp::verb::get : bhttp::verb::post,
                              n % 2 ? "/api/items/" + id : "/api/items",
                              {{"Content-Type", "application/json"}, {"X-Request-Id", id}},
                              n % 2 ? "" : nlohmann::json{{"id", id}}.dump());
                const bool right = body_json(r)["id"] == id && str(r["X-Request-Id"]) == id;
                ok += right ? 1 : 0;
            }
            return ok;
        }));
    }
    for (auto& f : clients) EXPECT_EQ(f.get(), 25);
}

TEST_F(ServerTest, AddressInUseThrows) {
    start();
    Metrics metrics("t", "c");
    ServerOptions o = test_options();
    o.listen = "127.0.0.1:" + std::to_string(port());
    Server second(o, router_, metrics);
    EXPECT_THROW(second.start(), std::system_error);
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequest) {
    TestServer& s = start();
    auto reply = std::async(std::launch::async, [p = port()] {
        Client c(p);
        return c.request(bhttp::verb::get, "/api/slow");
    });
    slow_started_.get_future().wait();
    EXPECT_EQ(s.server().in_flight(), 1);
    s.server().stop();
    const Reply r = reply.get();
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_FALSE(r.keep_alive());  // Connection: close while stopping
    s.join();                      // run() returned
    EXPECT_THROW(Client c(port()), boost::system::system_error);
}

TEST_F(ServerTest, StopClosesIdleConnections) {
    TestServer& s = start();
    Client idle(port());
    EXPECT_EQ(idle.request(bhttp::verb::get, "/api/ping").result_int(), 200);
    const auto before = std::chrono::steady_clock::now();
    s.server().stop();
    s.join();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
    EXPECT_TRUE(idle.closed_by_server());
    EXPECT_EQ(s.server().in_flight(), 0);
}

// Static files from a temporary web_dir with a secret next to it that must stay unreachable.
class StaticTest : public ServerTest {
protected:
    StaticTest() {
        root_ = fs::temp_directory_path() / ("kontor-http-test-" + core::new_uuid_v7());
        fs::create_directories(root_ / "web" / "assets");
        write(root_ / "web" / "index.html", "<html>spa</html>");
        write(root_ / "web" / "assets" / "app.3f2a1b.js", "console.log(1)");
        write(root_ / "web" / "robots.txt", "User-agent: *");
        write(root_ / "web" / ".env", "SECRET=1");
        write(root_ / "secret.txt", "top secret");
        fs::create_symlink(root_ / "secret.txt", root_ / "web" / "link.txt");
        ServerOptions o = test_options();
        o.web_dir = root_ / "web";
        start(std::move(o));
    }
    ~StaticTest() override {
        server_.reset();
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

    fs::path root_;
};

TEST_F(StaticTest, ServesIndexWithRevalidation) {
    Client c(port());
    const Reply r = c.request(bhttp::verb::get, "/");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), "<html>spa</html>");
    EXPECT_EQ(str(r[bhttp::field::content_type]), "text/html; charset=utf-8");
    EXPECT_EQ(str(r[bhttp::field::cache_control]), "no-cache");
    expect_security_headers(r);
    const Reply txt = c.request(bhttp::verb::get, "/robots.txt");
    EXPECT_EQ(txt.body(), "User-agent: *");
    EXPECT_EQ(str(txt[bhttp::field::content_type]), "text/plain; charset=utf-8");
}

TEST_F(StaticTest, HashedAssetsAreImmutableAndRevalidate) {
    Client c(port());
    const Reply r = c.request(bhttp::verb::get, "/assets/app.3f2a1b.js");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), "console.log(1)");
    EXPECT_EQ(str(r[bhttp::field::content_type]), "text/javascript; charset=utf-8");
    EXPECT_EQ(str(r[bhttp::field::cache_control]), "public, max-age=31536000, immutable");
    const std::string etag = str(r[bhttp::field::etag]);
    ASSERT_FALSE(etag.empty());
    const Reply again =
        c.request(bhttp::verb::get, "/assets/app.3f2a1b.js", {{"If-None-Match", etag}});
    EXPECT_EQ(again.result_int(), 304);
    EXPECT_TRUE(again.body().empty());
    const Reply head = c.request(bhttp::verb::head, "/assets/app.3f2a1b.js");
    EXPECT_EQ(head.result_int(), 200);
    EXPECT_EQ(str(head[bhttp::field::content_length]), "14");
    EXPECT_EQ(c.request(bhttp::verb::get, "/api/ping").result_int(), 200);  // still in sync
}

TEST_F(StaticTest, UnknownPathsFallBackToIndex) {
    Client c(port());
    const Reply r = c.request(bhttp::verb::get, "/tickets/42?tab=history");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), "<html>spa</html>");
}

TEST_F(StaticTest, MissingAssetIs404NotIndex) {
    Client c(port());
    for (const char* path : {"/assets/missing.js", "/assets/nothing", "/missing.css"}) {
        const Reply r = c.request(bhttp::verb::get, path);
        EXPECT_EQ(r.result_int(), 404) << path;
        EXPECT_EQ(str(r[bhttp::field::content_type]), "application/problem+json") << path;
    }
    // API paths never fall back to the SPA.
    EXPECT_EQ(c.request(bhttp::verb::get, "/api/unknown").result_int(), 404);
}

TEST_F(StaticTest, RefusesTraversalDotfilesAndOutsideLinks) {
    for (const char* path :
         {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
          "/assets/..%2f..%2fsecret.txt", "/.env", "/link.txt", "/..", "/./index.html"}) {
        Client c(port());
        const Reply r = c.request(bhttp::verb::get, path);
        EXPECT_EQ(r.result_int(), 404) << path;
        EXPECT_EQ(r.body().find("top secret"), std::string::npos) << path;
        EXPECT_EQ(r.body().find("SECRET"), std::string::npos) << path;
    }
}

}  // namespace
}  // namespace kontor::http
