#pragma once

#include <openssl/ssl.h>

#include <boost/system/error_code.hpp>
#include <string>
#include <string_view>

#include "vms/base/status.h"
#include "vms/httpclient/http_client_result.h"

namespace vms::internal {

// Per connection, on top of the shared context: SNI for a host name (never
// for an IP literal, RFC 6066), and unless `verify` is false, verification of
// the chain and of `name` (a DNS name or an IP address) against it.
Status PrepareTlsClient(SSL* ssl, std::string_view name, bool verify);

// The negotiated version (after a handshake that succeeded) and the
// certificates' notAfter, which are read even when verification failed: an
// expired certificate's date is what its owner needs to see.
void ReadTlsPeerInfo(SSL* ssl, bool handshake_ok, HttpClientResult& out);

// Why a handshake failed: the certificate verification error when there was
// one ("certificate has expired", "hostname mismatch"), else OpenSSL's.
std::string TlsHandshakeError(SSL* ssl, bool verify, const boost::system::error_code& ec);

}  // namespace vms::internal
