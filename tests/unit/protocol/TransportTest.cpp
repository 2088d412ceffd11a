#include <gtest/gtest.h>

#include "TestSupport.h"
#include "protocol/tuya/Packetizer.h"
#include "protocol/tuya/Reassembler.h"
#include "protocol/tuya/Varint.h"

namespace lockhub::protocol::tuya {
namespace {

using test::fromHex;
using test::toHex;

Bytes sequence(std::size_t size, std::uint8_t first = 0) {
    Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<std::uint8_t>(first + i);
    }
    return bytes;
}

TEST(Varint, EncodesSevenBitsPerByteLowFirst) {
    const auto encode = [](std::uint32_t value) {
        Bytes out;
        appendVarint(out, value);
        return toHex(out);
    };
    EXPECT_EQ(encode(0), "00");
    EXPECT_EQ(encode(127), "7f");
    EXPECT_EQ(encode(128), "8001");
    EXPECT_EQ(encode(300), "ac02");
    EXPECT_EQ(encode(UINT32_MAX), "ffffffff0f");
}

TEST(Varint, ReadsBackWithSize) {
    const auto read = readVarint(fromHex("ac02ff"));
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->value, 300U);
    EXPECT_EQ(read->size, 2U);
    const auto max = readVarint(fromHex("ffffffff0f"));
    ASSERT_TRUE(max.has_value());
    EXPECT_EQ(max->value, UINT32_MAX);
}

TEST(Varint, RejectsOverflowAndTruncation) {
    EXPECT_EQ(readVarint(fromHex("ffffffff1f")).error(), ProtocolError::VarintOverflow);
    EXPECT_EQ(readVarint(fromHex("ffffffffff01")).error(), ProtocolError::VarintOverflow);
    EXPECT_EQ(readVarint(fromHex("ffffffffff")).error(), ProtocolError::VarintOverflow);
    EXPECT_EQ(readVarint(fromHex("80")).error(), ProtocolError::Short);
    EXPECT_EQ(readVarint({}).error(), ProtocolError::Short);
}

TEST(Packetizer, SplitsToTwentyBytesWithHeaders) {
    const auto packets = splitIntoPackets(sequence(81), 3);
    ASSERT_EQ(packets.size(), 5U);
    EXPECT_EQ(toHex(packets[0]).substr(0, 8), "00513000");  // number 0, total 81, version 3
    EXPECT_EQ(packets[0].size(), 20U);
    EXPECT_EQ(toHex(packets[1]).substr(0, 2), "01");
    EXPECT_EQ(packets[3].size(), 20U);
    EXPECT_EQ(packets[4].size(), 1U + 81 - 17 - 19 * 3);
}

TEST(Packetizer, LargerMtuAndStreamSeqNibble) {
    const auto packets = splitIntoPackets(sequence(200), 4, 244, 0x1F);
    ASSERT_EQ(packets.size(), 1U);
    EXPECT_EQ(toHex(packets[0]).substr(0, 8), "00c8014f");  // total 200 = c8 01; 4 << 4 | 0xF
    EXPECT_EQ(packets[0].size(), 4U + 200);
}

TEST(Packetizer, TinyMtuIsRaisedSoEveryPacketCarriesPayload) {
    const auto packets = splitIntoPackets(sequence(10), 3, 1);
    ASSERT_EQ(packets.size(), 2U);
    EXPECT_EQ(packets[0].size(), 8U);
}

TEST(Reassembler, RoundTripsAcrossMtus) {
    for (std::size_t mtu : {8U, 20U, 23U, 64U, 244U}) {
        for (std::size_t size : {1U, 16U, 33U, 200U, 4096U}) {
            Reassembler reassembler;
            const Bytes payload = sequence(size, 7);
            std::optional<Bytes> result;
            for (const Bytes& packet : splitIntoPackets(payload, 3, mtu)) {
                auto pushed = reassembler.push(packet);
                ASSERT_TRUE(pushed.has_value());
                ASSERT_FALSE(result.has_value()) << "completed early";
                result = *pushed;
            }
            ASSERT_TRUE(result.has_value()) << mtu << " " << size;
            EXPECT_EQ(*result, payload);
            EXPECT_EQ(reassembler.openStreams(), 0U);
        }
    }
}

TEST(Reassembler, ToleratesInterleavedStreams) {
    const Bytes a = sequence(60, 0);
    const Bytes b = sequence(40, 100);
    const auto pa = splitIntoPackets(a, 3);  // 4 packets
    const auto pb = splitIntoPackets(b, 3);  // 3 packets
    Reassembler reassembler;
    std::vector<Bytes> completed;
    for (const Bytes* packet : {&pa[0], &pb[0], &pa[1], &pb[1], &pa[2], &pb[2], &pa[3]}) {
        auto pushed = reassembler.push(*packet);
        ASSERT_TRUE(pushed.has_value()) << protocolErrorName(pushed.error());
        if (*pushed) {
            completed.push_back(**pushed);
        }
    }
    ASSERT_EQ(completed.size(), 2U);
    EXPECT_EQ(completed[0], b);
    EXPECT_EQ(completed[1], a);
}

