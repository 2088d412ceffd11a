#include "app/StatePublisher.h"

namespace lockhub {
namespace {

// The payload minus the one field that changes by itself, to recognise a repeat.
std::string contentOf(const domain::LockSnapshot& snapshot, const LinkStatus& link) {
    LinkStatus ageless = link;
    ageless.stateAtMs.reset();
    return lockStatePayload(snapshot, ageless, 0);
}

}  // namespace

StatePublisher::StatePublisher(std::string baseTopic, ports::Broker& broker,
                               ports::Scheduler& scheduler, LockRegistry& registry)
    : base_(std::move(baseTopic)), broker_(broker), scheduler_(scheduler), registry_(registry) {
    registry_.subscribe({
        .added = [this](PairedLock& lock) { entry(lock); },
        .removing =
            [this](PairedLock& lock) {
                auto it = entries_.find(lock.record.id);
                if (it != entries_.end()) {
                    scheduler_.cancel(it->second.settleTimer);
                    entries_.erase(it);
                }
                // Clear the retained topics so dashboards forget the lock.
                broker_.publish(topicOf(lock, "state"), "", 1, true);
                broker_.publish(topicOf(lock, "availability"), "", 1, true);
            },
        .report = nullptr,
        .ready = nullptr,
        .availability =
            [this](PairedLock& lock, bool online) {
                Entry& e = entry(lock);
                e.online = online;
                if (!online) {
                    // Without a link the bolt's position cannot be confirmed: never a stale
                    // "locked".
                    e.snapshot.forgetLockState();
                }
                broker_.publish(topicOf(lock, "availability"), online ? "online" : "offline", 1,
                                true);
                settleLater(lock, e);
            },
        .linkState =
            [this](PairedLock& lock, LinkState state) {
                Entry& e = entry(lock);
                e.link.link = std::string(linkStateName(state));
                settleLater(lock, e);
            },
        .seen =
            [this](PairedLock& lock, std::optional<std::int16_t> rssi) {
                Entry& e = entry(lock);
                e.link.lastSeenMs = scheduler_.unixMillis();
                if (rssi) {
                    e.link.rssi = *rssi;
                }
            },
    });
}

StatePublisher::~StatePublisher() {
    for (auto& [id, e] : entries_) {
        scheduler_.cancel(e.settleTimer);
    }
}

std::string StatePublisher::topicOf(const PairedLock& lock, const std::string& leaf) const {
    return base_ + "/" + lock.record.topic + "/" + leaf;
}

StatePublisher::Entry& StatePublisher::entry(const PairedLock& lock) {
    return entries_[lock.record.id];
}

void StatePublisher::reportReceived(PairedLock& lock,
                                    std::span<const domain::StateUpdate> updates) {
    Entry& e = entry(lock);
    const auto now = scheduler_.unixMillis();
    e.link.lastSeenMs = now;  // once per report, whatever it carries
    for (const auto& update : updates) {
        // A confirmation of the same bolt position still refreshes its age.
        if (update.lock) {
            e.link.stateAtMs = now;
        }
        e.snapshot.apply(update);
    }
    publishState(lock, e, false);
}

void StatePublisher::settleLater(const PairedLock& lock, Entry& e) {
    if (e.settleTimer != 0) {
        return;
    }
    const std::int64_t id = lock.record.id;
    e.settleTimer = scheduler_.after(kLinkSettle, [this, id] {
        auto it = entries_.find(id);
        PairedLock* target = registry_.byId(id);
        if (it == entries_.end() || target == nullptr) {
            return;
        }
        it->second.settleTimer = 0;
        publishState(*target, it->second, false);
    });
}

void StatePublisher::publishState(const PairedLock& lock, Entry& e, bool force) {
    // A report publishes at once and takes any pending link transition with it.
    scheduler_.cancel(e.settleTimer);
    e.settleTimer = 0;
    auto content = contentOf(e.snapshot, e.link);
    const auto now = scheduler_.now();
    const bool ageDue = !e.lastPublished || now - *e.lastPublished >= kAgeRefresh;
    if (!force && content == e.lastContent && !ageDue) {
        return;
    }
    if (!force && content == e.lastContent && !e.link.stateAtMs) {
        return;  // nothing but an age, and there is no age to refresh
    }
    e.lastContent = std::move(content);
    e.lastPublished = now;
    broker_.publish(topicOf(lock, "state"),
                    lockStatePayload(e.snapshot, e.link, scheduler_.unixMillis()), 1, true);
}

void StatePublisher::publishAll() {
    for (PairedLock* lock : registry_.all()) {
        Entry& e = entry(*lock);
        if (e.online) {
            broker_.publish(topicOf(*lock, "availability"), *e.online ? "online" : "offline", 1,
                            true);
        }
        publishState(*lock, e, true);
    }
}

LockStatusView StatePublisher::status(const PairedLock& lock) const {
    auto it = entries_.find(lock.record.id);
    if (it == entries_.end()) {
        return {};
    }
    return {it->second.snapshot, it->second.link.link, it->second.online};
}

}  // namespace lockhub
