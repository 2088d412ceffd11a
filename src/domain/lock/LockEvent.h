// Something that happened at the lock, as published on `<lock>/event` (design §4). Kinds and
// methods follow the Matter DoorLock LockOperation model (source + user + credential) with
// Tuya's unlock-record DPs as the sources.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lockhub::domain {

enum class EventKind {
    Unlock,
    Lock,
    Alarm,
    Duress,
    Doorbell,
    UnlockRequest,
    CodeUsed,  // an offline code that clears others was accepted (DP 65/66)
    WrongCode,
    DoorOpened,
    DoorClosed,
    Arrived,  // raised by the hub: a user's first unlock after a quiet period
};

enum class UnlockMethod {
    Fingerprint,
    Password,
    Card,
    Key,  // mechanical key
    Ble,
    Temporary,  // online temporary password (DP 51)
    Dynamic,
    Offline,  // 10-digit offline code
    Remote,   // phone remote unlock (DP 61 flow)
    Voice,    // voice-assistant remote unlock
    Face,
    Iris,
    Palm,
    FingerVein,
    Inside,  // opened from inside (handle or button)
};

// DP 21 alarm_lock values (reference §2.2, SDK alarm_reason_t); numbering lives in the profile.
enum class AlarmKind {
    WrongFinger,
    WrongPassword,
    WrongCard,
    WrongFace,
    TongueBad,
    TooHot,
    UnclosedTime,
    TongueNotOut,
    Pry,
    KeyIn,
    LowBattery,
    PowerOff,
    Shock,
};

// What an accepted offline code did (DP 67 unlock, 65 clear one, 66 clear all).
enum class OfflineCodeAction { Unlock, ClearOne, ClearAll };

struct LockEvent {
    EventKind kind = EventKind::Unlock;
    std::uint8_t dp = 0;  // the DP that reported it
    std::optional<UnlockMethod> method;
    std::optional<std::uint32_t> credential;  // the lock's hardware id of the credential
    std::optional<std::uint32_t> member;      // Tuya member id (BLE and remote records)
    std::optional<AlarmKind> alarm;
    std::optional<OfflineCodeAction> codeAction;
    std::optional<std::int64_t> lockTime;  // the lock's RTC, Unix seconds, when it sent one
    // On unlock_request from a value DP: how long the lock keeps the request open, in seconds.
    std::optional<std::uint32_t> requestWindowS;

    bool operator==(const LockEvent&) const = default;
};

// A wrong-credential alarm is a wrong_code event with the method that failed; every other alarm
// stays an alarm.
LockEvent eventForAlarm(AlarmKind alarm, std::uint8_t dp, std::optional<std::int64_t> lockTime);

std::string_view eventKindName(EventKind kind);
std::string_view unlockMethodName(UnlockMethod method);
std::optional<UnlockMethod> parseUnlockMethod(std::string_view name);
std::string_view alarmKindName(AlarmKind alarm);
std::optional<AlarmKind> parseAlarmKind(std::string_view name);
std::string_view offlineCodeActionName(OfflineCodeAction action);
std::optional<OfflineCodeAction> parseOfflineCodeAction(std::string_view name);

}  // namespace lockhub::domain
