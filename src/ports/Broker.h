// Port: the MQTT broker as the app sees it. The adapter delivers every callback on the event loop
// thread, so app code never needs a lock.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lockhub::ports {

class Broker {
public:
    // Who sent a message, as far as the broker tells a subscriber: the audit's source.
    struct Origin {
        // MQTT v5 user properties in the order they arrived (empty for a v3.1.1 publisher).
        std::vector<std::pair<std::string, std::string>> userProperties;
        // The publisher's client id, for a broker that reports it. MQTT gives a subscriber no
        // such field and mosquitto adds none, so PahoBroker leaves it empty.
        std::optional<std::string> clientId;
    };
    struct Handlers {
        std::function<void()> connected;
        std::function<void(const std::string& reason)> disconnected;
        std::function<void(const std::string& topic, const std::string& payload,
                           const Origin& origin)>
            message;
    };
    // `delivered` is true once the broker acknowledged (QoS 1) or the message left (QoS 0); false
    // when it could not be sent (not connected, connection lost before the acknowledgement).
    using Completion = std::function<void(bool delivered)>;

    virtual ~Broker() = default;

    virtual void setHandlers(Handlers handlers) = 0;
    // Connects in the background and keeps reconnecting until stop().
    virtual void start() = 0;
    virtual bool connected() const = 0;
    // `done` reports the broker's SUBACK (true) or a failure.
    virtual void subscribe(const std::string& filter, Completion done = nullptr) = 0;
    virtual void publish(const std::string& topic, const std::string& payload, int qos,
                         bool retained, Completion done = nullptr) = 0;
    // Waits (blocking, for shutdown only) until messages in flight are acknowledged or the
    // deadline passes, then disconnects cleanly so the broker does not publish the will.
    virtual void stop(std::chrono::milliseconds deadline) = 0;
};

}  // namespace lockhub::ports
