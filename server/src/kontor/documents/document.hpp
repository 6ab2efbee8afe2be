#pragma once
// Documents (issue #5): files filed under a customer organisation — what customers come to the
// portal for (contracts, invoices, reports, certificates) and staff-only ones — and ticket
// attachments. Metadata in the tenant store (migrations 0005, 0006), bytes in the blob store
// (blobs/). One mechanism for both: limits, quota, sniffing, audit and signed download links.
//
// Visibility (outside it a file does not exist → not_found):
//   documents, staff (customers.read)   every document of the tenant, internal ones included
//   documents, customer users           their organisation's `customer` documents shared with the
//                                       whole organisation (user_id NULL) or with them personally
//   attachments                         whoever sees the ticket (TicketService::get); internal
//                                       ones (and those of internal comments) staff only
// Document uploads and deletes need documents.write (MANAGER; EXPERTs read); whoever sees an open
// ticket may attach to it. The content type is sniffed from the bytes (libmagic), never taken
// from the client; file names are sanitised; every upload, link and download is audited.
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
#include "kontor/tenancy/tenant.hpp"
#include "kontor/tickets/ticket.hpp"

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
    // Ticket attachments only: the ticket, and the comment the file belongs to.
    std::optional<core::TicketId> ticket;
    std::optional<std::string> comment;
};

// The bytes of an upload: a slice of a request body the HTTP edge spooled to a file (all of a
// raw body, or one part of a multipart/form-data body).
struct FileSlice {
    std::filesystem::path path;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;

    static FileSlice whole(const std::filesystem::path& file, std::uint64_t size) {
        return {file, 0, size};
    }
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

struct NewAttachment {
    std::string filename;                   // as the client named it; sanitised by the service
    std::optional<std::string> comment;     // a comment of the ticket, written by the uploader
    std::optional<std::string> visibility;  // public | internal (staff); default: the comment's,
                                            // else public
};

// Limits of an upload: the tenant's settings (uploads.max_file_bytes, uploads.blocked_types) and
// licence (storage_quota_bytes).
struct UploadLimits {
    std::uint64_t max_file_bytes = 25ull << 20;
    std::optional<std::uint64_t> storage_quota_bytes;  // sum over the tenant's files
    std::vector<std::string> blocked_types;            // sniffed MIME types refused
};
UploadLimits upload_limits(const tenancy::Tenant& tenant);

// "../../etc/passwd" → "passwd", control characters and path separators removed, at most 200
// bytes (keeping the extension); empty → "file".
std::string sanitise_filename(std::string_view name);

// The MIME type of a file by its content (libmagic, from its first MiB), e.g. "application/pdf".
std::string sniff_content_type(const FileSlice& file);

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
    DocumentService(db::StoreManager& stores, blobs::BlobStore& blobs,
                    tenancy::TenantService& tenants, tickets::TicketService& tickets)
        : stores_(stores), blobs_(blobs), tenants_(tenants), tickets_(tickets) {}

    // Errors: not_found (customer not visible).
    core::Result<core::Page<Document>> list(const identity::Actor& actor,
                                            const core::TenantId& tenant,
                                            const core::OrganizationId& customer,
                                            const DocumentQuery& query);
    // Errors: not_found.
    core::Result<Document> get(const identity::Actor& actor, const core::TenantId& tenant,
                               const std::string& id);
    // Stores the file as a new document of the customer, within the tenant's upload_limits.
    // Errors: forbidden (documents.write), not_found (customer), validation_failed (fields,
    // blocked type), payload_too_large (over max_file_bytes), storage_quota_exceeded (quota).
    core::Result<Document> upload(const identity::Actor& actor, const core::TenantId& tenant,
                                  const core::OrganizationId& customer, const NewDocument& input,
                                  const FileSlice& file);
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

    // ---- ticket attachments
    // Attaches a file to a ticket the actor sees (audited `attachment.uploaded`). Errors:
    // not_found (ticket or comment), forbidden (customers: internal; another author's comment),
    // conflict (the ticket is closed), validation_failed, payload_too_large,
    // storage_quota_exceeded.
    core::Result<Document> attach(const identity::Actor& actor, const core::TenantId& tenant,
                                  const core::TicketId& ticket, const NewAttachment& input,
                                  const FileSlice& file);
    // Oldest first; customer users get the public ones only. Errors: not_found (ticket).
    core::Result<core::Page<Document>> attachments(const identity::Actor& actor,
                                                   const core::TenantId& tenant,
                                                   const core::TicketId& ticket,
                                                   const core::PageRequest& page);
    // Errors: not_found.
    core::Result<Document> attachment(const identity::Actor& actor, const core::TenantId& tenant,
                                      const core::TicketId& ticket, const std::string& id);
    // As issue_download, for an attachment. Errors: not_found.
    core::Result<std::pair<std::string, std::int64_t>> issue_attachment_download(
        const identity::Actor& actor, const core::TenantId& tenant, const core::TicketId& ticket,
        const std::string& id, const identity::jwt::KeyRing& keys, std::int64_t ttl_s = 300);
    // Soft delete, by its uploader or a documents.write holder. Errors: not_found, forbidden.
    core::Result<void> remove_attachment(const identity::Actor& actor, const core::TenantId& tenant,
                                         const core::TicketId& ticket, const std::string& id);

private:
    // Checks size, type and quota, writes the blob, then the row and its audit entry.
    core::Result<Document> store(const identity::Actor& actor, const core::TenantId& tenant,
                                 Document d, const FileSlice& file,
                                 std::vector<core::FieldError> errors, std::string action);
    core::Result<std::pair<std::string, std::int64_t>> sign_for(const identity::Actor& actor,
                                                                const core::TenantId& tenant,
                                                                const Document& d,
                                                                const identity::jwt::KeyRing& keys,
                                                                std::int64_t ttl_s);

    db::StoreManager& stores_;
    blobs::BlobStore& blobs_;
    tenancy::TenantService& tenants_;
    tickets::TicketService& tickets_;
};

nlohmann::json to_json(const Document& d);
// An attachment's JSON: visibility public | internal, as comments say it.
nlohmann::json attachment_to_json(const Document& d);

}  // namespace kontor::documents
