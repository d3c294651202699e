#include "vms/metrics/collector_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace vms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class FixedCollector : public Collector {
 public:
  enum class Mode { kOk, kError, kThrow };
  FixedCollector(std::string name, Mode mode) : name_(std::move(name)), mode_(mode) {}
  std::string_view name() const override { return name_; }
  Status Collect(const ScrapeContext&, MetricWriter& out) override {
    out.Gauge(name_ + "_value", "A value.").Add({{"k", "v"}}, 42);
    if (mode_ == Mode::kError) return Status::Error("broken on purpose");
    if (mode_ == Mode::kThrow) throw std::runtime_error("thrown on purpose");
    return Status::Ok();
  }

 private:
  std::string name_;
  Mode mode_;
};

// One metric from two sources, as the streaming gateway's MediaMTX and Janus
// collectors both write webrtc_connection_attempts_total.
class SourceCollector : public Collector {
 public:
  explicit SourceCollector(std::string source) : source_(std::move(source)) {}
  std::string_view name() const override { return source_; }
  bool shares_families() const override { return true; }
  Status Collect(const ScrapeContext&, MetricWriter& out) override {
    out.Counter("attempts_total", "Attempts, by source.").Add({{"source", source_}}, 1);
    out.Gauge(source_ + "_up", "Up.").Add({}, 1);
    out.Counter("failures_total", "Failures, by source.").Add({{"source", source_}}, 2);
    return Status::Ok();
  }

 private:
  std::string source_;
};

TEST(CollectorSetTest, FamiliesSharedByCollectorsAreWrittenOnce) {
  CollectorSet set;
  set.Add(std::make_unique<SourceCollector>("janus"));
  set.Add(std::make_unique<FixedCollector>("plain", FixedCollector::Mode::kOk));
  set.Add(std::make_unique<SourceCollector>("mediamtx"));
  const std::string text = set.Scrape({std::chrono::steady_clock::now()});
  EXPECT_THAT(text, HasSubstr("# HELP attempts_total Attempts, by source.\n"
                              "# TYPE attempts_total counter\n"
                              "attempts_total{source=\"janus\"} 1\n"
                              "attempts_total{source=\"mediamtx\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("failures_total{source=\"janus\"} 2\n"
                              "failures_total{source=\"mediamtx\"} 2\n"));
  EXPECT_EQ(text.find("# TYPE attempts_total"), text.rfind("# TYPE attempts_total"));
  EXPECT_THAT(text, HasSubstr("janus_up 1"));
  EXPECT_THAT(text, HasSubstr("mediamtx_up 1"));
  EXPECT_THAT(text, HasSubstr("plain_value{k=\"v\"} 42"));
}

TEST(CollectorSetTest, FailingCollectorLosesOnlyItsOwnFamilies) {
  CollectorSet set;
  set.Add(std::make_unique<FixedCollector>("good", FixedCollector::Mode::kOk));
  set.Add(std::make_unique<FixedCollector>("bad", FixedCollector::Mode::kError));
  set.Add(std::make_unique<FixedCollector>("throws", FixedCollector::Mode::kThrow));
  const std::string text = set.Scrape({std::chrono::steady_clock::now()});
  EXPECT_THAT(text, HasSubstr("good_value{k=\"v\"} 42"));
  EXPECT_THAT(text, Not(HasSubstr("bad_value")));
  EXPECT_THAT(text, Not(HasSubstr("throws_value")));
  EXPECT_THAT(text, HasSubstr("vms_exporter_collector_success{collector=\"good\"} 1"));
  EXPECT_THAT(text, HasSubstr("vms_exporter_collector_success{collector=\"bad\"} 0"));
  EXPECT_THAT(text, HasSubstr("vms_exporter_collector_success{collector=\"throws\"} 0"));
  EXPECT_THAT(text, HasSubstr("vms_exporter_collector_duration_seconds{collector=\"bad\"}"));
}

TEST(CollectorSetTest, TextOfACollectorThatFailsHalfwayIsDropped) {
  class Halfway : public Collector {
   public:
    std::string_view name() const override { return "halfway"; }
    Status Collect(const ScrapeContext&, MetricWriter&) override { return Status::Ok(); }
    Status CollectText(const ScrapeContext&, std::string& out) override {
      out += "# TYPE halfway_value gauge\nhalfway_value 1\n";
      return Status::Error("failed after writing");
    }
  };
  CollectorSet set;
  set.Add(std::make_unique<FixedCollector>("before", FixedCollector::Mode::kOk));
  set.Add(std::make_unique<Halfway>());
  set.Add(std::make_unique<FixedCollector>("after", FixedCollector::Mode::kOk));
  const std::string text = set.Scrape({std::chrono::steady_clock::now()});
  EXPECT_THAT(text, Not(HasSubstr("halfway_value")));
  EXPECT_THAT(text, HasSubstr("before_value{k=\"v\"} 42\n# HELP after_value"));
  EXPECT_THAT(text, HasSubstr("vms_exporter_collector_success{collector=\"halfway\"} 0"));
}

TEST(CollectorSetTest, HistogramIsCumulativeWithInfBucket) {
  class H : public Collector {
   public:
    std::string_view name() const override { return "h"; }
    Status Collect(const ScrapeContext&, MetricWriter& out) override {
      static const double bounds[] = {0.1, 1};
      static const std::uint64_t counts[] = {2, 3};
      out.Histogram("x_seconds", "X.").AddHistogram({{"a", "b"}}, {bounds, counts, 6, 4.5});
      return Status::Ok();
    }
  };
  CollectorSet set;
  set.Add(std::make_unique<H>());
  const std::string text = set.Scrape({std::chrono::steady_clock::now()});
  EXPECT_THAT(text, HasSubstr("x_seconds_bucket{a=\"b\",le=\"0.1\"} 2"));
  EXPECT_THAT(text, HasSubstr("x_seconds_bucket{a=\"b\",le=\"1\"} 5"));
  EXPECT_THAT(text, HasSubstr("x_seconds_bucket{a=\"b\",le=\"+Inf\"} 6"));
  EXPECT_THAT(text, HasSubstr("x_seconds_count{a=\"b\"} 6"));
}

}  // namespace
}  // namespace vms
