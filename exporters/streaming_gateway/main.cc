#include "streaming_gateway/role.h"
#include "vms/app/run_exporter.h"

int main(int argc, char** argv) {
  return vms::RunExporter(argc, argv, vms::streaming_gateway::Definition());
}
