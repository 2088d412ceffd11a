// The Broker port over Paho's asynchronous C++ client. Paho calls back on its own threads; every
// callback here only posts to the event loop (toolchain gotcha 2: blocking inside a Paho callback
// stalls every client in the process). Reconnects are ours, not Paho's, so the back-off has jitter
// and a cap from the configuration.
#pragma once

#include <mqtt/async_client.h>

#include <memory>
#include <random>
#include <thread>
#include <unordered_map>

#include "app/Config.h"
#include "domain/Backoff.h"
#include "domain/Secret.h"
#include "ports/Broker.h"

namespace lockhub::adapters::systemd {
class EventLoop;
}

namespace lockhub::adapters::mqtt {

class PahoBroker final : public ports::Broker {
public:
    // `willTopic` receives a retained "offline" from the broker if we vanish without stop().
    PahoBroker(systemd::EventLoop& loop, MqttConfig config, SecretString password,
               std::string willTopic);
    ~PahoBroker() override;

    void setHandlers(Handlers handlers) override;
    void start() override;
    bool connected() const override;
    void subscribe(const std::string& filter, Completion done) override;
    void publish(const std::string& topic, const std::string& payload, int qos, bool retained,
                 Completion done) override;
    void stop(std::chrono::milliseconds deadline) override;

private:
    class Listener;
    class ConnectListener;
    Listener& track(std::function<void(bool)> done);
    // Starts a Paho operation whose completion `done` reports; false at once when disconnected.
    void send(const std::string& what, ::mqtt::token::Type type, Completion done,
              const std::function<void(::mqtt::iaction_listener&)>& start);
    void connect();
    void scheduleReconnect(const std::string& why);
    // Once per run of failed connects over TLS: TlsProbe's reason, logged when it has one.
    void diagnoseTls();
    void onConnected();
    ::mqtt::connect_options connectOptions() const;

    systemd::EventLoop& loop_;
    MqttConfig config_;
    SecretString password_;
    std::string willTopic_;
    Handlers handlers_;
    Backoff backoff_;
    std::mt19937 jitter_;
    bool connected_ = false;
    bool stopping_ = false;
    bool connecting_ = false;
    bool tlsDiagnosed_ = false;
    std::thread tlsProbe_;
    std::uint64_t reconnectTimer_ = 0;
    // Set to false on destruction so callbacks already posted to the loop become no-ops.
    std::shared_ptr<bool> alive_;
    // The listeners are declared before client_ so that the client, and with it Paho's threads
    // that call them, is destroyed first.
    std::unique_ptr<ConnectListener> connectListener_;
    std::unordered_map<Listener*, std::unique_ptr<Listener>> inflight_;
    std::unique_ptr<::mqtt::async_client> client_;
};

}  // namespace lockhub::adapters::mqtt
