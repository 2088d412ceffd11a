#include <gtest/gtest.h>

#include "OfflineCodeTimes.h"
#include "domain/codes/OfflineCodeTable.h"

namespace lockhub::domain::codes {
namespace {

using test::kEpoch;
using test::kHour;
using test::kT0;

constexpr std::uint32_t body(std::uint32_t startHours, std::uint32_t field) {
    return startHours * 10000 + field;
}

OfflineCodeEntry validTimed(std::uint32_t startHours, std::uint32_t hours) {
    return {OfflineEntryStatus::Valid, OfflineCodeType::Timed, body(startHours, hours)};
}

OfflineCodeEntry invalidTimed(std::uint32_t startHours, std::uint32_t hours) {
    return {OfflineEntryStatus::Invalid, OfflineCodeType::Timed, body(startHours, hours)};
}

OfflineCodeEntry oneTime(std::uint32_t startHours, std::uint32_t serial) {
    return {OfflineEntryStatus::Invalid, OfflineCodeType::OneTime, body(startHours, serial)};
}

OfflineCodeEntry clearAll(std::uint32_t startHours, std::uint32_t serial) {
    return {OfflineEntryStatus::Invalid, OfflineCodeType::ClearAll, body(startHours, serial)};
}

// A full table of valid timed codes starting at hour 100 + slot, all running for 1000 hours.
OfflineCodeTable::Entries fullOfValidTimed() {
    OfflineCodeTable::Entries entries;
    for (std::uint32_t slot = 0; slot < OfflineCodeTable::kCapacity; ++slot) {
        entries[slot] = validTimed(100 + slot, 1000);
    }
    return entries;
}

// Every entry of `entries` is still running at this time.
constexpr std::int64_t kNow = kEpoch + 400 * kHour;

const OfflineCodeEntry kNew = validTimed(390, 50);

std::size_t insertInto(const OfflineCodeTable::Entries& entries, std::int64_t now = kNow) {
    auto table = OfflineCodeTable::fromEntries(entries);
    EXPECT_TRUE(table);
    const std::size_t slot = table->insert(kNew, kT0, now);
    EXPECT_EQ(table->entries()[slot], kNew);
    return slot;
}

TEST(OfflineCodeTable, StartsEmptyAndFillsTheFirstUnusedSlot) {
    OfflineCodeTable table;
    for (const auto& entry : table.entries()) {
        EXPECT_EQ(entry.status, OfflineEntryStatus::Unused);
    }
    EXPECT_EQ(table.insert(kNew, kT0, kNow), 0u);
    EXPECT_EQ(table.insert(oneTime(390, 1), kT0, kNow), 1u);
    EXPECT_EQ(table.entries()[0], kNew);
}

TEST(OfflineCodeTable, FullOfValidTimedReplacesTheEarliestStart) {
    auto entries = fullOfValidTimed();
    entries[0] = validTimed(150, 1000);
    EXPECT_EQ(insertInto(entries), 1u);
    entries[7] = validTimed(50, 1000);
    entries[9] = validTimed(50, 2000);  // same start: the lower slot wins
    EXPECT_EQ(insertInto(entries), 7u);
}

TEST(OfflineCodeTable, InvalidTimedGoesBeforeValidTimedEarliestEndFirst) {
    auto entries = fullOfValidTimed();
    entries[150] = invalidTimed(120, 900);
    entries[160] = invalidTimed(130, 700);  // ends at 830 h, before slot 150's 1020 h
    EXPECT_EQ(insertInto(entries), 160u);
}

TEST(OfflineCodeTable, AnExpiredEntryGoesFirstEvenLateInTheTable) {
    auto entries = fullOfValidTimed();
    entries[150] = invalidTimed(120, 900);
    entries[199] = validTimed(100, 299);  // ends at hour 399, before kNow
    EXPECT_EQ(insertInto(entries), 199u);
    // Ending exactly now is not yet expired.
    entries[199] = validTimed(100, 300);
    EXPECT_EQ(insertInto(entries), 150u);
}

TEST(OfflineCodeTable, TheFirstUnusedOrExpiredSlotWins) {
    auto entries = fullOfValidTimed();
    entries[120] = OfflineCodeEntry{};
    entries[50] = validTimed(100, 1);
    EXPECT_EQ(insertInto(entries), 50u);
    entries[50] = validTimed(100, 1000);
    EXPECT_EQ(insertInto(entries), 120u);
}

TEST(OfflineCodeTable, OneTimeAndClearAllExpireWithTheirActivationWindow) {
    auto entries = fullOfValidTimed();
    entries[30] = oneTime(394, 1);  // 6 h window ends at hour 400: still running at kNow
    EXPECT_EQ(insertInto(entries), 0u);
    EXPECT_EQ(insertInto(entries, kNow + 1), 30u);
    entries[30] = clearAll(376, 1);  // 24 h window ends at hour 400
    EXPECT_EQ(insertInto(entries), 0u);
    EXPECT_EQ(insertInto(entries, kNow + 1), 30u);
}

TEST(OfflineCodeTable, TimedBeforeOneTimeBeforeClearAll) {
    OfflineCodeTable::Entries entries;
    for (std::uint32_t slot = 0; slot < OfflineCodeTable::kCapacity; ++slot) {
        entries[slot] = slot % 2 == 0 ? clearAll(390 + slot % 5, 1) : oneTime(396, slot % 10);
    }
    entries[101] = oneTime(395, 3);  // the one-time entry that ends first
    EXPECT_EQ(insertInto(entries), 101u);
    entries[180] = validTimed(399, 2);
    EXPECT_EQ(insertInto(entries), 180u);
    for (std::uint32_t slot = 0; slot < OfflineCodeTable::kCapacity; ++slot) {
        entries[slot] = clearAll(390 + slot % 7, slot % 10);
    }
    // Ends first: start hour 390 in slots 0, 7, 14, ...
    EXPECT_EQ(insertInto(entries), 0u);
}

TEST(OfflineCodeTable, FindMatchesTypeAndBodyOfUsedSlotsOnly) {
    auto entries = OfflineCodeTable::Entries{};
    entries[3] = oneTime(395, 3);
    entries[5] = validTimed(395, 3);
    entries[6] =
        OfflineCodeEntry{OfflineEntryStatus::Unused, OfflineCodeType::ClearAll, body(395, 3)};
    const auto table = OfflineCodeTable::fromEntries(entries);
    ASSERT_TRUE(table);
    EXPECT_EQ(table->find(OfflineCodeType::Timed, body(395, 3)), entries[5]);
    EXPECT_EQ(table->find(OfflineCodeType::OneTime, body(395, 3)), entries[3]);
    EXPECT_EQ(table->find(OfflineCodeType::ClearAll, body(395, 3)), std::nullopt);
    EXPECT_EQ(table->find(OfflineCodeType::Timed, body(395, 4)), std::nullopt);
}

TEST(OfflineCodeTable, ClearOneIsDecidedByTheFirstSlotWithThatBodyWhateverItsType) {
    auto entries = OfflineCodeTable::Entries{};
    entries[2] = validTimed(395, 3);
    auto table = OfflineCodeTable::fromEntries(entries);
    ASSERT_TRUE(table);
    EXPECT_EQ(table->clearOne(body(395, 4)), ClearOneOutcome::NotFound);
    EXPECT_EQ(table->clearOne(body(395, 3)), ClearOneOutcome::Cleared);
    EXPECT_EQ(table->entries()[2], invalidTimed(395, 3));
    EXPECT_EQ(table->clearOne(body(395, 3)), ClearOneOutcome::AlreadyInvalid);

    entries[1] = oneTime(395, 3);
    table = OfflineCodeTable::fromEntries(entries);
    ASSERT_TRUE(table);
    EXPECT_EQ(table->clearOne(body(395, 3)), ClearOneOutcome::AlreadyInvalid);
    EXPECT_EQ(table->entries()[2], validTimed(395, 3));
}

TEST(OfflineCodeTable, InvalidateAllValidReportsWhetherAnythingChanged) {
    auto entries = OfflineCodeTable::Entries{};
    entries[0] = validTimed(395, 3);
    entries[4] = oneTime(395, 3);
    entries[9] = validTimed(396, 3);
    auto table = OfflineCodeTable::fromEntries(entries);
    ASSERT_TRUE(table);
    EXPECT_TRUE(table->invalidateAllValid());
    EXPECT_EQ(table->entries()[0], invalidTimed(395, 3));
    EXPECT_EQ(table->entries()[4], oneTime(395, 3));
    EXPECT_EQ(table->entries()[9], invalidTimed(396, 3));
    EXPECT_FALSE(table->invalidateAllValid());
}

TEST(OfflineCodeTable, FromEntriesRejectsWhatTheLockNeverStores) {
    OfflineCodeTable::Entries entries;
    EXPECT_TRUE(OfflineCodeTable::fromEntries(entries));
    entries[10] = {OfflineEntryStatus::Valid, OfflineCodeType::ClearOne, 1};
    EXPECT_EQ(OfflineCodeTable::fromEntries(entries), tl::unexpected(CodeErrc::MalformedTable));
    entries[10] = {static_cast<OfflineEntryStatus>(3), OfflineCodeType::Timed, 1};
    EXPECT_EQ(OfflineCodeTable::fromEntries(entries), tl::unexpected(CodeErrc::MalformedTable));
    entries[10] = {OfflineEntryStatus::Valid, static_cast<OfflineCodeType>(4), 1};
    EXPECT_EQ(OfflineCodeTable::fromEntries(entries), tl::unexpected(CodeErrc::MalformedTable));
    entries[10] = {OfflineEntryStatus::Valid, OfflineCodeType::Timed, 1'000'000'000};
    EXPECT_EQ(OfflineCodeTable::fromEntries(entries), tl::unexpected(CodeErrc::MalformedTable));
    entries[10] = validTimed(99999, 9999);
    const auto table = OfflineCodeTable::fromEntries(entries);
    ASSERT_TRUE(table);
    EXPECT_EQ(table->entries(), entries);
}

}  // namespace
}  // namespace lockhub::domain::codes
