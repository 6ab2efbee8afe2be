// DocumentService on every backend with the real local blob store and ticket service: uploads
// (sniffed type, sanitised name, audit), who sees which document (staff, the organisation, one
// person; never another organisation's, never internal ones), the tenant's limits (size, quota,
// blocked types) that leave no blob behind, soft delete, and ticket attachments (visible exactly
// to those who see the ticket; internal ones and those of internal comments to staff only).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "kontor/audit/audit.hpp"
#include "kontor/blobs/blob_store.hpp"
#include "kontor/core/ids.hpp"
#include "kontor/customers/customer.hpp"
#include "kontor/documents/document.hpp"
#include "kontor/identity/users.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "kontor/tickets/ticket.hpp"
#include "support/actors.hpp"
#include "support/tenant_stores.hpp"
#include "support/test_env.hpp"

namespace kontor::documents {
namespace {

namespace fs = std::filesystem;
using identity::Role;
using testing::must;

identity::Actor actor_for(const identity::User& u) { return testing::actor_for(u, "192.0.2.44"); }

constexpr const char* kPdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";

class DocumentsTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        testing::open_tenant_stores(GetParam(), db_, stores_, tenants_);
        users_ = std::make_unique<identity::UserService>(*stores_);
        customers_ = std::make_unique<customers::CustomerService>(*stores_);
        blob_root_ = fs::temp_directory_path() / ("kontor-doc-blobs-" + core::new_uuid_v7());
        blobs_ = blobs::make_local_store(blob_root_);
        tickets_ = std::make_unique<tickets::TicketService>(*stores_, *tenants_, *users_);
        service_ = std::make_unique<DocumentService>(*stores_, *blobs_, *tenants_, *tickets_);

        tenant_ = must(tenants_->create({.name = "Docs Desk", .slug = std::nullopt})).id;
        manager_ = add_user("mia", Role::kManager);
        expert_ = add_user("erik", Role::kExpert);
        x_ = add_customer("Xylo GmbH");
        y_ = add_customer("Yew Ltd");
        client_x_ = add_user("carl", Role::kClient, x_);
        client_x2_ = add_user("cora", Role::kClient, x_);
        admin_x_ = add_user("anna", Role::kCustomerAdmin, x_);
        client_y_ = add_user("yann", Role::kClient, y_);
    }
    void TearDown() override {
        fs::remove_all(blob_root_);
        fs::remove_all(spool_dir());
    }

    identity::Actor add_user(const std::string& name, Role role,
                             std::optional<core::OrganizationId> customer = std::nullopt) {
        identity::NewUser in;
        in.tenant = tenant_;
        in.email = name + "@docs-test.example";
        in.name = name;
        in.role = role;
        in.password = "Kontor-Test-Passw0rd-2024";
        in.customer = std::move(customer);
        return actor_for(must(users_->create(in)));
    }
    core::OrganizationId add_customer(const std::string& name) {
        customers::CustomerInput in;
        in.name = name;
        return must(customers_->create(manager_, tenant_, in)).id;
    }
    fs::path spool_dir() const { return blob_root_.string() + "-spool"; }
    // A request body as the HTTP edge spools it.
    FileSlice body(const std::string& content) {
        fs::create_directories(spool_dir());
        const fs::path p = spool_dir() / core::new_uuid_v7();
        std::ofstream(p, std::ios::binary) << content;
        return FileSlice::whole(p, content.size());
    }
    Document upload(const core::OrganizationId& customer, const std::string& filename,
                    const std::string& content, NewDocument in = {}) {
        in.filename = filename;
        return must(service_->upload(manager_, tenant_, customer, in, body(content)));
    }
    void settings(const nlohmann::json& patch) {
        must(tenants_->update_settings(tenant_, patch, manager_));
    }
    void quota(std::optional<std::int64_t> bytes) {
        tenancy::TenantUpdate u;
        u.storage_quota_bytes = bytes;
        must(tenants_->update(tenant_, u, manager_));
    }
    core::TicketId open_ticket(const identity::Actor& by, const std::string& title) {
        tickets::NewTicket in;
        in.title = title;
        in.description = "Something is broken.";
        if (!by.organization) in.customer = x_;
        return must(tickets_->create(by, tenant_, in)).ticket.id;
    }
    Document attach(const identity::Actor& by, const core::TicketId& ticket,
                    const std::string& filename, const std::string& content,
                    NewAttachment in = {}) {
        in.filename = filename;
        return must(service_->attach(by, tenant_, ticket, in, body(content)));
    }
    std::vector<std::string> attachment_names(const identity::Actor& who,
                                              const core::TicketId& ticket) {
        std::vector<std::string> out;
        for (const auto& d : must(service_->attachments(who, tenant_, ticket, {})).items)
            out.push_back(d.filename);
        return out;
    }
    std::vector<std::string> titles(const identity::Actor& who,
                                    const core::OrganizationId& customer, DocumentQuery q = {}) {
        std::vector<std::string> out;
        for (const auto& d : must(service_->list(who, tenant_, customer, q)).items)
            out.push_back(d.title);
        std::sort(out.begin(), out.end());
        return out;
    }
    std::size_t blob_files() const {
        std::size_t n = 0;
        if (fs::exists(blob_root_))
            for (const auto& e : fs::recursive_directory_iterator(blob_root_))
                if (e.is_regular_file()) ++n;
        return n;
    }

    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<tenancy::TenantService> tenants_;
    std::unique_ptr<identity::UserService> users_;
    std::unique_ptr<customers::CustomerService> customers_;
    std::unique_ptr<tickets::TicketService> tickets_;
    fs::path blob_root_;
    std::unique_ptr<blobs::BlobStore> blobs_;
    std::unique_ptr<DocumentService> service_;
    core::TenantId tenant_;
    core::OrganizationId x_, y_;
    identity::Actor manager_, expert_, client_x_, client_x2_, admin_x_, client_y_;
};

