#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lockhub::daemon {

struct Options {
    std::string configPath = "/etc/lockhub/lockhubd.json";
    bool configGiven = false;  // an explicit --config must exist; the default path may not
    std::optional<std::string> stateDir;
    bool checkConfig = false;
    bool version = false;
    bool help = false;
};

struct ParsedArgs {
    std::optional<Options> options;
    std::string error;  // set when options is empty
};

ParsedArgs parseCommandLine(const std::vector<std::string>& args);
std::string usage();

}  // namespace lockhub::daemon
