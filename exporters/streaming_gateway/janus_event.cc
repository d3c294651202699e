#include "streaming_gateway/janus_event.h"

#include "vms/json/json_parser.h"

namespace vms::streaming_gateway {
namespace {

std::string StringOf(const JsonValue& v, std::string_view key) {
  return std::string(v.FindString(key).value_or(""));
}

// A mountpoint id is a number or, with string_ids, a string.
std::string IdText(const JsonValue* id) {
  if (id == nullptr) return "";
  if (id->is_number()) return std::string(id->NumberText());
  return std::string(id->AsString().value_or(""));
}

// Counters Janus writes as unsigned integers (RTCP "lost" may be written
// negative by a peer that reports duplicates: read as 0).
std::optional<std::uint64_t> Count(const JsonValue& v, std::string_view key) {
  const JsonValue* n = v.Find(key);
  if (n == nullptr || !n->is_number()) return std::nullopt;
  if (auto u = n->AsUint64()) return u;
  if (auto i = n->AsInt64(); i && *i < 0) return 0;
  return std::nullopt;
}

std::optional<JanusMediaStats> StatsOf(const JsonValue& v) {
  // A stats report has counters; a media state event ("receiving") has none.
  if (!v.Find("packets-received") && !v.Find("packets-sent") && !v.Find("base")) {
    return std::nullopt;
  }
  JanusMediaStats s;
  s.mid = StringOf(v, "mid");
  s.media = StringOf(v, "media");
  if (s.mid.empty()) s.mid = s.media;
  s.rtt_ms = v.FindDouble("rtt");
  s.packets_sent = Count(v, "packets-sent");
  s.packets_received = Count(v, "packets-received");
  s.lost = Count(v, "lost");
  s.lost_by_remote = Count(v, "lost-by-remote");
  return s;
}

JanusEvent EventOf(const JsonValue& v, int type) {
  JanusEvent e;
  e.type = type;
  e.subtype = static_cast<int>(v.FindInt64("subtype").value_or(0));
  e.timestamp_us = v.FindUint64("timestamp").value_or(0);
  e.session_id = v.FindUint64("session_id").value_or(0);
  e.handle_id = v.FindUint64("handle_id").value_or(0);
  e.opaque_id = StringOf(v, "opaque_id");
  const JsonValue* body = v.Find("event");
  if (body == nullptr || !body->is_object()) return e;
  switch (type) {
    case kJanusSession:
    case kJanusHandle:
      e.name = StringOf(*body, "name");
      e.plugin = StringOf(*body, "plugin");
      if (e.opaque_id.empty()) e.opaque_id = StringOf(*body, "opaque_id");
      break;
    case kJanusJsep:
      if (const JsonValue* jsep = body->Find("jsep")) e.jsep_type = StringOf(*jsep, "type");
      break;
    case kJanusWebrtc:
      e.ice = StringOf(*body, "ice");
      e.dtls = StringOf(*body, "dtls");
      e.connection = StringOf(*body, "connection");
      e.reason = StringOf(*body, "reason");
      break;
    case kJanusMedia:
      // combine_media_stats puts every stream's report in one "media" array.
      if (const JsonValue::Array* all =
              body->Find("media") ? body->Find("media")->AsArray() : nullptr) {
        for (const JsonValue& m : *all) {
          if (auto s = StatsOf(m)) e.stats.push_back(std::move(*s));
        }
      } else if (auto s = StatsOf(*body)) {
        e.stats.push_back(std::move(*s));
      }
      break;
    case kJanusPlugin:
      e.plugin = StringOf(*body, "plugin");
      if (const JsonValue* data = body->Find("data"); data && data->is_object()) {
        e.mountpoint = IdText(data->Find("id"));
        e.plugin_status = StringOf(*data, "status");
      }
      break;
    case kJanusCore:
      e.core_status = StringOf(*body, "status");
      break;
    default:
      break;
  }
  return e;
}

}  // namespace

Result<JanusParseResult> ParseJanusEvents(std::string_view body, std::size_t max_events) {
  auto doc = ParseJson(body);
  if (!doc) return Status::Error("Janus event body: " + doc.error());
  JanusParseResult out;
  const auto take = [&](const JsonValue& v) {
    const auto type = v.FindInt64("type");
    if (!v.is_object() || !type || *type <= 0 || *type > 1 << 16) {
      ++out.skipped;
      return;
    }
    out.events.push_back(EventOf(v, static_cast<int>(*type)));
  };
  if (const JsonValue::Array* events = doc->AsArray()) {
    if (events->size() > max_events) {
      return Status::Error("Janus event body: " + std::to_string(events->size()) +
                           " events, more than " + std::to_string(max_events));
    }
    out.events.reserve(events->size());
    for (const JsonValue& v : *events) take(v);
  } else if (doc->is_object()) {
    take(*doc);
  } else {
    return Status::Error("Janus event body: neither an event object nor an array of them");
  }
  return out;
}

}  // namespace vms::streaming_gateway
