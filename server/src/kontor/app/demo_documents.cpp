// Demo documents for Acme's portal: a contract, an invoice, a report and a certificate as real
// one-page PDFs (any viewer opens them), and an internal note staff see and customers do not.
// Stored through DocumentService like any upload: sniffed, audited, in the blob store.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kontor/app/application.hpp"
#include "kontor/app/demo_support.hpp"
#include "kontor/core/ids.hpp"

namespace kontor::app {
namespace {

// A one-page A4 PDF 1.4 with a title and lines of Helvetica text; the cross-reference table has
// the real byte offsets.
std::string pdf(const std::string& title, const std::vector<std::string>& lines) {
    const auto escape = [](const std::string& s) {
        std::string out;
        for (char c : s) {
            if (c == '(' || c == ')' || c == '\\') out.push_back('\\');
            out.push_back(c);
        }
        return out;
    };
    std::string text = "BT /F1 18 Tf 72 770 Td (" + escape(title) + ") Tj /F1 11 Tf";
    for (const auto& line : lines) text += " 0 -22 Td (" + escape(line) + ") Tj";
    text += " ET";
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    std::string out = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(out.size());
        out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t off : offsets) {
        char entry[21];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
        out += entry;
    }
    out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
}

struct DemoDocument {
    std::string title, filename, category, visibility, content;
};

}  // namespace

void load_demo_documents(Core& core, const core::TenantId& tenant,
                         const core::OrganizationId& acme) {
    const identity::Actor actor = demo::manager_of(tenant);
    if (demo::must(core.documents().list(actor, tenant, acme, {}), "demo documents").total > 0)
        return;
    const std::vector<DemoDocument> docs = {
        {"Service contract 2026", "Acme service contract 2026.pdf", "contract", "customer",
         pdf("Service contract 2026",
             {"Between Demo Service Desk and Acme Corporation, Berlin.",
              "Managed workplace for 120 users, 08:00-18:00 CET on working days.",
              "Response within 4 business hours, resolution within 2 business days.",
              "Term: 1 January 2026 to 31 December 2026."})},
        {"Invoice 2026-10", "Invoice 2026-10.pdf", "invoice", "customer",
         pdf("Invoice 2026-10",
             {"Managed workplace, October 2026: 120 users x 38.00 EUR = 4,560.00 EUR",
              "Additional hours: 6.5 h x 95.00 EUR = 617.50 EUR",
              "Total (net): 5,177.50 EUR, due within 14 days."})},
        {"Monthly report October 2026", "Report 2026-10.pdf", "report", "customer",
         pdf("Monthly report October 2026",
             {"Cases opened: 42, resolved: 39, within SLA: 95 %.",
              "Top topics: VPN (11), printers (8), onboarding (6)."})},
        {"ISO 27001 certificate", "ISO 27001 certificate.pdf", "certificate", "customer",
         pdf("ISO/IEC 27001 certificate", {"Demo Service Desk GmbH, valid until 2027-06-30."})},
        {"Network notes (internal)", "acme-network-notes.txt", "other", "internal",
         "Core switch in room 2.14; VPN concentrator due for a firmware update in December.\n"},
    };
    const auto dir =
        std::filesystem::temp_directory_path() / ("kontor-demo-" + core::new_uuid_v7());
    std::filesystem::create_directories(dir);
    for (const auto& d : docs) {
        const auto file = dir / core::new_uuid_v7();
        std::ofstream(file, std::ios::binary) << d.content;
        documents::NewDocument in;
        in.title = d.title;
        in.filename = d.filename;
        in.category = d.category;
        in.visibility = d.visibility;
        demo::must(core.documents().upload(actor, tenant, acme, in,
                                           documents::FileSlice::whole(file, d.content.size())),
                   "demo document " + d.filename);
    }
    std::filesystem::remove_all(dir);
}

}  // namespace kontor::app
