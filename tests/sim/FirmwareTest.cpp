#include <gtest/gtest.h>

#include <random>

#include "domain/codes/DynamicCode.h"
#include "sim/firmware/LockFirmware.h"
#include "tests/sim/SimTestSupport.h"

namespace lockhub::sim {
namespace {

using Bytes = std::vector<std::uint8_t>;
constexpr std::int64_t kNow = 1700000000;

Bytes validity(std::uint32_t from, std::uint32_t to) {
    Bytes out;
    for (const auto v : {from, to}) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.push_back(static_cast<std::uint8_t>(v >> shift));
        }
    }
    out.resize(17, 0);
    return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& part : parts) {
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

class FirmwareTest : public ::testing::Test {
protected:
    LockFirmware firmware{SecretString("8f7d54")};
    FirmwareOutput out;
};

TEST_F(FirmwareTest, BleUnlockRecordsMemberAndRepliesOpened) {
    EXPECT_EQ(firmware.write({Dp::raw(dp::kBleUnlock, {1, 7})}, kNow, out), 0);
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordBle, 7)});
    EXPECT_EQ(out.status, (std::vector<std::vector<Dp>>{{Dp::boolean(dp::kMotorState, false)},
                                                        {Dp::raw(dp::kBleUnlock, {1, 7})}}));
    EXPECT_FALSE(firmware.locked());
    ASSERT_TRUE(firmware.lastUnlock());
    EXPECT_EQ(firmware.lastUnlock()->method, "ble");
    EXPECT_EQ(firmware.lastUnlock()->lockTime, kNow);
}

TEST_F(FirmwareTest, MalformedWritesAreRefusedWithStatusOne) {
    EXPECT_EQ(firmware.write({Dp::raw(dp::kBleUnlock, {1})}, kNow, out), 1);
    EXPECT_EQ(firmware.write({Dp::integer(dp::kBleUnlock, 1)}, kNow, out), 1);
    EXPECT_EQ(firmware.write({Dp::raw(99, {1})}, kNow, out), 1);
    EXPECT_EQ(firmware.write({}, kNow, out), 1);
    EXPECT_EQ(firmware.write({Dp::string(dp::kOfflineT0, "12345")}, kNow, out), 1);
    EXPECT_TRUE(out.records.empty());
    EXPECT_TRUE(firmware.locked());
}

TEST_F(FirmwareTest, ManualLockThrowsTheBolt) {
    firmware.fingerprint(3, kNow, out);
    EXPECT_FALSE(firmware.locked());
    EXPECT_EQ(firmware.write({Dp::boolean(dp::kManualLock, true)}, kNow, out), 0);
    EXPECT_TRUE(firmware.locked());
    EXPECT_EQ(out.status.back(), std::vector<Dp>{Dp::boolean(dp::kMotorState, true)});
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordFingerprint, 3)});
}

Bytes be32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
            static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

TEST_F(FirmwareTest, RemoteUnlockChecksKeyCountWindowInSdkOrder) {
    const Bytes key = {'1', '2', '3', '4', '5', '6', '7', '8'};
    auto unlock = [&](const Bytes& k, std::int64_t now) {
        out = {};
        EXPECT_EQ(
            firmware.write({Dp::raw(dp::kRemoteUnlock, concat({{1, 0, 9}, k, {1}}))}, now, out), 0);
        return std::get<Bytes>(out.status.back()[0].value);
    };
    EXPECT_EQ(unlock(key, kNow), (Bytes{2, 0, 9}));  // no key set
    const auto begin = static_cast<std::uint32_t>(kNow - 300);
    const auto end = static_cast<std::uint32_t>(kNow + 300);
    ASSERT_EQ(firmware.write({Dp::raw(dp::kRemoteSetKey,
                                      concat({{1, 0, 9}, be32(begin), be32(end), {0, 1}, key}))},
                             kNow, out),
              0);
    EXPECT_EQ(std::get<Bytes>(out.status.back()[0].value), (Bytes{0, 0, 9}));
    EXPECT_EQ(unlock(key, kNow + 301), (Bytes{4, 0, 9}));  // outside the window
    EXPECT_EQ(unlock({'1', '2', '3', '4', '5', '6', '7', '9'}, kNow), (Bytes{5, 0, 9}));
    EXPECT_TRUE(firmware.locked());
    EXPECT_EQ(unlock(key, kNow), (Bytes{0, 0, 9}));
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordRemotePhone, 9)});
    EXPECT_FALSE(firmware.locked());
    EXPECT_EQ(unlock(key, kNow), (Bytes{3, 0, 9}));  // the single use is spent
}

