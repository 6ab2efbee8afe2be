// TenantSettings ⇄ JSON, with the validation rules of every setting. The same rules judge stored
// documents and submitted ones, so what the API accepts is exactly what the catalog can hold.
#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <span>

#include "kontor/core/log.hpp"
#include "kontor/core/text.hpp"
#include "kontor/tenancy/internal.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::tenancy {
namespace detail {

bool valid_host(std::string_view host) {
    if (host.empty() || host.size() > 253) return false;
    int labels = 0;
    std::string_view last;
    while (true) {
        const auto dot = host.find('.');
        const std::string_view label = host.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (!std::all_of(label.begin(), label.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            }))
            return false;
        ++labels;
        last = label;
        if (dot == std::string_view::npos) break;
        host.remove_prefix(dot + 1);
    }
    const bool numeric_tld =
        std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
    return labels >= 2 && !numeric_tld;
}

std::string pointer_token(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

nlohmann::json merge_settings(const nlohmann::json& base, const nlohmann::json& patch) {
    nlohmann::json out = base;
    for (const auto& [key, value] : patch.items()) {
        auto it = out.find(key);
        if (it == out.end() || !it->is_object() || !value.is_object()) {
            out[key] = value;
            continue;
        }
        for (const auto& [inner, v] : value.items()) {
            // A flag that is absent is off by the caller's choice of default; null says "forget
            // this flag", which a boolean cannot.
            if ((key == "features" || key == "status_labels") && v.is_null()) {
                it->erase(inner);
            } else {
                (*it)[inner] = v;
            }
        }
    }
    return out;
}

std::vector<std::string> changed_keys(const TenantSettings& before, const TenantSettings& after) {
    const nlohmann::json a = before.to_json();
    const nlohmann::json b = after.to_json();
    std::vector<std::string> out;
    for (const auto& [key, value] : b.items()) {
        if (!a.contains(key) || a[key] != value) out.push_back(key);
    }
    return out;
}

TenantSettings settings_from_stored(std::string_view text, std::string_view tenant_id) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_object()) {
        core::log::warn("tenant settings unreadable; using defaults",
                        {{"tenant_id", std::string(tenant_id)}});
        return {};
    }
    // Each round drops the first offending value; a document has few keys, so this ends soon.
    for (int round = 0; round < 64; ++round) {
        auto parsed = TenantSettings::from_json(doc);
        if (parsed) return std::move(*parsed);
        const auto& fields = parsed.error().fields;
        if (fields.empty()) break;
        // Walk up from the pointer until it names something present (a missing required key is
        // reported at its own, absent, location), then drop that.
        nlohmann::json::json_pointer at(fields.front().field == "/" ? "" : fields.front().field);
        while (!at.empty() && !doc.contains(at)) at = at.parent_pointer();
        if (at.empty()) break;
        core::log::warn("stored tenant setting is invalid; using its default",
                        {{"tenant_id", std::string(tenant_id)},
                         {"field", at.to_string()},
                         {"problem", fields.front().message}});
        const auto parent = at.parent_pointer();
        auto& container = doc.at(parent);
        if (container.is_array()) {
            container.erase(static_cast<std::size_t>(std::stoul(at.back())));
        } else {
            container.erase(at.back());
        }
    }
    core::log::warn("tenant settings unreadable; using defaults",
                    {{"tenant_id", std::string(tenant_id)}});
    return {};
}

}  // namespace detail

