#include "app/OutboxPump.h"

#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kOutboxTag = "outbox";
// Only this hub retries its own publishes, so the delay needs no jitter: the middle of the range.
constexpr double kNoJitter = 0.5;

}  // namespace

OutboxPump::OutboxPump(ports::OutboxStore& store, ports::Broker& broker,
                       ports::Scheduler& scheduler, OutboxPumpOptions options)
    : store_(store),
      broker_(broker),
      scheduler_(scheduler),
      options_(options),
      backoff_(options.retryInitial, options.retryMax) {}

OutboxPump::~OutboxPump() {
    *alive_ = false;
    scheduler_.cancel(removeTimer_);
    scheduler_.cancel(retryTimer_);
    removeDelivered();
}

void OutboxPump::send(std::vector<ports::OutboxEntry> entries) {
    if (!broker_.connected()) {
        backlog_ = true;
        return;
    }
    for (const auto& entry : entries) {
        publish(entry);
    }
}

void OutboxPump::enqueue(ports::OutboxMessage message) {
    auto id = store_.enqueueOutbox(message);
    if (!id) {
        log::error(kOutboxTag, "cannot store a message for " + message.topic +
                                   ", publishing it unstored: " + id.error().message);
        broker_.publish(message.topic, message.payload, message.qos, message.retained);
        return;
    }
    send({{*id, std::move(message)}});
}

void OutboxPump::stored() {
    backlog_ = true;
    drainBacklog();
}

void OutboxPump::connectionRestarted() {
    ++generation_;
    inFlight_.clear();
    retry_.clear();
    scheduler_.cancel(retryTimer_);
    retryTimer_ = 0;
    backlog_ = true;
    cursor_ = 0;
    drainBacklog();
}

void OutboxPump::publish(const ports::OutboxEntry& entry) {
    if (!inFlight_.insert(entry.id).second) {
        return;
    }
    std::weak_ptr<bool> alive = alive_;
    broker_.publish(entry.message.topic, entry.message.payload, entry.message.qos,
                    entry.message.retained,
                    [this, alive, entry, generation = generation_](bool ok) {
                        // A completion from before a reconnect belongs to a forgotten attempt.
                        if (alive.expired() || generation != generation_) {
                            return;
                        }
                        inFlight_.erase(entry.id);
                        ok ? delivered(entry.id) : failed(entry);
                    });
}

void OutboxPump::delivered(std::int64_t id) {
    backoff_.reset();
    store_.removeOutboxLater({&id, 1});
    if (removeTimer_ == 0) {
        std::weak_ptr<bool> alive = alive_;
        removeTimer_ = scheduler_.after(options_.removeWithin, [this, alive] {
            if (!alive.expired()) {
                removeTimer_ = 0;
                removeDelivered();
            }
        });
    }
    // Refill from the backlog at half a window, so deletes and reads stay batched.
    if (backlog_ && inFlight_.size() <= options_.window / 2) {
        drainBacklog();
    }
}

void OutboxPump::failed(ports::OutboxEntry entry) {
    if (!broker_.connected()) {
        backlog_ = true;  // the next connection sends the stored row again
        return;
    }
    log::warning(kOutboxTag, "the broker did not take a message; retrying",
                 {{"MQTT_TOPIC", entry.message.topic}});
    retry_.push_back(std::move(entry));
    scheduleRetry();
}

void OutboxPump::scheduleRetry() {
    if (retryTimer_ != 0) {
        return;
    }
    std::weak_ptr<bool> alive = alive_;
    retryTimer_ = scheduler_.after(backoff_.next(kNoJitter), [this, alive] {
        if (alive.expired()) {
            return;
        }
        retryTimer_ = 0;
        if (!broker_.connected()) {
            retry_.clear();
            backlog_ = true;
            return;
        }
        auto entries = std::move(retry_);
        retry_.clear();
        for (const auto& entry : entries) {
            publish(entry);
        }
    });
}

void OutboxPump::drainBacklog() {
    if (!broker_.connected()) {
        return;
    }
    // Rows delivered but not yet deleted must not be read back as pending.
    removeDelivered();
    while (backlog_ && inFlight_.size() < options_.window) {
        auto rows = store_.pendingOutbox(options_.page, cursor_);
        if (!rows) {
            // Tried again on the next delivery or connection.
            log::error(kOutboxTag, "cannot read the outbox: " + rows.error().message);
            return;
        }
        for (const auto& row : *rows) {
            cursor_ = row.id;
            publish(row);
        }
        if (rows->size() < options_.page) {
            backlog_ = false;
        }
    }
}

void OutboxPump::removeDelivered() {
    if (auto removed = store_.removeOutbox({}); !removed) {
        // The store keeps them for its next commit; a crash before sends them once more, and
        // consumers drop the copy.
        log::error(kOutboxTag, "cannot remove delivered rows: " + removed.error().message);
    }
}

}  // namespace lockhub
