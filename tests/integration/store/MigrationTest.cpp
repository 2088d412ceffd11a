// Schema migrations on real SQLite files: from an empty database, from every earlier version
// with data in it, atomic on failure, and never applied to a database newer than the code.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/sqlite/Database.h"
#include "adapters/sqlite/Migration.h"
#include "adapters/sqlite/Schema.h"
#include "adapters/sqlite/SecretsKey.h"
#include "adapters/sqlite/SqliteStore.h"
#include "integration/store/LockStoreSamples.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"

namespace lockhub::adapters::sqlite {
namespace {

using testing::execOrThrow;
using testing::fileBytes;
using testing::schemaDump;
using testing::TempDir;
using testing::userVersion;

// Rows typical for each schema version, inserted right after the database reaches it, and a
// query that must return exactly `expected` after migrating to the latest version: the rows kept,
// or, for tables a later version dropped on purpose, that they are gone.
struct VersionFixture {
    int version;
    std::string_view insert;
    std::string_view check;
    std::string_view expected;
};

// Version 4 drops these (no code used them); the rows written into them go with them. Versions
// 6, 11, 12 and 14 create `users`, `credentials`, `audit`, `offline_codes`, `lockout` and
// `temp_passwords` anew: their version 1 tables (the ones with `created_at`, `detail`, `kind`,
// `updated_at`, `valid_from`) must not have survived.
constexpr std::string_view kDroppedTables = R"sql(
    SELECT (SELECT count(*) FROM sqlite_schema WHERE name = 'credentials_user') +
           (SELECT count(*) FROM pragma_table_info('temp_passwords') WHERE name = 'valid_from') +
           (SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'detail') +
           (SELECT count(*) FROM pragma_table_info('offline_codes') WHERE name = 'kind') +
           (SELECT count(*) FROM pragma_table_info('lockout') WHERE name = 'updated_at') +
           (SELECT count(*) FROM pragma_table_info('users') WHERE name = 'created_at') +
           (SELECT count(*) FROM pragma_table_info('credentials') WHERE name = 'created_at')
)sql";

constexpr std::array kFixtures{
    VersionFixture{
        1,
        R"sql(
        INSERT INTO meta (key, value) VALUES ('hub_id', '0123456789abcdef');
        INSERT INTO locks VALUES (1, 'front door', 'DC:23:4D:00:00:01', 'pid1', 'ble-v4',
                                  x'00112233', 1700000000, 1700000001);
        INSERT INTO users VALUES (1, 'alice', 1700000002);
        INSERT INTO credentials VALUES (1, 1, 'fingerprint', 3, 1, 0, 1700000003);
        INSERT INTO records VALUES (1, 1, 19, x'0003', 1700000100, 1700000100123, 'ev-1');
        INSERT INTO outbox VALUES (1, 'lockhub/front/event', x'7b7d', 1, 0, 1700000101, 2);
        INSERT INTO audit VALUES (1, 1700000102, 'admin', 'add_lock', '{"lock":1}');
        )sql",
        R"sql(
        SELECT (SELECT value FROM meta WHERE key = 'hub_id') || '|' ||
               (SELECT name || ',' || mac || ',' || hex(secrets) || ',' || t0 FROM locks
                WHERE id = 1) || '|' ||
               (SELECT lock_id || ',' || dp || ',' || hex(value) || ',' || lock_time || ',' ||
                       hub_time_ms || ',' || event_id FROM records WHERE id = 1) || '|' ||
               (SELECT id || ',' || topic || ',' || hex(payload) || ',' || qos || ',' ||
                       retained || ',' || created_at FROM outbox WHERE id = 1)
        )sql",
        "0123456789abcdef|front door,DC:23:4D:00:00:01,00112233,1700000000|"
        "1,19,0003,1700000100,1700000100123,ev-1|1,lockhub/front/event,7B7D,1,0,1700000101",
    },
    VersionFixture{
        2,
        R"sql(
        INSERT INTO temp_passwords VALUES (1, 1, 'guest', x'aa', 1700000000, 1700086400,
                                           'active', 2, 901, 1700000000);
        INSERT INTO offline_codes VALUES (1, 1, 'one_time', x'bb', 1700000000, NULL, 'issued',
                                          1700000000, NULL);
        INSERT INTO lockout VALUES (1, 3, 1700000300, 1700000200);
        )sql",
        kDroppedTables,
        "0",
    },
    VersionFixture{
        3,
        R"sql(
        INSERT INTO locks (id, topic, name, mac, product_id, profile, protocol_version, secrets,
                           t0, created_at, removed_at)
        VALUES (2, 'lock-1', 'old', 'DC:23:4D:00:00:01', 'pid1', 'tuya-ble-lock', 4, NULL, NULL,
                1700000300, 1700000400),
               (3, 'front', 'front door', 'DC:23:4D:00:00:02', 'pid1', 'tuya-ble-lock', 4,
                x'01aa', 1700000000, 1700000500, NULL);
        INSERT INTO records VALUES (2, 2, 19, x'0003', 1700000100, 1700000600000, 'ev-2');
        UPDATE meta SET value = '7' WHERE key = 'outbox_dropped';
        )sql",
        R"sql(
        SELECT group_concat(id || ',' || topic || ',' || protocol_version || ',' ||
                            coalesce(t0, '-') || ',' || coalesce(removed_at, '-') || ',' ||
                            CASE WHEN secrets IS NULL THEN '-' ELSE hex(secrets) END, ';') ||
               '|' || (SELECT value FROM meta WHERE key = 'outbox_dropped') ||
               '|' || (SELECT group_concat(lock_id, ',') FROM records WHERE id <= 2)
        FROM (SELECT * FROM locks WHERE id <= 3 ORDER BY id)
        )sql",
        "1,lock-1,3,1700000000,-,00112233;2,lock-1,4,-,1700000400,-;"
        "3,front,4,1700000000,-,01AA|7|1,2",
    },
    VersionFixture{
        4,
        R"sql(
        INSERT INTO records VALUES (3, 3, 19, x'0003', NULL, 1700000700000, 'ev-3'),
                                   (4, 3, 19, x'0003', NULL, 1700000700001, 'ev-4');
        INSERT INTO outbox (topic, payload, qos, retained, created_at)
        VALUES ('lockhub/front/event', x'7b7d', 1, 0, 1700000700);
        )sql",
        R"sql(
        SELECT (SELECT group_concat(id || ',' || coalesce(lock_time, 'NULL') || ',' || event_id,
                                    ';') FROM records WHERE id IN (3, 4)) || '|' ||
               (SELECT max(id) FROM outbox)
        )sql",
        "3,NULL,ev-3;4,NULL,ev-4|2",
    },
    VersionFixture{
        5,
        R"sql(
        INSERT INTO locks (id, topic, name, mac, product_id, profile, protocol_version, secrets,
                           t0, created_at, removed_at, policy, keep_alive_s, poll_interval_s,
                           availability_timeout_s)
        VALUES (4, 'side', 'side door', 'DC:23:4D:00:00:04', 'pid1', 'tuya-ble-lock', 4, x'01bb',
                NULL, 1700000800, NULL, 'keep_alive', 60, 0, 900);
        )sql",
        // The locks written before version 5 have no policy of their own (NULL: the defaults).
        R"sql(
        SELECT group_concat(id || ',' || coalesce(policy, '-') || ',' ||
                            coalesce(keep_alive_s, '-') || ',' || coalesce(poll_interval_s, '-') ||
                            ',' || coalesce(availability_timeout_s, '-'), ';')
        FROM (SELECT * FROM locks ORDER BY id)
        )sql",
        "1,-,-,-,-;2,-,-,-,-;3,-,-,-,-;4,keep_alive,60,0,900",
    },
    VersionFixture{
        6,
        R"sql(
        INSERT INTO users (id, name, arrived) VALUES (1, 'Alice', 1);
        INSERT INTO credentials (lock_id, method, hardware_id, user_id, duress)
        VALUES (4, 'fingerprint', 3, 1, 0), (4, 'card', 4294967295, 1, 1);
        )sql",
        R"sql(
        SELECT (SELECT group_concat(id || ',' || name || ',' || arrived, ';') FROM users) || '|' ||
               (SELECT group_concat(lock_id || ',' || method || ',' || hardware_id || ',' ||
                                    user_id || ',' || duress, ';')
                FROM (SELECT * FROM credentials ORDER BY hardware_id))
        )sql",
        "1,Alice,1|4,fingerprint,3,1,0;4,card,4294967295,1,1",
    },
    VersionFixture{
        7,
        R"sql(
        INSERT INTO records (id, lock_id, dp, value, lock_time, hub_time_ms, event_id, derived)
        VALUES (5, 3, 12, x'00000003', 1700000900, 1700000900000, 'ev-5', ''),
               (6, 3, 12, x'00000003', 1700000900, 1700000900000, 'ev-6', 'duress');
        )sql",
        // The records of every earlier version are the lock's own.
        R"sql(
        SELECT group_concat(id || ',' || event_id || ',' || quote(derived), ';')
        FROM (SELECT * FROM records WHERE id <= 6 ORDER BY id)
        )sql",
        "1,ev-1,'';2,ev-2,'';3,ev-3,'';4,ev-4,'';5,ev-5,'';6,ev-6,'duress'",
    },
    // Empty versions (Schema.cpp says why).
    VersionFixture{8, "", "SELECT 'reserved'", "reserved"},
    VersionFixture{9, "", "SELECT 'reserved'", "reserved"},
    VersionFixture{
        10,
        R"sql(
        INSERT INTO records (id, lock_id, dp, value, lock_time, hub_time_ms, event_id, derived,
                             event, method, user_id, time_corrected, payload)
        VALUES (7, 3, 12, x'00000004', 1700001000, 1700001000000, 'ev-7', 'records_lost',
                'records_lost', NULL, NULL, 1, '{"event":"records_lost"}');
        )sql",
        // Rows from before keep every id and have no message; the query indexes exist.
        R"sql(
        SELECT (SELECT group_concat(id || ',' || quote(event) || ',' || time_corrected || ',' ||
                                    quote(payload), ';')
                FROM (SELECT * FROM records ORDER BY id)) || '|' ||
               (SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema
                WHERE type = 'index' AND name LIKE 'records_by_%' ORDER BY name))
        )sql",
        "1,NULL,0,NULL;2,NULL,0,NULL;3,NULL,0,NULL;4,NULL,0,NULL;5,NULL,0,NULL;6,NULL,0,NULL;"
        "7,'records_lost',1,'{\"event\":\"records_lost\"}'|"
        "records_by_lock,records_by_time,records_by_user",
    },
    VersionFixture{
        11,
        R"sql(
        INSERT INTO audit (at_ms, source, op, lock, result)
        VALUES (1700000900000, 'lockhubctl:alice', 'lock/remove', 'front', 'forbidden'),
               (1700000901000, 'mqtt', 'set/UNLOCK', NULL, 'code_required');
        )sql",
        R"sql(
        SELECT group_concat(id || ',' || at_ms || ',' || source || ',' || op || ',' ||
                            quote(lock) || ',' || result, ';')
        FROM (SELECT * FROM audit ORDER BY id)
        )sql",
        "1,1700000900000,lockhubctl:alice,lock/remove,'front',forbidden;"
        "2,1700000901000,mqtt,set/UNLOCK,NULL,code_required",
    },
    VersionFixture{
        12,
        R"sql(
        INSERT INTO offline_codes (lock_id, type, name, user_id, start, end, serial, code_hash,
                                   state, issued_at)
        VALUES (3, 'timed', 'Guest', 1, 1700002800, 1700010000, NULL, zeroblob(32), 'issued',
                1700000000);
        INSERT INTO lockout VALUES (3, 2, 1700000000000, 0, 0);
        )sql",
        R"sql(
        SELECT (SELECT group_concat(id || ',' || type || ',' || name || ',' || state, ';')
                FROM offline_codes) || '|' ||
               (SELECT lock_id || ',' || failures FROM lockout)
        )sql",
        "1,timed,Guest,issued|3,2",
    },
    VersionFixture{
        13,
        R"sql(
        UPDATE credentials SET pin_hash = x'0102' WHERE lock_id = 4 AND method = 'card';
        )sql",
        R"sql(
        SELECT group_concat(method || ',' || quote(pin_hash), ';')
        FROM (SELECT * FROM credentials ORDER BY lock_id, method, hardware_id)
        )sql",
        "card,X'0102';fingerprint,NULL",
    },
    VersionFixture{
        14,
        R"sql(
        INSERT INTO temp_passwords (lock_id, name, start, end, uses, revision, hardware_id, state,
                                    code_hash, created_at, changed_at)
        VALUES (3, 'Cleaner', 1700002800, 1700010000, 2, 1, 4, 'active', zeroblob(32),
                1700000000, 1700000001);
        )sql",
        R"sql(
        SELECT group_concat(id || ',' || name || ',' || hardware_id || ',' || state || ',' ||
                            quote(sync) || ',' || quote(pin_sealed), ';')
        FROM temp_passwords
        )sql",
        "1,Cleaner,4,active,NULL,NULL",
    },
    VersionFixture{
        15,
        R"sql(
        INSERT INTO cloud_outbox (topic, payload, qos, retained, created_at)
        VALUES ('cloud/0123456789abcdef/front/event', x'7B7D', 1, 0, 1700001100);
        UPDATE offline_codes SET issued_offline = 1 WHERE id = 1;
        )sql",
        // Codes from before get the default 0: issued by whoever was the issuer then.
        R"sql(
        SELECT (SELECT group_concat(id || ',' || topic || ',' || hex(payload), ';')
                FROM cloud_outbox) || '|' ||
               (SELECT dflt_value FROM pragma_table_info('offline_codes')
                WHERE name = 'issued_offline') || '|' ||
               (SELECT value FROM meta WHERE key = 'cloud_outbox_dropped')
        )sql",
        "1,cloud/0123456789abcdef/front/event,7B7D|0|0",
    },
};

