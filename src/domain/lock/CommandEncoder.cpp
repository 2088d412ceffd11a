#include "domain/lock/CommandEncoder.h"

#include <limits>

namespace lockhub::domain {
namespace {

constexpr std::uint8_t kOpen = 1;
constexpr std::uint8_t kClose = 0;
constexpr std::uint8_t kRemoteTypePhone = 1;
constexpr std::uint8_t kCheckCodeSize = 8;
constexpr std::uint8_t kOpenMethodMember = 0;  // DP 71: the method info is the member id

using Bytes = std::vector<std::uint8_t>;

void putU16(Bytes& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}

void putU32(Bytes& out, std::uint32_t value) {
    putU16(out, static_cast<std::uint16_t>(value >> 16));
    putU16(out, static_cast<std::uint16_t>(value));
}

const char* commandName(LockCommand command) {
    return command == LockCommand::Lock ? "LOCK" : "UNLOCK";
}

// Eight ASCII digits, as the cloud's and the public integration's keys are: firmware that
// compares bytes accepts them, firmware that expects digits needs them. 64 random bits reduced
// mod 10^8 keep the bias negligible.
std::array<std::uint8_t, 8> remoteKey(const std::array<std::uint8_t, 8>& random) {
    std::uint64_t value = 0;
    for (auto byte : random) {
        value = value << 8 | byte;
    }
    std::array<std::uint8_t, 8> digits{};
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        *it = static_cast<std::uint8_t>('0' + value % 10);
        value /= 10;
    }
    return digits;
}

Result<std::uint32_t> lockClock(std::int64_t seconds) {
    if (seconds < 0 || seconds > std::numeric_limits<std::uint32_t>::max()) {
        return fail(Errc::BadRequest,
                    "time " + std::to_string(seconds) + " is outside the lock's 32-bit clock");
    }
    return static_cast<std::uint32_t>(seconds);
}

// DP 6 and DP 71 carry the member in one byte; DP 60/61 in two.
Result<std::uint8_t> oneByteMember(const CommandContext& context, CommandFlow flow) {
    if (context.memberId > std::numeric_limits<std::uint8_t>::max()) {
        return fail(Errc::BadRequest,
                    "member id " + std::to_string(context.memberId) + " does not fit the " +
                        std::string(commandFlowName(flow)) + " flow's 1-byte field");
    }
    return static_cast<std::uint8_t>(context.memberId);
}

Result<Bytes> remoteSetKey(const CommandContext& context, const std::array<std::uint8_t, 8>& key) {
    auto begin = lockClock(context.now - kRemoteKeyWindowS);
    auto end = lockClock(context.now + kRemoteKeyWindowS);
    if (!begin || !end) {
        return tl::unexpected(begin ? end.error() : begin.error());
    }
    Bytes raw{1};  // valid
    putU16(raw, context.memberId);
    putU32(raw, *begin);
    putU32(raw, *end);
    putU16(raw, 1);  // one use: the key dies with this command
    raw.insert(raw.end(), key.begin(), key.end());
    return raw;
}

Bytes remoteUnlock(std::uint8_t operation, const CommandContext& context,
                   const std::array<std::uint8_t, 8>& key) {
    Bytes raw{operation};
    putU16(raw, context.memberId);
    raw.insert(raw.end(), key.begin(), key.end());
    raw.push_back(kRemoteTypePhone);
    return raw;
}

Result<Bytes> checkCodeUnlock(std::uint8_t operation, const CommandContext& context) {
    if (!context.checkCode) {
        return fail(Errc::Rejected, "this lock has no check code for the check_code flow");
    }
    const auto& check = *context.checkCode;
    if (check.code.reveal().size() != kCheckCodeSize) {
        return fail(Errc::Rejected, "the lock's check code is not 8 bytes");
    }
    auto member = oneByteMember(context, CommandFlow::CheckCode);
    if (!member) {
        return tl::unexpected(member.error());
    }
    auto timestamp = lockClock(context.now);
    if (!timestamp) {
        return tl::unexpected(timestamp.error());
    }
    Bytes raw;
    putU16(raw, check.masterId);
    putU16(raw, check.slaveId);
    raw.insert(raw.end(), check.code.reveal().begin(), check.code.reveal().end());
    raw.push_back(operation);
    putU32(raw, *timestamp);
    raw.push_back(kOpenMethodMember);
    raw.push_back(*member);
    return raw;
}

}  // namespace

Result<EncodedCommand> CommandEncoder::encode(LockCommand command,
                                              const CommandContext& context) const {
    const CommandFlow flow = command == LockCommand::Lock ? profile_.lockFlow : profile_.unlockFlow;
    const std::uint8_t operation = command == LockCommand::Lock ? kClose : kOpen;
    for (DpRole role : rolesWrittenBy(flow)) {
        if (profile_.findRole(role) == nullptr) {
            return fail(Errc::Config, "profile " + profile_.name + " has no " +
                                          std::string(dpRoleName(role)) + " dp");
        }
    }
    auto dpFor = [this](DpRole role) { return profile_.findRole(role)->id; };  // checked above
    EncodedCommand encoded;
    switch (flow) {
        case CommandFlow::None:
            return fail(Errc::Rejected,
                        "profile " + profile_.name + " cannot " + commandName(command));
        case CommandFlow::ManualLock:
            encoded.writes.push_back({dpFor(DpRole::ManualLock), dptype::kBool, {1}});
            return encoded;
        case CommandFlow::BleUnlock: {
            auto member = oneByteMember(context, flow);
            if (!member) {
                return tl::unexpected(member.error());
            }
            const auto id = dpFor(DpRole::BleUnlock);
            encoded.writes.push_back({id, dptype::kRaw, {operation, *member}});
            encoded.replyDp = id;
            encoded.replyEcho = {*member};
            return encoded;
        }
        case CommandFlow::RemoteKey: {
            const auto key = remoteKey(context.random);
            auto setKey = remoteSetKey(context, key);
            if (!setKey) {
                return tl::unexpected(setKey.error());
            }
            const auto unlockId = dpFor(DpRole::RemoteUnlock);
            encoded.writes.push_back({dpFor(DpRole::RemoteSetKey), dptype::kRaw, *setKey});
            encoded.writes.push_back(
                {unlockId, dptype::kRaw, remoteUnlock(operation, context, key)});
            encoded.replyDp = unlockId;
            encoded.replyEcho = {static_cast<std::uint8_t>(context.memberId >> 8),
                                 static_cast<std::uint8_t>(context.memberId)};
            return encoded;
        }
        case CommandFlow::CheckCode: {
            auto raw = checkCodeUnlock(operation, context);
            if (!raw) {
                return tl::unexpected(raw.error());
            }
            const auto id = dpFor(DpRole::CheckCodeUnlock);
            // The reply repeats the operation and the timestamp (bytes 12-16 of the write).
            encoded.replyEcho.assign(raw->begin() + 12, raw->begin() + 17);
            encoded.writes.push_back({id, dptype::kRaw, std::move(*raw)});
            encoded.replyDp = id;
            return encoded;
        }
    }
    return fail(Errc::Internal, "unhandled command flow");
}

std::optional<std::uint8_t> CommandEncoder::dpOf(DpRole role) const {
    const DpSpec* spec = profile_.findRole(role);
    return spec == nullptr ? std::nullopt : std::optional(spec->id);
}

}  // namespace lockhub::domain