TEST(SanitiseFilename, KeepsTheNameAndDropsWhatCouldHurt) {
    EXPECT_EQ(sanitise_filename("Vertrag 2026.pdf"), "Vertrag 2026.pdf");
    EXPECT_EQ(sanitise_filename("../../etc/passwd"), "passwd");
    EXPECT_EQ(sanitise_filename("C:\\Users\\anna\\Rechnung.pdf"), "Rechnung.pdf");
    EXPECT_EQ(sanitise_filename("a\nb\tc\x01.txt"), "abc.txt");
    EXPECT_EQ(sanitise_filename("..hidden"), "hidden");
    EXPECT_EQ(sanitise_filename("what?*<>|\".txt"), "what.txt");
    EXPECT_EQ(sanitise_filename(""), "file");
    EXPECT_EQ(sanitise_filename("/"), "file");
    EXPECT_EQ(sanitise_filename("Straße — 東京.pdf"), "Straße — 東京.pdf");
    const std::string longname = std::string(300, 'a') + ".pdf";
    const std::string cut = sanitise_filename(longname);
    EXPECT_EQ(cut.size(), 200u);
    EXPECT_TRUE(cut.ends_with(".pdf"));
    // A cut that would split "ä" (bytes 195-196) backs off to before it.
    const std::string umlaut = sanitise_filename(std::string(195, 'x') + "\xC3\xA4" + "yyyyy.pdf");
    EXPECT_EQ(umlaut, std::string(195, 'x') + ".pdf");
}