// The latest schema version, which every open database must reach.
constexpr int kLatest = 15;

Database openFile(const std::filesystem::path& file) {
    auto db = Database::open(file, Database::OpenMode::ReadWriteCreate);
    if (!db) {
        throw std::runtime_error(db.error().message);
    }
    return std::move(*db);
}

std::string latestSchema(const std::filesystem::path& dir) {
    auto db = openFile(dir / "reference.db");
    EXPECT_TRUE(migrate(db, schemaMigrations()).has_value());
    return schemaDump(db);
}

TEST(Migration, EmptyDatabaseReachesTheLatestVersionWithEveryTable) {
    TempDir dir;
    auto db = openFile(dir.path() / "x.db");
    auto version = migrate(db, schemaMigrations());
    ASSERT_TRUE(version.has_value()) << version.error().message;
    EXPECT_EQ(*version, kLatest);
    EXPECT_EQ(userVersion(db), kLatest);
    auto tables = db.queryText(
        "SELECT group_concat(name, ',') FROM "
        "(SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)");
    ASSERT_TRUE(tables.has_value());
    EXPECT_EQ(*tables,
              "audit,cloud_outbox,credentials,lockout,locks,meta,offline_code_tables,"
              "offline_codes,outbox,records,sqlite_sequence,temp_passwords,users");
}

