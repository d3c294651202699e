#include "vms/metrics/collector.h"

#include "vms/metrics/exposition_text.h"

namespace vms {

Status Collector::CollectText(const ScrapeContext& ctx, std::string& out) {
  std::vector<prometheus::MetricFamily> families;
  MetricWriter writer(&families);
  if (Status s = Collect(ctx, writer); !s.ok()) return s;
  AppendFamiliesText(std::move(families), out);
  return Status::Ok();
}

}  // namespace vms
