// SqliteStore::open on files and directories it must refuse: every case is a Storage error with
// a message naming the path and the cause, never a crash, and the existing data is never lost.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

#include "adapters/sqlite/SqliteStore.h"
#include "integration/store/StoreTestSupport.h"
#include "support/TempDir.h"

namespace lockhub::adapters::sqlite {
namespace {

using testing::allowTraversal;
using testing::ChildSetup;
using testing::fileBytes;
using testing::giveToUnprivileged;
using testing::openStoreInChild;
using testing::TempDir;
using testing::writeBytes;

const std::string kCorruptHint =
    "the file is corrupt or not a SQLite database and was left untouched: restore it from a "
    "backup or move it aside";

// A state directory holding a migrated database with one lock row in it, closed cleanly.
std::filesystem::path makeState(const std::filesystem::path& dir) {
    auto store = SqliteStore::open(dir);
    if (!store) {
        throw std::runtime_error(store.error().message);
    }
    if (auto done = store->database().exec(
            "INSERT INTO locks (id, topic, name, mac, product_id, profile, protocol_version, "
            "created_at) VALUES (1, 'alice', 'alice', 'AA:BB:CC:DD:EE:01', 'p', 'v4', 3, 0)",
            "insert");
        !done) {
        throw std::runtime_error(done.error().message);
    }
    if (auto closed = store->close(); !closed) {
        throw std::runtime_error(closed.error().message);
    }
    return dir / SqliteStore::kFileName;
}

// The row makeState wrote is still there: nothing was deleted or recreated. Reads through a
// plain connection, because the store itself refuses a directory it does not own.
void expectAliceStillThere(const std::filesystem::path& dir) {
    auto db = Database::open(dir / SqliteStore::kFileName, Database::OpenMode::ReadWrite);
    ASSERT_TRUE(db.has_value()) << db.error().message;
    auto name = db->queryText("SELECT name FROM locks WHERE id = 1");
    ASSERT_TRUE(name.has_value()) << name.error().message;
    EXPECT_EQ(*name, "alice");
}

std::vector<std::uint8_t> randomBytes(std::size_t size) {
    std::mt19937 gen(12345);
    std::vector<std::uint8_t> bytes(size);
    for (auto& b : bytes) {
        b = static_cast<std::uint8_t>(gen());
    }
    return bytes;
}

TEST(SqliteStoreFailure, RandomBytesAreNotADatabaseAndAreLeftAsTheyWere) {
    TempDir tmp;
    const auto file = tmp.path() / SqliteStore::kFileName;
    const auto garbage = randomBytes(8192);
    writeBytes(file, garbage);

    auto store = SqliteStore::open(tmp.path());
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code, Errc::Storage);
    EXPECT_EQ(store.error().message, file.string() +
                                         ": executing `PRAGMA user_version` failed: file is not a "
                                         "database; " +
                                         kCorruptHint);
    EXPECT_EQ(fileBytes(file), garbage);
}

TEST(SqliteStoreFailure, ADamagedPageFailsTheStartUpCheckAndIsLeftAsItWas) {
    TempDir tmp;
    const auto file = makeState(tmp.path());
    auto bytes = fileBytes(file);
    // Page 2 is the root of the first table (meta); overwrite its b-tree header.
    constexpr std::size_t kPageSize = 4096;
    ASSERT_GT(bytes.size(), 2 * kPageSize);
    for (std::size_t i = kPageSize; i < kPageSize + 64; ++i) {
        bytes[i] = 0xff;
    }
    writeBytes(file, bytes);

    auto store = SqliteStore::open(tmp.path());
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code, Errc::Storage);
    EXPECT_EQ(store.error().message,
              file.string() +
                  ": PRAGMA quick_check found damage (*** in database main *** Page 2: "
                  "btreeInitPage() returns error code 11); the file was left untouched: restore it "
                  "from a backup or move it aside");
    EXPECT_EQ(fileBytes(file), bytes);
}

TEST(SqliteStoreFailure, ADatabasePathThatIsADirectoryIsRefused) {
    TempDir tmp;
    std::filesystem::create_directory(tmp.path() / SqliteStore::kFileName);
    auto store = SqliteStore::open(tmp.path());
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().message, (tmp.path() / SqliteStore::kFileName).string() +
                                         ": the database is not a regular file");
}

