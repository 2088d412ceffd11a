// Turns one DP the lock reported into what it means under a profile: a state update, an event,
// and/or the reply to a command write. Anything it cannot translate comes back as a DpError; the
// caller then publishes the DP raw on `<lock>/dp/<id>` (issue 5: never dropped), unless the error
// says its payload carries a secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "domain/lock/DpProfile.h"
#include "domain/lock/DpRecord.h"
#include "domain/lock/LockEvent.h"
#include "domain/lock/LockSnapshot.h"
#include "domain/lock/UnlockMethodDps.h"

namespace lockhub::domain {

enum class DpErrc {
    UnknownDp,    // the profile does not know this id
    WrongType,    // reported with another type code than the profile's
    WrongLength,  // the value's size does not fit its type or layout
    BadValue,     // well-formed, but outside what the profile maps (e.g. battery 130 %)
};

std::string_view dpErrcName(DpErrc code);

struct DpError {
    DpErrc code;
    std::string message;  // names the DP and what was wrong; never the payload bytes
    // The DP's layout carries a secret (DP 71's reply echoes the check code; an unmapped DP
    // whose standard layout carries one, standardDpCarriesSecret): log the error but do not
    // publish the bytes.
    bool secretPayload = false;

    bool operator==(const DpError&) const = default;
};

// The lock's answer to a command write (DP 6, 60, 61 or 71), or a report of the unlock-method
// DPs (1, 2), which also carry the decoded report.
struct CommandReply {
    DpRole role = DpRole::BleUnlock;
    std::uint32_t code = 0;
    std::string reason;  // the profile's name for the code, or "result_<code>"
    // The write's fields the reply repeats (member id; DP 71 also operation and timestamp):
    // compared with EncodedCommand::replyEcho to tie the reply to its command.
    std::vector<std::uint8_t> echo;
    std::optional<CreateReport> created{};  // DP 1
    std::optional<DeleteReply> deleted{};   // DP 2
    bool ok() const { return reason == "ok"; }

    bool operator==(const CommandReply&) const = default;
};

struct DpOutcome {
    StateUpdate state;
    std::optional<LockEvent> event;
    std::optional<CommandReply> reply;

    bool operator==(const DpOutcome&) const = default;
};

class DpTranslator {
public:
    // `profile` must have passed validateProfile.
    explicit DpTranslator(DpProfile profile) : profile_(std::move(profile)) {}

    const DpProfile& profile() const { return profile_; }

    // `lockTime` is the report's timestamp (Unix seconds) when it came in a report with time.
    // An `ignore` DP translates to nothing whatever its shape.
    tl::expected<DpOutcome, DpError> translate(const DpRecord& dp,
                                               std::optional<std::int64_t> lockTime) const;

private:
    DpProfile profile_;
};

}  // namespace lockhub::domain
