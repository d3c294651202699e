#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vms::api_server {

// What a health endpoint's JSON says, in the common shape
//   {"status": "ok", "checks": {"database": "ok", "cache": "fail", ...}}
// A check's value may be a string, a boolean, an object with a "status"
// member (Spring's shape) or an array of such objects (the IETF
// health+json draft's shape: healthy when every element is).
struct HealthBody {
  std::string status;  // "" when absent
  // Each check in document order, true when it reads "ok", "up", "pass",
  // "healthy" (any case) or true. A name given twice keeps its first value.
  std::vector<std::pair<std::string, bool>> checks;
};

// nullopt when the body is not a JSON object. Pure: no I/O.
std::optional<HealthBody> ParseHealthBody(std::string_view body);

// True for "ok", "up", "pass", "healthy" in any case.
bool IsHealthyWord(std::string_view word);

// A check name a body may put in the check label: 1-64 bytes without
// control characters (a body is not trusted to keep its labels short).
bool IsValidCheckName(std::string_view name);

// One target's check names across its bodies: the configured ones first,
// then as bodies name them, up to max_checks. Names refused by the cap or as
// invalid are counted once each (up to kMaxRemembered distinct ones, then
// every sighting). Pure: no I/O.
class HealthCheckNames {
 public:
  static constexpr std::size_t kMaxRemembered = 4096;

  HealthCheckNames(std::vector<std::string> configured, std::size_t max_checks);

  // Every known check and whether `body` reports it healthy: false when the
  // body does not name it or there is no body (the probe got none, or it was
  // not a JSON object).
  std::vector<std::pair<std::string, bool>> Update(const HealthBody* body);

  // Each known check, false: before the first body.
  std::vector<std::pair<std::string, bool>> Initial() const;
  std::uint64_t capped() const { return capped_; }
  std::uint64_t invalid() const { return invalid_; }

 private:
  void Refuse(const std::string& name, std::uint64_t& counter);

  const std::size_t max_checks_;
  std::vector<std::string> known_;
  std::set<std::string, std::less<>> refused_;
  std::uint64_t capped_ = 0;
  std::uint64_t invalid_ = 0;
};

}  // namespace vms::api_server