TEST_F(FirmwareTest, CheckCodeIsSetByTheAdminAndOpensForItsMaster) {
    const Bytes zeros(8, 0);
    const Bytes code = {'1', '1', '1', '1', '1', '1', '1', '1'};
    auto set = [&](std::uint16_t master, const Bytes& srand, std::uint8_t op,
                   const Bytes& newCode) {
        out = {};
        EXPECT_EQ(firmware.write(
                      {Dp::raw(dp::kCheckCodeSet, concat({{static_cast<std::uint8_t>(master >> 8),
                                                           static_cast<std::uint8_t>(master)},
                                                          {0xFF, 0xFF},
                                                          srand,
                                                          {op, 0x00, 0x01},
                                                          newCode}))},
                      kNow, out),
                  0);
        return std::get<Bytes>(out.status.back()[0].value).back();
    };
    EXPECT_EQ(set(0x0001, zeros, 0, code), 2);  // only master 0xFFFF administers
    EXPECT_EQ(set(0xFFFF, code, 0, code), 4);   // the first write proves itself with zeros
    EXPECT_EQ(set(0xFFFF, zeros, 0, code), 0);  // master 1 gets code "11111111"
    EXPECT_EQ(set(0xFFFF, zeros, 0, code), 4);  // now a held code is needed
    EXPECT_EQ(set(0xFFFF, code, 9, code), 5);   // unknown operation
    EXPECT_EQ(firmware.checkCodes().size(), 1u);

    // The ESP32 example's layout: master 1, slave 0xFFFF, code, open, timestamp, method 0, info.
    auto open = [&](const Bytes& srand, std::uint8_t method) {
        out = {};
        EXPECT_EQ(firmware.write({Dp::raw(dp::kCheckCodeUnlock,
                                          concat({{0x00, 0x01, 0xFF, 0xFF},
                                                  srand,
                                                  {0x01, 0x65, 0x42, 0x29, 0x33, method, 0x07}}))},
                                 kNow, out),
                  0);
        return std::get<Bytes>(out.status.back()[0].value);
    };
    EXPECT_EQ(open(zeros, 0).back(), 4);
    EXPECT_TRUE(firmware.locked());
    const auto reply = open(code, 0);
    EXPECT_EQ(reply,
              concat({{0xFF, 0xFF, 0x00, 0x01}, code, {0x01, 0x65, 0x42, 0x29, 0x33, 0, 0}}));
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordBle, 7)});
    EXPECT_FALSE(firmware.locked());
    open(code, 2);  // another method: echoed as a DP 72 record with the ids swapped
    EXPECT_EQ(
        out.records[0],
        std::vector<Dp>{Dp::raw(
            dp::kCheckCodeRecord,
            concat({{0xFF, 0xFF, 0x00, 0x01}, code, {0x01, 0x65, 0x42, 0x29, 0x33, 0x02, 0x07}}))});
    EXPECT_EQ(set(0xFFFF, code, 1, zeros), 0);  // delete master 1 (its new-code field unused)
    EXPECT_TRUE(firmware.checkCodes().empty());
}

TEST_F(FirmwareTest, TemporaryPasswordsHoldAtMostTenAndUnlockWithTheirHardwareId) {
    const Bytes pin = {1, 2, 3, 4, 5, 6};
    for (std::uint8_t i = 0; i < kMaxTempPasswords; ++i) {
        Bytes digits = pin;
        digits[5] = i;
        out = {};
        ASSERT_EQ(firmware.write({Dp::raw(dp::kTempPasswordCreate,
                                          concat({{0}, validity(0, 0xFFFFFFFF), {0, 6}, digits}))},
                                 kNow, out),
                  0);
        EXPECT_EQ(out.status.back(), std::vector<Dp>{Dp::raw(dp::kTempPasswordCreate, {i, 0})});
    }
    out = {};
    firmware.write({Dp::raw(dp::kTempPasswordCreate,
                            concat({{0}, validity(0, 0xFFFFFFFF), {0, 6}, {9, 9, 9, 9, 9, 9}}))},
                   kNow, out);
    EXPECT_EQ(out.status.back(), std::vector<Dp>{Dp::raw(dp::kTempPasswordCreate, {0xFF, 2})});
    EXPECT_EQ(firmware.tempPasswords().size(), kMaxTempPasswords);

    out = {};
    const auto outcome = firmware.keypad("123453", kNow, out);
    EXPECT_EQ(outcome.kind, "temp_password");
    EXPECT_TRUE(outcome.unlocked);
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordTempPassword, 3)});

    out = {};
    firmware.write({Dp::raw(dp::kTempPasswordDelete, {3})}, kNow, out);
    EXPECT_EQ(out.status.back(), std::vector<Dp>{Dp::raw(dp::kTempPasswordDelete, {3, 0})});
    out = {};
    EXPECT_FALSE(firmware.keypad("123453", kNow, out).unlocked);
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::enumeration(dp::kAlarm, 1)});
}

