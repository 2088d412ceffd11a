// SqliteStore on real files: what open() sets up and what it promises across restarts.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "adapters/sqlite/SqliteStore.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"

namespace lockhub::adapters::sqlite {
namespace {

using testing::execOrThrow;
using testing::modeOf;
using testing::TempDir;

SqliteStore openOrFail(const std::filesystem::path& dir) {
    auto store = SqliteStore::open(dir);
    if (!store) {
        throw std::runtime_error(store.error().message);
    }
    return std::move(*store);
}

TEST(SqliteStore, CreatesTheDirectory0700AndTheFile0600) {
    TempDir tmp;
    const auto dir = tmp.path() / "var" / "lib" / "lockhub";
    auto store = openOrFail(dir);
    EXPECT_EQ(modeOf(dir), 0700u);
    EXPECT_EQ(modeOf(dir / "lockhub.db"), 0600u);
    // SQLite gives its side files the database file's mode.
    EXPECT_EQ(modeOf(dir / "lockhub.db-wal"), 0600u);
    EXPECT_EQ(modeOf(dir / "lockhub.db-shm"), 0600u);
}

TEST(SqliteStore, TightensAnExistingDirectoryAndFileItOwns) {
    TempDir tmp;
    const auto dir = tmp.path() / "state";
    ASSERT_TRUE(openOrFail(dir).close().has_value());
    ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
    ASSERT_EQ(::chmod((dir / "lockhub.db").c_str(), 0644), 0);

    auto store = openOrFail(dir);
    EXPECT_EQ(modeOf(dir), 0700u);
    EXPECT_EQ(modeOf(dir / "lockhub.db"), 0600u);
}

TEST(SqliteStore, DurabilitySettingsAreInEffect) {
    TempDir tmp;
    auto store = openOrFail(tmp.path() / "state");
    auto& db = store.database();
    EXPECT_EQ(db.queryText("PRAGMA journal_mode").value(), "wal");
    EXPECT_EQ(db.queryInt("PRAGMA synchronous").value(), 2);  // FULL
    EXPECT_EQ(db.queryInt("PRAGMA foreign_keys").value(), 1);
    EXPECT_EQ(db.queryInt("PRAGMA busy_timeout").value(), 5000);
    EXPECT_EQ(db.queryInt("PRAGMA wal_autocheckpoint").value(), 1000);
    EXPECT_EQ(db.queryInt("PRAGMA secure_delete").value(), 1);
    EXPECT_EQ(db.queryInt("PRAGMA user_version").value(), 15);
    EXPECT_EQ(db.queryText("PRAGMA integrity_check").value(), "ok");
}

TEST(SqliteStore, ForeignKeysAndReplayDeduplicationAreEnforced) {
    TempDir tmp;
    auto store = openOrFail(tmp.path() / "state");
    auto& db = store.database();

    auto orphan = db.exec(
        "INSERT INTO records (id, lock_id, dp, value, lock_time, hub_time_ms, event_id) "
        "VALUES (1, 42, 19, x'01', 100, 5, 'ev-0')",
        "insert");
    ASSERT_FALSE(orphan.has_value());
    EXPECT_EQ(orphan.error().message, (tmp.path() / "state" / "lockhub.db").string() +
                                          ": insert failed: FOREIGN KEY constraint failed");

    execOrThrow(db,
                "INSERT INTO locks (id, topic, name, mac, product_id, profile, protocol_version, "
                "created_at) VALUES (1, 'door', 'door', 'AA', 'p', 'v4', 3, 0)");
    execOrThrow(db,
                "INSERT INTO records (id, lock_id, dp, value, lock_time, hub_time_ms, event_id) "
                "VALUES (1, 1, 19, x'01', 100, 5, 'ev-1')");
    auto replay = db.exec(
        "INSERT INTO records (id, lock_id, dp, value, lock_time, hub_time_ms, event_id) "
        "VALUES (2, 1, 19, x'01', 100, 6, 'ev-2')",
        "replay");
    ASSERT_FALSE(replay.has_value());
    EXPECT_EQ(replay.error().message,
              (tmp.path() / "state" / "lockhub.db").string() +
                  ": replay failed: UNIQUE constraint failed: records.lock_id, records.dp, "
                  "records.value, records.lock_time, records.derived");
}

TEST(SqliteStore, HubIdIsSixteenHexCharactersAndStableAcrossRestarts) {
    TempDir tmp;
    const auto dir = tmp.path() / "state";
    std::string first;
    {
        auto store = openOrFail(dir);
        first = store.hubId();
        ASSERT_TRUE(store.close().has_value());
    }
    EXPECT_EQ(first.size(), 16u);
    EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos) << first;
    for (int restart = 0; restart < 3; ++restart) {
        EXPECT_EQ(openOrFail(dir).hubId(), first);
    }
    // Another database is another hub.
    EXPECT_NE(openOrFail(tmp.path() / "other").hubId(), first);
}

TEST(SqliteStore, AMalformedStoredHubIdIsRefusedNotReplaced) {
    TempDir tmp;
    const auto dir = tmp.path() / "state";
    {
        auto store = openOrFail(dir);
        execOrThrow(store.database(), "UPDATE meta SET value = 'XYZ' WHERE key = 'hub_id'");
    }
    auto store = SqliteStore::open(dir);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().message,
              (dir / "lockhub.db").string() +
                  ": meta.hub_id is not 16 lowercase hex characters; refusing to replace it");
}

