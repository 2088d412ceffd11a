#include <gtest/gtest.h>

#include <algorithm>

#include "DpBuilders.h"
#include "TestProfile.h"
#include "domain/lock/CommandEncoder.h"
#include "domain/lock/DpRecord.h"

namespace lockhub::domain {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::concat;

DpProfile withFlows(CommandFlow unlock, CommandFlow lock) {
    auto profile = test::allRolesProfile();
    profile.unlockFlow = unlock;
    profile.lockFlow = lock;
    return profile;
}

Bytes ascii(const char* text) {
    return Bytes(text, text + std::char_traits<char>::length(text));
}

TEST(CommandEncoder, BleUnlockWritesOpenAndMemberToDp6) {
    const CommandEncoder encoder(withFlows(CommandFlow::BleUnlock, CommandFlow::BleUnlock));
    CommandContext context;
    context.memberId = 7;
    auto unlock = encoder.encode(LockCommand::Unlock, context);
    ASSERT_TRUE(unlock) << unlock.error().message;
    EXPECT_EQ(unlock->writes, (std::vector<DpRecord>{{6, dptype::kRaw, {1, 7}}}));
    EXPECT_EQ(unlock->replyDp, 6);
    EXPECT_EQ(unlock->replyEcho, (Bytes{7}));  // the reply repeats the member
    auto lock = encoder.encode(LockCommand::Lock, context);
    ASSERT_TRUE(lock);
    EXPECT_EQ(lock->writes, (std::vector<DpRecord>{{6, dptype::kRaw, {0, 7}}}));
}

TEST(CommandEncoder, ManualLockWritesTrueToDp46AndAwaitsNoReplyDp) {
    const CommandEncoder encoder(withFlows(CommandFlow::BleUnlock, CommandFlow::ManualLock));
    auto lock = encoder.encode(LockCommand::Lock, {});
    ASSERT_TRUE(lock);
    EXPECT_EQ(lock->writes, (std::vector<DpRecord>{{46, dptype::kBool, {1}}}));
    EXPECT_EQ(lock->replyDp, std::nullopt);
}

TEST(CommandEncoder, BleUnlockMemberMustFitOneByte) {
    const CommandEncoder encoder(withFlows(CommandFlow::BleUnlock, CommandFlow::None));
    CommandContext context;
    context.memberId = 256;
    auto unlock = encoder.encode(LockCommand::Unlock, context);
    ASSERT_FALSE(unlock);
    EXPECT_EQ(unlock.error().code, Errc::BadRequest);
    EXPECT_EQ(unlock.error().message,
              "member id 256 does not fit the ble_unlock flow's 1-byte field");
}

TEST(CommandEncoder, RemoteKeySetsAOneUseKeyForTenMinutesThenUsesIt) {
    const CommandEncoder encoder(withFlows(CommandFlow::RemoteKey, CommandFlow::RemoteKey));
    CommandContext context;
    context.now = 0x65422933;
    context.memberId = 0x0102;
    context.random = {0, 0, 0, 0, 0, 0, 0x30, 0x39};  // 12345
    auto unlock = encoder.encode(LockCommand::Unlock, context);
    ASSERT_TRUE(unlock) << unlock.error().message;
    const Bytes key = ascii("00012345");
    const Bytes setKey = concat({{1, 0x01, 0x02},
                                 {0x65, 0x42, 0x28, 0x07},  // now - 300
                                 {0x65, 0x42, 0x2A, 0x5F},  // now + 300
                                 {0x00, 0x01},
                                 key});
    EXPECT_EQ(unlock->writes, (std::vector<DpRecord>{
                                  {60, dptype::kRaw, setKey},
                                  {61, dptype::kRaw, concat({{1, 0x01, 0x02}, key, {1}})},
                              }));
    EXPECT_EQ(unlock->replyDp, 61);
    EXPECT_EQ(unlock->replyEcho, (Bytes{0x01, 0x02}));
    auto lock = encoder.encode(LockCommand::Lock, context);
    ASSERT_TRUE(lock);
    EXPECT_EQ(lock->writes.at(1).raw, concat({{0, 0x01, 0x02}, key, {1}}));
}

TEST(CommandEncoder, RemoteKeyIsEightDigitsFromAll64RandomBits) {
    const CommandEncoder encoder(withFlows(CommandFlow::RemoteKey, CommandFlow::None));
    CommandContext context;
    context.now = 1700000000;
    context.random.fill(0xFF);  // 18446744073709551615 mod 10^8
    auto unlock = encoder.encode(LockCommand::Unlock, context);
    ASSERT_TRUE(unlock);
    const auto& raw = unlock->writes.at(0).raw;
    EXPECT_EQ(Bytes(raw.end() - 8, raw.end()), ascii("09551615"));
}

TEST(CommandEncoder, RemoteKeyWindowMustFitTheLockClock) {
    const CommandEncoder encoder(withFlows(CommandFlow::RemoteKey, CommandFlow::None));
    CommandContext context;
    context.now = 100;
    auto unlock = encoder.encode(LockCommand::Unlock, context);
    ASSERT_FALSE(unlock);
    EXPECT_EQ(unlock.error().code, Errc::BadRequest);
    EXPECT_EQ(unlock.error().message, "time -200 is outside the lock's 32-bit clock");
}

CommandContext checkCodeContext() {
    CommandContext context;
    context.now = 0x65422933;
    context.checkCode = CheckCode{0xFFFF, 0x0001, SecretString("11111111")};
    return context;
}

TEST(CommandEncoder, CheckCodeWritesIdsCodeOperationTimeAndMember) {
    const CommandEncoder encoder(withFlows(CommandFlow::CheckCode, CommandFlow::CheckCode));
    auto unlock = encoder.encode(LockCommand::Unlock, checkCodeContext());
    ASSERT_TRUE(unlock) << unlock.error().message;
    const Bytes expected = concat(
        {{0xFF, 0xFF, 0x00, 0x01}, ascii("11111111"), {0x01, 0x65, 0x42, 0x29, 0x33, 0x00, 0x00}});
    EXPECT_EQ(unlock->writes, (std::vector<DpRecord>{{71, dptype::kRaw, expected}}));
    EXPECT_EQ(unlock->replyDp, 71);
    // Operation and timestamp: the reply names exactly this command.
    EXPECT_EQ(unlock->replyEcho, (Bytes{0x01, 0x65, 0x42, 0x29, 0x33}));
    auto lock = encoder.encode(LockCommand::Lock, checkCodeContext());
    ASSERT_TRUE(lock);
    EXPECT_EQ(lock->writes.at(0).raw.at(12), 0x00);
}

TEST(CommandEncoder, CheckCodeFlowNeedsTheLocksCheckCodeAndNeverEchoesIt) {
    const CommandEncoder encoder(withFlows(CommandFlow::CheckCode, CommandFlow::None));
    auto none = encoder.encode(LockCommand::Unlock, {});
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, Errc::Rejected);
    EXPECT_EQ(none.error().message, "this lock has no check code for the check_code flow");

