#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vms/base/status.h"
#include "vms/metrics/exposition_text.h"
#include "vms/metrics/metric_writer.h"

namespace vms {

struct ScrapeContext {
  // When the scrape must be answered (from X-Prometheus-Scrape-Timeout-Seconds
  // or the server's default). Collectors that wait on anything stop by then.
  std::chrono::steady_clock::time_point deadline;
};

// A table on the landing page ("Cameras", "Mounts"); cells are plain text and
// are HTML-escaped by the page.
struct StatusTable {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// Produces metric families at scrape time from cheap local reads or from
// snapshots published by background probes. Collect() and CollectText() may
// be called from several threads at once and must not block past
// ctx.deadline. A collector that returns an error or throws loses only its
// own families.
class Collector {
 public:
  virtual ~Collector() = default;
  virtual std::string_view name() const = 0;
  virtual Status Collect(const ScrapeContext& ctx, MetricWriter& out) = 0;
  // Collect()'s families in the text format, appended to `out`; what a
  // scrape sends. The default renders Collect()'s families, reusing the text
  // of those that have not changed since the last scrape. A collector whose
  // families change only when background snapshots do overrides it to reuse
  // the text of what has not changed since it was rendered; the result must
  // still equal rendering Collect() (its tests compare the two). On error
  // `out` may hold part of the text: the caller drops it.
  virtual Status CollectText(const ScrapeContext& ctx, std::string& out);
  // True for a collector whose families may also come from another
  // collector of the role (one metric fed by several sources, told apart by
  // a `source` label): the scrape merges such collectors' texts family by
  // family, so each family has one HELP and TYPE. Their HELP must then be
  // the same text, or the first collector's wins.
  virtual bool shares_families() const { return false; }
  // Rows for the landing page; most collectors have none.
  virtual void AppendStatus(std::vector<StatusTable>& /*tables*/) const {}

 private:
  FamilyTextMemo text_memo_;  // the default CollectText()'s
};

// One entry of a role's collector table: the name gives the
// --collector.NAME / --no-collector.NAME flags.
template <typename Deps>
struct CollectorSpec {
  std::string name;
  std::string help;
  bool enabled_by_default = true;
  std::function<std::unique_ptr<Collector>(Deps&)> make;
};

}  // namespace vms
