// The Broker port over Paho's asynchronous C++ client. Paho calls back on its own threads; every
// callback here only posts to the event loop (toolchain gotcha 2: blocking inside a Paho callback
// stalls every client in the process). Reconnects are ours, not Paho's, so the back-off has jitter
// and a cap from the configuration.
#pragma once

#include <mqtt/async_client.h>

#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

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
    // An idle listener (or a new one) that reports to `done`.
    Listener& track(Completion done);
    // Starts a Paho operation whose completion `done` reports; false at once when disconnected.
    // `what` names it in the log if it cannot be started.
    template <typename What, typename Start>
    void send(const What& what, ::mqtt::token::Type type, Completion done, const Start& start);
    // On Paho's threads: queues a listener's result for the loop, one wake-up per batch.
    void finished(Listener& listener, bool ok);
    void runFinished();
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
    // The listeners and the queue of their results are declared before client_ so that the
    // client, and with it Paho's threads that use them, is destroyed first. A listener is never
    // freed while the broker lives: Paho keeps using it briefly after calling it, and a burst of
    // publishes reuses the idle ones instead of allocating one each.
    std::unique_ptr<ConnectListener> connectListener_;
    std::vector<std::unique_ptr<Listener>> listeners_;
    std::vector<Listener*> idle_;
    std::mutex finishedMutex_;
    std::vector<std::pair<Listener*, bool>> finished_;
    std::vector<std::pair<Listener*, bool>> running_;  // the batch runFinished() works through
    std::unique_ptr<::mqtt::async_client> client_;
};

}  // namespace lockhub::adapters::mqtt
