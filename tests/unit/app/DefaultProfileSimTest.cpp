// The shipped profiles against lockhub-sim's lock firmware: the encoder's writes are what the
// firmware accepts, and the translator understands everything the firmware reports.
#include <gtest/gtest.h>

#include "app/ProfileLoader.h"
#include "domain/lock/CommandEncoder.h"
#include "domain/lock/DpTranslator.h"
#include "protocol/tuya/DpCodec.h"
#include "sim/firmware/LockFirmware.h"

namespace lockhub::domain {
namespace {

namespace tuya = protocol::tuya;

constexpr std::int64_t kSimNow = 1700000000;

tuya::Dp toProtocol(const DpRecord& record) {
    tuya::Bytes wire = {record.id, record.type, static_cast<std::uint8_t>(record.raw.size() >> 8),
                        static_cast<std::uint8_t>(record.raw.size())};
    wire.insert(wire.end(), record.raw.begin(), record.raw.end());
    auto dps = tuya::decodeDps(wire, tuya::ProtocolVersion::V4);
    EXPECT_TRUE(dps && dps->size() == 1) << "dp " << int(record.id) << " does not decode";
    return dps && dps->size() == 1 ? dps->front() : tuya::Dp{};
}

DpRecord toRecord(const tuya::Dp& dp) {
    auto wire = tuya::encodeDps(std::span(&dp, 1), tuya::ProtocolVersion::V4);
    EXPECT_TRUE(wire && wire->size() >= 4);
    if (!wire || wire->size() < 4) {
        return {};
    }
    return {(*wire)[0], (*wire)[1], std::vector<std::uint8_t>(wire->begin() + 4, wire->end())};
}

class DefaultProfileSim : public ::testing::Test {
protected:
    void SetUp() override {
        auto profiles = loadProfiles({}, std::filesystem::path(LOCKHUB_SOURCE_DIR) / "profiles");
        ASSERT_TRUE(profiles) << profiles.error().message;
        profiles_ = std::move(*profiles);
        profile_ = profiles_.at("tuya-ble-lock");
    }

    // Writes the command's DPs in one frame, as the link manager does; returns the write status.
    std::uint8_t send(const EncodedCommand& command, std::int64_t now = kSimNow) {
        std::vector<tuya::Dp> dps;
        for (const auto& record : command.writes) {
            dps.push_back(toProtocol(record));
        }
        return firmware_.write(dps, now, out_);
    }

    Result<EncodedCommand> encode(LockCommand command, const CommandContext& context) {
        return CommandEncoder(profile_).encode(command, context);
    }

    // Translates everything the firmware reported since the last call: status DPs without time,
    // records with the lock's time. Every DP must translate.
    std::vector<DpOutcome> reported() {
        const DpTranslator translator(profile_);
        std::vector<DpOutcome> outcomes;
        auto take = [&](const std::vector<std::vector<tuya::Dp>>& reports,
                        std::optional<std::int64_t> lockTime) {
            for (const auto& report : reports) {
                for (const auto& dp : report) {
                    auto outcome = translator.translate(toRecord(dp), lockTime);
                    EXPECT_TRUE(outcome) << outcome.error().message;
                    if (outcome) {
                        outcomes.push_back(*outcome);
                    }
                }
            }
        };
        take(out_.records, kSimNow);
        take(out_.status, std::nullopt);
        out_ = {};
        return outcomes;
    }

    static std::optional<LockEvent> firstEvent(const std::vector<DpOutcome>& outcomes) {
        for (const auto& o : outcomes) {
            if (o.event) {
                return o.event;
            }
        }
        return std::nullopt;
    }

    static std::optional<CommandReply> lastReply(const std::vector<DpOutcome>& outcomes) {
        std::optional<CommandReply> reply;
        for (const auto& o : outcomes) {
            if (o.reply) {
                reply = o.reply;
            }
        }
        return reply;
    }

    static LockSnapshot stateAfter(const std::vector<DpOutcome>& outcomes) {
        LockSnapshot snapshot;
        for (const auto& o : outcomes) {
            snapshot.apply(o.state);
        }
        return snapshot;
    }

