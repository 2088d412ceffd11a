// SqliteLockStore's locks on real SQLite files: across restarts, soft removal, conflicts, bad
// requests, and the lock secrets encrypted at rest. Records and the outbox: RecordStoreTest.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/sqlite/Migration.h"
#include "adapters/sqlite/Schema.h"
#include "adapters/sqlite/SecretsKey.h"
#include "adapters/sqlite/SqliteLockStore.h"
#include "adapters/sqlite/SqliteStore.h"
#include "integration/store/LockStoreSamples.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"

namespace lockhub::adapters::sqlite {
namespace {

using ports::LockRecord;
using ports::RecordOutcome;
using testing::fileBytes;
using testing::Hub;
using testing::kDeviceId;
using testing::kLocalKey;
using testing::kUuid;
using testing::recordOne;
using testing::sampleEvent;
using testing::sampleLock;
using testing::TempDir;
using testing::valueOrThrow;
using Kind = RecordOutcome::Kind;

bool contains(const std::vector<std::uint8_t>& haystack, std::string_view needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
           haystack.end();
}

class LockStoreTest : public ::testing::Test {
protected:
    std::filesystem::path stateDir() const { return tmp_.path() / "state"; }
    std::filesystem::path dbFile() const { return stateDir() / SqliteStore::kFileName; }
    std::string dbPrefix() const { return dbFile().string() + ": "; }

    TempDir tmp_;
};

void expectSameLock(const LockRecord& got, const LockRecord& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.topic, want.topic);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.mac, want.mac);
    EXPECT_EQ(got.productId, want.productId);
    EXPECT_EQ(got.uuid, want.uuid);
    EXPECT_EQ(got.deviceId, want.deviceId);
    EXPECT_EQ(got.localKey.reveal(), want.localKey.reveal());
    EXPECT_EQ(got.protocolVersion, want.protocolVersion);
    EXPECT_EQ(got.profile, want.profile);
    EXPECT_EQ(got.t0, want.t0);
    EXPECT_EQ(got.policy, want.policy);
}

TEST_F(LockStoreTest, LocksRoundTripAcrossARestart) {
    LockRecord front = sampleLock("front", "AA:BB:CC:DD:EE:01");
    LockRecord back = sampleLock("back_2", "AA:BB:CC:DD:EE:02");
    back.localKey = SecretString("another-key");
    back.protocolVersion = 3;
    back.profile = "custom";
    back.t0 = 1700000000;
    back.policy = {"always", 45, 0, 1800};
    {
        Hub hub(stateDir());
        auto added = hub.locks().addLock(front, 1700000123456);
        ASSERT_TRUE(added.has_value()) << added.error().message;
        EXPECT_EQ(added->id, 1);
        front.id = added->id;
        back.id = hub.locks().addLock(back, 1700000200000).value().id;
        EXPECT_EQ(back.id, 2);
        EXPECT_EQ(hub.count("SELECT created_at FROM locks WHERE id = 1"), 1700000123);
        hub.close();
    }
    Hub hub(stateDir());
    auto all = hub.locks().locks();
    ASSERT_TRUE(all.has_value()) << all.error().message;
    ASSERT_EQ(all->size(), 2u);
    expectSameLock((*all)[0], front);
    expectSameLock((*all)[1], back);
}

TEST_F(LockStoreTest, ALowercaseMacIsStoredInUpperCase) {
    Hub hub(stateDir());
    auto added = hub.locks().addLock(sampleLock("front", "aa:bb:cc:dd:ee:0f"), 0);
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(added->mac, "AA:BB:CC:DD:EE:0F");
    EXPECT_EQ(hub.locks().locks().value().at(0).mac, "AA:BB:CC:DD:EE:0F");
    auto again = hub.locks().addLock(sampleLock("other", "AA:BB:CC:DD:EE:0F"), 0);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, Errc::Conflict);
}

