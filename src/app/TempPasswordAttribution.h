// The EventPipeline's CodeAttribution with temporary passwords added: a temporary-password unlock
// record (DP 55, method `temporary`, the lock's hardware id) names the password the hub pushed
// under that id; everything else goes to the code service's attribution as before.
#pragma once

#include "app/CodeAttribution.h"
#include "app/TempPasswordService.h"

namespace lockhub {

class TempPasswordAttribution final : public CodeAttribution {
public:
    TempPasswordAttribution(TempPasswordService& passwords, CodeAttribution& next)
        : passwords_(passwords), next_(next) {}

    std::optional<AttributedCodes> attribute(const PairedLock& lock, const domain::LockEvent& event,
                                             std::span<const std::uint8_t> value,
                                             std::int64_t at) override;
    void wrongCodeAtLock(const PairedLock& lock) override { next_.wrongCodeAtLock(lock); }

private:
    TempPasswordService& passwords_;
    CodeAttribution& next_;
};

}  // namespace lockhub
