#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "kontor/core/clock.hpp"
#include "kontor/db/migrate.hpp"
#include "kontor/tenancy/internal.hpp"
#include "kontor/tenancy/tenant.hpp"
#include "support/test_env.hpp"

namespace kontor::tenancy {
namespace {

TEST(Slug, DerivedFromName) {
    EXPECT_EQ(slugify("Acme Services GmbH"), "acme-services-gmbh");
    EXPECT_EQ(slugify("  --Hello__World!! "), "hello-world");
    EXPECT_EQ(slugify("Müller & Söhne"), "m-ller-s-hne");
    EXPECT_EQ(slugify("???"), "");
}

TEST(Validate, RejectsBadInput) {
    EXPECT_TRUE(validate({.name = "Acme", .slug = std::nullopt}).empty());
    EXPECT_EQ(validate({.name = "", .slug = std::nullopt}).front().field, "/name");
    EXPECT_EQ(validate({.name = "A\x01"
                                "b",
                        .slug = std::nullopt})
                  .front()
                  .field,
              "/name");
    EXPECT_EQ(validate({.name = std::string(201, 'a'), .slug = std::nullopt}).front().field,
              "/name");
    EXPECT_EQ(validate({.name = "Acme", .slug = "Bad Slug"}).front().field, "/slug");
    EXPECT_EQ(validate({.name = "Acme", .slug = "-x"}).front().field, "/slug");
    EXPECT_EQ(validate({.name = "???", .slug = std::nullopt}).front().field, "/slug");
}

using nlohmann::json;

std::set<std::string> fields_of(const core::Error& e) {
    std::set<std::string> out;
    for (const auto& f : e.fields) out.insert(f.field);
    return out;
}

constexpr const char* kCustomer = "0190f1a2-0000-7000-8000-000000000001";

TEST(Settings, DefaultsRoundTrip) {
    const TenantSettings defaults;
    auto parsed = TenantSettings::from_json(defaults.to_json());
    ASSERT_TRUE(parsed) << parsed.error().fields.front().field;
    EXPECT_EQ(parsed->to_json(), defaults.to_json());
    EXPECT_TRUE(TenantSettings::from_json(json::object()));
}

TEST(Settings, ReadsAndNormalisesAFullDocument) {
    const json doc = {
        {"locale", "de"},
        {"time_zone", "Europe/Berlin"},
        {"case_rate_limit_per_hour", 1000},
        {"self_registration", true},
        {"registration_domains",
         {{{"domain", "Acme.Example"}, {"customer_id", "0190F1A2-0000-7000-8000-000000000001"}}}},
        {"mfa_required_for_staff", true},
        {"experts_see_all_tickets", true},
        {"auto_assign", false},
        {"features", {{"documents", true}, {"time_tracking", false}}},
        {"branding",
         {{"product_name", "Acme Desk"},
          {"primary_color", "#AABBCC"},
          {"accent_color", "#000000"},
          {"logo_url", "https://cdn.acme.example/logo.svg"}}},
        {"uploads", {{"max_file_bytes", 200 << 20}, {"blocked_types", {"TEXT/x-shellscript"}}}}};
    auto s = TenantSettings::from_json(doc);
    ASSERT_TRUE(s) << s.error().fields.front().field;
    EXPECT_EQ(s->locale, "de");
    EXPECT_EQ(s->time_zone, "Europe/Berlin");
    EXPECT_EQ(s->case_rate_limit_per_hour, 1000);
    EXPECT_TRUE(s->self_registration);
    ASSERT_EQ(s->registration_domains.size(), 1u);
    EXPECT_EQ(s->registration_domains[0].domain, "acme.example");
    EXPECT_EQ(s->registration_domains[0].customer_id.str(), kCustomer);
    EXPECT_TRUE(s->mfa_required_for_staff);
    EXPECT_TRUE(s->experts_see_all_tickets);
    EXPECT_FALSE(s->auto_assign);
    EXPECT_EQ(s->features,
              (std::map<std::string, bool>{{"documents", true}, {"time_tracking", false}}));
    EXPECT_EQ(s->branding.product_name, "Acme Desk");
    EXPECT_EQ(s->branding.primary_color, "#aabbcc");
    EXPECT_EQ(s->branding.logo_url, "https://cdn.acme.example/logo.svg");
    EXPECT_EQ(s->uploads.max_file_bytes, 200ll << 20);
    EXPECT_EQ(s->uploads.blocked_types, (std::vector<std::string>{"text/x-shellscript"}));
}

TEST(Settings, UploadsDefaultToTwentyFiveMebibytesAndNoPrograms) {
    const TenantSettings s;
    EXPECT_EQ(s.uploads.max_file_bytes, 25ll * 1024 * 1024);
    const auto& blocked = s.uploads.blocked_types;
    EXPECT_NE(std::find(blocked.begin(), blocked.end(), "application/x-dosexec"), blocked.end());
    EXPECT_NE(std::find(blocked.begin(), blocked.end(), "application/x-executable"), blocked.end());
    // The defaults pass their own validation.
    auto parsed = TenantSettings::from_json(json{{"uploads", s.to_json()["uploads"]}});
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->uploads.blocked_types, blocked);
}

struct SettingsCase {
    std::string name;
    json doc;
    std::set<std::string> fields;  // empty: the document is valid
};

TEST(Settings, ValidationTable) {
    const std::string long_zone = "Europe/" + std::string(60, 'a');
    json many_domains = json::array();
    for (int i = 0; i < 51; ++i)
        many_domains.push_back(
            {{"domain", "d" + std::to_string(i) + ".example"}, {"customer_id", kCustomer}});
    json many_features = json::object();
    for (int i = 0; i < 51; ++i) many_features["f" + std::to_string(i)] = true;
    json fifty_domains = many_domains;
    fifty_domains.erase(50);
    json fifty_features = many_features;
    fifty_features.erase("f50");
    const json good_domain = {{"domain", "acme.example"}, {"customer_id", kCustomer}};
    json many_types = json::array();
    for (int i = 0; i < 101; ++i) many_types.push_back("application/x-" + std::to_string(i));

    const std::vector<SettingsCase> cases = {
        // Good documents.
        {"empty", json::object(), {}},
        {"utc", {{"time_zone", "UTC"}}, {}},
        {"deep zone", {{"time_zone", "America/Argentina/Buenos_Aires"}}, {}},
        {"etc zone", {{"time_zone", "Etc/GMT+5"}}, {}},
        {"rate low", {{"case_rate_limit_per_hour", 1}}, {}},
        {"logo path", {{"branding", {{"logo_url", "/static/logo.png"}}}}, {}},
        {"logo null", {{"branding", {{"logo_url", nullptr}}}}, {}},
        {"one domain", {{"registration_domains", json::array({good_domain})}}, {}},
        {"50 domains", {{"registration_domains", fifty_domains}}, {}},
        {"50 features", {{"features", fifty_features}}, {}},
        {"feature name", {{"features", {{"a" + std::string(39, 'b'), true}}}}, {}},
        {"status labels",
         {{"status_labels",
           {{"waiting_customer", "Wartet auf Sie"}, {"closed", std::string(40, 'x')}}}},
         {}},
        {"status labels empty", {{"status_labels", json::object()}}, {}},
        {"uploads",
         {{"uploads", {{"max_file_bytes", 1024}, {"blocked_types", {"Text/X-Shellscript"}}}}},
         {}},
        {"uploads 1 GiB", {{"uploads", {{"max_file_bytes", 1 << 30}}}}, {}},
        {"uploads accept all", {{"uploads", {{"blocked_types", json::array()}}}}, {}},
        // Bad documents, with the pointers they are reported at.
        {"not an object", json::array(), {"/"}},
        {"unknown key", {{"colour", "red"}}, {"/colour"}},
        {"unknown key escaped", {{"a/b", 1}}, {"/a~1b"}},
        {"locale", {{"locale", "fr"}}, {"/locale"}},
        {"locale type", {{"locale", 5}}, {"/locale"}},
        {"zone unknown", {{"time_zone", "Europe/Nowhere"}}, {"/time_zone"}},
        {"zone traversal", {{"time_zone", "../../etc/passwd"}}, {"/time_zone"}},
        {"zone too long", {{"time_zone", long_zone}}, {"/time_zone"}},
        {"zone type", {{"time_zone", nullptr}}, {"/time_zone"}},
        {"rate zero", {{"case_rate_limit_per_hour", 0}}, {"/case_rate_limit_per_hour"}},
        {"rate high", {{"case_rate_limit_per_hour", 1001}}, {"/case_rate_limit_per_hour"}},
        {"rate huge",
         {{"case_rate_limit_per_hour", 18446744073709551615ull}},
         {"/case_rate_limit_per_hour"}},
        {"rate fraction", {{"case_rate_limit_per_hour", 5.5}}, {"/case_rate_limit_per_hour"}},
        {"rate text", {{"case_rate_limit_per_hour", "10"}}, {"/case_rate_limit_per_hour"}},
        {"bool type", {{"self_registration", "yes"}}, {"/self_registration"}},
        {"bool type 2", {{"auto_assign", 1}}, {"/auto_assign"}},
        {"branding type", {{"branding", "blue"}}, {"/branding"}},
        {"branding unknown", {{"branding", {{"logo", "x"}}}}, {"/branding/logo"}},
        {"colour short",
         {{"branding", {{"primary_color", "#12345"}}}},
         {"/branding/primary_color"}},
        {"colour name", {{"branding", {{"accent_color", "red"}}}}, {"/branding/accent_color"}},
        {"colour hex", {{"branding", {{"primary_color", "#12345g"}}}}, {"/branding/primary_color"}},
        {"product empty", {{"branding", {{"product_name", ""}}}}, {"/branding/product_name"}},
        {"product blank", {{"branding", {{"product_name", "   "}}}}, {"/branding/product_name"}},
        {"product long",
         {{"branding", {{"product_name", std::string(61, 'x')}}}},
         {"/branding/product_name"}},
        {"product control", {{"branding", {{"product_name", "A\nB"}}}}, {"/branding/product_name"}},
        {"logo http",
         {{"branding", {{"logo_url", "http://acme.example/l.png"}}}},
         {"/branding/logo_url"}},
        {"logo other origin",
         {{"branding", {{"logo_url", "//evil.example/l.png"}}}},
         {"/branding/logo_url"}},
        {"logo backslash",
         {{"branding", {{"logo_url", "/\\evil.example"}}}},
         {"/branding/logo_url"}},
        {"logo space", {{"branding", {{"logo_url", "https://a b"}}}}, {"/branding/logo_url"}},
        {"logo quote", {{"branding", {{"logo_url", "/x\"onload"}}}}, {"/branding/logo_url"}},
        {"logo script",
         {{"branding", {{"logo_url", "javascript:alert(1)"}}}},
         {"/branding/logo_url"}},
        {"logo long",
         {{"branding", {{"logo_url", "/" + std::string(500, 'a')}}}},
         {"/branding/logo_url"}},
        {"logo type", {{"branding", {{"logo_url", 3}}}}, {"/branding/logo_url"}},
        {"domains type", {{"registration_domains", good_domain}}, {"/registration_domains"}},
        {"labels type", {{"status_labels", "x"}}, {"/status_labels"}},
        {"label unknown status", {{"status_labels", {{"open", "Open"}}}}, {"/status_labels/open"}},
        {"label type", {{"status_labels", {{"new", 1}}}}, {"/status_labels/new"}},
        {"label blank", {{"status_labels", {{"new", "  "}}}}, {"/status_labels/new"}},
        {"label empty", {{"status_labels", {{"new", ""}}}}, {"/status_labels/new"}},
        {"label long",
         {{"status_labels", {{"resolved", std::string(41, 'x')}}}},
         {"/status_labels/resolved"}},
        {"label control", {{"status_labels", {{"closed", "a\tb"}}}}, {"/status_labels/closed"}},
        {"label bad utf8", {{"status_labels", {{"closed", "\xff"}}}}, {"/status_labels/closed"}},
        {"uploads type", {{"uploads", 5}}, {"/uploads"}},
        {"uploads unknown", {{"uploads", {{"max_size", 5}}}}, {"/uploads/max_size"}},
        {"uploads small", {{"uploads", {{"max_file_bytes", 1023}}}}, {"/uploads/max_file_bytes"}},
        {"uploads large",
         {{"uploads", {{"max_file_bytes", (1ll << 30) + 1}}}},
         {"/uploads/max_file_bytes"}},
        {"uploads text", {{"uploads", {{"max_file_bytes", "25MB"}}}}, {"/uploads/max_file_bytes"}},
        {"blocked type", {{"uploads", {{"blocked_types", "exe"}}}}, {"/uploads/blocked_types"}},
        {"blocked item",
         {{"uploads", {{"blocked_types", {"application/pdf", "exe", 3}}}}},
         {"/uploads/blocked_types/1", "/uploads/blocked_types/2"}},
        {"blocked params",
         {{"uploads", {{"blocked_types", {"text/plain; charset=utf-8"}}}}},
         {"/uploads/blocked_types/0"}},
        {"blocked twice",
         {{"uploads", {{"blocked_types", {"text/html", "TEXT/html"}}}}},
         {"/uploads/blocked_types/1"}},
        {"blocked many",
         {{"uploads", {{"blocked_types", many_types}}}},
         {"/uploads/blocked_types"}},
        {"domains many", {{"registration_domains", many_domains}}, {"/registration_domains"}},
        {"domain item type",
         {{"registration_domains", {"acme.example"}}},
         {"/registration_domains/0"}},
        {"domain bad",
         {{"registration_domains", {{{"domain", "not a domain"}, {"customer_id", kCustomer}}}}},
         {"/registration_domains/0/domain"}},
        {"domain ip",
         {{"registration_domains", {{{"domain", "10.0.0.1"}, {"customer_id", kCustomer}}}}},
         {"/registration_domains/0/domain"}},
        {"domain missing customer",
         {{"registration_domains", {good_domain, {{"domain", "b.example"}}}}},
         {"/registration_domains/1/customer_id"}},
        {"domain customer not uuid",
         {{"registration_domains", {{{"domain", "a.example"}, {"customer_id", "42"}}}}},
         {"/registration_domains/0/customer_id"}},
        {"domain unknown key",
         {{"registration_domains",
           {{{"domain", "a.example"}, {"customer_id", kCustomer}, {"note", "x"}}}}},
         {"/registration_domains/0/note"}},
        {"domain twice",
         {{"registration_domains",
           {good_domain, {{"domain", "ACME.example"}, {"customer_id", kCustomer}}}}},
         {"/registration_domains/1/domain"}},
        {"features type", {{"features", json::array({"documents"})}}, {"/features"}},
        {"features many", {{"features", many_features}}, {"/features"}},
        {"feature name case", {{"features", {{"Documents", true}}}}, {"/features/Documents"}},
        {"feature name long",
         {{"features", {{"a" + std::string(40, 'b'), true}}}},
         {"/features/a" + std::string(40, 'b')}},
        {"feature value", {{"features", {{"documents", 1}}}}, {"/features/documents"}},
        {"several",
         {{"locale", "fr"}, {"branding", {{"accent_color", "x"}}}, {"auto_assign", nullptr}},
         {"/locale", "/branding/accent_color", "/auto_assign"}},
    };
    for (const auto& c : cases) {
        auto r = TenantSettings::from_json(c.doc);
        if (c.fields.empty()) {
            EXPECT_TRUE(r) << c.name << ": " << (r ? "" : r.error().fields.front().field);
            continue;
        }
        ASSERT_FALSE(r) << c.name;
        EXPECT_EQ(r.error().code, core::ErrorCode::kValidation) << c.name;
        EXPECT_EQ(fields_of(r.error()), c.fields) << c.name;
    }
}

TEST(Settings, MergeIsOneLevelDeep) {
    const json base = TenantSettings{}.to_json();
    auto merged = detail::merge_settings(base, {{"locale", "de"},
                                                {"branding", {{"accent_color", "#000000"}}},
                                                {"features", {{"documents", true}}}});
    EXPECT_EQ(merged["locale"], "de");
    EXPECT_EQ(merged["branding"]["accent_color"], "#000000");
    EXPECT_EQ(merged["branding"]["primary_color"], base["branding"]["primary_color"]);
    merged =
        detail::merge_settings(merged, {{"features", {{"documents", nullptr}, {"chat", false}}}});
    EXPECT_EQ(merged["features"], json({{"chat", false}}));
    // Status labels merge the same way; null restores the product's label.
    merged = detail::merge_settings(
        merged, {{"status_labels", {{"new", "Eingang"}, {"closed", "Archiv"}}}});
    merged = detail::merge_settings(merged, {{"status_labels", {{"closed", nullptr}}}});
    EXPECT_EQ(merged["status_labels"], json({{"new", "Eingang"}}));
    // Arrays are replaced as a whole.
    merged = detail::merge_settings(
        merged,
        {{"registration_domains", {{{"domain", "a.example"}, {"customer_id", kCustomer}}}}});
    merged = detail::merge_settings(merged, {{"registration_domains", json::array()}});
    EXPECT_EQ(merged["registration_domains"], json::array());
}

TEST(Settings, StoredDocumentsDropOnlyTheirBadFields) {
    const json stored = {{"locale", "de"},
                         {"time_zone", "Mars/Olympus_Mons"},
                         {"retired_setting", true},
                         {"registration_domains",
                          {{{"domain", "ok.example"}, {"customer_id", kCustomer}},
                           {{"domain", "bad domain"}, {"customer_id", kCustomer}}}},
                         {"branding", {{"primary_color", "nope"}, {"product_name", "Acme"}}}};
    const auto s = detail::settings_from_stored(stored.dump(), "t");
    EXPECT_EQ(s.locale, "de");
    EXPECT_EQ(s.time_zone, "UTC");
    ASSERT_EQ(s.registration_domains.size(), 1u);
    EXPECT_EQ(s.registration_domains[0].domain, "ok.example");
    EXPECT_EQ(s.branding.product_name, "Acme");
    EXPECT_EQ(s.branding.primary_color, Branding{}.primary_color);
    EXPECT_EQ(detail::settings_from_stored("not json", "t").to_json(), TenantSettings{}.to_json());
}

TEST(Validate, ChecksTheOptionalFields) {
    NewTenant input{.name = "Acme", .slug = std::nullopt};
    input.email = "not-an-address";
    input.domain = "acme";
    input.licence_type = "gold";
    input.max_users = 0;
    input.storage_quota_bytes = -1;
    input.settings = json{{"locale", "fr"}, {"branding", {{"primary_color", "x"}}}};
    std::set<std::string> fields;
    for (const auto& f : validate(input)) fields.insert(f.field);
    EXPECT_EQ(fields, (std::set<std::string>{"/email", "/domain", "/licence_type", "/max_users",
                                             "/storage_quota_bytes", "/settings/locale",
                                             "/settings/branding/primary_color"}));
    input = {.name = "Acme", .slug = std::nullopt};
    input.settings = json::array();
    ASSERT_EQ(validate(input).size(), 1u);
    EXPECT_EQ(validate(input).front().field, "/settings");
}

class TenantServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        KONTOR_REQUIRE_BACKEND(GetParam());
        db_ = std::make_unique<testing::TestDatabase>(GetParam());
        stores_ = std::make_unique<db::StoreManager>(db_->store_config());
        service_ = std::make_unique<TenantService>(*stores_);
        stores_->set_location_resolver(
            [this](const core::TenantId& id) { return service_->location(id); });
        stores_->migrate_catalog();
    }
    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<db::StoreManager> stores_;
    std::unique_ptr<TenantService> service_;
};

