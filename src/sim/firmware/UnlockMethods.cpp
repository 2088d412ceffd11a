#include "sim/firmware/UnlockMethods.h"

#include <algorithm>

#include "domain/Secret.h"
#include "sim/firmware/LockDps.h"
#include "sim/firmware/Pin.h"

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

// DP 1 failure reasons (reference §2.3).
constexpr std::uint8_t kFailDuplicate = 2;
constexpr std::uint8_t kFailFingerprintBusy = 7;
constexpr std::uint8_t kFailCardBusy = 8;
constexpr std::uint8_t kFailNoHardwareId = 3;
constexpr std::uint8_t kFailBadPassword = 4;
constexpr std::uint8_t kFailBadPasswordLength = 5;
constexpr std::uint8_t kFailBadMethod = 6;

bool validPasswordLength(std::size_t length) {
    return length >= 6 && length <= 10;
}

// DP 1 reports `type, stage, admin, member_id, hardware_id, reg_num, result`.
void report(FirmwareOutput& out, const Credential& credential, std::uint8_t stage,
            std::uint8_t count, std::uint8_t result) {
    out.status.push_back({Dp::raw(dp::kUnlockMethodCreate,
                                  {static_cast<std::uint8_t>(credential.type), stage,
                                   static_cast<std::uint8_t>(credential.admin ? 1 : 0),
                                   credential.memberId, credential.hardwareId, count, result})});
}

}  // namespace

bool UnlockMethods::create(const Bytes& raw, FirmwareOutput& out) {
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
        pending_.reset();
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
    if (pending_) {
        progress(kStageFailed, hardwareId, 0,
                 pending_->credential.type == CredentialType::Card ? kFailCardBusy
                                                                   : kFailFingerprintBusy);
        return true;
    }
    if (credential.type == CredentialType::Password) {
        if (!validPasswordLength(pinLength)) {
            progress(kStageFailed, hardwareId, 0, kFailBadPasswordLength);
            return true;
        }
        if (!isDigitPin(credential.pin)) {
            progress(kStageFailed, hardwareId, 0, kFailBadPassword);
            return true;
        }
        const bool duplicate =
            std::any_of(credentials_.begin(), credentials_.end(), [&](const Credential& c) {
                return c.type == CredentialType::Password &&
                       constantTimeEquals(c.pin, credential.pin);
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
    } else if (taken(credential.type, hardwareId)) {
        progress(kStageFailed, hardwareId, 0, kFailDuplicate);
        return true;
    }
    credential.hardwareId = hardwareId;
    credential.memberId = member;
    credential.admin = admin != 0;
    credential.times = times;
    if (credential.type != CredentialType::Password) {
        pending_ = Pending{std::move(credential), 0};  // waits for the finger, card or face
        return true;
    }
    credentials_.push_back(std::move(credential));
    progress(kStageComplete, hardwareId, 0, 0);
    return true;
}

bool UnlockMethods::present(CredentialType type, FirmwareOutput& out) {
    if (!pending_ || pending_->credential.type != type) {
        return false;
    }
    const int needed = type == CredentialType::Fingerprint ? kFingerprintTouches : 1;
    const auto steps = static_cast<std::uint8_t>(++pending_->steps);
    if (steps < needed) {
        report(out, pending_->credential, kStageRunning, steps, 0);
        return true;
    }
    if (type == CredentialType::Fingerprint) {
        report(out, pending_->credential, kStageRunning, steps, 0);
    }
    auto credential = std::move(pending_->credential);
    pending_.reset();
    report(out, credential, kStageComplete, steps, 0);
    credentials_.push_back(std::move(credential));
    return true;
}

bool UnlockMethods::remove(const Bytes& raw, FirmwareOutput& out) {
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

bool UnlockMethods::modify(const Bytes& raw, FirmwareOutput& out) {
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
    const bool pinOk = pin.empty() || (isDigitPin(pin) && validPasswordLength(pin.size()));
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

const Credential* UnlockMethods::matchPassword(std::string_view digits, std::int64_t now) const {
    for (const auto& credential : credentials_) {
        if (credential.type == CredentialType::Password && credential.validity.covers(now) &&
            pinMatches(credential.pin, digits)) {
            return &credential;
        }
    }
    return nullptr;
}

bool UnlockMethods::taken(CredentialType type, std::uint8_t hardwareId) const {
    return std::any_of(credentials_.begin(), credentials_.end(), [&](const Credential& c) {
        return c.type == type && c.hardwareId == hardwareId;
    });
}

std::optional<std::uint8_t> UnlockMethods::freeHardwareId(CredentialType type) const {
    for (std::uint8_t id = 0; id < kAutoHardwareId; ++id) {
        if (!taken(type, id)) {
            return id;
        }
    }
    return std::nullopt;
}

}  // namespace lockhub::sim
