// The local filesystem BlobStore (blob_store.hpp).
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "kontor/blobs/blob_store.hpp"
#include "kontor/core/log.hpp"

namespace kontor::blobs {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void io_failure(const std::string& what, int err) {
    throw core::Failure(core::ErrorCode::kUnavailable,
                        "blob store: " + what + ": " + std::strerror(err));
}

// Tenant ids become directory names: only canonical UUIDs do (no "..", no slashes).
fs::path tenant_dir(const fs::path& root, const core::TenantId& tenant) {
    if (!core::is_uuid(tenant.str()))
        throw core::Failure(core::ErrorCode::kInternal, "blob store: bad tenant id");
    return root / tenant.str();
}

fs::path blob_path(const fs::path& root, const core::TenantId& tenant, std::string_view sha256) {
    return tenant_dir(root, tenant) / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

// Makes a directory (and its parents) exist, fsyncing each new one's parent so the entry itself
// survives a crash.
void ensure_dir(const fs::path& dir) {
    if (fs::is_directory(dir)) return;
    ensure_dir(dir.parent_path());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        io_failure("mkdir " + dir.string(), errno);
    const int fd = ::open(dir.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) io_failure("open " + dir.string(), errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) io_failure("fsync " + dir.string(), err);
}

std::string hex(const unsigned char* bytes, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(kHex[bytes[i] >> 4]);
        out.push_back(kHex[bytes[i] & 0xF]);
    }
    return out;
}

class LocalWriter final : public BlobWriter {
public:
    LocalWriter(fs::path root, core::TenantId tenant, std::uint64_t max_bytes)
        : root_(std::move(root)), tenant_(std::move(tenant)), max_(max_bytes) {
        const fs::path partial_dir = tenant_dir(root_, tenant_) / ".partial";
        ensure_dir(partial_dir);
        partial_ = partial_dir / core::new_uuid_v7();
        fd_ = ::open(partial_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd_ < 0) io_failure("create " + partial_.string(), errno);
        crypto_hash_sha256_init(&hash_);
    }
    ~LocalWriter() override { discard(); }
    LocalWriter(const LocalWriter&) = delete;
    LocalWriter& operator=(const LocalWriter&) = delete;

    core::Result<void> write(std::string_view chunk) override {
        if (done_) return core::fail(core::ErrorCode::kConflict, "This upload has ended.");
        if (chunk.size() > max_ - std::min(max_, size_)) {
            discard();
            too_large_ = true;
            return core::fail(core::ErrorCode::kPayloadTooLarge,
                              "The file is larger than " + std::to_string(max_) + " bytes.");
        }
        crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(chunk.data()),
                                  chunk.size());
        const char* p = chunk.data();
        std::size_t left = chunk.size();
        while (left > 0) {
            const ssize_t n = ::write(fd_, p, left);
            if (n < 0) {
                if (errno == EINTR) continue;
                const int err = errno;
                discard();
                io_failure("write " + partial_.string(), err);
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        size_ += chunk.size();
        return {};
    }

    core::Result<BlobRef> commit() override {
        if (too_large_)
            return core::fail(core::ErrorCode::kPayloadTooLarge,
                              "The file is larger than " + std::to_string(max_) + " bytes.");
        if (done_) return core::fail(core::ErrorCode::kConflict, "This upload has ended.");
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&hash_, digest);
        BlobRef ref{hex(digest, sizeof digest), size_, false};
        if (::fsync(fd_) != 0) {
            const int err = errno;
            discard();
            io_failure("fsync " + partial_.string(), err);
        }
        ::close(fd_);
        fd_ = -1;
        const fs::path final_path = blob_path(root_, tenant_, ref.sha256);
        ensure_dir(final_path.parent_path());
        std::error_code ec;
        if (fs::exists(final_path, ec)) {
            ref.existed = true;  // identical content: keep the one we have
            discard();
        } else {
            if (::rename(partial_.c_str(), final_path.c_str()) != 0) {
                const int err = errno;
                discard();
                io_failure("rename to " + final_path.string(), err);
            }
            partial_.clear();
            fsync_dir(final_path.parent_path());
        }
        done_ = true;
        return ref;
    }

