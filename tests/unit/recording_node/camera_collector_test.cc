// The text a scrape sends is assembled from each camera's sample lines, kept
// between scrapes, and the recorders' text (RecorderCollector), kept between
// their refreshes. It
// must equal Collect()'s families rendered afresh whatever changed in
// between: cameras added, removed or changed by a reload, probe results,
// segment snapshots, recorder scans. A real CameraFleet runs here, with
// probes against a closed local port (refused at once), a recording
// directory and a copy of the fixture /proc.
#include "recording_node/camera_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include "recording_node/recorder_collector.h"
#include "support/subprocess.h"
#include "vms/metrics/exposition_text.h"

namespace vms::recording_node {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// A port nothing listens on: probes are refused at once.
unsigned short ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class CameraCollectorTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::MakeTempDir();
    procfs_ = dir_ + "/proc";
    fs::copy(test::SourcePath("tests/fixtures/host/proc"), procfs_,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    fs::create_directories(dir_ + "/rec/cam1");
    url_ = "rtsp://127.0.0.1:" + std::to_string(ClosedPort());
    MakeCollectors(procfs_);
    io_thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    work_.reset();
    io_.stop();
    io_thread_.join();
    collector_.reset();
    recorders_.reset();
    fleet_.reset();
    fs::remove_all(dir_);
  }

  void MakeCollectors(const std::string& procfs) {
    fleet_ = std::make_shared<CameraFleet>(io_, procfs);
    collector_ = std::make_unique<CameraCollector>(fleet_);
    recorders_ = std::make_unique<RecorderCollector>(fleet_);
  }

  CameraConfig Camera(const std::string& id, const std::string& path) {
    CameraConfig c;
    c.id = id;
    c.url = url_ + path;
    c.probe_interval = 100ms;
    c.probe_timeout = 100ms;
    return c;
  }

  // Apply() runs on the event loop, as a reload does.
  void Apply(std::vector<CameraConfig> cameras) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      fleet_->Apply({cameras, {.scan_interval = 100ms}, 8});
      done.set_value();
    });
    done.get_future().wait();
  }

  // Both collectors' text, as a scrape appends it.
  std::string Text() {
    std::string text;
    for (Collector* c :
         {static_cast<Collector*>(collector_.get()), static_cast<Collector*>(recorders_.get())}) {
      const Status s = c->CollectText(ctx_, text);
      if (!s.ok()) return "error: " + s.message();
    }
    return text;
  }
  std::string Fresh() {
    std::string text;
    for (Collector* c :
         {static_cast<Collector*>(collector_.get()), static_cast<Collector*>(recorders_.get())}) {
      std::vector<prometheus::MetricFamily> families;
      MetricWriter writer(&families);
      const Status s = c->Collect(ctx_, writer);
      if (!s.ok()) return "error: " + s.message();
      AppendFamiliesText(std::move(families), text);
    }
    return text;
  }

  // Probes, passes and scans publish at any moment: compare when nothing
  // changed around the fresh render. Returns the text.
  std::string ExpectTextIsFresh() {
    for (int attempt = 0; attempt < 1000; ++attempt) {
      const std::string before = Text();
      const std::string fresh = Fresh();
      if (Text() != before) continue;
      EXPECT_EQ(before, fresh);
      ++compared_;
      return before;
    }
    ADD_FAILURE() << "the metrics never held still";
    return "";
  }

  // Compares after every change until `done` holds for the text (a wait for
  // the background threads, not a timing assertion).
  std::string CompareUntil(const std::function<bool(const std::string&)>& done) {
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    std::string last;
    while (std::chrono::steady_clock::now() < give_up) {
      const std::string text = ExpectTextIsFresh();
      if (done(text)) return text;
      if (text == last) std::this_thread::sleep_for(5ms);
      last = text;
    }
    ADD_FAILURE() << "gave up waiting; last text:\n" << last;
    return last;
  }

  void SetRecorderCpuTicks(const std::string& utime) {
    const std::string path = procfs_ + "/2201/stat";
    std::ifstream in(path);
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = stat.find(" 0 -1 4194560 1200 0 3 0 ");
    ASSERT_NE(at, std::string::npos);
    const auto start = at + std::string(" 0 -1 4194560 1200 0 3 0 ").size();
    stat.replace(start, stat.find(' ', start) - start, utime);
    std::ofstream(path + ".new") << stat;
    fs::rename(path + ".new", path);
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::thread io_thread_;
  std::string dir_, procfs_, url_;
  std::shared_ptr<CameraFleet> fleet_;
  std::unique_ptr<CameraCollector> collector_;
  std::unique_ptr<RecorderCollector> recorders_;
  const ScrapeContext ctx_{std::chrono::steady_clock::now() + 1h};
  std::atomic<int> compared_{0};
};

auto Has(const std::string& s) {
  return [s](const std::string& text) { return text.find(s) != std::string::npos; };
}

