// A Broker in memory: records every publish and subscription, and lets a test decide when (and
// whether) the broker acknowledges. Completions arrive on the scheduler's next turn, as Paho's
// do through the event loop; with `autoAcknowledge` off they wait for complete().
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "ports/Broker.h"
#include "tests/fakes/ManualScheduler.h"

namespace lockhub::fakes {

class FakeBroker final : public ports::Broker {
public:
    struct Message {
        std::string topic;
        std::string payload;
        int qos = 0;
        bool retained = false;
    };

    explicit FakeBroker(ManualScheduler& scheduler) : scheduler_(scheduler) {}

    void setHandlers(Handlers handlers) override { handlers_ = std::move(handlers); }
    void start() override {}
    bool connected() const override { return connected_; }
    void subscribe(const std::string& filter, Completion done = nullptr) override;
    void publish(const std::string& topic, const std::string& payload, int qos, bool retained,
                 Completion done = nullptr) override;
    void stop(std::chrono::milliseconds) override { connected_ = false; }

    // The broker accepts the connection (the handlers' connected() runs).
    void connect();
    // The connection drops. Completions still pending belong to the old session: complete() may
    // still deliver them late, as Paho may, and the app must not mistake them for new ones.
    void disconnect(const std::string& reason = "connection lost");
    // A message from another client on a subscribed topic; `origin` is what the broker says
    // about its sender (nothing, as from a v3.1.1 client, by default).
    void deliver(const std::string& topic, const std::string& payload,
                 const Origin& origin = Origin{});
    // Completes the oldest `count` pending publishes (all by default) with `delivered`.
    std::size_t complete(bool delivered = true, std::size_t count = SIZE_MAX);
    std::size_t pending() const { return pending_.size(); }

    // Everything published on `topic`, in order.
    std::vector<Message> on(const std::string& topic) const;
    std::vector<std::string> payloadsOn(const std::string& topic) const;

    bool autoAcknowledge = true;
    // While true, every publish fails (the broker refused it) though the connection stays up.
    bool refusePublishes = false;
    std::vector<Message> published;
    // Runs at each accepted publish, before it is recorded: what a test checks here is the state
    // the app had committed when the message left.
    std::function<void(const Message&)> onPublish;
    std::vector<std::string> subscriptions;

private:
    ManualScheduler& scheduler_;
    Handlers handlers_;
    bool connected_ = false;
    std::deque<Completion> pending_;
};

}  // namespace lockhub::fakes