TEST_P(TenantServiceTest, CreateProvisionsAMigratedStore) {
    auto t = service_->create({.name = "Acme Services", .slug = std::nullopt});
    ASSERT_TRUE(t.has_value()) << t.error().detail;
    EXPECT_EQ(t->slug, "acme-services");
    EXPECT_TRUE(core::is_uuid(t->id.str()));

    auto lease = stores_->tenant(t->id);
    EXPECT_EQ(db::current_version(*lease),
              db::latest_version(db::StoreKind::kTenant, stores_->dialect()));
    auto audit = lease->query("SELECT action, subject FROM audit_log");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit.get_text(0, 0), "tenant.created");
    EXPECT_EQ(audit.get_text(0, 1), t->id.str());
    EXPECT_EQ(lease->query("SELECT topic FROM outbox").get_text(0, 0), "tenant.created");

    const auto loc = db::StoreLocation::parse(t->store_location);
    if (GetParam() == "sqlite") {
        // Recorded relative to the data directory, so the directory can move as a whole.
        EXPECT_EQ(loc.sqlite_path, "tenants/" + t->id.str() + ".db");
        EXPECT_TRUE(std::filesystem::exists(db_->data_dir() / loc.sqlite_path));
    } else {
        std::string schema = "t_" + t->id.str();
        for (char& c : schema) c = c == '-' ? '_' : c;
        EXPECT_EQ(loc.pg_schema, schema);
    }
}

