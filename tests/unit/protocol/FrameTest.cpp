#include <gtest/gtest.h>

#include "TestSupport.h"
#include "protocol/tuya/Frame.h"

namespace lockhub::protocol::tuya {
namespace {

using test::fromHex;
using test::toHex;

const Frame kFrame{0x01020304, 0x0A0B0C0D, 0x8006, fromHex("00112233")};

TEST(FrameCodec, EncodesBigEndianHeaderDataAndCrc) {
    const auto bytes = encodeFrame(kFrame);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(toHex(*bytes).substr(0, 32), "010203040a0b0c0d8006000400112233");
    EXPECT_EQ(bytes->size(), 18U);
}

TEST(FrameCodec, DecodesWithAndWithoutPadding) {
    auto bytes = *encodeFrame(kFrame);
    EXPECT_EQ(*decodeFrame(bytes), kFrame);
    padToBlock(bytes);
    ASSERT_EQ(bytes.size(), 32U);
    EXPECT_EQ(*decodeFrame(bytes), kFrame);
}

TEST(FrameCodec, PaddingOfAWholeBlockAddsNothing) {
    Bytes sixteen(16, 1);
    padToBlock(sixteen);
    EXPECT_EQ(sixteen.size(), 16U);
}

TEST(FrameCodec, DecodeErrorsAreValues) {
    const Bytes good = *encodeFrame(kFrame);
    EXPECT_EQ(decodeFrame(ByteView(good).first(13)).error(), ProtocolError::Short);

    Bytes longLen = good;
    longLen[11] = 0x05;
    EXPECT_EQ(decodeFrame(longLen).error(), ProtocolError::BadLength);

    Bytes badCrc = good;
    badCrc.back() ^= 0x01;
    EXPECT_EQ(decodeFrame(badCrc).error(), ProtocolError::BadCrc);

    Bytes dirtyPad = good;
    padToBlock(dirtyPad);
    dirtyPad.back() = 0x01;
    EXPECT_EQ(decodeFrame(dirtyPad).error(), ProtocolError::BadPadding);

    Bytes wholeBlockPad = good;
    wholeBlockPad.resize(good.size() + 16, 0);
    EXPECT_EQ(decodeFrame(wholeBlockPad).error(), ProtocolError::BadPadding);
}

TEST(FrameCodec, RefusesDataBeyondTheLengthField) {
    const Frame huge{1, 0, 2, Bytes(65536, 0)};
    EXPECT_EQ(encodeFrame(huge).error(), ProtocolError::DataTooLong);
    const Frame largest{1, 0, 2, Bytes(65535, 0)};
    EXPECT_EQ(decodeFrame(*encodeFrame(largest))->data.size(), 65535U);
}

}  // namespace
}  // namespace lockhub::protocol::tuya