TEST_F(LockStoreTest, ASecondLockWithTheSameMacOrTopicIsAConflictAndStoresNothing) {
    Hub hub(stateDir());
    ASSERT_TRUE(hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));

    auto sameMac = hub.locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:01"), 0);
    ASSERT_FALSE(sameMac.has_value());
    EXPECT_EQ(sameMac.error().code, Errc::Conflict);
    EXPECT_EQ(sameMac.error().message,
              "MAC AA:BB:CC:DD:EE:01 is already paired as lock 'front' (id 1)");

    auto sameTopic = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:02"), 0);
    ASSERT_FALSE(sameTopic.has_value());
    EXPECT_EQ(sameTopic.error().code, Errc::Conflict);
    EXPECT_EQ(sameTopic.error().message, "topic 'front' is already used by lock 'front' (id 1)");

    EXPECT_EQ(hub.count("SELECT count(*) FROM locks"), 1);
    EXPECT_EQ(hub.locks().locks().value().size(), 1u);
}

TEST_F(LockStoreTest, MalformedLocksAreBadRequestsAndStoreNothing) {
    Hub hub(stateDir());
    struct Case {
        LockRecord lock;
        std::string message;
    };
    std::vector<Case> cases;
    auto withTopic = [](std::string topic) {
        return sampleLock(std::move(topic), "AA:BB:CC:DD:EE:01");
    };
    const std::string kTopicRule = "' must be 1-64 characters of a-z, 0-9, '_' and '-'";
    cases.push_back({withTopic(""), "lock topic '" + kTopicRule});
    cases.push_back({withTopic("Front"), "lock topic 'Front" + kTopicRule});
    cases.push_back({withTopic("front/door"), "lock topic 'front/door" + kTopicRule});
    cases.push_back({withTopic("a+"), "lock topic 'a+" + kTopicRule});
    cases.push_back(
        {withTopic(std::string(65, 'a')), "lock topic '" + std::string(65, 'a') + kTopicRule});
    for (const std::string mac : {"AA:BB:CC:DD:EE", "AA-BB-CC-DD-EE-01", "AA:BB:CC:DD:EE:0G",
                                  "AA:BB:CC:DD:EE:01:02", "AAB:B:CC:DD:EE:01"}) {
        cases.push_back({sampleLock("front", mac),
                         "lock MAC '" + mac + "' is not of the form AA:BB:CC:DD:EE:FF"});
    }
    for (const int version : {0, 2, 5}) {
        LockRecord lock = withTopic("front");
        lock.protocolVersion = version;
        cases.push_back({lock, "lock protocol version " + std::to_string(version) +
                                   " is not supported (3 or 4)"});
    }
    LockRecord unnamed = withTopic("front");
    unnamed.name.clear();
    cases.push_back({unnamed, "a lock's name must not be empty"});
    LockRecord huge = withTopic("front");
    huge.localKey = SecretString(std::string(70000, 'k'));
    cases.push_back({huge, "a secret of lock 'front' is too long"});

    for (const auto& c : cases) {
        auto added = hub.locks().addLock(c.lock, 0);
        ASSERT_FALSE(added.has_value()) << c.message;
        EXPECT_EQ(added.error().code, Errc::BadRequest);
        EXPECT_EQ(added.error().message, c.message);
    }
    // 64 characters is the longest topic allowed.
    EXPECT_TRUE(hub.locks().addLock(withTopic(std::string(64, 'a')), 0).has_value());
    EXPECT_EQ(hub.count("SELECT count(*) FROM locks"), 1);
}

