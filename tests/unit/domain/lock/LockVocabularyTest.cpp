// The names are the MQTT contract and the profile language: each must print and parse back.
#include <gtest/gtest.h>

#include "domain/lock/DpProfile.h"
#include "domain/lock/DpRecord.h"
#include "domain/lock/LockEvent.h"
#include "domain/lock/LockState.h"

namespace lockhub::domain {
namespace {

TEST(LockVocabulary, LockStatesAreHomeAssistantsInLowerCase) {
    const std::vector<std::pair<LockState, std::string_view>> names = {
        {LockState::Unknown, "unknown"},     {LockState::Locked, "locked"},
        {LockState::Unlocked, "unlocked"},   {LockState::Locking, "locking"},
        {LockState::Unlocking, "unlocking"}, {LockState::Jammed, "jammed"},
    };
    for (const auto& [state, name] : names) {
        EXPECT_EQ(lockStateName(state), name);
        EXPECT_EQ(parseLockState(name), state);
    }
    EXPECT_EQ(parseLockState("LOCKED"), std::nullopt);
}

TEST(LockVocabulary, EveryNameParsesBack) {
    for (int i = 0; i <= static_cast<int>(BatteryLevel::Exhausted); ++i) {
        const auto v = static_cast<BatteryLevel>(i);
        EXPECT_EQ(parseBatteryLevel(batteryLevelName(v)), v);
    }
    for (int i = 0; i <= static_cast<int>(DoorState::Closed); ++i) {
        const auto v = static_cast<DoorState>(i);
        EXPECT_EQ(parseDoorState(doorStateName(v)), v);
    }
    for (int i = 0; i <= static_cast<int>(UnlockMethod::Inside); ++i) {
        const auto v = static_cast<UnlockMethod>(i);
        EXPECT_EQ(parseUnlockMethod(unlockMethodName(v)), v) << unlockMethodName(v);
    }
    for (int i = 0; i <= static_cast<int>(AlarmKind::Shock); ++i) {
        const auto v = static_cast<AlarmKind>(i);
        EXPECT_EQ(parseAlarmKind(alarmKindName(v)), v) << alarmKindName(v);
    }
    for (int i = 0; i <= static_cast<int>(OfflineCodeAction::ClearAll); ++i) {
        const auto v = static_cast<OfflineCodeAction>(i);
        EXPECT_EQ(parseOfflineCodeAction(offlineCodeActionName(v)), v);
    }
    for (int i = 0; i <= static_cast<int>(DpRole::Ignore); ++i) {
        const auto v = static_cast<DpRole>(i);
        EXPECT_EQ(parseDpRole(dpRoleName(v)), v) << dpRoleName(v);
    }
    for (int i = 0; i <= static_cast<int>(CredentialSource::MemberId); ++i) {
        const auto v = static_cast<CredentialSource>(i);
        EXPECT_EQ(parseCredentialSource(credentialSourceName(v)), v);
    }
    for (int i = 0; i <= static_cast<int>(CommandFlow::CheckCode); ++i) {
        const auto v = static_cast<CommandFlow>(i);
        EXPECT_EQ(parseCommandFlow(commandFlowName(v)), v);
    }
    for (std::uint8_t type = 0; type <= dptype::kBitmap; ++type) {
        EXPECT_EQ(parseDpType(dpTypeName(type)), type);
    }
    EXPECT_EQ(dpTypeName(6), "unsupported");
    EXPECT_EQ(parseDpType("unsupported"), std::nullopt);
}

TEST(LockVocabulary, EventKindNamesAreTheMqttContract) {
    const std::vector<std::pair<EventKind, std::string_view>> names = {
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
    };
    for (const auto& [kind, name] : names) {
        EXPECT_EQ(eventKindName(kind), name);
    }
}

TEST(LockVocabulary, WrongCredentialAlarmsAreWrongCodeEventsWithTheFailedMethod) {
    const std::vector<std::pair<AlarmKind, UnlockMethod>> wrong = {
        {AlarmKind::WrongFinger, UnlockMethod::Fingerprint},
        {AlarmKind::WrongPassword, UnlockMethod::Password},
        {AlarmKind::WrongCard, UnlockMethod::Card},
        {AlarmKind::WrongFace, UnlockMethod::Face},
    };
    for (const auto& [alarm, method] : wrong) {
        const auto event = eventForAlarm(alarm, 21, 5);
        EXPECT_EQ(event.kind, EventKind::WrongCode);
        EXPECT_EQ(event.method, method);
        EXPECT_EQ(event.alarm, alarm);
        EXPECT_EQ(event.dp, 21);
        EXPECT_EQ(event.lockTime, 5);
    }
    const auto pry = eventForAlarm(AlarmKind::Pry, 21, std::nullopt);
    EXPECT_EQ(pry.kind, EventKind::Alarm);
    EXPECT_EQ(pry.method, std::nullopt);
    EXPECT_EQ(pry.alarm, AlarmKind::Pry);
}

}  // namespace
}  // namespace lockhub::domain
