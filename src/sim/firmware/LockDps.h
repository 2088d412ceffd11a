// The BLE lock DP ids the virtual firmware speaks (reference §2.2, Tuya's reference lock SDK) and
// the DP 21 alarm values. DP ids vary per real product; these are the SDK defaults.
#pragma once

#include <cstdint>

namespace lockhub::sim::dp {

inline constexpr std::uint8_t kUnlockMethodCreate = 1;
inline constexpr std::uint8_t kUnlockMethodDelete = 2;
inline constexpr std::uint8_t kUnlockMethodModify = 3;
inline constexpr std::uint8_t kBleUnlock = 6;
inline constexpr std::uint8_t kBatteryPercent = 8;
inline constexpr std::uint8_t kBatteryState = 9;
inline constexpr std::uint8_t kRecordFingerprint = 12;
inline constexpr std::uint8_t kRecordPassword = 13;
inline constexpr std::uint8_t kRecordDynamic = 14;
inline constexpr std::uint8_t kRecordCard = 15;
inline constexpr std::uint8_t kRecordKey = 16;
inline constexpr std::uint8_t kRecordDoor = 17;
inline constexpr std::uint8_t kRecordInside = 18;
inline constexpr std::uint8_t kRecordBle = 19;
inline constexpr std::uint8_t kAlarm = 21;
inline constexpr std::uint8_t kHijack = 22;
inline constexpr std::uint8_t kDoorbell = 24;
inline constexpr std::uint8_t kManualLock = 46;
inline constexpr std::uint8_t kMotorState = 47;
inline constexpr std::uint8_t kTempPasswordCreate = 51;
inline constexpr std::uint8_t kTempPasswordDelete = 52;
inline constexpr std::uint8_t kTempPasswordModify = 53;
inline constexpr std::uint8_t kRecordTempPassword = 55;
inline constexpr std::uint8_t kRemoteSetKey = 60;
inline constexpr std::uint8_t kRemoteUnlock = 61;
inline constexpr std::uint8_t kRecordRemotePhone = 62;
inline constexpr std::uint8_t kRecordRemoteVoice = 63;
inline constexpr std::uint8_t kOfflineT0 = 64;
inline constexpr std::uint8_t kCheckCodeSet = 70;
inline constexpr std::uint8_t kCheckCodeUnlock = 71;
inline constexpr std::uint8_t kCheckCodeRecord = 72;
inline constexpr std::uint8_t kRemoteUnlockRequest = 68;  // sim-specific: "someone asks to enter"

}  // namespace lockhub::sim::dp

namespace lockhub::sim {

// DP 21 (alarm_lock), SDK alarm_reason_t.
enum class Alarm : std::uint8_t {
    WrongFinger = 0,
    WrongPassword = 1,
    WrongCard = 2,
    WrongFace = 3,
    TongueBad = 4,
    TooHot = 5,
    UnclosedTime = 6,
    TongueNotOut = 7,
    Pry = 8,
    KeyIn = 9,
    LowBattery = 10,
    PowerOff = 11,
    Shock = 12,
};
inline constexpr std::uint8_t kMaxAlarm = 12;

}  // namespace lockhub::sim
