#pragma once

#include <string_view>

namespace vms {

// How the last probe of a camera ended (camera_connection_state).
enum class CameraState {
  kOk,             // DESCRIBE 200 with an SDP holding a video track
  kUnauthorized,   // 401/403
  kNotFound,       // 404
  kOverloaded,     // 453 Not Enough Bandwidth, 503 Service Unavailable
  kRefused,        // ECONNREFUSED
  kTimeout,        // the deadline passed (a frozen camera)
  kUnreachable,    // DNS failure, EHOSTUNREACH, ENETUNREACH
  kProtocolError,  // not RTSP, malformed or oversized answer, bad SDP, no video track
  kLockedOut,      // not probed: credentials were refused, waiting for new ones or the back-off
};
inline constexpr CameraState kAllCameraStates[] = {
    CameraState::kOk,          CameraState::kUnauthorized,  CameraState::kNotFound,
    CameraState::kOverloaded,  CameraState::kRefused,       CameraState::kTimeout,
    CameraState::kUnreachable, CameraState::kProtocolError, CameraState::kLockedOut};
// "ok", "unauthorized", ... as in the state label.
std::string_view CameraStateName(CameraState state);

}  // namespace vms
