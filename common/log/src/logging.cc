#include "vms/log/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <ctime>

namespace vms {
namespace {

void AppendJsonEscaped(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
}

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    default: return "error";
  }
}

class RecordFormatter : public spdlog::formatter {
 public:
  explicit RecordFormatter(bool json) : json_(json) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto t = std::chrono::system_clock::to_time_t(msg.time);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        msg.time.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char ts[64];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const std::string line =
        json_ ? FormatJson(ts, LevelName(msg.level), text) : FormatLogfmt(ts, LevelName(msg.level), text);
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<RecordFormatter>(json_);
  }

 private:
  bool json_;
};

}  // namespace

std::string FormatLogfmt(std::string_view time, std::string_view level, std::string_view msg) {
  std::string out = "ts=";
  out += time;
  out += " level=";
  out += level;
  out += " msg=\"";
  AppendJsonEscaped(out, msg);  // logfmt quoting uses the same escapes
  out += "\"\n";
  return out;
}

std::string FormatJson(std::string_view time, std::string_view level, std::string_view msg) {
  std::string out = "{\"ts\":\"";
  out += time;
  out += "\",\"level\":\"";
  out += level;
  out += "\",\"msg\":\"";
  AppendJsonEscaped(out, msg);
  out += "\"}\n";
  return out;
}

Status SetupLogging(std::string_view level, std::string_view format) {
  spdlog::level::level_enum lvl;
  if (level == "debug") lvl = spdlog::level::debug;
  else if (level == "info") lvl = spdlog::level::info;
  else if (level == "warn") lvl = spdlog::level::warn;
  else if (level == "error") lvl = spdlog::level::err;
  else return Status::Error("--log.level must be debug, info, warn or error, not \"" + std::string(level) + "\"");
  if (format != "logfmt" && format != "json") {
    return Status::Error("--log.format must be logfmt or json, not \"" + std::string(format) + "\"");
  }
  auto logger = std::make_shared<spdlog::logger>("vms", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_formatter(std::make_unique<RecordFormatter>(format == "json"));
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

}  // namespace vms
