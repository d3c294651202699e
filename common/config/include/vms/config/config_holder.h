#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "vms/base/file.h"
#include "vms/base/status.h"
#include "vms/config/reload_state.h"
#include "vms/config/yaml_reader.h"

namespace vms {

// The role's current configuration and its reload. A reload parses the whole
// new file first and swaps only if it is valid: a bad file keeps the old
// config serving and sets vms_exporter_config_last_reload_successful 0.
template <typename Config>
class ConfigHolder {
 public:
  // Throws ConfigError naming file:line:column and the key.
  using Parser = std::function<Config(const std::string& text, const std::string& file)>;
  using Subscriber = std::function<void(const Config&)>;

  ConfigHolder(Parser parser, std::string embedded_default, std::string path, ReloadState* state)
      : parser_(std::move(parser)), embedded_(std::move(embedded_default)),
        path_(std::move(path)), state_(state) {}

  // Parses without applying: --config.check and the first load.
  [[nodiscard]] Result<std::shared_ptr<const Config>> Parse() const {
    std::string text = embedded_;
    std::string file = "<embedded default>";
    if (!path_.empty()) {
      auto read = ReadFile(path_);
      if (!read) return Status::Error("reading config: " + read.error());
      text = std::move(*read);
      file = path_;
    }
    // Any exception a parser lets through is a config error, not the end of
    // the exporter: a reload must keep the old config serving.
    try {
      return std::make_shared<const Config>(parser_(text, file));
    } catch (const ConfigError& e) {
      return Status::Error(e.what());
    } catch (const std::exception& e) {
      return Status::Error(file + ": " + e.what());
    }
  }

  // Loads (or reloads) and tells subscribers. Call on the event loop.
  [[nodiscard]] Status Reload() {
    auto parsed = Parse();
    if (!parsed) {
      state_->last_successful = false;
      spdlog::error("configuration not loaded, keeping the previous one: {}", parsed.error());
      return parsed.status();
    }
    for (const auto& subscriber : subscribers_) subscriber(**parsed);
    state_->last_successful = true;
    state_->last_success_unix_seconds =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    spdlog::info("configuration loaded from {}", path_.empty() ? "<embedded default>" : path_);
    return Status::Ok();
  }

  // Called with every newly loaded config, on the event loop.
  void Subscribe(Subscriber fn) { subscribers_.push_back(std::move(fn)); }

 private:
  Parser parser_;
  std::string embedded_;
  std::string path_;
  ReloadState* state_;
  std::vector<Subscriber> subscribers_;
};

}  // namespace vms
