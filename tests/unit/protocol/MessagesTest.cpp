#include <gtest/gtest.h>

#include "TestSupport.h"
#include "protocol/tuya/DeviceInfo.h"
#include "protocol/tuya/DpReport.h"
#include "protocol/tuya/DpWrite.h"
#include "protocol/tuya/Pairing.h"
#include "protocol/tuya/TimeSync.h"

namespace lockhub::protocol::tuya {
namespace {

using test::fromHex;
using test::toHex;

TEST(DeviceInfoMessage, RoundTripsWithExtension) {
    DeviceInfo info;
    info.firmwareVersion = {1, 5};
    info.protocolMajor = 4;
    info.protocolMinor = 2;
    info.flags = 0x10;
    info.bound = true;
    info.srand = {1, 2, 3, 4, 5, 6};
    info.hardwareVersion = {1, 0};
    info.authKey.fill(0xAB);
    info.extension = fromHex("010203");
    const Bytes bytes = encodeDeviceInfo(info);
    ASSERT_EQ(bytes.size(), 49U);
    EXPECT_EQ(toHex(bytes).substr(0, 28), "0105040210010102030405060100");
    EXPECT_EQ(*decodeDeviceInfo(bytes), info);
    EXPECT_EQ(decodeDeviceInfo(ByteView(bytes).first(45)).error(), ProtocolError::BadPayload);
}

TEST(PairMessage, RequestIsUuidLoginKeyAndPaddedDeviceId) {
    const PairRequest request{"tuyab10f2d3c4e5a", SecretString("a3f6b2"), "bf1234"};
    const auto bytes = encodePairRequest(request);
    ASSERT_TRUE(bytes.has_value());
    ASSERT_EQ(bytes->size(), 44U);
    EXPECT_EQ(toHex(*bytes), toHex(fromHex("74757961623130663264336334653561"
                                           "613366366232"
                                           "626631323334"
                                           "00000000000000000000000000000000")));
    const auto decoded = decodePairRequest(*bytes);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->uuid, request.uuid);
    EXPECT_EQ(decoded->loginKey.reveal(), "a3f6b2");
    EXPECT_EQ(decoded->deviceId, "bf1234");
}

TEST(PairMessage, RejectsWrongSizes) {
    EXPECT_EQ(encodePairRequest({"short", SecretString("a3f6b2"), "x"}).error(),
              ProtocolError::BadPayload);
    EXPECT_EQ(encodePairRequest({"tuyab10f2d3c4e5a", SecretString("a3f6b"), "x"}).error(),
              ProtocolError::BadPayload);
    EXPECT_EQ(encodePairRequest({"tuyab10f2d3c4e5a", SecretString("a3f6b2"), std::string(23, 'x')})
                  .error(),
              ProtocolError::BadPayload);
    EXPECT_EQ(decodePairRequest(Bytes(43, 'a')).error(), ProtocolError::BadPayload);
    EXPECT_EQ(decodePairResult(fromHex("03")).error(), ProtocolError::BadPayload);
    EXPECT_EQ(decodePairResult(fromHex("0000")).error(), ProtocolError::BadPayload);
    EXPECT_EQ(*decodePairResult(fromHex("02")), PairResult::AlreadyBound);
}

TEST(DpWriteMessage, V4CarriesVersionAndSn) {
    const DpWrite write{{Dp::boolean(47, true)}, 0x01020304};
    const auto bytes = encodeDpWrite(write, ProtocolVersion::V4);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(toHex(*bytes),
              "0001020304"
              "2f01000101");
    const auto decoded = decodeDpWrite(*bytes, ProtocolVersion::V4);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->dps, write.dps);
    EXPECT_EQ(decoded->dpSn, write.dpSn);
    EXPECT_EQ(decodeDpWrite(fromHex("01010203042f01000101"), ProtocolVersion::V4).error(),
              ProtocolError::BadPayload);
    EXPECT_EQ(decodeDpWrite(fromHex("00010203"), ProtocolVersion::V4).error(),
              ProtocolError::BadPayload);
}

TEST(DpWriteMessage, Replies) {
    EXPECT_EQ(toHex(encodeDpWriteReply({0, 7}, ProtocolVersion::V3)), "00");
    EXPECT_EQ(toHex(encodeDpWriteReply({1, 7}, ProtocolVersion::V4)), "000000000701");
    const auto reply = decodeDpWriteReply(fromHex("000000000701"), ProtocolVersion::V4);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, 1);
    EXPECT_EQ(reply->dpSn, 7U);
    EXPECT_EQ(decodeStatusReply({}).error(), ProtocolError::BadPayload);
}

