#include "daemon/CommandLine.h"

namespace lockhub::daemon {

std::string usage() {
    return "Usage: lockhubd [--config FILE] [--state-dir DIR] [--check-config]\n"
           "       lockhubd --version | --help\n"
           "\n"
           "Bridges Tuya BLE smart locks to MQTT.\n"
           "\n"
           "  --config FILE    configuration (default /etc/lockhub/lockhubd.json; if that file\n"
           "                   does not exist, built-in defaults are used)\n"
           "  --state-dir DIR  database and keys (default $STATE_DIRECTORY, else "
           "/var/lib/lockhub)\n"
           "  --check-config   validate the configuration and exit (0 valid, 78 invalid)\n"
           "  --version        print the version and exit\n"
           "  --help           print this help and exit\n"
           "\n"
           "Signals: SIGTERM/SIGINT stop cleanly, SIGHUP re-reads the configuration.\n";
}

ParsedArgs parseCommandLine(const std::vector<std::string>& args) {
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size() || args[i + 1].empty()) {
                return std::nullopt;
            }
            return args[++i];
        };
        if (arg == "--config") {
            auto v = value();
            if (!v) {
                return {std::nullopt, "--config needs a file name"};
            }
            options.configPath = *v;
            options.configGiven = true;
        } else if (arg == "--state-dir") {
            auto v = value();
            if (!v) {
                return {std::nullopt, "--state-dir needs a directory"};
            }
            options.stateDir = *v;
        } else if (arg == "--check-config") {
            options.checkConfig = true;
        } else if (arg == "--version") {
            options.version = true;
        } else if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else {
            return {std::nullopt, "unknown argument \"" + arg + "\""};
        }
    }
    return {options, {}};
}

}  // namespace lockhub::daemon
