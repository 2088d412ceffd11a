#include "BenchHub.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

using namespace std::chrono_literals;
using nlohmann::json;

namespace lockhub::bench {

using testing::MqttProbe;
using testing::Process;

BenchHub::BenchHub(const HubOptions& options) : locks_(options.locks) {
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
    json config = {
        {"log_level", "warning"},
        {"mqtt", {{"port", broker_.port()}}},
        {"bluetooth", {{"bus", bus_.address()}, {"max_connections", options.maxConnections}}},
        {"locks", {{"policy", options.policy}}}};
    if (options.daemonConfig.is_object()) {
        config.merge_patch(options.daemonConfig);
    }
    std::ofstream(dir_.path() / "lockhubd.json") << config.dump();
    startDaemon();
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

void BenchHub::startDaemon() {
    const auto before = probe_->messagesOn("lockhub/bridge/state").size();
    // LOCKHUB_BENCH_LOCKHUBD: another build's lockhubd, to compare two builds in the same hour.
    const char* other = std::getenv("LOCKHUB_BENCH_LOCKHUBD");
    daemon_ = std::make_unique<Process>(
        "lockhubd",
        std::vector<std::string>{other != nullptr ? other : LOCKHUBD_PATH, "--config",
                                 (dir_.path() / "lockhubd.json").string(), "--state-dir",
                                 (dir_.path() / "state").string()},
        dir_.path());
    need(!!probe_->waitFor(
             "lockhub/bridge/state", 10s, [](const auto& m) { return m.payload == "online"; },
             before),
         "lockhubd did not come online");
}

void BenchHub::restartDaemon(
    const std::function<void(const std::filesystem::path& database)>& whileStopped) {
    daemon_->signal(SIGTERM);
    need(daemon_->waitExit(10s).has_value(), "lockhubd did not stop");
    whileStopped(dir_.path() / "state" / "lockhub.db");
    startDaemon();
}

std::string BenchHub::ctl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{LOCKHUB_SIM_PATH, "ctl", "--bus", bus_.address()};
    argv.insert(argv.end(), args.begin(), args.end());
    Process p("ctl" + std::to_string(calls_++), argv, dir_.path());
    auto status = p.waitExit(10s);
    need(status && status->exited && status->code == 0, "ctl failed: " + p.stderrText());
    return p.stdoutText();
}

BurstFigures BenchHub::burst(int perLock) {
    const auto isEvent = [](const std::string& topic) {
        return topic.starts_with("lockhub/lock") && topic.ends_with("/event");
    };
    const std::size_t before = probe_->tally(isEvent).count;
    std::optional<Clock::time_point> first;
    for (int i = 1; i <= locks_; ++i) {
        const auto replay =
            json::parse(ctl({"burst", "lock" + std::to_string(i), std::to_string(perLock)}));
        const auto emitted = Clock::time_point(
            std::chrono::microseconds(replay["emitted_usec"][0].get<std::int64_t>()));
        first = first ? std::min(*first, emitted) : emitted;
    }
    const auto total = static_cast<std::size_t>(locks_) * static_cast<std::size_t>(perLock);
    Clock::time_point last;
    // Polled rarely, so the subscriber's own counting does not compete with the hub for the CPU.
    const bool all = testing::waitUntil(
        [&] {
            const auto tally = probe_->tally(isEvent);
            last = tally.last;
            return tally.count >= before + total;
        },
        120s, 50ms);
    if (!all) {
        std::string missing;
        for (int i = 1; i <= locks_; ++i) {
            const auto state = json::parse(ctl({"inspect", "lock" + std::to_string(i)}));
            if (!state["pending_records"].empty()) {
                missing += " lock" + std::to_string(i) + ": " +
                           std::to_string(state["pending_records"].size()) +
                           (state["connected"].get<bool>() ? " (connected)" : "");
            }
        }
        need(false, "only " + std::to_string(probe_->tally(isEvent).count - before) + " of " +
                        std::to_string(total) +
                        " records reached the subscriber; pending at the locks:" + missing);
    }
    return {total, *first, last};
}

long BenchHub::daemonMemoryKiB(const std::string& field) const {
    std::ifstream rollup("/proc/" + std::to_string(daemon_->pid()) + "/smaps_rollup");
    for (std::string line; std::getline(rollup, line);) {
        if (line.starts_with(field + ":")) {
            return std::stol(line.substr(field.size() + 1));
        }
    }
    throw std::runtime_error("no " + field + " for lockhubd");
}

std::vector<std::string> BenchHub::notifyPaths() const {
    std::vector<std::string> paths;
    for (const auto& lock : json::parse(testing::readFile(dir_.path() / "locks.json"))["locks"]) {
        auto mac = lock["mac"].get<std::string>();
        std::replace(mac.begin(), mac.end(), ':', '_');
        // lockhub-sim lays out every lock's GATT table as BlueZ numbers a Tuya lock's handles.
        paths.push_back("/org/bluez/" + lock["adapter"].get<std::string>() + "/dev_" + mac +
                        "/service0010/char0013");
    }
    return paths;
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

// Fields 14 and 15 of /proc/<pid>/stat, counted after the parenthesised command name, which may
// hold spaces.
double daemonCpuSeconds(int pid) {
    const auto stat = testing::readFile("/proc/" + std::to_string(pid) + "/stat");
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    long ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i >= 14) {
            ticks += std::stol(field);
        }
    }
    return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

void report(const std::string& key, double value) {
    std::printf("%s %.6g\n", key.c_str(), value);
    std::fflush(stdout);
}

}  // namespace lockhub::bench
