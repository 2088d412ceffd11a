// lockhubd entry point: arguments, configuration and logging set-up, then the daemon.
#include <iostream>

#include "adapters/systemd/JournalSink.h"
#include "daemon/Daemon.h"

using namespace lockhub;
using namespace lockhub::daemon;

int main(int argc, char** argv) {
    const auto parsed = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (!parsed.options) {
        std::cerr << "lockhubd: " << parsed.error << "\n\n" << usage();
        return kExitUsage;
    }
    const Options& options = *parsed.options;
    if (options.help) {
        std::cout << usage();
        return kExitOk;
    }
    if (options.version) {
        std::cout << "lockhubd " << LOCKHUB_VERSION << "\n";
        return kExitOk;
    }
    if (adapters::systemd::journalRequested()) {
        log::setSink(adapters::systemd::journalSink());
    }
    auto config = loadConfig(options);
    if (!config) {
        std::cerr << "lockhubd: invalid configuration: " << config.error().message << "\n";
        return kExitConfig;
    }
    if (options.checkConfig) {
        std::cout << "lockhubd: configuration OK\n";
        return kExitOk;
    }
    log::setLevel(config->logLevel);
    auto password = loadMqttPassword(config->mqtt);
    if (!password) {
        std::cerr << "lockhubd: invalid configuration: " << password.error().message << "\n";
        return kExitConfig;
    }
    Daemon daemon(options, std::move(*config), std::move(*password), chooseStateDir(options));
    return daemon.run();
}
