// Black-box tests of the document and attachment routes on SQLite and PostgreSQL (issue #5):
// uploads as a raw body (named by Content-Disposition) and as a browser's multipart form, who sees
// which document and attachment, refusals before the body, the tenant's limits leaving no blob,
// signed download links and ranges.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <set>
#include <thread>

#include "kontor/identity/crypto.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/world.hpp"

namespace kontor {
namespace {

using nlohmann::json;
using testing::expect_problem;
using testing::HttpResponse;
using testing::World;

namespace fs = std::filesystem;

// A client that sends a request and never reads the answer (it may not come: the server dies).
class RawSocket {
public:
    explicit RawSocket(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~RawSocket() { ::close(fd_); }
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;
    bool send_all(std::string_view bytes) {
        while (connected_ && !bytes.empty()) {
            const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return connected_;
    }

private:
    int fd_;
    bool connected_ = false;
};

// The largest regular file under `dir` whose path contains `part` (0 when none).
std::uintmax_t largest_file(const fs::path& dir, const std::string& part) {
    std::uintmax_t largest = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        if (it->path().string().find(part) == std::string::npos) continue;
        std::error_code size_ec;
        const auto size = fs::file_size(it->path(), size_ec);
        if (!size_ec) largest = std::max(largest, size);
    }
    return largest;
}

constexpr const char* kPdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";

class DocumentsApi : public testing::WorldTest {
protected:
    void SetUp() override {
        WorldTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        for (const char* key : {"mA", "eA", "caX", "cX", "cY", "mB"})
            tokens_[key] = api_->login(world_.emails.at(key), World::kPassword);
    }
    HttpResponse call(const std::string& method, const std::string& target, const std::string& who,
                      const std::string& body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
        headers.emplace_back("Authorization", "Bearer " + tokens_.at(who));
        return client_->request(method, target, body, headers);
    }
    HttpResponse upload(const std::string& who, const std::string& org, const std::string& query,
                        const std::string& disposition, const std::string& content) {
        return call(
            "POST", "/api/customers/" + world_.org(org) + "/documents" + query, who, content,
            {{"Content-Type", "application/octet-stream"}, {"Content-Disposition", disposition}});
    }
    std::set<std::string> titles(const std::string& who, const std::string& org) {
        const auto r = call("GET", "/api/customers/" + world_.org(org) + "/documents", who);
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> out;
        const json data = r.json()["data"];
        for (const auto& d : data) out.insert(d["title"].get<std::string>());
        return out;
    }
    // A browser's multipart/form-data body: text fields, then the file.
    static constexpr const char* kBoundary = "----WebKitFormBoundaryK0nt0rXyZ12345";
    static std::string form(const std::vector<std::pair<std::string, std::string>>& fields,
                            const std::string& filename, const std::string& content,
                            const std::string& file_field = "file") {
        std::string body;
        for (const auto& [name, value] : fields)
            body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" +
                    name + "\"\r\n\r\n" + value + "\r\n";
        body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" +
                file_field + "\"; filename=\"" + filename +
                "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" +
                kBoundary + "--\r\n";
        return body;
    }
    HttpResponse post_form(const std::string& who, const std::string& target,
                           const std::string& body) {
        return call("POST", target, who, body,
                    {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
    }
    // Files in the blob store, and partial ones (there should never be any left).
    std::pair<std::size_t, std::size_t> blob_files() const {
        std::size_t complete = 0, partial = 0;
        const auto root = db_->data_dir() / "blobs";
        if (!std::filesystem::exists(root)) return {0, 0};
        for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
            if (!e.is_regular_file()) continue;
            if (e.path().filename().string().find("partial") != std::string::npos)
                ++partial;
            else
                ++complete;
        }
        return {complete, partial};
    }
    std::string open_ticket(const std::string& who, const std::string& title) {
        const auto r = call("POST", "/api/tickets", who,
                            json{{"title", title}, {"description", "Details follow."}}.dump(),
                            {{"Content-Type", "application/json"}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json()["id"];
    }
    // Stops the server (SIGTERM, or SIGKILL for a crash) and starts it again on the same data
    // directory and database, with `extra_env` added; signs the world's users in again.
    void restart(int signal_number, const std::map<std::string, std::string>& extra_env = {}) {
        auto env = server_->env();
        server_->stop(signal_number);
        for (const auto& [k, v] : extra_env) env[k] = v;
        server_ = std::make_unique<testing::ServerProcess>(*db_, env);
        client_ = std::make_unique<testing::HttpClient>(server_->port());
        api_ = std::make_unique<testing::Api>(*client_);
        for (auto& [key, token] : tokens_)
            token = api_->login(world_.emails.at(key), World::kPassword);
    }
    std::map<std::string, std::string> tokens_;
};

TEST_P(DocumentsApi, UploadOverHttpAndSeeWhatEachMay) {
    const auto r = upload("mA", "X", "?title=Vertrag%202026&category=contract",
                          "attachment; filename*=UTF-8''Vertrag%20M%C3%BCller.pdf", kPdf);
    ASSERT_EQ(r.status, 201) << r.body;
    const json d = r.json();
    EXPECT_EQ(d["filename"], "Vertrag Müller.pdf");
    EXPECT_EQ(d["content_type"], "application/pdf");
    EXPECT_EQ(d["category"], "contract");
    EXPECT_EQ(r.header("location"), "/api/documents/" + d["id"].get<std::string>());
    ASSERT_EQ(upload("mA", "X", "?title=Internal&visibility=internal",
                     "attachment; filename=\"notes.txt\"", "margin notes")
                  .status,
              201);
    const auto y = upload("mA", "Y", "?title=Y%20report", "attachment; filename=\"y.txt\"", "yew");
    ASSERT_EQ(y.status, 201);

    EXPECT_EQ(titles("mA", "X"), (std::set<std::string>{"Vertrag 2026", "Internal"}));
    EXPECT_EQ(titles("eA", "X"), (std::set<std::string>{"Vertrag 2026", "Internal"}));
    EXPECT_EQ(titles("cX", "X"), (std::set<std::string>{"Vertrag 2026"}));
    EXPECT_EQ(titles("caX", "X"), (std::set<std::string>{"Vertrag 2026"}));
    // Another organisation's list and document: not found, for customers and other tenants.
    expect_problem(call("GET", "/api/customers/" + world_.org_y + "/documents", "cX"), 404,
                   "not_found");
    const std::string y_doc = "/api/documents/" + y.json()["id"].get<std::string>();
    expect_problem(call("GET", y_doc, "cX"), 404, "not_found");
    expect_problem(call("GET", y_doc, "mB"), 404, "not_found");
    EXPECT_EQ(call("GET", y_doc, "cY").json()["title"], "Y report");
    EXPECT_EQ(call("DELETE", y_doc, "mA").status, 204);
    expect_problem(call("GET", y_doc, "cY"), 404, "not_found");
}

TEST_P(DocumentsApi, RefusalsAndLimits) {
    // Customers and experts may not upload: 403 before the body is read.
    expect_problem(upload("cX", "X", "", "attachment; filename=\"a.txt\"", "x"), 403, "forbidden");
    expect_problem(upload("eA", "X", "", "attachment; filename=\"a.txt\"", "x"), 403, "forbidden");
    // No file name; an executable; over the size limit; an unknown customer.
    expect_problem(call("POST", "/api/customers/" + world_.org_x + "/documents", "mA", "x"), 422,
                   "validation_failed", "/headers/Content-Disposition");
    expect_problem(upload("mA", "X", "", "attachment; filename=\"setup.exe\"",
                          std::string("MZ\x90\x00\x03\x00\x00\x00", 8) + std::string(200, '\0') +
                              "PE\0\0" + std::string(100, '\0')),
                   422, "validation_failed");
    expect_problem(
        upload("mA", "X", "", "attachment; filename=\"big.bin\"", std::string((25 << 20) + 1, 'x')),
        413, "payload_too_large");
    expect_problem(upload("mA", "Z", "", "attachment; filename=\"a.txt\"", "x"), 404, "not_found");
    expect_problem(upload("mA", "X", "?category=poem", "attachment; filename=\"a.txt\"", "x"), 422,
                   "validation_failed", "/category");
    EXPECT_TRUE(titles("mA", "X").empty());  // nothing was stored by any of them
}

TEST_P(DocumentsApi, SignedLinksServeTheBytesToTheirUserOnly) {
    tokens_["cX2"] = api_->login(world_.emails.at("cX2"), World::kPassword);
    const auto up = upload("mA", "X", "?title=Rechnung",
                           "attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf", kPdf);
    ASSERT_EQ(up.status, 201) << up.body;
    const std::string doc = "/api/documents/" + up.json()["id"].get<std::string>();

    const auto link = call("POST", doc + "/download-url", "cX");
    ASSERT_EQ(link.status, 200) << link.body;
    const std::string url = link.json()["url"];
    EXPECT_EQ(url.rfind("/api/files/", 0), 0u);
    const auto file = call("GET", url, "cX");
    ASSERT_EQ(file.status, 200) << file.body;
    EXPECT_EQ(file.body, kPdf);
    EXPECT_EQ(file.header("content-type"), "application/pdf");
    EXPECT_EQ(file.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(
        file.header("content-disposition"),
        "attachment; filename=\"Rechnung M__rz.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf");
    EXPECT_EQ(file.header("content-length"), std::to_string(std::string(kPdf).size()));

    // Resuming: one byte range → 206 with exactly those bytes; outside the file → 416.
    const std::string pdf = kPdf;
    const auto part = call("GET", url, "cX", "", {{"Range", "bytes=5-11"}});
    ASSERT_EQ(part.status, 206) << part.body;
    EXPECT_EQ(part.body, pdf.substr(5, 7));
    EXPECT_EQ(part.header("content-range"), "bytes 5-11/" + std::to_string(pdf.size()));
    EXPECT_EQ(part.header("content-length"), "7");
    const auto tail = call("GET", url, "cX", "", {{"Range", "bytes=-6"}});
    EXPECT_EQ(tail.status, 206);
    EXPECT_EQ(tail.body, pdf.substr(pdf.size() - 6));
    const auto rest = call("GET", url, "cX", "", {{"Range", "bytes=40-"}});
    EXPECT_EQ(rest.status, 206);
    EXPECT_EQ(rest.body, pdf.substr(40));
    const auto beyond = call("GET", url, "cX", "", {{"Range", "bytes=9999-"}});
    expect_problem(beyond, 416, "range_not_satisfiable");
    EXPECT_EQ(beyond.header("content-range"), "bytes */" + std::to_string(pdf.size()));
    EXPECT_EQ(call("GET", url, "cX", "", {{"Range", "bytes=0-1,4-5"}}).status, 200);  // whole

    // The same link for another user of the same organisation, without sign-in, tampered with.
    expect_problem(call("GET", url, "cX2"), 403, "forbidden");
    expect_problem(client_->request("GET", url), 401, "unauthenticated");
    std::string tampered = url;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    expect_problem(call("GET", tampered, "cX"), 403, "forbidden");
    expect_problem(call("GET", "/api/files/not-a-link", "cX"), 403, "forbidden");
    // Other organisations and tenants get no link at all; a deleted document serves nothing.
    expect_problem(call("POST", doc + "/download-url", "cY"), 404, "not_found");
    expect_problem(call("POST", doc + "/download-url", "mB"), 404, "not_found");
    EXPECT_EQ(call("DELETE", doc, "mA").status, 204);
    expect_problem(call("GET", url, "cX"), 404, "not_found");

    // Issue and download are in the tenant's audit log, with who and from where.
    const auto audit = call("GET", "/api/audit?action=document.", "mA");
    ASSERT_EQ(audit.status, 200) << audit.body;
    std::multiset<std::string> actions;
    const json entries = audit.json()["data"];
    for (const auto& e : entries) actions.insert(e["action"].get<std::string>());
    EXPECT_EQ(actions.count("document.download_url_issued"), 1u);
    EXPECT_EQ(actions.count("document.downloaded"), 6u);  // each answered download, parts too
    EXPECT_EQ(actions.count("document.uploaded"), 1u);
}

TEST_P(DocumentsApi, BrowsersUploadMultipartForms) {
    const std::string target = "/api/customers/" + world_.org_x + "/documents";
    const auto r = post_form(
        "mA", target,
        form({{"title", "Bericht März"}, {"category", "report"}}, "Bericht März.pdf", kPdf));
    ASSERT_EQ(r.status, 201) << r.body;
    const json d = r.json();
    EXPECT_EQ(d["title"], "Bericht März");
    EXPECT_EQ(d["filename"], "Bericht März.pdf");
    EXPECT_EQ(d["category"], "report");
    EXPECT_EQ(d["content_type"], "application/pdf");
    EXPECT_EQ(d["size"], std::string(kPdf).size());
    // Exactly the file's bytes were stored: not the boundaries, not the fields.
    const auto link =
        call("POST", "/api/documents/" + d["id"].get<std::string>() + "/download-url", "cX");
    ASSERT_EQ(link.status, 200) << link.body;
    EXPECT_EQ(call("GET", link.json()["url"], "cX").body, kPdf);

    // A form without a file, with an unknown field, with two files, cut short.
    expect_problem(post_form("mA", target, form({}, "a.txt", "x", "attachment")), 422,
                   "validation_failed", "/file");
    expect_problem(post_form("mA", target, form({{"colour", "red"}}, "a.txt", "x")), 422,
                   "validation_failed", "/colour");
    // A browser form sent without choosing a file: an empty part with filename="".
    expect_problem(post_form("mA", target, form({{"title", "Nothing"}}, "", "")), 422,
                   "validation_failed", "/file");
    const std::string two = std::string("--") + kBoundary +
                            "\r\nContent-Disposition: form-data; name=\"file\"; "
                            "filename=\"b.txt\"\r\n\r\ny\r\n" +
                            form({}, "a.txt", "x");
    expect_problem(post_form("mA", target, two), 422, "validation_failed", "/file");
    const std::string whole = form({}, "c.txt", "complete content");
    expect_problem(post_form("mA", target, whole.substr(0, whole.size() - 30)), 400, "bad_request");
    expect_problem(call("POST", target, "mA", whole,
                        {{"Content-Type", "multipart/form-data"}}),  // no boundary
                   400, "bad_request");
    EXPECT_EQ(titles("mA", "X"), (std::set<std::string>{"Bericht März"}));
}

TEST_P(DocumentsApi, TheTenantsUploadSettingsAndQuotaApplyAndLeaveNoBlob) {
    const std::string settings = "/api/tenants/" + world_.tenant_a + "/settings";
    const auto put =
        call("PUT", settings, "mA", json{{"uploads", {{"max_file_bytes", 2048}}}}.dump(),
             {{"Content-Type", "application/json"}});
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put.json()["uploads"]["max_file_bytes"], 2048);
    EXPECT_FALSE(put.json()["uploads"]["blocked_types"].empty());  // the default deny-list kept
    // Every user's session says the limit, so a browser refuses a larger file before sending.
    const auto status = call("GET", "/api/auth/status", "cX");
    ASSERT_EQ(status.status, 200) << status.body;
    EXPECT_NE(status.body.find(R"("max_upload_bytes":2048)"), std::string::npos) << status.body;

    ASSERT_EQ(
        upload("mA", "X", "", "attachment; filename=\"ok.txt\"", std::string(2048, 'a')).status,
        201);
    const auto stored = blob_files();
    expect_problem(
        upload("mA", "X", "", "attachment; filename=\"big.txt\"", std::string(2049, 'b')), 413,
        "payload_too_large");
    expect_problem(post_form("mA", "/api/customers/" + world_.org_x + "/documents",
                             form({}, "big.txt", std::string(2049, 'c'))),
                   413, "payload_too_large");
    // A body announcing more than the tenant accepts is refused on its head alone.
    const auto announced = client_->raw(
        "POST /api/customers/" + world_.org_x +
        "/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + tokens_.at("mA") +
        "\r\nContent-Disposition: attachment; filename=\"huge.bin\"\r\nContent-Length: "
        "104857600\r\n\r\n");
    expect_problem(announced, 413, "payload_too_large");

    // The deny-list is the tenant's: plain text refused, programs accepted.
    ASSERT_EQ(
        call("PUT", settings, "mA", json{{"uploads", {{"blocked_types", {"text/plain"}}}}}.dump(),
             {{"Content-Type", "application/json"}})
            .status,
        200);
    expect_problem(upload("mA", "X", "", "attachment; filename=\"notes.pdf\"", "just words"), 422,
                   "validation_failed", "/file");
    // The licence's storage quota: 507, nothing stored.
    api_->must("PUT", "/api/tenants/" + world_.tenant_a, world_.admin_token,
               json{{"storage_quota_bytes", 3000}}, 200);
    expect_problem(
        upload("mA", "X", "", "attachment; filename=\"more.pdf\"", kPdf + std::string(1000, ' ')),
        507, "storage_quota_exceeded");
    EXPECT_EQ(blob_files(), stored);  // no blob, complete or partial, from any refusal
    EXPECT_EQ(stored.second, 0u);
    EXPECT_EQ(upload("mA", "X", "", "attachment; filename=\"small.pdf\"", kPdf).status, 201);
}

TEST_P(DocumentsApi, TicketAttachmentsAreSeenByWhoSeesTheTicket) {
    tokens_["cX2"] = api_->login(world_.emails.at("cX2"), World::kPassword);
    const std::string ticket = open_ticket("cX", "Scanner jams");
    const std::string files = "/api/tickets/" + ticket + "/attachments";
    const auto photo = post_form("cX", files, form({}, "jam.txt", "paper everywhere"));
    ASSERT_EQ(photo.status, 201) << photo.body;
    EXPECT_EQ(photo.json()["visibility"], "public");
    EXPECT_EQ(photo.json()["ticket_id"], ticket);
    EXPECT_EQ(photo.header("location"), files + "/" + photo.json()["id"].get<std::string>());

    const auto note =
        call("POST", "/api/tickets/" + ticket + "/comments", "eA",
             json{{"body", "Firmware bug, see log."}, {"visibility", "internal"}}.dump(),
             {{"Content-Type", "application/json"}});
    ASSERT_EQ(note.status, 201) << note.body;
    const std::string note_id = note.json()["id"];
    const auto log = call("POST", files + "?comment_id=" + note_id, "eA", "E17 at tray 2",
                          {{"Content-Disposition", "attachment; filename=\"scanner.log\""}});
    ASSERT_EQ(log.status, 201) << log.body;
    EXPECT_EQ(log.json()["visibility"], "internal");
    EXPECT_EQ(log.json()["comment_id"], note_id);
    const std::string log_url = files + "/" + log.json()["id"].get<std::string>();

    const auto names = [&](const std::string& who) {
        const auto r = call("GET", files, who);
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> out;
        const json data = r.json()["data"];
        for (const auto& a : data) out.insert(a["filename"].get<std::string>());
        return out;
    };
    using S = std::set<std::string>;
    EXPECT_EQ(names("cX"), (S{"jam.txt"}));
    EXPECT_EQ(names("caX"), (S{"jam.txt"}));
    EXPECT_EQ(names("eA"), (S{"jam.txt", "scanner.log"}));
    EXPECT_EQ(names("mA"), (S{"jam.txt", "scanner.log"}));
    // A colleague's ticket, another organisation's, another tenant's: not there.
    for (const char* who : {"cX2", "cY", "mB"}) {
        expect_problem(call("GET", files, who), 404, "not_found");
        expect_problem(post_form(who, files, form({}, "x.txt", "x")), 404, "not_found");
    }
    // The internal note's file does not exist for the customer, nor its link.
    expect_problem(call("GET", log_url, "cX"), 404, "not_found");
    expect_problem(call("POST", log_url + "/download-url", "cX"), 404, "not_found");
    // Customers attach nothing internal, and nothing to the technician's note.
    expect_problem(post_form("cX", files, form({{"visibility", "internal"}}, "x.txt", "x")), 403,
                   "forbidden");
    expect_problem(post_form("cX", files, form({{"comment_id", note_id}}, "x.txt", "x")), 404,
                   "not_found");

    // The customer downloads the public file through a signed link; it is theirs only.
    const std::string photo_url = files + "/" + photo.json()["id"].get<std::string>();
    const auto link = call("POST", photo_url + "/download-url", "cX");
    ASSERT_EQ(link.status, 200) << link.body;
    const auto bytes = call("GET", link.json()["url"], "cX");
    EXPECT_EQ(bytes.status, 200);
    EXPECT_EQ(bytes.body, "paper everywhere");
    EXPECT_EQ(bytes.header("x-content-type-options"), "nosniff");
    expect_problem(call("GET", link.json()["url"], "caX"), 403, "forbidden");
    const auto staff_link = call("POST", log_url + "/download-url", "eA");
    ASSERT_EQ(staff_link.status, 200);
    EXPECT_EQ(call("GET", staff_link.json()["url"], "eA").body, "E17 at tray 2");

    // Attachments are not the organisation's documents.
    EXPECT_TRUE(titles("mA", "X").empty());
    expect_problem(call("GET", "/api/documents/" + photo.json()["id"].get<std::string>(), "mA"),
                   404, "not_found");
    // Removing: not someone else's (customers), the uploader's own, or a manager.
    expect_problem(call("DELETE", log_url, "cX"), 404, "not_found");
    EXPECT_EQ(call("DELETE", photo_url, "cX").status, 204);
    EXPECT_EQ(names("eA"), (S{"scanner.log"}));
    expect_problem(call("GET", link.json()["url"], "cX"), 404, "not_found");  // gone since
    const auto audit = call("GET", "/api/audit?action=attachment.", "mA");
    ASSERT_EQ(audit.status, 200) << audit.body;
    std::multiset<std::string> actions;
    const json entries = audit.json()["data"];
    for (const auto& e : entries) actions.insert(e["action"].get<std::string>());
    EXPECT_EQ(actions.count("attachment.uploaded"), 2u);
    EXPECT_EQ(actions.count("attachment.downloaded"), 2u);
    EXPECT_EQ(actions.count("attachment.deleted"), 1u);
}

// Killed mid-upload (SIGKILL: no clean-up runs) — one body still arriving, another being copied
// into the blob store — the server comes back with no document row pointing at a missing or
// partial blob: every row it lists serves its whole bytes with the recorded SHA-256.
TEST_P(DocumentsApi, SigkillMidUploadLeavesNoRowWithoutItsWholeBlob) {
    ASSERT_EQ(call("PUT", "/api/tenants/" + world_.tenant_a + "/settings", "mA",
                   json{{"uploads", {{"max_file_bytes", 256 << 20}}}}.dump(),
                   {{"Content-Type", "application/json"}})
                  .status,
              200);
    ASSERT_EQ(upload("mA", "X", "?title=Kept", "attachment; filename=\"kept.pdf\"", kPdf).status,
              201);
    const fs::path data = db_->data_dir();
    const std::string head_of = "POST /api/customers/" + world_.org_x +
                                "/documents?title=%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Authorization: Bearer " +
                                tokens_.at("mA") +
                                "\r\nContent-Disposition: attachment; filename=\"big.bin\"\r\n";
    const auto head = [&](const std::string& title, std::size_t length) {
        std::string h = head_of;
        h.replace(h.find("%s"), 2, title);
        return h + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
    };
    // 1. A body still arriving: 8 of 64 MiB sent, then the client waits.
    RawSocket arriving(server_->port());
    ASSERT_TRUE(arriving.send_all(head("Arriving", 64 << 20)));
    ASSERT_TRUE(arriving.send_all(std::string(8 << 20, 'a')));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (largest_file(data / "spool", "") < (8u << 20) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_GE(largest_file(data / "spool", ""), 8u << 20) << "the body never reached the spool";
    // 2. A whole 96 MiB body, then the kill as soon as its blob is being written.
    std::string big(96 << 20, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + (i * 7) % 26);
    RawSocket copying(server_->port());
    ASSERT_TRUE(copying.send_all(head("Copying", big.size()) + big));
    bool caught_partial = false;
    while (std::chrono::steady_clock::now() < deadline) {
        if (largest_file(data / "blobs", ".partial") > 0) {
            caught_partial = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    // The kill must land while the blob is being written, or this test proves less than it says.
    EXPECT_TRUE(caught_partial) << "the 96 MiB copy into the blob store was never seen under way";
    restart(SIGKILL);  // the same data directory and database
    const auto list = call("GET", "/api/customers/" + world_.org_x + "/documents", "mA");
    ASSERT_EQ(list.status, 200) << list.body;
    const json rows = list.json()["data"];
    std::set<std::string> titles_now;
    for (const auto& row : rows) {
        const std::string title = row["title"];
        titles_now.insert(title);
        const auto link =
            call("POST", "/api/documents/" + row["id"].get<std::string>() + "/download-url", "mA");
        ASSERT_EQ(link.status, 200) << link.body;
        const auto file = call("GET", link.json()["url"], "mA");
        ASSERT_EQ(file.status, 200) << title << ": " << file.body.substr(0, 200);
        EXPECT_EQ(file.body.size(), row["size"].get<std::size_t>()) << title;
        EXPECT_EQ(identity::sha256_hex(file.body), row["sha256"]) << title;
        const fs::path blob = data / "blobs" / world_.tenant_a /
                              row["sha256"].get<std::string>().substr(0, 2) /
                              row["sha256"].get<std::string>();
        EXPECT_EQ(fs::file_size(blob), row["size"].get<std::size_t>()) << title;
    }
    EXPECT_TRUE(titles_now.contains("Kept"));
    EXPECT_FALSE(titles_now.contains("Arriving"));  // its body never arrived
    // "Copying" is listed only if the kill came after its row was committed; then it was checked
    // whole above like every other row.
}

TEST_P(DocumentsApi, ExpiredLinksAreRefused) {
    restart(SIGTERM, {{"KONTOR_DOWNLOAD_LINK_TTL", "2"}});
    const auto up =
        upload("mA", "X", "?title=Short", "attachment; filename=\"short.txt\"", "brief");
    ASSERT_EQ(up.status, 201) << up.body;
    const auto link = call(
        "POST", "/api/documents/" + up.json()["id"].get<std::string>() + "/download-url", "cX");
    ASSERT_EQ(link.status, 200) << link.body;
    const std::string url = link.json()["url"];
    EXPECT_EQ(call("GET", url, "cX").body, "brief");  // within its two seconds
    std::this_thread::sleep_for(std::chrono::milliseconds(3100));
    expect_problem(call("GET", url, "cX"), 403, "forbidden");
    // A new link works again.
    const auto again = call(
        "POST", "/api/documents/" + up.json()["id"].get<std::string>() + "/download-url", "cX");
    EXPECT_EQ(call("GET", again.json()["url"], "cX").body, "brief");
}

INSTANTIATE_TEST_SUITE_P(Backends, DocumentsApi, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor
