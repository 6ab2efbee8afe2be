#include <magic.h>

#include <algorithm>
#include <array>
#include <fstream>

#include "kontor/audit/audit.hpp"
#include "kontor/core/clock.hpp"
#include "kontor/core/text.hpp"
#include "kontor/documents/document.hpp"
#include "kontor/identity/crypto.hpp"

namespace kontor::documents {
namespace {

using identity::Actor;
using identity::Permission;

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxFilename = 200;
constexpr std::size_t kMaxSearch = 200;
constexpr std::size_t kCopyChunk = 1 << 20;
constexpr std::array<std::string_view, 5> kCategories = {"contract", "invoice", "report",
                                                         "certificate", "other"};

constexpr std::size_t kSniffBytes = 1 << 20;

constexpr std::string_view kColumns =
    "d.id, d.customer_id, d.user_id, d.title, d.filename, d.content_type, d.size, d.sha256, "
    "d.category, d.visibility, d.uploaded_by, d.created_at, d.deleted_at, d.external_ref, "
    "d.ticket_id, d.comment_id";

Document row_to_document(const db::ResultSet& rs, std::size_t i) {
    Document d;
    d.id = rs.get_text(i, 0);
    d.customer = core::OrganizationId{rs.get_text(i, 1)};
    if (auto v = rs.opt_text(i, 2)) d.user = core::UserId{*v};
    d.title = rs.get_text(i, 3);
    d.filename = rs.get_text(i, 4);
    d.content_type = rs.get_text(i, 5);
    d.size = rs.get_int(i, 6);
    d.sha256 = rs.get_text(i, 7);
    d.category = rs.get_text(i, 8);
    d.visibility = rs.get_text(i, 9);
    if (auto v = rs.opt_text(i, 10)) d.uploaded_by = core::UserId{*v};
    d.created_at = rs.get_int(i, 11);
    d.deleted_at = rs.opt_int(i, 12);
    d.external_ref = rs.opt_text(i, 13);
    if (auto v = rs.opt_text(i, 14)) d.ticket = core::TicketId{*v};
    d.comment = rs.opt_text(i, 15);
    return d;
}

bool is_staff(const Actor& a) { return a.can(Permission::kCustomersRead); }

core::Error no_such_document() { return core::Error::not_found("There is no such document."); }
core::Error no_such_customer() { return core::Error::not_found("There is no such customer."); }
core::Error no_such_attachment() { return core::Error::not_found("There is no such attachment."); }

// Customer users see their own organisation only; staff every customer of the tenant.
bool customer_visible(db::Connection& conn, const Actor& a, const core::OrganizationId& customer) {
    if (!core::is_uuid(customer.str())) return false;
    if (!is_staff(a) && (!a.organization || *a.organization != customer)) return false;
    return !conn.query("SELECT 1 FROM customers WHERE id = $1", {customer.str()}).empty();
}

// The WHERE fragment (alias d) of what a customer user may see; staff see everything.
std::string visibility(const Actor& a, std::vector<db::Value>& params) {
    if (is_staff(a)) return "1 = 1";
    params.emplace_back(a.user.str());
    return "d.visibility = 'customer' AND (d.user_id IS NULL OR d.user_id = $" +
           std::to_string(params.size()) + ")";
}

// Every document action is audited with its customer and file name (and `extra` details);
// attachments with their ticket and comment too.
void append_audit(db::Connection& conn, const Actor& actor, std::string action, const Document& d,
                  nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json details = {{"customer_id", d.customer.str()}, {"filename", d.filename}};
    if (d.ticket) details["ticket_id"] = d.ticket->str();
    if (d.comment) details["comment_id"] = *d.comment;
    details.update(extra);
    audit::append(conn, audit::entry_for(actor, std::move(action), d.id, std::move(details)));
}

// Soft delete with its audit entry, in one transaction.
void soft_delete(db::StoreManager& stores, const Actor& actor, const core::TenantId& tenant,
                 const Document& d, std::string action) {
    auto lease = stores.tenant(tenant);
    db::Transaction tx(*lease);
    tx.conn().execute(
        "UPDATE documents SET deleted_at = $2, version = version + 1 WHERE id = $1 AND "
        "deleted_at IS NULL",
        {d.id, core::now_ms()});
    append_audit(tx.conn(), actor, std::move(action), d);
    tx.commit();
}

std::string extension_of(std::string_view name) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || name.size() - dot > 16) return "";
    return std::string(name.substr(dot));
}

}  // namespace

