#include <gtest/gtest.h>

#include "CodeVectors.h"
#include "OfflineCodeTimes.h"
#include "domain/codes/OfflineCodeIssuer.h"
#include "domain/codes/OfflineCodeVerifier.h"

namespace lockhub::domain::codes {
namespace {

using test::kEpoch;
using test::kHour;
using test::kStart;
using test::kT0;

OfflineCodeIssuer makeIssuer() {
    auto issuer = OfflineCodeIssuer::create(SecretString("8f7d54"), kT0);
    EXPECT_TRUE(issuer);
    return std::move(*issuer);
}

TEST(OfflineCodeIssuer, RejectsALoginKeyThatIsNotSixBytes) {
    EXPECT_EQ(OfflineCodeIssuer::create(SecretString("8f7d5"), kT0).error(),
              CodeErrc::InvalidLoginKey);
    EXPECT_EQ(OfflineCodeIssuer::create(SecretString(""), kT0).error(), CodeErrc::InvalidLoginKey);
}

struct ValidationCase {
    const char* name;
    OfflineCodeType type;
    std::int64_t start;
    std::int64_t endOrSerial;
    CodeErrc expected;
};

void PrintTo(const ValidationCase& c, std::ostream* os) {
    *os << c.name;
}

class IssuerValidation : public ::testing::TestWithParam<ValidationCase> {};

TEST_P(IssuerValidation, RefusesWithTheExactReason) {
    const ValidationCase& c = GetParam();
    const OfflineCodeIssuer issuer = makeIssuer();
    const auto serial = static_cast<std::uint32_t>(c.endOrSerial);
    tl::expected<IssuedOfflineCode, CodeErrc> issued = tl::unexpected(CodeErrc::CryptoFailure);
    switch (c.type) {
        case OfflineCodeType::Timed:
            issued = issuer.timed(c.start, c.endOrSerial);
            break;
        case OfflineCodeType::OneTime:
            issued = issuer.oneTime(c.start, serial);
            break;
        case OfflineCodeType::ClearOne:
            issued = issuer.clearOne(c.start, c.endOrSerial);
            break;
        case OfflineCodeType::ClearAll:
            issued = issuer.clearAll(c.start, serial);
            break;
    }
    ASSERT_FALSE(issued);
    EXPECT_EQ(issued.error(), c.expected);
}

constexpr std::int64_t kLastStart = kEpoch + 99999 * kHour;

INSTANTIATE_TEST_SUITE_P(
    Table, IssuerValidation,
    ::testing::Values(ValidationCase{"TimedStartBeforeT0Hour", OfflineCodeType::Timed,
                                     kEpoch - kHour, kEpoch, CodeErrc::StartBeforeT0},
                      ValidationCase{"OneTimeStartOneSecondBeforeT0Hour", OfflineCodeType::OneTime,
                                     kEpoch - 1, 1, CodeErrc::StartBeforeT0},
                      ValidationCase{"TimedFarPastStart", OfflineCodeType::Timed, INT64_MIN, 0,
                                     CodeErrc::StartBeforeT0},
                      ValidationCase{"TimedStartNotOnHour", OfflineCodeType::Timed, kStart + 60,
                                     kStart + 60 + kHour, CodeErrc::StartNotOnHour},
                      ValidationCase{"ClearAllStartNotOnHour", OfflineCodeType::ClearAll,
                                     kStart + 1, 1, CodeErrc::StartNotOnHour},
                      ValidationCase{"TimedStartPastFiveDigits", OfflineCodeType::Timed,
                                     kLastStart + kHour, kLastStart + 2 * kHour,
                                     CodeErrc::StartTooLate},
                      ValidationCase{"OneTimeFarFutureStart", OfflineCodeType::OneTime,
                                     INT64_MAX - 7, 1, CodeErrc::StartNotOnHour},
                      ValidationCase{"TimedEndEqualsStart", OfflineCodeType::Timed, kStart, kStart,
                                     CodeErrc::EndNotAfterStart},
                      ValidationCase{"ClearOneEndBeforeStart", OfflineCodeType::ClearOne, kStart,
                                     INT64_MIN, CodeErrc::EndNotAfterStart},
                      ValidationCase{"TimedEndNotOnHour", OfflineCodeType::Timed, kStart,
                                     kStart + kHour + 1, CodeErrc::EndNotOnHour},
                      ValidationCase{"TimedDurationOverFourDigits", OfflineCodeType::Timed, kStart,
                                     kStart + 10000 * kHour, CodeErrc::DurationTooLong},
                      ValidationCase{"ClearOneFarFutureEnd", OfflineCodeType::ClearOne, kStart,
                                     INT64_MAX - INT64_MAX % kHour, CodeErrc::DurationTooLong},
                      ValidationCase{"OneTimeSerialEleven", OfflineCodeType::OneTime, kStart, 11,
                                     CodeErrc::SerialOutOfRange},
                      ValidationCase{"ClearAllSerialMax", OfflineCodeType::ClearAll, kStart,
                                     UINT32_MAX, CodeErrc::SerialOutOfRange}),
    [](const ::testing::TestParamInfo<ValidationCase>& param) { return param.param.name; });

TEST(OfflineCodeIssuer, AcceptsTheEdgesOfEveryField) {
    const OfflineCodeIssuer issuer = makeIssuer();
    const auto first = issuer.timed(kEpoch, kEpoch + 9999 * kHour);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->plaintext.digits(), "0000009999");
    const auto last = issuer.oneTime(kLastStart, 10);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->plaintext.digits(), "1999990010");
    const auto serialZero = issuer.clearAll(kStart, 0);
    ASSERT_TRUE(serialZero);
    EXPECT_EQ(serialZero->plaintext.digits(), "9071660000");
}

