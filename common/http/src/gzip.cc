#include <zlib.h>

#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>

#include "vms/base/text.h"
#include "vms/http/http_server.h"

namespace vms {

std::string GzipCompress(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer. Level 1:
  // exposition text compresses ~10x even at the fastest level, and a scrape
  // must stay cheap.
  if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

Result<std::string> GzipDecompress(std::string_view data, std::size_t max_bytes) {
  z_stream zs{};
  // windowBits 15 + 32: zlib reads the gzip or zlib header, whichever it is.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::Error("inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      const std::string why = zs.msg ? zs.msg : (rc == Z_BUF_ERROR ? "truncated" : "corrupt");
      inflateEnd(&zs);
      return Status::Error("inflating body: " + why);
    }
    const std::size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > max_bytes) {
      inflateEnd(&zs);
      return Status::Error("inflating body: more than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(chunk, produced);
  }
  const bool trailing = zs.avail_in != 0;
  inflateEnd(&zs);
  if (trailing) return Status::Error("inflating body: bytes after the end of the stream");
  return out;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  // Entries look like "gzip", "gzip;q=0.5", "*;q=0"; gzip with q=0 refuses it.
  std::size_t pos = 0;
  while (pos <= accept_encoding.size()) {
    auto end = accept_encoding.find(',', pos);
    if (end == std::string_view::npos) end = accept_encoding.size();
    std::string_view item = accept_encoding.substr(pos, end - pos);
    pos = end + 1;
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) {
      item.remove_prefix(1);
    }
    const auto semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    while (!coding.empty() && std::isspace(static_cast<unsigned char>(coding.back()))) {
      coding.remove_suffix(1);
    }
    if (coding != "gzip" && coding != "x-gzip") continue;
    if (semi == std::string_view::npos) return true;
    std::string params(item.substr(semi + 1));
    std::erase_if(params, [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    if (params.starts_with("q=")) {
      double q = 0;
      return ParseNumber(std::string_view(params).substr(2), q) && q > 0;
    }
    return true;
  }
  return false;
}

}  // namespace vms