std::string sanitise_filename(std::string_view name) {
    // The last path component, whichever separator the client's system uses.
    const auto slash = name.find_last_of("/\\");
    if (slash != std::string_view::npos) name = name.substr(slash + 1);
    std::string out;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F || c == '"' || c == ':' || c == '*' || c == '?' || c == '<' ||
            c == '>' || c == '|')
            continue;
        out.push_back(static_cast<char>(c));
    }
    // Leading dots would hide the file or climb directories on someone's disk.
    out.erase(0, out.find_first_not_of(". "));
    while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
    if (!core::valid_utf8(out)) out = "file" + extension_of(out);
    if (out.size() > kMaxFilename) {
        const std::string ext = extension_of(out);
        std::size_t keep = kMaxFilename - ext.size();
        // Do not cut a UTF-8 sequence in half.
        while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) --keep;
        out = out.substr(0, keep) + ext;
    }
    return out.empty() ? "file" : out;
}

UploadLimits upload_limits(const tenancy::Tenant& tenant) {
    UploadLimits limits;
    limits.max_file_bytes = static_cast<std::uint64_t>(tenant.settings.uploads.max_file_bytes);
    if (tenant.storage_quota_bytes)
        limits.storage_quota_bytes = static_cast<std::uint64_t>(*tenant.storage_quota_bytes);
    limits.blocked_types = tenant.settings.uploads.blocked_types;
    return limits;
}

std::string sniff_content_type(const FileSlice& file) {
    // One libmagic handle per thread: handles are not thread-safe, and loading the database
    // costs milliseconds.
    struct Handle {
        magic_t cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
        bool loaded = cookie != nullptr && magic_load(cookie, nullptr) == 0;
        ~Handle() {
            if (cookie != nullptr) magic_close(cookie);
        }
    };
    thread_local Handle handle;
    if (!handle.loaded) return "application/octet-stream";
    // The head of the slice is enough for every format libmagic knows.
    std::string head(static_cast<std::size_t>(std::min<std::uint64_t>(file.size, kSniffBytes)),
                     '\0');
    std::ifstream in(file.path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(file.offset));
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    const char* type = magic_buffer(handle.cookie, head.data(), head.size());
    return type != nullptr ? std::string(type) : "application/octet-stream";
}

core::Result<core::Page<Document>> DocumentService::list(const Actor& actor,
                                                         const core::TenantId& tenant,
                                                         const core::OrganizationId& customer,
                                                         const DocumentQuery& q) {
    if (actor.outside(tenant)) return core::fail(no_such_customer());
    auto lease = stores_.tenant(tenant);
    db::Transaction read(*lease, false);
    if (!customer_visible(*lease, actor, customer)) return core::fail(no_such_customer());
    std::vector<db::Value> params{customer.str()};
    std::string where = "d.customer_id = $1 AND d.ticket_id IS NULL AND d.deleted_at IS NULL AND " +
                        visibility(actor, params);
    if (q.category) {
        if (std::find(kCategories.begin(), kCategories.end(), *q.category) == kCategories.end())
            return core::fail(core::Error::invalid(
                "/query/category", "must be contract, invoice, report, certificate or other"));
        params.emplace_back(*q.category);
        where += " AND d.category = $" + std::to_string(params.size());
    }
    if (q.search) {
        if (auto problem = core::text_problem(*q.search, kMaxSearch))
            return core::fail(core::Error::invalid("/query/search", *problem));
        std::string pattern = "%";
        for (char c : core::ascii_lower(*q.search)) {
            if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
            pattern.push_back(c);
        }
        pattern.push_back('%');
        params.emplace_back(pattern);
        where += " AND lower(d.title) LIKE $" + std::to_string(params.size()) + " ESCAPE '\\'";
    }
    core::Page<Document> page;
    page.total =
        lease->query("SELECT COUNT(*) FROM documents d WHERE " + where, params).get_int(0, 0);
    params.emplace_back(static_cast<std::int64_t>(q.page.limit));
    const std::string limit = "$" + std::to_string(params.size());
    params.emplace_back(q.page.offset());
    const std::string offset = "$" + std::to_string(params.size());
    const auto rs = lease->query("SELECT " + std::string(kColumns) + " FROM documents d WHERE " +
                                     where + " ORDER BY d.created_at DESC, d.id DESC LIMIT " +
                                     limit + " OFFSET " + offset,
                                 params);
    for (std::size_t i = 0; i < rs.size(); ++i) page.items.push_back(row_to_document(rs, i));
    return page;
}