TEST(Migration, EveryVersionHasAFixture) {
    // A new migration needs rows of its own here, or "from every earlier version" stops being
    // true for it.
    ASSERT_EQ(kFixtures.size(), schemaMigrations().size());
    for (std::size_t i = 0; i < kFixtures.size(); ++i) {
        EXPECT_EQ(kFixtures[i].version, schemaMigrations()[i].version);
    }
}

class MigrationFromVersion : public ::testing::TestWithParam<int> {};

TEST_P(MigrationFromVersion, KeepsTheDataAndEndsWithTheLatestSchema) {
    const int start = GetParam();
    TempDir dir;
    auto db = openFile(dir.path() / "x.db");
    for (int v = 1; v <= start; ++v) {
        auto reached = migrate(db, schemaMigrations().first(static_cast<std::size_t>(v)));
        ASSERT_TRUE(reached.has_value()) << reached.error().message;
        ASSERT_EQ(*reached, v);
        execOrThrow(db, kFixtures[static_cast<std::size_t>(v - 1)].insert);
    }
    ASSERT_EQ(userVersion(db), start);

    auto version = migrate(db, schemaMigrations());
    ASSERT_TRUE(version.has_value()) << version.error().message;
    EXPECT_EQ(*version, static_cast<int>(schemaMigrations().size()));
    for (int v = 1; v <= start; ++v) {
        const auto& fixture = kFixtures[static_cast<std::size_t>(v - 1)];
        auto kept = db.queryText(fixture.check);
        ASSERT_TRUE(kept.has_value()) << kept.error().message;
        EXPECT_EQ(*kept, fixture.expected) << "rows written at version " << v;
    }
    EXPECT_EQ(schemaDump(db), latestSchema(dir.path()));
    auto violations = db.queryInt("SELECT count(*) FROM pragma_foreign_key_check");
    ASSERT_TRUE(violations.has_value());
    EXPECT_EQ(*violations, 0);
}

