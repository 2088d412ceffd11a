#include "domain/codes/OfflineCodeVerifier.h"

#include "domain/codes/CodeKeys.h"
#include "domain/codes/Ff1.h"

namespace lockhub::domain::codes {
namespace {

// Timed (0) and one-time (1): accepted again while stored valid, else stored on a first use
// inside the activation window (a one-time code is stored already used up).
OfflineVerifyResult verifyUnlockCode(OfflineCodeTable& table, const OfflineCodePlaintext& plain,
                                     OfflineCodeType type, std::uint32_t t0, std::int64_t now) {
    const std::int64_t start = plain.startTime(t0);
    if (start > now) {
        return OfflineVerifyResult::NotYetValid;
    }
    if (type == OfflineCodeType::Timed && plain.endTime(t0).value_or(0) < now) {
        return OfflineVerifyResult::Expired;
    }
    if (type == OfflineCodeType::OneTime && plain.field() > OfflineCodePlaintext::kMaxSerial) {
        return OfflineVerifyResult::BadSerial;
    }
    if (const auto stored = table.find(type, plain.body())) {
        return stored->status == OfflineEntryStatus::Invalid ? OfflineVerifyResult::UsedUp
                                                             : OfflineVerifyResult::Accepted;
    }
    if (now - start > activationWindowSeconds(type).value_or(0)) {
        return OfflineVerifyResult::ActivationMissed;
    }
    const auto status =
        type == OfflineCodeType::Timed ? OfflineEntryStatus::Valid : OfflineEntryStatus::Invalid;
    table.insert({status, type, plain.body()}, t0, now);
    return OfflineVerifyResult::Accepted;
}

// Clear-one (8): inside its own start..end, invalidates the stored code with the same body.
// The reference answers "nothing to clear" (not "not yet valid") before the start.
OfflineVerifyResult verifyClearOne(OfflineCodeTable& table, const OfflineCodePlaintext& plain,
                                   std::uint32_t t0, std::int64_t now) {
    if (plain.startTime(t0) > now) {
        return OfflineVerifyResult::NothingToClear;
    }
    if (plain.endTime(t0).value_or(0) < now) {
        return OfflineVerifyResult::Expired;
    }
    switch (table.clearOne(plain.body())) {
        case ClearOneOutcome::Cleared:
            return OfflineVerifyResult::ClearedOne;
        case ClearOneOutcome::AlreadyInvalid:
            return OfflineVerifyResult::UsedUp;
        case ClearOneOutcome::NotFound:
            break;
    }
    return OfflineVerifyResult::NothingToClear;
}

// Clear-all (9): recorded (used up) before it clears, so it counts even with nothing to clear
// and a repeat is refused.
OfflineVerifyResult verifyClearAll(OfflineCodeTable& table, const OfflineCodePlaintext& plain,
                                   std::uint32_t t0, std::int64_t now) {
    const std::int64_t start = plain.startTime(t0);
    if (start > now) {
        return OfflineVerifyResult::NotYetValid;
    }
    if (now - start > activationWindowSeconds(OfflineCodeType::ClearAll).value_or(0)) {
        return OfflineVerifyResult::ActivationMissed;
    }
    if (plain.field() > OfflineCodePlaintext::kMaxSerial) {
        return OfflineVerifyResult::BadSerial;
    }
    if (table.find(OfflineCodeType::ClearAll, plain.body())) {
        return OfflineVerifyResult::UsedUp;
    }
    table.insert({OfflineEntryStatus::Invalid, OfflineCodeType::ClearAll, plain.body()}, t0, now);
    return table.invalidateAllValid() ? OfflineVerifyResult::ClearedAll
                                      : OfflineVerifyResult::NothingToClear;
}

}  // namespace

tl::expected<OfflineCodeVerifier, CodeErrc> OfflineCodeVerifier::create(
    const SecretString& loginKey, std::uint32_t t0) {
    return offlineKeyFromLoginKey(loginKey).map(
        [t0](Secret<AesKey> key) { return OfflineCodeVerifier(std::move(key), t0); });
}

OfflineVerification OfflineCodeVerifier::verify(OfflineCodeTable& table, const SecretString& code,
                                                std::int64_t lockTime) const {
    if (code.reveal().size() != OfflineCodePlaintext::kLength) {
        return {OfflineVerifyResult::BadParameters, std::nullopt, std::nullopt};
    }
    const auto decrypted = Ff1(key_.reveal()).decrypt(code.reveal());
    if (!decrypted) {
        return {decrypted.error() == CodeErrc::MalformedCode ? OfflineVerifyResult::BadParameters
                                                             : OfflineVerifyResult::DecryptFailed,
                std::nullopt, std::nullopt};
    }
    // FF1 preserves the format, so ten digits in give ten digits out.
    const auto plain = OfflineCodePlaintext::parse(*decrypted);
    if (!plain) {
        return {OfflineVerifyResult::DecryptFailed, std::nullopt, std::nullopt};
    }
    const auto type = plain->type();
    if (!type) {
        return {OfflineVerifyResult::UnknownType, *plain, std::nullopt};
    }
    // Encrypted before any rule runs so that a cipher failure cannot follow a table change.
    const auto reportValue = encryptOfflineCodeReport(key_.reveal(), *plain);
    if (!reportValue) {
        return {OfflineVerifyResult::DecryptFailed, *plain, std::nullopt};
    }
    OfflineVerifyResult result = OfflineVerifyResult::Accepted;
    switch (*type) {
        case OfflineCodeType::Timed:
        case OfflineCodeType::OneTime:
            result = verifyUnlockCode(table, *plain, *type, t0_, lockTime);
            break;
        case OfflineCodeType::ClearOne:
            result = verifyClearOne(table, *plain, t0_, lockTime);
            break;
        case OfflineCodeType::ClearAll:
            result = verifyClearAll(table, *plain, t0_, lockTime);
            break;
    }
    if (!isAccepted(result)) {
        return {result, *plain, std::nullopt};
    }
    return {result, *plain, OfflineCodeReport{reportDpFor(*type), *reportValue}};
}

}  // namespace lockhub::domain::codes