    auto context = checkCodeContext();
    context.checkCode->code = SecretString("1234567");
    auto shortCode = encoder.encode(LockCommand::Unlock, context);
    ASSERT_FALSE(shortCode);
    EXPECT_EQ(shortCode.error().code, Errc::Rejected);
    EXPECT_EQ(shortCode.error().message, "the lock's check code is not 8 bytes");

    context = checkCodeContext();
    context.memberId = 300;
    auto wideMember = encoder.encode(LockCommand::Unlock, context);
    ASSERT_FALSE(wideMember);
    EXPECT_EQ(wideMember.error().code, Errc::BadRequest);
    EXPECT_EQ(wideMember.error().message,
              "member id 300 does not fit the check_code flow's 1-byte field");
}

TEST(CommandEncoder, AProfileWithoutAFlowRejectsTheCommand) {
    const CommandEncoder encoder(withFlows(CommandFlow::BleUnlock, CommandFlow::None));
    auto lock = encoder.encode(LockCommand::Lock, {});
    ASSERT_FALSE(lock);
    EXPECT_EQ(lock.error().code, Errc::Rejected);
    EXPECT_EQ(lock.error().message, "profile test-lock cannot LOCK");
}

TEST(CommandEncoder, AnUnvalidatedProfileMissingTheFlowsDpIsAConfigError) {
    auto profile = withFlows(CommandFlow::RemoteKey, CommandFlow::None);
    std::erase_if(profile.dps, [](const DpSpec& s) { return s.role == DpRole::RemoteSetKey; });
    const CommandEncoder encoder(profile);
    auto unlock = encoder.encode(LockCommand::Unlock, {});
    ASSERT_FALSE(unlock);
    EXPECT_EQ(unlock.error().code, Errc::Config);
    EXPECT_EQ(unlock.error().message, "profile test-lock has no remote_set_key dp");
}

}  // namespace
}  // namespace lockhub::domain