DpReport v4Report(bool withTime) {
    DpReport report;
    report.command = withTime ? Command::DpReportV4WithTime : Command::DpReportV4;
    report.dps = {Dp::integer(12, 3)};
    report.sn = 9;
    report.flags = 0x01;
    report.mode = 2;
    if (withTime) {
        report.time = ReportTime{ReportTime::Format::AsciiMillis, 1701234567250};
    }
    return report;
}

TEST(DpReportMessage, V4LayoutsAndAcks) {
    const auto plain = encodeDpReport(v4Report(false));
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(toHex(*plain),
              "00000000090102"
              "0c02000400000003");
    EXPECT_EQ(*decodeDpReport(0x8006, *plain), v4Report(false));
    EXPECT_EQ(toHex(encodeReportAck(v4Report(false))), "0000000009010200");

    const auto timed = encodeDpReport(v4Report(true));
    ASSERT_TRUE(timed.has_value());
    EXPECT_EQ(toHex(*timed),
              "00000000090102"
              "00"
              "31373031323334353637323530"
              "0c02000400000003");
    EXPECT_EQ(*decodeDpReport(0x8007, *timed), v4Report(true));

    const auto ack = decodeReportAck(0x8007, fromHex("0000000009010200"));
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(*ack, (ReportAck{9, 1, 2, 0}));
    EXPECT_EQ(decodeReportAck(0x8007, fromHex("00000000090102")).error(),
              ProtocolError::BadPayload);
    EXPECT_EQ(decodeReportAck(0x8001, fromHex("00")).error(), ProtocolError::BadPayload);
    EXPECT_TRUE(decodeReportAck(0x8003, {}).has_value());
}

TEST(DpReportMessage, V3SecondsTimeAndChecks) {
    DpReport report;
    report.command = Command::DpReportV3WithTime;
    report.dps = {Dp::integer(12, 3)};
    report.time = ReportTime{ReportTime::Format::Seconds, 1700000000000};
    EXPECT_EQ(toHex(*encodeDpReport(report)), "016553f1000c020400000003");
    EXPECT_TRUE(encodeReportAck(report).empty());

    report.time->unixMs = 1700000000001;
    EXPECT_EQ(encodeDpReport(report).error(), ProtocolError::BadTimeFormat);
    report.time.reset();
    EXPECT_EQ(encodeDpReport(report).error(), ProtocolError::BadPayload);

    EXPECT_EQ(decodeDpReport(0x8003, fromHex("02")).error(), ProtocolError::BadTimeFormat);
    EXPECT_EQ(decodeDpReport(0x8003, fromHex("0031373031")).error(), ProtocolError::BadPayload);
    EXPECT_EQ(decodeDpReport(0x8003, fromHex("00313730313233343536373235ff")).error(),
              ProtocolError::BadTimeFormat);
    EXPECT_EQ(decodeDpReport(0x8006, fromHex("010000000901020c")).error(),
              ProtocolError::BadPayload);
    EXPECT_EQ(decodeDpReport(0x0002, {}).error(), ProtocolError::BadPayload);
}

TEST(TimeSyncMessage, MillisecondAnswer) {
    const auto bytes = encodeTimeAnswer(Command::TimeRequestMs, {1615046400000, 200});
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(toHex(*bytes), "3136313530343634303030303000c8");
    EXPECT_EQ(*decodeTimeAnswer(Command::TimeRequestMs, *bytes), (TimeAnswer{1615046400000, 200}));
    EXPECT_EQ(encodeTimeAnswer(Command::TimeRequestMs, {-1, 0}).error(), ProtocolError::BadPayload);
}

TEST(TimeSyncMessage, DateAnswerInUtcFields) {
    // 1700000000 = Tuesday 2023-11-14 22:13:20 UTC.
    const auto bytes = encodeTimeAnswer(Command::TimeRequestDate, {1700000000123, -500});
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(toHex(*bytes),
              "170b0e160d1402"
              "fe0c");
    EXPECT_EQ(*decodeTimeAnswer(Command::TimeRequestDate, *bytes),
              (TimeAnswer{1700000000000, -500}));
    EXPECT_EQ(decodeTimeAnswer(Command::TimeRequestDate, fromHex("170d0e160d14020000")).error(),
              ProtocolError::BadPayload);
    EXPECT_EQ(encodeTimeAnswer(Command::TimeRequestDate, {0, 0}).error(),
              ProtocolError::BadPayload);
    EXPECT_EQ(encodeTimeAnswer(Command::DpWriteV3, {0, 0}).error(), ProtocolError::BadPayload);
}

}  // namespace
}  // namespace lockhub::protocol::tuya
