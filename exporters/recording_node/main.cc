#include "recording_node/role.h"
#include "vms/app/run_exporter.h"

int main(int argc, char** argv) {
  return vms::RunExporter(argc, argv, vms::recording_node::Definition());
}
