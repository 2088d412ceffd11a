#include <gtest/gtest.h>

#include "TestSupport.h"
#include "protocol/tuya/DpCodec.h"

namespace lockhub::protocol::tuya {
namespace {

using test::fromHex;
using test::toHex;

const std::vector<Dp> kAllTypes{
    Dp::raw(1, fromHex("0a0b")),   Dp::boolean(2, true),   Dp::integer(3, -2),
    Dp::string(4, "ab"),           Dp::enumeration(5, 3),  Dp::enumeration(6, 0x1234),
    Dp::enumeration(7, 0x123456),  Dp::bitmap(8, 0x81, 1), Dp::bitmap(9, 0x8001, 2),
    Dp::bitmap(10, 0x80000001, 4),
};

constexpr const char* kAllTypesV3 =
    "0100020a0b"
    "02010101"
    "030204fffffffe"
    "0403026162"
    "05040103"
    "0604021234"
    "07040400123456"
    "08050181"
    "0905028001"
    "0a050480000001";

TEST(DpCodec, EncodesEveryTypeV3) {
    const auto bytes = encodeDps(kAllTypes, ProtocolVersion::V3);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(toHex(*bytes), kAllTypesV3);
}

TEST(DpCodec, EncodesTwoByteLengthsV4) {
    const auto bytes =
        encodeDps(std::vector<Dp>{Dp::boolean(47, false), Dp::integer(8, 87)}, ProtocolVersion::V4);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(toHex(*bytes),
              "2f01000100"
              "0802000400000057");
}

TEST(DpCodec, DecodesSeveralPerFrameBothVersions) {
    for (ProtocolVersion version : {ProtocolVersion::V3, ProtocolVersion::V4}) {
        const auto bytes = encodeDps(kAllTypes, version);
        ASSERT_TRUE(bytes.has_value());
        const auto dps = decodeDps(*bytes, version);
        ASSERT_TRUE(dps.has_value());
        EXPECT_EQ(*dps, kAllTypes);
    }
}

TEST(DpCodec, AcceptsWideEnumsAndNonZeroBools) {
    const auto dps = decodeDps(fromHex("0504020003"
                                       "0101017f"),
                               ProtocolVersion::V3);
    ASSERT_TRUE(dps.has_value());
    EXPECT_EQ(*dps, (std::vector<Dp>{Dp::enumeration(5, 3), Dp::boolean(1, true)}));
}

TEST(DpCodec, EmptyInputIsNoDps) {
    EXPECT_TRUE(decodeDps({}, ProtocolVersion::V3)->empty());
    EXPECT_TRUE(encodeDps({}, ProtocolVersion::V4)->empty());
}

TEST(DpCodec, DefensiveDecodeErrors) {
    const auto v3 = [](const char* hex) { return decodeDps(fromHex(hex), ProtocolVersion::V3); };
    EXPECT_EQ(v3("0c02").error(), ProtocolError::DpTruncated);
    EXPECT_EQ(v3("0c020400").error(), ProtocolError::DpTruncated);
    EXPECT_EQ(v3("0c060100").error(), ProtocolError::DpUnknownType);
    EXPECT_EQ(v3("0c01020001").error(), ProtocolError::DpBadValueSize);
    EXPECT_EQ(v3("0c020300000003").error(), ProtocolError::DpBadValueSize);
    EXPECT_EQ(v3("0c0403000000").error(), ProtocolError::DpBadValueSize);
    EXPECT_EQ(v3("0c050300000000").error(), ProtocolError::DpBadValueSize);
    EXPECT_EQ(v3("0c040100"
                 "01")
                  .error(),
              ProtocolError::DpTruncated);
    const auto v4 = decodeDps(fromHex("0c0000ff00"), ProtocolVersion::V4);
    EXPECT_EQ(v4.error(), ProtocolError::DpTruncated);
}

TEST(DpCodec, EncodeRefusesWhatTheWireCannotCarry) {
    const std::vector<Dp> long256{Dp::raw(1, Bytes(256, 0))};
    EXPECT_EQ(encodeDps(long256, ProtocolVersion::V3).error(), ProtocolError::DpTooLong);
    EXPECT_EQ(encodeDps(long256, ProtocolVersion::V4)->size(), 4U + 256);
    const std::vector<Dp> longV4{Dp::string(1, std::string(65536, 'x'))};
    EXPECT_EQ(encodeDps(longV4, ProtocolVersion::V4).error(), ProtocolError::DpTooLong);
    const std::vector<Dp> badWidth{Dp::bitmap(1, 1, 3)};
    EXPECT_EQ(encodeDps(badWidth, ProtocolVersion::V3).error(), ProtocolError::DpBadValueSize);
    const std::vector<Dp> tooWide{Dp::bitmap(1, 0x100, 1)};
    EXPECT_EQ(encodeDps(tooWide, ProtocolVersion::V3).error(), ProtocolError::DpBadValueSize);
}

}  // namespace
}  // namespace lockhub::protocol::tuya
