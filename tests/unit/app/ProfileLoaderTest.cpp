#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <vector>

#include "app/Log.h"
#include "app/ProfileLoader.h"
#include "domain/lock/DpTranslator.h"
#include "tests/unit/domain/lock/DpBuilders.h"

namespace lockhub::domain {
namespace {

using test::boolDp;
using test::enumDp;
using test::event;
using test::kT;
using test::rawDp;
using test::unlock;
using test::unlockRequest;
using test::valueDp;

const std::filesystem::path kProfiles = std::filesystem::path(LOCKHUB_SOURCE_DIR) / "profiles";

DpProfile defaultProfile() {
    auto profiles = loadProfiles({}, kProfiles);
    if (!profiles) {
        ADD_FAILURE() << profiles.error().message;
        return {};
    }
    return profiles->at("tuya-ble-lock");
}

TEST(ProfileLoader, TheShippedVariantsChangeOnlyTheCommandFlows) {
    auto profiles = loadProfiles({}, kProfiles);
    ASSERT_TRUE(profiles) << profiles.error().message;
    EXPECT_EQ(profiles->size(), 3U);
    const auto& base = profiles->at("tuya-ble-lock");
    const auto& checkCode = profiles->at("tuya-ble-lock-check-code");
    EXPECT_EQ(checkCode.unlockFlow, CommandFlow::CheckCode);
    EXPECT_EQ(checkCode.lockFlow, CommandFlow::CheckCode);
    EXPECT_EQ(checkCode.dps, base.dps);
    const auto& remoteKey = profiles->at("tuya-ble-lock-remote-key");
    EXPECT_EQ(remoteKey.unlockFlow, CommandFlow::RemoteKey);
    EXPECT_EQ(remoteKey.lockFlow, CommandFlow::ManualLock);
    EXPECT_EQ(remoteKey.dps, base.dps);
    EXPECT_NE(remoteKey.description, base.description);
}

TEST(ProfileLoader, LoadsTheDefaultProfile) {
    const auto profile = defaultProfile();
    EXPECT_EQ(profile.name, "tuya-ble-lock");
    EXPECT_EQ(profile.unlockFlow, CommandFlow::BleUnlock);
    EXPECT_EQ(profile.lockFlow, CommandFlow::ManualLock);
    EXPECT_EQ(profile.dps.size(), 37U);
    const auto* temporary = profile.find(55);
    ASSERT_NE(temporary, nullptr);
    EXPECT_EQ(temporary->name, "unlock_temporary");
    EXPECT_EQ(temporary->type, dptype::kValue);
    EXPECT_EQ(temporary->method, UnlockMethod::Temporary);
    EXPECT_EQ(temporary->credential, CredentialSource::HardwareId);
    EXPECT_EQ(temporary->idOffset, 0U);
}

LockEvent alarm(AlarmKind kind) {
    return eventForAlarm(kind, 21, kT);
}

LockEvent offline(std::uint8_t dp, EventKind kind, OfflineCodeAction action) {
    LockEvent e = event(kind, dp);
    e.method = UnlockMethod::Offline;
    e.codeAction = action;
    return e;
}

DpOutcome state(StateUpdate update) {
    return {update, std::nullopt, std::nullopt};
}

DpOutcome happened(LockEvent e) {
    return {{}, e, std::nullopt};
}

DpOutcome door(DoorState d, EventKind kind) {
    return {{.door = d}, event(kind, 17), std::nullopt};
}

DpOutcome reply(DpRole role, std::uint32_t code, const char* reason,
                std::vector<std::uint8_t> echo) {
    return {{}, std::nullopt, CommandReply{role, code, reason, std::move(echo)}};
}

struct Case {
    DpRecord dp;
    DpOutcome expected;
};

// Every DP the default profile knows, as the reference SDK (and lockhub-sim) reports it.
TEST(ProfileLoader, DefaultProfileTranslatesEveryDpItKnows) {
    std::vector<std::uint8_t> checkReply = {0,   1,   0, 2,    '1',  '1',  '1',  '1', '1', '1',
                                            '1', '1', 1, 0x65, 0x42, 0x29, 0x33, 0,   0};
    CommandReply enrolled{DpRole::UnlockMethodCreate, 0, "ok", {3, 1}};
    enrolled.created = CreateReport{3, 0xFF, 1, 4, 4, 0};
    CommandReply deleted{DpRole::UnlockMethodDelete, 0, "ok", {3, 1, 4}};
    deleted.deleted = DeleteReply{3, 1, 4, 0};
    const std::vector<Case> cases = {
        {rawDp(1, {3, 0xFF, 0, 1, 4, 4, 0}), {{}, std::nullopt, enrolled}},
        {rawDp(2, {3, 0, 0, 1, 4, 1, 0}), {{}, std::nullopt, deleted}},
        {rawDp(6, {1, 0}), reply(DpRole::BleUnlock, 1, "ok", {0})},
        {valueDp(8, 55), state({.battery = 55})},
        {enumDp(9, 0), state({.batteryLevel = BatteryLevel::High})},
        {enumDp(9, 1), state({.batteryLevel = BatteryLevel::Medium})},
        {enumDp(9, 2), state({.batteryLevel = BatteryLevel::Low})},
        {enumDp(9, 3), state({.batteryLevel = BatteryLevel::Exhausted})},
        {valueDp(12, 3), happened(unlock(12, UnlockMethod::Fingerprint, 3))},
        {valueDp(13, 4), happened(unlock(13, UnlockMethod::Password, 4))},
        {valueDp(14, 1), happened(unlock(14, UnlockMethod::Dynamic, {}))},
        {valueDp(15, 6), happened(unlock(15, UnlockMethod::Card, 6))},
        {valueDp(16, 1), happened(unlock(16, UnlockMethod::Key, {}))},
        {valueDp(17, 0), door(DoorState::Closed, EventKind::DoorClosed)},
        {valueDp(17, 1), door(DoorState::Open, EventKind::DoorOpened)},
        {boolDp(18, true), happened(unlock(18, UnlockMethod::Inside, {}))},
        {valueDp(19, 2), happened(unlock(19, UnlockMethod::Ble, {}, 2))},
        {enumDp(21, 0), happened(alarm(AlarmKind::WrongFinger))},
        {enumDp(21, 1), happened(alarm(AlarmKind::WrongPassword))},
        {enumDp(21, 2), happened(alarm(AlarmKind::WrongCard))},
        {enumDp(21, 3), happened(alarm(AlarmKind::WrongFace))},
        {enumDp(21, 4), happened(alarm(AlarmKind::TongueBad))},
        {enumDp(21, 5), happened(alarm(AlarmKind::TooHot))},
        {enumDp(21, 6), happened(alarm(AlarmKind::UnclosedTime))},
        {enumDp(21, 7), happened(alarm(AlarmKind::TongueNotOut))},
        {enumDp(21, 8), happened(alarm(AlarmKind::Pry))},
        {enumDp(21, 9), happened(alarm(AlarmKind::KeyIn))},
        {enumDp(21, 10), happened(alarm(AlarmKind::LowBattery))},
        {enumDp(21, 11), happened(alarm(AlarmKind::PowerOff))},
        {enumDp(21, 12), happened(alarm(AlarmKind::Shock))},
        {boolDp(22, true), happened(event(EventKind::Duress, 22))},
        {boolDp(24, true), happened(event(EventKind::Doorbell, 24))},
        {valueDp(39, 1), happened(unlock(39, UnlockMethod::Face, 1))},
        {valueDp(41, 1), happened(unlock(41, UnlockMethod::Iris, 1))},
        {valueDp(42, 1), happened(unlock(42, UnlockMethod::Palm, 1))},
        {valueDp(43, 1), happened(unlock(43, UnlockMethod::FingerVein, 1))},
        {boolDp(46, true), DpOutcome{}},
        {boolDp(47, true), state({.lock = LockState::Locked})},
        {boolDp(47, false), state({.lock = LockState::Unlocked})},
        // Temporary passwords: `hardware_id, result`; the echo is the hardware id.
        {rawDp(51, {4, 0}), reply(DpRole::TempPasswordCreate, 0, "ok", {4})},
        {rawDp(51, {0xFF, 2}), reply(DpRole::TempPasswordCreate, 2, "no_free_slot", {0xFF})},
        {rawDp(52, {4, 1}), reply(DpRole::TempPasswordDelete, 1, "failed", {4})},
        {rawDp(53, {4, 0}), reply(DpRole::TempPasswordModify, 0, "ok", {4})},
        {valueDp(55, 2), happened(unlock(55, UnlockMethod::Temporary, 2))},
        {rawDp(60, {0, 0, 1}), reply(DpRole::RemoteSetKey, 0, "ok", {0, 1})},
        {rawDp(61, {0, 0, 1}), reply(DpRole::RemoteUnlock, 0, "ok", {0, 1})},
        {rawDp(61, {1, 0, 1}), reply(DpRole::RemoteUnlock, 1, "motor_failed", {0, 1})},
        {rawDp(61, {2, 0, 1}), reply(DpRole::RemoteUnlock, 2, "no_key", {0, 1})},
        {rawDp(61, {3, 0, 1}), reply(DpRole::RemoteUnlock, 3, "key_used_up", {0, 1})},
        {rawDp(61, {4, 0, 1}), reply(DpRole::RemoteUnlock, 4, "outside_window", {0, 1})},
        {rawDp(61, {5, 0, 1}), reply(DpRole::RemoteUnlock, 5, "key_mismatch", {0, 1})},
        {valueDp(62, 1), happened(unlock(62, UnlockMethod::Remote, {}, 1))},
        {valueDp(63, 1), happened(unlock(63, UnlockMethod::Voice, {}, 1))},
        {rawDp(65, std::vector<std::uint8_t>(16, 1)),
         happened(offline(65, EventKind::CodeUsed, OfflineCodeAction::ClearOne))},
        {rawDp(66, std::vector<std::uint8_t>(16, 1)),
         happened(offline(66, EventKind::CodeUsed, OfflineCodeAction::ClearAll))},
        {rawDp(67, std::vector<std::uint8_t>(16, 1)),
         happened(offline(67, EventKind::Unlock, OfflineCodeAction::Unlock))},
        {valueDp(68, 60), happened(unlockRequest(68, 60))},
        {rawDp(70, std::vector<std::uint8_t>(24, 1)), DpOutcome{}},
        {rawDp(71, checkReply),
         reply(DpRole::CheckCodeUnlock, 0, "ok", {1, 0x65, 0x42, 0x29, 0x33})},
        {rawDp(72, std::vector<std::uint8_t>(20, 1)), DpOutcome{}},
    };
    const auto profile = defaultProfile();
    const DpTranslator translator(profile);
    std::set<std::uint8_t> covered;
    for (const auto& c : cases) {
        const auto outcome = translator.translate(c.dp, kT);
        ASSERT_TRUE(outcome) << "dp " << int(c.dp.id) << ": " << outcome.error().message;
        EXPECT_EQ(*outcome, c.expected) << "dp " << int(c.dp.id);
        covered.insert(c.dp.id);
    }
    for (const auto& spec : profile.dps) {
        EXPECT_TRUE(covered.contains(spec.id)) << "no case for dp " << int(spec.id);
    }
    const auto unknown = translator.translate(valueDp(99, 1), kT);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, DpErrc::UnknownDp);
}

std::string dpEntry(const std::string& body) {
    return R"({"name": "x", "dps": [)" + body + "]}";
}

struct Bad {
    std::string text;
    std::string message;
};

TEST(ProfileLoader, ErrorsNameTheKeyPath) {
    const std::vector<Bad> cases = {
        {"not json", "not valid JSON (check quotes, commas and braces)"},
        {"[]", "/: expected an object, got an array"},
        {R"({"dps": []})", "/name: required key is missing"},
        {R"({"name": "x"})", "/dps: required key is missing"},
        {R"({"name": "", "dps": []})", "/name: expected a non-empty string, got an empty string"},
        {R"({"name": "x", "dps": {}})", "/dps: expected an array, got an object"},
        {R"({"name": "x", "dps": [], "extra": 1})", "/extra: unknown key"},
        {R"({"name": "x", "dps": [], "commands": "ble"})",
         "/commands: expected an object, got a string"},
        {R"({"name": "x", "dps": [], "commands": {"unlock": "magic"}})",
         "/commands/unlock: unknown command flow \"magic\""},
        {R"({"name": "x", "dps": [], "commands": {"open": "ble_unlock"}})",
         "/commands/open: unknown key"},
        {dpEntry("5"), "/dps/0: expected an object, got an integer"},
        {dpEntry(R"({"id": 0, "role": "battery", "type": "value"})"),
         "/dps/0/id: expected an integer from 1 to 255, got 0"},
        {dpEntry(R"({"id": "8", "role": "battery", "type": "value"})"),
         "/dps/0/id: expected an integer from 1 to 255, got a string"},
        {dpEntry(R"({"id": 8, "role": "battery"})"), "/dps/0/type: required key is missing"},
        {dpEntry(R"({"id": 8, "role": "batery", "type": "value"})"),
         "/dps/0/role: unknown role \"batery\""},
        {dpEntry(R"({"id": 8, "role": "battery", "type": "int"})"),
         "/dps/0/type: unknown dp type \"int\""},
        {dpEntry(R"({"id": 8, "role": "battery", "type": "value", "colour": 1})"),
         "/dps/0/colour: unknown key"},
        {dpEntry(R"({"id": 8, "role": "battery", "type": "value", "values": {}})"),
         "/dps/0/values: not used by role battery"},
        {dpEntry(R"({"id": 47, "role": "motor", "type": "bool"})"),
         "/dps/0/values: required key is missing"},
        {dpEntry(R"({"id": 47, "role": "motor", "type": "bool", "values": []})"),
         "/dps/0/values: expected an object, got an array"},
        {dpEntry(R"({"id": 47, "role": "motor", "type": "bool", "values": {"yes": "locked"}})"),
         "/dps/0/values/yes: a bool dp's values are keyed \"true\" and \"false\""},
        {dpEntry(R"({"id": 47, "role": "motor", "type": "enum", "values": {"-1": "locked"}})"),
         "/dps/0/values/-1: expected a decimal value from 0 to 4294967295 as the key"},
        {dpEntry(R"({"id": 47, "role": "motor", "type": "enum", "values": {"0": 1}})"),
         "/dps/0/values/0: expected a string (lock state), got an integer"},
        {dpEntry(R"({"id": 47, "role": "motor", "type": "bool", "values": {"true": "shut"}})"),
         "/dps/0/values/true: unknown lock state \"shut\""},
        {dpEntry(R"({"id": 9, "role": "battery_level", "type": "enum", "values": {"0": "ok"}})"),
         "/dps/0/values/0: unknown battery level \"ok\""},
        {dpEntry(R"({"id": 17, "role": "door", "type": "value", "values": {"0": "ajar"}})"),
         "/dps/0/values/0: unknown door state \"ajar\""},
        {dpEntry(R"({"id": 21, "role": "alarm", "type": "enum", "values": {"0": "fire"}})"),
         "/dps/0/values/0: unknown alarm \"fire\""},
        {dpEntry(R"({"id": 12, "role": "unlock_record", "type": "value",
                     "credential": "hardware_id"})"),
         "/dps/0/method: required key is missing"},
        {dpEntry(R"({"id": 12, "role": "unlock_record", "type": "value", "method": "thumb",
                     "credential": "hardware_id"})"),
         "/dps/0/method: unknown unlock method \"thumb\""},
        {dpEntry(R"({"id": 12, "role": "unlock_record", "type": "value",
                     "method": "fingerprint", "credential": "pin"})"),
         "/dps/0/credential: unknown credential source \"pin\""},
        {dpEntry(R"({"id": 12, "role": "unlock_record", "type": "value",
                     "method": "fingerprint", "credential": "none", "id_offset": -1})"),
         "/dps/0/id_offset: expected an integer from 0 to 4294967295, got -1"},
        {dpEntry(R"({"id": 67, "role": "offline_code", "type": "raw", "action": "open"})"),
         "/dps/0/action: unknown offline-code action \"open\""},
        {dpEntry(R"({"id": 6, "role": "ble_unlock", "type": "raw", "results": {"1": "OK!"}})"),
         "/dps/0/results/1: unknown result reason \"OK!\""},
        {dpEntry(R"({"id": 8, "role": "battery", "type": "value"},
                    {"id": 8, "role": "battery", "type": "value"})"),
         "/dps/1/id: dp 8 is listed twice"},
        {R"({"name": "x", "dps": [], "commands": {"unlock": "ble_unlock"}})",
         "unlock flow ble_unlock needs a ble_unlock dp"},
    };
    for (const auto& c : cases) {
        const auto profile = parseProfile(c.text);
        ASSERT_FALSE(profile) << c.text;
        EXPECT_EQ(profile.error().code, Errc::Config) << c.text;
        EXPECT_EQ(profile.error().message, c.message) << c.text;
    }
}

