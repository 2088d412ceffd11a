// What services that follow a lock's reports (alarms, unlock requests, diagnostics) hear from the
// EventPipeline, so none of them translates a DP a second time. `annotate` runs on every new
// record before it is stored, in arrival order, and may add to the event's envelope or keep the
// record out of `<lock>/event` (it is stored all the same: the history has no holes).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "app/LockMessages.h"
#include "app/LockRegistry.h"
#include "domain/lock/DpRecord.h"
#include "domain/lock/LockEvent.h"
#include "domain/lock/LockSnapshot.h"

namespace lockhub {

// What an observer decided for one record.
struct EventNote {
    EventEnvelope& envelope;
    bool announce = true;  // false: stored, but not published on `<lock>/event`
};

class EventObserver {
public:
    virtual ~EventObserver() = default;
    virtual void annotate(PairedLock& lock, const domain::DpRecord& record,
                          const domain::LockEvent& event, EventNote& note) = 0;
    // Once per report, after its events: the state DPs it carried and the lock's timestamp
    // (Unix s) when the report had one.
    virtual void reported(PairedLock& lock, std::span<const domain::StateUpdate> updates,
                          std::optional<std::int64_t> lockTime) = 0;
};

}  // namespace lockhub
