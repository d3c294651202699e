#include "vms/rtsp/rtsp_auth.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "vms/base/auth_challenge.h"
#include "vms/base/text.h"

namespace vms {
namespace {

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
  for (const Challenge& c : ParseChallenges(header_value)) {
    AuthChallenge challenge;
    if (EqualsNoCase(c.scheme, "Basic")) {
      challenge.scheme = AuthChallenge::Scheme::kBasic;
    } else if (EqualsNoCase(c.scheme, "Digest")) {
      challenge.scheme = AuthChallenge::Scheme::kDigest;
    }
    if (const std::string* v = c.Param("realm")) challenge.realm = *v;
    if (const std::string* v = c.Param("nonce")) challenge.nonce = *v;
    if (const std::string* v = c.Param("opaque")) challenge.opaque = *v;
    if (const std::string* v = c.Param("algorithm")) challenge.algorithm = *v;
    if (const std::string* v = c.Param("qop")) challenge.qop = SplitQop(*v);
    if (const std::string* v = c.Param("stale")) challenge.stale = EqualsNoCase(*v, "true");
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