TEST_P(TenantServiceTest, TenantsAreIsolatedByConstruction) {
    auto a = service_->create({.name = "Alpha", .slug = std::nullopt});
    auto b = service_->create({.name = "Beta", .slug = std::nullopt});
    ASSERT_TRUE(a && b);
    {
        auto la = stores_->tenant(a->id);
        la->execute(
            "INSERT INTO audit_log (id, at, action, details) VALUES ($1, 1, 'secret.a', '{}')",
            {core::new_uuid_v7()});
    }
    auto lb = stores_->tenant(b->id);
    EXPECT_TRUE(lb->query("SELECT id FROM audit_log WHERE action = 'secret.a'").empty());
}

TEST_P(TenantServiceTest, DuplicateSlugIsAConflictAndLeavesNoStore) {
    ASSERT_TRUE(service_->create({.name = "Acme", .slug = std::nullopt}));
    auto again = service_->create({.name = "Acme", .slug = std::nullopt});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(service_->list().size(), 1u);
    if (GetParam() == "sqlite") {
        int files = 0;
        for (const auto& e : std::filesystem::directory_iterator(db_->data_dir() / "tenants")) {
            files += e.path().extension() == ".db" ? 1 : 0;
        }
        EXPECT_EQ(files, 1);
    }
}

TEST_P(TenantServiceTest, FindByIdOrSlugAndList) {
    auto t = service_->create({.name = "Globex", .slug = "globex-eu"});
    ASSERT_TRUE(t);
    EXPECT_EQ(service_->find("globex-eu")->id, t->id);
    EXPECT_EQ(service_->find(t->id.str())->slug, "globex-eu");
    EXPECT_FALSE(service_->find("nope"));
    EXPECT_EQ(service_->list().size(), 1u);
    EXPECT_FALSE(service_->location(core::TenantId{core::new_uuid_v7()}));
}

