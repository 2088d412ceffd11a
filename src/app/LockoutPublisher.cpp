#include "app/LockoutPublisher.h"

#include <nlohmann/json.hpp>

#include "app/Json.h"
#include "app/LockMessages.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kLockoutPublisherTag = "codes";

// A wrong code while locked out changes nothing (WrongCodeLockout), so the last failure is the
// one that started the lockout: its start and length need no field of their own.
std::string payloadOf(const domain::codes::LockoutState& state, std::int64_t nowMs) {
    nlohmann::ordered_json payload;
    payload["active"] = domain::codes::isLockedOut(state, nowMs);
    if (payload["active"]) {
        payload["since"] = isoUtcMillis(state.lastFailureMs);
        payload["until"] = isoUtcSeconds((state.lockedUntilMs + 999) / 1000);
        payload["duration_s"] = (state.lockedUntilMs - state.lastFailureMs + 999) / 1000;
    }
    return toJson(payload);
}

}  // namespace

LockoutPublisher::LockoutPublisher(std::string baseTopic, ports::CodeStore& codes,
                                   ports::Broker& broker, ports::Scheduler& scheduler,
                                   LockRegistry& registry)
    : base_(std::move(baseTopic)),
      codes_(codes),
      broker_(broker),
      scheduler_(scheduler),
      registry_(registry) {
    registry_.subscribe({
        // At start-up the broker is not connected yet: connecting publishes every lock.
        .added = [this](PairedLock& lock) { refresh(lock, broker_.connected()); },
        .removing =
            [this](PairedLock& lock) {
                if (auto timer = endTimers_.extract(lock.record.id)) {
                    scheduler_.cancel(timer.mapped());
                }
                broker_.publish(topicOf(lock), "", 1, true);
            },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

LockoutPublisher::~LockoutPublisher() {
    for (const auto& [id, timer] : endTimers_) {
        scheduler_.cancel(timer);
    }
}

std::string LockoutPublisher::topicOf(const PairedLock& lock) const {
    return base_ + "/" + lock.record.topic + "/lockout";
}

void LockoutPublisher::started(const PairedLock& lock) {
    refresh(lock, true);
}

void LockoutPublisher::publishAll() {
    for (PairedLock* lock : registry_.all()) {
        refresh(*lock, true);
    }
}

void LockoutPublisher::refresh(const PairedLock& lock, bool publish) {
    auto state = codes_.lockout(lock.record.id);
    if (!state) {
        log::error(kLockoutPublisherTag, "cannot read the lockout: " + state.error().message,
                   {{"LOCK", lock.record.topic}});
        return;
    }
    const std::int64_t id = lock.record.id;
    if (auto timer = endTimers_.extract(id)) {
        scheduler_.cancel(timer.mapped());
    }
    const auto now = scheduler_.unixMillis();
    if (domain::codes::isLockedOut(*state, now)) {
        endTimers_[id] = scheduler_.after(std::chrono::milliseconds(state->lockedUntilMs - now),
                                          [this, id] { ended(id); });
    }
    if (publish) {
        broker_.publish(topicOf(lock), payloadOf(*state, now), 1, true);
    }
}

void LockoutPublisher::ended(std::int64_t lockId) {
    endTimers_.erase(lockId);
    if (PairedLock* lock = registry_.byId(lockId)) {
        // Read again rather than assumed over: a clock step may have moved the end.
        refresh(*lock, true);
    }
}

}  // namespace lockhub