core::Result<Document> DocumentService::get(const Actor& actor, const core::TenantId& tenant,
                                            const std::string& id) {
    if (actor.outside(tenant) || !core::is_uuid(id)) return core::fail(no_such_document());
    auto lease = stores_.tenant(tenant);
    std::vector<db::Value> params{id};
    std::string where = "d.id = $1 AND d.ticket_id IS NULL AND d.deleted_at IS NULL AND " +
                        visibility(actor, params);
    if (!is_staff(actor)) {
        if (!actor.organization) return core::fail(no_such_document());
        params.emplace_back(actor.organization->str());
        where += " AND d.customer_id = $" + std::to_string(params.size());
    }
    const auto rs = lease->query(
        "SELECT " + std::string(kColumns) + " FROM documents d WHERE " + where, params);
    if (rs.empty()) return core::fail(no_such_document());
    return row_to_document(rs, 0);
}

core::Result<Document> DocumentService::upload(const Actor& actor, const core::TenantId& tenant,
                                               const core::OrganizationId& customer,
                                               const NewDocument& in, const FileSlice& file) {
    if (actor.outside(tenant)) return core::fail(no_such_customer());
    {
        auto lease = stores_.tenant(tenant);
        if (!customer_visible(*lease, actor, customer)) return core::fail(no_such_customer());
    }
    if (!actor.can(Permission::kDocumentsWrite))
        return core::fail(
            core::Error::forbidden("Uploading documents needs the documents.write permission."));

    std::vector<core::FieldError> errors;
    Document d;
    d.customer = customer;
    d.filename = sanitise_filename(in.filename);
    d.title = in.title.value_or(d.filename);
    if (d.title.empty() || d.title.find_first_not_of(" \t") == std::string::npos)
        errors.push_back({"/title", "is required"});
    else if (auto p = core::text_problem(d.title, kMaxTitle))
        errors.push_back({"/title", *p});
    d.category = in.category.value_or("other");
    if (std::find(kCategories.begin(), kCategories.end(), d.category) == kCategories.end())
        errors.push_back({"/category", "must be contract, invoice, report, certificate or other"});
    d.visibility = in.visibility.value_or("customer");
    if (d.visibility != "customer" && d.visibility != "internal")
        errors.push_back({"/visibility", "must be customer or internal"});
    if (in.user) {
        // Shared with one person: a portal user of this very customer.
        const auto rs = stores_.catalog()->query(
            "SELECT 1 FROM users WHERE id = $1 AND tenant_id = $2 AND customer_id = $3",
            {in.user->str(), tenant.str(), customer.str()});
        if (rs.empty()) errors.push_back({"/user_id", "no such user of this customer"});
        d.user = in.user;
    }
    return store(actor, tenant, std::move(d), file, std::move(errors), "document.uploaded");
}

