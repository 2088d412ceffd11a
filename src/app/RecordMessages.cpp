#include "app/RecordMessages.h"

#include <nlohmann/json.hpp>

#include "app/Json.h"
#include "app/LockMessages.h"

namespace lockhub {

std::string annotateRecord(const std::string& payload, std::string_view derived,
                           const RecordTiming& timing) {
    const bool lost = derived == kRecordsLost && timing.lost;
    const bool drift = derived == kClockDrift && timing.drift;
    if (!timing.corrected && !lost && !drift) {
        return payload;
    }
    auto message = nlohmann::ordered_json::parse(payload);
    if (lost || drift) {
        // The hub's own event: no credential or person is behind it.
        message["event"] = derived;
        message["method"] = nullptr;
        message["credential"] = nullptr;
        message["user"] = nullptr;
        message.erase("member");
        message.erase("alarm");
        message.erase("code_action");
    }
    if (timing.corrected && !drift && timing.lockTime) {
        message["lock_time"] = isoUtcSeconds(*timing.lockTime);
        message["time_corrected"] = true;
    }
    if (lost) {
        message["count"] = timing.lost->count;
        message["estimate"] = true;
        message["since"] = isoUtcSeconds(timing.lost->sinceLockTime);
        message["until"] = isoUtcSeconds(timing.lost->untilLockTime);
    }
    if (drift) {
        message["drift_s"] = timing.drift->driftS;
        message["time_pushed"] = timing.drift->pushed;
    }
    return toJson(message);
}

}  // namespace lockhub
