// The parts of `<lock>/event` messages that come from LockTimeline (docs/mqtt-api.md):
// `time_corrected` on a record whose lock time was invalid, and the hub's own `records_lost` and
// `clock_drift` events, each derived from the record that revealed it.
#pragma once

#include <string>
#include <string_view>

#include "app/LockTimeline.h"

namespace lockhub {

inline constexpr std::string_view kRecordsLost = "records_lost";
inline constexpr std::string_view kClockDrift = "clock_drift";

// `payload` is lockEventPayload() of the record (or of the record it is derived from, for
// records_lost and clock_drift); returns it with what `timing` adds for `derived`.
std::string annotateRecord(const std::string& payload, std::string_view derived,
                           const RecordTiming& timing);

}  // namespace lockhub
