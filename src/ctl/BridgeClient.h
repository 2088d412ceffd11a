// lockhubctl's MQTT v5 connection to the broker. Everything runs on the caller's thread: Paho's
// consumer queue hands over messages, so no callback ever blocks Paho's threads (toolchain
// gotcha 2). Every publish carries the user property `actor` = "lockhubctl:<login>", which the
// daemon records as the source of the request.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ctl/Connection.h"
#include "ctl/Outcome.h"

namespace mqtt {
class async_client;
}

namespace lockhub::ctl {

struct Message {
    std::string topic;
    std::string payload;
};

class BridgeClient {
public:
    using Deadline = std::chrono::steady_clock::time_point;

    // Fails with exit 3 when the broker cannot be reached in time, 1 when it refuses us.
    static Outcome<std::unique_ptr<BridgeClient>> connect(const ConnectionSettings& settings,
                                                          std::string actor,
                                                          std::chrono::milliseconds timeout);
    ~BridgeClient();
    BridgeClient(const BridgeClient&) = delete;
    BridgeClient& operator=(const BridgeClient&) = delete;

    // `<base>/suffix`.
    std::string topic(const std::string& suffix) const;
    Outcome<void> subscribe(const std::string& filter);
    Outcome<void> unsubscribe(const std::string& filter);
    // QoS 1 to the broker, not retained.
    Outcome<void> publish(const std::string& topic, const std::string& payload);
    // The next message, or nullopt at the deadline or on Ctrl-C (interrupted() then says so).
    // Fails (exit 3) when the connection drops.
    Outcome<std::optional<Message>> next(Deadline deadline);
    // A transaction id no other request of this or another lockhubctl run uses.
    std::string newTransaction();

private:
    BridgeClient(std::unique_ptr<::mqtt::async_client> client, std::string base, std::string actor,
                 std::chrono::milliseconds timeout);

    std::unique_ptr<::mqtt::async_client> client_;
    std::string base_;
    std::string actor_;
    std::chrono::milliseconds timeout_;
    std::string runId_;
    unsigned counter_ = 0;
};

// Set by SIGINT/SIGTERM once installInterruptHandler() ran: long waits (watch, enrol) end early.
void installInterruptHandler();
bool interrupted();
// Forgets a Ctrl-C that has been dealt with (enrol cancels, then waits for the hub's answer).
void clearInterrupt();

}  // namespace lockhub::ctl
