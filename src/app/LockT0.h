// Who knows each lock's T0, the epoch of its offline codes (DP 64, reference §2.3), per the
// configured issuer (docs/codes.md "Issuer modes"). With `hub`, the hub writes its own clock as T0
// while it pairs a lock and owns it from then on. With `cloud`, T0 is the cloud's: set per lock
// with `lock/update` or learned when the lock reports DP 64. `lock/update` takes further
// per-lock settings as they come; for now only `t0`.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>

#include "app/BridgeService.h"
#include "app/LockRegistry.h"
#include "ports/LockStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

inline constexpr std::uint8_t kDpOfflineT0 = 64;

class LockT0 {
public:
    LockT0(bool hubOwnsT0, LockRegistry& registry, ports::LockStore& store,
           ports::Scheduler& scheduler, BridgeService& bridge);

    // PairingService's last handshake step with issuer `hub`: writes T0 on the pairing link and
    // records it in `record` when the lock took it; `done` is called once either way.
    void writeOnPairing(LockLink& link, ports::LockRecord& record, std::function<void()> done);
    bool hubOwnsT0() const { return hubOwnsT0_; }

private:
    Result<nlohmann::json> update(const nlohmann::json& body);
    void onReport(PairedLock& lock, const protocol::tuya::DpReport& report);
    Result<void> store(PairedLock& lock, std::int64_t t0);

    bool hubOwnsT0_;
    LockRegistry& registry_;
    ports::LockStore& store_;
    ports::Scheduler& scheduler_;
};

}  // namespace lockhub
