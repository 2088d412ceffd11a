// The wrong-code lockout of every path a code reaches the hub on (design §6): `code/verify`, a
// remote unlock carrying a code, and the lock's own wrong-password alarms. The rules are
// domain::codes::WrongCodeLockout; this keeps their state per lock in the CodeStore, so a restart
// does not reset it, and announces each lockout as a `lockout` event on `<lock>/event` through the
// outbox.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "app/LockRegistry.h"
#include "app/OutboxPump.h"
#include "domain/codes/WrongCodeLockout.h"
#include "ports/CodeStore.h"
#include "ports/LockStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

class CodeLockout {
public:
    CodeLockout(domain::codes::LockoutRules rules, ports::CodeStore& codes, ports::LockStore& locks,
                OutboxPump& outbox, ports::Scheduler& scheduler, std::string baseTopic,
                std::string hubId);

    // locked_out (the message says until when) while the lock's codes are refused.
    Result<void> admit(const PairedLock& lock);
    // `source`: where the wrong code came from ("code/verify", "mqtt", "lock").
    void wrongCode(const PairedLock& lock, std::string_view source);
    void correctCode(const PairedLock& lock);
    // Told of each lockout once it is stored (LockoutPublisher keeps its retained level).
    using Started = std::function<void(const PairedLock& lock)>;
    void onStarted(Started started) { started_ = std::move(started); }

private:
    void announce(const PairedLock& lock, std::int64_t untilMs, std::string_view source);

    domain::codes::LockoutRules rules_;
    ports::CodeStore& codes_;
    ports::LockStore& locks_;
    OutboxPump& outbox_;
    ports::Scheduler& scheduler_;
    std::string baseTopic_;
    std::string hubId_;
    Started started_;
};

}  // namespace lockhub