core::Result<Document> DocumentService::store(const Actor& actor, const core::TenantId& tenant,
                                              Document d, const FileSlice& file,
                                              std::vector<core::FieldError> errors,
                                              std::string action) {
    const auto record = tenants_.find(tenant.str());
    if (!record) return core::fail(core::Error::not_found("There is no such tenant."));
    const UploadLimits limits = upload_limits(*record);
    if (file.size > limits.max_file_bytes)
        return core::fail(core::ErrorCode::kPayloadTooLarge,
                          "The file is larger than this service desk accepts (" +
                              std::to_string(limits.max_file_bytes) + " bytes).");
    d.content_type = sniff_content_type(file);
    if (std::find(limits.blocked_types.begin(), limits.blocked_types.end(), d.content_type) !=
        limits.blocked_types.end())
        errors.push_back({"/file", "files of type " + d.content_type + " are not accepted"});
    if (!errors.empty())
        return core::fail(core::Error::invalid(std::move(errors), "The file is not accepted."));
    auto lease = stores_.tenant(tenant);
    // Checked before the copy (a full store writes nothing) and again in the row's transaction
    // (uploads that ran at the same time may have filled it meanwhile).
    const auto room_for = [&](db::Connection& conn, std::uint64_t size) -> core::Result<void> {
        if (!limits.storage_quota_bytes) return {};
        const auto used =
            conn.query("SELECT COALESCE(SUM(size), 0) FROM documents WHERE deleted_at IS NULL")
                .get_int(0, 0);
        if (static_cast<std::uint64_t>(used) + size > *limits.storage_quota_bytes)
            return core::fail(core::ErrorCode::kStorageFull,
                              "The service desk's storage quota (" +
                                  std::to_string(*limits.storage_quota_bytes) +
                                  " bytes) has no room for this file.");
        return {};
    };
    if (auto room = room_for(*lease, file.size); !room) return core::fail(room.error());

    // Bytes first, then the row: a row never points at a blob that is not complete.
    auto writer = blobs_.begin(tenant, limits.max_file_bytes);
    {
        std::ifstream in(file.path, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(file.offset));
        std::string chunk(kCopyChunk, '\0');
        std::uint64_t left = file.size;
        while (left > 0 && in) {
            const auto want =
                static_cast<std::streamsize>(std::min<std::uint64_t>(left, kCopyChunk));
            in.read(chunk.data(), want);
            const auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) break;
            if (auto w = writer->write(std::string_view(chunk.data(), n)); !w)
                return core::fail(w.error());
            left -= n;
        }
        if (left > 0) throw core::Failure(core::ErrorCode::kInternal, "upload body: short read");
    }
    auto ref = writer->commit();
    if (!ref) return core::fail(ref.error());

    d.id = core::new_uuid_v7();
    d.size = static_cast<std::int64_t>(ref->size);
    d.sha256 = ref->sha256;
    if (!actor.user.empty()) d.uploaded_by = actor.user;
    d.created_at = core::now_ms();
    db::Transaction tx(*lease);
    // A refusal here leaves the committed blob without a row: never the other way round.
    if (auto room = room_for(tx.conn(), ref->size); !room) return core::fail(room.error());
    tx.conn().execute(
        "INSERT INTO documents (id, customer_id, user_id, title, filename, content_type, size, "
        "sha256, category, visibility, uploaded_by, created_at, ticket_id, comment_id) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        {d.id, d.customer.str(), d.user ? db::Value{d.user->str()} : db::Value{nullptr}, d.title,
         d.filename, d.content_type, d.size, d.sha256, d.category, d.visibility,
         d.uploaded_by ? db::Value{d.uploaded_by->str()} : db::Value{nullptr}, d.created_at,
         d.ticket ? db::Value{d.ticket->str()} : db::Value{nullptr},
         d.comment ? db::Value{*d.comment} : db::Value{nullptr}});
    append_audit(
        tx.conn(), actor, std::move(action), d,
        {{"size", d.size}, {"content_type", d.content_type}, {"visibility", d.visibility}});
    tx.commit();
    return d;
}

