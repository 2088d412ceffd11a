#include "scenarios/SimulatedHub.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

namespace lockhub::testing {

using namespace std::chrono_literals;

SimulatedHub::SimulatedHub(SimulatedHubOptions options) : options_(std::move(options)) {
    probe_ = std::make_unique<MqttProbe>(broker_.uri(), "lockhub/#");
    startSim();
    startDaemon();
}

void SimulatedHub::startSim() {
    std::vector<std::string> argv{LOCKHUB_SIM_PATH, "--bus", bus_.address(), "--credentials",
                                  (dir_.path() / "locks.json").string()};
    if (options_.simLocks.empty()) {
        argv.insert(argv.end(), {"--locks", "2", "--seed", "7", "--known"});
    } else {
        const auto config = dir_.path() / "sim.json";
        std::ofstream(config)
            << nlohmann::json{{"seed", 7}, {"known", true}, {"locks", options_.simLocks}}.dump();
        argv.insert(argv.end(), {"--config", config.string()});
    }
    sim_ =
        std::make_unique<Process>("lockhub-sim" + std::to_string(generation_++), argv, dir_.path());
    if (!waitUntil(
            [&] { return sim_->stdoutText().find("lockhub-sim ready") != std::string::npos; },
            10s)) {
        ADD_FAILURE() << "lockhub-sim did not start: " << describe(*sim_);
    }
}

void SimulatedHub::stopSim() {
    sim_->signal(SIGTERM);
    sim_->waitExit(5s);
}

void SimulatedHub::killSim() {
    sim_->signal(SIGKILL);
    sim_->waitExit(5s);
}

void SimulatedHub::restartBroker(std::chrono::milliseconds down) {
    broker_.stop();
    std::this_thread::sleep_for(down);
    broker_.start();
    probe_->reconnect();
}

void SimulatedHub::startDaemon() {
    nlohmann::json config = {
        {"log_level", "debug"},
        {"profiles_dir", LOCKHUB_PROFILES_DIR},
        {"mqtt", {{"port", broker_.port()}}},
        {"bluetooth", {{"bus", bus_.address()}, {"max_connections", options_.maxConnections}}},
        {"locks", {{"policy", options_.policy}, {"command_timeout_s", 5}}},
    };
    config.merge_patch(options_.daemonConfig);
    const auto before = probe_->messagesOn("lockhub/bridge/state").size();
    daemon_ = std::make_unique<LockhubdProcess>(
        dir_.path(), config.dump(), std::vector<std::string>{},
        "lockhubd" + std::to_string(generation_++), options_.daemonEnv);
    // Requests sent before the daemon subscribed would be lost: wait for its "online".
    const auto online = [](const ReceivedMessage& m) { return m.payload == "online"; };
    if (!probe_->waitFor("lockhub/bridge/state", 10s, online, before)) {
        ADD_FAILURE() << "lockhubd did not come online: " << describe(daemon_->process());
    }
}

void SimulatedHub::stopDaemon() {
    daemon_->process().signal(SIGTERM);
    daemon_->process().waitExit(5s);
}

void SimulatedHub::killDaemon() {
    daemon_->process().signal(SIGKILL);
    daemon_->process().waitExit(5s);
}

std::filesystem::path SimulatedHub::database() const {
    return daemon_->stateDir() / "lockhub.db";
}

std::string SimulatedHub::ctl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{LOCKHUB_SIM_PATH, "ctl", "--bus", bus_.address()};
    argv.insert(argv.end(), args.begin(), args.end());
    Process ctl("ctl" + std::to_string(generation_++), argv, dir_.path());
    const auto status = ctl.waitExit(10s);
    if (!status || !status->exited || status->code != 0) {
        ADD_FAILURE() << "lockhub-sim ctl failed: " << describe(ctl);
    }
    return ctl.stdoutText();
}

nlohmann::json SimulatedHub::inspect(const std::string& simLock) {
    return nlohmann::json::parse(ctl({"inspect", simLock}), nullptr, false);
}

nlohmann::json SimulatedHub::credentials(std::size_t index) const {
    std::ifstream in(dir_.path() / "locks.json");
    return nlohmann::json::parse(in)["locks"].at(index);
}

nlohmann::json SimulatedHub::request(const std::string& op, const nlohmann::json& body) {
    return bridgeRequest(*probe_, op, body.dump(), 60s);
}

nlohmann::json SimulatedHub::pair(std::size_t index, const std::string& name) {
    const auto lock = credentials(index);
    return request("lock/pair", {{"mac", lock["mac"]},
                                 {"uuid", lock["uuid"]},
                                 {"local_key", lock["local_key"]},
                                 {"device_id", lock["device_id"]},
                                 {"protocol", lock["protocol"]},
                                 {"product_id", lock["product_id"]},
                                 {"name", name}});
}

std::string SimulatedHub::diagnostics() {
    std::string mqtt;
    for (const auto& m : probe_->messages()) {
        mqtt += m.topic + " " + m.payload.substr(0, 200) + "\n";
    }
    return "--- MQTT ---\n" + mqtt + "--- lockhubd ---\n" + describe(daemon_->process()) +
           "\n--- lockhub-sim ---\n" + describe(*sim_);
}

}  // namespace lockhub::testing
