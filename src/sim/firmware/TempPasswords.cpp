#include "sim/firmware/TempPasswords.h"

#include "sim/firmware/LockDps.h"
#include "sim/firmware/Pin.h"

namespace lockhub::sim {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t kTempPasswordOk = 0;
constexpr std::uint8_t kFail = 1;
constexpr std::uint8_t kNoSlot = 2;
constexpr std::uint8_t kNoHardwareId = 0xFF;

bool validPin(const Bytes& pin) {
    return pin.size() >= 6 && pin.size() <= 10 && isDigitPin(pin);
}

// type, validity, valid_num, pwd_len, pwd: the body DP 51 and DP 53 share.
bool readBody(ByteReader& reader, TempPassword& temp) {
    std::uint8_t pinLength = 0;
    return reader.u8(temp.type) && readValidity(reader, temp.validity) &&
           reader.u8(temp.usesLeft) && reader.u8(pinLength) && reader.bytes(pinLength, temp.pin) &&
           reader.done();
}

}  // namespace

bool TempPasswords::create(const Bytes& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    TempPassword temp;
    if (!readBody(reader, temp)) {
        return false;
    }
    auto reply = [&](std::uint8_t id, std::uint8_t result) {
        out.status.push_back({Dp::raw(dp::kTempPasswordCreate, {id, result})});
    };
    if (!validPin(temp.pin)) {
        reply(kNoHardwareId, kFail);
        return true;
    }
    std::optional<std::uint8_t> slot;
    for (std::uint8_t id = 0; id < kMaxTempPasswords && !slot; ++id) {
        if (!entries_.contains(id)) {
            slot = id;
        }
    }
    if (!slot) {
        reply(kNoHardwareId, kNoSlot);
        return true;
    }
    temp.hardwareId = *slot;
    entries_.emplace(*slot, std::move(temp));
    reply(*slot, kTempPasswordOk);
    return true;
}

bool TempPasswords::remove(const Bytes& raw, FirmwareOutput& out) {
    if (raw.size() != 1) {
        return false;
    }
    const std::uint8_t result = entries_.erase(raw[0]) > 0 ? kTempPasswordOk : kFail;
    out.status.push_back({Dp::raw(dp::kTempPasswordDelete, {raw[0], result})});
    return true;
}

bool TempPasswords::modify(const Bytes& raw, FirmwareOutput& out) {
    ByteReader reader(raw);
    std::uint8_t id = 0;
    TempPassword temp;
    if (!reader.u8(id) || !readBody(reader, temp)) {
        return false;
    }
    auto found = entries_.find(id);
    const bool ok = found != entries_.end() && validPin(temp.pin);
    if (ok) {
        temp.hardwareId = id;
        found->second = std::move(temp);
    }
    out.status.push_back({Dp::raw(dp::kTempPasswordModify, {id, ok ? kTempPasswordOk : kFail})});
    return true;
}

std::optional<std::uint8_t> TempPasswords::use(std::string_view digits, std::int64_t now) {
    for (auto& [id, temp] : entries_) {
        if (!temp.usedUp && temp.validity.covers(now) && pinMatches(temp.pin, digits)) {
            if (temp.usesLeft > 0 && --temp.usesLeft == 0) {
                temp.usedUp = true;
            }
            return id;
        }
    }
    return std::nullopt;
}

}  // namespace lockhub::sim
