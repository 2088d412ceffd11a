#include "sim/firmware/LockFirmware.h"

#include <algorithm>

#include "domain/codes/DynamicCode.h"
#include "domain/codes/OfflineCodeVerifier.h"
#include "sim/firmware/ByteReader.h"

namespace lockhub::sim {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t kStageStart = 0x00;
constexpr std::uint8_t kStageRunning = 0xFC;
constexpr std::uint8_t kStageFailed = 0xFD;
constexpr std::uint8_t kStageCancel = 0xFE;
constexpr std::uint8_t kStageComplete = 0xFF;
constexpr std::uint8_t kAutoHardwareId = 0xFF;
constexpr int kFingerprintTouches = 4;
constexpr int kLowBatteryPercent = 10;

// DP 1 failure reasons (reference §2.3).
constexpr std::uint8_t kFailDuplicate = 2;
constexpr std::uint8_t kFailNoHardwareId = 3;
constexpr std::uint8_t kFailBadPassword = 4;
constexpr std::uint8_t kFailBadPasswordLength = 5;
constexpr std::uint8_t kFailBadMethod = 6;

// DP 61 results (SDK).
constexpr std::uint8_t kRemoteOk = 0;
constexpr std::uint8_t kRemoteNoKey = 2;
constexpr std::uint8_t kRemoteExhausted = 3;
constexpr std::uint8_t kRemoteOutsideWindow = 4;
constexpr std::uint8_t kRemoteKeyMismatch = 5;

// DP 70/71 results (reference §2.3).
constexpr std::uint8_t kCheckOk = 0;
constexpr std::uint8_t kCheckBadMaster = 2;
constexpr std::uint8_t kCheckSlaveMismatch = 3;
constexpr std::uint8_t kCheckSrandMismatch = 4;
constexpr std::uint8_t kCheckBadOperation = 5;
constexpr std::uint8_t kCheckFull = 6;
constexpr std::uint8_t kCheckNotFound = 7;
constexpr std::uint16_t kAdminMaster = 0xFFFF;
constexpr std::uint16_t kAnySlave = 0xFFFF;

// DP 51/52/53 results.
constexpr std::uint8_t kTempOk = 0;
constexpr std::uint8_t kTempFail = 1;
constexpr std::uint8_t kTempNoSlot = 2;

bool readValidity(ByteReader& reader, Validity& validity) {
    Bytes rest;
    if (!reader.u32(validity.effective) || !reader.u32(validity.expiry) ||
        !reader.bytes(validity.rest.size(), rest)) {
        return false;
    }
    std::copy(rest.begin(), rest.end(), validity.rest.begin());
    return true;
}

bool inWindow(const Validity& validity, std::int64_t now) {
    return now >= validity.effective && now <= validity.expiry;
}

bool validPin(const Bytes& pin) {
    return std::all_of(pin.begin(), pin.end(), [](std::uint8_t d) { return d <= 9; });
}

const Bytes* rawOf(const Dp& dp) {
    return std::get_if<Bytes>(&dp.value);
}

bool sameBytes(const Bytes& a, const std::array<std::uint8_t, 8>& b) {
    std::uint8_t diff = 0;  // no early exit: check codes are secrets
    for (std::size_t i = 0; i < b.size(); ++i) {
        diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
    }
    return diff == 0;
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
            return createMethod(*raw, now, out);
        case dp::kUnlockMethodDelete:
            return deleteMethod(*raw, out);
        case dp::kUnlockMethodModify:
            return modifyMethod(*raw, out);
        case dp::kBleUnlock:
            return bleUnlock(*raw, now, out);
        case dp::kTempPasswordCreate:
            return createTemp(*raw, out);
        case dp::kTempPasswordDelete:
            return deleteTemp(*raw, out);
        case dp::kTempPasswordModify:
            return modifyTemp(*raw, out);
        case dp::kRemoteSetKey:
            return setRemoteKey(*raw, out);
        case dp::kRemoteUnlock:
            return remoteUnlock(*raw, now, out);
        case dp::kCheckCodeSet:
            return setCheckCode(*raw, out);
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
    for (const auto& credential : credentials_) {
        if (credential.type == CredentialType::Password && inWindow(credential.validity, now) &&
            pinMatches(credential.pin, digits)) {
            unlock(dp::kRecordPassword, credential.hardwareId, "password", now, out);
            return {"password", 0, true, std::nullopt};
        }
    }
    for (auto& [id, temp] : tempPasswords_) {
        if (!temp.usedUp && inWindow(temp.validity, now) && pinMatches(temp.pin, digits)) {
            if (temp.usesLeft > 0 && --temp.usesLeft == 0) {
                temp.usedUp = true;
            }
            unlock(dp::kRecordTempPassword, id, "temp_password", now, out);
            return {"temp_password", 0, true, std::nullopt};
        }
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

bool LockFirmware::pinMatches(const std::vector<std::uint8_t>& pin, std::string_view digits) const {
    if (pin.size() != digits.size()) {
        return false;
    }
    std::uint8_t diff = 0;  // no early exit: a keypad must not leak how much matched
    for (std::size_t i = 0; i < pin.size(); ++i) {
        diff =
            static_cast<std::uint8_t>(diff | (pin[i] ^ static_cast<std::uint8_t>(digits[i] - '0')));
    }
    return diff == 0;
}

void LockFirmware::fingerprint(std::uint8_t hardwareId, std::int64_t now, FirmwareOutput& out) {
    unlock(dp::kRecordFingerprint, hardwareId, "fingerprint", now, out);
}

void LockFirmware::card(std::uint8_t hardwareId, std::int64_t now, FirmwareOutput& out) {
    unlock(dp::kRecordCard, hardwareId, "card", now, out);
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

std::optional<std::uint8_t> LockFirmware::freeHardwareId(CredentialType type) const {
    for (std::uint8_t id = 0; id < kAutoHardwareId; ++id) {
        const bool taken =
            std::any_of(credentials_.begin(), credentials_.end(),
                        [&](const Credential& c) { return c.type == type && c.hardwareId == id; });
        if (!taken) {
            return id;
        }
    }
    return std::nullopt;
}

bool LockFirmware::createMethod(const std::vector<std::uint8_t>& raw, std::int64_t,
                                FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint8_t type = 0, stage = 0, admin = 0, member = 0, hardwareId = 0, times = 0,
                 pinLength = 0;
    Credential credential;
    if (!reader.u8(type) || !reader.u8(stage) || !reader.u8(admin) || !reader.u8(member) ||
        !reader.u8(hardwareId) || !readValidity(reader, credential.validity) || !reader.u8(times) ||
        !reader.u8(pinLength) || !reader.bytes(pinLength, credential.pin) || !reader.done()) {
        return false;
    }
    auto progress = [&](std::uint8_t reportStage, std::uint8_t id, std::uint8_t count,
                        std::uint8_t result) {
        out.status.push_back({Dp::raw(dp::kUnlockMethodCreate,
                                      {type, reportStage, admin, member, id, count, result})});
    };
    if (stage == kStageCancel) {
        progress(kStageCancel, hardwareId, 0, 0);
        return true;
    }
    if (stage != kStageStart) {
        return false;
    }
    if (type < 1 || type > 4) {
        progress(kStageFailed, hardwareId, 0, kFailBadMethod);
        return true;
    }
    credential.type = static_cast<CredentialType>(type);
    if (credential.type == CredentialType::Password) {
        if (pinLength < 6 || pinLength > 10) {
            progress(kStageFailed, hardwareId, 0, kFailBadPasswordLength);
            return true;
        }
        if (!validPin(credential.pin)) {
            progress(kStageFailed, hardwareId, 0, kFailBadPassword);
            return true;
        }
        const bool duplicate =
            std::any_of(credentials_.begin(), credentials_.end(), [&](const Credential& c) {
                return c.type == CredentialType::Password && c.pin == credential.pin;
            });
        if (duplicate) {
            progress(kStageFailed, hardwareId, 0, kFailDuplicate);
            return true;
        }
    } else {
        credential.pin.clear();
    }
    if (hardwareId == kAutoHardwareId) {
        const auto free = freeHardwareId(credential.type);
        if (!free) {
            progress(kStageFailed, hardwareId, 0, kFailNoHardwareId);
            return true;
        }
        hardwareId = *free;
    } else if (std::any_of(credentials_.begin(), credentials_.end(), [&](const Credential& c) {
                   return c.type == credential.type && c.hardwareId == hardwareId;
               })) {
        progress(kStageFailed, hardwareId, 0, kFailDuplicate);
        return true;
    }
    credential.hardwareId = hardwareId;
    credential.memberId = member;
    credential.admin = admin != 0;
    credential.times = times;
    if (credential.type == CredentialType::Fingerprint) {
        // The finger is placed kFingerprintTouches times; the sim does the touching itself.
        for (int touch = 1; touch <= kFingerprintTouches; ++touch) {
            progress(kStageRunning, hardwareId, static_cast<std::uint8_t>(touch), 0);
        }
    }
    credentials_.push_back(std::move(credential));
    progress(kStageComplete, hardwareId, 0, 0);
    return true;
}

bool LockFirmware::deleteMethod(const std::vector<std::uint8_t>& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint8_t type = 0, stage = 0, admin = 0, member = 0, hardwareId = 0, style = 0;
    if (!reader.u8(type) || !reader.u8(stage) || !reader.u8(admin) || !reader.u8(member) ||
        !reader.u8(hardwareId) || !reader.u8(style) || !reader.done()) {
        return false;
    }
    // Style 1 deletes one credential; anything else every credential of that member and type.
    const auto before = credentials_.size();
    std::erase_if(credentials_, [&](const Credential& c) {
        return static_cast<std::uint8_t>(c.type) == type &&
               (style == 1 ? c.hardwareId == hardwareId : c.memberId == member);
    });
    const std::uint8_t result = credentials_.size() < before ? 0 : 1;
    out.status.push_back({Dp::raw(dp::kUnlockMethodDelete,
                                  {type, stage, admin, member, hardwareId, style, result})});
    return true;
}

bool LockFirmware::modifyMethod(const std::vector<std::uint8_t>& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint8_t type = 0, stage = 0, admin = 0, member = 0, hardwareId = 0, times = 0,
                 pinLength = 0;
    Validity validity;
    Bytes pin;
    if (!reader.u8(type) || !reader.u8(stage) || !reader.u8(admin) || !reader.u8(member) ||
        !reader.u8(hardwareId) || !readValidity(reader, validity) || !reader.u8(times) ||
        !reader.u8(pinLength) || !reader.bytes(pinLength, pin) || !reader.done()) {
        return false;
    }
    auto found = std::find_if(credentials_.begin(), credentials_.end(), [&](const Credential& c) {
        return static_cast<std::uint8_t>(c.type) == type && c.hardwareId == hardwareId;
    });
    const bool pinOk = pin.empty() || (validPin(pin) && pin.size() >= 6 && pin.size() <= 10);
    if (found == credentials_.end() || !pinOk) {
        out.status.push_back({Dp::raw(dp::kUnlockMethodModify,
                                      {type, kStageFailed, admin, member, hardwareId, 0, 1})});
        return true;
    }
    found->validity = validity;
    found->times = times;
    found->admin = admin != 0;
    found->memberId = member;
    if (found->type == CredentialType::Password && !pin.empty()) {
        found->pin = pin;
    }
    out.status.push_back({Dp::raw(dp::kUnlockMethodModify,
                                  {type, kStageComplete, admin, member, hardwareId, 0, 0})});
    return true;
}

bool LockFirmware::createTemp(const std::vector<std::uint8_t>& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    TempPassword temp;
    std::uint8_t pinLength = 0;
    if (!reader.u8(temp.type) || !readValidity(reader, temp.validity) ||
        !reader.u8(temp.usesLeft) || !reader.u8(pinLength) || !reader.bytes(pinLength, temp.pin) ||
        !reader.done()) {
        return false;
    }
    auto reply = [&](std::uint8_t id, std::uint8_t result) {
        out.status.push_back({Dp::raw(dp::kTempPasswordCreate, {id, result})});
    };
    if (pinLength < 6 || pinLength > 10 || !validPin(temp.pin)) {
        reply(kAutoHardwareId, kTempFail);
        return true;
    }
    std::optional<std::uint8_t> slot;
    for (std::uint8_t id = 0; id < kMaxTempPasswords && !slot; ++id) {
        if (!tempPasswords_.contains(id)) {
            slot = id;
        }
    }
    if (!slot) {
        reply(kAutoHardwareId, kTempNoSlot);
        return true;
    }
    temp.hardwareId = *slot;
    tempPasswords_.emplace(*slot, std::move(temp));
    reply(*slot, kTempOk);
    return true;
}

bool LockFirmware::deleteTemp(const std::vector<std::uint8_t>& raw, FirmwareOutput& out) {
    if (raw.size() != 1) {
        return false;
    }
    const std::uint8_t result = tempPasswords_.erase(raw[0]) > 0 ? kTempOk : kTempFail;
    out.status.push_back({Dp::raw(dp::kTempPasswordDelete, {raw[0], result})});
    return true;
}

bool LockFirmware::modifyTemp(const std::vector<std::uint8_t>& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint8_t id = 0, pinLength = 0;
    TempPassword temp;
    if (!reader.u8(id) || !reader.u8(temp.type) || !readValidity(reader, temp.validity) ||
        !reader.u8(temp.usesLeft) || !reader.u8(pinLength) || !reader.bytes(pinLength, temp.pin) ||
        !reader.done()) {
        return false;
    }
    auto found = tempPasswords_.find(id);
    const bool ok =
        found != tempPasswords_.end() && pinLength >= 6 && pinLength <= 10 && validPin(temp.pin);
    if (ok) {
        temp.hardwareId = id;
        found->second = std::move(temp);
    }
    out.status.push_back({Dp::raw(dp::kTempPasswordModify, {id, ok ? kTempOk : kTempFail})});
    return true;
}

bool LockFirmware::setRemoteKey(const std::vector<std::uint8_t>& raw, FirmwareOutput& out) {
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
    remoteKey_ = key;
    Bytes reply{0};
    putU16(reply, key.memberId);
    out.status.push_back({Dp::raw(dp::kRemoteSetKey, reply)});
    return true;
}

bool LockFirmware::remoteUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now,
                                FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint8_t open = 0, type = 0;
    std::uint16_t member = 0;
    Bytes key;
    if (!reader.u8(open) || !reader.u16(member) || !reader.bytes(8, key) || !reader.u8(type) ||
        !reader.done()) {
        return false;
    }
    std::uint8_t result = kRemoteOk;
    if (!remoteKey_.valid) {
        result = kRemoteNoKey;
    } else if (remoteKey_.usesLeft == 0) {
        result = kRemoteExhausted;
    } else if (now < remoteKey_.begin || now > remoteKey_.end) {
        result = kRemoteOutsideWindow;
    } else {
        std::uint8_t diff = 0;
        for (std::size_t i = 0; i < key.size(); ++i) {
            diff = static_cast<std::uint8_t>(diff | (key[i] ^ remoteKey_.key[i]));
        }
        if (diff != 0) {
            result = kRemoteKeyMismatch;
        }
    }
    if (result == kRemoteOk) {
        --remoteKey_.usesLeft;
        if (open == 1) {
            const bool voice = type == 2;
            unlock(voice ? dp::kRecordRemoteVoice : dp::kRecordRemotePhone, member,
                   voice ? "remote_voice" : "remote_phone", now, out);
        } else {
            lockMotor(out);
        }
    }
    Bytes reply{result};
    putU16(reply, member);
    out.status.push_back({Dp::raw(dp::kRemoteUnlock, reply)});
    return true;
}

// DP 70: the admin (master 0xFFFF) adds or deletes a master's 8-byte check code. The request
// proves itself with a code the lock already holds, or all zeros while it holds none.
bool LockFirmware::setCheckCode(const std::vector<std::uint8_t>& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint16_t master = 0, slave = 0, newMaster = 0;
    std::uint8_t operation = 0;
    Bytes srand, newSrand;
    if (!reader.u16(master) || !reader.u16(slave) || !reader.bytes(8, srand) ||
        !reader.u8(operation) || !reader.u16(newMaster) || !reader.bytes(8, newSrand) ||
        !reader.done()) {
        return false;
    }
    const bool known =
        checkCodes_.empty()
            ? std::all_of(srand.begin(), srand.end(), [](std::uint8_t b) { return b == 0; })
            : std::any_of(checkCodes_.begin(), checkCodes_.end(),
                          [&](const auto& entry) { return sameBytes(srand, entry.second); });
    std::uint8_t result = kCheckOk;
    if (master != kAdminMaster) {
        result = kCheckBadMaster;
    } else if (slave != kLockSlaveId && slave != kAnySlave) {
        result = kCheckSlaveMismatch;
    } else if (!known) {
        result = kCheckSrandMismatch;
    } else if (operation > 1) {
        result = kCheckBadOperation;
    } else if (operation == 0) {
        if (!checkCodes_.contains(newMaster) && checkCodes_.size() >= kMaxCheckCodes) {
            result = kCheckFull;
        } else {
            std::array<std::uint8_t, 8> code{};
            std::copy(newSrand.begin(), newSrand.end(), code.begin());
            checkCodes_[newMaster] = code;
        }
    } else if (checkCodes_.erase(newMaster) == 0) {
        result = kCheckNotFound;
    }
    Bytes reply;
    putU16(reply, slave);
    putU16(reply, master);
    reply.insert(reply.end(), srand.begin(), srand.end());
    reply.push_back(operation);
    putU16(reply, newMaster);
    reply.push_back(result);
    out.status.push_back({Dp::raw(dp::kCheckCodeSet, reply)});
    return true;
}

// DP 71: a master opens or closes with its check code. open_meth 0 records a BLE unlock (DP 19,
// member id = open_meth_info[0]); other methods are echoed as a DP 72 record with the ids swapped.
bool LockFirmware::checkCodeUnlock(const std::vector<std::uint8_t>& raw, std::int64_t now,
                                   FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint16_t master = 0, slave = 0;
    std::uint8_t operation = 0, method = 0;
    std::uint32_t timestamp = 0;
    Bytes srand;
    if (!reader.u16(master) || !reader.u16(slave) || !reader.bytes(8, srand) ||
        !reader.u8(operation) || !reader.u32(timestamp) || !reader.u8(method)) {
        return false;
    }
    constexpr std::size_t kFixedSize = 18;  // everything before open_meth_info
    const Bytes info(raw.begin() + kFixedSize, raw.end());
    const auto code = checkCodes_.find(master);
    std::uint8_t result = kCheckOk;
    if (code == checkCodes_.end()) {
        result = kCheckBadMaster;
    } else if (slave != kLockSlaveId && slave != kAnySlave) {
        result = kCheckSlaveMismatch;
    } else if (!sameBytes(srand, code->second)) {
        result = kCheckSrandMismatch;
    } else if (operation > 1) {
        result = kCheckBadOperation;
    }
    if (result == kCheckOk) {
        if (operation == 0) {
            lockMotor(out);
        } else if (method == 0) {
            unlock(dp::kRecordBle, info.empty() ? 0 : info[0], "ble", now, out);
        } else {
            Bytes echoed;
            putU16(echoed, slave);
            putU16(echoed, master);
            echoed.insert(echoed.end(), raw.begin() + 4, raw.end());
            out.records.push_back({Dp::raw(dp::kCheckCodeRecord, echoed)});
            locked_ = false;
            out.status.push_back({Dp::boolean(dp::kMotorState, false)});
            lastUnlock_ = LastUnlock{"check_code", master, now};
        }
    }
    Bytes reply;
    putU16(reply, slave);
    putU16(reply, master);
    reply.insert(reply.end(), srand.begin(), srand.end());
    reply.push_back(operation);
    for (int shift = 24; shift >= 0; shift -= 8) {
        reply.push_back(static_cast<std::uint8_t>(timestamp >> shift));
    }
    reply.push_back(method);
    reply.push_back(result);
    out.status.push_back({Dp::raw(dp::kCheckCodeUnlock, reply)});
    return true;
}

}  // namespace lockhub::sim
