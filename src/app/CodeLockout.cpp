#include "app/CodeLockout.h"

#include <nlohmann/json.hpp>

#include "app/Json.h"
#include "app/LockMessages.h"
#include "app/Log.h"
#include "domain/lock/EventId.h"

namespace lockhub {
namespace {

constexpr std::string_view kCodeLockoutTag = "codes";

}  // namespace

CodeLockout::CodeLockout(domain::codes::LockoutRules rules, ports::CodeStore& codes,
                         ports::LockStore& locks, OutboxPump& outbox, ports::Scheduler& scheduler,
                         std::string baseTopic, std::string hubId)
    : rules_(rules),
      codes_(codes),
      locks_(locks),
      outbox_(outbox),
      scheduler_(scheduler),
      baseTopic_(std::move(baseTopic)),
      hubId_(std::move(hubId)) {}

Result<void> CodeLockout::admit(const PairedLock& lock) {
    auto state = codes_.lockout(lock.record.id);
    if (!state) {
        return tl::unexpected(state.error());
    }
    if (domain::codes::isLockedOut(*state, scheduler_.unixMillis())) {
        return fail(Errc::LockedOut, "too many wrong codes for " + lock.record.topic +
                                         "; codes are refused until " +
                                         isoUtcSeconds((state->lockedUntilMs + 999) / 1000));
    }
    return {};
}

void CodeLockout::wrongCode(const PairedLock& lock, std::string_view source) {
    auto state = codes_.lockout(lock.record.id);
    if (!state) {
        log::error(kCodeLockoutTag, "cannot count a wrong code: " + state.error().message,
                   {{"LOCK", lock.record.topic}});
        return;
    }
    const auto now = scheduler_.unixMillis();
    const auto until = domain::codes::recordWrongCode(*state, rules_, now);
    if (auto stored = codes_.setLockout(lock.record.id, *state); !stored) {
        log::error(kCodeLockoutTag, "cannot store the wrong-code count: " + stored.error().message,
                   {{"LOCK", lock.record.topic}});
        return;
    }
    if (until) {
        announce(lock, *until, source);
        if (started_) {
            started_(lock);
        }
    }
}

void CodeLockout::correctCode(const PairedLock& lock) {
    auto state = codes_.lockout(lock.record.id);
    if (!state || (state->failures == 0 && state->level == 0)) {
        return;
    }
    domain::codes::recordCorrectCode(*state);
    if (auto stored = codes_.setLockout(lock.record.id, *state); !stored) {
        log::error(kCodeLockoutTag, "cannot reset the wrong-code count: " + stored.error().message,
                   {{"LOCK", lock.record.topic}});
    }
}

void CodeLockout::announce(const PairedLock& lock, std::int64_t untilMs, std::string_view source) {
    const auto now = scheduler_.unixMillis();
    const std::string until = std::to_string(untilMs);
    const std::vector<std::uint8_t> value(until.begin(), until.end());
    nlohmann::ordered_json payload;
    payload["event_id"] = domain::eventId({.hubId = hubId_,
                                           .lockId = lock.record.id,
                                           .dp = 0,
                                           .value = value,
                                           .lockTime = std::nullopt,
                                           .hubTimeMs = now,
                                           .sequence = 0,
                                           .derived = "lockout"});
    payload["event"] = "lockout";
    payload["until"] = isoUtcSeconds((untilMs + 999) / 1000);
    payload["duration_s"] = (untilMs - now + 999) / 1000;
    payload["limit"] = rules_.limit;
    payload["source"] = std::string(source);
    payload["hub_time"] = isoUtcMillis(now);
    ports::OutboxMessage message{baseTopic_ + "/" + lock.record.topic + "/event", toJson(payload),
                                 1, false};
    log::warning(kCodeLockoutTag,
                 "too many wrong codes: codes refused until " + payload["until"].get<std::string>(),
                 {{"LOCK", lock.record.topic}});
    auto id = locks_.enqueueOutbox(message);
    if (!id) {
        log::error(kCodeLockoutTag, "cannot store the lockout event: " + id.error().message,
                   {{"LOCK", lock.record.topic}});
        return;
    }
    outbox_.send({{*id, std::move(message)}});
}

}  // namespace lockhub
