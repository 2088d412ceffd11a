// What the EventPipeline asks the CodeService at event time, beside CredentialLookup: which issued
// code an offline-code record (DP 67/65/66) or a dynamic-code unlock (DP 14) was, and that the
// lock saw a wrong code (DP 21), which counts toward the wrong-code lockout. Narrow on purpose, so
// the pipeline cannot reach into the code service's other state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "app/LockMessages.h"
#include "app/LockRegistry.h"
#include "domain/lock/LockEvent.h"

namespace lockhub {

struct AttributedCodes {
    EventCodes codes;
    std::optional<EventUser> user;  // the user the code was issued for, when there is one
};

class CodeAttribution {
public:
    virtual ~CodeAttribution() = default;
    // nullopt for events that are not about a code. `value` is the record's raw value; `at` the
    // lock's time of the record (or the hub's when it sent none). Keeps code/list's states current.
    virtual std::optional<AttributedCodes> attribute(const PairedLock& lock,
                                                     const domain::LockEvent& event,
                                                     std::span<const std::uint8_t> value,
                                                     std::int64_t at) = 0;
    virtual void wrongCodeAtLock(const PairedLock& lock) = 0;
};

}  // namespace lockhub
