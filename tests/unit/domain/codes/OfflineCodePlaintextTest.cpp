#include <gtest/gtest.h>

#include "OfflineCodeTimes.h"
#include "domain/codes/OfflineCodePlaintext.h"

namespace lockhub::domain::codes {
namespace {

using test::kT0;

TEST(OfflineCodePlaintext, ParsesTheLayout) {
    const auto plain = OfflineCodePlaintext::parse("0071660025");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->typeDigit(), 0);
    EXPECT_EQ(plain->type(), OfflineCodeType::Timed);
    EXPECT_EQ(plain->startHours(), 7166u);
    EXPECT_EQ(plain->field(), 25u);
    EXPECT_EQ(plain->body(), 71660025u);
    EXPECT_EQ(plain->digits(), "0071660025");
    EXPECT_EQ(plain->startTime(kT0), 1615046400);
    EXPECT_EQ(plain->endTime(kT0), 1615136400);
}

TEST(OfflineCodePlaintext, KeepsUnknownTypeDigitsForTheVerifier) {
    const auto plain = OfflineCodePlaintext::parse("5113610005");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->typeDigit(), 5);
    EXPECT_EQ(plain->type(), std::nullopt);
    EXPECT_EQ(plain->endTime(kT0), std::nullopt);
}

TEST(OfflineCodePlaintext, SerialTypesHaveNoEnd) {
    const auto oneTime = OfflineCodePlaintext::parse("1442500004");
    ASSERT_TRUE(oneTime);
    EXPECT_EQ(oneTime->type(), OfflineCodeType::OneTime);
    EXPECT_EQ(oneTime->field(), 4u);
    EXPECT_EQ(oneTime->endTime(kT0), std::nullopt);
    const auto clearAll = OfflineCodePlaintext::parse("9232500000");
    ASSERT_TRUE(clearAll);
    EXPECT_EQ(clearAll->type(), OfflineCodeType::ClearAll);
    EXPECT_EQ(clearAll->endTime(kT0), std::nullopt);
    const auto clearOne = OfflineCodePlaintext::parse("8235320185");
    ASSERT_TRUE(clearOne);
    EXPECT_EQ(clearOne->endTime(kT0), clearOne->startTime(kT0) + 185 * 3600);
}

TEST(OfflineCodePlaintext, RejectsWrongLengthAndNonDigits) {
    EXPECT_EQ(OfflineCodePlaintext::parse("007166002"), tl::unexpected(CodeErrc::MalformedCode));
    EXPECT_EQ(OfflineCodePlaintext::parse("00716600251"), tl::unexpected(CodeErrc::MalformedCode));
    EXPECT_EQ(OfflineCodePlaintext::parse("00716600-5"), tl::unexpected(CodeErrc::MalformedCode));
}

TEST(OfflineCodePlaintext, MakePadsEveryFieldAndChecksItsWidth) {
    const auto plain = OfflineCodePlaintext::make(OfflineCodeType::ClearAll, 7, 3);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->digits(), "9000070003");
    const auto widest = OfflineCodePlaintext::make(OfflineCodeType::Timed, 99999, 9999);
    ASSERT_TRUE(widest);
    EXPECT_EQ(widest->digits(), "0999999999");
    EXPECT_EQ(OfflineCodePlaintext::make(OfflineCodeType::Timed, 100000, 1),
              tl::unexpected(CodeErrc::StartTooLate));
    EXPECT_EQ(OfflineCodePlaintext::make(OfflineCodeType::ClearOne, 1, 10000),
              tl::unexpected(CodeErrc::DurationTooLong));
    EXPECT_EQ(OfflineCodePlaintext::make(OfflineCodeType::OneTime, 1, 10000),
              tl::unexpected(CodeErrc::SerialOutOfRange));
}

TEST(OfflineCodePlaintext, HourFloorAndActivationWindows) {
    EXPECT_EQ(hourFloor(kT0), 1589248800);
    EXPECT_EQ(hourFloor(1589248800), 1589248800);
    EXPECT_EQ(hourFloor(0xFFFFFFFF), 4294965600);
    EXPECT_EQ(activationWindowSeconds(OfflineCodeType::Timed), 24 * 3600);
    EXPECT_EQ(activationWindowSeconds(OfflineCodeType::OneTime), 6 * 3600);
    EXPECT_EQ(activationWindowSeconds(OfflineCodeType::ClearAll), 24 * 3600);
    EXPECT_EQ(activationWindowSeconds(OfflineCodeType::ClearOne), std::nullopt);
}

}  // namespace
}  // namespace lockhub::domain::codes
