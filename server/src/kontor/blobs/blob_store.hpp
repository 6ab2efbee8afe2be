#pragma once
// File contents (documents, ticket attachments) behind one interface (issue #5, DESIGN.md §4):
// the local filesystem by default, an S3-compatible store later. Content-addressed: a blob is
// named by the SHA-256 of its bytes, per tenant, so identical content is stored once per tenant
// and a name never points at other bytes.
//
// Writes stream: a BlobWriter takes chunks (a 200 MB upload is never in memory), hashes them as
// they come, and commit() makes the blob durable under its name — the local store writes a
// partial file, fsyncs it and renames it into place, so a crash leaves at most a partial file
// (swept later by sweep_partials()), never a half blob under a real name. A writer destroyed
// without commit() removes its partial file.
//
// Errors: limits are values (payload_too_large); I/O failures (disk full, permissions) are
// exceptions (core::Failure, code unavailable), as CONVENTIONS.md §6 has it for outages.
// Thread-safe: one BlobStore for the process; one BlobWriter per upload, used by one thread.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"

namespace kontor::blobs {

struct BlobRef {
    std::string sha256;  // 64 lower-case hex digits
    std::uint64_t size = 0;
    bool existed = false;  // the same content was stored already (nothing new was written)
};

class BlobWriter {
public:
    virtual ~BlobWriter() = default;
    // Appends a chunk. Errors: payload_too_large once the blob would exceed the writer's limit
    // (the partial data is removed at once; the writer is done).
    virtual core::Result<void> write(std::string_view chunk) = 0;
    // Makes the blob durable under its SHA-256. Errors: payload_too_large (after a refused
    // write), conflict (committed already).
    virtual core::Result<BlobRef> commit() = 0;
    virtual std::uint64_t size() const noexcept = 0;
};

class BlobStore {
public:
    virtual ~BlobStore() = default;

    // A new upload into the tenant's space, refused beyond max_bytes.
    virtual std::unique_ptr<BlobWriter> begin(const core::TenantId& tenant,
                                              std::uint64_t max_bytes) = 0;
    // The blob's size, or nullopt when the tenant has no blob of that name (or the name is not a
    // SHA-256).
    virtual std::optional<std::uint64_t> size_of(const core::TenantId& tenant,
                                                 std::string_view sha256) = 0;
    // Up to `length` bytes from `offset` (fewer at the end). Errors: not_found.
    virtual core::Result<std::string> read(const core::TenantId& tenant, std::string_view sha256,
                                           std::uint64_t offset, std::uint64_t length) = 0;
    // Where the bytes are on this machine, when they are (the HTTP edge streams such a file
    // without reading it into memory); nullopt for remote stores or unknown blobs.
    virtual std::optional<std::filesystem::path> local_path(const core::TenantId& tenant,
                                                            std::string_view sha256) = 0;
    // Deletes the blob (the caller knows no document refers to it). False when there was none.
    virtual bool remove(const core::TenantId& tenant, std::string_view sha256) = 0;
    // Removes partial files older than `age` (left by a crash mid-upload); returns how many.
    virtual int sweep_partials(std::chrono::seconds age) = 0;
};

// The local store: <root>/<tenant id>/<first two hex digits>/<sha256>, partial files in
// <root>/<tenant id>/.partial/. Files are created 0600.
std::unique_ptr<BlobStore> make_local_store(std::filesystem::path root);

// Whether `s` is a blob name: 64 lower-case hex digits.
bool is_sha256_name(std::string_view s) noexcept;

}  // namespace kontor::blobs
