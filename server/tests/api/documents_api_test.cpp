// Black-box tests of the document routes on SQLite and PostgreSQL (issue #5, in progress):
// uploads as a raw body over HTTP (spooled, sniffed, named by Content-Disposition), who sees
// which document, refusals before the body, limits.
#include <gtest/gtest.h>

#include <set>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/world.hpp"

namespace kontor {
namespace {

using nlohmann::json;
using testing::expect_problem;
using testing::HttpResponse;
using testing::World;

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

INSTANTIATE_TEST_SUITE_P(Backends, DocumentsApi, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor
