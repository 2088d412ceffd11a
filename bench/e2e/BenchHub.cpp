#include "BenchHub.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

using namespace std::chrono_literals;
using nlohmann::json;

namespace lockhub::bench {

using testing::MqttProbe;
using testing::Process;

BenchHub::BenchHub(const HubOptions& options) {
    std::vector<std::string> argv{LOCKHUB_SIM_PATH, "--bus", bus_.address(), "--credentials",
                                  (dir_.path() / "locks.json").string()};
    if (options.simLock.is_null()) {
        argv.insert(argv.end(),
                    {"--locks", std::to_string(options.locks), "--seed", "11", "--known"});
    } else {
        const auto config = dir_.path() / "sim.json";
        json all = json::array();
        for (int i = 0; i < options.locks; ++i) {
            all.push_back(options.simLock);
        }
        std::ofstream(config) << json{{"seed", 11}, {"known", true}, {"locks", all}}.dump();
        argv.insert(argv.end(), {"--config", config.string()});
    }
    sim_ = std::make_unique<Process>("sim", argv, dir_.path());
    need(testing::waitUntil([&] { return sim_->stdoutText().find("ready") != std::string::npos; },
                            10s),
         "lockhub-sim did not start");
    probe_ = std::make_unique<MqttProbe>(broker_.uri(), "lockhub/#");
    const json config = {
        {"log_level", "warning"},
        {"mqtt", {{"port", broker_.port()}}},
        {"bluetooth", {{"bus", bus_.address()}, {"max_connections", options.maxConnections}}},
        {"locks", {{"policy", options.policy}}}};
    std::ofstream(dir_.path() / "lockhubd.json") << config.dump();
    daemon_ = std::make_unique<Process>(
        "lockhubd",
        std::vector<std::string>{LOCKHUBD_PATH, "--config",
                                 (dir_.path() / "lockhubd.json").string(), "--state-dir",
                                 (dir_.path() / "state").string()},
        dir_.path());
    need(!!probe_->waitFor("lockhub/bridge/state", 10s,
                           [](const auto& m) { return m.payload == "online"; }),
         "lockhubd did not come online");
    const auto credentials = json::parse(testing::readFile(dir_.path() / "locks.json"))["locks"];
    for (std::size_t i = 0; i < credentials.size(); ++i) {
        json body = {{"name", "Lock " + std::to_string(i + 1)},
                     {"lock", "lock" + std::to_string(i + 1)}};
        for (const char* key :
             {"mac", "uuid", "local_key", "device_id", "protocol", "product_id"}) {
            body[key] = credentials[i][key];
        }
        const auto before = probe_->messagesOn("lockhub/bridge/response/lock/pair").size();
        probe_->publish("lockhub/bridge/request/lock/pair", body.dump());
        auto reply = probe_->waitFor("lockhub/bridge/response/lock/pair", 30s, nullptr, before);
        need(reply && reply->payload.find("\"status\":\"ok\"") != std::string::npos,
             "pairing failed: " + (reply ? reply->payload : std::string("no answer")));
        need(!!probe_->waitFor("lockhub/" + body["lock"].get<std::string>() + "/availability", 20s,
                               [](const auto& m) { return m.payload == "online"; }),
             "lock did not come online");
    }
}

std::string BenchHub::ctl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{LOCKHUB_SIM_PATH, "ctl", "--bus", bus_.address()};
    argv.insert(argv.end(), args.begin(), args.end());
    Process p("ctl" + std::to_string(calls_++), argv, dir_.path());
    auto status = p.waitExit(10s);
    need(status && status->exited && status->code == 0, "ctl failed: " + p.stderrText());
    return p.stdoutText();
}

long BenchHub::daemonRssKiB() const {
    std::ifstream status("/proc/" + std::to_string(daemon_->pid()) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmRSS:")) {
            return std::stol(line.substr(6));
        }
    }
    throw std::runtime_error("no VmRSS for lockhubd");
}

void BenchHub::need(bool ok, const std::string& what) {
    if (!ok) {
        throw std::runtime_error(what);
    }
}

Stats stats(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    const auto at = [&](double q) {
        return samples[std::min(samples.size() - 1,
                                static_cast<std::size_t>(q * static_cast<double>(samples.size())))];
    };
    return {at(0.5), at(0.99)};
}

}  // namespace lockhub::bench