TEST_F(FirmwareTest, TemporaryPasswordWithOneUseIsSpent) {
    firmware.write({Dp::raw(dp::kTempPasswordCreate,
                            concat({{0}, validity(0, 0xFFFFFFFF), {1, 6}, {4, 4, 4, 4, 4, 4}}))},
                   kNow, out);
    EXPECT_TRUE(firmware.keypad("444444", kNow, out).unlocked);
    EXPECT_FALSE(firmware.keypad("444444", kNow, out).unlocked);
}

TEST_F(FirmwareTest, PasswordEnrolmentCompletesAndUnlocksWithItsHardwareId) {
    const Bytes request =
        concat({{1, 0x00, 0, 5, 0xFF}, validity(0, 0xFFFFFFFF), {0, 6}, {2, 4, 6, 8, 0, 1}});
    ASSERT_EQ(firmware.write({Dp::raw(dp::kUnlockMethodCreate, request)}, kNow, out), 0);
    EXPECT_EQ(out.status.back(),
              std::vector<Dp>{Dp::raw(dp::kUnlockMethodCreate, {1, 0xFF, 0, 5, 0, 0, 0})});
    out = {};
    firmware.write({Dp::raw(dp::kUnlockMethodCreate, request)}, kNow, out);
    EXPECT_EQ(out.status.back(),  // the same PIN again: failed, duplicate
              std::vector<Dp>{Dp::raw(dp::kUnlockMethodCreate, {1, 0xFD, 0, 5, 0xFF, 0, 2})});
    out = {};
    EXPECT_TRUE(firmware.keypad("246801", kNow, out).unlocked);
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordPassword, 0)});
}

TEST_F(FirmwareTest, FingerprintEnrolmentReportsEachTouchThenCompletes) {
    const Bytes request = concat({{3, 0x00, 1, 2, 0xFF}, validity(0, 0xFFFFFFFF), {0, 0}});
    ASSERT_EQ(firmware.write({Dp::raw(dp::kUnlockMethodCreate, request)}, kNow, out), 0);
    EXPECT_TRUE(out.status.empty());  // waits for the finger
    EXPECT_EQ(firmware.enrolling(), CredentialType::Fingerprint);
    for (std::uint8_t touch = 1; touch <= 3; ++touch) {
        out = {};
        firmware.fingerprint(7, kNow, out);
        EXPECT_EQ(out.status, (std::vector<std::vector<Dp>>{{Dp::raw(
                                  dp::kUnlockMethodCreate, {3, 0xFC, 1, 2, 0, touch, 0})}}));
        EXPECT_TRUE(out.records.empty());  // an enrolment touch opens nothing
    }
    out = {};
    firmware.fingerprint(7, kNow, out);
    EXPECT_EQ(out.status, (std::vector<std::vector<Dp>>{
                              {Dp::raw(dp::kUnlockMethodCreate, {3, 0xFC, 1, 2, 0, 4, 0})},
                              {Dp::raw(dp::kUnlockMethodCreate, {3, 0xFF, 1, 2, 0, 4, 0})}}));
    ASSERT_EQ(firmware.credentials().size(), 1u);
    EXPECT_EQ(firmware.enrolling(), std::nullopt);
    out = {};
    firmware.fingerprint(0, kNow, out);  // now an unlock
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordFingerprint, 0)});
    out = {};
    firmware.write({Dp::raw(dp::kUnlockMethodDelete, {3, 0, 1, 2, 0, 1})}, kNow, out);
    EXPECT_EQ(out.status.back(),
              std::vector<Dp>{Dp::raw(dp::kUnlockMethodDelete, {3, 0, 1, 2, 0, 1, 0})});
    EXPECT_TRUE(firmware.credentials().empty());
}

