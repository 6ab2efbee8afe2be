#pragma once
// Second factor: TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits, the default every
// authenticator app speaks) and single-use recovery codes. Thread-safe (pure functions).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kontor::identity::totp {

constexpr int kStepSeconds = 30;
constexpr int kDigits = 6;

std::string base32_encode(std::string_view bytes);  // RFC 4648 alphabet, upper-case, no padding
// Accepts upper or lower case, ignores spaces and trailing '='; nullopt on other characters.
std::optional<std::string> base32_decode(std::string_view text);

std::string new_secret();  // 20 random bytes (160 bit, RFC 4226's recommendation), base32
std::int64_t step_of(std::int64_t now_s) noexcept;                       // now_s / 30
std::string code_at(std::string_view secret_base32, std::int64_t step);  // 6 digits, zero-padded

// When `code` is the code of a step within step_of(now_s) ± window and that step is later than
// last_used_step (so a code works once), returns the step; nullopt otherwise (also for malformed
// codes or secrets). Compares in constant time.
std::optional<std::int64_t> verify(std::string_view secret_base32, std::string_view code,
                                   std::int64_t now_s, std::optional<std::int64_t> last_used_step,
                                   int window = 1);

// otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30,
// issuer and account percent-encoded.
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32);

// n codes of the form "xxxx-xxxx-xxxx" (lower-case letters and digits without look-alikes),
// ≥ 60 bits of randomness each.
std::vector<std::string> new_recovery_codes(int n = 10);
// What is stored and compared: lower-case, without spaces and dashes.
std::string normalize_recovery_code(std::string_view code);

}  // namespace kontor::identity::totp
