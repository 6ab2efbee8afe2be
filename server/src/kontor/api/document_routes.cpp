// Documents and ticket attachments: /api/customers/:id/documents, /api/documents/:id,
// /api/tickets/:id/attachments[/:attachment_id] and the signed downloads /api/files/:token. Who
// sees what and every limit are DocumentService's (documents/document.hpp); these handlers
// translate HTTP.
//
// Uploads come two ways. Browsers send multipart/form-data: one part named "file" with a
// filename, and the other fields (title, category, visibility, user_id; comment_id, visibility)
// as text parts. API clients send the raw file as the body, named by `Content-Disposition:
// attachment; filename="…"` (or RFC 8187 `filename*=UTF-8''…`), with the fields as query
// parameters. Either way the HTTP edge spools the body to a file — never into memory — only after
// the caller was found allowed to upload, and stops at the tenant's file size (plus room for the
// form's own bytes).
#include <cctype>
#include <map>
#include <set>

#include "kontor/api/routes.hpp"
#include "kontor/api/support.hpp"
#include "kontor/auth/auth_service.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/documents/document.hpp"
#include "kontor/http/form.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::api {
namespace {

using http::Access;
using http::Method;
using identity::Permission;
using Reply = core::Result<http::Response>;

// The largest body the edge accepts for an upload; each tenant's own limit is lower (the
// routes' spool_limit, and DocumentService to the byte).
constexpr std::size_t kUploadBodyLimit = std::size_t{2} << 30;
// Room for a multipart form's own bytes (boundaries, part headers, text fields) around the file.
constexpr std::size_t kFormOverhead = 64 * 1024;
constexpr std::size_t kMaxFieldBytes = 1024;

Reply list_documents(Services& s, http::Context& ctx);
Reply upload_document(Services& s, http::Context& ctx);
Reply get_document(Services& s, http::Context& ctx);
Reply delete_document(Services& s, http::Context& ctx);
Reply issue_download_url(Services& s, http::Context& ctx);
Reply download_file(Services& s, http::Context& ctx);
Reply list_attachments(Services& s, http::Context& ctx);
Reply upload_attachment(Services& s, http::Context& ctx);
Reply get_attachment(Services& s, http::Context& ctx);
Reply delete_attachment(Services& s, http::Context& ctx);
Reply issue_attachment_url(Services& s, http::Context& ctx);

// The body a caller may send to an upload route: their tenant's file size and a form's overhead.
std::size_t upload_limit(Services& s, const http::Request& req, const identity::Actor& actor) {
    std::string tenant = actor.tenant.str();
    if (tenant.empty())
        if (auto named = req.query_param("tenant_id")) tenant = std::string(*named);
    if (!core::is_uuid(tenant)) return kUploadBodyLimit;  // the handler answers
    const auto record = s.tenants->find(tenant);
    if (!record) return kUploadBodyLimit;
    return static_cast<std::size_t>(record->settings.uploads.max_file_bytes) + kFormOverhead;
}

}  // namespace

