// The ports::UserStore contract, run against the SQLite adapter on a real file and the in-memory
// fake the app tests use, so a UserDirectory test against the fake means the same for the daemon.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/sqlite/SqliteUserStore.h"
#include "integration/store/LockStoreSamples.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"
#include "tests/fakes/InMemoryUserStore.h"

namespace lockhub::ports {
inline std::ostream& operator<<(std::ostream& out, const User& user) {
    return out << "{" << user.id << ", " << user.name << ", " << user.arrived << "}";
}
inline std::ostream& operator<<(std::ostream& out, const Credential& c) {
    return out << "{lock " << c.lockId << ", " << c.method << " " << c.hardwareId << " → user "
               << c.userId << (c.duress ? ", duress" : "") << "}";
}
}  // namespace lockhub::ports

namespace lockhub::testing {
namespace {

using ports::Credential;
using ports::User;

// Two paired locks (credentials reference them by foreign key), ids 1 and 2.
class SqliteUsersUnderTest {
public:
    SqliteUsersUnderTest() : hub_(std::in_place, dir_.path() / "state") {
        valueOrThrow(hub_->locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));
        valueOrThrow(hub_->locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0));
        users_.emplace(hub_->db());
    }
    ports::UserStore& store() { return *users_; }
    // The database may not grow by a page. VACUUM first: the migrations' dropped tables left
    // free pages that would take many rows before any write needs a new one.
    void fillDisk() {
        ASSERT_TRUE(hub_->db().exec("VACUUM", "drop the free pages"));
        const auto pages = hub_->count("PRAGMA page_count");
        ASSERT_TRUE(
            hub_->db().exec("PRAGMA max_page_count = " + std::to_string(pages), "fill the disk"));
    }
    // A daemon restart: everything must come back from the file.
    void reopen() {
        users_.reset();
        hub_->close();
        hub_.emplace(dir_.path() / "state");
        users_.emplace(hub_->db());
    }

private:
    TempDir dir_;
    std::optional<Hub> hub_;
    std::optional<adapters::sqlite::SqliteUserStore> users_;
};

class FakeUsersUnderTest {
public:
    ports::UserStore& store() { return store_; }
    void fillDisk() { store_.failWrites(true); }
    void reopen() {}  // no file: the object is the whole state

private:
    fakes::InMemoryUserStore store_;
};

template <typename Subject>
class UserStoreContract : public ::testing::Test {
protected:
    ports::UserStore& store() { return subject_.store(); }
    User create(const std::string& name, bool arrived = false) {
        return valueOrThrow(store().createUser(name, arrived));
    }
    std::vector<User> users() { return valueOrThrow(store().users()); }
    std::vector<Credential> credentials() { return valueOrThrow(store().credentials()); }
    void assign(const Credential& credential) {
        ASSERT_TRUE(store().assignCredential(credential).has_value());
    }

    Subject subject_;
};

using UserStores = ::testing::Types<SqliteUsersUnderTest, FakeUsersUnderTest>;
TYPED_TEST_SUITE(UserStoreContract, UserStores, ImplementationName<SqliteUsersUnderTest>);

TYPED_TEST(UserStoreContract, UsersGetGrowingIdsThatARemovalDoesNotFreeAndSurviveARestart) {
    EXPECT_EQ(this->create("Alice", true), (User{1, "Alice", true}));
    EXPECT_EQ(this->create("Bob"), (User{2, "Bob", false}));
    ASSERT_TRUE(this->store().removeUser(2).has_value());
    EXPECT_EQ(this->create("Carol"), (User{3, "Carol", false}));
    this->subject_.reopen();
    EXPECT_EQ(this->users(), (std::vector<User>{{1, "Alice", true}, {3, "Carol", false}}));
}

TYPED_TEST(UserStoreContract, ATakenNameConflictsAndNothingIsStored) {
    this->create("Alice");
    this->create("Bob");
    auto created = this->store().createUser("Alice", true);
    ASSERT_FALSE(created.has_value());
    EXPECT_EQ(created.error().code, Errc::Conflict);
    EXPECT_EQ(created.error().message, "the name \"Alice\" is already used by user 1");
    auto renamed = this->store().updateUser({2, "Alice", false});
    ASSERT_FALSE(renamed.has_value());
    EXPECT_EQ(renamed.error().code, Errc::Conflict);
    EXPECT_EQ(this->users(), (std::vector<User>{{1, "Alice", false}, {2, "Bob", false}}));
}

TYPED_TEST(UserStoreContract, UpdateRenamesAndSetsTheFlagKeepingItsOwnNameIsNoConflict) {
    this->create("Alice");
    ASSERT_TRUE(this->store().updateUser({1, "Alice", true}).has_value());
    ASSERT_TRUE(this->store().updateUser({1, "Alicia", true}).has_value());
    EXPECT_EQ(this->users(), (std::vector<User>{{1, "Alicia", true}}));
}