    std::map<std::string, DpProfile> profiles_;
    DpProfile profile_;
    sim::LockFirmware firmware_{SecretString("abcdef")};
    sim::FirmwareOutput out_;
};

TEST_F(DefaultProfileSim, UnlocksWithDp6AndLocksWithDp46) {
    CommandContext context;
    context.memberId = 2;
    auto unlock = encode(LockCommand::Unlock, context);
    ASSERT_TRUE(unlock) << unlock.error().message;
    EXPECT_EQ(send(*unlock), 0);
    auto outcomes = reported();
    EXPECT_FALSE(firmware_.locked());
    EXPECT_EQ(stateAfter(outcomes).lock, LockState::Unlocked);
    ASSERT_TRUE(lastReply(outcomes));
    EXPECT_EQ(lastReply(outcomes)->role, DpRole::BleUnlock);
    EXPECT_TRUE(lastReply(outcomes)->ok());
    auto event = firstEvent(outcomes);
    ASSERT_TRUE(event);
    EXPECT_EQ(event->method, UnlockMethod::Ble);
    EXPECT_EQ(event->member, 2U);
    EXPECT_EQ(event->lockTime, kSimNow);

    auto lock = encode(LockCommand::Lock, context);
    ASSERT_TRUE(lock);
    EXPECT_EQ(send(*lock), 0);
    EXPECT_TRUE(firmware_.locked());
    EXPECT_EQ(stateAfter(reported()).lock, LockState::Locked);
}

TEST_F(DefaultProfileSim, RemoteKeyFlowUnlocksOnceAndTheKeyIsThenUsedUp) {
    profile_ = profiles_.at("tuya-ble-lock-remote-key");
    CommandContext context;
    context.now = kSimNow;
    context.memberId = 0x0102;
    context.random = {1, 2, 3, 4, 5, 6, 7, 8};
    auto unlock = encode(LockCommand::Unlock, context);
    ASSERT_TRUE(unlock) << unlock.error().message;
    EXPECT_EQ(send(*unlock), 0);
    auto outcomes = reported();
    EXPECT_FALSE(firmware_.locked());
    ASSERT_TRUE(lastReply(outcomes));
    EXPECT_EQ(lastReply(outcomes)->role, DpRole::RemoteUnlock);
    EXPECT_EQ(lastReply(outcomes)->reason, "ok");
    auto event = firstEvent(outcomes);
    ASSERT_TRUE(event);
    EXPECT_EQ(event->method, UnlockMethod::Remote);
    EXPECT_EQ(event->member, 0x0102U);

    // Replaying only the DP 61 write: the one-use key is gone.
    EXPECT_EQ(send(EncodedCommand{{unlock->writes.at(1)}, 61, {}}), 0);
    EXPECT_EQ(lastReply(reported())->reason, "key_used_up");

    // The shipped variant locks with DP 46; the flow's own close operation works too.
    profile_.lockFlow = CommandFlow::RemoteKey;
    context.random = {8, 7, 6, 5, 4, 3, 2, 1};
    auto lock = encode(LockCommand::Lock, context);
    ASSERT_TRUE(lock);
    EXPECT_EQ(send(*lock), 0);
    outcomes = reported();
    EXPECT_TRUE(firmware_.locked());
    EXPECT_EQ(stateAfter(outcomes).lock, LockState::Locked);
    EXPECT_EQ(lastReply(outcomes)->reason, "ok");
}

TEST_F(DefaultProfileSim, CheckCodeFlowNeedsTheCodeTheAdminEnrolled) {
    // The admin (master 0xFFFF) enrols master 2's code, proving itself with zeros (reference §2.3).
    std::vector<std::uint8_t> enrol = {0xFF, 0xFF, 0x00, 0x01};
    enrol.insert(enrol.end(), 8, 0);
    enrol.push_back(0);  // add
    enrol.insert(enrol.end(), {0x00, 0x02});
    enrol.insert(enrol.end(), 8, '1');
    EXPECT_EQ(send(EncodedCommand{{{70, dptype::kRaw, enrol}}, 70, {}}), 0);
    reported();

    profile_ = profiles_.at("tuya-ble-lock-check-code");
    CommandContext context;
    context.now = kSimNow;
    context.memberId = 4;
    context.checkCode = CheckCode{2, sim::kLockSlaveId, SecretString("22222222")};
    auto wrong = encode(LockCommand::Unlock, context);
    ASSERT_TRUE(wrong);
    EXPECT_EQ(send(*wrong), 0);
    EXPECT_EQ(lastReply(reported())->reason, "check_code_mismatch");
    EXPECT_TRUE(firmware_.locked());

    context.checkCode->code = SecretString("11111111");
    auto unlock = encode(LockCommand::Unlock, context);
    ASSERT_TRUE(unlock);
    EXPECT_EQ(send(*unlock), 0);
    auto outcomes = reported();
    EXPECT_FALSE(firmware_.locked());
    EXPECT_TRUE(lastReply(outcomes)->ok());
    ASSERT_TRUE(firstEvent(outcomes));
    EXPECT_EQ(firstEvent(outcomes)->method, UnlockMethod::Ble);
    EXPECT_EQ(firstEvent(outcomes)->member, 4U);

    auto lock = encode(LockCommand::Lock, context);
    ASSERT_TRUE(lock);
    EXPECT_EQ(send(*lock), 0);
    EXPECT_EQ(stateAfter(reported()).lock, LockState::Locked);
}

TEST_F(DefaultProfileSim, TranslatesWhatHappensAtTheDoor) {
    firmware_.fingerprint(3, kSimNow, out_);
    auto event = firstEvent(reported());
    ASSERT_TRUE(event);
    EXPECT_EQ(event->kind, EventKind::Unlock);
    EXPECT_EQ(event->method, UnlockMethod::Fingerprint);
    EXPECT_EQ(event->credential, 3U);

    firmware_.card(5, kSimNow, out_);
    EXPECT_EQ(firstEvent(reported())->method, UnlockMethod::Card);
    firmware_.mechanicalKey(kSimNow, out_);
    EXPECT_EQ(firstEvent(reported())->method, UnlockMethod::Key);

    firmware_.keypad("999", kSimNow, out_);
    event = firstEvent(reported());
    EXPECT_EQ(event->kind, EventKind::WrongCode);
    EXPECT_EQ(event->method, UnlockMethod::Password);

    firmware_.setBattery(50, kSimNow, out_);
    auto state = stateAfter(reported());
    EXPECT_EQ(state.battery, 50);
    EXPECT_EQ(state.batteryLevel, BatteryLevel::Medium);

    firmware_.setBattery(5, kSimNow, out_);
    auto outcomes = reported();
    EXPECT_EQ(stateAfter(outcomes).batteryLevel, BatteryLevel::Low);
    EXPECT_EQ(firstEvent(outcomes)->alarm, AlarmKind::LowBattery);

    firmware_.hijack(kSimNow, out_);
    EXPECT_EQ(firstEvent(reported())->kind, EventKind::Duress);
    firmware_.doorbell(kSimNow, out_);
    EXPECT_EQ(firstEvent(reported())->kind, EventKind::Doorbell);
    firmware_.remoteUnlockRequest(kSimNow, out_);
    EXPECT_EQ(firstEvent(reported())->kind, EventKind::UnlockRequest);
    firmware_.alarm(sim::Alarm::Pry, kSimNow, out_);
    EXPECT_EQ(firstEvent(reported())->alarm, AlarmKind::Pry);

    firmware_.lockMotor(out_);
    EXPECT_EQ(stateAfter(reported()).lock, LockState::Locked);

    out_.status.push_back(firmware_.status({}));
    state = stateAfter(reported());
    EXPECT_EQ(state.lock, LockState::Locked);
    EXPECT_EQ(state.battery, 5);
}

TEST_F(DefaultProfileSim, TemporaryPasswordUnlockNamesTheLocksSlot) {
    std::vector<std::uint8_t> create = {0};                 // type
    create.insert(create.end(), {0, 0, 0, 0});              // effective
    create.insert(create.end(), {0xFF, 0xFF, 0xFF, 0xFF});  // expiry
    create.insert(create.end(), 9, 0);                      // repeat and daily times
    create.insert(create.end(), {0, 6, 1, 2, 3, 4, 5, 6});  // unlimited uses, 6 digits
    EXPECT_EQ(send(EncodedCommand{{{51, dptype::kRaw, create}}, 51, {}}), 0);
    // The firmware's reply `hardware_id, result` is the profile's temp_password_create reply.
    const auto created = lastReply(reported());
    ASSERT_TRUE(created);
    EXPECT_EQ(created->role, DpRole::TempPasswordCreate);
    EXPECT_EQ(created->reason, "ok");
    EXPECT_EQ(created->echo, (std::vector<std::uint8_t>{0}));
    firmware_.keypad("123456", kSimNow, out_);
    auto event = firstEvent(reported());
    ASSERT_TRUE(event);
    EXPECT_EQ(event->method, UnlockMethod::Temporary);
    EXPECT_EQ(event->credential, 0U);
}

}  // namespace
}  // namespace lockhub::domain
