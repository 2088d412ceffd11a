// Publishes the outbox (design §5): each row goes out with QoS 1 and is deleted only after the
// broker's acknowledgement, so events survive broker outages and daemon crashes. Rows just stored
// are handed over from memory (no read-back); the stored backlog is read in pages only after a
// (re)connect. Delivered rows are deleted with the store's next commit of new rows, which costs no
// sync of its own, or within `removeWithin` by a transaction of their own. A publish that fails
// while connected is retried with back-off; one that fails because the connection went is sent
// again on the next connection. Consumers de-duplicate by event_id, because a row whose
// acknowledgement was lost is sent again.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <vector>

#include "domain/Backoff.h"
#include "ports/Broker.h"
#include "ports/OutboxStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct OutboxPumpOptions {
    std::size_t window = 500;  // rows in flight at once
    std::size_t page = 200;    // rows read from the store at once
    std::chrono::milliseconds retryInitial{1000};
    std::chrono::milliseconds retryMax{30000};
    // The longest a delivered row waits for a commit to ride on (docs/performance.md).
    std::chrono::milliseconds removeWithin{500};
};

class OutboxPump {
public:
    OutboxPump(ports::OutboxStore& store, ports::Broker& broker, ports::Scheduler& scheduler,
               OutboxPumpOptions options = {});
    ~OutboxPump();
    OutboxPump(const OutboxPump&) = delete;
    OutboxPump& operator=(const OutboxPump&) = delete;

    // Rows just stored: published now if connected, else on the next connection.
    void send(std::vector<ports::OutboxEntry> entries);
    // A message of the hub's own (not a lock record's): stored in the outbox and sent. If the
    // store refuses, it is published unstored, because somebody waits for it.
    void enqueue(ports::OutboxMessage message);
    // Rows that reached the store without being handed over (the cloud mirror's copies of
    // events): read from the store after the last row read, so nothing goes out twice.
    void stored();
    // After a (re)connect: messages in flight on the old connection may never complete, so they
    // are forgotten and the stored backlog is sent again.
    void connectionRestarted();

    std::size_t inFlight() const { return inFlight_.size(); }

private:
    void publish(const ports::OutboxEntry& entry);
    void delivered(std::int64_t id);
    void failed(ports::OutboxEntry entry);
    void drainBacklog();
    void removeDelivered();
    void scheduleRetry();

    ports::OutboxStore& store_;
    ports::Broker& broker_;
    ports::Scheduler& scheduler_;
    OutboxPumpOptions options_;
    std::set<std::int64_t> inFlight_;
    std::deque<ports::OutboxEntry> retry_;
    Backoff backoff_;
    // The store may hold rows not handed over from memory (after start-up or a disconnect).
    bool backlog_ = true;
    std::int64_t cursor_ = 0;  // the backlog is read after this id
    std::uint64_t generation_ = 0;
    ports::Scheduler::TimerId removeTimer_ = 0;
    ports::Scheduler::TimerId retryTimer_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub
