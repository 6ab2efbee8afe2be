// Documents: /api/customers/:id/documents and /api/documents/:id. Who sees what and every limit
// are DocumentService's (documents/document.hpp); these handlers translate HTTP.
//
// Uploads (issue #5, in progress): the raw body is the file, named by `Content-Disposition:
// attachment; filename="…"` (or RFC 5987 `filename*=UTF-8''…`); title, category, visibility and
// user_id come as query parameters. The body is spooled to a file by the HTTP edge, never held in
// memory, and only after the caller was found allowed to upload.
#include <cctype>

#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/auth/auth_service.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/documents/document.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;
using identity::Permission;
using Reply = core::Result<http::Response>;

// The largest body the edge accepts for an upload; each tenant's own limit is lower
// (DocumentService answers 413 for it).
constexpr std::size_t kUploadBodyLimit = std::size_t{2} << 30;

Reply list_documents(Services& s, http::Context& ctx);
Reply upload_document(Services& s, http::Context& ctx);
Reply get_document(Services& s, http::Context& ctx);
Reply delete_document(Services& s, http::Context& ctx);
Reply issue_download_url(Services& s, http::Context& ctx);
Reply download_file(Services& s, http::Context& ctx);

}  // namespace

void register_document_routes(http::Router& router, Services& s) {
    auto bind = [&s](Reply (*fn)(Services&, http::Context&)) {
        return [&s, fn](http::Context& c) { return fn(s, c); };
    };
    const auto auth = Access::authenticated();
    router.add(Method::kGet, "/api/customers/:id/documents", auth, bind(list_documents));
    router.add(Method::kPost, "/api/customers/:id/documents",
               Access::require(Permission::kDocumentsWrite), bind(upload_document),
               {.body_limit = kUploadBodyLimit, .spool_body = true});
    router.add(Method::kGet, "/api/documents/:id", auth, bind(get_document));
    router.add(Method::kDelete, "/api/documents/:id", Access::require(Permission::kDocumentsWrite),
               bind(delete_document));
    router.add(Method::kPost, "/api/documents/:id/download-url", auth, bind(issue_download_url));
    router.add(Method::kGet, "/api/files/:token", auth, bind(download_file));
}

namespace {

core::Result<core::OrganizationId> customer_of_path(const http::Context& ctx) {
    auto id = id_param(ctx.request, "id", "customer");
    if (!id) return core::fail(id.error());
    return core::OrganizationId{std::move(*id)};
}

Reply list_documents(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto customer = customer_of_path(ctx);
    if (!customer) return core::fail(customer.error());
    const auto page = page_request(ctx.request);
    if (!page) return core::fail(page.error());
    documents::DocumentQuery q;
    q.page = *page;
    if (auto v = ctx.request.query_param("category")) q.category = std::string(*v);
    if (auto v = ctx.request.query_param("search")) q.search = std::string(*v);
    const auto result = s.documents->list(*ctx.actor, *tenant, *customer, q);
    if (!result) return core::fail(result.error());
    nlohmann::json data = nlohmann::json::array();
    for (const auto& d : result->items) data.push_back(documents::to_json(d));
    return http::Response::json(200,
                                page_body(std::move(data), q.page, result->total, ctx.request));
}

Reply upload_document(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto customer = customer_of_path(ctx);
    if (!customer) return core::fail(customer.error());
    const auto& req = ctx.request;
    if (!req.body_file) return core::fail(core::ErrorCode::kInternal, "no spooled body");
    const auto disposition = req.header("content-disposition");
    const auto filename = disposition ? disposition_filename(*disposition) : std::nullopt;
    if (!filename)
        return core::fail(
            core::Error::invalid("/headers/Content-Disposition",
                                 "name the file: Content-Disposition: attachment; filename=\"…\""));
    documents::NewDocument in;
    in.filename = *filename;
    if (auto v = req.query_param("title")) in.title = std::string(*v);
    if (auto v = req.query_param("category")) in.category = std::string(*v);
    if (auto v = req.query_param("visibility")) in.visibility = std::string(*v);
    if (auto v = req.query_param("user_id")) in.user = core::UserId{std::string(*v)};

    documents::UploadLimits limits;
    if (const auto record = s.tenants->find(tenant->str()); record && record->storage_quota_bytes)
        limits.storage_quota_bytes = static_cast<std::uint64_t>(*record->storage_quota_bytes);
    // Programs are not documents (a per-tenant deny-list setting follows in #5).
    limits.blocked_types = {"application/x-dosexec",     "application/x-executable",
                            "application/x-sharedlib",   "application/x-pie-executable",
                            "application/x-mach-binary", "application/x-msi"};
    const auto d = s.documents->upload(*ctx.actor, *tenant, *customer, in, *req.body_file, limits);
    if (!d) return core::fail(d.error());
    auto res = http::Response::json(201, documents::to_json(*d));
    res.set("Location", "/api/documents/" + d->id);
    return res;
}

Reply get_document(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto id = id_param(ctx.request, "id", "document");
    if (!id) return core::fail(id.error());
    const auto d = s.documents->get(*ctx.actor, *tenant, *id);
    if (!d) return core::fail(d.error());
    return http::Response::json(200, documents::to_json(*d));
}

Reply delete_document(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto id = id_param(ctx.request, "id", "document");
    if (!id) return core::fail(id.error());
    const auto done = s.documents->remove(*ctx.actor, *tenant, *id);
    if (!done) return core::fail(done.error());
    return http::Response::no_content();
}

// attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded> (RFC 6266).
std::string attachment_header(const std::string& filename) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string ascii, encoded;
    for (unsigned char c : filename) {
        ascii.push_back(c < 0x20 || c >= 0x7F || c == '"' || c == '\\' ? '_'
                                                                       : static_cast<char>(c));
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
            encoded.push_back(static_cast<char>(c));
        } else {
            encoded.push_back('%');
            encoded.push_back(kHex[c >> 4]);
            encoded.push_back(kHex[c & 0xF]);
        }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Reply issue_download_url(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto id = id_param(ctx.request, "id", "document");
    if (!id) return core::fail(id.error());
    const auto link = s.documents->issue_download(*ctx.actor, *tenant, *id, s.auth->keys());
    if (!link) return core::fail(link.error());
    return http::Response::json(200, {{"url", "/api/files/" + link->first},
                                      {"expires_at", core::format_rfc3339(link->second * 1000)}});
}

Reply download_file(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto download =
        s.documents->open_download(*ctx.actor, *tenant, ctx.request.param("token"), s.auth->keys());
    if (!download) return core::fail(download.error());
    const auto size = static_cast<std::uint64_t>(download->document.size);
    http::Response res;
    res.status = 200;
    res.file = download->file;  // streamed from disk, never read into memory
    res.set("Content-Type", download->document.content_type);
    res.set("Content-Disposition", attachment_header(download->document.filename));
    res.set("Cache-Control", "private, no-store");
    res.set("Accept-Ranges", "bytes");
    // Resuming a download: one byte range → 206 with exactly those bytes.
    const auto range = byte_range(ctx.request.header("range"), size);
    if (!range) {
        auto refusal = http::problem(range.error(), ctx.request.request_id);
        refusal.set("Content-Range", "bytes */" + std::to_string(size));
        return refusal;
    }
    if (*range) {
        res.status = 206;
        res.file_range = http::Response::ByteRange{(*range)->offset, (*range)->length};
        res.set("Content-Range", "bytes " + std::to_string((*range)->offset) + "-" +
                                     std::to_string((*range)->offset + (*range)->length - 1) + "/" +
                                     std::to_string(size));
    }
    return res;
}

}  // namespace
}  // namespace kontor::api
