// The RAII layer over the sqlite3 C API: values round-trip exactly, errors come back as Storage
// errors naming the file and the statement, and transactions roll back unless committed.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "adapters/sqlite/Database.h"
#include "adapters/sqlite/Transaction.h"
#include "support/TempDir.h"

namespace lockhub::adapters::sqlite {
namespace {

using testing::TempDir;

class DatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = Database::open(file_, Database::OpenMode::ReadWriteCreate);
        ASSERT_TRUE(db.has_value()) << db.error().message;
        db_.emplace(std::move(*db));
        ASSERT_TRUE(db_->exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB)", "create").has_value());
    }

    std::int64_t rows() { return db_->queryInt("SELECT count(*) FROM t").value(); }

    TempDir tmp_;
    std::filesystem::path file_ = tmp_.path() / "t.db";
    std::optional<Database> db_;
};

TEST_F(DatabaseTest, BoundValuesComeBackExactly) {
    auto insert = db_->prepare("INSERT INTO t VALUES (?, ?, ?)");
    ASSERT_TRUE(insert.has_value()) << insert.error().message;
    const std::vector<std::uint8_t> blob{0x00, 0xff, 0x10, 0x00};
    const std::string text("a\0b", 3);  // embedded NUL survives: the length is bound, not strlen
    ASSERT_TRUE(insert->bind(1, std::numeric_limits<std::int64_t>::min()).has_value());
    ASSERT_TRUE(insert->bind(2, std::string_view(text)).has_value());
    ASSERT_TRUE(insert->bind(3, std::span<const std::uint8_t>(blob)).has_value());
    ASSERT_TRUE(insert->run().has_value());

    auto select = db_->prepare("SELECT i, s, b FROM t");
    ASSERT_TRUE(select.has_value());
    ASSERT_EQ(select->columnCount(), 3);
    ASSERT_EQ(select->step().value(), true);
    EXPECT_EQ(select->columnInt(0), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(select->columnText(1), text);
    EXPECT_EQ(select->columnBlob(2), blob);
    EXPECT_EQ(select->step().value(), false);
}

TEST_F(DatabaseTest, AnEmptyBlobIsNotNullAndNullIsNull) {
    auto insert = db_->prepare("INSERT INTO t VALUES (?, ?, ?)");
    ASSERT_TRUE(insert.has_value());
    ASSERT_TRUE(insert->bindNull(1).has_value());
    ASSERT_TRUE(insert->bindNull(2).has_value());
    ASSERT_TRUE(insert->bind(3, std::span<const std::uint8_t>()).has_value());
    ASSERT_TRUE(insert->run().has_value());

    auto select = db_->prepare("SELECT i, s, b, typeof(b) FROM t");
    ASSERT_TRUE(select.has_value());
    ASSERT_EQ(select->step().value(), true);
    EXPECT_TRUE(select->isNull(0));
    EXPECT_TRUE(select->isNull(1));
    EXPECT_FALSE(select->isNull(2));
    EXPECT_EQ(select->columnText(3), "blob");
    EXPECT_EQ(select->columnBlob(2), std::vector<std::uint8_t>());
    EXPECT_EQ(select->columnText(1), "");
}

TEST_F(DatabaseTest, ResetRunsTheStatementAgainWithItsBindings) {
    auto insert = db_->prepare("INSERT INTO t (i) VALUES (?)");
    ASSERT_TRUE(insert.has_value());
    ASSERT_TRUE(insert->bind(1, std::int64_t{7}).has_value());
    ASSERT_TRUE(insert->run().has_value());
    ASSERT_TRUE(insert->reset().has_value());
    ASSERT_TRUE(insert->run().has_value());
    EXPECT_EQ(db_->queryInt("SELECT sum(i) FROM t").value(), 14);
}

TEST_F(DatabaseTest, ErrorsNameTheFileAndTheStatement) {
    auto bad = db_->prepare("SELECT nope FROM t");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, Errc::Storage);
    EXPECT_EQ(bad.error().message,
              file_.string() + ": preparing `SELECT nope FROM t` failed: no such column: nope");

    auto insert = db_->prepare("INSERT INTO t (i) VALUES (?)");
    ASSERT_TRUE(insert.has_value());
    auto outOfRange = insert->bind(2, std::int64_t{1});
    ASSERT_FALSE(outOfRange.has_value());
    EXPECT_EQ(outOfRange.error().message,
              file_.string() +
                  ": binding a parameter of `INSERT INTO t (i) VALUES (?)` failed: column index "
                  "out of range");

    ASSERT_TRUE(db_->exec("CREATE TABLE u (x INTEGER NOT NULL)", "create").has_value());
    auto null = db_->prepare("INSERT INTO u VALUES (NULL)");
    ASSERT_TRUE(null.has_value());
    auto failed = null->run();
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().message,
              file_.string() +
                  ": executing `INSERT INTO u VALUES (NULL)` failed: NOT NULL constraint failed: "
                  "u.x");

    auto none = db_->queryInt("SELECT i FROM t");
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().message, file_.string() + ": `SELECT i FROM t` returned no row");
}

