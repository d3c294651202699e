#pragma once

#include <pthread.h>

namespace vms {

// Names the calling thread (at most 15 characters), so `top -H`, `ps -L` and
// /proc/PID/task/TID/comm tell an exporter's threads apart.
inline void NameThisThread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace vms
