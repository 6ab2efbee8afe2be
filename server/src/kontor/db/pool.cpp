// Pool and Lease. Connections are opened lazily up to max_size; connecting and closing happen
// outside the pool's mutex so one slow server does not stall every caller.
#include "kontor/db/pool.hpp"

#include <utility>

namespace kontor::db {

Lease::Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn)
    : pool_(std::move(pool)), conn_(std::move(conn)) {}

Lease::~Lease() { release(); }

Lease::Lease(Lease&& other) noexcept
    : pool_(std::move(other.pool_)), conn_(std::move(other.conn_)), broken_(other.broken_) {
    other.broken_ = false;
}

Lease& Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        release();
        pool_ = std::move(other.pool_);
        conn_ = std::move(other.conn_);
        broken_ = std::exchange(other.broken_, false);
    }
    return *this;
}

void Lease::release() noexcept {
    if (pool_ && conn_) pool_->give_back(std::move(conn_), broken_);
    conn_.reset();
    pool_.reset();
    broken_ = false;
}

std::shared_ptr<Pool> Pool::create(std::string name, StoreLocation location, PoolOptions options) {
    return std::shared_ptr<Pool>(new Pool(std::move(name), std::move(location), options));
}

Pool::Pool(std::string name, StoreLocation location, PoolOptions options)
    : name_(std::move(name)), location_(std::move(location)), options_(options) {
    if (options_.max_size < 1) options_.max_size = 1;
}

Pool::~Pool() = default;

Lease Pool::acquire() {
    const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    bool counted_wait = false;
    std::unique_lock lock(mu_);
    for (;;) {
        if (!free_.empty()) {
            std::unique_ptr<Connection> conn = std::move(free_.back());
            free_.pop_back();
            ++in_use_;
            lock.unlock();
            if (conn->healthy()) return Lease(shared_from_this(), std::move(conn));
            // A connection that died while idle (server restart) is replaced, not handed out.
            conn.reset();
            lock.lock();
            --in_use_;
            --open_;
            continue;
        }
        if (open_ < options_.max_size) {
            ++open_;
            ++in_use_;
            lock.unlock();
            try {
                return Lease(shared_from_this(), connect(location_, options_));
            } catch (...) {
                lock.lock();
                --open_;
                --in_use_;
                lock.unlock();
                cv_.notify_one();
                throw;
            }
        }
        if (!counted_wait) {
            ++waits_;
            counted_wait = true;
        }
        if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && free_.empty() &&
            open_ >= options_.max_size) {
            throw DbError(ErrorKind::kBusy,
                          "pool exhausted: store " + name_ + " has all " +
                              std::to_string(options_.max_size) + " connections in use for " +
                              std::to_string(options_.acquire_timeout.count()) + " ms");
        }
    }
}

void Pool::give_back(std::unique_ptr<Connection> conn, bool broken) noexcept {
    // A lease dropped mid-transaction (an exception between begin and commit without a
    // Transaction guard) must not hand the open transaction to the next user.
    if (!broken) conn->rollback();
    const bool keep = !broken && conn->healthy();
    {
        std::lock_guard lock(mu_);
        --in_use_;
        if (keep && open_ <= options_.max_size) {
            free_.push_back(std::move(conn));
        } else {
            --open_;
        }
    }
    cv_.notify_one();
    conn.reset();  // closes a discarded connection outside the lock
}

PoolStats Pool::stats() const {
    std::lock_guard lock(mu_);
    return PoolStats{name_, open_, in_use_, options_.max_size, waits_};
}

bool Pool::idle() const {
    std::lock_guard lock(mu_);
    return in_use_ == 0;
}

void Pool::close_idle() {
    std::vector<std::unique_ptr<Connection>> closing;
    {
        std::lock_guard lock(mu_);
        closing.swap(free_);
        open_ -= static_cast<int>(closing.size());
    }
    closing.clear();  // closed outside the lock
}

}  // namespace kontor::db
