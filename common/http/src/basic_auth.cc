#include "basic_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace vms::internal {
namespace {

constexpr std::string_view kBcryptAlphabet =
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kBcryptHashSize = 60;

// exporter-toolkit's fixed hash for unknown users; its cost is replaced by
// the configured users' so that both paths take the same time.
constexpr std::string_view kDummyHash =
    "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  // EVP_DecodeBlock skips blanks and tolerates stray '='; Go's decoder (the
  // reference) does neither.
  if (text.substr(0, text.size() - padding).find_first_not_of(kBase64Alphabet) !=
      std::string_view::npos) {
    return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

int BcryptCost(std::string_view hash) { return (hash[4] - '0') * 10 + (hash[5] - '0'); }

void DigestField(EVP_MD_CTX* ctx, std::string_view field) {
  // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
  const std::uint64_t size = field.size();
  EVP_DigestUpdate(ctx, &size, sizeof size);
  EVP_DigestUpdate(ctx, field.data(), field.size());
}

}  // namespace

std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header) {
  constexpr std::string_view kPrefix = "Basic ";
  if (header.size() < kPrefix.size() ||
      !EqualsIgnoreCase(header.substr(0, kPrefix.size()), kPrefix)) {
    return std::nullopt;
  }
  auto decoded = DecodeBase64(header.substr(kPrefix.size()));
  if (!decoded) return std::nullopt;
  std::string& text = *decoded;
  std::optional<BasicCredentials> credentials;
  if (const auto colon = text.find(':'); colon != std::string::npos) {
    credentials = BasicCredentials{text.substr(0, colon), text.substr(colon + 1)};
  }
  OPENSSL_cleanse(text.data(), text.size());
  return credentials;
}

Status CheckBcryptHash(std::string_view hash) {
  if (!hash.starts_with("$2a$") && !hash.starts_with("$2b$") && !hash.starts_with("$2y$")) {
    return Status::Error("not a bcrypt hash (expected $2a$, $2b$ or $2y$, e.g. from htpasswd -nB)");
  }
  if (hash.size() != kBcryptHashSize) {
    return Status::Error("bcrypt hash has " + std::to_string(hash.size()) + " characters, not " +
                         std::to_string(kBcryptHashSize));
  }
  if (!std::isdigit(static_cast<unsigned char>(hash[4])) ||
      !std::isdigit(static_cast<unsigned char>(hash[5])) || hash[6] != '$') {
    return Status::Error("bcrypt hash has no cost");
  }
  if (const int cost = BcryptCost(hash); cost < 4 || cost > 31) {
    return Status::Error("bcrypt cost " + std::to_string(cost) + " is outside 4-31");
  }
  if (hash.substr(7).find_first_not_of(kBcryptAlphabet) != std::string_view::npos) {
    return Status::Error("bcrypt hash has characters outside its alphabet");
  }
  const int check = crypt_checksalt(std::string(hash).c_str());
  if (check != CRYPT_SALT_OK && check != CRYPT_SALT_METHOD_LEGACY) {
    return Status::Error("libcrypt cannot verify this bcrypt hash");
  }
  return Status::Ok();
}

BasicAuthenticator::BasicAuthenticator(std::map<std::string, std::string> users)
    : users_(std::move(users)), crypt_data_(std::make_unique<crypt_data>()) {
  int cost = 10;
  if (!users_.empty()) {
    cost = 4;
    for (const auto& [user, hash] : users_) cost = std::max(cost, BcryptCost(hash));
  }
  dummy_hash_ = std::string(kDummyHash);
  dummy_hash_[4] = static_cast<char>('0' + cost / 10);
  dummy_hash_[5] = static_cast<char>('0' + cost % 10);
}

bool BasicAuthenticator::Authorize(std::string_view authorization) {
  auto credentials = ParseBasicAuthorization(authorization);
  if (!credentials) return false;
  const auto it = users_.find(credentials->user);
  const bool known = it != users_.end();
  const std::string& hash = known ? it->second : dummy_hash_;

  CacheKey key;
  {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    DigestField(ctx, credentials->user);
    DigestField(ctx, credentials->password);
    DigestField(ctx, hash);
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx, key.data(), &size);
    EVP_MD_CTX_free(ctx);
  }
  bool ok = known && CacheContains(key);
  if (!ok) {
    // crypt_r stops at a NUL, which would let "pass\0junk" match "pass".
    const bool has_nul = credentials->password.find('\0') != std::string::npos;
    ok = BcryptMatches(credentials->password, hash) && known && !has_nul;
    if (ok) CacheInsert(key);
  }
  OPENSSL_cleanse(credentials->password.data(), credentials->password.size());
  return ok;
}

bool BasicAuthenticator::BcryptMatches(const std::string& password, const std::string& hash) {
  std::lock_guard lock(bcrypt_mu_);
  ++bcrypt_runs_;
  last_bcrypt_cost_ = BcryptCost(hash);
  const char* computed = crypt_r(password.c_str(), hash.c_str(), crypt_data_.get());
  if (computed == nullptr || computed[0] == '*') return false;
  return std::strlen(computed) == hash.size() &&
         CRYPTO_memcmp(computed, hash.data(), hash.size()) == 0;
}

bool BasicAuthenticator::CacheContains(const CacheKey& key) {
  std::lock_guard lock(cache_mu_);
  return cache_.contains(key);
}

void BasicAuthenticator::CacheInsert(const CacheKey& key) {
  std::lock_guard lock(cache_mu_);
  if (!cache_.insert(key).second) return;
  cache_order_.push_back(key);
  if (cache_order_.size() > kCacheCapacity) {
    cache_.erase(cache_order_.front());
    cache_order_.pop_front();
  }
}

}  // namespace vms::internal
