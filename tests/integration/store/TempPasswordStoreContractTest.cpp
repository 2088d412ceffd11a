// The ports::TempPasswordStore contract, run against the SQLite adapter on a real file and the
// in-memory fake the app tests use; and, for the adapter, that a pending plaintext is sealed in
// the database file and gone from its bytes once the row no longer carries it.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "adapters/sqlite/SqliteTempPasswordStore.h"
#include "integration/store/LockStoreSamples.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"
#include "tests/fakes/InMemoryTempPasswordStore.h"

namespace lockhub::testing {
namespace {

using ports::TempPassword;

adapters::sqlite::SecretBox testBox() {
    adapters::sqlite::SecretBox::Key key{};
    key.fill(0x42);
    return adapters::sqlite::SecretBox(key);
}

class SqliteTempPasswordsUnderTest {
public:
    SqliteTempPasswordsUnderTest() : hub_(std::in_place, dir_.path() / "state") {
        valueOrThrow(hub_->locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));
        valueOrThrow(hub_->locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0));
        store_.emplace(hub_->db(), testBox());
    }
    ports::TempPasswordStore& store() { return *store_; }
    Hub& hub() { return *hub_; }
    void reopen() {
        store_.reset();
        hub_->close();
        hub_.emplace(dir_.path() / "state");
        store_.emplace(hub_->db(), testBox());
    }
    // The database and its WAL as bytes, after a checkpoint-free read.
    std::string bytes() const {
        std::string all;
        for (const char* suffix : {"", "-wal"}) {
            std::ifstream in(dir_.path() / "state" / (std::string("lockhub.db") + suffix),
                             std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            all += text.str();
        }
        return all;
    }

private:
    TempDir dir_;
    std::optional<Hub> hub_;
    std::optional<adapters::sqlite::SqliteTempPasswordStore> store_;
};

class FakeTempPasswordsUnderTest {
public:
    ports::TempPasswordStore& store() { return store_; }
    void reopen() {}

private:
    fakes::InMemoryTempPasswordStore store_;
};

TempPassword sample(std::int64_t lockId, const std::string& pin) {
    TempPassword row;
    row.lockId = lockId;
    row.name = "Guest";
    row.start = 1'700'000'000;
    row.end = 1'700'086'400;
    row.uses = 2;
    row.sync = "create";
    row.pin = SecretString(pin);
    row.hash = std::vector<std::uint8_t>(32, 0x11);
    row.createdAt = row.changedAt = 1'699'999'000;
    return row;
}

// Every field; SecretString has no ==, on purpose.
void expectSame(const TempPassword& got, const TempPassword& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.lockId, want.lockId);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.userId, want.userId);
    EXPECT_EQ(got.start, want.start);
    EXPECT_EQ(got.end, want.end);
    EXPECT_EQ(got.uses, want.uses);
    EXPECT_EQ(got.revision, want.revision);
    EXPECT_EQ(got.hardwareId, want.hardwareId);
    EXPECT_EQ(got.state, want.state);
    EXPECT_EQ(got.sync, want.sync);
    ASSERT_EQ(got.pin.has_value(), want.pin.has_value());
    if (got.pin) {
        EXPECT_EQ(got.pin->reveal(), want.pin->reveal());
    }
    EXPECT_EQ(got.hash, want.hash);
    EXPECT_EQ(got.error, want.error);
    EXPECT_EQ(got.createdAt, want.createdAt);
    EXPECT_EQ(got.changedAt, want.changedAt);
}

template <typename Subject>
class TempPasswordStoreContract : public ::testing::Test {
protected:
    ports::TempPasswordStore& store() { return subject_.store(); }
    Subject subject_;
};

using TempPasswordStores =
    ::testing::Types<SqliteTempPasswordsUnderTest, FakeTempPasswordsUnderTest>;
TYPED_TEST_SUITE(TempPasswordStoreContract, TempPasswordStores,
                 ImplementationName<SqliteTempPasswordsUnderTest>);