// 0 is the empty database; the latest version itself proves its fixture fits the schema and that
// migrating an up-to-date database changes nothing.
INSTANTIATE_TEST_SUITE_P(EveryEarlierVersion, MigrationFromVersion,
                         ::testing::Range(0, static_cast<int>(schemaMigrations().size()) + 1));

TEST(Migration, StoreOpensAnOldDatabaseKeepingItsHubId) {
    TempDir dir;
    {
        auto db = openFile(dir.path() / SqliteStore::kFileName);
        ASSERT_TRUE(migrate(db, schemaMigrations().first(1)).has_value());
        execOrThrow(db, kFixtures[0].insert);
    }
    auto store = SqliteStore::open(dir.path());
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ(store->hubId(), "0123456789abcdef");
    EXPECT_EQ(userVersion(store->database()), kLatest);
}

// The store turns foreign keys on before migrating; version 3 rebuilds `locks`, which would
// cascade into credentials, codes and lockout rows if enforcement stayed on.
TEST(Migration, StoreRebuildsLocksWithoutCascadingAndRestoresForeignKeys) {
    TempDir dir;
    {
        auto db = openFile(dir.path() / SqliteStore::kFileName);
        for (int v = 1; v <= 2; ++v) {
            ASSERT_TRUE(migrate(db, schemaMigrations().first(static_cast<std::size_t>(v))));
            execOrThrow(db, kFixtures[static_cast<std::size_t>(v - 1)].insert);
        }
    }
    auto store = SqliteStore::open(dir.path());
    ASSERT_TRUE(store.has_value()) << store.error().message;
    auto& db = store->database();
    EXPECT_EQ(db.queryInt("PRAGMA foreign_keys").value(), 1);
    for (int v = 1; v <= 2; ++v) {
        const auto& fixture = kFixtures[static_cast<std::size_t>(v - 1)];
        EXPECT_EQ(db.queryText(fixture.check).value(), fixture.expected);
    }
    EXPECT_EQ(db.queryText("SELECT topic || ',' || protocol_version || ',' || "
                           "coalesce(removed_at, '-') FROM locks")
                  .value(),
              "lock-1,3,-");
    EXPECT_EQ(db.queryText("SELECT value FROM meta WHERE key = 'outbox_dropped'").value(), "0");
}