TEST(OfflineCodeIssuer, MetadataOfEachType) {
    const OfflineCodeIssuer issuer = makeIssuer();
    const auto timed = issuer.timed(kStart, kStart + 25 * kHour);
    ASSERT_TRUE(timed);
    EXPECT_EQ(timed->code.reveal(), "2168874984");
    EXPECT_EQ(timed->plaintext.type(), OfflineCodeType::Timed);
    EXPECT_EQ(timed->start, kStart);
    EXPECT_EQ(timed->end, kStart + 25 * kHour);
    EXPECT_EQ(timed->activateBy, kStart + 24 * kHour);

    const auto oneTime = issuer.oneTime(kStart, 4);
    ASSERT_TRUE(oneTime);
    EXPECT_EQ(oneTime->plaintext.digits(), "1071660004");
    EXPECT_EQ(oneTime->end, std::nullopt);
    EXPECT_EQ(oneTime->activateBy, kStart + 6 * kHour);

    const auto clearOne = issuer.clearOne(kStart, kStart + 25 * kHour);
    ASSERT_TRUE(clearOne);
    EXPECT_EQ(clearOne->plaintext.digits(), "8071660025");
    EXPECT_EQ(clearOne->plaintext.body(), timed->plaintext.body());
    EXPECT_EQ(clearOne->end, kStart + 25 * kHour);
    EXPECT_EQ(clearOne->activateBy, std::nullopt);

    const auto clearAll = issuer.clearAll(kStart, 2);
    ASSERT_TRUE(clearAll);
    EXPECT_EQ(clearAll->plaintext.digits(), "9071660002");
    EXPECT_EQ(clearAll->end, std::nullopt);
    EXPECT_EQ(clearAll->activateBy, kStart + 24 * kHour);
}

