#include "integration/daemon/LockhubdProcess.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/MqttProbe.h"

namespace lockhub::testing {

std::string LockhubdProcess::binary() {
    return LOCKHUBD_PATH;
}

std::string brokerConfig(std::uint16_t port, const std::string& mqttExtra) {
    return R"({"log_level": "debug", "profiles_dir": ")" + std::string(LOCKHUB_PROFILES_DIR) +
           R"(", "mqtt": {"port": )" + std::to_string(port) + mqttExtra + "}}";
}

LockhubdProcess::LockhubdProcess(const std::filesystem::path& dir, const std::string& configJson,
                                 std::vector<std::string> prefix, std::string name,
                                 std::map<std::string, std::string> env)
    : stateDir_(dir / "state"), configPath_(dir / (name + ".json")) {
    std::ofstream(configPath_) << configJson;
    std::vector<std::string> argv = std::move(prefix);
    for (const auto& arg : {binary(), std::string("--config"), configPath_.string(),
                            std::string("--state-dir"), stateDir_.string()}) {
        argv.push_back(arg);
    }
    process_ = std::make_unique<Process>(std::move(name), std::move(argv), dir, std::move(env));
}

nlohmann::json bridgeRequest(MqttProbe& probe, const std::string& op, const std::string& payload,
                             std::chrono::milliseconds timeout) {
    const std::string topic = "lockhub/bridge/response/" + op;
    const auto before = probe.messagesOn(topic).size();
    probe.publish("lockhub/bridge/request/" + op, payload);
    auto response = probe.waitFor(topic, timeout, nullptr, before);
    if (!response) {
        ADD_FAILURE() << "no response on " << topic;
        return nlohmann::json();
    }
    return nlohmann::json::parse(response->payload);
}

bool isOnline(const ReceivedMessage& message) {
    return message.payload == "online";
}

}  // namespace lockhub::testing