    std::uint64_t size() const noexcept override { return size_; }

private:
    void discard() noexcept {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
        if (!partial_.empty()) {
            ::unlink(partial_.c_str());
            partial_.clear();
        }
        done_ = true;
    }

    fs::path root_;
    core::TenantId tenant_;
    std::uint64_t max_;
    std::uint64_t size_ = 0;
    fs::path partial_;
    int fd_ = -1;
    bool done_ = false;
    bool too_large_ = false;
    crypto_hash_sha256_state hash_{};
};

class LocalStore final : public BlobStore {
public:
    explicit LocalStore(fs::path root) : root_(std::move(root)) {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
        ensure_dir(root_);
    }

    std::unique_ptr<BlobWriter> begin(const core::TenantId& tenant,
                                      std::uint64_t max_bytes) override {
        return std::make_unique<LocalWriter>(root_, tenant, max_bytes);
    }

    std::optional<std::uint64_t> size_of(const core::TenantId& tenant,
                                         std::string_view sha256) override {
        if (!is_sha256_name(sha256)) return std::nullopt;
        struct stat st {};
        if (::stat(blob_path(root_, tenant, sha256).c_str(), &st) != 0) return std::nullopt;
        return static_cast<std::uint64_t>(st.st_size);
    }

    core::Result<std::string> read(const core::TenantId& tenant, std::string_view sha256,
                                   std::uint64_t offset, std::uint64_t length) override {
        if (!is_sha256_name(sha256)) return core::fail(core::Error::not_found("No such file."));
        const fs::path path = blob_path(root_, tenant, sha256);
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            if (errno == ENOENT) return core::fail(core::Error::not_found("No such file."));
            io_failure("open " + path.string(), errno);
        }
        std::string out;
        out.resize(static_cast<std::size_t>(length));
        std::size_t got = 0;
        while (got < out.size()) {
            const ssize_t n =
                ::pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
            if (n < 0) {
                if (errno == EINTR) continue;
                const int err = errno;
                ::close(fd);
                io_failure("read " + path.string(), err);
            }
            if (n == 0) break;  // end of file
            got += static_cast<std::size_t>(n);
        }
        ::close(fd);
        out.resize(got);
        return out;
    }

    std::optional<fs::path> local_path(const core::TenantId& tenant,
                                       std::string_view sha256) override {
        if (!size_of(tenant, sha256)) return std::nullopt;
        return blob_path(root_, tenant, sha256);
    }

    bool remove(const core::TenantId& tenant, std::string_view sha256) override {
        if (!is_sha256_name(sha256)) return false;
        return ::unlink(blob_path(root_, tenant, sha256).c_str()) == 0;
    }

    int sweep_partials(std::chrono::seconds age) override {
        int removed = 0;
        std::error_code ec;
        const auto cutoff = fs::file_time_type::clock::now() - age;
        for (const auto& tenant : fs::directory_iterator(root_, ec)) {
            const fs::path partials = tenant.path() / ".partial";
            if (!fs::is_directory(partials, ec)) continue;
            for (const auto& f : fs::directory_iterator(partials, ec)) {
                if (fs::last_write_time(f.path(), ec) < cutoff && fs::remove(f.path(), ec))
                    ++removed;
            }
        }
        if (removed > 0) core::log::info("blob partials swept", {{"files", removed}});
        return removed;
    }

private:
    fs::path root_;
};

}  // namespace

bool is_sha256_name(std::string_view s) noexcept {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::unique_ptr<BlobStore> make_local_store(std::filesystem::path root) {
    return std::make_unique<LocalStore>(std::move(root));
}

}  // namespace kontor::blobs