TEST(DownloadLinks, VerifyOnlyWhatWasSignedAndNotYetExpired) {
    const identity::jwt::KeyRing old_ring({{"k1", std::string(32, 'a')}});
    const identity::jwt::KeyRing ring({{"k2", std::string(32, 'b')}, {"k1", std::string(32, 'a')}});
    const DownloadGrant g{core::TenantId{"t-1"}, "d-1", core::UserId{"u-1"}, 1'000};
    const std::string token = sign_download(g, ring);
    auto ok = verify_download(token, ring, 999);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->document, "d-1");
    EXPECT_EQ(ok->user, core::UserId{"u-1"});
    EXPECT_EQ(ok->tenant, core::TenantId{"t-1"});
    EXPECT_FALSE(verify_download(token, ring, 1'000));  // expired at that second
    // A link signed with a key that rotated out of the signing slot still verifies.
    EXPECT_TRUE(verify_download(sign_download(g, old_ring), ring, 999));
    // Another key, a changed byte anywhere, garbage.
    const identity::jwt::KeyRing other({{"k1", std::string(32, 'c')}});
    EXPECT_FALSE(verify_download(token, other, 999));
    for (std::size_t i = 0; i < token.size(); i += 7) {
        std::string t = token;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        if (t == token) continue;
        EXPECT_FALSE(verify_download(t, ring, 999)) << i;
    }
    EXPECT_FALSE(verify_download("", ring, 0));
    EXPECT_FALSE(verify_download("abc.def", ring, 0));
    EXPECT_EQ(verify_download("abc", ring, 0).error().code, core::ErrorCode::kForbidden);
}

TEST_P(DocumentsTest, UploadSniffsSanitisesStoresAndAudits) {
    const Document d = upload(x_, "../Rechnung 11.pdf.exe", kPdf,
                              NewDocument{.title = "Rechnung November", .category = "invoice"});
    EXPECT_EQ(d.filename, "Rechnung 11.pdf.exe");
    EXPECT_EQ(d.content_type, "application/pdf");  // from the bytes, whatever the name says
    EXPECT_EQ(d.size, static_cast<std::int64_t>(std::string(kPdf).size()));
    EXPECT_EQ(d.category, "invoice");
    EXPECT_EQ(d.visibility, "customer");
    EXPECT_EQ(d.uploaded_by, manager_.user);
    EXPECT_EQ(blobs_->size_of(tenant_, d.sha256), std::string(kPdf).size());
    EXPECT_EQ(*blobs_->read(tenant_, d.sha256, 0, 8), "%PDF-1.4");
    const Document text = upload(x_, "notes.txt", "plain words\n");
    EXPECT_EQ(text.content_type, "text/plain");
    EXPECT_EQ(text.title, "notes.txt");  // no title: the file name

    audit::AuditLog log(*stores_);
    audit::Query q;
    q.action = "document.";
    const auto entries = log.list(tenant_, q).items;
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].action, "document.uploaded");
    EXPECT_EQ(entries[1].subject, d.id);
    EXPECT_EQ(entries[1].ip, "192.0.2.44");
    EXPECT_EQ(entries[1].details["filename"], d.filename);
}

TEST_P(DocumentsTest, EachSeesTheirOrganisationsCustomerDocumentsOnly) {
    upload(x_, "contract.pdf", kPdf, NewDocument{.title = "X contract", .category = "contract"});
    upload(x_, "internal.txt", "margin notes",
           NewDocument{.title = "X internal", .visibility = "internal"});
    upload(x_, "payslip.txt", "for carl only",
           NewDocument{.title = "X for carl", .user = client_x_.user});
    const Document y = upload(y_, "y.txt", "yew", NewDocument{.title = "Y report"});

    using V = std::vector<std::string>;
    EXPECT_EQ(titles(manager_, x_), (V{"X contract", "X for carl", "X internal"}));
    EXPECT_EQ(titles(expert_, x_), (V{"X contract", "X for carl", "X internal"}));
    EXPECT_EQ(titles(client_x_, x_), (V{"X contract", "X for carl"}));
    EXPECT_EQ(titles(client_x2_, x_), (V{"X contract"}));
    EXPECT_EQ(titles(admin_x_, x_), (V{"X contract"}));
    // Another organisation: its list and its documents do not exist for X's users.
    for (const auto& who : {client_x_, admin_x_}) {
        auto list = service_->list(who, tenant_, y_, {});
        ASSERT_FALSE(list);
        EXPECT_EQ(list.error().code, core::ErrorCode::kNotFound);
        auto one = service_->get(who, tenant_, y.id);
        ASSERT_FALSE(one);
        EXPECT_EQ(one.error().code, core::ErrorCode::kNotFound);
    }
    EXPECT_EQ(must(service_->get(client_y_, tenant_, y.id)).title, "Y report");
    // Filters.
    DocumentQuery contracts;
    contracts.category = "contract";
    EXPECT_EQ(titles(manager_, x_, contracts), (V{"X contract"}));
    DocumentQuery search;
    search.search = "CARL";
    EXPECT_EQ(titles(manager_, x_, search), (V{"X for carl"}));
    search.search = "100%_";
    EXPECT_TRUE(titles(manager_, x_, search).empty());
}

