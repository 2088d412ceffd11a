// `lockhub-sim ctl …`: a thin D-Bus client of org.lockhub.Sim1 for scripts and people.
#pragma once

#include <string>
#include <vector>

namespace lockhub::sim {

// Runs one ctl command; prints results on stdout, errors on stderr. Returns the exit code:
// 0 ok, 1 the simulator refused, 2 usage error.
int runCtl(const std::vector<std::string>& args);

}  // namespace lockhub::sim
