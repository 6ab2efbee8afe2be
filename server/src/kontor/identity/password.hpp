#pragma once
// Password hashing (Argon2id through libsodium's crypto_pwhash_str) and the password policy.
#include <optional>
#include <string>
#include <string_view>

namespace kontor::identity {

// Argon2id hash in the self-describing "$argon2id$v=19$m=...,t=...,p=..." form.
// Throws std::runtime_error if memory for hashing cannot be had.
std::string hash_password(std::string_view password);
// Constant-time verification against a stored hash; false for malformed hashes. Besides
// Argon2id it accepts legacy bcrypt hashes ("$2a$", "$2b$", "$2y$", via libxcrypt's crypt_r)
// imported from an older system, so those users can sign in once and be rehashed.
bool verify_password(std::string_view password, const std::string& hash);
// A fixed hash to verify against when an e-mail address is unknown, so a miss costs what a hit
// costs and timing does not reveal which addresses exist. Computed once, on first use.
const std::string& timing_dummy_hash();
// True when a stored hash should be replaced after a successful sign-in: bcrypt, or Argon2id
// with parameters weaker than hash_password() uses today.
bool needs_rehash(const std::string& hash);
// Why a password is not acceptable (length ≥ 12, ≤ 256 bytes, not the e-mail address, not a
// well-known password); nullopt when it is.
std::optional<std::string> password_problem(std::string_view password, std::string_view email);
// A random password for users created without one: 20 characters from an unambiguous alphabet.
std::string generate_password();

}  // namespace kontor::identity
