// A real lockhubd process for integration tests, with its own config file and state directory.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/Process.h"

namespace lockhub::testing {

class LockhubdProcess {
public:
    // Writes `configJson` next to the state directory and starts the daemon on it. `prefix` runs
    // before the binary (e.g. setpriv to drop privileges); `env` is added to its environment.
    LockhubdProcess(const std::filesystem::path& dir, const std::string& configJson,
                    std::vector<std::string> prefix = {}, std::string name = "lockhubd",
                    std::map<std::string, std::string> env = {});

    Process& process() { return *process_; }
    const std::filesystem::path& stateDir() const { return stateDir_; }
    const std::filesystem::path& configPath() const { return configPath_; }

    static std::string binary();

private:
    std::filesystem::path stateDir_;
    std::filesystem::path configPath_;
    std::unique_ptr<Process> process_;
};

// The config the tests use: the broker on `port`, the source tree's profiles, defaults for the
// rest; `mqttExtra` is appended inside "mqtt" (e.g. `, "username": "hub"`).
std::string brokerConfig(std::uint16_t port, const std::string& mqttExtra = "");

class MqttProbe;

// Sends a bridge request and returns the parsed response that follows on its response topic, or
// null (with a test failure) when none arrives within `timeout`.
nlohmann::json bridgeRequest(MqttProbe& probe, const std::string& op, const std::string& payload,
                             std::chrono::milliseconds timeout = std::chrono::seconds(5));

struct ReceivedMessage;

// The daemon's availability message saying it is up.
bool isOnline(const ReceivedMessage& message);

}  // namespace lockhub::testing
