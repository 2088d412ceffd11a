// A BluezCentral on a real EventLoop that the test thread turns by hand (runUntil), recording
// every callback the central makes.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/bluez/BluezCentral.h"
#include "adapters/systemd/EventLoop.h"

namespace lockhub::adapters::bluez::test {

class CentralHarness {
public:
    explicit CentralHarness(BluezOptions options);
    ~CentralHarness();

    BluezCentral& central() { return *central_; }
    // Destroys the central; the loop keeps running.
    void destroyCentral() { central_.reset(); }
    systemd::EventLoop& loop() { return *loop_; }

    // Runs the loop until `done()` holds or `timeout` passes; returns `done()`.
    bool runUntil(const std::function<bool()>& done,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
    // Connects and runs the loop until `done` was called.
    Result<std::unique_ptr<ports::GattLink>> connect(
        const std::string& mac,
        std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

    // The last advertisement seen per MAC, and how many times the central reported one.
    std::map<std::string, ports::Advertisement> advertisements;
    std::map<std::string, int> advertisementCounts;
    std::vector<std::pair<std::string, ports::Bytes>> notifications;
    std::vector<std::pair<std::string, std::string>> linksLost;
    std::vector<bool> availability;
    // Extra notification hook (a HubSession riding the link).
    std::function<void(const std::string& mac, const ports::Bytes& packet)> onNotification;

private:
    std::unique_ptr<systemd::EventLoop> loop_;
    std::unique_ptr<BluezCentral> central_;
};

}  // namespace lockhub::adapters::bluez::test
