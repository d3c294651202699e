#include "streaming_gateway/role.h"

int main(int argc, char** argv) { return vms::RunExporter<vms::streaming_gateway::Role>(argc, argv); }