TEST(ProfileLoader, AMinimalProfileHasNoCommandsAndCommentsAreAllowed) {
    const auto profile = parseProfile(R"(// a lock we only listen to
        {"name": "bare", "dps": [{"id": 8, "role": "battery", "type": "value"}]})");
    ASSERT_TRUE(profile) << profile.error().message;
    EXPECT_EQ(profile->name, "bare");
    EXPECT_EQ(profile->unlockFlow, CommandFlow::None);
    EXPECT_EQ(profile->lockFlow, CommandFlow::None);
    ASSERT_EQ(profile->dps.size(), 1U);
    EXPECT_EQ(profile->dps[0].role, DpRole::Battery);
}

TEST(ProfileLoader, TheLowBatteryThresholdDefaultsTo20AndMustBeAPercentage) {
    const auto bare = parseProfile(R"({"name": "bare", "dps": []})");
    ASSERT_TRUE(bare) << bare.error().message;
    EXPECT_EQ(bare->lowBatteryPercent, 20);
    const auto set = parseProfile(R"({"name": "set", "low_battery_percent": 35, "dps": []})");
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->lowBatteryPercent, 35);
    const auto bad = parseProfile(R"({"name": "bad", "low_battery_percent": 101, "dps": []})");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("/low_battery_percent"), std::string::npos)
        << bad.error().message;
}

