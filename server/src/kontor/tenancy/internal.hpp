#pragma once
// Helpers shared by settings.cpp and tenant_service.cpp; not part of the module's interface.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "kontor/core/text.hpp"
#include "kontor/tenancy/tenant.hpp"

namespace kontor::tenancy::detail {

using core::ascii_lower;

// A DNS host name as people type it for an e-mail or web domain, already lower-cased: labels of
// a-z, 0-9 and '-' (1-63 each, no leading or trailing '-'), at least two labels, at most 253
// characters, and a last label that is not all digits (so an IPv4 address is not a domain).
bool valid_host(std::string_view host);

// One JSON pointer reference token for an object key ("a/b" → "a~1b").
std::string pointer_token(std::string_view key);

// The settings document `patch` applied to `base` (both objects): top-level keys replace, objects
// (branding, features) are merged one level deep, and a null feature flag removes the flag.
// Keys of patch are taken as they are; TenantSettings::from_json judges the result.
nlohmann::json merge_settings(const nlohmann::json& base, const nlohmann::json& patch);

// The top-level keys whose values differ between two settings, in key order.
std::vector<std::string> changed_keys(const TenantSettings& before, const TenantSettings& after);

// Settings as stored in the catalog. Stored documents were valid when written, but a rule may
// have tightened since (or a time zone left the system's tz database): the offending fields fall
// back to their defaults with a warning instead of losing every other setting.
TenantSettings settings_from_stored(std::string_view text, std::string_view tenant_id);

}  // namespace kontor::tenancy::detail
