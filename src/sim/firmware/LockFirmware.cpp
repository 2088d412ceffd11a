#include "sim/firmware/LockFirmware.h"

#include <algorithm>

#include "domain/codes/DynamicCode.h"
#include "domain/codes/OfflineCodeVerifier.h"
#include "sim/firmware/ByteReader.h"

namespace lockhub::sim {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr int kLowBatteryPercent = 10;

const Bytes* rawOf(const Dp& dp) {
    return std::get_if<Bytes>(&dp.value);
}

std::uint8_t batteryState(int percent) {
    if (percent > 66) {
        return 0;
    }
    return percent > 33 ? 1 : 2;
}

}  // namespace

LockFirmware::LockFirmware(SecretString loginKey, std::uint32_t t0)
    : loginKey_(std::move(loginKey)), t0_(t0) {}

std::uint8_t LockFirmware::write(const std::vector<Dp>& dps, std::int64_t now,
                                 FirmwareOutput& out) {
    bool ok = !dps.empty();
    for (const auto& dp : dps) {
        ok = writeOne(dp, now, out) && ok;
    }
    return ok ? 0 : 1;
}

bool LockFirmware::writeOne(const Dp& dp, std::int64_t now, FirmwareOutput& out) {
    if (dp.id == dp::kManualLock) {
        const bool* on = std::get_if<bool>(&dp.value);
        if (on == nullptr) {
            return false;
        }
        if (*on) {
            lockMotor(out);
        }
        return true;
    }
    if (dp.id == dp::kOfflineT0) {
        return setT0(dp);
    }
    const Bytes* raw = rawOf(dp);
    if (raw == nullptr) {
        return false;
    }
    switch (dp.id) {
        case dp::kUnlockMethodCreate:
            return unlockMethods_.create(*raw, out);
        case dp::kUnlockMethodDelete:
            return unlockMethods_.remove(*raw, out);
        case dp::kUnlockMethodModify:
            return unlockMethods_.modify(*raw, out);
        case dp::kBleUnlock:
            return bleUnlock(*raw, now, out);
        case dp::kTempPasswordCreate:
            return tempPasswords_.create(*raw, out);
        case dp::kTempPasswordDelete:
            return tempPasswords_.remove(*raw, out);
        case dp::kTempPasswordModify:
            return tempPasswords_.modify(*raw, out);
        case dp::kRemoteSetKey:
            return remoteKey_.set(*raw, out);
        case dp::kRemoteUnlock:
            return remoteUnlock(*raw, now, out);
        case dp::kCheckCodeSet:
            return checkCodes_.set(*raw, out);
        case dp::kCheckCodeUnlock:
            return checkCodeUnlock(*raw, now, out);
        default:
            return false;
    }
}

