// The ports::CodeStore contract, run against the SQLite adapter on a real file and the in-memory
// fake the app tests use; and the keyed hash: a code's hash depends on the secrets key.
#include <gtest/gtest.h>

#include <optional>

#include "adapters/sqlite/HmacCodeHasher.h"
#include "adapters/sqlite/SqliteCodeStore.h"
#include "integration/store/LockStoreSamples.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"
#include "tests/fakes/InMemoryCodeStore.h"

namespace lockhub::testing {
namespace {

using domain::codes::LockoutState;
using domain::codes::OfflineCodeEntry;
using domain::codes::OfflineCodeTable;
using domain::codes::OfflineCodeType;
using domain::codes::OfflineEntryStatus;
using ports::IssuedCode;

class SqliteCodesUnderTest {
public:
    SqliteCodesUnderTest() : hub_(std::in_place, dir_.path() / "state") {
        valueOrThrow(hub_->locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));
        valueOrThrow(hub_->locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0));
        codes_.emplace(hub_->db());
    }
    ports::CodeStore& store() { return *codes_; }
    void reopen() {
        codes_.reset();
        hub_->close();
        hub_.emplace(dir_.path() / "state");
        codes_.emplace(hub_->db());
    }

private:
    TempDir dir_;
    std::optional<Hub> hub_;
    std::optional<adapters::sqlite::SqliteCodeStore> codes_;
};

class FakeCodesUnderTest {
public:
    ports::CodeStore& store() { return store_; }
    void reopen() {}

private:
    fakes::InMemoryCodeStore store_;
};

template <typename Subject>
class CodeStoreContract : public ::testing::Test {
protected:
    ports::CodeStore& store() { return subject_.store(); }
    static IssuedCode sample(std::int64_t lockId, std::string type, std::int64_t start) {
        IssuedCode code;
        code.lockId = lockId;
        code.type = std::move(type);
        code.name = "Guest";
        code.userId = 4;
        code.start = start;
        code.end = start + 7200;
        code.hash = std::vector<std::uint8_t>(32, 0x11);
        code.issuedAt = start - 60;
        return code;
    }

    Subject subject_;
};

using CodeStores = ::testing::Types<SqliteCodesUnderTest, FakeCodesUnderTest>;
TYPED_TEST_SUITE(CodeStoreContract, CodeStores, ImplementationName<SqliteCodesUnderTest>);

TYPED_TEST(CodeStoreContract, CodesKeepEveryFieldPerLockAndSurviveARestart) {
    auto first = valueOrThrow(this->store().addCode(this->sample(1, "timed", 1'700'000'000)));
    EXPECT_EQ(first.id, 1);
    auto clear = this->sample(1, "clear_one", 1'700'000'000);
    clear.userId.reset();
    clear.clears = 1;
    clear.hash = std::vector<std::uint8_t>(32, 0x22);
    auto oneTime = this->sample(2, "one_time", 1'700'003'600);
    oneTime.end.reset();
    oneTime.serial = 10;
    valueOrThrow(this->store().addCode(clear));
    valueOrThrow(this->store().addCode(oneTime));
    ASSERT_TRUE(this->store().setCodeState(1, "activated", 1'700'000'100).has_value());
    this->subject_.reopen();
    const auto front = valueOrThrow(this->store().codes(1));
    ASSERT_EQ(front.size(), 2u);
    auto expected = first;
    expected.state = "activated";
    expected.changedAt = 1'700'000'100;
    EXPECT_EQ(front[0], expected);
    clear.id = 2;
    EXPECT_EQ(front[1], clear);
    const auto back = valueOrThrow(this->store().codes(2));
    ASSERT_EQ(back.size(), 1u);
    oneTime.id = 3;
    EXPECT_EQ(back[0], oneTime);
}

TYPED_TEST(CodeStoreContract, AnUnknownCodeIsNotFoundAndRemovingALockForgetsItsCodes) {
    auto missing = this->store().setCodeState(9, "used", 1);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Errc::NotFound);
    EXPECT_EQ(missing.error().message, "no issued code has id 9");
    valueOrThrow(this->store().addCode(this->sample(1, "timed", 1'700'000'000)));
    valueOrThrow(this->store().addCode(this->sample(2, "timed", 1'700'000'000)));
    ASSERT_TRUE(this->store().setLockout(1, {3, 5, 0, 0}).has_value());
    ASSERT_TRUE(this->store().setVerifierTable(1, OfflineCodeTable{}).has_value());
    ASSERT_TRUE(this->store().removeLockCodes(1).has_value());
    EXPECT_TRUE(valueOrThrow(this->store().codes(1)).empty());
    EXPECT_EQ(valueOrThrow(this->store().codes(2)).size(), 1u);
    EXPECT_EQ(valueOrThrow(this->store().lockout(1)), LockoutState{});
    EXPECT_FALSE(valueOrThrow(this->store().verifierTable(1)));
    auto next = valueOrThrow(this->store().addCode(this->sample(1, "timed", 1'700'000'000)));
    EXPECT_EQ(next.id, 3) << "ids are never reused";
}

TYPED_TEST(CodeStoreContract, TheVerifierTableAndTheLockoutRoundTripAcrossARestart) {
    EXPECT_FALSE(valueOrThrow(this->store().verifierTable(1)));
    EXPECT_EQ(valueOrThrow(this->store().lockout(1)), LockoutState{});
    OfflineCodeTable::Entries entries{};
    entries[0] = {OfflineEntryStatus::Valid, OfflineCodeType::Timed, 999'999'999};
    entries[199] = {OfflineEntryStatus::Invalid, OfflineCodeType::ClearAll, 70001};
    const auto table = OfflineCodeTable::fromEntries(entries).value();
    ASSERT_TRUE(this->store().setVerifierTable(1, table).has_value());
    const LockoutState state{2, 1'700'000'000'123, 1'700'000'060'000, 3};
    ASSERT_TRUE(this->store().setLockout(1, state).has_value());
    ASSERT_TRUE(this->store().setLockout(1, state).has_value()) << "a second write replaces";
    this->subject_.reopen();
    const auto read = valueOrThrow(this->store().verifierTable(1));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->entries(), entries);
    EXPECT_EQ(valueOrThrow(this->store().lockout(1)), state);
    EXPECT_FALSE(valueOrThrow(this->store().verifierTable(2)));
}

TEST(HmacCodeHasher, TheHashIsKeyedAndNeverTheDigits) {
    adapters::sqlite::SecretBox::Key one{};
    adapters::sqlite::SecretBox::Key two{};
    two[0] = 1;
    const adapters::sqlite::SecretBox box(one);
    const adapters::sqlite::HmacCodeHasher a(box.derive(adapters::sqlite::kCodeHashPurpose));
    const adapters::sqlite::HmacCodeHasher b(
        adapters::sqlite::SecretBox(two).derive(adapters::sqlite::kCodeHashPurpose));
    const SecretString code("2168874984");
    EXPECT_EQ(a.hash(code).size(), 32u);
    EXPECT_EQ(a.hash(code), a.hash(SecretString("2168874984")));
    EXPECT_NE(a.hash(code), b.hash(code));
    EXPECT_NE(a.hash(code), a.hash(SecretString("2168874985")));
    EXPECT_NE(box.derive(adapters::sqlite::kCodeHashPurpose), one);
}

}  // namespace
}  // namespace lockhub::testing