core::Result<void> DocumentService::remove(const Actor& actor, const core::TenantId& tenant,
                                           const std::string& id) {
    auto found = get(actor, tenant, id);
    if (!found) return core::fail(found.error());
    if (!actor.can(Permission::kDocumentsWrite))
        return core::fail(
            core::Error::forbidden("Deleting documents needs the documents.write permission."));
    soft_delete(stores_, actor, tenant, *found, "document.deleted");
    return {};
}

namespace {

constexpr std::string_view kDownloadDomain = "kontor-download\n";

core::Error bad_link() {
    return core::Error::forbidden(
        "This download link is invalid or has expired; request a new one.");
}

}  // namespace

std::string sign_download(const DownloadGrant& g, const identity::jwt::KeyRing& keys) {
    const auto& key = keys.signing();
    const std::string payload = "kdl1|" + key.kid + "|" + g.tenant.str() + "|" + g.document + "|" +
                                g.user.str() + "|" + std::to_string(g.expires_at_s);
    const std::string mac =
        identity::hmac_sha256(key.secret, std::string(kDownloadDomain) + payload);
    return identity::base64url_encode(payload) + "." + identity::base64url_encode(mac);
}

core::Result<DownloadGrant> verify_download(std::string_view token,
                                            const identity::jwt::KeyRing& keys,
                                            std::int64_t now_s) {
    const auto dot = token.find('.');
    if (dot == std::string_view::npos || token.size() > 1024) return core::fail(bad_link());
    const auto payload = identity::base64url_decode(token.substr(0, dot));
    const auto mac = identity::base64url_decode(token.substr(dot + 1));
    if (!payload || !mac) return core::fail(bad_link());
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= payload->size(); ++i) {
        if (i == payload->size() || (*payload)[i] == '|') {
            parts.push_back(payload->substr(start, i - start));
            start = i + 1;
        }
    }
    if (parts.size() != 6 || parts[0] != "kdl1") return core::fail(bad_link());
    const auto* key = keys.find(parts[1]);
    if (key == nullptr) return core::fail(bad_link());
    const std::string expected =
        identity::hmac_sha256(key->secret, std::string(kDownloadDomain) + *payload);
    if (!identity::constant_time_equal(expected, *mac)) return core::fail(bad_link());
    DownloadGrant g;
    g.tenant = core::TenantId{parts[2]};
    g.document = parts[3];
    g.user = core::UserId{parts[4]};
    try {
        g.expires_at_s = std::stoll(parts[5]);
    } catch (const std::exception&) {
        return core::fail(bad_link());
    }
    if (g.expires_at_s <= now_s) return core::fail(bad_link());
    return g;
}

core::Result<std::pair<std::string, std::int64_t>> DocumentService::sign_for(
    const Actor& actor, const core::TenantId& tenant, const Document& d,
    const identity::jwt::KeyRing& keys, std::int64_t ttl_s) {
    // Rounded up to the next second: a link works for at least ttl_s seconds.
    DownloadGrant g{tenant, d.id, actor.user, (core::now_ms() + 999) / 1000 + ttl_s};
    auto lease = stores_.tenant(tenant);
    append_audit(*lease, actor,
                 d.ticket ? "attachment.download_url_issued" : "document.download_url_issued", d);
    return std::pair{sign_download(g, keys), g.expires_at_s};
}

core::Result<std::pair<std::string, std::int64_t>> DocumentService::issue_download(
    const Actor& actor, const core::TenantId& tenant, const std::string& id,
    const identity::jwt::KeyRing& keys, std::int64_t ttl_s) {
    auto d = get(actor, tenant, id);
    if (!d) return core::fail(d.error());
    return sign_for(actor, tenant, *d, keys, ttl_s);
}

