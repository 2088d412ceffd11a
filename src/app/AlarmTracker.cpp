#include "app/AlarmTracker.h"

#include <nlohmann/json.hpp>

#include "app/IsoTime.h"
#include "app/Json.h"
#include "app/Log.h"
#include "domain/lock/EventId.h"

namespace lockhub {
namespace {

constexpr std::string_view kAlarmsTag = "alarms";
using domain::AlarmKind;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr AlarmKind kAllAlarms[] = {
    AlarmKind::WrongFinger,  AlarmKind::WrongPassword, AlarmKind::WrongCard,
    AlarmKind::WrongFace,    AlarmKind::TongueBad,     AlarmKind::TooHot,
    AlarmKind::UnclosedTime, AlarmKind::TongueNotOut,  AlarmKind::Pry,
    AlarmKind::KeyIn,        AlarmKind::LowBattery,    AlarmKind::PowerOff,
    AlarmKind::Shock,
};

bool isWrongCredential(AlarmKind alarm) {
    return alarm == AlarmKind::WrongFinger || alarm == AlarmKind::WrongPassword ||
           alarm == AlarmKind::WrongCard || alarm == AlarmKind::WrongFace;
}

}  // namespace

// docs/mqtt-api.md "Alarm states" shows this table; keep both in step.
AlarmClearRule clearRule(AlarmKind alarm) {
    switch (alarm) {
        case AlarmKind::WrongFinger:
        case AlarmKind::WrongPassword:
        case AlarmKind::WrongCard:
        case AlarmKind::WrongFace:
            return {.timeout = seconds(60), .mergeRepeats = false};
        case AlarmKind::TongueBad:
            return {.timeout = seconds(600), .boltMoved = true};
        case AlarmKind::TooHot:
            return {.timeout = seconds(600)};
        case AlarmKind::UnclosedTime:
            // A lock with a door sensor says when the door closes; without one, the bolt going
            // out means the door is shut.
            return {.timeout = seconds(600),
                    .doorClosed = true,
                    .boltLocked = true,
                    .mergeRepeats = false};
        case AlarmKind::TongueNotOut:
            return {.timeout = seconds(600), .boltLocked = true};
        case AlarmKind::Pry:
            return {.timeout = seconds(300), .mergeRepeats = false};
        case AlarmKind::KeyIn:
            return {.timeout = seconds(60)};
        case AlarmKind::LowBattery:
            return {.timeout = std::nullopt, .batteryOk = true};
        case AlarmKind::PowerOff:
            return {.timeout = seconds(300)};
        case AlarmKind::Shock:
            return {.timeout = seconds(60)};
    }
    return {.timeout = seconds(60)};
}

AlarmTracker::AlarmTracker(AlarmTrackerOptions options, LockRegistry& registry,
                           ports::Broker& broker, ports::Scheduler& scheduler, OutboxPump& outbox,
                           BridgeService& bridge)
    : options_(std::move(options)),
      registry_(registry),
      broker_(broker),
      scheduler_(scheduler),
      outbox_(outbox) {
    bridge.addSubscription(options_.baseTopic + "/+/alarm/+",
                           [this](const std::string& topic, const std::string& payload) {
                               return adoptRetained(topic, payload);
                           });
    registry_.subscribe({
        .added = nullptr,
        .removing =
            [this](PairedLock& lock) {
                const auto id = lock.record.id;
                for (auto it = states_.begin(); it != states_.end();) {
                    if (it->first.first != id) {
                        ++it;
                        continue;
                    }
                    scheduler_.cancel(it->second.clearTimer);
                    broker_.publish(topicOf(lock, it->first.second), "", 1, true);
                    it = states_.erase(it);
                }
                std::erase_if(bursts_, [&](auto& entry) {
                    if (entry.first.first == id) {
                        scheduler_.cancel(entry.second.timer);
                        return true;
                    }
                    return false;
                });
                batteryPercent_.erase(id);
            },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

AlarmTracker::~AlarmTracker() {
    for (auto& [key, state] : states_) {
        scheduler_.cancel(state.clearTimer);
    }
    for (auto& [key, burst] : bursts_) {
        scheduler_.cancel(burst.timer);
    }
}

std::string AlarmTracker::topicOf(const PairedLock& lock, AlarmKind alarm) const {
    return options_.baseTopic + "/" + lock.record.topic + "/alarm/" +
           std::string(domain::alarmKindName(alarm));
}

void AlarmTracker::annotate(PairedLock& lock, const domain::DpRecord&,
                            const domain::LockEvent& event, EventNote& note) {
    if (!event.alarm ||
        (event.kind != domain::EventKind::Alarm && event.kind != domain::EventKind::WrongCode)) {
        return;
    }
    const AlarmKind alarm = *event.alarm;
    const auto at = note.envelope.hubTimeMs;
    raise(lock, alarm, at);
    if (isWrongCredential(alarm)) {
        return;  // one wrong_code event per attempt, as before
    }
    const Key key{lock.record.id, alarm};
    auto [it, fresh] = bursts_.try_emplace(key);
    Burst& burst = it->second;
    scheduler_.cancel(burst.timer);
    ++burst.total;
    burst.last = event;
    burst.lastMs = at;
    if (!fresh && clearRule(alarm).mergeRepeats) {
        ++burst.merged;
        note.announce = false;
    } else {
        note.envelope.count = burst.total;
    }
    burst.timer = scheduler_.after(options_.mergeWindow, [this, key] { burstOver(key); });
}

void AlarmTracker::burstOver(const Key& key) {
    auto it = bursts_.find(key);
    if (it == bursts_.end()) {
        return;
    }
    Burst burst = std::move(it->second);
    bursts_.erase(it);
    PairedLock* lock = registry_.byId(key.first);
    if (burst.merged == 0 || lock == nullptr) {
        return;
    }
    publishEvent(*lock, burst.last, "merged", burst.total, burst.lastMs);
}

void AlarmTracker::raise(PairedLock& lock, AlarmKind alarm, std::int64_t atMs) {
    const Key key{lock.record.id, alarm};
    State& state = states_[key];
    if (!state.active) {
        state.active = true;
        state.sinceMs = atMs;
        state.count = 0;
        log::info(kAlarmsTag, "alarm " + std::string(domain::alarmKindName(alarm)) + " raised",
                  {{"LOCK", lock.record.topic}});
    }
    ++state.count;
    publishState(lock, alarm, state);
    if (auto timeout = clearRule(alarm).timeout) {
        armClear(lock.record.id, alarm, *timeout);
    }
}

void AlarmTracker::armClear(std::int64_t lockId, AlarmKind alarm, milliseconds after) {
    State& state = states_[{lockId, alarm}];
    scheduler_.cancel(state.clearTimer);
    state.clearTimer = scheduler_.after(after, [this, lockId, alarm] {
        states_[{lockId, alarm}].clearTimer = 0;
        clear(lockId, alarm, "its timeout passed");
    });
}

void AlarmTracker::clear(std::int64_t lockId, AlarmKind alarm, const char* why) {
    auto it = states_.find({lockId, alarm});
    PairedLock* lock = registry_.byId(lockId);
    if (it == states_.end() || !it->second.active || lock == nullptr) {
        return;
    }
    State& state = it->second;
    scheduler_.cancel(state.clearTimer);
    state.clearTimer = 0;
    state.active = false;
    state.sinceMs = scheduler_.unixMillis();
    log::info(kAlarmsTag, "alarm " + std::string(domain::alarmKindName(alarm)) + " cleared: " + why,
              {{"LOCK", lock->record.topic}});
    publishState(*lock, alarm, state);
}

void AlarmTracker::reported(PairedLock& lock, std::span<const domain::StateUpdate> updates,
                            std::optional<std::int64_t> lockTime) {
    using domain::LockState;
    for (const auto& update : updates) {
        for (AlarmKind alarm : kAllAlarms) {
            const auto rule = clearRule(alarm);
            const bool closed = rule.doorClosed && update.door == domain::DoorState::Closed;
            const bool locked =
                (rule.boltLocked || rule.boltMoved) && update.lock == LockState::Locked;
            const bool moved = rule.boltMoved && update.lock == LockState::Unlocked;
            if (closed || locked || moved) {
                clear(lock.record.id, alarm,
                      closed ? "the door reported closed" : "the bolt reported moving");
            }
        }
        if (update.battery || update.batteryLevel) {
            batteryReported(lock, update, lockTime);
        }
    }
}

// The percentage decides against the profile's threshold; a lock that reports only DP 9 is low
// at its own `low` level. `exhausted` is low whatever the percentage says.
void AlarmTracker::batteryReported(PairedLock& lock, const domain::StateUpdate& update,
                                   std::optional<std::int64_t> lockTime) {
    using domain::BatteryLevel;
    const auto id = lock.record.id;
    if (update.battery) {
        batteryPercent_[id] = *update.battery;
    }
    auto percent = batteryPercent_.find(id);
    const int threshold = lock.translator.profile().lowBatteryPercent;
    bool low = false;
    if (update.batteryLevel == BatteryLevel::Exhausted) {
        low = true;
    } else if (percent != batteryPercent_.end()) {
        low = percent->second <= threshold;
    } else {
        low = update.batteryLevel == BatteryLevel::Low;
    }
    const auto state = states_.find({id, AlarmKind::LowBattery});
    const bool active = state != states_.end() && state->second.active;
    if (!low) {
        clear(id, AlarmKind::LowBattery, "the battery is above the threshold");
        return;
    }
    if (active) {
        return;  // a level, not a repeat on every report
    }
    const auto at = scheduler_.unixMillis();
    raise(lock, AlarmKind::LowBattery, at);
    domain::LockEvent event = domain::eventForAlarm(AlarmKind::LowBattery, 0, lockTime);
    const auto* spec = lock.translator.profile().findRole(
        update.battery ? domain::DpRole::Battery : domain::DpRole::BatteryLevel);
    event.dp = spec != nullptr ? spec->id : 0;
    publishEvent(lock, event, "low_battery", 1, at);
}

void AlarmTracker::publishState(const PairedLock& lock, AlarmKind alarm, const State& state) {
    nlohmann::ordered_json payload;
    payload["active"] = state.active;
    payload["since"] = isoUtcMillis(state.sinceMs);
    payload["count"] = state.count;
    broker_.publish(topicOf(lock, alarm), toJson(payload), 1, true);
}

void AlarmTracker::publishEvent(const PairedLock& lock, const domain::LockEvent& event,
                                std::string_view derived, int count, std::int64_t atMs) {
    const std::vector<std::uint8_t> value{static_cast<std::uint8_t>(count)};
    EventEnvelope envelope;
    envelope.eventId = domain::eventId({.hubId = options_.hubId,
                                        .lockId = lock.record.id,
                                        .dp = event.dp,
                                        .value = value,
                                        .lockTime = event.lockTime,
                                        .hubTimeMs = atMs,
                                        .sequence = ++sequence_,
                                        .derived = derived});
    envelope.hubTimeMs = atMs;
    envelope.count = count;
    outbox_.enqueue({options_.baseTopic + "/" + lock.record.topic + "/event",
                     lockEventPayload(event, envelope), 1, false});
}

// Our own retained states, read back after a restart: an active one is adopted with the rest of
// its timeout counted from `since`. States already set in this run are newer and win.
bool AlarmTracker::adoptRetained(const std::string& topic, const std::string& payload) {
    const std::string prefix = options_.baseTopic + "/";
    const auto marker = topic.find("/alarm/", prefix.size());
    if (!topic.starts_with(prefix) || marker == std::string::npos) {
        return false;
    }
    const auto lockTopic = topic.substr(prefix.size(), marker - prefix.size());
    const auto alarm = domain::parseAlarmKind(topic.substr(marker + 7));
    PairedLock* lock = registry_.byTopic(lockTopic);
    if (!alarm || lock == nullptr || payload.empty() ||
        states_.contains({lock->record.id, *alarm})) {
        return true;
    }
    const auto parsed = nlohmann::json::parse(payload, nullptr, false);
    if (!parsed.is_object() || !parsed.value("active", false) ||
        !parsed["count"].is_number_integer()) {
        return true;
    }
    const auto since = parseIsoMillis(parsed.value("since", ""));
    if (!since) {
        return true;
    }
    State& state = states_[{lock->record.id, *alarm}];
    state.active = true;
    state.sinceMs = *since;
    state.count = parsed["count"].get<int>();
    log::info(kAlarmsTag, "alarm " + std::string(domain::alarmKindName(*alarm)) + " still active",
              {{"LOCK", lock->record.topic}});
    if (auto timeout = clearRule(*alarm).timeout) {
        const auto left =
            *since + duration_cast<milliseconds>(*timeout).count() - scheduler_.unixMillis();
        armClear(lock->record.id, *alarm, milliseconds(std::max<std::int64_t>(0, left)));
    }
    return true;
}

std::vector<std::string> AlarmTracker::active(const PairedLock& lock) const {
    std::vector<std::string> names;
    for (const auto& [key, state] : states_) {
        if (key.first == lock.record.id && state.active) {
            names.emplace_back(domain::alarmKindName(key.second));
        }
    }
    return names;
}

}  // namespace lockhub