TEST_P(TenantServiceTest, MigrateAllIsIdempotent) {
    ASSERT_TRUE(service_->create({.name = "One", .slug = std::nullopt}));
    ASSERT_TRUE(service_->create({.name = "Two", .slug = std::nullopt}));
    EXPECT_EQ(service_->migrate_all(), 0);  // created stores are already current
}

TEST_P(TenantServiceTest, CreateWithFields) {
    identity::Actor admin;
    admin.user = core::UserId{core::new_uuid_v7()};
    admin.ip = "203.0.113.7";
    admin.request_id = "req-create";
    NewTenant input{.name = "Initech", .slug = "initech"};
    input.email = "  Support@Initech.EXAMPLE ";
    input.domain = "Initech.Example";
    input.licence_type = "enterprise";
    input.max_users = 25;
    input.storage_quota_bytes = 0;
    input.settings = json{{"locale", "de"}, {"branding", {{"product_name", "Initech Help"}}}};
    auto t = service_->create(input, &admin);
    ASSERT_TRUE(t) << t.error().detail;
    for (const auto& found : {*t, *service_->find("initech")}) {
        EXPECT_EQ(found.email, "support@initech.example");
        EXPECT_EQ(found.domain, "initech.example");
        EXPECT_EQ(found.licence_type, "enterprise");
        EXPECT_EQ(found.max_users, 25);
        EXPECT_EQ(found.storage_quota_bytes, 0);
        EXPECT_EQ(found.settings.locale, "de");
        EXPECT_EQ(found.settings.branding.product_name, "Initech Help");
        EXPECT_EQ(found.settings.branding.primary_color, Branding{}.primary_color);
        EXPECT_EQ(found.settings.time_zone, "UTC");
    }
    // Without the optional fields: no limits, the standard licence, default settings.
    auto plain = service_->create({.name = "Plain", .slug = std::nullopt});
    ASSERT_TRUE(plain);
    const auto found = service_->find(plain->id.str());
    EXPECT_FALSE(found->email || found->domain || found->max_users || found->storage_quota_bytes);
    EXPECT_EQ(found->licence_type, "standard");
    EXPECT_EQ(found->settings.to_json(), TenantSettings{}.to_json());

    auto lease = stores_->tenant(t->id);
    auto audit = lease->query("SELECT actor_id, ip, request_id FROM audit_log");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit.get_text(0, 0), admin.user.str());
    EXPECT_EQ(audit.get_text(0, 1), "203.0.113.7");
    EXPECT_EQ(audit.get_text(0, 2), "req-create");

    NewTenant bad{.name = "Bad", .slug = std::nullopt};
    bad.settings = json{{"time_zone", "Nowhere/Land"}};
    auto refused = service_->create(bad);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(refused.error()), std::set<std::string>{"/settings/time_zone"});
    EXPECT_EQ(service_->list().size(), 2u);
}