TEST_F(LockStoreTest, RemovingALockKeepsItsRecordsErasesItsSecretsAndFreesMacAndTopic) {
    Hub hub(stateDir());
    const auto first = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
    ASSERT_EQ(recordOne(hub.locks(), sampleEvent(first.id, 1700000100, "ev-1")).value(),
              Kind::Stored);

    ASSERT_TRUE(hub.locks().removeLock(first.id).has_value());
    EXPECT_TRUE(hub.locks().locks().value().empty());
    EXPECT_EQ(hub.count("SELECT count(*) FROM records WHERE lock_id = 1"), 1);
    EXPECT_EQ(hub.count("SELECT count(*) FROM locks WHERE id = 1 AND secrets IS NULL AND "
                        "removed_at BETWEEN unixepoch() - 5 AND unixepoch()"),
              1);
    EXPECT_EQ(recordOne(hub.locks(), sampleEvent(first.id, 1700000200, "ev-2")).error().code,
              Errc::NotFound);

    auto removedAgain = hub.locks().removeLock(first.id);
    ASSERT_FALSE(removedAgain.has_value());
    EXPECT_EQ(removedAgain.error().code, Errc::NotFound);
    EXPECT_EQ(removedAgain.error().message, "no paired lock has id 1");

    // The same lock paired again is a new lock; the old records stay with the old id.
    auto again = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(again->id, 2);
    EXPECT_EQ(recordOne(hub.locks(), sampleEvent(again->id, 1700000100, "ev-3")).value(),
              Kind::Stored);
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 2);
    hub.close();

    Hub reopened(stateDir());
    auto all = reopened.locks().locks().value();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].id, 2);
    EXPECT_EQ(all[0].localKey.reveal(), kLocalKey);
}

TEST_F(LockStoreTest, RenameAndT0PersistAndNameTheMissingLock) {
    {
        Hub hub(stateDir());
        const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
        ASSERT_TRUE(hub.locks().renameLock(lock.id, "Front door (new)").has_value());
        ASSERT_TRUE(hub.locks().setT0(lock.id, 1699999999).has_value());

        auto empty = hub.locks().renameLock(lock.id, "");
        ASSERT_FALSE(empty.has_value());
        EXPECT_EQ(empty.error().code, Errc::BadRequest);
        EXPECT_EQ(empty.error().message, "a lock's name must not be empty");
        for (const auto& error :
             {hub.locks().renameLock(7, "x").error(), hub.locks().setT0(7, 1).error(),
              hub.locks().removeLock(7).error()}) {
            EXPECT_EQ(error.code, Errc::NotFound);
            EXPECT_EQ(error.message, "no paired lock has id 7");
        }
        hub.close();
    }
    Hub hub(stateDir());
    auto lock = hub.locks().locks().value().at(0);
    EXPECT_EQ(lock.name, "Front door (new)");
    EXPECT_EQ(lock.topic, "front");
    EXPECT_EQ(lock.t0, 1699999999);

    ASSERT_TRUE(hub.locks().removeLock(lock.id).has_value());
    EXPECT_EQ(hub.locks().renameLock(lock.id, "x").error().code, Errc::NotFound);
    EXPECT_EQ(hub.locks().setT0(lock.id, 1).error().code, Errc::NotFound);
}

// A failure half-way leaves nothing behind: the record and its message, the lock row and its
// secrets, are each one transaction. A temporary trigger makes the second write fail.
TEST_F(LockStoreTest, AFailureHalfWayStoresNeitherHalf) {
    Hub hub(stateDir());
    const auto lock = hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0).value();
    ASSERT_TRUE(
        hub.db().exec("CREATE TEMP TRIGGER refuse_outbox BEFORE INSERT ON outbox "
                      "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END",
                      "test trigger"));
    auto recorded = recordOne(hub.locks(), sampleEvent(lock.id, 1700000100, "ev-1"));
    ASSERT_FALSE(recorded.has_value());
    EXPECT_EQ(recorded.error().code, Errc::Storage);
    EXPECT_NE(recorded.error().message.find("outbox refused"), std::string::npos)
        << recorded.error().message;
    EXPECT_EQ(hub.count("SELECT count(*) FROM records"), 0);

    ASSERT_TRUE(
        hub.db().exec("CREATE TEMP TRIGGER refuse_secrets BEFORE UPDATE OF secrets ON "
                      "locks BEGIN SELECT RAISE(ABORT, 'secrets refused'); END",
                      "test trigger"));
    auto added = hub.locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0);
    ASSERT_FALSE(added.has_value());
    EXPECT_EQ(added.error().code, Errc::Storage);
    EXPECT_EQ(hub.count("SELECT count(*) FROM locks"), 1);

    // The connection is usable afterwards: no transaction was left open.
    ASSERT_TRUE(hub.db().exec("DROP TRIGGER refuse_outbox; DROP TRIGGER refuse_secrets", "drop"));
    EXPECT_EQ(recordOne(hub.locks(), sampleEvent(lock.id, 1700000100, "ev-1")), Kind::Stored);
    EXPECT_TRUE(hub.locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0).has_value());
}