std::string columnsOf(Database& db, std::string_view table) {
    return db
        .queryText(
            "SELECT group_concat(name || (CASE WHEN \"notnull\" THEN '!' ELSE '' END), "
            "',') FROM pragma_table_info('" +
            std::string(table) + "')")
        .value();
}

// Version 4: records.lock_time nullable with its UNIQUE constraints intact, outbox ids that are
// never reused and no `attempts`, the unused tables gone, and every kept row as it was.
TEST(Migration, AVersion3DatabaseWithDataUpgradesTo4) {
    TempDir dir;
    auto db = openFile(dir.path() / "x.db");
    for (int v = 1; v <= 3; ++v) {
        ASSERT_TRUE(migrate(db, schemaMigrations().first(static_cast<std::size_t>(v))));
        execOrThrow(db, kFixtures[static_cast<std::size_t>(v - 1)].insert);
    }
    execOrThrow(db, "INSERT INTO outbox VALUES (2, 't', x'00', 1, 0, 0, 0)");
    ASSERT_EQ(migrate(db, schemaMigrations().first(4)).value(), 4);

    EXPECT_EQ(columnsOf(db, "records"), "id,lock_id!,dp!,value!,lock_time,hub_time_ms!,event_id!");
    EXPECT_EQ(columnsOf(db, "outbox"), "id,topic!,payload!,qos!,retained!,created_at!");
    EXPECT_EQ(db.queryText("SELECT group_concat(id || ',' || lock_id || ',' || lock_time || ',' || "
                           "event_id, ';') FROM records")
                  .value(),
              "1,1,1700000100,ev-1;2,2,1700000100,ev-2");
    EXPECT_EQ(db.queryText("SELECT group_concat(id || ',' || topic, ';') FROM outbox").value(),
              "1,lockhub/front/event;2,t");
    for (const auto& fixture : kFixtures) {
        if (fixture.version <= 3) {
            EXPECT_EQ(db.queryText(fixture.check).value(), fixture.expected) << fixture.version;
        }
    }

    auto replay =
        db.exec("INSERT INTO records VALUES (5, 1, 19, x'0003', 1700000100, 0, 'ev-5')", "replay");
    ASSERT_FALSE(replay.has_value());
    EXPECT_NE(replay.error().message.find("UNIQUE constraint failed: records.lock_id, records.dp, "
                                          "records.value, records.lock_time"),
              std::string::npos)
        << replay.error().message;
    auto reusedId =
        db.exec("INSERT INTO records VALUES (5, 1, 20, x'00', NULL, 0, 'ev-1')", "reuse");
    ASSERT_FALSE(reusedId.has_value());
    EXPECT_NE(reusedId.error().message.find("UNIQUE constraint failed: records.event_id"),
              std::string::npos)
        << reusedId.error().message;
    execOrThrow(db, R"sql(
        INSERT INTO records VALUES (5, 1, 19, x'0003', NULL, 0, 'ev-5'),
                                   (6, 1, 19, x'0003', NULL, 0, 'ev-6');
    )sql");

    // The highest outbox id, once delivered, is not handed out again.
    execOrThrow(db, "DELETE FROM outbox WHERE id = 2");
    EXPECT_EQ(db.queryInt("INSERT INTO outbox (topic, payload, qos, retained, created_at) "
                          "VALUES ('t', x'00', 1, 0, 0) RETURNING id")
                  .value(),
              3);
    EXPECT_EQ(db.queryInt("SELECT count(*) FROM pragma_foreign_key_check").value(), 0);
}

