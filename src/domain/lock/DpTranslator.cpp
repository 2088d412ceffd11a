#include "domain/lock/DpTranslator.h"

namespace lockhub::domain {
namespace {

using Outcome = tl::expected<DpOutcome, DpError>;

constexpr std::size_t kOfflineRecordSize = 16;
constexpr int kMaxBatteryPercent = 100;

// The reply layouts of the command DPs (reference §2.3): total size, where the result is, and
// the fields the lock echoes from the write, which tie the reply to its command.
struct ReplyLayout {
    std::size_t size;
    std::size_t resultAt;
    std::size_t echoAt;
    std::size_t echoSize;
};

ReplyLayout replyLayout(DpRole role) {
    switch (role) {
        case DpRole::BleUnlock:
            return {2, 0, 1, 1};  // result, member(1)
        case DpRole::CheckCodeUnlock:
            // slave(2), master(2), srand(8), op, timestamp(4), method, result
            return {19, 18, 12, 5};
        case DpRole::TempPasswordCreate:
        case DpRole::TempPasswordDelete:
        case DpRole::TempPasswordModify:
            return {2, 1, 0, 1};  // hardware id, result
        default:
            return {3, 0, 1, 2};  // DP 60/61: result, member(2)
    }
}

std::string where(const DpRecord& dp) {
    return "dp " + std::to_string(dp.id);
}

tl::unexpected<DpError> error(DpErrc code, const DpRecord& dp, const std::string& what) {
    return tl::unexpected<DpError>(DpError{code, where(dp) + ": " + what});
}

std::uint32_t readBigEndian(const std::vector<std::uint8_t>& raw) {
    std::uint32_t value = 0;
    for (auto byte : raw) {
        value = value << 8 | byte;
    }
    return value;
}

// The integer a bool, value or enum DP carries; value DPs are signed on the wire.
tl::expected<std::int64_t, DpError> scalarOf(const DpRecord& dp) {
    const auto size = dp.raw.size();
    switch (dp.type) {
        case dptype::kBool:
            if (size != 1) {
                return error(DpErrc::WrongLength, dp, "a bool is 1 byte");
            }
            if (dp.raw[0] > 1) {
                return error(DpErrc::BadValue, dp, "a bool is 0 or 1");
            }
            return dp.raw[0];
        case dptype::kValue:
            if (size != 4) {
                return error(DpErrc::WrongLength, dp, "a value is 4 bytes");
            }
            return static_cast<std::int32_t>(readBigEndian(dp.raw));
        default:  // enum; the profile allows no other scalar type
            if (size != 1 && size != 2 && size != 4) {
                return error(DpErrc::WrongLength, dp, "an enum is 1, 2 or 4 bytes");
            }
            return readBigEndian(dp.raw);
    }
}

template <typename T>
tl::expected<T, DpError> lookup(const std::map<std::uint32_t, T>& table, const DpRecord& dp,
                                std::int64_t value) {
    if (value >= 0) {
        if (auto it = table.find(static_cast<std::uint32_t>(value)); it != table.end()) {
            return it->second;
        }
    }
    return error(DpErrc::BadValue, dp, "value " + std::to_string(value) + " is not in the profile");
}

LockEvent eventOf(EventKind kind, const DpRecord& dp, std::optional<std::int64_t> lockTime) {
    LockEvent event;
    event.kind = kind;
    event.dp = dp.id;
    event.lockTime = lockTime;
    return event;
}

Outcome unlockRecord(const DpSpec& spec, const DpRecord& dp, std::int64_t value,
                     std::optional<std::int64_t> lockTime) {
    DpOutcome outcome;
    if (dp.type == dptype::kBool && value == 0) {
        return outcome;  // a bool record reports only the "it happened" edge
    }
    LockEvent event = eventOf(EventKind::Unlock, dp, lockTime);
    event.method = spec.method;
    if (spec.credential != CredentialSource::None) {
        if (value < static_cast<std::int64_t>(spec.idOffset)) {
            return error(DpErrc::BadValue, dp,
                         "credential id " + std::to_string(value) + " is below the id offset " +
                             std::to_string(spec.idOffset));
        }
        const auto id = static_cast<std::uint32_t>(value - spec.idOffset);
        (spec.credential == CredentialSource::HardwareId ? event.credential : event.member) = id;
    }
    outcome.event = event;
    return outcome;
}

Outcome scalarRole(const DpSpec& spec, const DpRecord& dp, std::int64_t value,
                   std::optional<std::int64_t> lockTime) {
    DpOutcome outcome;
    switch (spec.role) {
        case DpRole::Motor: {
            auto state = lookup(spec.lockStates, dp, value);
            if (!state) {
                return tl::unexpected(state.error());
            }
            outcome.state.lock = *state;
            return outcome;
        }
        case DpRole::Battery:
            if (value < 0 || value > kMaxBatteryPercent) {
                return error(DpErrc::BadValue, dp,
                             "battery " + std::to_string(value) + " is outside 0-100 %");
            }
            outcome.state.battery = static_cast<int>(value);
            return outcome;
        case DpRole::BatteryLevel: {
            auto level = lookup(spec.batteryLevels, dp, value);
            if (!level) {
                return tl::unexpected(level.error());
            }
            outcome.state.batteryLevel = *level;
            return outcome;
        }
        case DpRole::Door: {
            auto door = lookup(spec.doorStates, dp, value);
            if (!door) {
                return tl::unexpected(door.error());
            }
            outcome.state.door = *door;
            outcome.event =
                eventOf(*door == DoorState::Open ? EventKind::DoorOpened : EventKind::DoorClosed,
                        dp, lockTime);
            return outcome;
        }
        case DpRole::Alarm: {
            auto alarm = lookup(spec.alarms, dp, value);
            if (!alarm) {
                return tl::unexpected(alarm.error());
            }
            outcome.event = eventForAlarm(*alarm, dp.id, lockTime);
            return outcome;
        }
        case DpRole::Duress:
        case DpRole::Doorbell:
        case DpRole::UnlockRequest:
            // Zero is the "over" edge (alarm cleared, request withdrawn): nothing happened.
            if (value != 0) {
                const auto kind = spec.role == DpRole::Duress     ? EventKind::Duress
                                  : spec.role == DpRole::Doorbell ? EventKind::Doorbell
                                                                  : EventKind::UnlockRequest;
                outcome.event = eventOf(kind, dp, lockTime);
                if (kind == EventKind::UnlockRequest && dp.type == dptype::kValue && value > 0) {
                    outcome.event->requestWindowS = static_cast<std::uint32_t>(value);
                }
            }
            return outcome;
        case DpRole::UnlockRecord:
            return unlockRecord(spec, dp, value, lockTime);
        default:  // ManualLock echoes carry nothing beyond the motor DP that follows
            return outcome;
    }
}

Outcome offlineCode(const DpSpec& spec, const DpRecord& dp, std::optional<std::int64_t> lockTime) {
    if (dp.raw.size() != kOfflineRecordSize) {
        return error(DpErrc::WrongLength, dp,
                     "an offline-code record is 16 bytes, got " + std::to_string(dp.raw.size()));
    }
    const auto action = spec.codeAction.value_or(OfflineCodeAction::Unlock);
    DpOutcome outcome;
    outcome.event =
        eventOf(action == OfflineCodeAction::Unlock ? EventKind::Unlock : EventKind::CodeUsed, dp,
                lockTime);
    outcome.event->method = UnlockMethod::Offline;
    outcome.event->codeAction = action;
    return outcome;
}

Outcome commandReply(const DpSpec& spec, const DpRecord& dp) {
    const auto layout = replyLayout(spec.role);
    if (dp.raw.size() != layout.size) {
        return error(DpErrc::WrongLength, dp,
                     "a " + std::string(dpRoleName(spec.role)) + " reply is " +
                         std::to_string(layout.size) + " bytes, got " +
                         std::to_string(dp.raw.size()));
    }
    CommandReply reply;
    reply.role = spec.role;
    reply.code = dp.raw[layout.resultAt];
    const auto echo = dp.raw.begin() + static_cast<std::ptrdiff_t>(layout.echoAt);
    reply.echo.assign(echo, echo + static_cast<std::ptrdiff_t>(layout.echoSize));
    auto it = spec.results.find(reply.code);
    reply.reason = it != spec.results.end() ? it->second : "result_" + std::to_string(reply.code);
    DpOutcome outcome;
    outcome.reply = std::move(reply);
    return outcome;
}

// DP 1 reports every stage of an enrolment; the reason is "ok" once it completed. DP 2 answers
// a deletion, result 0 meaning deleted.
Outcome unlockMethodReport(const DpSpec& spec, const DpRecord& dp) {
    CommandReply reply;
    reply.role = spec.role;
    if (spec.role == DpRole::UnlockMethodCreate) {
        auto report = decodeCreateReport(dp.raw);
        if (!report) {
            return error(DpErrc::WrongLength, dp, report.error().message);
        }
        reply.code = report->result;
        switch (static_cast<CreateStage>(report->stage)) {
            case CreateStage::Complete:
                reply.reason = "ok";
                break;
            case CreateStage::Failed:
                reply.reason = createFailureName(report->result);
                break;
            case CreateStage::Running:
                reply.reason = "running";
                break;
            case CreateStage::Cancel:
                reply.reason = "cancelled";
                break;
            default:
                return error(DpErrc::BadValue, dp,
                             "stage " + std::to_string(report->stage) + " is not a report stage");
        }
        reply.echo = {report->type, report->memberId};
        reply.created = *report;
    } else {
        auto deleted = decodeDeleteReply(dp.raw);
        if (!deleted) {
            return error(DpErrc::WrongLength, dp, deleted.error().message);
        }
        reply.code = deleted->result;
        reply.reason = deleted->result == 0 ? "ok" : "result_" + std::to_string(deleted->result);
        reply.echo = {deleted->type, deleted->memberId, deleted->hardwareId};
        reply.deleted = *deleted;
    }
    DpOutcome outcome;
    outcome.reply = std::move(reply);
    return outcome;
}

Outcome translateKnown(const DpSpec& spec, const DpRecord& dp,
                       std::optional<std::int64_t> lockTime) {
    if (dp.type != spec.type) {
        return error(DpErrc::WrongType, dp,
                     "expected type " + std::string(dpTypeName(spec.type)) + ", got " +
                         std::string(dpTypeName(dp.type)));
    }
    switch (spec.role) {
        case DpRole::OfflineCode:
            return offlineCode(spec, dp, lockTime);
        case DpRole::BleUnlock:
        case DpRole::RemoteSetKey:
        case DpRole::RemoteUnlock:
        case DpRole::CheckCodeUnlock:
        case DpRole::TempPasswordCreate:
        case DpRole::TempPasswordDelete:
        case DpRole::TempPasswordModify:
            return commandReply(spec, dp);
        case DpRole::UnlockMethodCreate:
        case DpRole::UnlockMethodDelete:
            return unlockMethodReport(spec, dp);
        default: {
            auto value = scalarOf(dp);
            if (!value) {
                return tl::unexpected(value.error());
            }
            return scalarRole(spec, dp, *value, lockTime);
        }
    }
}

}  // namespace

std::string_view dpErrcName(DpErrc code) {
    switch (code) {
        case DpErrc::UnknownDp:
            return "unknown_dp";
        case DpErrc::WrongType:
            return "wrong_type";
        case DpErrc::WrongLength:
            return "wrong_length";
        case DpErrc::BadValue:
            return "bad_value";
    }
    return "bad_value";
}

tl::expected<DpOutcome, DpError> DpTranslator::translate(
    const DpRecord& dp, std::optional<std::int64_t> lockTime) const {
    const DpSpec* spec = profile_.find(dp.id);
    if (spec == nullptr) {
        if (standardDpCarriesSecret(dp.id)) {
            auto unknown = error(DpErrc::UnknownDp, dp,
                                 "not in profile " + profile_.name +
                                     ", and its standard layout carries a secret: not published");
            unknown.value().secretPayload = true;
            return unknown;
        }
        return error(DpErrc::UnknownDp, dp, "not in profile " + profile_.name);
    }
    if (spec->role == DpRole::Ignore) {
        return DpOutcome{};
    }
    auto outcome = translateKnown(*spec, dp, lockTime);
    if (!outcome && spec->role == DpRole::CheckCodeUnlock) {
        outcome.error().secretPayload = true;
    }
    return outcome;
}

}  // namespace lockhub::domain