TEST_F(DatabaseTest, ATransactionRollsBackUnlessCommitted) {
    {
        auto tx = Transaction::begin(*db_);
        ASSERT_TRUE(tx.has_value()) << tx.error().message;
        ASSERT_TRUE(db_->exec("INSERT INTO t (i) VALUES (1)", "insert").has_value());
    }
    EXPECT_EQ(rows(), 0);

    auto tx = Transaction::begin(*db_);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(db_->exec("INSERT INTO t (i) VALUES (1)", "insert").has_value());
    ASSERT_TRUE(tx->commit().has_value());
    EXPECT_EQ(rows(), 1);
    auto again = tx->commit();
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, Errc::Internal);
}

TEST_F(DatabaseTest, AWriteTransactionIsRefusedWhileAnotherConnectionHoldsTheLock) {
    auto other = Database::open(file_, Database::OpenMode::ReadWrite);
    ASSERT_TRUE(other.has_value());
    auto held = Transaction::begin(*other);
    ASSERT_TRUE(held.has_value());
    // No busy timeout on this connection: the refusal is immediate and says why.
    auto refused = Transaction::begin(*db_);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().message,
              file_.string() +
                  ": starting a write transaction failed: database is locked; another process "
                  "holds the database (is a second lockhubd using this state directory?)");
}

TEST_F(DatabaseTest, AClosedConnectionFailsCleanly) {
    ASSERT_TRUE(db_->close().has_value());
    EXPECT_FALSE(db_->isOpen());
    auto stmt = db_->prepare("SELECT 1");
    ASSERT_FALSE(stmt.has_value());
    EXPECT_EQ(stmt.error().code, Errc::Storage);
    auto done = db_->exec("SELECT 1", "select");
    ASSERT_FALSE(done.has_value());
    EXPECT_EQ(done.error().code, Errc::Storage);
}

// A cached statement is prepared once, comes back reset even when its last run stopped half-way
// or failed, and close() finalizes it: sqlite3_close refuses a connection with live statements.
TEST_F(DatabaseTest, CachedStatementsArePreparedOnceResetOnReuseAndClosedWithTheConnection) {
    ASSERT_TRUE(db_->exec("INSERT INTO t (i) VALUES (1), (2)", "insert").has_value());
    auto first = db_->cached("SELECT i FROM t ORDER BY i");
    ASSERT_TRUE(first.has_value()) << first.error().message;
    ASSERT_EQ((*first)->step().value(), true);
    ASSERT_EQ((*first)->columnInt(0), 1);  // stopped after the first row

    auto again = db_->cached("SELECT i FROM t ORDER BY i");
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *first) << "the same prepared statement";
    ASSERT_EQ((*again)->step().value(), true);
    EXPECT_EQ((*again)->columnInt(0), 1) << "from the start again";

    auto failing = db_->cached("INSERT INTO t (i) VALUES (abs(-9223372036854775807 - 1))");
    ASSERT_TRUE(failing.has_value());
    EXPECT_FALSE((*failing)->run().has_value()) << "integer overflow";
    auto retried = db_->cached("INSERT INTO t (i) VALUES (abs(-9223372036854775807 - 1))");
    ASSERT_TRUE(retried.has_value()) << "the last run's error is not repeated by the hand-out";

    auto closed = db_->close();
    ASSERT_TRUE(closed.has_value()) << closed.error().message;
    auto after = db_->cached("SELECT i FROM t ORDER BY i");
    ASSERT_FALSE(after.has_value());
    EXPECT_EQ(after.error().code, Errc::Storage);
}

TEST(Database, OpeningAMissingFileWithoutCreateFailsAndCreatesNothing) {
    TempDir tmp;
    const auto file = tmp.path() / "missing.db";
    auto db = Database::open(file, Database::OpenMode::ReadWrite);
    ASSERT_FALSE(db.has_value());
    EXPECT_EQ(db.error().message,
              file.string() +
                  ": opening the database failed: unable to open database file; check that the "
                  "file and its directory exist and are readable and writable");
    EXPECT_FALSE(std::filesystem::exists(file));
}

}  // namespace
}  // namespace lockhub::adapters::sqlite