TEST_F(FirmwareTest, CardEnrolmentCompletesOnTheSwipeAndAnotherWaitsItsTurn) {
    const Bytes card = concat({{2, 0x00, 0, 1, 0xFF}, validity(0, 0xFFFFFFFF), {0, 0}});
    ASSERT_EQ(firmware.write({Dp::raw(dp::kUnlockMethodCreate, card)}, kNow, out), 0);
    const Bytes finger = concat({{3, 0x00, 0, 1, 0xFF}, validity(0, 0xFFFFFFFF), {0, 0}});
    out = {};
    firmware.write({Dp::raw(dp::kUnlockMethodCreate, finger)}, kNow, out);
    EXPECT_EQ(out.status.back(),  // busy with the card: reason 8
              std::vector<Dp>{Dp::raw(dp::kUnlockMethodCreate, {3, 0xFD, 0, 1, 0xFF, 0, 8})});
    out = {};
    firmware.card(9, kNow, out);
    EXPECT_EQ(out.status, (std::vector<std::vector<Dp>>{
                              {Dp::raw(dp::kUnlockMethodCreate, {2, 0xFF, 0, 1, 0, 1, 0})}}));
    EXPECT_TRUE(out.records.empty());
}

TEST_F(FirmwareTest, CancelStopsAWaitingEnrolment) {
    const Bytes finger = concat({{3, 0x00, 0, 1, 0xFF}, validity(0, 0xFFFFFFFF), {0, 0}});
    firmware.write({Dp::raw(dp::kUnlockMethodCreate, finger)}, kNow, out);
    firmware.fingerprint(0, kNow, out);
    out = {};
    Bytes cancel = finger;
    cancel[1] = 0xFE;
    firmware.write({Dp::raw(dp::kUnlockMethodCreate, cancel)}, kNow, out);
    EXPECT_EQ(out.status.back(),
              std::vector<Dp>{Dp::raw(dp::kUnlockMethodCreate, {3, 0xFE, 0, 1, 0xFF, 0, 0})});
    EXPECT_EQ(firmware.enrolling(), std::nullopt);
    out = {};
    firmware.fingerprint(0, kNow, out);  // an unlock again
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordFingerprint, 0)});
    EXPECT_TRUE(firmware.credentials().empty());
}

TEST_F(FirmwareTest, PasswordOfBadLengthFailsWithReasonFive) {
    const Bytes request =
        concat({{1, 0x00, 0, 5, 0xFF}, validity(0, 0xFFFFFFFF), {0, 4}, {1, 2, 3, 4}});
    firmware.write({Dp::raw(dp::kUnlockMethodCreate, request)}, kNow, out);
    EXPECT_EQ(out.status.back(),
              std::vector<Dp>{Dp::raw(dp::kUnlockMethodCreate, {1, 0xFD, 0, 5, 0xFF, 0, 5})});
}

TEST_F(FirmwareTest, DynamicCodeOfTheLockClockUnlocks) {
    const auto code = domain::codes::generateDynamicCode(SecretString("8f7d54"), kNow);
    ASSERT_TRUE(code);
    const auto outcome = firmware.keypad(code->reveal(), kNow + 290, out);
    EXPECT_EQ(outcome.kind, "dynamic");
    EXPECT_TRUE(outcome.unlocked);
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::integer(dp::kRecordDynamic, 1)});
    out = {};
    EXPECT_FALSE(firmware.keypad(code->reveal(), kNow + 3600, out).unlocked);
    EXPECT_EQ(out.records[0], std::vector<Dp>{Dp::enumeration(dp::kAlarm, 1)});
}

TEST_F(FirmwareTest, BatteryLevelsAndLowBatteryAlarmOnce) {
    firmware.setBattery(50, kNow, out);
    EXPECT_EQ(out.status.back(), (std::vector<Dp>{Dp::integer(dp::kBatteryPercent, 50),
                                                  Dp::enumeration(dp::kBatteryState, 1)}));
    firmware.setBattery(8, kNow, out);
    firmware.setBattery(7, kNow, out);
    EXPECT_EQ(out.records, (std::vector<std::vector<Dp>>{{Dp::enumeration(dp::kAlarm, 10)}}));
    EXPECT_EQ(out.status.back()[1], Dp::enumeration(dp::kBatteryState, 2));
}