// Version 5: a lock paired at version 4 comes back from the lock store whole, with an empty
// policy (every field follows the configuration). Its secrets blob is a real one: written by the
// lock store of another hub sharing the key, for the same lock id (the blob is bound to it).
TEST(Migration, AVersion4LockUpgradesTo5WithAnEmptyPolicy) {
    TempDir dir;
    const auto donorDir = dir.path() / "donor";
    const auto stateDir = dir.path() / "state";
    ports::LockRecord lock = testing::sampleLock("front", "AA:BB:CC:DD:EE:01");
    lock.t0 = 1700000000;
    std::string sealed;
    {
        testing::Hub donor(donorDir);
        lock.id = testing::valueOrThrow(donor.locks().addLock(lock, 1700000123456)).id;
        sealed = donor.db().queryText("SELECT hex(secrets) FROM locks WHERE id = 1").value();
        donor.close();
    }
    std::filesystem::create_directories(stateDir);
    std::filesystem::copy_file(donorDir / kSecretsKeyFile, stateDir / kSecretsKeyFile);
    {
        auto db = openFile(stateDir / SqliteStore::kFileName);
        ASSERT_EQ(migrate(db, schemaMigrations().first(4)).value(), 4);
        execOrThrow(db,
                    "INSERT INTO locks (id, topic, name, mac, product_id, profile, "
                    "protocol_version, secrets, t0, created_at) VALUES (1, 'front', "
                    "'front door', 'AA:BB:CC:DD:EE:01', 'pid-front', 'tuya-ble-lock', 4, x'" +
                        sealed + "', 1700000000, 1700000123)");
    }

    testing::Hub hub(stateDir);
    EXPECT_EQ(userVersion(hub.db()), kLatest);
    EXPECT_EQ(columnsOf(hub.db(), "locks"),
              "id,topic!,name!,mac!,product_id!,profile!,protocol_version!,secrets,t0,created_at!,"
              "removed_at,policy,keep_alive_s,poll_interval_s,availability_timeout_s");
    const auto all = testing::valueOrThrow(hub.locks().locks());
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].id, 1);
    EXPECT_EQ(all[0].topic, "front");
    EXPECT_EQ(all[0].name, "front door");
    EXPECT_EQ(all[0].localKey.reveal(), testing::kLocalKey);
    EXPECT_EQ(all[0].t0, 1700000000);
    EXPECT_EQ(all[0].policy, ports::LockPolicy{});

    // The columns refuse what the port never stores.
    for (const auto* update :
         {"UPDATE locks SET policy = 'sometimes'", "UPDATE locks SET keep_alive_s = -1",
          "UPDATE locks SET poll_interval_s = -1",
          "UPDATE locks SET availability_timeout_s = -1"}) {
        auto refused = hub.db().exec(update, "bad policy");
        ASSERT_FALSE(refused.has_value()) << update;
        EXPECT_NE(refused.error().message.find("CHECK constraint failed"), std::string::npos)
            << refused.error().message;
    }
    // 0 is a value, not an absent one (an availability timeout of 0 means "automatic").
    execOrThrow(hub.db(),
                "UPDATE locks SET policy = 'always', keep_alive_s = 0, "
                "poll_interval_s = 0, availability_timeout_s = 0");
}