TEST_P(DocumentsTest, TheTenantsLimitsRefuseAndLeaveNoBlob) {
    const auto refused = [&](const std::string& content, NewDocument in = {}) {
        if (in.filename.empty()) in.filename = "f.bin";
        auto r = service_->upload(manager_, tenant_, x_, in, body(content));
        EXPECT_FALSE(r);
        return r ? core::ErrorCode::kInternal : r.error().code;
    };
    settings({{"uploads", {{"max_file_bytes", 1024}}}});
    upload(x_, "exactly.txt", std::string(1024, 'e'));
    const std::size_t stored = blob_files();
    EXPECT_EQ(refused(std::string(1025, 'x')), core::ErrorCode::kPayloadTooLarge);
    quota(1100);
    EXPECT_EQ(refused(std::string(100, 'b')), core::ErrorCode::kStorageFull);
    quota(std::nullopt);
    // Programs are refused by default, whatever they are called; the list is the tenant's.
    std::string elf(1024, '\0');
    std::ifstream("/bin/true", std::ios::binary).read(elf.data(), 1024);
    ASSERT_EQ(elf.substr(1, 3), "ELF");
    EXPECT_EQ(refused(elf, NewDocument{.filename = "report.pdf"}), core::ErrorCode::kValidation);
    settings({{"uploads", {{"blocked_types", {"application/pdf"}}}}});
    EXPECT_EQ(refused(kPdf), core::ErrorCode::kValidation);
    EXPECT_EQ(refused("x", NewDocument{.category = "poem"}), core::ErrorCode::kValidation);
    EXPECT_EQ(refused("x", NewDocument{.user = client_y_.user}), core::ErrorCode::kValidation);
    EXPECT_EQ(blob_files(), stored);  // nothing written for any of them
    settings({{"uploads", {{"blocked_types", nlohmann::json::array()}}}});
    EXPECT_EQ(upload(x_, "tool", elf).content_type.rfind("application/x-", 0), 0u);
    // Exactly at the quota is fine.
    quota(3072);  // exactly.txt and tool hold 2048
    upload(x_, "second.txt", std::string(1024, 'c'));
    // Customers and experts may not upload.
    for (const auto& who : {client_x_, expert_}) {
        auto r = service_->upload(who, tenant_, x_, NewDocument{.filename = "x.txt"}, body("x"));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::kForbidden);
    }
}

TEST_P(DocumentsTest, AnUploadIsItsSliceOfTheSpooledBody) {
    // A multipart part sits in the middle of the request body.
    const std::string before = "--boundary\r\nheaders\r\n\r\n";
    const std::string after = "\r\n--boundary--\r\n";
    FileSlice file = body(before + kPdf + after);
    file.offset = before.size();
    file.size = std::string(kPdf).size();
    const Document d =
        must(service_->upload(manager_, tenant_, x_, NewDocument{.filename = "part.pdf"}, file));
    EXPECT_EQ(d.content_type, "application/pdf");
    EXPECT_EQ(d.size, static_cast<std::int64_t>(file.size));
    EXPECT_EQ(*blobs_->read(tenant_, d.sha256, 0, file.size), kPdf);
}

TEST_P(DocumentsTest, AttachmentsAreSeenByWhoSeesTheTicket) {
    const core::TicketId ticket = open_ticket(client_x_, "Printer on fire");
    const Document photo = attach(client_x_, ticket, "fire.txt", "smoke");
    const auto note = must(tickets_->add_comment(
        expert_, tenant_, ticket, tickets::NewComment{"Known issue, see log.", "internal"}));
    const Document log =
        attach(expert_, ticket, "printer.log", "E42 overheat", NewAttachment{.comment = note.id});
    EXPECT_EQ(log.visibility, "internal");  // the internal note's
    EXPECT_EQ(log.comment, note.id);
    EXPECT_EQ(photo.customer, x_);

    using V = std::vector<std::string>;
    EXPECT_EQ(attachment_names(client_x_, ticket), (V{"fire.txt"}));
    EXPECT_EQ(attachment_names(admin_x_, ticket), (V{"fire.txt"}));  // the organisation's ticket
    EXPECT_EQ(attachment_names(expert_, ticket), (V{"fire.txt", "printer.log"}));
    EXPECT_EQ(attachment_names(manager_, ticket), (V{"fire.txt", "printer.log"}));
    // A colleague's ticket (CLIENTs see their own) and another organisation's do not exist.
    for (const auto& who : {client_x2_, client_y_}) {
        EXPECT_EQ(service_->attachments(who, tenant_, ticket, {}).error().code,
                  core::ErrorCode::kNotFound);
        EXPECT_EQ(service_->attachment(who, tenant_, ticket, photo.id).error().code,
                  core::ErrorCode::kNotFound);
    }
    EXPECT_EQ(service_->attachment(client_x_, tenant_, ticket, log.id).error().code,
              core::ErrorCode::kNotFound);
    // Attachments are not the organisation's documents.
    EXPECT_TRUE(titles(manager_, x_).empty());
    EXPECT_EQ(service_->get(manager_, tenant_, photo.id).error().code, core::ErrorCode::kNotFound);

    // Links: the customer's to the public file; the internal one is not there for them.
    const auto keys = identity::jwt::KeyRing({{"k1", std::string(32, 'k')}});
    auto link =
        must(service_->issue_attachment_download(client_x_, tenant_, ticket, photo.id, keys));
    EXPECT_EQ(must(service_->open_download(client_x_, tenant_, link.first, keys)).document.id,
              photo.id);
    EXPECT_EQ(
        service_->issue_attachment_download(client_x_, tenant_, ticket, log.id, keys).error().code,
        core::ErrorCode::kNotFound);
    auto staff_link =
        must(service_->issue_attachment_download(expert_, tenant_, ticket, log.id, keys));
    EXPECT_EQ(must(service_->open_download(expert_, tenant_, staff_link.first, keys)).document.id,
              log.id);
    // The document route does not hand out attachment links.
    EXPECT_EQ(service_->issue_download(manager_, tenant_, photo.id, keys).error().code,
              core::ErrorCode::kNotFound);

    audit::AuditLog audit_log(*stores_);
    audit::Query q;
    q.action = "attachment.";
    const auto entries = audit_log.list(tenant_, q).items;
    ASSERT_EQ(entries.size(), 6u);  // 2 uploads, 2 links, 2 downloads
    std::set<std::string> actions;
    for (const auto& e : entries) {
        actions.insert(e.action);
        EXPECT_EQ(e.details["ticket_id"], ticket.str());
    }
    EXPECT_EQ(actions,
              (std::set<std::string>{"attachment.uploaded", "attachment.download_url_issued",
                                     "attachment.downloaded"}));
}

