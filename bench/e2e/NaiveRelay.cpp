#include "NaiveRelay.h"

#include <sys/stat.h>

#include <stdexcept>
#include <thread>

#include "BenchHub.h"

using namespace std::chrono_literals;

namespace lockhub::bench {

NaiveRelay::NaiveRelay(const std::filesystem::path& dir, const std::string& busAddress,
                       std::uint16_t brokerPort, const std::vector<std::string>& notifyPaths) {
    probe_ = std::make_unique<testing::MqttProbe>("tcp://127.0.0.1:" + std::to_string(brokerPort),
                                                  kTopic);
    // The pipe is a FIFO so that each tool is its own process (exec'd by sh), which Process can
    // stop by pid; the publisher opens it first and waits there for the monitor.
    const auto fifo = dir / "relay.fifo";
    if (::mkfifo(fifo.c_str(), 0600) != 0) {
        throw std::runtime_error("cannot create " + fifo.string());
    }
    publisher_ = std::make_unique<testing::Process>(
        "relay-pub",
        std::vector<std::string>{"/bin/sh", "-c", "exec mosquitto_pub \"$@\" <\"$0\"",
                                 fifo.string(), "-h", "127.0.0.1", "-p", std::to_string(brokerPort),
                                 "-q", "1", "-t", kTopic, "-l"},
        dir);
    std::vector<std::string> monitor{"/bin/sh",     "-c",        "exec dbus-monitor \"$@\" >\"$0\"",
                                     fifo.string(), "--address", busAddress};
    for (const auto& path : notifyPaths) {
        monitor.push_back(
            "type='signal',interface='org.freedesktop.DBus.Properties',"
            "member='PropertiesChanged',path='" +
            path + "'");
    }
    monitor_ = std::make_unique<testing::Process>("relay-monitor", monitor, dir);
    // dbus-monitor announces itself with the NameAcquired/NameLost signals of becoming a monitor:
    // once they arrive, the relay is live end to end.
    BenchHub::need(testing::waitUntil([&] { return !probe_->messages().empty(); }, 10s),
                   "the dbus-monitor relay did not start: " + monitor_->stderrText() +
                       publisher_->stderrText());
    std::this_thread::sleep_for(200ms);
    probe_->clear();
}

bool NaiveRelay::startsNotification(const std::string& line) {
    return line.starts_with("signal ") &&
           line.find("member=PropertiesChanged") != std::string::npos;
}

}  // namespace lockhub::bench