TEST_F(LockStoreTest, NoLockSecretIsStoredInClear) {
    Hub hub(stateDir());
    ASSERT_TRUE(hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));
    ASSERT_TRUE(hub.locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0));
    ASSERT_TRUE(hub.locks().setT0(1, 5));
    // While open the rows live in the WAL; after close() they are in the database file.
    const auto wal = fileBytes(stateDir() / "lockhub.db-wal");
    EXPECT_TRUE(contains(wal, "AA:BB:CC:DD:EE:01")) << "the WAL holds the rows";
    for (const auto& bytes : {wal, fileBytes(dbFile())}) {
        for (const auto* secret : {kLocalKey, kUuid, kDeviceId}) {
            EXPECT_FALSE(contains(bytes, secret)) << secret;
        }
    }
    hub.close();
    const auto bytes = fileBytes(dbFile());
    EXPECT_TRUE(contains(bytes, "AA:BB:CC:DD:EE:02"));
    for (const auto* secret : {kLocalKey, kUuid, kDeviceId}) {
        EXPECT_FALSE(contains(bytes, secret)) << secret;
    }
    // The blob is format byte, nonce, ciphertext and tag: nothing else travels with it.
    Hub reopened(stateDir());
    const std::size_t plaintext = 3 * 2 + std::string_view(kUuid).size() +
                                  std::string_view(kDeviceId).size() +
                                  std::string_view(kLocalKey).size();
    EXPECT_EQ(reopened.count("SELECT length(secrets) FROM locks WHERE id = 1"),
              static_cast<std::int64_t>(1 + 12 + plaintext + 16));
    EXPECT_NE(reopened.db().queryText("SELECT hex(secrets) FROM locks WHERE id = 1").value(),
              reopened.db().queryText("SELECT hex(secrets) FROM locks WHERE id = 2").value())
        << "a fresh nonce per blob";
}

std::string undecryptable(const std::string& prefix, const std::string& who) {
    return prefix + "the stored secrets of " + who +
           " cannot be decrypted: the secrets key is not the one they were written with, or the "
           "database was altered; restore the key (or the database) or pair the lock again";
}

TEST_F(LockStoreTest, TamperedSecretsAreAClearErrorNamingTheLock) {
    {
        Hub hub(stateDir());
        ASSERT_TRUE(hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));
        ASSERT_TRUE(hub.locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0));
        // Flip one ciphertext bit of lock 2.
        std::vector<std::uint8_t> bytes;
        {
            auto blob = valueOrThrow(hub.db().prepare("SELECT secrets FROM locks WHERE id = 2"));
            ASSERT_TRUE(blob.step().value());
            bytes = blob.columnBlob(0);
        }
        bytes.at(20) ^= 0x01;
        {
            auto write =
                valueOrThrow(hub.db().prepare("UPDATE locks SET secrets = ? WHERE id = 2"));
            ASSERT_TRUE(write.bind(1, std::span<const std::uint8_t>(bytes)));
            ASSERT_TRUE(write.run());
        }
        hub.close();
    }
    Hub hub(stateDir());
    auto all = hub.locks().locks();
    ASSERT_FALSE(all.has_value());
    EXPECT_EQ(all.error().code, Errc::Storage);
    EXPECT_EQ(all.error().message,
              undecryptable(dbPrefix(), "lock 'back' (id 2, AA:BB:CC:DD:EE:02)"));
    EXPECT_EQ(all.error().message.find(kLocalKey), std::string::npos);
}

