#include "domain/lock/UnlockMethodDps.h"

#include <algorithm>
#include <array>

#include "domain/lock/ValidityBlock.h"

namespace lockhub::domain {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kReportSize = 7;
constexpr std::uint8_t kNotAdmin = 0;
constexpr std::uint8_t kUnlimitedUses = 0;
constexpr std::uint8_t kDeleteSingle = 1;

// type, stage, admin, member, hardware id, the 17-byte validity block, times, pin_len, pin.
Bytes createLayout(CredentialType type, CreateStage stage, std::uint8_t memberId,
                   std::uint8_t hardwareId, const Bytes& digits) {
    Bytes out = {static_cast<std::uint8_t>(type), static_cast<std::uint8_t>(stage), kNotAdmin,
                 memberId, hardwareId};
    appendValidity(out, kPermanentFrom, kPermanentTo);
    out.push_back(kUnlimitedUses);
    out.push_back(static_cast<std::uint8_t>(digits.size()));
    out.insert(out.end(), digits.begin(), digits.end());
    return out;
}

Result<void> checkReportSize(const Bytes& raw, const char* what) {
    if (raw.size() != kReportSize) {
        return fail(Errc::BadRequest, std::string("a ") + what + " is " +
                                          std::to_string(kReportSize) + " bytes, got " +
                                          std::to_string(raw.size()));
    }
    return {};
}

}  // namespace

std::optional<CredentialType> credentialTypeOf(UnlockMethod method) {
    switch (method) {
        case UnlockMethod::Password:
            return CredentialType::Password;
        case UnlockMethod::Card:
            return CredentialType::Card;
        case UnlockMethod::Fingerprint:
            return CredentialType::Fingerprint;
        case UnlockMethod::Face:
            return CredentialType::Face;
        default:
            return std::nullopt;
    }
}

Result<Bytes> encodeCreate(const CreateRequest& request) {
    const std::string& pin = request.pin.reveal();
    const bool password = request.type == CredentialType::Password;
    if (!password && !pin.empty()) {
        return fail(Errc::BadRequest, "only a password has a pin");
    }
    if (password &&
        (pin.empty() || pin.size() > kMaxPinDigits ||
         !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
        return fail(Errc::BadRequest,
                    "a pin is 1 to " + std::to_string(kMaxPinDigits) + " digits 0-9");
    }
    Bytes digits;
    for (char c : pin) {
        digits.push_back(static_cast<std::uint8_t>(c - '0'));
    }
    return createLayout(request.type, CreateStage::Start, request.memberId, request.hardwareId,
                        digits);
}

Bytes encodeCreateCancel(CredentialType type, std::uint8_t memberId) {
    return createLayout(type, CreateStage::Cancel, memberId, kLockChoosesHardwareId, {});
}

Result<CreateReport> decodeCreateReport(const Bytes& raw) {
    if (auto ok = checkReportSize(raw, "create report"); !ok) {
        return tl::unexpected(ok.error());
    }
    return CreateReport{raw[0], raw[1], raw[3], raw[4], raw[5], raw[6]};
}

std::string createFailureName(std::uint8_t reason) {
    static constexpr std::array<const char*, 9> kNames = {
        "timeout",        "failed",           "duplicate",
        "no_free_id",     "invalid_password", "invalid_password_length",
        "invalid_method", "fingerprint_busy", "card_busy"};
    if (reason < kNames.size()) {
        return kNames[reason];
    }
    return reason == 0xFE ? "wrong_number" : "reason_" + std::to_string(reason);
}

Bytes encodeDelete(CredentialType type, std::uint8_t memberId, std::uint8_t hardwareId) {
    return {static_cast<std::uint8_t>(type), 0, kNotAdmin, memberId, hardwareId, kDeleteSingle};
}

Result<DeleteReply> decodeDeleteReply(const Bytes& raw) {
    if (auto ok = checkReportSize(raw, "delete reply"); !ok) {
        return tl::unexpected(ok.error());
    }
    return DeleteReply{raw[0], raw[3], raw[4], raw[6]};
}

}  // namespace lockhub::domain
