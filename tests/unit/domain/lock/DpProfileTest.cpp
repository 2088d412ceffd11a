#include <gtest/gtest.h>

#include <functional>

#include "TestProfile.h"
#include "domain/lock/DpProfile.h"
#include "domain/lock/DpRecord.h"

namespace lockhub::domain {
namespace {

using test::allRolesProfile;

DpSpec& dp(DpProfile& profile, std::uint8_t id) {
    for (auto& spec : profile.dps) {
        if (spec.id == id) {
            return spec;
        }
    }
    throw std::logic_error("test profile has no dp " + std::to_string(id));
}

void drop(DpProfile& profile, std::uint8_t id) {
    std::erase_if(profile.dps, [id](const DpSpec& s) { return s.id == id; });
}

TEST(DpProfile, TheTestProfileIsValid) {
    const auto valid = validateProfile(allRolesProfile());
    EXPECT_TRUE(valid) << valid.error().message;
}

TEST(DpProfile, FindsDpsByIdAndRole) {
    const auto profile = allRolesProfile();
    ASSERT_NE(profile.find(47), nullptr);
    EXPECT_EQ(profile.find(47)->role, DpRole::Motor);
    EXPECT_EQ(profile.find(99), nullptr);
    ASSERT_NE(profile.findRole(DpRole::RemoteUnlock), nullptr);
    EXPECT_EQ(profile.findRole(DpRole::RemoteUnlock)->id, 61);
    DpProfile empty;
    EXPECT_EQ(empty.findRole(DpRole::Motor), nullptr);
}

TEST(DpProfile, FlowsWriteTheirRolesInOrder) {
    EXPECT_EQ(rolesWrittenBy(CommandFlow::None), std::vector<DpRole>{});
    EXPECT_EQ(rolesWrittenBy(CommandFlow::BleUnlock), std::vector<DpRole>{DpRole::BleUnlock});
    EXPECT_EQ(rolesWrittenBy(CommandFlow::ManualLock), std::vector<DpRole>{DpRole::ManualLock});
    EXPECT_EQ(rolesWrittenBy(CommandFlow::RemoteKey),
              (std::vector<DpRole>{DpRole::RemoteSetKey, DpRole::RemoteUnlock}));
    EXPECT_EQ(rolesWrittenBy(CommandFlow::CheckCode), std::vector<DpRole>{DpRole::CheckCodeUnlock});
}

struct Broken {
    const char* name;
    std::function<void(DpProfile&)> breakIt;
    const char* message;
};

TEST(DpProfile, RefusesUnusableProfilesNamingTheDpAndTheProblem) {
    const std::vector<Broken> cases = {
        {"no name", [](DpProfile& p) { p.name.clear(); }, "profile has no name"},
        {"id 0", [](DpProfile& p) { dp(p, 8).id = 0; }, "dp ids start at 1"},
        {"duplicate id", [](DpProfile& p) { dp(p, 9).id = 8; }, "dp 8 is listed twice"},
        {"two command dps for one role",
         [](DpProfile& p) {
             auto copy = dp(p, 6);
             copy.id = 7;
             p.dps.push_back(copy);
         },
         "dp 7 (ble_unlock): only one dp may have this role"},
        {"battery as enum", [](DpProfile& p) { dp(p, 8).type = dptype::kEnum; },
         "dp 8 (battery): type enum does not fit this role"},
        {"motor as raw", [](DpProfile& p) { dp(p, 47).type = dptype::kRaw; },
         "dp 47 (motor): type raw does not fit this role"},
        {"reply as value", [](DpProfile& p) { dp(p, 61).type = dptype::kValue; },
         "dp 61 (remote_unlock): type value does not fit this role"},
        {"manual lock as raw", [](DpProfile& p) { dp(p, 46).type = dptype::kRaw; },
         "dp 46 (manual_lock): type raw does not fit this role"},
        {"ignored with an unsupported type", [](DpProfile& p) { dp(p, 72).type = 6; },
         "dp 72 (ignore): type unsupported does not fit this role"},
        {"motor without values", [](DpProfile& p) { dp(p, 47).lockStates.clear(); },
         "dp 47 (motor): needs a value table of lock states"},
        {"level without values", [](DpProfile& p) { dp(p, 9).batteryLevels.clear(); },
         "dp 9 (battery_level): needs a value table of battery levels"},
        {"door without values", [](DpProfile& p) { dp(p, 17).doorStates.clear(); },
         "dp 17 (door): needs a value table of door states"},
        {"alarm without values", [](DpProfile& p) { dp(p, 21).alarms.clear(); },
         "dp 21 (alarm): needs a value table of alarms"},
        {"record without method", [](DpProfile& p) { dp(p, 12).method.reset(); },
         "dp 12 (unlock_record): needs an unlock method"},
        {"bool record with a credential",
         [](DpProfile& p) { dp(p, 18).credential = CredentialSource::HardwareId; },
         "dp 18 (unlock_record): a bool record carries no credential id"},
        {"offline without action", [](DpProfile& p) { dp(p, 67).codeAction.reset(); },
         "dp 67 (offline_code): needs an offline-code action"},
        {"reply without ok",
         [](DpProfile& p) {
             dp(p, 6).results = {{1, "opened"}};
         },
         "dp 6 (ble_unlock): needs a result table with an \"ok\" entry"},
        {"manual lock cannot unlock", [](DpProfile& p) { p.unlockFlow = CommandFlow::ManualLock; },
         "unlock flow manual_lock can only lock"},
        {"unlock flow without its dp",
         [](DpProfile& p) {
             p.unlockFlow = CommandFlow::CheckCode;
             drop(p, 71);
         },
         "unlock flow check_code needs a check_code_unlock dp"},
        {"lock flow without its first dp",
         [](DpProfile& p) {
             p.lockFlow = CommandFlow::RemoteKey;
             drop(p, 60);
         },
         "lock flow remote_key needs a remote_set_key dp"},
        {"lock flow without its dp", [](DpProfile& p) { drop(p, 46); },
         "lock flow manual_lock needs a manual_lock dp"},
    };
    for (const auto& c : cases) {
        auto profile = allRolesProfile();
        c.breakIt(profile);
        const auto valid = validateProfile(profile);
        ASSERT_FALSE(valid) << c.name;
        EXPECT_EQ(valid.error().code, Errc::Config) << c.name;
        EXPECT_EQ(valid.error().message, c.message) << c.name;
    }
}

TEST(DpProfile, AProfileWithoutCommandsIsValid) {
    auto profile = allRolesProfile();
    profile.unlockFlow = CommandFlow::None;
    profile.lockFlow = CommandFlow::None;
    EXPECT_TRUE(validateProfile(profile));
}

}  // namespace
}  // namespace lockhub::domain
