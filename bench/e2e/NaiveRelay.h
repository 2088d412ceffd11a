// Baseline (b) of issue 13: the relay anyone could assemble from stock tools, `dbus-monitor` on
// the hub's bus (matching the PropertiesChanged signals of each lock's notify characteristic) piped
// into `mosquitto_pub -l`, which publishes every line of dbus-monitor's output as one message.
// It neither decrypts, stores nor acknowledges, so it shows what carrying the lock's raw
// notifications from D-Bus to an MQTT subscriber costs on this machine.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/MqttProbe.h"
#include "support/Process.h"

namespace lockhub::bench {

class NaiveRelay {
public:
    static constexpr const char* kTopic = "bench/relay";

    NaiveRelay(const std::filesystem::path& dir, const std::string& busAddress,
               std::uint16_t brokerPort, const std::vector<std::string>& notifyPaths);

    // Subscribed to kTopic on the same broker: what the relay delivered, one line a message.
    testing::MqttProbe& probe() { return *probe_; }
    // A line that starts one relayed notification (dbus-monitor's header of a signal).
    static bool startsNotification(const std::string& line);

private:
    std::unique_ptr<testing::MqttProbe> probe_;
    std::unique_ptr<testing::Process> publisher_;
    std::unique_ptr<testing::Process> monitor_;
};

}  // namespace lockhub::bench
