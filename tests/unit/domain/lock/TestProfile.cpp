#include "TestProfile.h"

#include "domain/lock/DpRecord.h"

namespace lockhub::domain::test {

DpSpec spec(std::uint8_t id, DpRole role, std::uint8_t type) {
    DpSpec s;
    s.id = id;
    s.role = role;
    s.type = type;
    return s;
}

DpSpec unlockRecord(std::uint8_t id, UnlockMethod method, CredentialSource source,
                    std::uint8_t type) {
    DpSpec s = spec(id, DpRole::UnlockRecord, type);
    s.method = method;
    s.credential = source;
    return s;
}

DpProfile allRolesProfile() {
    DpProfile p;
    p.name = "test-lock";
    p.unlockFlow = CommandFlow::BleUnlock;
    p.lockFlow = CommandFlow::ManualLock;

    auto ble = spec(6, DpRole::BleUnlock, dptype::kRaw);
    ble.results = {{0, "failed"}, {1, "ok"}};
    auto battery = spec(8, DpRole::Battery, dptype::kValue);
    auto level = spec(9, DpRole::BatteryLevel, dptype::kEnum);
    level.batteryLevels = {{0, BatteryLevel::High},
                           {1, BatteryLevel::Medium},
                           {2, BatteryLevel::Low},
                           {3, BatteryLevel::Exhausted}};
    auto door = spec(17, DpRole::Door, dptype::kValue);
    door.doorStates = {{0, DoorState::Closed}, {1, DoorState::Open}};
    auto alarm = spec(21, DpRole::Alarm, dptype::kEnum);
    alarm.alarms = {{1, AlarmKind::WrongPassword}, {8, AlarmKind::Pry}};
    auto motor = spec(47, DpRole::Motor, dptype::kBool);
    motor.lockStates = {{0, LockState::Unlocked}, {1, LockState::Locked}};
    auto temporary =
        unlockRecord(55, UnlockMethod::Temporary, CredentialSource::HardwareId, dptype::kValue);
    temporary.idOffset = 900;
    auto setKey = spec(60, DpRole::RemoteSetKey, dptype::kRaw);
    setKey.results = {{0, "ok"}};
    auto remote = spec(61, DpRole::RemoteUnlock, dptype::kRaw);
    remote.results = {{0, "ok"}, {5, "key_mismatch"}};
    auto offline = spec(67, DpRole::OfflineCode, dptype::kRaw);
    offline.codeAction = OfflineCodeAction::Unlock;
    auto clearAll = spec(66, DpRole::OfflineCode, dptype::kRaw);
    clearAll.codeAction = OfflineCodeAction::ClearAll;
    auto check = spec(71, DpRole::CheckCodeUnlock, dptype::kRaw);
    check.results = {{0, "ok"}};

    p.dps = {
        ble,
        battery,
        level,
        unlockRecord(12, UnlockMethod::Fingerprint, CredentialSource::HardwareId, dptype::kValue),
        unlockRecord(16, UnlockMethod::Key, CredentialSource::None, dptype::kValue),
        door,
        unlockRecord(18, UnlockMethod::Inside, CredentialSource::None, dptype::kBool),
        unlockRecord(19, UnlockMethod::Ble, CredentialSource::MemberId, dptype::kValue),
        alarm,
        spec(22, DpRole::Duress, dptype::kBool),
        spec(24, DpRole::Doorbell, dptype::kBool),
        spec(46, DpRole::ManualLock, dptype::kBool),
        motor,
        temporary,
        setKey,
        remote,
        clearAll,
        offline,
        spec(68, DpRole::UnlockRequest, dptype::kValue),
        check,
        spec(72, DpRole::Ignore, dptype::kRaw),
    };
    return p;
}

}  // namespace lockhub::domain::test