class ProfileDirectory : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("lockhub-profiles-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    void write(const std::string& file, const std::string& text) {
        std::ofstream(dir_ / file) << text;
    }

    std::filesystem::path dir_;
};

TEST_F(ProfileDirectory, LoadsEveryJsonFileByName) {
    write("alpha.json", R"({"name": "alpha", "dps": []})");
    write("beta.json", R"({"name": "beta", "dps": []})");
    write("README.md", "not a profile");
    const auto profiles = loadProfiles({}, dir_);
    ASSERT_TRUE(profiles) << profiles.error().message;
    EXPECT_EQ(profiles->size(), 2U);
    EXPECT_TRUE(profiles->contains("alpha"));
    EXPECT_TRUE(profiles->contains("beta"));
}

TEST_F(ProfileDirectory, ABadFileFailsTheLoadNamingTheFileBuiltinsOrNot) {
    write("alpha.json", R"({"name": "alpha", "dps": []})");
    write("broken.json", R"({"name": "broken", "dps": [{"id": 300}]})");
    const auto profiles = loadProfiles(builtinProfiles(), dir_);
    ASSERT_FALSE(profiles);
    EXPECT_EQ(profiles.error().code, Errc::Config);
    EXPECT_EQ(profiles.error().message, "broken.json: /dps/0/role: required key is missing");
}

