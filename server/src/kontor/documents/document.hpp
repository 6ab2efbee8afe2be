#pragma once
// Documents (issue #5): files filed under a customer organisation — what customers come to the
// portal for (contracts, invoices, reports, certificates) and staff-only ones. Metadata in the
// tenant store (migration 0005), bytes in the blob store (blobs/).
//
// Visibility (outside it a document does not exist → not_found):
//   staff (customers.read)    every document of the tenant, internal ones included
//   customer users            their organisation's `customer` documents shared with the whole
//                             organisation (user_id NULL) or with them personally
// Uploads and deletes need documents.write (MANAGER; EXPERTs read). The content type is sniffed
// from the bytes (libmagic), never taken from the client; file names are sanitised; every upload
// lands in the tenant's audit log.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kontor/blobs/blob_store.hpp"
#include "kontor/core/error.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/core/page.hpp"
#include "kontor/db/stores.hpp"
#include "kontor/identity/actor.hpp"
#include "kontor/identity/jwt.hpp"

namespace kontor::documents {

struct Document {
    std::string id;
    core::OrganizationId customer;
    std::optional<core::UserId> user;  // shared with this person only
    std::string title;
    std::string filename;
    std::string content_type;
    std::int64_t size = 0;
    std::string sha256;
    std::string category;    // contract | invoice | report | certificate | other
    std::string visibility;  // customer | internal
    std::optional<core::UserId> uploaded_by;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> deleted_at;
    std::optional<std::string> external_ref;
};

struct NewDocument {
    std::optional<std::string> title;       // default: the file name
    std::string filename;                   // as the client named it; sanitised by the service
    std::optional<std::string> category;    // default "other"
    std::optional<std::string> visibility;  // default "customer"
    std::optional<core::UserId> user;       // a portal user of the customer
};

struct DocumentQuery {
    core::PageRequest page;
    std::optional<std::string> category;
    std::optional<std::string> search;  // substring of the title (case-insensitive, ASCII)
};

// Limits of an upload (from the tenant's settings and licence).
struct UploadLimits {
    std::uint64_t max_file_bytes = 25ull << 20;
    std::optional<std::uint64_t> storage_quota_bytes;  // sum over the tenant's documents
    std::vector<std::string> blocked_types;            // sniffed MIME types refused
};

// "../../etc/passwd" → "passwd", control characters and path separators removed, at most 200
// bytes (keeping the extension); empty → "file".
std::string sanitise_filename(std::string_view name);

// The MIME type of a file by its content (libmagic), e.g. "application/pdf".
std::string sniff_content_type(const std::filesystem::path& file);

// A download link's grant: one document, for one user, until a time. Signed as
// base64url("kdl1|kid|tenant|document|user|expires") "." base64url(HMAC-SHA256) with the first key
// of the access-token ring (domain-separated from tokens); verified with any key of the ring.
struct DownloadGrant {
    core::TenantId tenant;
    std::string document;
    core::UserId user;
    std::int64_t expires_at_s = 0;
};
std::string sign_download(const DownloadGrant& grant, const identity::jwt::KeyRing& keys);
// Errors: forbidden ("invalid or expired") for anything malformed, tampered with or expired.
core::Result<DownloadGrant> verify_download(std::string_view token,
                                            const identity::jwt::KeyRing& keys, std::int64_t now_s);

// What a download serves.
struct Download {
    Document document;
    std::filesystem::path file;
};

class DocumentService {
public:
    DocumentService(db::StoreManager& stores, blobs::BlobStore& blobs)
        : stores_(stores), blobs_(blobs) {}

    // Errors: not_found (customer not visible).
    core::Result<core::Page<Document>> list(const identity::Actor& actor,
                                            const core::TenantId& tenant,
                                            const core::OrganizationId& customer,
                                            const DocumentQuery& query);
    // Errors: not_found.
    core::Result<Document> get(const identity::Actor& actor, const core::TenantId& tenant,
                               const std::string& id);
    // Stores the file at `body` (a spooled request body) as a new document of the customer.
    // Errors: forbidden (documents.write), not_found (customer), validation_failed (fields,
    // blocked type), payload_too_large (over max_file_bytes), insufficient_storage (quota).
    core::Result<Document> upload(const identity::Actor& actor, const core::TenantId& tenant,
                                  const core::OrganizationId& customer, const NewDocument& input,
                                  const std::filesystem::path& body, const UploadLimits& limits);
    // A short-lived link to the document's bytes for the actor (audited
    // `document.download_url_issued`). Errors: not_found.
    core::Result<std::pair<std::string, std::int64_t>> issue_download(
        const identity::Actor& actor, const core::TenantId& tenant, const std::string& id,
        const identity::jwt::KeyRing& keys, std::int64_t ttl_s = 300);
    // The file behind a link, for the actor it was issued to while they may still see the
    // document (audited `document.downloaded`). Errors: forbidden (invalid, expired, another
    // user's or another tenant's link), not_found (deleted since, or no longer visible).
    core::Result<Download> open_download(const identity::Actor& actor, const core::TenantId& tenant,
                                         std::string_view token,
                                         const identity::jwt::KeyRing& keys);
    // Soft delete. Errors: forbidden, not_found.
    core::Result<void> remove(const identity::Actor& actor, const core::TenantId& tenant,
                              const std::string& id);

private:
    db::StoreManager& stores_;
    blobs::BlobStore& blobs_;
};

nlohmann::json to_json(const Document& d);

}  // namespace kontor::documents