TYPED_TEST(TempPasswordStoreContract, RowsKeepEveryFieldPerLockAndSurviveARestart) {
    auto first = valueOrThrow(this->store().addTempPassword(sample(1, "135790")));
    EXPECT_EQ(first.id, 1);
    auto second = sample(1, "246802");
    second.userId = 3;
    second = valueOrThrow(this->store().addTempPassword(second));
    auto back = valueOrThrow(this->store().addTempPassword(sample(2, "112233")));
    first.state = "active";
    first.sync.clear();
    first.pin.reset();
    first.hardwareId = 4;
    first.revision = 2;
    first.error = "the lock answered failed";
    first.changedAt = 1'700'000'100;
    ASSERT_TRUE(this->store().updateTempPassword(first).has_value());
    this->subject_.reopen();
    const auto front = valueOrThrow(this->store().tempPasswords(1));
    ASSERT_EQ(front.size(), 2u);
    expectSame(front[0], first);
    expectSame(front[1], second);
    const auto other = valueOrThrow(this->store().tempPasswords(2));
    ASSERT_EQ(other.size(), 1u);
    expectSame(other[0], back);
}

TYPED_TEST(TempPasswordStoreContract, AnUnknownRowIsNotFoundAndRemovingALockForgetsItsRows) {
    auto ghost = sample(1, "135790");
    ghost.id = 9;
    auto missing = this->store().updateTempPassword(ghost);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, Errc::NotFound);
    EXPECT_EQ(missing.error().message, "no temporary password has id 9");
    valueOrThrow(this->store().addTempPassword(sample(1, "135790")));
    valueOrThrow(this->store().addTempPassword(sample(2, "135790")));
    ASSERT_TRUE(this->store().removeLockTempPasswords(1).has_value());
    EXPECT_TRUE(valueOrThrow(this->store().tempPasswords(1)).empty());
    EXPECT_EQ(valueOrThrow(this->store().tempPasswords(2)).size(), 1u);
    EXPECT_EQ(valueOrThrow(this->store().addTempPassword(sample(1, "135790"))).id, 3)
        << "ids are never reused";
}

TEST(SqliteTempPasswordStore, ThePendingPlaintextIsSealedAndDroppedOnceConfirmed) {
    SqliteTempPasswordsUnderTest subject;
    auto row = valueOrThrow(subject.store().addTempPassword(sample(1, "86420975")));
    subject.reopen();  // checkpoints the WAL into the file
    EXPECT_EQ(subject.bytes().find("86420975"), std::string::npos) << "sealed, not in clear";
    EXPECT_EQ(subject.hub().count("SELECT count(*) FROM temp_passwords WHERE pin_sealed IS NULL"),
              0);
    EXPECT_EQ(valueOrThrow(subject.store().tempPasswords(1)).at(0).pin->reveal(), "86420975");
    row.pin.reset();
    row.sync.clear();
    row.state = "active";
    ASSERT_TRUE(subject.store().updateTempPassword(row).has_value());
    EXPECT_EQ(subject.hub().count("SELECT count(*) FROM temp_passwords WHERE pin_sealed IS NULL"),
              1);
    EXPECT_FALSE(valueOrThrow(subject.store().tempPasswords(1)).at(0).pin);
}

TEST(SqliteTempPasswordStore, ASealedPlaintextOpensOnlyForItsOwnRow) {
    SqliteTempPasswordsUnderTest subject;
    valueOrThrow(subject.store().addTempPassword(sample(1, "135790")));
    valueOrThrow(subject.store().addTempPassword(sample(1, "246802")));
    ASSERT_TRUE(subject.hub()
                    .db()
                    .exec("UPDATE temp_passwords SET pin_sealed = (SELECT pin_sealed FROM "
                          "temp_passwords WHERE id = 2) WHERE id = 1",
                          "test")
                    .has_value());
    auto rows = subject.store().tempPasswords(1);
    ASSERT_FALSE(rows.has_value());
    EXPECT_EQ(rows.error().code, Errc::Storage);
    EXPECT_EQ(rows.error().message,
              "the sealed plaintext of temporary password 1 does not open with this hub's "
              "secrets key");
}

}  // namespace
}  // namespace lockhub::testing