TEST_F(LockStoreTest, ABlobCopiedToAnotherLockDoesNotDecrypt) {
    Hub hub(stateDir());
    ASSERT_TRUE(hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));
    ASSERT_TRUE(hub.locks().addLock(sampleLock("back", "AA:BB:CC:DD:EE:02"), 0));
    ASSERT_TRUE(hub.db().exec(
        "UPDATE locks SET secrets = (SELECT secrets FROM locks WHERE id = 1) WHERE id = 2",
        "swap"));
    auto all = hub.locks().locks();
    ASSERT_FALSE(all.has_value());
    EXPECT_EQ(all.error().message,
              undecryptable(dbPrefix(), "lock 'back' (id 2, AA:BB:CC:DD:EE:02)"));
}

TEST_F(LockStoreTest, AnotherKeyIsAClearErrorNamingTheLockNeverGarbage) {
    {
        Hub hub(stateDir());
        ASSERT_TRUE(hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));
        hub.close();
    }
    std::filesystem::remove(stateDir() / kSecretsKeyFile);  // a lost key: a new one is made
    Hub hub(stateDir());
    auto all = hub.locks().locks();
    ASSERT_FALSE(all.has_value());
    EXPECT_EQ(all.error().code, Errc::Storage);
    EXPECT_EQ(all.error().message,
              undecryptable(dbPrefix(), "lock 'front' (id 1, AA:BB:CC:DD:EE:01)"));
    // The lock can still be removed and paired again under the new key.
    ASSERT_TRUE(hub.locks().removeLock(1).has_value());
    ASSERT_TRUE(hub.locks().addLock(sampleLock("front", "AA:BB:CC:DD:EE:01"), 0));
    EXPECT_EQ(hub.locks().locks().value().at(0).localKey.reveal(), kLocalKey);
}

// Version 1 rows carry whatever `secrets` they were written with (here 4 bytes that are no
// SecretBox blob): migrated to the latest version they keep their data and fail loudly.
TEST_F(LockStoreTest, LocksFromAVersion2DatabaseMigrateAndUnreadableSecretsAreNamed) {
    std::filesystem::create_directories(stateDir());
    {
        auto db = valueOrThrow(Database::open(dbFile(), Database::OpenMode::ReadWriteCreate));
        ASSERT_TRUE(migrate(db, schemaMigrations().first(2)));
        ASSERT_TRUE(db.exec(R"sql(
            INSERT INTO meta (key, value) VALUES ('hub_id', '0123456789abcdef');
            INSERT INTO locks VALUES (1, 'front door', 'DC:23:4D:00:00:01', 'pid1', 'ble-v4',
                                      x'00112233', 1700000000, 1700000001);
            INSERT INTO records VALUES (1, 1, 19, x'0003', 1700000100, 1700000100123, 'ev-1');
            INSERT INTO outbox VALUES (1, 'lockhub/front/event', x'7b7d', 1, 0, 1700000101, 2);
        )sql",
                            "v2 rows"));
    }
    Hub hub(stateDir());
    EXPECT_EQ(testing::userVersion(hub.db()), 15);
    auto all = hub.locks().locks();
    ASSERT_FALSE(all.has_value());
    EXPECT_EQ(all.error().message,
              undecryptable(dbPrefix(), "lock 'lock-1' (id 1, DC:23:4D:00:00:01)"));
    auto pending = hub.locks().pendingOutbox(10).value();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].message.payload, "{}");
    EXPECT_EQ(hub.locks().droppedOutbox().value(), 0);
    // The old record still de-duplicates a replay.
    EXPECT_EQ(recordOne(hub.locks(), sampleEvent(1, 1700000100, "ev-x")), Kind::Duplicate);

    ASSERT_TRUE(hub.locks().removeLock(1).has_value());
    auto again = hub.locks().addLock(sampleLock("front", "DC:23:4D:00:00:01"), 0);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(again->id, 2);
    EXPECT_EQ(hub.count("SELECT count(*) FROM records WHERE lock_id = 1"), 1);
}

}  // namespace
}  // namespace lockhub::adapters::sqlite
