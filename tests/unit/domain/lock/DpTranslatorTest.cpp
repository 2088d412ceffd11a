#include <gtest/gtest.h>

#include "DpBuilders.h"
#include "TestProfile.h"
#include "domain/lock/DpTranslator.h"

namespace lockhub::domain {

// Readable failures instead of gtest's byte dump.
void PrintTo(const DpError& e, std::ostream* os) {
    *os << dpErrcName(e.code) << " \"" << e.message << "\"" << (e.secretPayload ? " (secret)" : "");
}

namespace {

using namespace test;

DpOutcome withState(StateUpdate state) {
    return DpOutcome{state, std::nullopt, std::nullopt};
}

DpOutcome withEvent(LockEvent e) {
    return DpOutcome{{}, e, std::nullopt};
}

DpOutcome withReply(DpRole role, std::uint32_t code, std::string reason,
                    std::vector<std::uint8_t> echo) {
    return DpOutcome{
        {}, std::nullopt, CommandReply{role, code, std::move(reason), std::move(echo)}};
}

struct Case {
    const char* name;
    DpRecord dp;
    DpOutcome expected;
};

TEST(DpTranslator, TranslatesEveryRole) {
    LockEvent wrongPassword = unlock(21, UnlockMethod::Password, std::nullopt);
    wrongPassword.kind = EventKind::WrongCode;
    wrongPassword.alarm = AlarmKind::WrongPassword;
    LockEvent pry = event(EventKind::Alarm, 21);
    pry.alarm = AlarmKind::Pry;
    LockEvent offlineUnlock = unlock(67, UnlockMethod::Offline, std::nullopt);
    offlineUnlock.codeAction = OfflineCodeAction::Unlock;
    LockEvent clearAll = event(EventKind::CodeUsed, 66);
    clearAll.method = UnlockMethod::Offline;
    clearAll.codeAction = OfflineCodeAction::ClearAll;
    DpOutcome doorOpen = withEvent(event(EventKind::DoorOpened, 17));
    doorOpen.state.door = DoorState::Open;
    DpOutcome doorClosed = withEvent(event(EventKind::DoorClosed, 17));
    doorClosed.state.door = DoorState::Closed;
    std::vector<std::uint8_t> checkReply(19, 0xAA);
    checkReply[18] = 0;

    const std::vector<Case> cases = {
        {"battery", valueDp(8, 80), withState({.battery = 80})},
        {"battery empty", valueDp(8, 0), withState({.battery = 0})},
        {"battery full", valueDp(8, 100), withState({.battery = 100})},
        {"battery level", enumDp(9, 2), withState({.batteryLevel = BatteryLevel::Low})},
        {"battery level 2-byte enum", DpRecord{9, dptype::kEnum, {0, 3}},
         withState({.batteryLevel = BatteryLevel::Exhausted})},
        {"fingerprint", valueDp(12, 3), withEvent(unlock(12, UnlockMethod::Fingerprint, 3))},
        {"mechanical key", valueDp(16, 1), withEvent(unlock(16, UnlockMethod::Key, {}))},
        {"door open", valueDp(17, 1), doorOpen},
        {"door closed", valueDp(17, 0), doorClosed},
        {"inside", boolDp(18, true), withEvent(unlock(18, UnlockMethod::Inside, {}))},
        {"inside false edge", boolDp(18, false), DpOutcome{}},
        {"ble member", valueDp(19, 5), withEvent(unlock(19, UnlockMethod::Ble, {}, 5))},
        {"wrong password alarm", enumDp(21, 1), withEvent(wrongPassword)},
        {"pry alarm", enumDp(21, 8), withEvent(pry)},
        {"duress", boolDp(22, true), withEvent(event(EventKind::Duress, 22))},
        {"duress cleared", boolDp(22, false), DpOutcome{}},
        {"doorbell", boolDp(24, true), withEvent(event(EventKind::Doorbell, 24))},
        {"manual lock echo", boolDp(46, true), DpOutcome{}},
        {"motor locked", boolDp(47, true), withState({.lock = LockState::Locked})},
        {"motor unlocked", boolDp(47, false), withState({.lock = LockState::Unlocked})},
        {"temporary minus offset", valueDp(55, 903),
         withEvent(unlock(55, UnlockMethod::Temporary, 3))},
        {"offline clear all", rawDp(66, std::vector<std::uint8_t>(16, 7)), withEvent(clearAll)},
        {"offline unlock", rawDp(67, std::vector<std::uint8_t>(16, 7)), withEvent(offlineUnlock)},
        {"unlock request", valueDp(68, 60), withEvent(unlockRequest(68, 60))},
        {"unlock request withdrawn", valueDp(68, 0), DpOutcome{}},
        {"ble unlock ok", rawDp(6, {1, 0}), withReply(DpRole::BleUnlock, 1, "ok", {0})},
        {"ble unlock failed", rawDp(6, {0, 0}), withReply(DpRole::BleUnlock, 0, "failed", {0})},
        {"set key ok", rawDp(60, {0, 0, 1}), withReply(DpRole::RemoteSetKey, 0, "ok", {0, 1})},
        {"remote mismatch", rawDp(61, {5, 0, 1}),
         withReply(DpRole::RemoteUnlock, 5, "key_mismatch", {0, 1})},
        {"remote unmapped result", rawDp(61, {7, 0, 1}),
         withReply(DpRole::RemoteUnlock, 7, "result_7", {0, 1})},
        {"check code ok", rawDp(71, checkReply),
         withReply(DpRole::CheckCodeUnlock, 0, "ok", std::vector<std::uint8_t>(5, 0xAA))},
        {"ignored", rawDp(72, {1, 2, 3}), DpOutcome{}},
    };
    const DpTranslator translator(allRolesProfile());
    for (const auto& c : cases) {
        const auto outcome = translator.translate(c.dp, kT);
        ASSERT_TRUE(outcome) << c.name << ": " << outcome.error().message;
        EXPECT_EQ(*outcome, c.expected) << c.name;
    }
}

TEST(DpTranslator, EventsFromReportsWithoutTimeHaveNoLockTime) {
    const DpTranslator translator(allRolesProfile());
    const auto outcome = translator.translate(valueDp(12, 3), std::nullopt);
    ASSERT_TRUE(outcome);
    ASSERT_TRUE(outcome->event);
    EXPECT_EQ(outcome->event->lockTime, std::nullopt);
}

TEST(DpTranslator, ReplyOkOnlyForTheOkReason) {
    EXPECT_TRUE((CommandReply{DpRole::BleUnlock, 1, "ok", {}}.ok()));
    EXPECT_FALSE((CommandReply{DpRole::BleUnlock, 0, "failed", {}}.ok()));
}

struct ErrorCase {
    const char* name;
    DpRecord dp;
    DpError expected;
};

TEST(DpTranslator, RefusesWhatItCannotTranslateWithAClearError) {
    const std::vector<ErrorCase> cases = {
        {"unknown id", valueDp(99, 1), {DpErrc::UnknownDp, "dp 99: not in profile test-lock"}},
        {"wrong type", enumDp(8, 50), {DpErrc::WrongType, "dp 8: expected type value, got enum"}},
        {"unsupported type code",
         DpRecord{8, 9, {0, 0, 0, 1}},
         {DpErrc::WrongType, "dp 8: expected type value, got unsupported"}},
        {"short value",
         DpRecord{8, dptype::kValue, {0, 0, 80}},
         {DpErrc::WrongLength, "dp 8: a value is 4 bytes"}},
        {"empty value",
         DpRecord{12, dptype::kValue, {}},
         {DpErrc::WrongLength, "dp 12: a value is 4 bytes"}},
        {"long bool",
         DpRecord{47, dptype::kBool, {0, 1}},
         {DpErrc::WrongLength, "dp 47: a bool is 1 byte"}},
        {"bool 2", DpRecord{47, dptype::kBool, {2}}, {DpErrc::BadValue, "dp 47: a bool is 0 or 1"}},
        {"3-byte enum",
         DpRecord{9, dptype::kEnum, {0, 0, 1}},
         {DpErrc::WrongLength, "dp 9: an enum is 1, 2 or 4 bytes"}},
        {"battery over 100",
         valueDp(8, 101),
         {DpErrc::BadValue, "dp 8: battery 101 is outside 0-100 %"}},
        {"battery negative",
         valueDp(8, -1),
         {DpErrc::BadValue, "dp 8: battery -1 is outside 0-100 %"}},
        {"unmapped level", enumDp(9, 9), {DpErrc::BadValue, "dp 9: value 9 is not in the profile"}},
        {"unmapped alarm",
         enumDp(21, 5),
         {DpErrc::BadValue, "dp 21: value 5 is not in the profile"}},
        {"unmapped door",
         valueDp(17, -1),
         {DpErrc::BadValue, "dp 17: value -1 is not in the profile"}},
        {"id below offset",
         valueDp(55, 5),
         {DpErrc::BadValue, "dp 55: credential id 5 is below the id offset 900"}},
        {"negative credential",
         valueDp(12, -3),
         {DpErrc::BadValue, "dp 12: credential id -3 is below the id offset 0"}},
        {"short offline record",
         rawDp(67, std::vector<std::uint8_t>(15, 0)),
         {DpErrc::WrongLength, "dp 67: an offline-code record is 16 bytes, got 15"}},
        {"short ble reply",
         rawDp(6, {1}),
         {DpErrc::WrongLength, "dp 6: a ble_unlock reply is 2 bytes, got 1"}},
        {"long remote reply",
         rawDp(61, {0, 0, 1, 0}),
         {DpErrc::WrongLength, "dp 61: a remote_unlock reply is 3 bytes, got 4"}},
        {"short check reply",
         rawDp(71, std::vector<std::uint8_t>(18, 0)),
         {DpErrc::WrongLength, "dp 71: a check_code_unlock reply is 19 bytes, got 18", true}},
    };
    const DpTranslator translator(allRolesProfile());
    for (const auto& c : cases) {
        const auto outcome = translator.translate(c.dp, kT);
        ASSERT_FALSE(outcome) << c.name;
        EXPECT_EQ(outcome.error(), c.expected) << c.name;
    }
}

TEST(DpTranslator, IgnoredDpsTranslateToNothingWhateverTheirShape) {
    const DpTranslator translator(allRolesProfile());
    for (std::uint8_t type = 0; type < 8; ++type) {
        const auto outcome = translator.translate({72, type, {1}}, kT);
        ASSERT_TRUE(outcome) << int(type);
        EXPECT_EQ(*outcome, DpOutcome{});
    }
}

// DP 71's reply echoes the check code, so even a malformed one must not be published raw.
TEST(DpTranslator, FlagsErrorsOfDpsWhosePayloadCarriesASecret) {
    const DpTranslator translator(allRolesProfile());
    const auto shortReply = translator.translate(rawDp(71, std::vector<std::uint8_t>(18, 1)), kT);
    ASSERT_FALSE(shortReply);
    EXPECT_TRUE(shortReply.error().secretPayload);
    const auto wrongType = translator.translate(valueDp(71, 1), kT);
    ASSERT_FALSE(wrongType);
    EXPECT_TRUE(wrongType.error().secretPayload);
    const auto remote = translator.translate(rawDp(61, {1}), kT);
    ASSERT_FALSE(remote);
    EXPECT_FALSE(remote.error().secretPayload);
}

// A custom profile that leaves out the DPs whose standard layouts carry a secret (PINs, keys,
// the check code's srand, used offline codes) must not get them published raw.
TEST(DpTranslator, UnmappedDpsWhoseStandardLayoutCarriesASecretAreNotPublished) {
    DpProfile bare;
    bare.name = "bare";
    bare.dps = {spec(8, DpRole::Battery, dptype::kValue)};
    const DpTranslator translator(bare);
    for (const int id : {1, 3, 51, 53, 60, 61, 65, 66, 67, 70, 71, 72, 73}) {
        const auto outcome = translator.translate(rawDp(static_cast<std::uint8_t>(id), {1, 2}), kT);
        ASSERT_FALSE(outcome) << id;
        EXPECT_EQ(outcome.error(),
                  (DpError{DpErrc::UnknownDp,
                           "dp " + std::to_string(id) +
                               ": not in profile bare, and its standard layout carries a secret: "
                               "not published",
                           true}));
    }
    for (const int id : {2, 6, 9, 52, 54, 55, 62, 64, 69, 74, 255}) {
        const auto outcome = translator.translate(rawDp(static_cast<std::uint8_t>(id), {1, 2}), kT);
        ASSERT_FALSE(outcome) << id;
        EXPECT_EQ(outcome.error(),
                  (DpError{DpErrc::UnknownDp, "dp " + std::to_string(id) + ": not in profile bare",
                           false}));
    }
}

// Mapped, a secret-bearing id is what the profile says it is: a firmware that reports a doorbell
// on DP 72 gets its doorbell, and its malformed reports are published like any other DP's.
TEST(DpTranslator, AProfileThatMapsASecretBearingIdDecidesWhatItIs) {
    DpProfile custom;
    custom.name = "custom";
    custom.dps = {spec(72, DpRole::Doorbell, dptype::kBool)};
    const DpTranslator translator(custom);
    const auto rang = translator.translate(boolDp(72, true), kT);
    ASSERT_TRUE(rang) << rang.error().message;
    ASSERT_TRUE(rang->event);
    EXPECT_EQ(*rang->event, event(EventKind::Doorbell, 72));
    const auto wrongType = translator.translate(rawDp(72, {1}), kT);
    ASSERT_FALSE(wrongType);
    EXPECT_EQ(wrongType.error().code, DpErrc::WrongType);
    EXPECT_FALSE(wrongType.error().secretPayload);
}

TEST(DpProfile, TheSecretBearingStandardDpsAreExactlyThoseListed) {
    std::vector<int> secret;
    for (int id = 0; id <= 255; ++id) {
        if (standardDpCarriesSecret(static_cast<std::uint8_t>(id))) {
            secret.push_back(id);
        }
    }
    EXPECT_EQ(secret, (std::vector<int>{1, 3, 51, 53, 60, 61, 65, 66, 67, 70, 71, 72, 73}));
}

TEST(DpTranslator, ErrorCodesHaveDistinctNames) {
    EXPECT_EQ(dpErrcName(DpErrc::UnknownDp), "unknown_dp");
    EXPECT_EQ(dpErrcName(DpErrc::WrongType), "wrong_type");
    EXPECT_EQ(dpErrcName(DpErrc::WrongLength), "wrong_length");
    EXPECT_EQ(dpErrcName(DpErrc::BadValue), "bad_value");
}

// Every known id with every type code and sizes 0-20 of patterned bytes: each input ends in an
// outcome or an error (the sanitizer builds turn any out-of-bounds read into a failure).
TEST(DpTranslator, AnyShapeOfInputEndsInAValue) {
    const auto profile = allRolesProfile();
    const DpTranslator translator(profile);
    int translated = 0;
    int refused = 0;
    for (const auto& spec : profile.dps) {
        for (std::uint8_t type = 0; type < 8; ++type) {
            for (std::size_t size = 0; size <= 20; ++size) {
                std::vector<std::uint8_t> raw(size);
                for (std::size_t i = 0; i < size; ++i) {
                    raw[i] = static_cast<std::uint8_t>(0xFF - i * 37);
                }
                const auto outcome = translator.translate({spec.id, type, raw}, kT);
                outcome ? ++translated : ++refused;
            }
        }
    }
    EXPECT_EQ(translated + refused, static_cast<int>(profile.dps.size()) * 8 * 21);
    EXPECT_GT(translated, 0);
    EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace lockhub::domain
