// Publishes the stored outbox (design §5): each row is sent with QoS 1 and deleted only after the
// broker's acknowledgement, so events survive broker outages and daemon crashes. Consumers
// de-duplicate by event_id, because a row whose acknowledgement was lost is sent again.
#pragma once

#include <cstdint>
#include <memory>
#include <set>

#include "ports/Broker.h"
#include "ports/LockStore.h"

namespace lockhub {

class OutboxPump {
public:
    OutboxPump(ports::LockStore& store, ports::Broker& broker) : store_(store), broker_(broker) {}

    // Sends every stored row not already on its way. Call after storing rows and on connect.
    void kick();
    // After a reconnect, messages in flight on the old connection may never complete.
    void connectionRestarted();

private:
    static constexpr std::size_t kBatch = 200;

    ports::LockStore& store_;
    ports::Broker& broker_;
    std::set<std::int64_t> inFlight_;
    std::uint64_t generation_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub
