#include "api_server/health_collector.h"

#include <string>

#include "api_server/shared_help.h"
#include "vms/base/text.h"

namespace vms::api_server {
namespace {

constexpr const char* kNote = " Refreshed every interval by a background probe, not by scrapes.";
std::string Help(const char* text) { return std::string(text) + kNote; }

constexpr HttpPhase kShownPhases[] = {HttpPhase::kResolve, HttpPhase::kConnect, HttpPhase::kTls,
                                      HttpPhase::kProcessing, HttpPhase::kTransfer};

}  // namespace

Status HealthCollector::Collect(const ScrapeContext& /*ctx*/, MetricWriter& out) {
  const auto targets = probes_->Health();
  struct Row {
    const HealthTarget* target;
    std::shared_ptr<const HealthSnapshot> snap;
  };
  std::vector<Row> rows;
  for (const auto& t : *targets) {
    rows.push_back({t.get(), t->probe ? t->probe->Latest() : std::make_shared<HealthSnapshot>()});
  }

  auto up = out.Gauge("api_up", Help("1 if the last probe of the health endpoint passed its checks "
                                     "(connected, valid status, body matched), else 0."));
  for (const auto& r : rows) {
    up.Add({{"target", r.target->config.target}}, r.snap->http && r.snap->http->up() ? 1 : 0);
  }

  auto phases = out.Gauge(
      "api_probe_duration_seconds",
      Help("Seconds the last probe of the health endpoint spent in each phase (resolve, connect, "
           "tls, processing: request sent to first response byte, transfer: to the last byte); "
           "0 for a phase it did not reach."));
  for (const auto& r : rows) {
    for (HttpPhase p : kShownPhases) {
      const double s = r.snap->http ? r.snap->http->exchange.phase(p).duration.count() : 0.0;
      phases.Add({{"target", r.target->config.target}, {"phase", HttpPhaseName(p)}}, s);
    }
  }

  auto total = out.Gauge("api_probe_total_duration_seconds",
                         Help("Seconds the last probe of the health endpoint took in all."));
  for (const auto& r : rows) {
    total.Add({{"target", r.target->config.target}},
              r.snap->http ? r.snap->http->duration.count() : 0.0);
  }

  auto probes = out.Counter("api_probes_total", "Probes of the health endpoint that ended.");
  for (const auto& r : rows) {
    probes.Add({{"target", r.target->config.target}},
               r.snap->http ? static_cast<double>(r.snap->http->probes_total) : 0.0);
  }

  auto failures = out.Counter(
      "api_probe_failures_total",
      "Failed probes of the health endpoint by reason (connect: refused, unreachable or "
      "unresolved; tls; timeout; status: not a valid status code; body: body_regex did not "
      "match or the body was too large; protocol: not HTTP, or too many redirects).");
  for (const auto& r : rows) {
    for (HealthFailureReason reason : kAllHealthFailureReasons) {
      failures.Add(
          {{"target", r.target->config.target}, {"reason", HealthFailureReasonName(reason)}},
          static_cast<double>(r.snap->failures[static_cast<std::size_t>(reason)]));
    }
  }

  auto status = out.Gauge("api_probe_status_code",
                          Help("HTTP status of the last probe's response, 0 when none came."));
  for (const auto& r : rows) {
    status.Add({{"target", r.target->config.target}},
               r.snap->http ? r.snap->http->exchange.status : 0);
  }

  auto expiry = out.Gauge(
      "api_tls_cert_expiry_timestamp_seconds",
      Help("Unix time at which the health endpoint's TLS certificate expires (the earliest "
           "notAfter of the chain it sent); https targets whose last handshake got one."));
  for (const auto& r : rows) {
    if (!r.snap->http) continue;
    const auto& x = r.snap->http->exchange;
    auto after = x.chain_not_after ? x.chain_not_after : x.cert_not_after;
    if (after) expiry.Add({{"target", r.target->config.target}}, static_cast<double>(*after));
  }

  auto checks = out.Gauge(
      "api_health_check_up",
      Help("1 if the health endpoint's last JSON body reported the check healthy (\"ok\", "
           "\"up\", \"pass\", \"healthy\" or true), else 0 (also when the probe failed or the "
           "body did not name it)."));
  for (const auto& r : rows) {
    for (const auto& [check, healthy] : r.snap->checks) {
      checks.Add({{"target", r.target->config.target}, {"check", check}}, healthy ? 1 : 0);
    }
  }

  std::uint64_t capped = 0;
  std::uint64_t invalid = 0;
  for (const auto& r : rows) {
    capped += r.snap->checks_dropped;
    invalid += r.snap->checks_invalid;
  }
  auto dropped = out.Counter("vms_exporter_series_dropped_total", kSeriesDroppedHelp);
  dropped.Add({{"reason", "health_check_cap"}, {"source", "health"}}, static_cast<double>(capped));
  dropped.Add({{"reason", "invalid_health_check"}, {"source", "health"}},
              static_cast<double>(invalid));
  return Status::Ok();
}

void HealthCollector::AppendStatus(std::vector<StatusTable>& tables) const {
  StatusTable table{
      "Health checks", {"target", "url", "state", "status", "checks", "last probe"}, {}};
  for (const auto& t : *probes_->Health()) {
    std::vector<std::string> row = {t->config.target, t->url_shown};
    const auto snap = t->probe ? t->probe->Latest() : nullptr;
    if (!t->probe) {
      row.insert(row.end(), {"not probed: " + t->setup_error, "", "", ""});
    } else if (!snap || !snap->http) {
      row.insert(row.end(), {"not probed yet", "", "", ""});
    } else {
      const auto& h = *snap->http;
      row.push_back(h.up() ? "up"
                           : "down (" + std::string(HttpFailureName(h.failure)) + "): " + h.error);
      row.push_back(h.exchange.status ? std::to_string(h.exchange.status) : "");
      std::string checks;
      for (const auto& [name, healthy] : snap->checks) {
        if (!checks.empty()) checks += ", ";
        checks += name + (healthy ? " ok" : " failing");
      }
      row.push_back(checks);
      row.push_back(FormatUtcSeconds(h.finished));
    }
    table.rows.push_back(std::move(row));
  }
  if (!table.rows.empty()) tables.push_back(std::move(table));
}

}  // namespace vms::api_server
