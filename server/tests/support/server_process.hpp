#pragma once
// Starts the real `kontor` executable as a child process for black-box API tests: a fresh data
// directory (or a fresh PostgreSQL database), `serve` on 127.0.0.1:0, the port read from its
// "listening" log line. Every log line is kept so tests can assert on logging.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/test_env.hpp"

namespace kontor::testing {

// Result of running `kontor <args>` to completion.
struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs the kontor binary with the given arguments and extra environment, waiting for it to exit.
CommandResult run_kontor(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env,
                         const std::string& stdin_text = "");

class ServerProcess {
public:
    // Starts `kontor serve` against db (migrations run at start-up). Throws when it does not come
    // up within 30 s, with its log in the message.
    explicit ServerProcess(const TestDatabase& db,
                           std::map<std::string, std::string> extra_env = {});
    ~ServerProcess();  // SIGTERM, then waits (SIGKILL after 30 s)

    unsigned short port() const noexcept { return port_; }
    pid_t pid() const noexcept { return pid_; }
    const std::map<std::string, std::string>& env() const noexcept { return env_; }
    // Sends a signal and waits for exit; returns the exit status (or 128+signal).
    int stop(int signal_number);
    std::vector<std::string> log_lines() const;
    bool wait_for_log(const std::string& needle, std::chrono::milliseconds timeout) const;

private:
    void read_logs(int fd);

    std::map<std::string, std::string> env_;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    int exit_status_ = -1;
    mutable std::mutex mu_;
    std::vector<std::string> lines_;
    std::thread reader_;
};

// Environment for a kontor process on this test database.
std::map<std::string, std::string> kontor_env(const TestDatabase& db);

}  // namespace kontor::testing
