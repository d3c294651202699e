#include "vms/rtsp/camera_state.h"

namespace vms {

std::string_view CameraStateName(CameraState state) {
  switch (state) {
    case CameraState::kOk:
      return "ok";
    case CameraState::kUnauthorized:
      return "unauthorized";
    case CameraState::kNotFound:
      return "not_found";
    case CameraState::kOverloaded:
      return "overloaded";
    case CameraState::kRefused:
      return "refused";
    case CameraState::kTimeout:
      return "timeout";
    case CameraState::kUnreachable:
      return "unreachable";
    case CameraState::kProtocolError:
      return "protocol_error";
    case CameraState::kLockedOut:
      return "locked_out";
  }
  return "unknown";
}

}  // namespace vms
