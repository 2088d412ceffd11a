// LOCK / UNLOCK → the DP records to write, following the profile's flow (reference §2.3, §5.8).
// Pure: the time and the randomness for one-time keys come from the caller.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/Error.h"
#include "domain/Secret.h"
#include "domain/lock/DpProfile.h"
#include "domain/lock/DpRecord.h"

namespace lockhub::domain {

enum class LockCommand { Lock, Unlock };

// The per-lock secret of the DP 71 flow, obtained when the lock was enrolled.
struct CheckCode {
    std::uint16_t masterId = 0;
    std::uint16_t slaveId = 0;
    SecretString code;  // 8 bytes (Tuya hands out 8 ASCII digits)
};

struct CommandContext {
    std::int64_t now = 0;        // hub UTC, Unix seconds
    std::uint16_t memberId = 0;  // the Tuya member the unlock is recorded for
    // Fresh random bytes for the DP 60 one-time key; the caller draws them for every command.
    std::array<std::uint8_t, 8> random{};
    std::optional<CheckCode> checkCode;
};

struct EncodedCommand {
    std::vector<DpRecord> writes;  // in order; one DP write frame may carry them all
    // The DP whose report answers the command (DpTranslator gives its CommandReply); absent when
    // only the write's acknowledgement and the motor state follow (DP 46).
    std::optional<std::uint8_t> replyDp;
    // What that reply must echo of the write (CommandReply::echo).
    std::vector<std::uint8_t> replyEcho;
};

// The one-time remote key's validity around `now`, as the public integration uses it.
inline constexpr std::int64_t kRemoteKeyWindowS = 300;

class CommandEncoder {
public:
    // `profile` must have passed validateProfile.
    explicit CommandEncoder(DpProfile profile) : profile_(std::move(profile)) {}

    // Rejected when the profile has no flow for the command or the lock lacks the check code;
    // BadRequest when the member id does not fit the flow's field or `now` the lock's clock.
    Result<EncodedCommand> encode(LockCommand command, const CommandContext& context) const;
    // The DP the profile gives `role`, for flows that build their own writes (enrolment).
    std::optional<std::uint8_t> dpOf(DpRole role) const;

private:
    DpProfile profile_;
};

}  // namespace lockhub::domain
