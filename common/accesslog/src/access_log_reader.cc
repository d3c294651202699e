#include "vms/accesslog/access_log_reader.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>

#include "vms/accesslog/access_line_parser.h"

namespace vms {

struct AccessLogReader::Source {
  std::size_t index = 0;
  const AccessLogSourceConfig* config = nullptr;
  // Kept from batch to batch so their strings' storage is reused.
  std::vector<AccessRecord> records;
  bool error_logged = false;
  std::unique_ptr<LogFollower> follower;

  void Parse(std::span<const std::string_view> lines, const AccessRecordConsumer& consumer) {
    if (records.size() < lines.size()) records.resize(lines.size());
    std::size_t parsed = 0;
    for (std::string_view line : lines) {
      Status s = ParseAccessLineInto(config->format, line, records[parsed]);
      if (s.ok()) {
        ++parsed;
      } else if (!error_logged) {
        // Once: a wrong `format:` would otherwise log every line.
        spdlog::warn(
            "access log {}: a line does not parse as {} ({}); such lines are counted in "
            "vms_exporter_log_parse_errors_total",
            config->name, AccessLogFormatName(config->format), s.message());
        error_logged = true;
      }
    }
    if (parsed < lines.size()) follower->AddParseErrors(lines.size() - parsed);
    if (parsed > 0) consumer(index, *config, std::span<const AccessRecord>(records.data(), parsed));
  }
};

AccessLogReader::AccessLogReader(std::vector<AccessLogSourceConfig> sources,
                                 AccessRecordConsumer consumer)
    : configs_(std::move(sources)) {
  auto shared = std::make_shared<const AccessRecordConsumer>(std::move(consumer));
  for (std::size_t i = 0; i < configs_.size(); ++i) {
    auto source = std::make_unique<Source>();
    source->index = i;
    source->config = &configs_[i];
    Source* raw = source.get();
    source->follower = std::make_unique<LogFollower>(
        configs_[i].path, configs_[i].follower,
        [raw, shared](std::span<const std::string_view> lines) { raw->Parse(lines, *shared); });
    sources_.push_back(std::move(source));
  }
}

AccessLogReader::~AccessLogReader() { Stop(); }

void AccessLogReader::Start() {
  for (const AccessLogSourceConfig& c : configs_) {
    const std::string& dir = c.follower.state_dir;
    std::error_code ec;
    if (dir.empty() || std::filesystem::exists(dir, ec)) continue;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      spdlog::warn("access log {}: cannot create checkpoint directory {}: {}", c.name, dir,
                   ec.message());
    }
  }
  for (auto& s : sources_) s->follower->Start();
}

void AccessLogReader::Stop() {
  for (auto& s : sources_) s->follower->Stop();
}

void AccessLogReader::Poll() {
  for (auto& s : sources_) s->follower->Poll();
}

std::vector<NamedLogStats> AccessLogReader::Stats() const {
  std::vector<NamedLogStats> out;
  out.reserve(sources_.size());
  for (const auto& s : sources_) out.push_back({s->config->name, s->follower->Stats()});
  return out;
}

std::unique_ptr<Collector> AccessLogReader::MakeCollector(std::string collector_name) const {
  return std::make_unique<LogFileCollector>(std::move(collector_name), [this] { return Stats(); });
}

}  // namespace vms
