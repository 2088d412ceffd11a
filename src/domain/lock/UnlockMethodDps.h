// The payloads of the unlock-method DPs (reference §2.3; Tuya BLE lock SDK `open_meth_creat_t`,
// `open_meth_creat_result_t`): DP 1 creates a credential at the lock (a request, then progress
// reports until it completes or fails), DP 2 deletes one. The DP ids belong to the profile
// (roles unlock_method_create / unlock_method_delete); the layouts are the SDK's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/Error.h"
#include "domain/Secret.h"
#include "domain/lock/LockEvent.h"

namespace lockhub::domain {

// The `type` byte: which kind of credential.
enum class CredentialType : std::uint8_t { Password = 1, Card = 2, Fingerprint = 3, Face = 4 };
std::optional<CredentialType> credentialTypeOf(UnlockMethod method);

// A hardware id of 0xFF asks the lock to choose one.
inline constexpr std::uint8_t kLockChoosesHardwareId = 0xFF;
inline constexpr std::size_t kMaxPinDigits = 16;
// The Tuya member id the hub enrols and deletes credentials under: member ids are the cloud's
// (0x01-0x64), and the hub maps credentials to its own users instead.
inline constexpr std::uint8_t kHubMemberId = 1;

// DP 1 `stage`.
enum class CreateStage : std::uint8_t {
    Start = 0x00,
    Running = 0xFC,  // a step done (a fingerprint touch); `count` says how many
    Failed = 0xFD,   // `result` is the reason
    Cancel = 0xFE,
    Complete = 0xFF,  // `hardwareId` is the new credential's
};

struct CreateRequest {
    CredentialType type = CredentialType::Password;
    std::uint8_t memberId = 0;
    std::uint8_t hardwareId = kLockChoosesHardwareId;
    SecretString pin{};  // ASCII digits, passwords only
};

// The create request: permanent validity (the reference's 2000-01-01 .. 2030-12-31, no repeat,
// 00:00-23:59), unlimited uses, the PIN as digit values. BadRequest for a PIN that is not 1 to
// kMaxPinDigits ASCII digits, or a PIN on anything but a password. The bytes carry the PIN.
Result<std::vector<std::uint8_t>> encodeCreate(const CreateRequest& request);
// The same layout with stage Cancel: the lock stops a running enrolment of that type.
std::vector<std::uint8_t> encodeCreateCancel(CredentialType type, std::uint8_t memberId);

// A DP 1 report: `type, stage, admin, member_id, hardware_id, reg_num, result`.
struct CreateReport {
    std::uint8_t type = 0;
    std::uint8_t stage = 0;
    std::uint8_t memberId = 0;
    std::uint8_t hardwareId = 0;
    std::uint8_t count = 0;   // reg_num: steps done so far
    std::uint8_t result = 0;  // the failure reason at stage Failed

    bool operator==(const CreateReport&) const = default;
};
Result<CreateReport> decodeCreateReport(const std::vector<std::uint8_t>& raw);
// The SDK's failure reasons (duplicate, no_free_id, invalid_password, ...), else "reason_<n>".
std::string createFailureName(std::uint8_t reason);

// DP 2 deletes one credential (delete_style 1, single) by type and hardware id.
std::vector<std::uint8_t> encodeDelete(CredentialType type, std::uint8_t memberId,
                                       std::uint8_t hardwareId);
// The reply repeats the request and appends `result` (0 = deleted).
struct DeleteReply {
    std::uint8_t type = 0;
    std::uint8_t memberId = 0;
    std::uint8_t hardwareId = 0;
    std::uint8_t result = 0;

    bool operator==(const DeleteReply&) const = default;
};
Result<DeleteReply> decodeDeleteReply(const std::vector<std::uint8_t>& raw);

}  // namespace lockhub::domain
