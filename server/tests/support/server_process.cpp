#include "support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kontor::testing {
namespace {

struct Child {
    pid_t pid;
    int in_fd;   // write end of the child's stdin
    int out_fd;  // read end of stdout
    int err_fd;  // read end of stderr
};

Child spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string kv(*e);
        const std::string key = kv.substr(0, kv.find('='));
        if (key.rfind("KONTOR_", 0) == 0 || env.count(key) != 0)
            continue;  // tests control KONTOR_*
        env_strings.push_back(std::move(kv));
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_strings{KONTOR_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    return {pid, in[1], out[0], err[0]};
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

std::map<std::string, std::string> kontor_env(const TestDatabase& db) {
    std::map<std::string, std::string> env{{"KONTOR_DATA_DIR", db.data_dir().string()},
                                           {"KONTOR_LOG_FORMAT", "json"},
                                           {"KONTOR_LOG_LEVEL", "info"}};
    if (!db.url().empty()) env["KONTOR_DATABASE_URL"] = db.url();
    return env;
}

CommandResult run_kontor(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env,
                         const std::string& stdin_text) {
    Child c = spawn(args, env);
    if (!stdin_text.empty()) {
        [[maybe_unused]] auto n = write(c.in_fd, stdin_text.data(), stdin_text.size());
    }
    close(c.in_fd);
    CommandResult r;
    pollfd fds[2] = {{c.out_fd, POLLIN, 0}, {c.err_fd, POLLIN, 0}};
    int open_fds = 2;
    char buf[4096];
    while (open_fds > 0) {
        if (poll(fds, 2, 60000) <= 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    int status = 0;
    waitpid(c.pid, &status, 0);
    r.exit_code = decode_status(status);
    return r;
}

ServerProcess::ServerProcess(const TestDatabase& db, std::map<std::string, std::string> extra_env) {
    env_ = kontor_env(db);
    env_["KONTOR_LISTEN"] = "127.0.0.1:0";
    for (auto& [k, v] : extra_env) env_[k] = v;
    Child c = spawn({"serve"}, env_);
    close(c.in_fd);
    close(c.out_fd);
    pid_ = c.pid;
    reader_ = std::thread([this, fd = c.err_fd] { read_logs(fd); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        {
            std::lock_guard lock(mu_);
            for (const auto& line : lines_) {
                auto j = nlohmann::json::parse(line, nullptr, false);
                if (j.is_object() && j.value("msg", "") == "listening") port_ = j.value("port", 0);
            }
        }
        if (port_ != 0) return;
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            reader_.join();
            std::string log;
            for (const auto& l : log_lines()) log += l + "\n";
            throw std::runtime_error("kontor serve exited during start-up:\n" + log);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop(SIGKILL);
    throw std::runtime_error("kontor serve did not report listening within 30 s");
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) stop(SIGTERM);
    if (reader_.joinable()) reader_.join();
}

int ServerProcess::stop(int signal_number) {
    if (pid_ <= 0) return exit_status_;
    kill(pid_, signal_number);
    int status = 0;
    for (int i = 0; i < 3000; ++i) {  // 30 s
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            exit_status_ = decode_status(status);
            if (reader_.joinable()) reader_.join();
            return exit_status_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_status_ = decode_status(status);
    if (reader_.joinable()) reader_.join();
    return exit_status_;
}

void ServerProcess::read_logs(int fd) {
    std::string pending;
    char buf[4096];
    for (;;) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        pending.append(buf, static_cast<std::size_t>(n));
        std::size_t nl;
        while ((nl = pending.find('\n')) != std::string::npos) {
            std::lock_guard lock(mu_);
            lines_.push_back(pending.substr(0, nl));
            pending.erase(0, nl + 1);
        }
    }
    close(fd);
}

std::vector<std::string> ServerProcess::log_lines() const {
    std::lock_guard lock(mu_);
    return lines_;
}

bool ServerProcess::wait_for_log(const std::string& needle,
                                 std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
        for (const auto& l : log_lines()) {
            if (l.find(needle) != std::string::npos) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

}  // namespace kontor::testing