TEST_P(TenantServiceTest, UpdateSuspendAndAudit) {
    auto t = service_->create({.name = "Hooli", .slug = std::nullopt});
    ASSERT_TRUE(t);
    identity::Actor admin;
    admin.user = core::UserId{core::new_uuid_v7()};
    admin.ip = "198.51.100.1";
    admin.request_id = "req-update";

    TenantUpdate u;
    u.name = "Hooli XYZ";
    u.email = std::optional<std::string>{"IT@hooli.example"};
    u.max_users = std::optional<std::int64_t>{10};
    u.licence_type = "trial";
    auto updated = service_->update(t->id, u, admin);
    ASSERT_TRUE(updated) << updated.error().detail;
    EXPECT_EQ(updated->name, "Hooli XYZ");
    EXPECT_EQ(updated->slug, "hooli");  // the slug does not follow the name
    EXPECT_EQ(updated->email, "it@hooli.example");
    EXPECT_GT(updated->updated_at, t->updated_at);
    auto found = service_->find(t->id.str());
    EXPECT_EQ(found->name, "Hooli XYZ");
    EXPECT_EQ(found->max_users, 10);
    EXPECT_EQ(found->licence_type, "trial");

    // Clearing nullable fields, and a suspension.
    TenantUpdate clear;
    clear.email = std::optional<std::string>{};
    clear.max_users = std::optional<std::int64_t>{};
    clear.status = "suspended";
    updated = service_->update(t->id, clear, admin);
    ASSERT_TRUE(updated);
    EXPECT_FALSE(updated->active());
    found = service_->find(t->id.str());
    EXPECT_FALSE(found->email);
    EXPECT_FALSE(found->max_users);
    EXPECT_EQ(found->status, "suspended");

    // Nothing changes: nothing is written.
    TenantUpdate same;
    same.status = "suspended";
    ASSERT_TRUE(service_->update(t->id, same, admin));
    same.status = "active";
    ASSERT_TRUE(service_->update(t->id, same, admin));
    EXPECT_TRUE(service_->find(t->id.str())->active());

    auto lease = stores_->tenant(t->id);
    auto rows = lease->query(
        "SELECT action, actor_id, ip, request_id, details, subject FROM audit_log "
        "WHERE action <> 'tenant.created' ORDER BY at, action");
    std::vector<std::string> actions;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        actions.push_back(rows.get_text(i, 0));
        EXPECT_EQ(rows.get_text(i, 1), admin.user.str());
        EXPECT_EQ(rows.get_text(i, 2), "198.51.100.1");
        EXPECT_EQ(rows.get_text(i, 3), "req-update");
        EXPECT_EQ(rows.get_text(i, 5), t->id.str());
    }
    std::multiset<std::string> got(actions.begin(), actions.end());
    EXPECT_EQ(got, (std::multiset<std::string>{"tenant.updated", "tenant.updated", "tenant.updated",
                                               "tenant.suspended", "tenant.reactivated"}));
    std::set<json> details;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows.get_text(i, 0) == "tenant.updated")
            details.insert(json::parse(rows.get_text(i, 4))["fields"]);
    }
    EXPECT_TRUE(details.count(json::array({"name", "email", "licence_type", "max_users"})));
    EXPECT_TRUE(details.count(json::array({"email", "status", "max_users"})));
    EXPECT_TRUE(details.count(json::array({"status"})));
}