TEST_F(ProfileDirectory, TheNameMustEqualTheFileName) {
    write("alpha.json", R"({"name": "beta", "dps": []})");
    const auto profiles = loadProfiles({}, dir_);
    ASSERT_FALSE(profiles);
    EXPECT_EQ(profiles.error().message,
              "alpha.json: /name: \"beta\" must equal the file name without .json");
}

constexpr const char* kBase = R"({"name": "base", "description": "a base",
    "commands": {"unlock": "ble_unlock", "lock": "manual_lock"},
    "dps": [{"id": 6, "role": "ble_unlock", "type": "raw", "results": {"1": "ok"}},
            {"id": 46, "role": "manual_lock", "type": "bool"},
            {"id": 47, "role": "motor", "type": "bool",
             "values": {"true": "locked", "false": "unlocked"}}]})";

TEST_F(ProfileDirectory, AnExtendingProfileReplacesAndAddsDpsAndCommands) {
    write("base.json", kBase);
    write("child.json", R"({"name": "child", "extends": "base",
        "commands": {"unlock": "remote_key"},
        "dps": [{"id": 47, "role": "motor", "type": "bool",
                 "values": {"true": "unlocked", "false": "locked"}},
                {"id": 60, "role": "remote_set_key", "type": "raw", "results": {"0": "ok"}},
                {"id": 61, "role": "remote_unlock", "type": "raw", "results": {"0": "ok"}}]})");
    const auto profiles = loadProfiles({}, dir_);
    ASSERT_TRUE(profiles) << profiles.error().message;
    const auto& base = profiles->at("base");
    const auto& child = profiles->at("child");
    EXPECT_EQ(child.name, "child");
    EXPECT_EQ(child.description, "a base");
    EXPECT_EQ(child.unlockFlow, CommandFlow::RemoteKey);
    EXPECT_EQ(child.lockFlow, CommandFlow::ManualLock);
    ASSERT_EQ(child.dps.size(), 5U);
    EXPECT_EQ(child.find(47)->lockStates.at(1), LockState::Unlocked);
    EXPECT_EQ(base.find(47)->lockStates.at(1), LockState::Locked);
    EXPECT_EQ(base.dps.size(), 3U);
    EXPECT_EQ(base.unlockFlow, CommandFlow::BleUnlock);
    EXPECT_EQ(child.lowBatteryPercent, 20) << "the base's, which did not set one";
}

