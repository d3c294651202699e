#include <malloc.h>

#include "vms/app/run_exporter.h"

namespace vms {

void TuneMalloc() {
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  mallopt(M_TRIM_THRESHOLD, 512 * 1024);
  mallopt(M_ARENA_MAX, 2);
}

}  // namespace vms