namespace {

using core::has_control_chars;

using detail::pointer_token;

constexpr std::array<std::string_view, 12> kTopKeys = {"locale",
                                                       "time_zone",
                                                       "case_rate_limit_per_hour",
                                                       "self_registration",
                                                       "registration_domains",
                                                       "mfa_required_for_staff",
                                                       "experts_see_all_tickets",
                                                       "auto_assign",
                                                       "features",
                                                       "status_labels",
                                                       "branding",
                                                       "uploads"};
// The ticket statuses (tickets/status.hpp; tenancy sits below tickets, and a tickets test checks
// that the two lists agree).
constexpr std::array<std::string_view, 6> kTicketStatuses = {
    "new", "assigned", "in_progress", "waiting_customer", "resolved", "closed"};
constexpr std::size_t kMaxStatusLabel = 40;
constexpr std::array<std::string_view, 4> kBrandingKeys = {"product_name", "primary_color",
                                                           "accent_color", "logo_url"};
constexpr std::array<std::string_view, 2> kUploadKeys = {"max_file_bytes", "blocked_types"};
constexpr std::int64_t kMinUploadBytes = 1024;
constexpr std::int64_t kMaxUploadBytes = std::int64_t{1} << 30;
constexpr std::size_t kMaxBlockedTypes = 100;
constexpr std::array<std::string_view, 2> kDomainKeys = {"domain", "customer_id"};

constexpr std::size_t kMaxRegistrationDomains = 50;
constexpr std::size_t kMaxFeatures = 50;

bool known(std::span<const std::string_view> keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool is_color(std::string_view s) {
    return s.size() == 7 && s[0] == '#' && std::all_of(s.begin() + 1, s.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

// "https://…" or a same-origin path. "//host" and "/\host" are excluded: browsers read both as
// another origin. Quotes, spaces, angle brackets and backslashes never appear in a URL we emit
// into HTML or CSS.
bool is_logo_url(std::string_view s) {
    if (s.empty() || s.size() > 500) return false;
    const bool bad_char = std::any_of(s.begin(), s.end(), [](unsigned char c) {
        return c <= 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '`' || c == '<' ||
               c == '>' || c == '\\';
    });
    if (bad_char) return false;
    if (s.starts_with("https://")) return s.size() > 8 && s[8] != '/';
    return s.front() == '/' && !s.starts_with("//");
}

// "type/subtype" (RFC 6838 restricted names), without parameters.
bool is_media_type(std::string_view s) {
    static const std::regex kType(
        "^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}$");
    return std::regex_match(s.begin(), s.end(), kType);
}

bool is_feature_name(std::string_view s) {
    static const std::regex kName("^[a-z][a-z0-9_]{0,39}$");
    return std::regex_match(s.begin(), s.end(), kName);
}

// The tz database entry exists. GCC 12's libstdc++ has no std::chrono::locate_zone, so the system
// database is read directly: the name must be a compiled zone file (magic "TZif"), which also
// keeps out the database's other files (e.g. "leapseconds").
bool zone_exists(const std::string& name) {
    if (name == "UTC") return true;
#if defined(__cpp_lib_chrono) && __cpp_lib_chrono >= 201907L
    try {
        return std::chrono::locate_zone(name) != nullptr;
    } catch (const std::runtime_error&) {
        return false;
    }
#else
    const std::filesystem::path path = std::filesystem::path("/usr/share/zoneinfo") / name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return false;
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    return in.read(magic, sizeof magic) && std::string_view(magic, 4) == "TZif";
#endif
}

bool is_time_zone_name(std::string_view s) {
    static const std::regex kZone("^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$");
    return !s.empty() && s.size() <= 64 && std::regex_match(s.begin(), s.end(), kZone);
}

// Collects field errors while reading a document; every reader leaves the default in place when
// the value is absent or wrong.
class Reader {
public:
    std::vector<core::FieldError> errors;

    void error(std::string pointer, std::string message) {
        errors.push_back({std::move(pointer), std::move(message)});
    }

    void reject_unknown(const nlohmann::json& obj, std::span<const std::string_view> keys,
                        const std::string& at) {
        for (const auto& [key, value] : obj.items()) {
            if (!known(keys, key)) error(at + "/" + pointer_token(key), "is not a known setting");
        }
    }

    const std::string* string(const nlohmann::json& obj, std::string_view key,
                              const std::string& at) {
        const auto it = obj.find(key);
        if (it == obj.end()) return nullptr;
        if (!it->is_string()) {
            error(at + "/" + std::string(key), "must be a string");
            return nullptr;
        }
        return it->get_ptr<const std::string*>();
    }

    void boolean(const nlohmann::json& obj, std::string_view key, const std::string& at,
                 bool& out) {
        const auto it = obj.find(key);
        if (it == obj.end()) return;
        if (!it->is_boolean()) {
            error(at + "/" + std::string(key), "must be true or false");
            return;
        }
        out = it->get<bool>();
    }

    template <typename Int>
    void integer(const nlohmann::json& obj, std::string_view key, const std::string& at, Int min,
                 Int max, Int& out) {
        const auto it = obj.find(key);
        if (it == obj.end()) return;
        const std::string pointer = at + "/" + std::string(key);
        const std::string range =
            "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
        if (!it->is_number_integer()) {
            error(pointer, range);
            return;
        }
        // Unsigned JSON numbers may exceed int64; they are out of range either way.
        if (it->is_number_unsigned() &&
            it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
            error(pointer, range);
            return;
        }
        const auto v = it->get<std::int64_t>();
        if (v < min || v > max) {
            error(pointer, range);
            return;
        }
        out = static_cast<Int>(v);
    }

    void color(const nlohmann::json& obj, std::string_view key, const std::string& at,
               std::string& out) {
        if (const auto* s = string(obj, key, at)) {
            if (!is_color(*s)) {
                error(at + "/" + std::string(key), "must be a colour like \"#1c7ed6\"");
            } else {
                out = detail::ascii_lower(*s);
            }
        }
    }

    void branding(const nlohmann::json& b, Branding& out) {
        const std::string at = "/branding";
        if (!b.is_object()) {
            error(at, "must be an object");
            return;
        }
        reject_unknown(b, kBrandingKeys, at);
        if (const auto* s = string(b, "product_name", at)) {
            const bool blank = std::all_of(s->begin(), s->end(),
                                           [](unsigned char c) { return std::isspace(c) != 0; });
            if (s->empty() || s->size() > 60 || blank) {
                error(at + "/product_name", "must be 1-60 bytes, not only spaces");
            } else if (has_control_chars(*s)) {
                error(at + "/product_name", "must not contain control characters");
            } else {
                out.product_name = *s;
            }
        }
        color(b, "primary_color", at, out.primary_color);
        color(b, "accent_color", at, out.accent_color);
        if (const auto it = b.find("logo_url"); it != b.end()) {
            if (it->is_null()) {
                out.logo_url.reset();
            } else if (!it->is_string() || !is_logo_url(it->get<std::string>())) {
                error(at + "/logo_url",
                      "must be null, an https:// URL or a path starting with '/' (at most 500 "
                      "bytes, no spaces, quotes or backslashes)");
            } else {
                out.logo_url = it->get<std::string>();
            }
        }
    }

    void uploads(const nlohmann::json& obj, UploadSettings& out) {
        const std::string at = "/uploads";
        if (!obj.is_object()) {
            error(at, "must be an object");
            return;
        }
        reject_unknown(obj, kUploadKeys, at);
        integer(obj, "max_file_bytes", at, kMinUploadBytes, kMaxUploadBytes, out.max_file_bytes);
        const auto it = obj.find("blocked_types");
        if (it == obj.end()) return;
        const std::string list_at = at + "/blocked_types";
        if (!it->is_array()) {
            error(list_at, "must be an array of content types such as \"application/x-dosexec\"");
            return;
        }
        if (it->size() > kMaxBlockedTypes) {
            error(list_at, "must have at most " + std::to_string(kMaxBlockedTypes) + " items");
            return;
        }
        std::vector<std::string> types;
        std::set<std::string> seen;
        const std::size_t errors_before = errors.size();
        for (std::size_t i = 0; i < it->size(); ++i) {
            const auto& item = (*it)[i];
            const std::string item_at = list_at + "/" + std::to_string(i);
            if (!item.is_string() || !is_media_type(item.get<std::string>())) {
                error(item_at, "must be a content type such as \"application/x-dosexec\"");
                continue;
            }
            std::string type = detail::ascii_lower(item.get<std::string>());
            if (!seen.insert(type).second) {
                error(item_at, "is listed twice");
                continue;
            }
            types.push_back(std::move(type));
        }
        if (errors.size() == errors_before) out.blocked_types = std::move(types);
    }

    void registration_domains(const nlohmann::json& list, std::vector<RegistrationDomain>& out) {
        const std::string at = "/registration_domains";
        if (!list.is_array()) {
            error(at, "must be an array");
            return;
        }
        if (list.size() > kMaxRegistrationDomains) {
            error(at, "must have at most " + std::to_string(kMaxRegistrationDomains) + " items");
            return;
        }
        std::set<std::string> seen;
        std::vector<RegistrationDomain> domains;
        const std::size_t errors_before = errors.size();
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& item = list[i];
            const std::string item_at = at + "/" + std::to_string(i);
            if (!item.is_object()) {
                error(item_at, "must be an object with domain and customer_id");
                continue;
            }
            reject_unknown(item, kDomainKeys, item_at);
            RegistrationDomain d;
            if (!item.contains("domain")) {
                error(item_at + "/domain", "is required");
            } else if (const auto* s = string(item, "domain", item_at)) {
                d.domain = detail::ascii_lower(*s);
                if (!detail::valid_host(d.domain)) {
                    error(item_at + "/domain", "must be a domain name such as acme.example");
                } else if (!seen.insert(d.domain).second) {
                    error(item_at + "/domain", "is listed twice");
                }
            }
            if (!item.contains("customer_id")) {
                error(item_at + "/customer_id", "is required");
            } else if (const auto* s = string(item, "customer_id", item_at)) {
                const std::string id = detail::ascii_lower(*s);
                if (!core::is_uuid(id)) {
                    error(item_at + "/customer_id", "must be a customer organisation id (UUID)");
                } else {
                    d.customer_id = core::OrganizationId{id};
                }
            }
            domains.push_back(std::move(d));
        }
        if (errors.size() == errors_before) out = std::move(domains);
    }

    void status_labels(const nlohmann::json& obj, std::map<std::string, std::string>& out) {
        const std::string at = "/status_labels";
        if (!obj.is_object()) {
            error(at, "must be an object of ticket statuses to labels");
            return;
        }
        std::map<std::string, std::string> labels;
        const std::size_t errors_before = errors.size();
        for (const auto& [key, value] : obj.items()) {
            const std::string pointer = at + "/" + pointer_token(key);
            if (!known(kTicketStatuses, key)) {
                error(pointer,
                      "is not a ticket status (new, assigned, in_progress, waiting_customer, "
                      "resolved, closed)");
            } else if (!value.is_string()) {
                error(pointer, "must be a string");
            } else if (auto problem =
                           core::text_problem(value.get<std::string>(), kMaxStatusLabel)) {
                error(pointer, *problem);
            } else if (value.get<std::string>().find_first_not_of(" \t") == std::string::npos) {
                error(pointer, "must not be blank (use null to go back to the default)");
            } else {
                labels[key] = value.get<std::string>();
            }
        }
        if (errors.size() == errors_before) out = std::move(labels);
    }

    void features(const nlohmann::json& obj, std::map<std::string, bool>& out) {
        const std::string at = "/features";
        if (!obj.is_object()) {
            error(at, "must be an object of feature names to true or false");
            return;
        }
        if (obj.size() > kMaxFeatures) {
            error(at, "must have at most " + std::to_string(kMaxFeatures) + " flags");
            return;
        }
        std::map<std::string, bool> flags;
        const std::size_t errors_before = errors.size();
        for (const auto& [key, value] : obj.items()) {
            const std::string pointer = at + "/" + pointer_token(key);
            if (!is_feature_name(key)) {
                error(pointer,
                      "feature names are 1-40 characters of a-z, 0-9 and '_', starting with a "
                      "letter");
            } else if (!value.is_boolean()) {
                error(pointer, "must be true or false");
            } else {
                flags[key] = value.get<bool>();
            }
        }
        if (errors.size() == errors_before) out = std::move(flags);
    }
};

}  // namespace

nlohmann::json TenantSettings::to_json() const {
    nlohmann::json domains = nlohmann::json::array();
    for (const auto& d : registration_domains)
        domains.push_back({{"domain", d.domain}, {"customer_id", d.customer_id.str()}});
    nlohmann::json b = {{"product_name", branding.product_name},
                        {"primary_color", branding.primary_color},
                        {"accent_color", branding.accent_color},
                        {"logo_url", branding.logo_url ? nlohmann::json(*branding.logo_url)
                                                       : nlohmann::json(nullptr)}};
    return {
        {"locale", locale},
        {"time_zone", time_zone},
        {"case_rate_limit_per_hour", case_rate_limit_per_hour},
        {"self_registration", self_registration},
        {"registration_domains", domains},
        {"mfa_required_for_staff", mfa_required_for_staff},
        {"experts_see_all_tickets", experts_see_all_tickets},
        {"auto_assign", auto_assign},
        {"features", features},
        {"status_labels", status_labels},
        {"branding", b},
        {"uploads",
         {{"max_file_bytes", uploads.max_file_bytes}, {"blocked_types", uploads.blocked_types}}}};
}

core::Result<TenantSettings> TenantSettings::from_json(const nlohmann::json& doc) {
    if (!doc.is_object()) return core::fail(core::Error::invalid("/", "must be an object"));
    TenantSettings s;
    Reader r;
    r.reject_unknown(doc, kTopKeys, "");

    if (const auto* locale = r.string(doc, "locale", "")) {
        if (*locale != "en" && *locale != "de") {
            r.error("/locale", "must be \"en\" or \"de\"");
        } else {
            s.locale = *locale;
        }
    }
    if (const auto* zone = r.string(doc, "time_zone", "")) {
        if (!is_time_zone_name(*zone)) {
            r.error("/time_zone", "must be an IANA time zone name such as \"Europe/Berlin\"");
        } else if (!zone_exists(*zone)) {
            r.error("/time_zone", "is not a known time zone");
        } else {
            s.time_zone = *zone;
        }
    }
    r.integer(doc, "case_rate_limit_per_hour", "", 1, 1000, s.case_rate_limit_per_hour);
    r.boolean(doc, "self_registration", "", s.self_registration);
    r.boolean(doc, "mfa_required_for_staff", "", s.mfa_required_for_staff);
    r.boolean(doc, "experts_see_all_tickets", "", s.experts_see_all_tickets);
    r.boolean(doc, "auto_assign", "", s.auto_assign);
    if (const auto it = doc.find("registration_domains"); it != doc.end())
        r.registration_domains(*it, s.registration_domains);
    if (const auto it = doc.find("features"); it != doc.end()) r.features(*it, s.features);
    if (const auto it = doc.find("status_labels"); it != doc.end())
        r.status_labels(*it, s.status_labels);
    if (const auto it = doc.find("branding"); it != doc.end()) r.branding(*it, s.branding);
    if (const auto it = doc.find("uploads"); it != doc.end()) r.uploads(*it, s.uploads);

    if (!r.errors.empty()) {
        return core::fail(core::Error{core::ErrorCode::kValidation, "The settings are invalid.",
                                      std::move(r.errors)});
    }
    return s;
}

}  // namespace kontor::tenancy
