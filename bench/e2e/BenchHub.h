// A whole hub for the end-to-end benchmarks: lockhub-sim with N locks on a private bus, mosquitto
// and lockhubd, every lock paired and online, and an MQTT probe subscribed to `lockhub/#`.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/PrivateBus.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace lockhub::bench {

struct HubOptions {
    int locks = 1;
    std::string policy = "always";
    int maxConnections = 32;
    // lockhub-sim per-lock settings for every lock (e.g. {"power": "battery"}); null: defaults.
    nlohmann::json simLock{};
    // Merged into lockhubd's configuration (JSON merge patch); null: the benchmark's defaults.
    nlohmann::json daemonConfig{};
};

using Clock = std::chrono::steady_clock;

struct BurstFigures {
    std::size_t records;
    Clock::time_point firstEmitted;   // the sim's stamp of the first burst it started
    Clock::time_point lastDelivered;  // the last `<lock>/event` at the subscriber
    double perSecond() const {
        return static_cast<double>(records) /
               std::chrono::duration<double>(lastDelivered - firstEmitted).count();
    }
};

class BenchHub {
public:
    explicit BenchHub(const HubOptions& options);

    // `lockhub-sim ctl …`; throws on a non-zero exit.
    std::string ctl(const std::vector<std::string>& args);
    // Every lock replays a backlog of `perLock` records at once (`ctl burst`); returns once the
    // subscriber has every `<lock>/event`, each stored with its outbox row and acknowledged to the
    // lock before it was published.
    BurstFigures burst(int perLock);
    // A field of lockhubd's /proc/<pid>/smaps_rollup now ("Rss", "Pss", "Private_Dirty"), in KiB.
    long daemonMemoryKiB(const std::string& field) const;
    int daemonPid() const { return daemon_->pid(); }
    // Stops lockhubd (SIGTERM), calls `whileStopped` with its database file, starts it again and
    // returns once it is online.
    void restartDaemon(
        const std::function<void(const std::filesystem::path& database)>& whileStopped);
    testing::MqttProbe& probe() { return *probe_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    const std::string& busAddress() const { return bus_.address(); }
    testing::Mosquitto& broker() { return broker_; }
    // The D-Bus object path of every simulated lock's notify characteristic, in pairing order.
    std::vector<std::string> notifyPaths() const;

    static void need(bool ok, const std::string& what);

private:
    void startDaemon();

    testing::TempDir dir_;
    testing::PrivateBus bus_{dir_.path()};
    testing::Mosquitto broker_{dir_.path()};
    std::unique_ptr<testing::Process> sim_;
    std::unique_ptr<testing::Process> daemon_;
    std::unique_ptr<testing::MqttProbe> probe_;
    int locks_;
    int calls_ = 0;
};

struct Stats {
    double median;
    double p99;
};
Stats stats(std::vector<double> samples);

// utime + stime of a whole process (all threads) so far, in seconds.
double daemonCpuSeconds(int pid);

// One figure for scripts/bench, which collects them into its table: "<key> <value>" on stdout.
void report(const std::string& key, double value);

}  // namespace lockhub::bench
