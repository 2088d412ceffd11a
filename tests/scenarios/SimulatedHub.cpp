#include "scenarios/SimulatedHub.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

namespace lockhub::testing {

using namespace std::chrono_literals;

SimulatedHub::SimulatedHub(SimulatedHubOptions options) : options_(std::move(options)) {
    probe_ = std::make_unique<MqttProbe>(broker_.uri(), "lockhub/#");
    startSim();
    startDaemon();
}

namespace {

std::string hex(const std::string& text) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out;
}

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

SimulatedHubOptions codeHubOptions() {
    SimulatedHubOptions options;
    options.daemonConfig = {{"codes", {{"require_clock_sync", false}}}};
    return options;
}

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string isoUtc(std::int64_t unixSeconds) {
    const std::time_t time = unixSeconds;
    std::tm tm{};
    gmtime_r(&time, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

SimulatedHub::~SimulatedHub() {
    std::vector<std::string> keys;
    std::ifstream in(dir_.path() / "locks.json");
    const auto locks = nlohmann::json::parse(in, nullptr, false);
    if (locks.is_object() && locks.contains("locks")) {
        for (const auto& lock : locks["locks"]) {
            const auto key = lock.value("local_key", "");
            if (!key.empty()) {
                keys.insert(keys.end(), {key, hex(key)});
            }
        }
    }
    std::string published;        // everything the hub published
    std::string publishedNoCode;  // less the responses that hand out codes
    for (const auto& m : probe_->messages()) {
        if (m.topic.starts_with("lockhub/bridge/request/") || m.topic.ends_with("/set")) {
            continue;
        }
        const std::string line = m.topic + " " + m.payload + "\n";
        published += line;
        if (m.topic != "lockhub/bridge/response/code/issue" &&
            m.topic != "lockhub/bridge/response/code/revoke") {
            publishedNoCode += line;
        }
    }
    const std::string output = daemonOutput();
    const std::string stored = storedBytes();
    const auto expectNowhere = [&](const std::string& secret, const std::string& mqtt) {
        EXPECT_EQ(mqtt.find(secret), std::string::npos) << "a secret on MQTT";
        EXPECT_EQ(output.find(secret), std::string::npos) << "a secret in lockhubd's output";
        EXPECT_EQ(stored.find(secret), std::string::npos) << "a secret in the database files";
    };
    for (const auto& key : keys) {
        expectNowhere(key, published);
    }
    for (const auto& code : codes_) {
        expectNowhere(code, publishedNoCode);
    }
    for (const auto& code : sealedCodes_) {
        expectNowhere(code, published);
    }
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
    if (daemon_) {
        pastDaemonOutput_ += daemon_->process().stdoutText() + daemon_->process().stderrText();
    }
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

std::string SimulatedHub::storedBytes() const {
    std::string stored;
    if (!daemon_) {
        return stored;
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        stored += fileBytes(database().string() + suffix);
    }
    return stored;
}

std::string SimulatedHub::daemonOutput() const {
    return pastDaemonOutput_ +
           (daemon_ ? daemon_->process().stdoutText() + daemon_->process().stderrText() : "");
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