TEST_F(ProfileDirectory, ExtendingErrorsNameTheFileWithTheProblem) {
    struct Files {
        std::vector<std::pair<std::string, std::string>> files;
        std::string message;
    };
    const std::vector<Files> cases = {
        {{{"child.json", R"({"name": "child", "extends": "nope"})"}},
         "child.json: /extends: no profile \"nope\" to extend"},
        {{{"a.json", R"({"name": "a", "extends": "b"})"},
          {"b.json", R"({"name": "b", "extends": "a"})"}},
         "b.json: /extends: profiles extend each other in a cycle (a -> b -> a)"},
        {{{"self.json", R"({"name": "self", "extends": "self"})"}},
         "self.json: /extends: profiles extend each other in a cycle (self -> self)"},
        {{{"base.json", kBase}, {"child.json", R"({"name": "child", "extends": "base",
                             "commands": {"unlock": "check_code"}})"}},
         "child.json: unlock flow check_code needs a check_code_unlock dp"},
        {{{"a-child.json", R"({"name": "a-child", "extends": "base"})"},
          {"base.json", R"({"name": "base", "dps": [], "commands": {"lock": "manual_lock"}})"}},
         "base.json: lock flow manual_lock needs a manual_lock dp"},
        {{{"child.json", R"({"name": "child", "extends": 5})"}},
         "child.json: /extends: expected a non-empty string, got an integer"},
    };
    for (const auto& c : cases) {
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        for (const auto& [file, text] : c.files) {
            write(file, text);
        }
        const auto profiles = loadProfiles({}, dir_);
        ASSERT_FALSE(profiles) << c.message;
        EXPECT_EQ(profiles.error().code, Errc::Config);
        EXPECT_EQ(profiles.error().message, c.message);
    }
}

