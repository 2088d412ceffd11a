// The ports::AuditStore contract, run against the SQLite adapter on a real file and the in-memory
// fake the app tests use, so an AuditLog test against the fake means the same for the daemon.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/sqlite/SqliteAuditStore.h"
#include "integration/store/LockStoreSamples.h"
#include "support/TempDir.h"
#include "tests/fakes/InMemoryAuditStore.h"

namespace lockhub::ports {
inline void PrintTo(const AuditEntry& e, std::ostream* os) {
    *os << "{" << e.id << ", " << e.atMs << ", " << e.source << ", " << e.op << ", "
        << e.lock.value_or("-") << ", " << e.result << "}";
}
}  // namespace lockhub::ports

namespace lockhub::testing {
namespace {

using ports::AuditEntry;
using ports::AuditFilter;

class SqliteAuditUnderTest {
public:
    SqliteAuditUnderTest() : hub_(std::in_place, dir_.path() / "state") {
        audit_.emplace(hub_->db());
    }
    ports::AuditStore& store() { return *audit_; }
    void fillDisk() {
        ASSERT_TRUE(hub_->db().exec("VACUUM", "drop the free pages"));
        const auto pages = hub_->count("PRAGMA page_count");
        ASSERT_TRUE(
            hub_->db().exec("PRAGMA max_page_count = " + std::to_string(pages), "fill the disk"));
    }
    void freeDisk() {
        ASSERT_TRUE(hub_->db().exec("PRAGMA max_page_count = 1073741823", "free the disk"));
    }
    void reopen() {
        audit_.reset();
        hub_->close();
        hub_.emplace(dir_.path() / "state");
        audit_.emplace(hub_->db());
    }

private:
    TempDir dir_;
    std::optional<Hub> hub_;
    std::optional<adapters::sqlite::SqliteAuditStore> audit_;
};

class FakeAuditUnderTest {
public:
    ports::AuditStore& store() { return store_; }
    void fillDisk() { store_.failWrites(true); }
    void freeDisk() { store_.failWrites(false); }
    void reopen() {}

private:
    fakes::InMemoryAuditStore store_;
};

AuditEntry entry(std::int64_t atMs, std::string source, std::string op,
                 std::optional<std::string> lock, std::string result) {
    return {0, atMs, std::move(source), std::move(op), std::move(lock), std::move(result)};
}

template <typename Subject>
class AuditStoreContract : public ::testing::Test {
protected:
    ports::AuditStore& store() { return subject_.store(); }
    void append(const std::vector<AuditEntry>& entries) {
        auto stored = store().append(entries);
        ASSERT_TRUE(stored.has_value()) << stored.error().message;
    }
    std::vector<AuditEntry> query(AuditFilter filter = {}) {
        return valueOrThrow(store().query(filter));
    }
    std::vector<std::int64_t> ids(AuditFilter filter) {
        std::vector<std::int64_t> out;
        for (const auto& row : query(std::move(filter))) {
            out.push_back(row.id);
        }
        return out;
    }
    // Five rows; the last two share a time and were stored in one batch.
    void sample() {
        append({entry(1000, "a", "lock/rename", "front", "ok")});
        append({entry(3000, "b", "credential/assign", "front", "conflict")});
        append({entry(2000, "c", "user/set", std::nullopt, "ok")});
        append({entry(4000, "a", "credential/remove", "back", "not_found"),
                entry(4000, "a", "set/UNLOCK", "back", "auth_failed")});
    }