TYPED_TEST(UserStoreContract, AnUnknownUserIsNotFound) {
    auto updated = this->store().updateUser({7, "Zed", false});
    ASSERT_FALSE(updated.has_value());
    EXPECT_EQ(updated.error().code, Errc::NotFound);
    EXPECT_EQ(updated.error().message, "no user has id 7");
    auto removed = this->store().removeUser(7);
    ASSERT_FALSE(removed.has_value());
    EXPECT_EQ(removed.error().code, Errc::NotFound);
    auto assigned = this->store().assignCredential({1, "card", 1, 7, false, {}});
    ASSERT_FALSE(assigned.has_value());
    EXPECT_EQ(assigned.error().code, Errc::NotFound);
    EXPECT_EQ(assigned.error().message, "no user has id 7");
    EXPECT_TRUE(this->users().empty());
    EXPECT_TRUE(this->credentials().empty());
}

TYPED_TEST(UserStoreContract, CredentialsAreOnePerSlotSortedAndReassigningMovesThem) {
    this->create("Alice");
    this->create("Bob");
    this->assign({2, "card", 1, 1, false, {}});
    this->assign({1, "fingerprint", 3, 1, false, {}});
    this->assign({1, "card", 4294967295, 2, true, {}});
    this->assign({1, "fingerprint", 0, 2, false, {}});
    // The same slot again: Bob's now, flagged duress.
    this->assign({1, "fingerprint", 3, 2, true, {}});
    this->subject_.reopen();
    EXPECT_EQ(this->credentials(), (std::vector<Credential>{{1, "card", 4294967295, 2, true, {}},
                                                            {1, "fingerprint", 0, 2, false, {}},
                                                            {1, "fingerprint", 3, 2, true, {}},
                                                            {2, "card", 1, 1, false, {}}}));
}

TYPED_TEST(UserStoreContract, APinHashIsKeptUntilAnotherOneReplacesItAndGoesWithTheCredential) {
    this->create("Alice");
    this->create("Bob");
    this->assign({1, "password", 2, 1, false, {0x01, 0x02, 0x03}});
    // Assigned by hand to Bob (no hash given): the enrolled PIN's hash stays.
    this->assign({1, "password", 2, 2, false, {}});
    this->subject_.reopen();
    EXPECT_EQ(this->credentials(),
              (std::vector<Credential>{{1, "password", 2, 2, false, {0x01, 0x02, 0x03}}}));
    // Enrolled again in the same slot: the new PIN's hash.
    this->assign({1, "password", 2, 2, false, {0x09}});
    EXPECT_EQ(this->credentials().at(0).pinHash, (std::vector<std::uint8_t>{0x09}));
    ASSERT_TRUE(this->store().removeCredential(1, "password", 2).has_value());
    this->assign({1, "password", 2, 1, false, {}});
    this->subject_.reopen();
    EXPECT_TRUE(this->credentials().at(0).pinHash.empty()) << "a removed credential forgets it";
}

TYPED_TEST(UserStoreContract, RemovingAUserReturnsAndRemovesOnlyTheirCredentials) {
    this->create("Alice");
    this->create("Bob");
    this->assign({2, "card", 1, 1, false, {}});
    this->assign({1, "fingerprint", 3, 1, true, {}});
    this->assign({1, "fingerprint", 4, 2, false, {}});
    auto removed = this->store().removeUser(1);
    ASSERT_TRUE(removed.has_value()) << removed.error().message;
    EXPECT_EQ(*removed, (std::vector<Credential>{{1, "fingerprint", 3, 1, true, {}},
                                                 {2, "card", 1, 1, false, {}}}));
    EXPECT_EQ(this->credentials(), (std::vector<Credential>{{1, "fingerprint", 4, 2, false, {}}}));
    EXPECT_EQ(this->users(), (std::vector<User>{{2, "Bob", false}}));
}

TYPED_TEST(UserStoreContract, RemovingACredentialOrAllOfALock) {
    this->create("Alice");
    this->assign({1, "card", 1, 1, false, {}});
    this->assign({1, "password", 2, 1, false, {}});
    this->assign({2, "card", 1, 1, false, {}});
    ASSERT_TRUE(this->store().removeCredential(1, "password", 2).has_value());
    auto again = this->store().removeCredential(1, "password", 2);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, Errc::NotFound);
    EXPECT_EQ(again.error().message, "lock 1 has no password credential 2");
    ASSERT_TRUE(this->store().removeLockCredentials(1).has_value());
    ASSERT_TRUE(this->store().removeLockCredentials(1).has_value());
    EXPECT_EQ(this->credentials(), (std::vector<Credential>{{2, "card", 1, 1, false, {}}}));
}

TYPED_TEST(UserStoreContract, AFullDiskRefusesAWriteWithAStorageErrorAndStoresNothingOfIt) {
    this->create("Alice");
    this->assign({1, "card", 1, 1, false, {}});
    this->subject_.fillDisk();
    // The last page may still have room for a few rows; 200 of them need a new one.
    const std::string padding(60, 'x');
    std::size_t created = 0;
    for (; created < 200; ++created) {
        auto user = this->store().createUser(padding + std::to_string(created), false);
        if (!user) {
            EXPECT_EQ(user.error().code, Errc::Storage);
            break;
        }
    }
    ASSERT_LT(created, 200u) << "the full disk never refused a write";
    EXPECT_EQ(this->users().size(), 1 + created);
    EXPECT_EQ(this->credentials(), (std::vector<Credential>{{1, "card", 1, 1, false, {}}}));
}

}  // namespace
}  // namespace lockhub::testing
