#include "vms/metrics/collector.h"

namespace vms {

Status Collector::CollectText(const ScrapeContext& ctx, std::string& out) {
  std::vector<prometheus::MetricFamily> families;
  MetricWriter writer(&families);
  if (Status s = Collect(ctx, writer); !s.ok()) return s;
  text_memo_.Append(std::move(families), out);
  return Status::Ok();
}

}  // namespace vms