TEST(ProfileLoader, ASingleProfileCannotExtend) {
    const auto profile = parseProfile(R"({"name": "child", "extends": "base"})");
    ASSERT_FALSE(profile);
    EXPECT_EQ(profile.error().message,
              "/extends: only a profile in a profile directory can extend another");
}

TEST_F(ProfileDirectory, ADirectoryThatCannotBeListedIsAnError) {
    write("not-a-directory", "");
    const auto profiles = loadProfiles(builtinProfiles(), dir_ / "not-a-directory");
    ASSERT_FALSE(profiles);
    EXPECT_EQ(profiles.error().code, Errc::Config);
    EXPECT_EQ(profiles.error().message,
              (dir_ / "not-a-directory").string() + ": cannot list profiles: Not a directory");
}

TEST(ProfileLoader, TheBuiltinsAreTheShippedFilesVerbatim) {
    std::map<std::string, std::string> shipped;
    for (const auto& entry : std::filesystem::directory_iterator(kProfiles)) {
        if (entry.path().extension() == ".json") {
            std::ifstream in(entry.path(), std::ios::binary);
            shipped[entry.path().filename().string()] = {std::istreambuf_iterator<char>(in), {}};
        }
    }
    std::map<std::string, std::string> builtin;
    for (const auto& source : builtinProfiles()) {
        builtin[std::string(source.file)] = source.text;
    }
    EXPECT_EQ(builtin.size(), 3U);
    EXPECT_EQ(builtin, shipped);
}