TEST_P(TenantServiceTest, UpdateErrors) {
    auto a = service_->create({.name = "Alpha", .slug = std::nullopt});
    auto b = service_->create({.name = "Beta", .slug = std::nullopt});
    ASSERT_TRUE(a && b);
    identity::Actor admin;

    TenantUpdate taken;
    taken.slug = "alpha";
    auto conflict = service_->update(b->id, taken, admin);
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(service_->find(b->id.str())->slug, "beta");
    // The refused change left no audit row behind.
    auto lease = stores_->tenant(b->id);
    EXPECT_EQ(lease->query("SELECT id FROM audit_log").size(), 1u);

    TenantUpdate invalid;
    invalid.name = "";
    invalid.slug = "Not OK";
    invalid.status = "deleted";
    invalid.licence_type = "free";
    invalid.domain = std::optional<std::string>{"no spaces.example"};
    invalid.email = std::optional<std::string>{"nobody"};
    invalid.max_users = std::optional<std::int64_t>{0};
    invalid.storage_quota_bytes = std::optional<std::int64_t>{-5};
    auto refused = service_->update(b->id, invalid, admin);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(fields_of(refused.error()),
              (std::set<std::string>{"/name", "/slug", "/status", "/licence_type", "/domain",
                                     "/email", "/max_users", "/storage_quota_bytes"}));

    TenantUpdate rename;
    rename.name = "Gamma";
    for (const auto& id : {core::TenantId{core::new_uuid_v7()}, core::TenantId{"beta"}}) {
        auto missing = service_->update(id, rename, admin);
        ASSERT_FALSE(missing);
        EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
        auto missing_settings = service_->update_settings(id, json::object(), admin);
        ASSERT_FALSE(missing_settings);
        EXPECT_EQ(missing_settings.error().code, core::ErrorCode::kNotFound);
    }
}