void register_document_routes(http::Router& router, Services& s) {
    auto bind = [&s](Reply (*fn)(Services&, http::Context&)) {
        return [&s, fn](http::Context& c) { return fn(s, c); };
    };
    const auto auth = Access::authenticated();
    const http::RouteOptions upload{
        .body_limit = kUploadBodyLimit,
        .spool_body = true,
        .spool_limit = [&s](const http::Request& req, const identity::Actor& actor) {
            return upload_limit(s, req, actor);
        }};
    router.add(Method::kGet, "/api/customers/:id/documents", auth, bind(list_documents));
    router.add(Method::kPost, "/api/customers/:id/documents",
               Access::require(Permission::kDocumentsWrite), bind(upload_document), upload);
    router.add(Method::kGet, "/api/documents/:id", auth, bind(get_document));
    router.add(Method::kDelete, "/api/documents/:id", Access::require(Permission::kDocumentsWrite),
               bind(delete_document));
    router.add(Method::kPost, "/api/documents/:id/download-url", auth, bind(issue_download_url));
    router.add(Method::kGet, "/api/files/:token", auth, bind(download_file));
    router.add(Method::kGet, "/api/tickets/:id/attachments", auth, bind(list_attachments));
    router.add(Method::kPost, "/api/tickets/:id/attachments",
               Access::require(Permission::kTicketsWrite), bind(upload_attachment), upload);
    router.add(Method::kGet, "/api/tickets/:id/attachments/:attachment_id", auth,
               bind(get_attachment));
    router.add(Method::kDelete, "/api/tickets/:id/attachments/:attachment_id", auth,
               bind(delete_attachment));
    router.add(Method::kPost, "/api/tickets/:id/attachments/:attachment_id/download-url", auth,
               bind(issue_attachment_url));
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

// An upload as the request carries it: the file's bytes in the spooled body, its name, and the
// route's other fields (from the form's text parts, else the query).
struct UploadForm {
    documents::FileSlice file;
    std::string filename;
    std::map<std::string, std::string> fields;
};

core::Result<UploadForm> read_upload(const http::Request& req,
                                     const std::set<std::string>& field_names) {
    if (!req.body_file) return core::fail(core::ErrorCode::kInternal, "no spooled body");
    UploadForm form;
    for (const auto& name : field_names)
        if (auto v = req.query_param(name)) form.fields[name] = std::string(*v);
    const auto content_type = req.header("content-type");
    if (content_type && http::parse_header_value(*content_type).value == "multipart/form-data") {
        auto parts = http::parse_multipart(*req.body_file, *content_type);
        if (!parts) return core::fail(parts.error());
        std::vector<core::FieldError> errors;
        bool have_file = false;
        for (const auto& part : *parts) {
            if (part.name == "file") {
                if (part.filename && part.filename->empty() && part.size == 0) {
                    continue;  // a browser form sent without choosing a file
                } else if (have_file) {
                    errors.push_back({"/file", "send one file per request"});
                } else if (!part.filename) {
                    errors.push_back({"/file", "must be a file (a part with a filename)"});
                } else {
                    have_file = true;
                    form.file = {*req.body_file, part.offset, part.size};
                    form.filename = *part.filename;
                }
            } else if (field_names.contains(part.name)) {
                auto value = http::read_part(*req.body_file, part, kMaxFieldBytes);
                if (!value) return core::fail(value.error());
                form.fields[part.name] = std::move(*value);
            } else {
                errors.push_back({"/" + part.name, "is not a field of this upload"});
            }
        }
        if (!have_file) errors.push_back({"/file", "is required"});
        if (!errors.empty())
            return core::fail(core::Error::invalid(std::move(errors), "The upload is invalid."));
        return form;
    }
    // The raw body is the file.
    const auto disposition = req.header("content-disposition");
    const auto params = disposition ? http::parse_header_value(*disposition).params
                                    : std::map<std::string, std::string>{};
    const auto name = params.find("filename");
    if (name == params.end())
        return core::fail(
            core::Error::invalid("/headers/Content-Disposition",
                                 "name the file: Content-Disposition: attachment; filename=\"…\" "
                                 "(or send multipart/form-data)"));
    form.file = documents::FileSlice::whole(*req.body_file, req.body_size);
    form.filename = name->second;
    return form;
}

std::optional<std::string> field(const UploadForm& form, const std::string& name) {
    const auto it = form.fields.find(name);
    if (it == form.fields.end()) return std::nullopt;
    return it->second;
}

Reply upload_document(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto customer = customer_of_path(ctx);
    if (!customer) return core::fail(customer.error());
    const auto form = read_upload(ctx.request, {"title", "category", "visibility", "user_id"});
    if (!form) return core::fail(form.error());
    documents::NewDocument in;
    in.filename = form->filename;
    in.title = field(*form, "title");
    in.category = field(*form, "category");
    in.visibility = field(*form, "visibility");
    if (auto v = field(*form, "user_id")) in.user = core::UserId{std::move(*v)};
    const auto d = s.documents->upload(*ctx.actor, *tenant, *customer, in, form->file);
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

// {url, expires_at} of a signed download link.
Reply link_response(const core::Result<std::pair<std::string, std::int64_t>>& link) {
    if (!link) return core::fail(link.error());
    return http::Response::json(200, {{"url", "/api/files/" + link->first},
                                      {"expires_at", core::format_rfc3339(link->second * 1000)}});
}

Reply issue_download_url(Services& s, http::Context& ctx) {
    const auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    const auto id = id_param(ctx.request, "id", "document");
    if (!id) return core::fail(id.error());
    return link_response(
        s.documents->issue_download(*ctx.actor, *tenant, *id, s.auth->keys(), s.download_link_ttl));
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

// ---- ticket attachments

struct AttachmentTarget {
    core::TenantId tenant;
    core::TicketId ticket;
    std::string id;  // the attachment (empty on the collection)
};
core::Result<AttachmentTarget> attachment_target(Services& s, const http::Context& ctx,
                                                 bool with_id) {
    auto tenant = acting_tenant(ctx, *s.tenants);
    if (!tenant) return core::fail(tenant.error());
    auto ticket = id_param(ctx.request, "id", "ticket");
    if (!ticket) return core::fail(ticket.error());
    AttachmentTarget t{std::move(*tenant), core::TicketId{std::move(*ticket)}, {}};
    if (with_id) {
        auto id = id_param(ctx.request, "attachment_id", "attachment");
        if (!id) return core::fail(id.error());
        t.id = std::move(*id);
    }
    return t;
}

Reply list_attachments(Services& s, http::Context& ctx) {
    const auto t = attachment_target(s, ctx, false);
    if (!t) return core::fail(t.error());
    const auto page = page_request(ctx.request);
    if (!page) return core::fail(page.error());
    const auto result = s.documents->attachments(*ctx.actor, t->tenant, t->ticket, *page);
    if (!result) return core::fail(result.error());
    nlohmann::json data = nlohmann::json::array();
    for (const auto& d : result->items) data.push_back(documents::attachment_to_json(d));
    return http::Response::json(200, page_body(std::move(data), *page, result->total, ctx.request));
}

Reply upload_attachment(Services& s, http::Context& ctx) {
    const auto t = attachment_target(s, ctx, false);
    if (!t) return core::fail(t.error());
    const auto form = read_upload(ctx.request, {"comment_id", "visibility"});
    if (!form) return core::fail(form.error());
    documents::NewAttachment in;
    in.filename = form->filename;
    in.comment = field(*form, "comment_id");
    in.visibility = field(*form, "visibility");
    const auto d = s.documents->attach(*ctx.actor, t->tenant, t->ticket, in, form->file);
    if (!d) return core::fail(d.error());
    auto res = http::Response::json(201, documents::attachment_to_json(*d));
    res.set("Location", "/api/tickets/" + t->ticket.str() + "/attachments/" + d->id);
    return res;
}

Reply get_attachment(Services& s, http::Context& ctx) {
    const auto t = attachment_target(s, ctx, true);
    if (!t) return core::fail(t.error());
    const auto d = s.documents->attachment(*ctx.actor, t->tenant, t->ticket, t->id);
    if (!d) return core::fail(d.error());
    return http::Response::json(200, documents::attachment_to_json(*d));
}

Reply delete_attachment(Services& s, http::Context& ctx) {
    const auto t = attachment_target(s, ctx, true);
    if (!t) return core::fail(t.error());
    const auto done = s.documents->remove_attachment(*ctx.actor, t->tenant, t->ticket, t->id);
    if (!done) return core::fail(done.error());
    return http::Response::no_content();
}

Reply issue_attachment_url(Services& s, http::Context& ctx) {
    const auto t = attachment_target(s, ctx, true);
    if (!t) return core::fail(t.error());
    return link_response(s.documents->issue_attachment_download(
        *ctx.actor, t->tenant, t->ticket, t->id, s.auth->keys(), s.download_link_ttl));
}

}  // namespace
}  // namespace kontor::api
