#include "sim/firmware/RemoteUnlockKey.h"

#include <algorithm>

#include "domain/Secret.h"
#include "sim/firmware/ByteReader.h"
#include "sim/firmware/LockDps.h"

namespace lockhub::sim {
namespace {

using Bytes = std::vector<std::uint8_t>;

// DP 61 results (SDK).
constexpr std::uint8_t kKeyAccepted = 0;
constexpr std::uint8_t kNoKey = 2;
constexpr std::uint8_t kExhausted = 3;
constexpr std::uint8_t kOutsideWindow = 4;
constexpr std::uint8_t kKeyMismatch = 5;

}  // namespace

bool RemoteUnlockKey::set(const Bytes& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint8_t valid = 0;
    RemoteKey key;
    Bytes secret;
    if (!reader.u8(valid) || !reader.u16(key.memberId) || !reader.u32(key.begin) ||
        !reader.u32(key.end) || !reader.u16(key.usesLeft) || !reader.bytes(8, secret) ||
        !reader.done()) {
        return false;
    }
    key.valid = valid != 0;
    std::copy(secret.begin(), secret.end(), key.key.begin());
    key_ = key;
    Bytes reply{0};
    putU16(reply, key.memberId);
    out.status.push_back({Dp::raw(dp::kRemoteSetKey, reply)});
    return true;
}

std::optional<RemoteUnlockOutcome> RemoteUnlockKey::present(const Bytes& raw, std::int64_t now) {
    ByteReader reader(raw);
    std::uint8_t open = 0, type = 0;
    std::uint16_t member = 0;
    Bytes key;
    if (!reader.u8(open) || !reader.u16(member) || !reader.bytes(8, key) || !reader.u8(type) ||
        !reader.done()) {
        return std::nullopt;
    }
    std::uint8_t result = kKeyAccepted;
    if (!key_.valid) {
        result = kNoKey;
    } else if (key_.usesLeft == 0) {
        result = kExhausted;
    } else if (now < key_.begin || now > key_.end) {
        result = kOutsideWindow;
    } else if (!constantTimeEquals(key, key_.key)) {
        result = kKeyMismatch;
    }
    RemoteUnlockOutcome outcome;
    if (result == kKeyAccepted) {
        --key_.usesLeft;
        outcome.granted = RemoteUnlockGrant{open == 1, type == 2, member};
    }
    Bytes reply{result};
    putU16(reply, member);
    outcome.reply = {Dp::raw(dp::kRemoteUnlock, reply)};
    return outcome;
}

}  // namespace lockhub::sim
