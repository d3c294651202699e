#include "streaming_gateway/mediamtx_api.h"

#include "vms/json/json_parser.h"

namespace vms::streaming_gateway {
namespace {

std::string StringOf(const JsonValue& v, std::string_view key) {
  return std::string(v.FindString(key).value_or(""));
}

// The new name's value when present, else the deprecated one's.
std::uint64_t Bytes(const JsonValue& v, std::string_view name, std::string_view old_name) {
  if (auto n = v.FindUint64(name)) return *n;
  return v.FindUint64(old_name).value_or(0);
}

template <typename T, typename Item>
Result<MediaMtxPage<T>> ParsePage(std::string_view body, std::string_view what, Item item) {
  auto doc = ParseJson(body);
  if (!doc) return Status::Error("MediaMTX " + std::string(what) + ": " + doc.error());
  const JsonValue::Array* items = doc->Find("items") ? doc->Find("items")->AsArray() : nullptr;
  if (!doc->is_object() || items == nullptr) {
    return Status::Error("MediaMTX " + std::string(what) + ": no \"items\" list");
  }
  MediaMtxPage<T> page;
  page.item_count = static_cast<std::size_t>(doc->FindUint64("itemCount").value_or(items->size()));
  page.page_count = static_cast<std::size_t>(doc->FindUint64("pageCount").value_or(1));
  page.items.reserve(items->size());
  for (const JsonValue& v : *items) {
    if (!v.is_object()) continue;
    if (auto parsed = item(v)) page.items.push_back(std::move(*parsed));
  }
  return page;
}

}  // namespace

Result<MediaMtxInfo> ParseMediaMtxInfo(std::string_view body) {
  auto doc = ParseJson(body);
  if (!doc) return Status::Error("MediaMTX info: " + doc.error());
  if (!doc->is_object()) return Status::Error("MediaMTX info: not an object");
  return MediaMtxInfo{StringOf(*doc, "version"), StringOf(*doc, "started")};
}

Result<MediaMtxPage<MediaMtxPath>> ParseMediaMtxPaths(std::string_view body) {
  return ParsePage<MediaMtxPath>(
      body, "paths", [](const JsonValue& v) -> std::optional<MediaMtxPath> {
        MediaMtxPath p;
        p.name = StringOf(v, "name");
        if (p.name.empty()) return std::nullopt;
        p.available = v.FindBool("available").value_or(v.FindBool("ready").value_or(false));
        if (const JsonValue::Array* readers =
                v.Find("readers") ? v.Find("readers")->AsArray() : nullptr) {
          for (const JsonValue& r : *readers) {
            if (r.is_object()) p.readers.push_back({StringOf(r, "type"), StringOf(r, "id")});
          }
        }
        return p;
      });
}

Result<MediaMtxPage<MediaMtxSession>> ParseMediaMtxSessions(std::string_view body) {
  return ParsePage<MediaMtxSession>(
      body, "sessions", [](const JsonValue& v) -> std::optional<MediaMtxSession> {
        MediaMtxSession s;
        s.id = StringOf(v, "id");
        if (s.id.empty()) return std::nullopt;
        s.path = StringOf(v, "path");
        s.state = StringOf(v, "state");
        s.bytes_sent = Bytes(v, "outboundBytes", "bytesSent");
        s.peer_connection_established = v.FindBool("peerConnectionEstablished");
        return s;
      });
}

Result<MediaMtxPage<MediaMtxMuxer>> ParseMediaMtxMuxers(std::string_view body) {
  return ParsePage<MediaMtxMuxer>(body, "HLS muxers",
                                  [](const JsonValue& v) -> std::optional<MediaMtxMuxer> {
                                    MediaMtxMuxer m;
                                    m.path = StringOf(v, "path");
                                    if (m.path.empty()) return std::nullopt;
                                    m.created = StringOf(v, "created");
                                    m.bytes_sent = Bytes(v, "outboundBytes", "bytesSent");
                                    return m;
                                  });
}

}  // namespace vms::streaming_gateway
