#include "sim/firmware/CheckCodes.h"

#include <algorithm>

#include "domain/Secret.h"
#include "sim/firmware/ByteReader.h"
#include "sim/firmware/LockDps.h"

namespace lockhub::sim {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t kOk = 0;
constexpr std::uint8_t kBadMaster = 2;
constexpr std::uint8_t kSlaveMismatch = 3;
constexpr std::uint8_t kCodeMismatch = 4;
constexpr std::uint8_t kBadOperation = 5;
constexpr std::uint8_t kFull = 6;
constexpr std::uint8_t kNotFound = 7;
constexpr std::uint16_t kAdminMaster = 0xFFFF;
constexpr std::uint16_t kAnySlave = 0xFFFF;
constexpr std::size_t kUnlockFixedSize = 18;  // DP 71 bytes before open_meth_info
constexpr std::size_t kReplyCapacity = 32;    // larger than either reply

bool slaveMatches(std::uint16_t slave) {
    return slave == kLockSlaveId || slave == kAnySlave;
}

}  // namespace

bool CheckCodes::holds(const Bytes& code) const {
    if (codes_.empty()) {
        return std::all_of(code.begin(), code.end(), [](std::uint8_t b) { return b == 0; });
    }
    return std::any_of(codes_.begin(), codes_.end(),
                       [&](const auto& entry) { return constantTimeEquals(code, entry.second); });
}

bool CheckCodes::set(const Bytes& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint16_t master = 0, slave = 0, newMaster = 0;
    std::uint8_t operation = 0;
    Bytes code, newCode;
    if (!reader.u16(master) || !reader.u16(slave) || !reader.bytes(8, code) ||
        !reader.u8(operation) || !reader.u16(newMaster) || !reader.bytes(8, newCode) ||
        !reader.done()) {
        return false;
    }
    std::uint8_t result = kOk;
    if (master != kAdminMaster) {
        result = kBadMaster;
    } else if (!slaveMatches(slave)) {
        result = kSlaveMismatch;
    } else if (!holds(code)) {
        result = kCodeMismatch;
    } else if (operation > 1) {
        result = kBadOperation;
    } else if (operation == 0) {
        if (!codes_.contains(newMaster) && codes_.size() >= kMaxCheckCodes) {
            result = kFull;
        } else {
            std::copy(newCode.begin(), newCode.end(), codes_[newMaster].begin());
        }
    } else if (codes_.erase(newMaster) == 0) {
        result = kNotFound;
    }
    Bytes reply;
    reply.reserve(kReplyCapacity);  // also keeps GCC 12 -O3 from a false stringop warning
    putU16(reply, slave);
    putU16(reply, master);
    reply.insert(reply.end(), code.begin(), code.end());
    reply.push_back(operation);
    putU16(reply, newMaster);
    reply.push_back(result);
    out.status.push_back({Dp::raw(dp::kCheckCodeSet, reply)});
    return true;
}

std::optional<CheckCodeOutcome> CheckCodes::present(const Bytes& raw) const {
    ByteReader reader(raw);
    std::uint16_t master = 0, slave = 0;
    std::uint8_t operation = 0, method = 0;
    std::uint32_t timestamp = 0;
    Bytes code;
    if (!reader.u16(master) || !reader.u16(slave) || !reader.bytes(8, code) ||
        !reader.u8(operation) || !reader.u32(timestamp) || !reader.u8(method)) {
        return std::nullopt;
    }
    const auto held = codes_.find(master);
    std::uint8_t result = kOk;
    if (held == codes_.end()) {
        result = kBadMaster;
    } else if (!slaveMatches(slave)) {
        result = kSlaveMismatch;
    } else if (!constantTimeEquals(code, held->second)) {
        result = kCodeMismatch;
    } else if (operation > 1) {
        result = kBadOperation;
    }
    CheckCodeOutcome outcome;
    if (result == kOk) {
        CheckCodeGrant grant{operation == 1, master, method, {}, {}};
        grant.info.assign(raw.begin() + kUnlockFixedSize, raw.end());
        putU16(grant.echoed, slave);
        putU16(grant.echoed, master);
        grant.echoed.insert(grant.echoed.end(), raw.begin() + 4, raw.end());
        outcome.granted = std::move(grant);
    }
    Bytes reply;
    reply.reserve(kReplyCapacity);  // also keeps GCC 12 -O3 from a false stringop warning
    putU16(reply, slave);
    putU16(reply, master);
    reply.insert(reply.end(), code.begin(), code.end());
    reply.push_back(operation);
    for (int shift = 24; shift >= 0; shift -= 8) {
        reply.push_back(static_cast<std::uint8_t>(timestamp >> shift));
    }
    reply.push_back(method);
    reply.push_back(result);
    outcome.reply = {Dp::raw(dp::kCheckCodeUnlock, reply)};
    return outcome;
}

}  // namespace lockhub::sim