TEST(Reassembler, IgnoresAnExactRepeatOfAPacket) {
    const auto packets = splitIntoPackets(sequence(40), 3);
    Reassembler reassembler;
    ASSERT_FALSE(*reassembler.push(packets[0]));
    ASSERT_FALSE(*reassembler.push(packets[0]));
    ASSERT_FALSE(*reassembler.push(packets[1]));
    ASSERT_FALSE(*reassembler.push(packets[1]));
    const auto done = reassembler.push(packets[2]);
    ASSERT_TRUE(done.has_value() && done->has_value());
    EXPECT_EQ(**done, sequence(40));
    EXPECT_FALSE(*reassembler.push(packets[2]));  // repeat of the completing packet
}

TEST(Reassembler, ResetsOnOutOfOrderPacket) {
    const auto packets = splitIntoPackets(sequence(60), 3);
    Reassembler reassembler;
    ASSERT_FALSE(*reassembler.push(packets[0]));
    EXPECT_EQ(reassembler.push(packets[2]).error(), ProtocolError::OutOfOrder);
    EXPECT_EQ(reassembler.openStreams(), 0U);
    EXPECT_EQ(reassembler.push(packets[1]).error(), ProtocolError::OutOfOrder);
    // A fresh stream still works afterwards.
    std::optional<Bytes> result;
    for (const Bytes& packet : packets) {
        result = *reassembler.push(packet);
    }
    EXPECT_EQ(result, sequence(60));
}

TEST(Reassembler, EvictsTheOldestStreamBeyondTheLimit) {
    Reassembler reassembler(ReassemblerConfig{kDefaultMaxFrameSize, 2});
    const auto a = splitIntoPackets(sequence(30, 1), 3);
    const auto b = splitIntoPackets(sequence(30, 2), 3);
    const auto c = splitIntoPackets(sequence(30, 3), 3);
    ASSERT_FALSE(*reassembler.push(a[0]));
    ASSERT_FALSE(*reassembler.push(b[0]));
    ASSERT_FALSE(*reassembler.push(c[0]));
    EXPECT_EQ(reassembler.openStreams(), 2U);
    EXPECT_EQ(**reassembler.push(b[1]), sequence(30, 2));
    EXPECT_EQ(**reassembler.push(c[1]), sequence(30, 3));
    EXPECT_EQ(reassembler.push(a[1]).error(), ProtocolError::OutOfOrder);
}

TEST(Reassembler, IdleStreamsExpireSoTheyCannotCaptureLaterPackets) {
    // A frame lost its last packet; 6 s later the same-sized retransmission must still complete.
    const MonoTime start{std::chrono::hours(1)};
    const auto lost = splitIntoPackets(sequence(60, 1), 3);
    const auto resent = splitIntoPackets(sequence(60, 2), 3);
    Reassembler reassembler;
    ASSERT_FALSE(*reassembler.push(lost[0], start));
    ASSERT_FALSE(*reassembler.push(lost[1], start));
    ASSERT_FALSE(*reassembler.push(lost[2], start));
    const MonoTime later = start + std::chrono::seconds(6);
    std::optional<Bytes> result;
    for (const Bytes& packet : resent) {
        result = *reassembler.push(packet, later);
    }
    EXPECT_EQ(result, sequence(60, 2));
    EXPECT_EQ(reassembler.openStreams(), 0U);
}

TEST(Reassembler, RejectsOversizeAndInconsistentTotals) {
    Reassembler reassembler;
    EXPECT_EQ(reassembler.push(splitIntoPackets(sequence(4097), 3)[0]).error(),
              ProtocolError::FrameTooLarge);
    Reassembler small(ReassemblerConfig{64, 4});
    EXPECT_EQ(small.push(splitIntoPackets(sequence(65), 3)[0]).error(),
              ProtocolError::FrameTooLarge);
    EXPECT_EQ(reassembler.push(fromHex("000030")).error(), ProtocolError::BadTotalLength);
    EXPECT_EQ(reassembler.push(fromHex("000230aabbcc")).error(), ProtocolError::BadTotalLength);
    EXPECT_EQ(reassembler.push(fromHex("0003")).error(), ProtocolError::Short);
    EXPECT_EQ(reassembler.push({}).error(), ProtocolError::EmptyPacket);
    EXPECT_EQ(reassembler.push(fromHex("00ffffffffff01")).error(), ProtocolError::VarintOverflow);
    EXPECT_EQ(reassembler.push(fromHex("ffffffffff01aa")).error(), ProtocolError::VarintOverflow);
    // A continuation that overruns the announced total drops its stream.
    ASSERT_FALSE(*reassembler.push(fromHex("00053001020304")));
    EXPECT_EQ(reassembler.push(fromHex("010506")).error(), ProtocolError::BadTotalLength);
    EXPECT_EQ(reassembler.openStreams(), 0U);
}

}  // namespace
}  // namespace lockhub::protocol::tuya
