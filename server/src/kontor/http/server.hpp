#pragma once
// The HTTP server: Boost.Beast on Asio with C++20 coroutines at the edge; handlers run on a
// bounded worker pool because database drivers block (CONVENTIONS.md §4).
//
// Per request, in order: request id (X-Request-Id if sane, else generated) → route match (404/405)
// → body limit (413, from Content-Length before reading, or while reading) → authentication and
// permission (401/403) → media type (415) → JSON parse (400) → schema validation (422) → handler.
// Every error is problem+json; every response carries the request id and the security headers;
// each request writes one JSON access-log line and feeds the metrics.
//
// Non-/api paths that match no route are served from web_dir (hashed assets under /assets/ with
// a one-year immutable cache, index.html for unknown paths: SPA fallback).
//
// Thread rules: construct, add routes to the Router, then start(); run() blocks the calling thread
// until stop() (callable from any thread, e.g. a signal handler's strand). stop() is graceful:
// the acceptor closes, in-flight requests finish (up to drain_timeout), idle keep-alive
// connections close, then run() returns.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kontor/core/error.hpp"
#include "kontor/http/metrics.hpp"
#include "kontor/http/router.hpp"

namespace kontor::http {

// Turns request credentials into an actor. Returns nullopt when the request carries none,
// an Error (kUnauthenticated) when they are invalid.
using Authenticator = std::function<core::Result<std::optional<identity::Actor>>(const Request&)>;
// Validates a parsed JSON body for a route; returns the field errors (empty when valid).
using BodyValidator = std::function<std::vector<core::FieldError>(
    Method, const std::string& pattern, const nlohmann::json&)>;

struct ServerOptions {
    std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
    int io_threads = 1;
    int workers = 4;  // blocking pool size (KONTOR_WORKERS)
    std::size_t max_header_bytes = 16 * 1024;
    std::chrono::seconds header_timeout{10};       // time to receive the request head
    std::chrono::seconds body_timeout{60};         // time to receive the body
    std::chrono::seconds idle_timeout{30};         // keep-alive wait for the next request
    std::chrono::seconds drain_timeout{25};        // graceful shutdown: wait for in-flight requests
    std::optional<std::filesystem::path> web_dir;  // built web UI; none → built-in notice page
    // Where bodies of spool_body routes are written while a request runs (created on start);
    // empty: the system's temporary directory.
    std::filesystem::path spool_dir;
    Authenticator authenticate;  // may be empty: then only public routes are callable
    BodyValidator validate;      // may be empty: no schema validation
    // Origins allowed to call the API from a browser (exact "scheme://host[:port]" strings).
    std::vector<std::string> cors_origins;
};

// Removes request bodies a killed server left in `spool_dir`: files older than `older_than` (a
// body that another server on the same directory is receiving right now is younger). Returns how
// many were removed; a missing directory is empty.
int sweep_spool(const std::filesystem::path& spool_dir, std::chrono::seconds older_than);

class Server {
public:
    Server(ServerOptions options, const Router& router, Metrics& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts accepting; throws std::system_error when the address is taken.
    void start();
    unsigned short port() const noexcept;  // the bound port (after start)
    void run();                            // blocks until stopped
    void stop();                           // graceful; idempotent; thread-safe
    // Requests currently being handled.
    int in_flight() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kontor::http
