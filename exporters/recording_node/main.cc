#include "recording_node/role.h"

int main(int argc, char** argv) { return vms::RunExporter<vms::recording_node::Role>(argc, argv); }
