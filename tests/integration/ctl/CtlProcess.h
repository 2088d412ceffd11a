// Runs the built lockhubctl as a user would and captures what it printed and how it ended.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/Process.h"

namespace lockhub::testing {

struct CtlResult {
    int code = -1;  // exit status; -1 when it did not end in time or died of a signal
    std::string out;
    std::string err;
};

// lockhubctl `args` with output files in `dir`; waits up to `wait` for it to end.
CtlResult runCtl(const std::filesystem::path& dir, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {},
                 std::chrono::milliseconds wait = std::chrono::seconds(90));

// Starts lockhubctl without waiting (watch, enrol): the caller waits on the process.
std::unique_ptr<Process> startCtl(const std::filesystem::path& dir,
                                  const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& env = {});

// "lockhubctl:<login>", as lockhubctl names its user (getlogin, else the effective user).
std::string expectedActor();

}  // namespace lockhub::testing
