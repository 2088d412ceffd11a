#include "app/OutboxPump.h"

#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kTag = "outbox";

}  // namespace

void OutboxPump::connectionRestarted() {
    inFlight_.clear();
    ++generation_;
    kick();
}

void OutboxPump::kick() {
    if (!broker_.connected()) {
        return;
    }
    auto rows = store_.pendingOutbox(kBatch);
    if (!rows) {
        log::error(kTag, "cannot read the outbox: " + rows.error().message);
        return;
    }
    std::weak_ptr<bool> alive = alive_;
    for (const auto& row : *rows) {
        if (!inFlight_.insert(row.id).second) {
            continue;
        }
        broker_.publish(
            row.topic, row.payload, row.qos, row.retained,
            [this, alive, id = row.id, generation = generation_](bool delivered) {
                if (alive.expired() || generation != generation_) {
                    return;
                }
                inFlight_.erase(id);
                if (!delivered) {
                    return;  // stays stored; sent again on the next connect
                }
                if (auto removed = store_.removeOutbox(id); !removed) {
                    log::error(kTag, "cannot remove a delivered row: " + removed.error().message);
                    return;
                }
                if (inFlight_.empty()) {
                    kick();
                }
            });
    }
}

}  // namespace lockhub