TEST(Migration, AMigrationLeavingDanglingForeignKeysIsRolledBack) {
    TempDir dir;
    const auto file = dir.path() / "x.db";
    auto db = openFile(file);
    ASSERT_TRUE(migrate(db, schemaMigrations().first(1)).has_value());
    execOrThrow(db, kFixtures[0].insert);
    const std::array orphaning{
        schemaMigrations()[0],
        Migration{2, "orphaning", "DELETE FROM locks;"},
    };
    auto result = migrate(db, orphaning);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Errc::Storage);
    EXPECT_EQ(result.error().message,
              file.string() +
                  ": migrating the schema to version 2 (orphaning) failed: it would leave 2 rows "
                  "whose foreign key points nowhere");
    EXPECT_EQ(userVersion(db), 1);
    EXPECT_EQ(db.queryText(kFixtures[0].check).value(), kFixtures[0].expected);
}

TEST(Migration, AFailingMigrationLeavesThePreviousVersionUntouched) {
    TempDir dir;
    const auto file = dir.path() / "x.db";
    auto db = openFile(file);
    ASSERT_TRUE(migrate(db, schemaMigrations().first(1)).has_value());
    execOrThrow(db, kFixtures[0].insert);
    const std::string before = schemaDump(db);

    // The first statement succeeds, the second fails: the first must not survive.
    const std::array broken{
        schemaMigrations()[0],
        Migration{2, "broken on purpose",
                  "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);"},
    };
    auto result = migrate(db, broken);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Errc::Storage);
    EXPECT_EQ(result.error().message,
              file.string() +
                  ": migrating the schema to version 2 (broken on purpose) failed: no such table: "
                  "no_such_table");
    EXPECT_EQ(userVersion(db), 1);
    EXPECT_EQ(schemaDump(db), before);
    auto kept = db.queryText(kFixtures[0].check);
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(*kept, kFixtures[0].expected);

    // The real migration still applies afterwards: the failed one left no lock or transaction.
    auto fixed = migrate(db, schemaMigrations());
    ASSERT_TRUE(fixed.has_value()) << fixed.error().message;
    EXPECT_EQ(userVersion(db), kLatest);
}

