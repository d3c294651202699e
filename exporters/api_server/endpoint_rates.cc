#include "api_server/endpoint_rates.h"

namespace vms::api_server {

void EndpointRates::Remember(Clock::time_point now, const std::vector<EndpointSummary>& totals) {
  while (!looks_.empty() && now - looks_.front().at > kWindow) looks_.pop_front();
  if (!looks_.empty() && now - looks_.back().at < kEvery) return;
  Look look{.at = now, .totals = {}};
  for (const EndpointSummary& s : totals) look.totals[s.endpoint] = {s.requests, s.errors};
  looks_.push_back(std::move(look));
}

std::optional<EndpointRates::Rate> EndpointRates::Of(Clock::time_point now,
                                                     const EndpointSummary& current) const {
  for (const Look& look : looks_) {
    if (now - look.at > kWindow) continue;
    const double span = std::chrono::duration<double>(now - look.at).count();
    if (span < std::chrono::duration<double>(kMinSpan).count()) return std::nullopt;
    std::uint64_t requests = 0, errors = 0;
    if (auto it = look.totals.find(current.endpoint); it != look.totals.end()) {
      std::tie(requests, errors) = it->second;
    }
    // Counters only grow; a smaller one means the counters were started over.
    if (current.requests < requests || current.errors < errors) return std::nullopt;
    return Rate{.requests = static_cast<double>(current.requests - requests) / span,
                .errors = static_cast<double>(current.errors - errors) / span,
                .span_seconds = span};
  }
  return std::nullopt;
}

}  // namespace vms::api_server