TEST_F(CameraCollectorTextTest, EqualsFreshRenderingAcrossEveryKindOfChange) {
  ExpectTextIsFresh();  // no cameras yet

  CameraConfig cam1 = Camera("cam1", "/cam1");
  cam1.recording_dir = dir_ + "/rec/cam1";
  cam1.recorder_match = "stream1";  // the fixture's ffmpeg, pid 2201
  CameraConfig cam2 = Camera("cam2", "/cam2");
  // Known but not probed yet: no status series, counters at 0. Its first
  // probe falls at a random point of its first day.
  CameraConfig never = Camera("never_probed", "/never");
  never.probe_interval = 24h;
  never.probe_timeout = 1s;
  Apply({cam1, cam2, never});
  std::string text = ExpectTextIsFresh();
  EXPECT_THAT(text, HasSubstr("camera_info{camera_id=\"never_probed\""));

  // Probe results: refused, then counted up probe after probe.
  text = CompareUntil(Has("camera_probes_total{camera_id=\"cam2\"} 3"));
  EXPECT_THAT(text, HasSubstr("camera_connection_state{camera_id=\"cam1\",state=\"refused\"} 1"));
  EXPECT_THAT(text, Not(HasSubstr("camera_connection_status{camera_id=\"never_probed\"}")));
  EXPECT_THAT(text, HasSubstr("camera_probes_total{camera_id=\"never_probed\"} 0"));

  // A segment appears and grows: new segment snapshots.
  std::ofstream(dir_ + "/rec/cam1/20250101-000000.ts") << std::string(1000, 'x');
  CompareUntil(Has("recording_storage_bytes{camera_id=\"cam1\"} 1000"));
  std::ofstream(dir_ + "/rec/cam1/20250101-000000.ts", std::ios::app) << std::string(500, 'y');
  CompareUntil(Has("recording_storage_bytes{camera_id=\"cam1\"} 1500"));

  // The recorder scan: the recorder's CPU time moves.
  text = CompareUntil(Has("ffmpeg_process_up{camera_id=\"cam1\"} 1"));
  SetRecorderCpuTicks("145000");
  CompareUntil([&](const std::string& t) {
    return t.find("ffmpeg_process_cpu_seconds_total{camera_id=\"cam1\"} 1500") != std::string::npos;
  });

  // Reloads: a camera removed, one added, one changed (a new URL).
  CameraConfig cam3 = Camera("cam3", "/cam3");
  Apply({cam1, never, cam3});
  text = CompareUntil(Has("camera_probes_total{camera_id=\"cam3\"} 1"));
  EXPECT_THAT(text, Not(HasSubstr("camera_id=\"cam2\"")));
  cam3.url = url_ + "/other";
  Apply({cam1, never, cam3});
  text = ExpectTextIsFresh();
  Apply({cam1, cam2, never, cam3});
  text = CompareUntil(Has("camera_probes_total{camera_id=\"cam2\"} 2"));
  EXPECT_THAT(text, HasSubstr("camera_probes_total{camera_id=\"cam3\"}"));
  EXPECT_GT(compared_, 10);
}

TEST_F(CameraCollectorTextTest, ConcurrentScrapesEqualFreshRendering) {
  Apply({Camera("cam1", "/cam1"), Camera("cam2", "/cam2")});
  CompareUntil(Has("camera_probes_total{camera_id=\"cam2\"} 1"));
  // Two HTTP workers scrape at once while probes publish.
  const int before = compared_;
  auto scraper = [&] {
    for (int i = 0; i < 200; ++i) ExpectTextIsFresh();
  };
  std::thread a(scraper), b(scraper);
  a.join();
  b.join();
  EXPECT_EQ(compared_ - before, 400);
}

// The segment analysis' last error is on the landing page, and goes when
// the problem does.
TEST_F(CameraCollectorTextTest, TheLandingPageShowsTheSegmentAnalysisError) {
  CameraConfig cam1 = Camera("cam1", "/cam1");
  cam1.recording_dir = dir_ + "/rec/missing";
  Apply({cam1});
  auto note = [&] {
    std::vector<StatusTable> tables;
    collector_->AppendStatus(tables);
    return tables.at(0).rows.at(0).back();
  };
  std::string text;
  for (int i = 0; i < 3000 && (text = note()).find("error") == std::string::npos; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_THAT(text, HasSubstr("error: "));
  EXPECT_THAT(text, HasSubstr(dir_ + "/rec/missing"));
  fs::create_directories(dir_ + "/rec/missing");
  for (int i = 0; i < 3000 && (text = note()).find("error") != std::string::npos; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_THAT(text, HasSubstr("analysed"));
  EXPECT_THAT(text, Not(HasSubstr("error")));
}

// Recorders are a collector of their own: when /proc cannot be read, their
// families are lost and the scrape says so, but every camera_* family stays.
TEST_F(CameraCollectorTextTest, AProcFailureLosesOnlyTheRecorders) {
  MakeCollectors(dir_ + "/no-such-proc");
  CameraConfig cam1 = Camera("cam1", "/cam1");
  cam1.recording_dir = dir_ + "/rec/cam1";
  Apply({cam1});
  std::string cameras;
  for (int i = 0;
       i < 3000 && cameras.find("camera_probes_total{camera_id=\"cam1\"} 1") == std::string::npos;
       ++i) {
    cameras.clear();
    ASSERT_TRUE(collector_->CollectText(ctx_, cameras).ok());
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_THAT(cameras, HasSubstr("camera_connection_status{camera_id=\"cam1\"} 0"));
  EXPECT_THAT(cameras, HasSubstr("recording_storage_bytes{camera_id=\"cam1\"}"));
  Status recorders;
  for (int i = 0; i < 3000; ++i) {  // until the scan thread has tried
    std::string text;
    recorders = recorders_->CollectText(ctx_, text);
    if (!recorders.ok()) break;
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_FALSE(recorders.ok());
  EXPECT_THAT(recorders.message(), HasSubstr("no-such-proc"));
}

}  // namespace
}  // namespace vms::recording_node