TEST_P(TenantServiceTest, UpdateSettingsMerges) {
    auto t = service_->create({.name = "Umbrella", .slug = std::nullopt});
    ASSERT_TRUE(t);
    identity::Actor manager;
    manager.tenant = t->id;
    manager.user = core::UserId{core::new_uuid_v7()};
    manager.request_id = "req-settings";

    auto s = service_->update_settings(
        t->id,
        {{"time_zone", "Europe/Berlin"},
         {"branding", {{"primary_color", "#112233"}}},
         {"features", {{"documents", true}, {"chat", true}}},
         {"registration_domains", {{{"domain", "umbrella.example"}, {"customer_id", kCustomer}}}}},
        manager);
    ASSERT_TRUE(s) << s.error().fields.front().field;
    EXPECT_EQ(s->time_zone, "Europe/Berlin");
    EXPECT_EQ(s->branding.primary_color, "#112233");
    EXPECT_EQ(s->branding.product_name, "Kontor");  // untouched branding keys stay

    s = service_->update_settings(
        t->id,
        {{"branding", {{"product_name", "Umbrella Care"}}}, {"features", {{"chat", nullptr}}}},
        manager);
    ASSERT_TRUE(s);
    const auto stored = service_->find(t->id.str())->settings;
    EXPECT_EQ(stored.to_json(), s->to_json());
    EXPECT_EQ(stored.time_zone, "Europe/Berlin");
    EXPECT_EQ(stored.branding.primary_color, "#112233");
    EXPECT_EQ(stored.branding.product_name, "Umbrella Care");
    EXPECT_EQ(stored.features, (std::map<std::string, bool>{{"documents", true}}));
    ASSERT_EQ(stored.registration_domains.size(), 1u);

    // Invalid patches change nothing and name their fields.
    auto bad = service_->update_settings(
        t->id, {{"locale", "xx"}, {"branding", {{"logo_url", "ftp://x"}}}, {"extra", 1}}, manager);
    ASSERT_FALSE(bad);
    EXPECT_EQ(fields_of(bad.error()),
              (std::set<std::string>{"/locale", "/branding/logo_url", "/extra"}));
    auto not_object = service_->update_settings(t->id, json::array(), manager);
    ASSERT_FALSE(not_object);
    EXPECT_EQ(not_object.error().code, core::ErrorCode::kValidation);
    EXPECT_EQ(service_->find(t->id.str())->settings.to_json(), stored.to_json());

    // A patch that changes nothing writes nothing.
    ASSERT_TRUE(service_->update_settings(t->id, {{"time_zone", "Europe/Berlin"}}, manager));

    auto lease = stores_->tenant(t->id);
    auto rows = lease->query(
        "SELECT details, actor_id, request_id FROM audit_log "
        "WHERE action = 'tenant.settings_changed' ORDER BY at, id");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(json::parse(rows.get_text(0, 0))["keys"],
              json::array({"branding", "features", "registration_domains", "time_zone"}));
    EXPECT_EQ(json::parse(rows.get_text(1, 0))["keys"], json::array({"branding", "features"}));
    EXPECT_EQ(rows.get_text(0, 1), manager.user.str());
    EXPECT_EQ(rows.get_text(0, 2), "req-settings");
}

