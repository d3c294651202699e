#include "api_server/role.h"

int main(int argc, char** argv) { return vms::RunExporter<vms::api_server::Role>(argc, argv); }