// Log lines as "<level> <tag>: <message>", for the duration of a test.
class CapturedLog {
public:
    CapturedLog() {
        log::setSink([this](log::Level level, std::string_view tag, std::string_view message,
                            std::span<const log::Field>) {
            lines.push_back(std::string(log::levelName(level)) + " " + std::string(tag) + ": " +
                            std::string(message));
        });
    }
    ~CapturedLog() {
        log::setSink([](auto&&...) {});
    }

    std::vector<std::string> lines;
};

TEST_F(ProfileDirectory, WithoutTheDirectoryTheBuiltinsLoadAndAWarningSaysSo) {
    CapturedLog captured;
    const auto profiles = loadProfiles(builtinProfiles(), dir_ / "absent");
    ASSERT_TRUE(profiles) << profiles.error().message;
    const auto shipped = loadProfiles({}, kProfiles);
    ASSERT_TRUE(shipped) << shipped.error().message;
    EXPECT_EQ(*profiles, *shipped);
    EXPECT_EQ(captured.lines,
              std::vector<std::string>{"warning profiles: " + (dir_ / "absent").string() +
                                       " does not exist: only the built-in profiles"});
}

TEST_F(ProfileDirectory, AFileNamedLikeABuiltinReplacesItAndItsExtendersFollow) {
    const ProfileSource builtins[] = {
        {"base.json", kBase},
        {"variant.json", R"({"name": "variant", "extends": "base", "description": "v"})"},
    };
    write("base.json", R"({"name": "base", "description": "mine",
        "dps": [{"id": 8, "role": "battery", "type": "value"}]})");
    CapturedLog captured;
    const auto profiles = loadProfiles(builtins, dir_);
    ASSERT_TRUE(profiles) << profiles.error().message;
    ASSERT_EQ(profiles->size(), 2U);
    const auto& base = profiles->at("base");
    EXPECT_EQ(base.description, "mine");
    EXPECT_EQ(base.unlockFlow, CommandFlow::None);
    ASSERT_EQ(base.dps.size(), 1U);
    EXPECT_EQ(base.dps[0].role, DpRole::Battery);
    EXPECT_EQ(profiles->at("variant").dps, base.dps);
    EXPECT_EQ(captured.lines,
              std::vector<std::string>{"info profiles: " + (dir_ / "base.json").string() +
                                       " replaces the built-in profile base"});
}

TEST_F(ProfileDirectory, AnInstalledCopyOfTheBuiltinsReplacesThemSilently) {
    for (const auto& source : builtinProfiles()) {
        write(std::string(source.file), std::string(source.text));
    }
    CapturedLog captured;
    const auto profiles = loadProfiles(builtinProfiles(), dir_);
    ASSERT_TRUE(profiles) << profiles.error().message;
    const auto shipped = loadProfiles({}, kProfiles);
    ASSERT_TRUE(shipped) << shipped.error().message;
    EXPECT_EQ(*profiles, *shipped);
    EXPECT_EQ(captured.lines, std::vector<std::string>{});
}

TEST_F(ProfileDirectory, ADirectoryProfileCanExtendABuiltinAndAddsToThem) {
    write("my-lock.json", R"({"name": "my-lock", "extends": "tuya-ble-lock",
        "dps": [{"id": 8, "role": "ignore", "type": "value"}]})");
    const auto profiles = loadProfiles(builtinProfiles(), dir_);
    ASSERT_TRUE(profiles) << profiles.error().message;
    EXPECT_EQ(profiles->size(), 4U);
    const auto& mine = profiles->at("my-lock");
    const auto& builtin = profiles->at("tuya-ble-lock");
    EXPECT_EQ(mine.unlockFlow, builtin.unlockFlow);
    EXPECT_EQ(mine.dps.size(), builtin.dps.size());
    EXPECT_EQ(mine.find(8)->role, DpRole::Ignore);
    EXPECT_EQ(builtin.find(8)->role, DpRole::Battery);
}

}  // namespace
}  // namespace lockhub::domain
