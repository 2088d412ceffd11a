// A whole hub for the end-to-end benchmarks: lockhub-sim with N locks on a private bus, mosquitto
// and lockhubd, every lock paired and online, and an MQTT probe subscribed to `lockhub/#`.
#pragma once

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
};

class BenchHub {
public:
    explicit BenchHub(const HubOptions& options);

    // `lockhub-sim ctl …`; throws on a non-zero exit.
    std::string ctl(const std::vector<std::string>& args);
    // lockhubd's resident set size now, in KiB.
    long daemonRssKiB() const;
    testing::MqttProbe& probe() { return *probe_; }

    static void need(bool ok, const std::string& what);

private:
    testing::TempDir dir_;
    testing::PrivateBus bus_{dir_.path()};
    testing::Mosquitto broker_{dir_.path()};
    std::unique_ptr<testing::Process> sim_;
    std::unique_ptr<testing::Process> daemon_;
    std::unique_ptr<testing::MqttProbe> probe_;
    int calls_ = 0;
};

struct Stats {
    double median;
    double p99;
};
Stats stats(std::vector<double> samples);

}  // namespace lockhub::bench
