// Password-free remote unlock (reference §2.3): DP 60 stores one key with its member, window and
// use count; DP 61 presents it. The lock checks, in the SDK's order, that a key is set, that uses
// are left, that now is inside the window and that the 8 bytes match.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/firmware/FirmwareOutput.h"

namespace lockhub::sim {

struct RemoteKey {
    bool valid = false;
    std::uint16_t memberId = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint16_t usesLeft = 0;
    std::array<std::uint8_t, 8> key{};
};

// A DP 61 request the lock accepted: what it must do.
struct RemoteUnlockGrant {
    bool open = true;    // false: lock
    bool voice = false;  // type 2 records DP 63, otherwise DP 62
    std::uint16_t memberId = 0;
};

struct RemoteUnlockOutcome {
    std::optional<RemoteUnlockGrant> granted;
    std::vector<Dp> reply;  // DP 61 `[result, member(2)]`, to report after acting
};

class RemoteUnlockKey {
public:
    // DP 60; false for a malformed request.
    bool set(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    // DP 61; nullopt for a malformed request. A grant spends one use.
    std::optional<RemoteUnlockOutcome> present(const std::vector<std::uint8_t>& raw,
                                               std::int64_t now);
    const RemoteKey& key() const { return key_; }

private:
    RemoteKey key_;
};

}  // namespace lockhub::sim