TEST(Migration, AFailingFirstMigrationLeavesAnEmptyDatabase) {
    TempDir dir;
    auto db = openFile(dir.path() / "x.db");
    const std::array broken{
        Migration{1, "broken", "CREATE TABLE a (x INTEGER); CREATE TABLE a (y INTEGER);"},
    };
    ASSERT_FALSE(migrate(db, broken).has_value());
    EXPECT_EQ(userVersion(db), 0);
    EXPECT_EQ(schemaDump(db), "");
}

TEST(Migration, ANewerDatabaseIsRefusedAndLeftByteIdentical) {
    TempDir dir;
    const auto file = dir.path() / SqliteStore::kFileName;
    {
        auto db = openFile(file);
        ASSERT_TRUE(migrate(db, schemaMigrations()).has_value());
        execOrThrow(db, "PRAGMA user_version = " + std::to_string(kLatest + 1));
    }
    const auto before = fileBytes(file);

    auto db = openFile(file);
    auto checked = checkSchemaVersion(db, schemaMigrations());
    ASSERT_FALSE(checked.has_value());
    EXPECT_EQ(checked.error().code, Errc::Storage);
    EXPECT_EQ(checked.error().message,
              file.string() + ": schema version " + std::to_string(kLatest + 1) +
                  " is newer than this lockhub supports (" + std::to_string(kLatest) +
                  "); the file was left untouched: run a newer lockhub or restore a backup");
    auto migrated = migrate(db, schemaMigrations());
    ASSERT_FALSE(migrated.has_value());
    EXPECT_EQ(migrated.error().message, checked.error().message);

    auto store = SqliteStore::open(dir.path());
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().message, checked.error().message);
    EXPECT_EQ(fileBytes(file), before);
}

TEST(Migration, MigrationsOutOfSequenceAreAnInternalError) {
    TempDir dir;
    auto db = openFile(dir.path() / "x.db");
    const std::array gap{
        Migration{1, "one", "CREATE TABLE a (x INTEGER);"},
        Migration{3, "three", "CREATE TABLE b (x INTEGER);"},
    };
    auto result = migrate(db, gap);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, Errc::Internal);
    EXPECT_EQ(result.error().message, "schema migration 'three' is out of sequence");
    EXPECT_EQ(userVersion(db), 0);
}

}  // namespace
}  // namespace lockhub::adapters::sqlite