TEST(SqliteStore, CountsLocksRecordsAndOutbox) {
    TempDir tmp;
    auto store = openOrFail(tmp.path() / "state");
    auto empty = store.counts();
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(empty->locks, 0);
    EXPECT_EQ(empty->records, 0);
    EXPECT_EQ(empty->outbox, 0);

    execOrThrow(store.database(), R"sql(
        INSERT INTO locks (id, topic, name, mac, product_id, profile, protocol_version,
                           created_at, removed_at)
        VALUES (1, 'a', 'a', 'AA', 'p', 'v4', 3, 0, NULL),
               (2, 'b', 'b', 'BB', 'p', 'v4', 3, 0, NULL),
               (3, 'c', 'c', 'CC', 'p', 'v4', 3, 0, 10);
        INSERT INTO records (id, lock_id, dp, value, lock_time, hub_time_ms, event_id)
            VALUES (1, 1, 19, x'01', 100, 5, 'ev-1');
        INSERT INTO outbox VALUES (1, 't', x'00', 1, 0, 0);
        INSERT INTO outbox VALUES (2, 't', x'00', 1, 0, 0);
        INSERT INTO outbox VALUES (3, 't', x'00', 1, 0, 0);
        INSERT INTO outbox VALUES (4, 't', x'00', 1, 0, 0);
    )sql");
    auto counts = store.counts();
    ASSERT_TRUE(counts.has_value());
    EXPECT_EQ(counts->locks, 2) << "a removed lock is not counted";
    EXPECT_EQ(counts->records, 1);
    EXPECT_EQ(counts->outbox, 4);
}

TEST(SqliteStore, CloseCheckpointsSoTheDatabaseFileAloneHoldsEverything) {
    TempDir tmp;
    const auto dir = tmp.path() / "state";
    auto store = openOrFail(dir);
    // A second connection keeps SQLite from checkpointing on its own when the store closes.
    auto other = Database::open(dir / "lockhub.db", Database::OpenMode::ReadWrite);
    ASSERT_TRUE(other.has_value());
    ASSERT_EQ(other->queryInt("SELECT count(*) FROM outbox").value(), 0);
    execOrThrow(store.database(), "INSERT INTO outbox VALUES (1, 'alice', x'00', 1, 0, 0)");
    ASSERT_GT(std::filesystem::file_size(dir / "lockhub.db-wal"), 0u);
    ASSERT_TRUE(store.close().has_value());
    EXPECT_EQ(std::filesystem::file_size(dir / "lockhub.db-wal"), 0u);

    // A copy of lockhub.db without its side files is a complete database.
    TempDir copy;
    std::filesystem::copy_file(dir / "lockhub.db", copy.path() / "lockhub.db");
    auto copied = openOrFail(copy.path());
    EXPECT_EQ(copied.counts().value().outbox, 1);
}

TEST(SqliteStore, OperationsAfterCloseFailWithAStorageError) {
    TempDir tmp;
    auto store = openOrFail(tmp.path() / "state");
    ASSERT_TRUE(store.close().has_value());
    auto counts = store.counts();
    ASSERT_FALSE(counts.has_value());
    EXPECT_EQ(counts.error().code, Errc::Storage);
    EXPECT_TRUE(store.close().has_value()) << "closing twice is harmless";
}

TEST(SqliteStore, CommittedRowsSurviveAProcessThatDiesWithoutClosing) {
    TempDir tmp;
    const auto dir = tmp.path() / "state";
    ASSERT_TRUE(openOrFail(dir).close().has_value());
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto store = SqliteStore::open(dir);
        const bool ok =
            store && store->database().exec(
                         "INSERT INTO outbox VALUES (1, 'alice', x'00', 1, 0, 0)", "insert");
        // _exit: no destructor, no checkpoint; the row lives only in the WAL.
        ::_exit(ok ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_GT(std::filesystem::file_size(dir / "lockhub.db-wal"), 0u);

    auto store = openOrFail(dir);
    EXPECT_EQ(store.database().queryText("SELECT topic FROM outbox").value(), "alice");
}

}  // namespace
}  // namespace lockhub::adapters::sqlite
