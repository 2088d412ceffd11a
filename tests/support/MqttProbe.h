// An MQTT client for assertions: records every message on the topics it subscribes to, so a test
// can wait for an exact payload and check what was (not) published.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mqtt {
class async_client;
}

namespace lockhub::testing {

struct ReceivedMessage {
    std::string topic;
    std::string payload;
    bool retained = false;
    std::chrono::steady_clock::time_point at;  // arrival, CLOCK_MONOTONIC (for latency figures)
};

class MqttProbe {
public:
    // A persistent session outlives the connection: what the broker takes for the probe while it
    // is away (a broker restart, before reconnect()) is delivered when it is back (MQTT 3.1.1).
    enum class Session { Clean, Persistent };
    // `mqttVersion` 4 is MQTT 3.1.1, 5 is MQTT v5 (needed for publishWithActor).
    MqttProbe(const std::string& uri, const std::string& topicFilter, int mqttVersion = 4,
              Session session = Session::Clean);
    ~MqttProbe();

    void publish(const std::string& topic, const std::string& payload, bool retained = false);
    // Connects and subscribes again after the broker restarted (a new clean session, or the
    // persistent one resumed); what was received stays.
    void reconnect();
    // Publishes with the MQTT v5 user property actor=`actor`, as lockhubctl does (v5 probes).
    void publishWithActor(const std::string& topic, const std::string& payload,
                          const std::string& actor);

    std::vector<ReceivedMessage> messages() const;
    std::vector<ReceivedMessage> messagesOn(const std::string& topic) const;
    // How many messages arrived on topics `match` accepts, and when the last of them did; counts
    // in place, for loads too large to copy on every poll (benchmarks).
    struct Tally {
        std::size_t count = 0;
        std::chrono::steady_clock::time_point last{};
    };
    Tally tally(const std::function<bool(const std::string& topic)>& match) const;
    // Waits for the first message on `topic` (counting from index `from` of that topic's
    // messages) that satisfies `match`.
    std::optional<ReceivedMessage> waitFor(
        const std::string& topic, std::chrono::milliseconds timeout,
        const std::function<bool(const ReceivedMessage&)>& match = nullptr,
        std::size_t from = 0) const;
    void clear();

private:
    void connect();

    std::string filter_;
    int mqttVersion_;
    Session session_;
    std::unique_ptr<mqtt::async_client> client_;
    mutable std::mutex mutex_;
    std::vector<ReceivedMessage> received_;
};

}  // namespace lockhub::testing