bool LockFirmware::setT0(const Dp& dp) {
    std::string digits;
    if (const auto* text = std::get_if<std::string>(&dp.value)) {
        digits = *text;
    } else if (const auto* raw = rawOf(dp)) {
        digits.assign(raw->begin(), raw->end());
    }
    if (digits.size() != 10 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    const auto value = std::stoull(digits);
    if (value > UINT32_MAX) {
        return false;
    }
    t0_ = static_cast<std::uint32_t>(value);
    return true;
}

std::vector<Dp> LockFirmware::status(const std::vector<std::uint8_t>& ids) const {
    const std::vector<Dp> all = {
        Dp::integer(dp::kBatteryPercent, battery_),
        Dp::enumeration(dp::kBatteryState, batteryState(battery_)),
        Dp::boolean(dp::kMotorState, locked_),
    };
    if (ids.empty()) {
        return all;
    }
    std::vector<Dp> picked;
    for (const auto& dp : all) {
        if (std::find(ids.begin(), ids.end(), dp.id) != ids.end()) {
            picked.push_back(dp);
        }
    }
    return picked;
}

void LockFirmware::unlock(std::uint8_t recordDp, std::uint32_t value, std::string method,
                          std::int64_t now, FirmwareOutput& out) {
    out.records.push_back({Dp::integer(recordDp, static_cast<std::int32_t>(value))});
    locked_ = false;
    out.status.push_back({Dp::boolean(dp::kMotorState, false)});
    lastUnlock_ = LastUnlock{std::move(method), value, now};
}

void LockFirmware::lockMotor(FirmwareOutput& out) {
    locked_ = true;
    out.status.push_back({Dp::boolean(dp::kMotorState, true)});
}

KeypadOutcome LockFirmware::keypad(std::string_view digits, std::int64_t now, FirmwareOutput& out) {
    if (digits.empty() || digits.size() > 16 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        alarm(Alarm::WrongPassword, now, out);
        return {"none", -1, false, std::nullopt};
    }
    if (const auto* credential = unlockMethods_.matchPassword(digits, now)) {
        unlock(dp::kRecordPassword, credential->hardwareId, "password", now, out);
        return {"password", 0, true, std::nullopt};
    }
    if (const auto temp = tempPasswords_.use(digits, now)) {
        unlock(dp::kRecordTempPassword, *temp, "temp_password", now, out);
        return {"temp_password", 0, true, std::nullopt};
    }
    if (digits.size() == domain::codes::kDynamicCodeDigits) {
        const auto result =
            domain::codes::verifyDynamicCode(loginKey_, SecretString(std::string(digits)), now);
        if (result == domain::codes::DynamicCodeResult::Accepted) {
            unlock(dp::kRecordDynamic, 1, "dynamic", now, out);
            return {"dynamic", 0, true, std::nullopt};
        }
        alarm(Alarm::WrongPassword, now, out);
        return {"dynamic", static_cast<int>(result), false, std::nullopt};
    }
    if (digits.size() == domain::codes::OfflineCodePlaintext::kLength) {
        return offlineCode(digits, now, out);
    }
    alarm(Alarm::WrongPassword, now, out);
    return {"none", -1, false, std::nullopt};
}

KeypadOutcome LockFirmware::offlineCode(std::string_view digits, std::int64_t now,
                                        FirmwareOutput& out) {
    using domain::codes::OfflineVerifyResult;
    const auto verifier = domain::codes::OfflineCodeVerifier::create(loginKey_, t0_);
    if (!verifier) {
        alarm(Alarm::WrongPassword, now, out);
        return {"offline", -2, false, std::nullopt};
    }
    const auto verification =
        verifier->verify(offlineTable_, SecretString(std::string(digits)), now);
    KeypadOutcome outcome{"offline", domain::codes::resultCode(verification.result), false,
                          std::nullopt};
    if (!verification.report) {
        alarm(Alarm::WrongPassword, now, out);
        return outcome;
    }
    const auto& report = *verification.report;
    outcome.reportDp = report.dp;
    const Bytes value(report.value.begin(), report.value.end());
    out.records.push_back({Dp::raw(report.dp, value)});
    if (verification.result == OfflineVerifyResult::Accepted) {
        outcome.unlocked = true;
        locked_ = false;
        out.status.push_back({Dp::boolean(dp::kMotorState, false)});
        lastUnlock_ = LastUnlock{"offline", 0, now};
    }
    return outcome;
}

void LockFirmware::fingerprint(std::uint8_t hardwareId, std::int64_t now, FirmwareOutput& out) {
    if (!unlockMethods_.present(CredentialType::Fingerprint, out)) {
        unlock(dp::kRecordFingerprint, hardwareId, "fingerprint", now, out);
    }
}

void LockFirmware::card(std::uint8_t hardwareId, std::int64_t now, FirmwareOutput& out) {
    if (!unlockMethods_.present(CredentialType::Card, out)) {
        unlock(dp::kRecordCard, hardwareId, "card", now, out);
    }
}

void LockFirmware::mechanicalKey(std::int64_t now, FirmwareOutput& out) {
    unlock(dp::kRecordKey, 1, "key", now, out);
}

void LockFirmware::alarm(Alarm alarm, std::int64_t, FirmwareOutput& out) {
    out.records.push_back({Dp::enumeration(dp::kAlarm, static_cast<std::uint32_t>(alarm))});
}

void LockFirmware::hijack(std::int64_t, FirmwareOutput& out) {
    out.records.push_back({Dp::boolean(dp::kHijack, true)});
}

void LockFirmware::doorbell(std::int64_t, FirmwareOutput& out) {
    out.records.push_back({Dp::boolean(dp::kDoorbell, true)});
}

void LockFirmware::remoteUnlockRequest(std::int64_t, FirmwareOutput& out) {
    out.records.push_back({Dp::integer(dp::kRemoteUnlockRequest, 60)});
}

void LockFirmware::setBattery(int percent, std::int64_t now, FirmwareOutput& out) {
    battery_ = std::clamp(percent, 0, 100);
    // Built element by element: GCC 12 -O3 warns falsely on a two-Dp initializer list here.
    std::vector<Dp> report;
    report.push_back(Dp::integer(dp::kBatteryPercent, battery_));
    report.push_back(Dp::enumeration(dp::kBatteryState, batteryState(battery_)));
    out.status.push_back(std::move(report));
    if (battery_ <= kLowBatteryPercent && !lowBatteryAlarmed_) {
        lowBatteryAlarmed_ = true;
        alarm(Alarm::LowBattery, now, out);
    } else if (battery_ > kLowBatteryPercent) {
        lowBatteryAlarmed_ = false;
    }
}

bool LockFirmware::bleUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now,
                             FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint8_t open = 0;
    std::uint8_t member = 0;
    if (!reader.u8(open) || !reader.u8(member) || !reader.done() || open > 1) {
        return false;
    }
    if (open == 1) {
        unlock(dp::kRecordBle, member, "ble", now, out);
    } else {
        lockMotor(out);
    }
    out.status.push_back({Dp::raw(dp::kBleUnlock, {1, member})});
    return true;
}

bool LockFirmware::remoteUnlock(const Bytes& raw, std::int64_t now, FirmwareOutput& out) {
    const auto outcome = remoteKey_.present(raw, now);
    if (!outcome) {
        return false;
    }
    if (const auto& grant = outcome->granted) {
        if (!grant->open) {
            lockMotor(out);
        } else if (grant->voice) {
            unlock(dp::kRecordRemoteVoice, grant->memberId, "remote_voice", now, out);
        } else {
            unlock(dp::kRecordRemotePhone, grant->memberId, "remote_phone", now, out);
        }
    }
    out.status.push_back(outcome->reply);
    return true;
}

bool LockFirmware::checkCodeUnlock(const Bytes& raw, std::int64_t now, FirmwareOutput& out) {
    const auto outcome = checkCodes_.present(raw);
    if (!outcome) {
        return false;
    }
    if (const auto& grant = outcome->granted) {
        if (!grant->open) {
            lockMotor(out);
        } else if (grant->method == 0) {
            unlock(dp::kRecordBle, grant->info.empty() ? 0 : grant->info[0], "ble", now, out);
        } else {
            out.records.push_back({Dp::raw(dp::kCheckCodeRecord, grant->echoed)});
            locked_ = false;
            out.status.push_back({Dp::boolean(dp::kMotorState, false)});
            lastUnlock_ = LastUnlock{"check_code", grant->masterId, now};
        }
    }
    out.status.push_back(outcome->reply);
    return true;
}

}  // namespace lockhub::sim