    Subject subject_;
};

using AuditStores = ::testing::Types<SqliteAuditUnderTest, FakeAuditUnderTest>;
TYPED_TEST_SUITE(AuditStoreContract, AuditStores);

TYPED_TEST(AuditStoreContract, StoresEveryFieldWithIncreasingIdsAndReadsInTimeOrder) {
    this->sample();
    EXPECT_EQ(this->query(), (std::vector<AuditEntry>{
                                 {1, 1000, "a", "lock/rename", "front", "ok"},
                                 {3, 2000, "c", "user/set", std::nullopt, "ok"},
                                 {2, 3000, "b", "credential/assign", "front", "conflict"},
                                 {4, 4000, "a", "credential/remove", "back", "not_found"},
                                 {5, 4000, "a", "set/UNLOCK", "back", "auth_failed"},
                             }));
}

TYPED_TEST(AuditStoreContract, FiltersNarrowAndCombine) {
    this->sample();
    EXPECT_EQ(this->ids({.lock = "front"}), (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(this->ids({.op = "user/set"}), (std::vector<std::int64_t>{3}));
    EXPECT_EQ(this->ids({.opPrefix = "credential/"}), (std::vector<std::int64_t>{2, 4}));
    EXPECT_EQ(this->ids({.source = "a"}), (std::vector<std::int64_t>{1, 4, 5}));
    EXPECT_EQ(this->ids({.sinceMs = 2000, .untilMs = 4000}), (std::vector<std::int64_t>{3, 2}));
    EXPECT_EQ(this->ids({.lock = "back", .op = "set/UNLOCK", .source = "a"}),
              (std::vector<std::int64_t>{5}));
    EXPECT_TRUE(this->ids({.lock = "garage"}).empty());
    // A prefix is not a pattern: SQL wildcards in it match only themselves.
    EXPECT_TRUE(this->ids({.opPrefix = "%"}).empty());
    EXPECT_TRUE(this->ids({.opPrefix = "_ock/"}).empty());
}

TYPED_TEST(AuditStoreContract, PagesAfterAPositionWithALimit) {
    this->sample();
    EXPECT_EQ(this->ids({.limit = 2}), (std::vector<std::int64_t>{1, 3}));
    EXPECT_EQ(this->ids({.after = AuditFilter::Position{2000, 3}, .limit = 2}),
              (std::vector<std::int64_t>{2, 4}));
    // Same time, larger id: the rest of a batch that shares a millisecond is not skipped.
    EXPECT_EQ(this->ids({.after = AuditFilter::Position{4000, 4}}), (std::vector<std::int64_t>{5}));
    EXPECT_TRUE(this->ids({.after = AuditFilter::Position{4000, 5}}).empty());
}

TYPED_TEST(AuditStoreContract, AFullDiskStoresNoneOfTheBatchAndTheSameBatchSucceedsLater) {
    this->append({entry(1000, "a", "lock/rename", "front", "ok")});
    this->subject_.fillDisk();
    std::vector<AuditEntry> batch;
    for (int i = 0; i < 200; ++i) {
        batch.push_back(entry(2000 + i, "ctl", "user/set", std::nullopt, std::string(60, 'x')));
    }
    auto refused = this->store().append(batch);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Errc::Storage);
    EXPECT_EQ(this->query().size(), 1u);
    this->subject_.freeDisk();
    this->append(batch);
    const auto rows = this->query({.limit = 500});
    ASSERT_EQ(rows.size(), 201u);
    EXPECT_EQ(rows[1].id, 2);  // the failed batch used up no id
}

TYPED_TEST(AuditStoreContract, RowsAndIdsSurviveARestart) {
    this->sample();
    this->subject_.reopen();
    EXPECT_EQ(this->query().size(), 5u);
    this->append({entry(5000, "d", "lock/remove", "front", "ok")});
    EXPECT_EQ(this->query().back().id, 6);
}

TYPED_TEST(AuditStoreContract, AnEmptyBatchIsNoError) {
    EXPECT_TRUE(this->store().append({}).has_value());
    EXPECT_TRUE(this->query().empty());
}

// The table's own rules, for rows the app could never produce.
TEST(SqliteAuditStore, TheTableRefusesEmptyOrOversizeFields) {
    TempDir dir;
    Hub hub(dir.path() / "state");
    adapters::sqlite::SqliteAuditStore store(hub.db());
    EXPECT_FALSE(store.append({entry(1, "", "user/set", std::nullopt, "ok")}).has_value());
    EXPECT_FALSE(store.append({entry(1, std::string(129, 's'), "user/set", std::nullopt, "ok")})
                     .has_value());
    EXPECT_FALSE(store.append({entry(1, "a", "user/set", std::string(65, 'l'), "ok")}).has_value());
    EXPECT_FALSE(store.append({entry(1, "a", "user/set", std::nullopt, "")}).has_value());
    EXPECT_EQ(hub.count("SELECT count(*) FROM audit"), 0);
}

}  // namespace
}  // namespace lockhub::testing
