#include "integration/daemon/LockhubdProcess.h"

#include <fstream>

namespace lockhub::testing {

std::string LockhubdProcess::binary() {
    return LOCKHUBD_PATH;
}

std::string brokerConfig(std::uint16_t port, const std::string& mqttExtra) {
    return R"({"log_level": "debug", "profiles_dir": ")" + std::string(LOCKHUB_PROFILES_DIR) +
           R"(", "mqtt": {"port": )" + std::to_string(port) + mqttExtra + "}}";
}

LockhubdProcess::LockhubdProcess(const std::filesystem::path& dir, const std::string& configJson,
                                 std::vector<std::string> prefix, std::string name)
    : stateDir_(dir / "state"), configPath_(dir / (name + ".json")) {
    std::ofstream(configPath_) << configJson;
    std::vector<std::string> argv = std::move(prefix);
    for (const auto& arg : {binary(), std::string("--config"), configPath_.string(),
                            std::string("--state-dir"), stateDir_.string()}) {
        argv.push_back(arg);
    }
    process_ = std::make_unique<Process>(std::move(name), std::move(argv), dir);
}

}  // namespace lockhub::testing
