#include "domain/lock/LockEvent.h"

#include "domain/lock/NameTable.h"

namespace lockhub::domain {
namespace {

constexpr NameTable<EventKind, 11> kEventKinds = {{
    {EventKind::Unlock, "unlock"},
    {EventKind::Lock, "lock"},
    {EventKind::Alarm, "alarm"},
    {EventKind::Duress, "duress"},
    {EventKind::Doorbell, "doorbell"},
    {EventKind::UnlockRequest, "unlock_request"},
    {EventKind::CodeUsed, "code_used"},
    {EventKind::WrongCode, "wrong_code"},
    {EventKind::DoorOpened, "door_opened"},
    {EventKind::DoorClosed, "door_closed"},
    {EventKind::Arrived, "arrived"},
}};

constexpr NameTable<UnlockMethod, 15> kMethods = {{
    {UnlockMethod::Fingerprint, "fingerprint"},
    {UnlockMethod::Password, "password"},
    {UnlockMethod::Card, "card"},
    {UnlockMethod::Key, "key"},
    {UnlockMethod::Ble, "ble"},
    {UnlockMethod::Temporary, "temporary"},
    {UnlockMethod::Dynamic, "dynamic"},
    {UnlockMethod::Offline, "offline"},
    {UnlockMethod::Remote, "remote"},
    {UnlockMethod::Voice, "voice"},
    {UnlockMethod::Face, "face"},
    {UnlockMethod::Iris, "iris"},
    {UnlockMethod::Palm, "palm"},
    {UnlockMethod::FingerVein, "finger_vein"},
    {UnlockMethod::Inside, "inside"},
}};

constexpr NameTable<AlarmKind, 13> kAlarms = {{
    {AlarmKind::WrongFinger, "wrong_finger"},
    {AlarmKind::WrongPassword, "wrong_password"},
    {AlarmKind::WrongCard, "wrong_card"},
    {AlarmKind::WrongFace, "wrong_face"},
    {AlarmKind::TongueBad, "tongue_bad"},
    {AlarmKind::TooHot, "too_hot"},
    {AlarmKind::UnclosedTime, "unclosed_time"},
    {AlarmKind::TongueNotOut, "tongue_not_out"},
    {AlarmKind::Pry, "pry"},
    {AlarmKind::KeyIn, "key_in"},
    {AlarmKind::LowBattery, "low_battery"},
    {AlarmKind::PowerOff, "power_off"},
    {AlarmKind::Shock, "shock"},
}};

constexpr NameTable<OfflineCodeAction, 3> kCodeActions = {{
    {OfflineCodeAction::Unlock, "unlock"},
    {OfflineCodeAction::ClearOne, "clear_one"},
    {OfflineCodeAction::ClearAll, "clear_all"},
}};

std::optional<UnlockMethod> failedMethod(AlarmKind alarm) {
    switch (alarm) {
        case AlarmKind::WrongFinger:
            return UnlockMethod::Fingerprint;
        case AlarmKind::WrongPassword:
            return UnlockMethod::Password;
        case AlarmKind::WrongCard:
            return UnlockMethod::Card;
        case AlarmKind::WrongFace:
            return UnlockMethod::Face;
        default:
            return std::nullopt;
    }
}

}  // namespace

LockEvent eventForAlarm(AlarmKind alarm, std::uint8_t dp, std::optional<std::int64_t> lockTime) {
    LockEvent event;
    event.dp = dp;
    event.alarm = alarm;
    event.lockTime = lockTime;
    event.method = failedMethod(alarm);
    event.kind = event.method ? EventKind::WrongCode : EventKind::Alarm;
    return event;
}

std::string_view eventKindName(EventKind kind) {
    return nameIn(kEventKinds, kind);
}
std::string_view unlockMethodName(UnlockMethod method) {
    return nameIn(kMethods, method);
}
std::optional<UnlockMethod> parseUnlockMethod(std::string_view name) {
    return parseIn(kMethods, name);
}
std::string_view alarmKindName(AlarmKind alarm) {
    return nameIn(kAlarms, alarm);
}
std::optional<AlarmKind> parseAlarmKind(std::string_view name) {
    return parseIn(kAlarms, name);
}
std::string_view offlineCodeActionName(OfflineCodeAction action) {
    return nameIn(kCodeActions, action);
}
std::optional<OfflineCodeAction> parseOfflineCodeAction(std::string_view name) {
    return parseIn(kCodeActions, name);
}

}  // namespace lockhub::domain
