#pragma once

#include <crypt.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "vms/base/status.h"

namespace vms::internal {

struct BasicCredentials {
  std::string user;
  std::string password;
};

// Decodes an Authorization header of the Basic scheme (RFC 7617), the way Go's
// Request.BasicAuth does: padded standard base64, split at the first ':'.
// std::nullopt for any other scheme or malformed value.
std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header);

// Whether `hash` is a bcrypt hash ($2a$/$2b$/$2y$, cost 4-31) that libcrypt
// can verify. The message never repeats the hash.
Status CheckBcryptHash(std::string_view hash);

// basic_auth_users of a web config: user → bcrypt hash, checked with libcrypt
// in constant time. Thread-safe: Authorize() runs on the server's workers.
class BasicAuthenticator {
 public:
  // Every hash must have passed CheckBcryptHash.
  explicit BasicAuthenticator(std::map<std::string, std::string> users);

  // True if `authorization` (the raw header) names a user and its password.
  bool Authorize(std::string_view authorization);

  // Successful checks kept so a scraper's repeated credentials cost one
  // bcrypt, not one per scrape. Small: Prometheus uses few credentials.
  static constexpr std::size_t kCacheCapacity = 100;

  // What the last bcrypt check ran: how many so far and the cost of the hash
  // used. Lets tests prove, without timing anything, that cached credentials
  // skip bcrypt and that unknown users pay the same cost as known ones.
  std::uint64_t bcrypt_runs() const { return bcrypt_runs_.load(); }
  int last_bcrypt_cost() const { return last_bcrypt_cost_.load(); }

 private:
  using CacheKey = std::array<unsigned char, 32>;  // SHA-256

  bool BcryptMatches(const std::string& password, const std::string& hash);
  bool CacheContains(const CacheKey& key);
  void CacheInsert(const CacheKey& key);

  const std::map<std::string, std::string> users_;
  // Checked for unknown users so that they take as long as known ones.
  std::string dummy_hash_;

  // bcrypt runs one at a time: a password-guessing flood then costs one
  // core, not every worker; cached credentials do not wait for it.
  std::mutex bcrypt_mu_;
  std::unique_ptr<crypt_data> crypt_data_;  // guarded by bcrypt_mu_

  std::atomic<std::uint64_t> bcrypt_runs_{0};
  std::atomic<int> last_bcrypt_cost_{0};

  std::mutex cache_mu_;
  std::set<CacheKey> cache_;          // guarded by cache_mu_
  std::deque<CacheKey> cache_order_;  // guarded by cache_mu_; oldest first
};

}  // namespace vms::internal