TEST_P(TenantServiceTest, ListPagesAndSearches) {
    for (const auto& [name, slug] :
         std::vector<std::pair<std::string, std::string>>{{"Gamma", "gamma"},
                                                          {"alpha", "alpha"},
                                                          {"Delta 50%", "delta"},
                                                          {"Beta", "beta-x"},
                                                          {"Epsilon_y", "epsilon"}}) {
        ASSERT_TRUE(service_->create({.name = name, .slug = slug}));
    }
    auto names = [](const core::Page<Tenant>& page) {
        std::vector<std::string> out;
        for (const auto& t : page.items) out.push_back(t.name);
        return out;
    };
    TenantQuery q;
    q.page.limit = 2;
    auto page = service_->list(q);
    EXPECT_EQ(page.total, 5);
    EXPECT_EQ(names(page), (std::vector<std::string>{"alpha", "Beta"}));
    q.page.page = 3;
    page = service_->list(q);
    EXPECT_EQ(names(page), (std::vector<std::string>{"Gamma"}));
    q.page.page = 4;
    EXPECT_TRUE(service_->list(q).items.empty());
    EXPECT_EQ(service_->list(q).total, 5);

    auto search = [&](std::string text) {
        TenantQuery sq;
        sq.search = std::move(text);
        return service_->list(sq);
    };
    EXPECT_EQ(names(search("ALP")), (std::vector<std::string>{"alpha"}));
    EXPECT_EQ(names(search("ta-X")), (std::vector<std::string>{"Beta"}));  // by slug
    EXPECT_EQ(names(search("50%")), (std::vector<std::string>{"Delta 50%"}));
    EXPECT_EQ(names(search("%")), (std::vector<std::string>{"Delta 50%"}));
    EXPECT_EQ(names(search("_")), (std::vector<std::string>{"Epsilon_y"}));
    EXPECT_EQ(search("\\").total, 0);
    EXPECT_EQ(search("").total, 5);
    EXPECT_EQ(search("a").total, 4);

    identity::Actor admin;
    TenantUpdate suspend;
    suspend.status = "suspended";
    ASSERT_TRUE(service_->update(service_->find("gamma")->id, suspend, admin));
    TenantQuery by_status;
    by_status.status = "suspended";
    EXPECT_EQ(names(service_->list(by_status)), (std::vector<std::string>{"Gamma"}));
    by_status.status = "active";
    by_status.search = "a";
    EXPECT_EQ(service_->list(by_status).total, 3);
}

TEST_P(TenantServiceTest, JsonFormHidesTheStoreLocation) {
    NewTenant input{.name = "Vandelay", .slug = std::nullopt};
    input.domain = "vandelay.example";
    auto t = service_->create(input);
    ASSERT_TRUE(t);
    const json j = to_json(*service_->find(t->id.str()));
    EXPECT_FALSE(j.contains("store_location"));
    EXPECT_EQ(j.dump().find(t->store_location), std::string::npos);
    std::set<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"id", "slug", "name", "status", "email", "domain",
                                           "licence_type", "max_users", "storage_quota_bytes",
                                           "settings", "created_at", "updated_at"}));
    EXPECT_EQ(j["id"], t->id.str());
    EXPECT_EQ(j["domain"], "vandelay.example");
    EXPECT_TRUE(j["email"].is_null());
    EXPECT_TRUE(j["max_users"].is_null());
    EXPECT_EQ(j["settings"], TenantSettings{}.to_json());
    EXPECT_EQ(j["created_at"], core::format_rfc3339(t->created_at));
    EXPECT_EQ(j["created_at"].get<std::string>().back(), 'Z');
}

TEST_P(TenantServiceTest, StoredSettingsSurviveTighterRules) {
    auto t = service_->create({.name = "Legacy", .slug = std::nullopt});
    ASSERT_TRUE(t);
    {
        auto catalog = stores_->catalog();
        catalog->execute("UPDATE tenants SET settings = $2 WHERE id = $1",
                         {t->id.str(), std::string(R"({"locale":"de","legacy_flag":1})")});
    }
    const auto found = service_->find(t->id.str());
    ASSERT_TRUE(found);
    EXPECT_EQ(found->settings.locale, "de");
}

INSTANTIATE_TEST_SUITE_P(Backends, TenantServiceTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kontor::tenancy
