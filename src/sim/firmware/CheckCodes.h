// Check-code unlock of newer locks (reference §2.3, our reading of [S]/[?] material): DP 70 lets
// the admin (master 0xFFFF) add or delete a master's 8-byte check code, proving itself with a
// code the lock holds, or all zeros while it holds none; DP 71 lets a master open or lock with
// its code. Result codes: 0 ok, 2 bad master, 3 slave mismatch, 4 code mismatch, 5 bad
// operation, 6 full, 7 not found.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/firmware/FirmwareOutput.h"

namespace lockhub::sim {

inline constexpr std::size_t kMaxCheckCodes = 10;
inline constexpr std::uint16_t kLockSlaveId = 0x0001;  // this lock's id; 0xFFFF means "any"

// A DP 71 request the lock accepted: what it must do.
struct CheckCodeGrant {
    bool open = true;  // false: lock
    std::uint16_t masterId = 0;
    std::uint8_t method = 0;           // 0: a BLE unlock by member info[0]; else a DP 72 record
    std::vector<std::uint8_t> info;    // open_meth_info
    std::vector<std::uint8_t> echoed;  // the request with slave and master swapped (DP 72)
};

struct CheckCodeOutcome {
    std::optional<CheckCodeGrant> granted;
    std::vector<Dp> reply;  // DP 71 reply, to report after acting
};

class CheckCodes {
public:
    // DP 70; false for a malformed request.
    bool set(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    // DP 71; nullopt for a malformed request.
    std::optional<CheckCodeOutcome> present(const std::vector<std::uint8_t>& raw) const;
    const std::map<std::uint16_t, std::array<std::uint8_t, 8>>& codes() const { return codes_; }

private:
    bool holds(const std::vector<std::uint8_t>& code) const;

    std::map<std::uint16_t, std::array<std::uint8_t, 8>> codes_;
};

}  // namespace lockhub::sim
