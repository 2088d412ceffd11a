#include <gtest/gtest.h>

#include "CodeVectors.h"
#include "domain/codes/CodeKeys.h"
#include "domain/codes/OfflineCodeIssuer.h"
#include "domain/codes/OfflineCodeReport.h"

namespace lockhub::domain::codes {
namespace {

// The worked example's DP 67 value for plaintext 0071660025 under login key 8f7d54.
constexpr std::string_view kDp67Hex = "b67413f029080e017493fe97db5a38f3";

AesKey workedExampleKey() {
    const auto key = offlineKeyFromLoginKey(SecretString("8f7d54"));
    EXPECT_TRUE(key);
    return key->reveal();
}

TEST(OfflineCodeReport, EncryptsTheRecordLikeTheLock) {
    const auto plain = OfflineCodePlaintext::parse("0071660025");
    ASSERT_TRUE(plain);
    const auto value = encryptOfflineCodeReport(workedExampleKey(), *plain);
    ASSERT_TRUE(value);
    EXPECT_EQ(test::toHex(*value), kDp67Hex);
}

TEST(OfflineCodeReport, DpPerType) {
    EXPECT_EQ(reportDpFor(OfflineCodeType::Timed), 67);
    EXPECT_EQ(reportDpFor(OfflineCodeType::OneTime), 67);
    EXPECT_EQ(reportDpFor(OfflineCodeType::ClearOne), 65);
    EXPECT_EQ(reportDpFor(OfflineCodeType::ClearAll), 66);
}

TEST(OfflineCodeReport, ReadsBackOnlyWellFormedRecordsOnTheirOwnDp) {
    const AesKey key = workedExampleKey();
    const auto value = test::fromHex(kDp67Hex);
    const auto plain = readOfflineCodeReport(key, kDpOfflineUnlock, value);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->digits(), "0071660025");

    EXPECT_EQ(readOfflineCodeReport(key, kDpOfflineClearOne, value),
              tl::unexpected(CodeErrc::ReportTypeMismatch));
    EXPECT_EQ(readOfflineCodeReport(key, 12, value), tl::unexpected(CodeErrc::ReportTypeMismatch));
    EXPECT_EQ(readOfflineCodeReport(key, kDpOfflineUnlock, std::span(value).first(15)),
              tl::unexpected(CodeErrc::MalformedReport));
    auto longer = value;
    longer.push_back(0);
    EXPECT_EQ(readOfflineCodeReport(key, kDpOfflineUnlock, longer),
              tl::unexpected(CodeErrc::MalformedReport));
    EXPECT_EQ(readOfflineCodeReport(key, kDpOfflineUnlock, {}),
              tl::unexpected(CodeErrc::MalformedReport));
    // Another lock's key decrypts to noise, not to the "000000" + digits layout.
    const auto otherKey = offlineKeyFromLoginKey(SecretString("a1b2c3"));
    ASSERT_TRUE(otherKey);
    EXPECT_EQ(readOfflineCodeReport(otherKey->reveal(), kDpOfflineUnlock, value),
              tl::unexpected(CodeErrc::MalformedReport));
}

TEST(OfflineCodeReport, RejectsRecordsWhosePlaintextIsNotTheLayout) {
    const AesKey key = workedExampleKey();
    for (const std::string_view record :
         {"1000000071660025", "000000007166002x", "0000002071660025"}) {
        SCOPED_TRACE(record);
        const auto encrypted = aes128CbcZeroIvEncrypt(
            key, std::span(reinterpret_cast<const std::uint8_t*>(record.data()), record.size()));
        ASSERT_TRUE(encrypted);
        const auto read = readOfflineCodeReport(key, kDpOfflineUnlock, *encrypted);
        ASSERT_FALSE(read);
        EXPECT_EQ(read.error(),
                  record[6] == '2' ? CodeErrc::ReportTypeMismatch : CodeErrc::MalformedReport);
    }
}

// The hub's attribution of every report in the scenarios gives back the step's plaintext.
TEST(OfflineCodeReport, AttributesEveryScenarioReport) {
    const auto doc = test::loadVectorFile("offline_scenarios.json");
    ASSERT_TRUE(doc) << doc.error();
    std::size_t reports = 0;
    for (const auto& scenario : doc->at("scenarios")) {
        SCOPED_TRACE(scenario.at("name").get<std::string>());
        const auto issuer =
            OfflineCodeIssuer::create(SecretString(scenario.at("login_key").get<std::string>()),
                                      scenario.at("t0").get<std::uint32_t>());
        ASSERT_TRUE(issuer);
        for (const auto& step : scenario.at("steps")) {
            if (!step.contains("dp_report")) {
                continue;
            }
            const auto& report = step.at("dp_report");
            const auto plain =
                issuer->attribute(report.at("dp").get<std::uint8_t>(),
                                  test::fromHex(report.at("value_hex").get<std::string>()));
            ASSERT_TRUE(plain);
            EXPECT_EQ(plain->digits(), step.at("plaintext").get<std::string>());
            ++reports;
        }
    }
    EXPECT_GT(reports, 30u);
}

}  // namespace
}  // namespace lockhub::domain::codes