TEST(OfflineCodeIssuer, MintedCodesDriveTheLockVerifier) {
    const OfflineCodeIssuer issuer = makeIssuer();
    const auto verifier = OfflineCodeVerifier::create(SecretString("8f7d54"), kT0);
    ASSERT_TRUE(verifier);
    OfflineCodeTable table;
    const auto timed = issuer.timed(kStart, kStart + 48 * kHour);
    const auto oneTime = issuer.oneTime(kStart, 1);
    const auto clearOne = issuer.clearOne(kStart, kStart + 48 * kHour);
    const auto clearAll = issuer.clearAll(kStart + kHour, 1);
    ASSERT_TRUE(timed && oneTime && clearOne && clearAll);

    const auto verify = [&](const IssuedOfflineCode& issued, std::int64_t at) {
        const auto verification = verifier->verify(table, issued.code, at);
        EXPECT_EQ(verification.plaintext, issued.plaintext);
        if (verification.report) {
            EXPECT_EQ(issuer.attribute(verification.report->dp, verification.report->value),
                      issued.plaintext);
        }
        return verification.result;
    };
    EXPECT_EQ(verify(*timed, kStart + 10), OfflineVerifyResult::Accepted);
    EXPECT_EQ(verify(*oneTime, kStart + 20), OfflineVerifyResult::Accepted);
    EXPECT_EQ(verify(*oneTime, kStart + 30), OfflineVerifyResult::UsedUp);
    EXPECT_EQ(verify(*clearOne, kStart + 40), OfflineVerifyResult::ClearedOne);
    EXPECT_EQ(verify(*timed, kStart + 50), OfflineVerifyResult::UsedUp);
    EXPECT_EQ(verify(*clearAll, kStart + kHour), OfflineVerifyResult::NothingToClear);
    EXPECT_EQ(verify(*clearAll, kStart + kHour + 1), OfflineVerifyResult::UsedUp);
}

// Every scenario code the issuer is allowed to mint comes out identical; the others are exactly
// the ones it must refuse.
TEST(OfflineCodeIssuer, ReproducesEveryIssuableScenarioCode) {
    const auto doc = test::loadVectorFile("offline_scenarios.json");
    ASSERT_TRUE(doc) << doc.error();
    ASSERT_FALSE(doc->at("scenarios").empty());
    std::size_t minted = 0;
    for (const auto& scenario : doc->at("scenarios")) {
        SCOPED_TRACE(scenario.at("name").get<std::string>());
        const auto issuer =
            OfflineCodeIssuer::create(SecretString(scenario.at("login_key").get<std::string>()),
                                      scenario.at("t0").get<std::uint32_t>());
        ASSERT_TRUE(issuer);
        for (const auto& step : scenario.at("steps")) {
            SCOPED_TRACE(step.at("plaintext").get<std::string>());
            const auto start = step.at("start_time").get<std::int64_t>();
            const auto field = step.at("field_6_9").get<std::uint32_t>();
            const std::int64_t end = start + static_cast<std::int64_t>(field) * kHour;
            tl::expected<IssuedOfflineCode, CodeErrc> issued =
                tl::unexpected(CodeErrc::CryptoFailure);
            switch (step.at("type_digit").get<int>()) {
                case 0:
                    issued = issuer->timed(start, end);
                    break;
                case 1:
                    issued = issuer->oneTime(start, field);
                    break;
                case 8:
                    issued = issuer->clearOne(start, end);
                    break;
                case 9:
                    issued = issuer->clearAll(start, field);
                    break;
                default:
                    continue;  // types 2-7 exist only as typed garbage
            }
            if (!issued) {
                const bool zeroDuration = field == 0 && step.at("type_digit").get<int>() == 0;
                EXPECT_EQ(issued.error(),
                          zeroDuration ? CodeErrc::EndNotAfterStart : CodeErrc::SerialOutOfRange);
                EXPECT_TRUE(zeroDuration || field > 10);
                continue;
            }
            EXPECT_EQ(issued->code.reveal(), step.at("code").get<std::string>());
            ++minted;
        }
    }
    EXPECT_GT(minted, 50u);
}

}  // namespace
}  // namespace lockhub::domain::codes