core::Result<std::pair<std::string, std::int64_t>> DocumentService::issue_attachment_download(
    const Actor& actor, const core::TenantId& tenant, const core::TicketId& ticket,
    const std::string& id, const identity::jwt::KeyRing& keys, std::int64_t ttl_s) {
    auto d = attachment(actor, tenant, ticket, id);
    if (!d) return core::fail(d.error());
    return sign_for(actor, tenant, *d, keys, ttl_s);
}

core::Result<Download> DocumentService::open_download(const Actor& actor,
                                                      const core::TenantId& tenant,
                                                      std::string_view token,
                                                      const identity::jwt::KeyRing& keys) {
    auto grant = verify_download(token, keys, core::now_ms() / 1000);
    if (!grant) return core::fail(grant.error());
    if (grant->user != actor.user || grant->tenant != tenant) return core::fail(bad_link());
    // Still there, and still visible to them: a document by its own rule, an attachment by its
    // ticket's.
    std::optional<core::TicketId> ticket;
    if (core::is_uuid(grant->document)) {
        auto lease = stores_.tenant(tenant);
        const auto rs =
            lease->query("SELECT ticket_id FROM documents WHERE id = $1", {grant->document});
        if (!rs.empty())
            if (auto t = rs.opt_text(0, 0)) ticket = core::TicketId{*t};
    }
    auto d = ticket ? attachment(actor, tenant, *ticket, grant->document)
                    : get(actor, tenant, grant->document);
    if (!d) return core::fail(d.error());
    auto path = blobs_.local_path(tenant, d->sha256);
    if (!path) return core::fail(core::Error::not_found("The file's content is missing."));
    auto lease = stores_.tenant(tenant);
    append_audit(*lease, actor, ticket ? "attachment.downloaded" : "document.downloaded", *d);
    return Download{std::move(*d), std::move(*path)};
}

// ---- ticket attachments

core::Result<Document> DocumentService::attach(const Actor& actor, const core::TenantId& tenant,
                                               const core::TicketId& ticket,
                                               const NewAttachment& in, const FileSlice& file) {
    auto t = tickets_.get(actor, tenant, ticket);  // not_found unless the actor sees it
    if (!t) return core::fail(t.error());
    if (!actor.can(Permission::kTicketsWrite))
        return core::fail(
            core::Error::forbidden("Attaching files needs the tickets.write permission."));
    if (t->status == tickets::Status::kClosed)
        return core::fail(core::Error::conflict("The ticket is closed; open a new one."));

    std::vector<core::FieldError> errors;
    std::optional<std::string> comment_visibility;
    if (in.comment) {
        auto c = tickets_.comment(actor, tenant, ticket, *in.comment);
        if (!c) return core::fail(c.error());
        if (c->author != actor.user)
            return core::fail(core::Error::forbidden(
                "Files are attached to a comment by the comment's author only."));
        comment_visibility = c->visibility;
    }
    const std::string visibility = in.visibility.value_or(comment_visibility.value_or("public"));
    if (visibility != "public" && visibility != "internal")
        errors.push_back({"/visibility", "must be public or internal"});
    else if (comment_visibility && visibility != *comment_visibility)
        errors.push_back({"/visibility", "must be the comment's (" + *comment_visibility + ")"});
    else if (visibility == "internal" && !is_staff(actor))
        return core::fail(core::Error::forbidden("Internal attachments are for staff."));

    Document d;
    d.customer = t->customer;
    d.filename = sanitise_filename(in.filename);
    d.title = d.filename;
    d.category = "other";
    d.visibility = visibility == "internal" ? "internal" : "customer";
    d.ticket = ticket;
    d.comment = in.comment;
    return store(actor, tenant, std::move(d), file, std::move(errors), "attachment.uploaded");
}

namespace {
// The WHERE fragment (alias d) of a ticket's attachments an actor sees, the ticket being visible.
std::string attachment_scope(const Actor& a) {
    return "d.ticket_id = $1 AND d.deleted_at IS NULL" +
           std::string(is_staff(a) ? "" : " AND d.visibility = 'customer'");
}
}  // namespace

