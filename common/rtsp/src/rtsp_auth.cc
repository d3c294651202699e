#include "vms/rtsp/rtsp_auth.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "vms/base/text.h"

namespace vms {
namespace {

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A cursor over a header value, following RFC 7235's auth grammar loosely
// enough for cameras (which put spaces where they like).
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s) {}
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= s_.size();
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string_view Token() {
    SkipSpace();
    const std::size_t start = pos_;
    while (pos_ < s_.size() && IsTokenChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  // A token or a quoted string (with backslash escapes).
  std::optional<std::string> Value() {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '"') {
      ++pos_;
      std::string out;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        out.push_back(s_[pos_++]);
      }
      if (pos_ >= s_.size()) return std::nullopt;
      ++pos_;
      return out;
    }
    const std::string_view token = Token();
    return std::string(token);
  }
  std::size_t pos() const { return pos_; }
  void set_pos(std::size_t pos) { pos_ = pos; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::vector<std::string> SplitQop(std::string_view value) {
  std::vector<std::string> out;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

enum class Hash { kMd5, kSha256 };

struct DigestAlgorithm {
  Hash hash;
  bool session;
};

std::optional<DigestAlgorithm> LookupAlgorithm(std::string_view name) {
  if (name.empty() || EqualsNoCase(name, "MD5")) return DigestAlgorithm{Hash::kMd5, false};
  if (EqualsNoCase(name, "MD5-sess")) return DigestAlgorithm{Hash::kMd5, true};
  if (EqualsNoCase(name, "SHA-256")) return DigestAlgorithm{Hash::kSha256, false};
  if (EqualsNoCase(name, "SHA-256-sess")) return DigestAlgorithm{Hash::kSha256, true};
  return std::nullopt;
}

std::string HexDigest(Hash hash, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const EVP_MD* md = hash == Hash::kMd5 ? EVP_md5() : EVP_sha256();
  // EVP_Digest only fails on allocation failure; an empty digest then makes
  // the camera answer 401, which is reported, not hidden.
  if (EVP_Digest(data.data(), data.size(), digest, &length, md, nullptr) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

std::string Quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::vector<AuthChallenge> ParseAuthChallenges(std::string_view header_value) {
  std::vector<AuthChallenge> out;
  Tokenizer t(header_value);
  while (!t.AtEnd()) {
    if (t.Consume(',')) continue;
    const std::string_view scheme = t.Token();
    if (scheme.empty()) break;  // junk: keep what was parsed
    AuthChallenge challenge;
    if (EqualsNoCase(scheme, "Basic")) {
      challenge.scheme = AuthChallenge::Scheme::kBasic;
    } else if (EqualsNoCase(scheme, "Digest")) {
      challenge.scheme = AuthChallenge::Scheme::kDigest;
    }
    bool ok = true;
    // auth-params until the next scheme: a token followed by something other
    // than '=' starts a new challenge.
    while (!t.AtEnd()) {
      const std::size_t mark = t.pos();
      if (t.Consume(',')) continue;
      const std::string_view name = t.Token();
      if (name.empty() || !t.Consume('=')) {
        t.set_pos(mark);
        break;
      }
      const std::optional<std::string> value = t.Value();
      if (!value) {
        ok = false;
        break;
      }
      if (EqualsNoCase(name, "realm")) {
        challenge.realm = *value;
      } else if (EqualsNoCase(name, "nonce")) {
        challenge.nonce = *value;
      } else if (EqualsNoCase(name, "opaque")) {
        challenge.opaque = *value;
      } else if (EqualsNoCase(name, "algorithm")) {
        challenge.algorithm = *value;
      } else if (EqualsNoCase(name, "qop")) {
        challenge.qop = SplitQop(*value);
      } else if (EqualsNoCase(name, "stale")) {
        challenge.stale = EqualsNoCase(*value, "true");
      }
    }
    if (!ok) break;
    if (challenge.scheme == AuthChallenge::Scheme::kDigest && challenge.nonce.empty()) continue;
    out.push_back(std::move(challenge));
  }
  return out;
}

std::optional<AuthChallenge> ChooseChallenge(const std::vector<AuthChallenge>& challenges) {
  const AuthChallenge* best = nullptr;
  int best_rank = 0;
  for (const auto& c : challenges) {
    int rank = 0;
    if (c.scheme == AuthChallenge::Scheme::kBasic) {
      rank = 1;
    } else if (c.scheme == AuthChallenge::Scheme::kDigest) {
      const auto algorithm = LookupAlgorithm(c.algorithm);
      if (algorithm) rank = algorithm->hash == Hash::kSha256 ? 3 : 2;
    }
    if (rank > best_rank) {
      best = &c;
      best_rank = rank;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

std::string BuildBasicAuthorization(std::string_view user, std::string_view password) {
  return "Basic " + EncodeBase64(std::string(user) + ':' + std::string(password));
}

std::optional<std::string> BuildDigestAuthorization(const AuthChallenge& challenge,
                                                    std::string_view user,
                                                    std::string_view password,
                                                    const DigestRequest& request) {
  const auto algorithm = LookupAlgorithm(challenge.algorithm);
  if (!algorithm) return std::nullopt;
  const auto h = [&](std::string_view data) { return HexDigest(algorithm->hash, data); };

  std::string qop;
  for (const auto& offered : challenge.qop) {
    if (EqualsNoCase(offered, "auth")) qop = "auth";
  }
  if (qop.empty()) {
    for (const auto& offered : challenge.qop) {
      if (EqualsNoCase(offered, "auth-int")) qop = "auth-int";
    }
  }
  if (qop.empty() && !challenge.qop.empty()) return std::nullopt;

  char nc[9];
  std::snprintf(nc, sizeof(nc), "%08x", request.nc);

  std::string ha1 = h(std::string(user) + ':' + challenge.realm + ':' + std::string(password));
  if (algorithm->session) {
    ha1 = h(ha1 + ':' + challenge.nonce + ':' + std::string(request.cnonce));
  }
  std::string a2 = std::string(request.method) + ':' + std::string(request.uri);
  if (qop == "auth-int") a2 += ':' + h("");  // DESCRIBE and OPTIONS carry no body
  const std::string ha2 = h(a2);

  std::string response;
  if (qop.empty()) {
    response = h(ha1 + ':' + challenge.nonce + ':' + ha2);
  } else {
    response = h(ha1 + ':' + challenge.nonce + ':' + nc + ':' + std::string(request.cnonce) + ':' +
                 qop + ':' + ha2);
  }

  std::string out = "Digest username=" + Quote(user) + ", realm=" + Quote(challenge.realm) +
                    ", nonce=" + Quote(challenge.nonce) + ", uri=" + Quote(request.uri) +
                    ", response=" + Quote(response);
  if (!challenge.algorithm.empty()) out += ", algorithm=" + challenge.algorithm;
  if (!challenge.opaque.empty()) out += ", opaque=" + Quote(challenge.opaque);
  if (!qop.empty()) {
    out += ", qop=" + qop + ", nc=" + nc + ", cnonce=" + Quote(request.cnonce);
  }
  return out;
}

}  // namespace vms