// Random payloads on every DP the firmware knows, in every type: answered with a status, never
// undefined behaviour (the sanitizer build runs this too).
TEST(FirmwareRobustness, RandomWritesAreAnsweredWithoutHarm) {
    LockFirmware firmware(SecretString("8f7d54"));
    std::mt19937 random(1234);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 40);
    const std::vector<std::uint8_t> ids = {1, 2, 3, 6, 46, 51, 52, 53, 60, 61, 64, 70, 71, 99};
    for (int round = 0; round < 20000; ++round) {
        const auto id = ids[static_cast<std::size_t>(round) % ids.size()];
        Bytes payload(static_cast<std::size_t>(length(random)));
        for (auto& b : payload) {
            b = static_cast<std::uint8_t>(byte(random));
        }
        Dp dp = Dp::raw(id, payload);
        switch (round % 4) {
            case 1:
                dp = Dp::string(id, std::string(payload.begin(), payload.end()));
                break;
            case 2:
                dp = Dp::boolean(id, byte(random) % 2 == 0);
                break;
            case 3:
                dp = Dp::integer(id, byte(random));
                break;
            default:
                break;
        }
        FirmwareOutput out;
        const auto status = firmware.write({dp}, kNow, out);
        EXPECT_LE(status, 1);
        std::string digits(static_cast<std::size_t>(length(random)), '0');
        for (auto& c : digits) {
            c = static_cast<char>('0' + byte(random) % 10);
        }
        firmware.keypad(digits, kNow, out);
    }
    EXPECT_LE(firmware.tempPasswords().size(), kMaxTempPasswords);
}

// Every offline-code scenario of the shared vectors, typed on the keypad of a lock whose T0 was
// written with DP 64: same decisions, same DP 65/66/67 values, same final table.
TEST(FirmwareOfflineScenarios, KeypadReproducesEveryVectorScenario) {
    const auto vectors = test::readVectors("offline_scenarios.json");
    ASSERT_EQ(vectors.at("scenarios").size(), vectors.at("count").get<std::size_t>());
    for (const auto& scenario : vectors.at("scenarios")) {
        SCOPED_TRACE(scenario.at("name").get<std::string>());
        LockFirmware firmware(SecretString(scenario.at("login_key").get<std::string>()));
        FirmwareOutput out;
        ASSERT_EQ(
            firmware.write(
                {Dp::string(dp::kOfflineT0, std::to_string(scenario.at("t0").get<std::int64_t>()))},
                0, out),
            0);
        for (const auto& step : scenario.at("steps")) {
            out = {};
            const auto outcome = firmware.keypad(step.at("code").get<std::string>(),
                                                 step.at("lock_time").get<std::int64_t>(), out);
            EXPECT_EQ(outcome.kind, "offline");
            EXPECT_EQ(outcome.resultCode, step.at("result_code").get<int>());
            if (step.at("accept").get<bool>()) {
                const auto& report = step.at("dp_report");
                ASSERT_EQ(out.records.size(), 1u);
                EXPECT_EQ(out.records[0],
                          std::vector<Dp>{
                              Dp::raw(report.at("dp").get<std::uint8_t>(),
                                      test::fromHex(report.at("value_hex").get<std::string>()))});
                EXPECT_EQ(outcome.unlocked, report.at("dp").get<int>() == 67);
            } else {
                EXPECT_EQ(out.records,
                          (std::vector<std::vector<Dp>>{{Dp::enumeration(dp::kAlarm, 1)}}));
            }
        }
        std::vector<std::string> table;
        const auto& entries = firmware.offlineTable().entries();
        for (std::size_t slot = 0; slot < entries.size(); ++slot) {
            if (entries[slot].status != domain::codes::OfflineEntryStatus::Unused) {
                char line[64];
                std::snprintf(line, sizeof line, "slot %zu status %d type %d pwd %09u", slot,
                              static_cast<int>(entries[slot].status),
                              static_cast<int>(entries[slot].type), entries[slot].body);
                table.emplace_back(line);
            }
        }
        EXPECT_EQ(table, scenario.at("final_storage_table").get<std::vector<std::string>>());
    }
}

}  // namespace
}  // namespace lockhub::sim