TEST_P(DocumentsTest, AttachmentRules) {
    const core::TicketId ticket = open_ticket(client_x_, "VPN drops");
    const auto code = [&](const identity::Actor& by, NewAttachment in) {
        in.filename = "a.txt";
        auto r = service_->attach(by, tenant_, ticket, in, body("a"));
        return r ? core::ErrorCode::kInternal : r.error().code;
    };
    const auto reply = must(tickets_->add_comment(expert_, tenant_, ticket,
                                                  tickets::NewComment{"Try again?", "public"}));
    const auto mine = must(tickets_->add_comment(client_x_, tenant_, ticket,
                                                 tickets::NewComment{"Still broken.", "public"}));
    // Only the comment's author attaches to it; customers attach nothing internal.
    EXPECT_EQ(code(client_x_, {.comment = reply.id}), core::ErrorCode::kForbidden);
    EXPECT_EQ(code(client_x_, {.visibility = "internal"}), core::ErrorCode::kForbidden);
    EXPECT_EQ(code(client_x_, {.comment = mine.id, .visibility = "internal"}),
              core::ErrorCode::kValidation);
    EXPECT_EQ(code(expert_, {.visibility = "secret"}), core::ErrorCode::kValidation);
    EXPECT_EQ(code(expert_, {.comment = core::new_uuid_v7()}), core::ErrorCode::kNotFound);
    EXPECT_EQ(code(client_x2_, {}), core::ErrorCode::kNotFound);
    const Document own = attach(client_x_, ticket, "trace.txt", "traceroute", {.comment = mine.id});
    const Document staff = attach(expert_, ticket, "howto.txt", "steps", {.visibility = "public"});
    // Removing: the uploader, or documents.write.
    EXPECT_EQ(service_->remove_attachment(client_x_, tenant_, ticket, staff.id).error().code,
              core::ErrorCode::kForbidden);
    ASSERT_TRUE(service_->remove_attachment(client_x_, tenant_, ticket, own.id));
    ASSERT_TRUE(service_->remove_attachment(manager_, tenant_, ticket, staff.id));
    EXPECT_TRUE(attachment_names(manager_, ticket).empty());
    // A closed ticket takes no more files.
    tickets::TicketChange close;
    close.status = "closed";
    must(tickets_->update(manager_, tenant_, ticket, close, std::nullopt));
    EXPECT_EQ(code(manager_, {}), core::ErrorCode::kConflict);
}

TEST_P(DocumentsTest, DeletedDocumentsVanish) {
    const Document d = upload(x_, "old.txt", "old");
    ASSERT_FALSE(service_->remove(client_x_, tenant_, d.id));
    ASSERT_TRUE(service_->remove(manager_, tenant_, d.id));
    EXPECT_TRUE(titles(client_x_, x_).empty());
    EXPECT_TRUE(titles(manager_, x_).empty());
    EXPECT_EQ(service_->get(manager_, tenant_, d.id).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(service_->remove(manager_, tenant_, d.id).error().code, core::ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, DocumentsTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::documents
