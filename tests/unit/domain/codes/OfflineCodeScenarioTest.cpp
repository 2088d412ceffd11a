// Replays every scenario of offline_scenarios.json against the verifier, step by step with the
// lock clock set, and checks each decision, each DP report and the final table.
#include <gtest/gtest.h>

#include <cstdio>

#include "CodeVectors.h"
#include "domain/codes/CodeKeys.h"
#include "domain/codes/Ff1.h"
#include "domain/codes/OfflineCodeVerifier.h"

namespace lockhub::domain::codes {
namespace {

std::vector<std::string> describeUsedEntries(const OfflineCodeTable& table) {
    std::vector<std::string> lines;
    for (std::size_t slot = 0; slot < table.entries().size(); ++slot) {
        const OfflineCodeEntry& entry = table.entries()[slot];
        if (entry.status == OfflineEntryStatus::Unused) {
            continue;
        }
        std::array<char, 64> line{};
        std::snprintf(line.data(), line.size(), "slot %zu status %d type %d pwd %09u", slot,
                      static_cast<int>(entry.status), static_cast<int>(entry.type), entry.body);
        lines.emplace_back(line.data());
    }
    return lines;
}

void checkStep(const OfflineCodeVerifier& verifier, OfflineCodeTable& table,
               const nlohmann::json& step, std::uint32_t t0) {
    const auto code = step.at("code").get<std::string>();
    const auto verification =
        verifier.verify(table, SecretString(code), step.at("lock_time").get<std::int64_t>());

    EXPECT_EQ(resultCode(verification.result), step.at("result_code").get<int>());
    EXPECT_EQ(isAccepted(verification.result), step.at("accept").get<bool>());

    ASSERT_TRUE(verification.plaintext);
    const OfflineCodePlaintext& plain = *verification.plaintext;
    EXPECT_EQ(plain.digits(), step.at("plaintext").get<std::string>());
    EXPECT_EQ(plain.typeDigit(), step.at("type_digit").get<int>());
    EXPECT_EQ(plain.startHours(), step.at("start_hours").get<std::uint32_t>());
    EXPECT_EQ(plain.field(), step.at("field_6_9").get<std::uint32_t>());
    EXPECT_EQ(plain.startTime(t0), step.at("start_time").get<std::int64_t>());
    if (step.contains("end_time")) {
        EXPECT_EQ(plain.endTime(t0), step.at("end_time").get<std::int64_t>());
    } else {
        EXPECT_EQ(plain.endTime(t0), std::nullopt);
    }

    if (step.contains("dp_report")) {
        const auto& expected = step.at("dp_report");
        ASSERT_TRUE(verification.report);
        EXPECT_EQ(verification.report->dp, expected.at("dp").get<int>());
        EXPECT_EQ(test::toHex(verification.report->value),
                  expected.at("value_hex").get<std::string>());
        EXPECT_EQ("000000" + plain.digits(), expected.at("value_plain_ascii").get<std::string>());
    } else {
        EXPECT_FALSE(verification.report);
    }
}

TEST(OfflineCodeScenarios, EveryScenarioReproducesTheReferenceLock) {
    const auto doc = test::loadVectorFile("offline_scenarios.json");
    ASSERT_TRUE(doc) << doc.error();
    const auto& scenarios = doc->at("scenarios");
    ASSERT_FALSE(scenarios.empty());
    ASSERT_EQ(scenarios.size(), doc->at("count").get<std::size_t>());
    for (const auto& scenario : scenarios) {
        SCOPED_TRACE(scenario.at("name").get<std::string>());
        const SecretString loginKey(scenario.at("login_key").get<std::string>());
        const auto t0 = scenario.at("t0").get<std::uint32_t>();
        EXPECT_EQ(hourFloor(t0), scenario.at("t0_hour_floor").get<std::int64_t>());
        const auto offlineKey = offlineKeyFromLoginKey(loginKey);
        ASSERT_TRUE(offlineKey);
        EXPECT_EQ(std::string(offlineKey->reveal().begin(), offlineKey->reveal().end()),
                  scenario.at("offline_key_ascii").get<std::string>());

        const auto verifier = OfflineCodeVerifier::create(loginKey, t0);
        ASSERT_TRUE(verifier);
        EXPECT_EQ(verifier->t0(), t0);
        OfflineCodeTable table;
        const auto& steps = scenario.at("steps");
        ASSERT_FALSE(steps.empty());
        for (std::size_t i = 0; i < steps.size(); ++i) {
            SCOPED_TRACE("step " + std::to_string(i));
            // The code is the FF1 encryption of the plaintext (the issuer's direction).
            EXPECT_EQ(
                Ff1(offlineKey->reveal()).encrypt(steps[i].at("plaintext").get<std::string>()),
                steps[i].at("code").get<std::string>());
            checkStep(*verifier, table, steps[i], t0);
        }
        EXPECT_EQ(describeUsedEntries(table),
                  scenario.at("final_storage_table").get<std::vector<std::string>>());
    }
}

}  // namespace
}  // namespace lockhub::domain::codes