TEST(SqliteStoreFailure, ASymlinkedDatabaseIsRefused) {
    TempDir tmp;
    const auto real = makeState(tmp.path() / "real");
    std::filesystem::create_directory(tmp.path() / "state");
    std::filesystem::create_symlink(real, tmp.path() / "state" / SqliteStore::kFileName);
    auto store = SqliteStore::open(tmp.path() / "state");
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().message, (tmp.path() / "state" / SqliteStore::kFileName).string() +
                                         ": the database is not a regular file");
}

TEST(SqliteStoreFailure, AStateDirectoryThatIsAFileIsRefused) {
    TempDir tmp;
    writeBytes(tmp.path() / "state", {});
    auto store = SqliteStore::open(tmp.path() / "state");
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().message,
              (tmp.path() / "state").string() + ": the state directory is not a directory");
}

TEST(SqliteStoreFailure, AStateDirectoryOwnedBySomeoneElseIsRefused) {
    TempDir tmp;
    const auto dir = tmp.path() / "state";
    std::filesystem::create_directory(dir);
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root to give a directory to another user";
    }
    giveToUnprivileged(dir);
    auto store = SqliteStore::open(dir);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().message, dir.string() +
                                         ": the state directory is owned by uid 65534, not by "
                                         "this process (uid 0)");
}

// The permission cases run in a child that owns its state the way lockhubd does (DynamicUser),
// as a user the kernel holds to file modes.
class SqliteStorePermissions : public ::testing::Test {
protected:
    void SetUp() override {
        allowTraversal(tmp_.path());
        dir_ = tmp_.path() / "state";
        file_ = makeState(dir_);
        for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
            giveToUnprivileged(entry.path());
        }
        giveToUnprivileged(dir_);
        auto sanity = openStoreInChild(dir_, ChildSetup::Unprivileged);
        ASSERT_TRUE(sanity.has_value());
        ASSERT_TRUE(sanity->opened) << sanity->message;
    }

    // Opens in the unprivileged child and expects exactly `message`, with the file unchanged.
    void expectRefused(const std::string& message) {
        const auto before = fileBytes(file_);
        auto outcome = openStoreInChild(dir_, ChildSetup::Unprivileged);
        ASSERT_TRUE(outcome.has_value());
        ASSERT_FALSE(outcome->opened);
        EXPECT_EQ(outcome->message, message);
        EXPECT_EQ(fileBytes(file_), before);
    }

    TempDir tmp_;
    std::filesystem::path dir_;
    std::filesystem::path file_;
};

TEST_F(SqliteStorePermissions, AnUnreadableFileIsAClearError) {
    ASSERT_EQ(::chmod(file_.c_str(), 0000), 0);
    expectRefused(file_.string() +
                  ": opening the database failed: unable to open database file; "
                  "check that the file and its directory exist and are readable "
                  "and writable");
    ASSERT_EQ(::chmod(file_.c_str(), 0600), 0);
    expectAliceStillThere(dir_);
}

TEST_F(SqliteStorePermissions, AReadOnlyFileIsAClearError) {
    ASSERT_EQ(::chmod(file_.c_str(), 0400), 0);
    expectRefused(file_.string() +
                  ": opening the database failed: the file is read-only; the daemon needs write "
                  "access to the database file and its directory");
    ASSERT_EQ(::chmod(file_.c_str(), 0600), 0);
    expectAliceStillThere(dir_);
}

TEST_F(SqliteStorePermissions, AReadOnlyDirectoryIsAClearError) {
    // Its owner made it read-only: the store removes permissions but never adds them.
    ASSERT_EQ(::chmod(dir_.c_str(), 0500), 0);
    expectRefused(dir_.string() +
                  ": the state directory is not writable; the daemon needs to create files in "
                  "it: Permission denied");
    ASSERT_EQ(::chmod(dir_.c_str(), 0700), 0);
    expectAliceStillThere(dir_);
}

TEST(SqliteStoreFailure, AReadOnlyFileSystemIsAClearError) {
    TempDir tmp;
    const auto dir = tmp.path() / "state";
    const auto file = makeState(dir);
    const auto before = fileBytes(file);
    auto outcome = openStoreInChild(dir, ChildSetup::ReadOnlyBindMount);
    if (!outcome) {
        GTEST_SKIP() << "cannot create a private read-only bind mount here (needs root)";
    }
    ASSERT_FALSE(outcome->opened);
    EXPECT_EQ(outcome->message, dir.string() +
                                    ": the state directory is not writable; the daemon needs to "
                                    "create files in it: Read-only file system");
    EXPECT_EQ(fileBytes(file), before);
    expectAliceStillThere(dir);
}

}  // namespace
}  // namespace lockhub::adapters::sqlite
