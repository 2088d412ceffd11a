// The negative table: each bad input is refused with its own error, at the layer that sees it.
#include <gtest/gtest.h>

#include <set>
#include <string_view>

#include "SessionPair.h"
#include "protocol/tuya/Packetizer.h"
#include "protocol/tuya/Pairing.h"
#include "protocol/tuya/Reassembler.h"
#include "protocol/tuya/SecureLayer.h"

namespace lockhub::protocol::tuya {
namespace {

using test::fromHex;

const Iv kIv{0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
             0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
const Frame kDeviceInfoRequest{1, 0, code(Command::DeviceInfo), {}};

Bytes sealWithLoginKey(const Frame& frame, const char* loginKey, const Iv& iv = kIv) {
    const AesKey key = loginKeyDigest(loginKey);
    return *sealFrameWithIv(frame, SecurityFlag::LoginKey, &key, iv);
}

TEST(NegativeTable, WrongKeyFailsTheIntegrityChecks) {
    const Bytes sealed = sealWithLoginKey(kDeviceInfoRequest, "a3f6b2");
    ASSERT_TRUE(openFrame(sealed, KeyTable("a3f6b2")).has_value());
    // AES-CBC has no authentication: a wrong key yields noise, which the frame checks catch.
    // For this input the noise claims a data length past the end.
    EXPECT_EQ(openFrame(sealed, KeyTable("zzzzzz")).error(), ProtocolError::BadLength);
    for (const char* wrong : {"a3f6b3", "000000", "A3F6B2", "a3f6b"}) {
        const auto opened = openFrame(sealed, KeyTable(wrong));
        ASSERT_FALSE(opened.has_value()) << wrong;
        EXPECT_TRUE(opened.error() == ProtocolError::BadLength ||
                    opened.error() == ProtocolError::BadPadding ||
                    opened.error() == ProtocolError::BadCrc)
            << protocolErrorName(opened.error());
    }
}

TEST(NegativeTable, WrongCrc) {
    // Flipping an IV bit flips the same plaintext bit of the first block: here the CRC's low byte.
    Bytes sealed = sealWithLoginKey(kDeviceInfoRequest, "a3f6b2");
    sealed[1 + 13] ^= 0x01;
    EXPECT_EQ(openFrame(sealed, KeyTable("a3f6b2")).error(), ProtocolError::BadCrc);

    Bytes plain = *encodeFrame(kDeviceInfoRequest);
    plain.back() ^= 0x80;
    EXPECT_EQ(decodeFrame(plain).error(), ProtocolError::BadCrc);
}

TEST(NegativeTable, TruncatedPackets) {
    const Bytes sealed = sealWithLoginKey(kDeviceInfoRequest, "a3f6b2");
    const auto packets = splitIntoPackets(sealed, 3);
    ASSERT_EQ(packets.size(), 2U);

    Reassembler reassembler;
    EXPECT_EQ(reassembler.push(ByteView(packets[0]).first(2)).error(), ProtocolError::Short);
    EXPECT_EQ(reassembler.push(ByteView(packets[0]).first(1)).error(), ProtocolError::Short);
    // A final packet cut short leaves the frame incomplete instead of yielding a wrong one.
    ASSERT_FALSE(*reassembler.push(packets[0]));
    EXPECT_FALSE(*reassembler.push(ByteView(packets[1]).first(packets[1].size() - 1)));
    EXPECT_EQ(reassembler.openStreams(), 1U);
    // Secure-layer bytes cut inside the IV or mid-block.
    EXPECT_EQ(openFrame(ByteView(sealed).first(17), KeyTable("a3f6b2")).error(),
              ProtocolError::BadCiphertextLength);
    EXPECT_EQ(openFrame(ByteView(sealed).first(32), KeyTable("a3f6b2")).error(),
              ProtocolError::BadCiphertextLength);
    EXPECT_EQ(openFrame({}, KeyTable("a3f6b2")).error(), ProtocolError::Short);
    EXPECT_EQ(decodeFrame(fromHex("0000000100000000000000")).error(), ProtocolError::Short);
}

TEST(NegativeTable, OversizeTotals) {
    Reassembler reassembler;
    EXPECT_EQ(reassembler.push(fromHex("00812030aa")).error(), ProtocolError::FrameTooLarge);
    EXPECT_EQ(reassembler.push(fromHex("00ffffffff0f30aa")).error(), ProtocolError::FrameTooLarge);
    EXPECT_EQ(reassembler.openStreams(), 0U);

    test::SessionPair pair;
    pair.lock().receive(fromHex("00812030aa"), pair.mono());
    pair.pump();
    ASSERT_EQ(pair.lockEventsOf<FrameDropped>().size(), 1U);
    EXPECT_EQ(pair.lockEventsOf<FrameDropped>()[0].error, ProtocolError::FrameTooLarge);
}

TEST(NegativeTable, VarintOverflow) {
    Reassembler reassembler;
    EXPECT_EQ(reassembler.push(fromHex("ffffffffff01")).error(), ProtocolError::VarintOverflow);
    EXPECT_EQ(reassembler.push(fromHex("ffffffff10")).error(), ProtocolError::VarintOverflow);
    EXPECT_EQ(reassembler.push(fromHex("0080808080800130")).error(), ProtocolError::VarintOverflow);
}

TEST(NegativeTable, NonIncreasingSeqMakesTheLockDisconnect) {
    test::SessionPair pair;
    pair.hub().start(pair.now());  // DEVICE_INFO with seq 1
    pair.pump();
    ASSERT_FALSE(pair.lockDisconnect);
    // Another frame with seq 1: different IV, so the transport does not take it for a repeat.
    Iv otherIv = kIv;
    otherIv[0] ^= 0xFF;
    for (const Bytes& packet :
         splitIntoPackets(sealWithLoginKey(kDeviceInfoRequest, test::kLoginKey, otherIv), 3)) {
        pair.lock().receive(packet, pair.mono());
    }
    pair.pump();
    EXPECT_EQ(pair.lockDisconnect, DisconnectReason::SeqNotIncreasing);
    // A disconnecting session ignores anything further.
    pair.lock().receive(splitIntoPackets(sealWithLoginKey({2, 0, 0, {}}, test::kLoginKey), 3)[0],
                        pair.mono());
    EXPECT_TRUE(pair.lock().takeOutput().empty());
}

TEST(NegativeTable, PlainFrameOnABoundLockIsDropped) {
    const Bytes plain = *sealFrameWithIv(kDeviceInfoRequest, SecurityFlag::None, nullptr, kIv);
    ASSERT_EQ(plain[0], 0);

    test::SessionPair bound(ProtocolVersion::V3, true);
    for (const Bytes& packet : splitIntoPackets(plain, 3)) {
        bound.lock().receive(packet, bound.mono());
    }
    const LockOutput refused = bound.lock().takeOutput();
    EXPECT_TRUE(refused.packets.empty());
    ASSERT_EQ(refused.events.size(), 1U);
    EXPECT_EQ(std::get<FrameDropped>(refused.events[0]).error, ProtocolError::PlainFrameRefused);

    // Before binding, flag 0 is allowed and the lock answers in kind.
    test::SessionPair unbound(ProtocolVersion::V3, false);
    for (const Bytes& packet : splitIntoPackets(plain, 3)) {
        unbound.lock().receive(packet, unbound.mono());
    }
    const LockOutput answered = unbound.lock().takeOutput();
    ASSERT_FALSE(answered.packets.empty());
    EXPECT_EQ(answered.packets[0][3], 0);  // flag byte after "00 <total> 30"
    EXPECT_TRUE(answered.events.empty());
}

TEST(NegativeTable, FlagsWithoutKeysAndUnknownFlags) {
    KeyTable keys("a3f6b2");
    EXPECT_EQ(keys.keyFor(5).error(), ProtocolError::MissingKey);
    EXPECT_EQ(keys.keyFor(7).error(), ProtocolError::UnknownSecurityFlag);
    EXPECT_EQ(keys.keyFor(0).error(), ProtocolError::PlainFrameRefused);
    Bytes sealed = sealWithLoginKey(kDeviceInfoRequest, "a3f6b2");
    sealed[0] = 5;
    EXPECT_EQ(openFrame(sealed, keys).error(), ProtocolError::MissingKey);
    sealed[0] = 2;
    EXPECT_EQ(openFrame(sealed, keys).error(), ProtocolError::UnknownSecurityFlag);
    EXPECT_EQ(sealFrameWithIv(kDeviceInfoRequest, SecurityFlag::SessionKey, nullptr, kIv).error(),
              ProtocolError::MissingKey);
}

TEST(NegativeTable, LockRefusesCommandsBeforePairing) {
    test::SessionPair pair;
    const Frame query{1, 0, code(Command::StatusQuery), {}};
    for (const Bytes& packet : splitIntoPackets(sealWithLoginKey(query, test::kLoginKey), 3)) {
        pair.lock().receive(packet, pair.mono());
    }
    const LockOutput out = pair.lock().takeOutput();
    EXPECT_TRUE(out.packets.empty());
    ASSERT_EQ(out.events.size(), 1U);
    EXPECT_EQ(std::get<FrameDropped>(out.events[0]).error, ProtocolError::CommandNotAllowed);
    EXPECT_EQ(pair.lock().requestTime(Command::TimeRequestMs).error(), ProtocolError::NotReady);
}

TEST(NegativeTable, LockRefusesPairBeforeDeviceInfo) {
    test::SessionPair pair;
    const PairRequest request{test::kUuid, SecretString(test::kLoginKey), test::kDeviceId};
    const Frame pairFrame{1, 0, code(Command::Pair), *encodePairRequest(request)};
    for (const Bytes& packet : splitIntoPackets(sealWithLoginKey(pairFrame, test::kLoginKey), 3)) {
        pair.lock().receive(packet, pair.mono());
    }
    const LockOutput out = pair.lock().takeOutput();
    EXPECT_TRUE(out.packets.empty());
    ASSERT_EQ(out.events.size(), 1U);
    EXPECT_EQ(std::get<FrameDropped>(out.events[0]).error, ProtocolError::MissingKey);
    EXPECT_FALSE(pair.lock().paired());
}

TEST(NegativeTable, HubDropsReplaysAndStrayReplies) {
    test::SessionPair pair;
    pair.handshake();
    ASSERT_EQ(pair.hub().state(), HubState::Ready);
    const std::size_t before = pair.hubEvents.size();
    // A frame from "the lock" reusing seq 1 (sealed with the login key, which the hub accepts).
    Frame replay{1, 0, code(Command::DpReportV3), fromHex("0c020400000003")};
    for (const Bytes& packet : splitIntoPackets(sealWithLoginKey(replay, test::kLoginKey), 3)) {
        pair.hub().receive(packet, pair.now());
    }
    // A reply to a request that was never sent.
    Frame stray{1000, 77, code(Command::DpWriteV3), fromHex("00")};
    for (const Bytes& packet : splitIntoPackets(sealWithLoginKey(stray, test::kLoginKey), 3)) {
        pair.hub().receive(packet, pair.now());
    }
    pair.pump();
    ASSERT_EQ(pair.hubEvents.size(), before + 2);
    EXPECT_EQ(std::get<FrameDropped>(pair.hubEvents[before]).error,
              ProtocolError::SeqNotIncreasing);
    EXPECT_EQ(std::get<FrameDropped>(pair.hubEvents[before + 1]).error,
              ProtocolError::UnknownRequest);
    EXPECT_FALSE(pair.hubDisconnect);
}

TEST(NegativeTable, EveryErrorAndDisconnectReasonHasItsOwnName) {
    std::set<std::string_view> names;
    for (int e = 0; e <= static_cast<int>(ProtocolError::UnknownRequest); ++e) {
        const auto name = protocolErrorName(static_cast<ProtocolError>(e));
        EXPECT_NE(name, "unknown");
        EXPECT_TRUE(names.insert(name).second) << name;
    }
    EXPECT_EQ(protocolErrorName(ProtocolError::BadCrc), "bad_crc");
    std::set<std::string_view> reasons;
    for (int r = 0; r <= static_cast<int>(DisconnectReason::Unbound); ++r) {
        const auto name = disconnectReasonName(static_cast<DisconnectReason>(r));
        EXPECT_NE(name, "unknown");
        EXPECT_TRUE(reasons.insert(name).second) << name;
    }
}

}  // namespace
}  // namespace lockhub::protocol::tuya
