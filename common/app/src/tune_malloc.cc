#include <malloc.h>

#include "vms/app/run_exporter.h"

namespace vms {

void TuneMalloc() {
  // Two arenas are plenty for an exporter's few threads; one arena per
  // thread kept each HTTP worker's freed scrape buffers mapped. A fixed
  // mmap threshold would keep the segment analyzer's megabyte windows out
  // of the arenas too, but then each window is page-faulted in zeroed from
  // the kernel: +1.4 points of a core for 64 cameras in the benchmark, more
  // than the memory is worth (docs/benchmarks.md).
  mallopt(M_ARENA_MAX, 2);
}

}  // namespace vms
