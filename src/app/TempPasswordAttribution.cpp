#include "app/TempPasswordAttribution.h"

namespace lockhub {

std::optional<AttributedCodes> TempPasswordAttribution::attribute(
    const PairedLock& lock, const domain::LockEvent& event, std::span<const std::uint8_t> value,
    std::int64_t at) {
    if (event.kind == domain::EventKind::Unlock &&
        event.method == domain::UnlockMethod::Temporary && event.credential) {
        return passwords_.unlockedBy(lock, *event.credential);
    }
    return next_.attribute(lock, event, value, at);
}

}  // namespace lockhub
