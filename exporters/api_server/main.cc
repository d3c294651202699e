#include "api_server/role.h"
#include "vms/app/run_exporter.h"

int main(int argc, char** argv) {
  return vms::RunExporter(argc, argv, vms::api_server::Definition());
}
