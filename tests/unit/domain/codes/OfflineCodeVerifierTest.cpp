// Verifier behaviour the shared scenarios do not reach: malformed input, and a full table.
#include <gtest/gtest.h>

#include "OfflineCodeTimes.h"
#include "domain/codes/OfflineCodeIssuer.h"
#include "domain/codes/OfflineCodeVerifier.h"

namespace lockhub::domain::codes {
namespace {

using test::kHour;
using test::kStart;
using test::kT0;
const SecretString kLoginKey("8f7d54");

OfflineCodeVerifier makeVerifier() {
    auto verifier = OfflineCodeVerifier::create(kLoginKey, kT0);
    EXPECT_TRUE(verifier);
    return std::move(*verifier);
}

OfflineCodeIssuer makeMatchingIssuer() {
    auto issuer = OfflineCodeIssuer::create(kLoginKey, kT0);
    EXPECT_TRUE(issuer);
    return std::move(*issuer);
}

TEST(OfflineCodeVerifier, RejectsALoginKeyThatIsNotSixBytes) {
    EXPECT_EQ(OfflineCodeVerifier::create(SecretString("8f7d5400"), kT0).error(),
              CodeErrc::InvalidLoginKey);
}

TEST(OfflineCodeVerifier, AnythingButTenDigitsIsBadParametersAndLeavesTheTableAlone) {
    const OfflineCodeVerifier verifier = makeVerifier();
    OfflineCodeTable table;
    for (const char* typed :
         {"", "216887498", "21688749841", "216887498x", "2168874984 ", "21688749842168874984"}) {
        SCOPED_TRACE(typed);
        const auto verification = verifier.verify(table, SecretString(typed), kStart);
        EXPECT_EQ(verification.result, OfflineVerifyResult::BadParameters);
        EXPECT_EQ(resultCode(verification.result), -1);
        EXPECT_FALSE(verification.plaintext);
        EXPECT_FALSE(verification.report);
    }
    EXPECT_EQ(table.entries(), OfflineCodeTable().entries());
}

TEST(OfflineCodeVerifier, UnknownTypeStillReportsThePlaintextButNoRecord) {
    const OfflineCodeVerifier verifier = makeVerifier();
    OfflineCodeTable table;
    // Scenario bad_type_and_mixed_0: plaintext 2113610005.
    const auto verification = verifier.verify(table, SecretString("2421182002"), kStart);
    ASSERT_TRUE(verification.plaintext);
    EXPECT_EQ(verification.plaintext->typeDigit(), 2);
    EXPECT_EQ(verification.result, OfflineVerifyResult::UnknownType);
    EXPECT_FALSE(verification.report);
}

TEST(OfflineCodeVerifier, AFullTableMakesRoomByTheReplacementOrder) {
    const OfflineCodeVerifier verifier = makeVerifier();
    const OfflineCodeIssuer issuer = makeMatchingIssuer();
    // 200 activated timed codes, all still running; slot 0 holds the latest start.
    OfflineCodeTable::Entries entries;
    for (std::uint32_t slot = 0; slot < OfflineCodeTable::kCapacity; ++slot) {
        const std::uint32_t startHours = slot == 0 ? 7166 : 7000 + slot;
        entries[slot] = {OfflineEntryStatus::Valid, OfflineCodeType::Timed,
                         startHours * 10000 + 500};
    }
    auto table = OfflineCodeTable::fromEntries(entries);
    ASSERT_TRUE(table);
    const auto timed = issuer.timed(kStart, kStart + 2 * kHour);
    ASSERT_TRUE(timed);
    const auto verification = verifier.verify(*table, timed->code, kStart + 60);
    EXPECT_EQ(verification.result, OfflineVerifyResult::Accepted);
    // Slot 1 had the earliest start (hour 7001), so the new code replaced it.
    EXPECT_EQ(table->entries()[1],
              (OfflineCodeEntry{OfflineEntryStatus::Valid, OfflineCodeType::Timed,
                                timed->plaintext.body()}));
    EXPECT_EQ(table->find(OfflineCodeType::Timed, 70010500), std::nullopt);
}

TEST(OfflineCodeVerifier, AClearAllCanEvictTheOnlyValidCodeAndThenHasNothingToClear) {
    const OfflineCodeVerifier verifier = makeVerifier();
    const OfflineCodeIssuer issuer = makeMatchingIssuer();
    // One valid timed code among 199 used one-time codes: the clear-all's own entry takes the
    // timed code's slot (timed entries are replaced before one-time entries).
    OfflineCodeTable::Entries entries;
    for (std::uint32_t slot = 0; slot < OfflineCodeTable::kCapacity; ++slot) {
        entries[slot] = {OfflineEntryStatus::Invalid, OfflineCodeType::OneTime,
                         7166 * 10000 + slot % 11};
    }
    entries[42] = {OfflineEntryStatus::Valid, OfflineCodeType::Timed, 7160 * 10000 + 100};
    auto table = OfflineCodeTable::fromEntries(entries);
    ASSERT_TRUE(table);
    const auto clearAll = issuer.clearAll(kStart, 3);
    ASSERT_TRUE(clearAll);
    const auto verification = verifier.verify(*table, clearAll->code, kStart + 60);
    EXPECT_EQ(verification.result, OfflineVerifyResult::NothingToClear);
    EXPECT_FALSE(verification.report);
    EXPECT_EQ(table->entries()[42],
              (OfflineCodeEntry{OfflineEntryStatus::Invalid, OfflineCodeType::ClearAll,
                                clearAll->plaintext.body()}));
}

}  // namespace
}  // namespace lockhub::domain::codes