core::Result<core::Page<Document>> DocumentService::attachments(const Actor& actor,
                                                                const core::TenantId& tenant,
                                                                const core::TicketId& ticket,
                                                                const core::PageRequest& page) {
    auto t = tickets_.get(actor, tenant, ticket);
    if (!t) return core::fail(t.error());
    auto lease = stores_.tenant(tenant);
    db::Transaction read(*lease, false);
    const std::string where = attachment_scope(actor);
    core::Page<Document> out;
    out.total = lease->query("SELECT COUNT(*) FROM documents d WHERE " + where, {ticket.str()})
                    .get_int(0, 0);
    const auto rs =
        lease->query("SELECT " + std::string(kColumns) + " FROM documents d WHERE " + where +
                         " ORDER BY d.created_at, d.id LIMIT $2 OFFSET $3",
                     {ticket.str(), static_cast<std::int64_t>(page.limit), page.offset()});
    for (std::size_t i = 0; i < rs.size(); ++i) out.items.push_back(row_to_document(rs, i));
    return out;
}

core::Result<Document> DocumentService::attachment(const Actor& actor, const core::TenantId& tenant,
                                                   const core::TicketId& ticket,
                                                   const std::string& id) {
    auto t = tickets_.get(actor, tenant, ticket);
    if (!t) return core::fail(t.error());
    if (!core::is_uuid(id)) return core::fail(no_such_attachment());
    auto lease = stores_.tenant(tenant);
    const auto rs = lease->query("SELECT " + std::string(kColumns) + " FROM documents d WHERE " +
                                     attachment_scope(actor) + " AND d.id = $2",
                                 {ticket.str(), id});
    if (rs.empty()) return core::fail(no_such_attachment());
    return row_to_document(rs, 0);
}

core::Result<void> DocumentService::remove_attachment(const Actor& actor,
                                                      const core::TenantId& tenant,
                                                      const core::TicketId& ticket,
                                                      const std::string& id) {
    auto found = attachment(actor, tenant, ticket, id);
    if (!found) return core::fail(found.error());
    if (found->uploaded_by != actor.user && !actor.can(Permission::kDocumentsWrite))
        return core::fail(core::Error::forbidden(
            "Only the uploader or a holder of documents.write removes an attachment."));
    soft_delete(stores_, actor, tenant, *found, "attachment.deleted");
    return {};
}

nlohmann::json to_json(const Document& d) {
    const auto opt = [](const auto& v) {
        return v ? nlohmann::json(v->str()) : nlohmann::json(nullptr);
    };
    return {{"id", d.id},
            {"customer_id", d.customer.str()},
            {"user_id", opt(d.user)},
            {"title", d.title},
            {"filename", d.filename},
            {"content_type", d.content_type},
            {"size", d.size},
            {"sha256", d.sha256},
            {"category", d.category},
            {"visibility", d.visibility},
            {"uploaded_by", opt(d.uploaded_by)},
            {"created_at", core::format_rfc3339(d.created_at)},
            {"external_ref",
             d.external_ref ? nlohmann::json(*d.external_ref) : nlohmann::json(nullptr)}};
}

nlohmann::json attachment_to_json(const Document& d) {
    return {{"id", d.id},
            {"ticket_id", d.ticket ? nlohmann::json(d.ticket->str()) : nlohmann::json(nullptr)},
            {"comment_id", d.comment ? nlohmann::json(*d.comment) : nlohmann::json(nullptr)},
            {"filename", d.filename},
            {"content_type", d.content_type},
            {"size", d.size},
            {"sha256", d.sha256},
            {"visibility", d.visibility == "internal" ? "internal" : "public"},
            {"uploaded_by",
             d.uploaded_by ? nlohmann::json(d.uploaded_by->str()) : nlohmann::json(nullptr)},
            {"created_at", core::format_rfc3339(d.created_at)}};
}

}  // namespace kontor::documents
