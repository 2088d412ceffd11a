#include "adapters/sqlite/SqliteRecordStore.h"

#include <limits>
#include <string>
#include <type_traits>
#include <variant>

#include "adapters/sqlite/BoundQuery.h"
#include "adapters/sqlite/Transaction.h"

namespace lockhub::adapters::sqlite {
namespace {

constexpr std::int64_t kNoBound = std::numeric_limits<std::int64_t>::max();

std::int64_t clampLimit(std::size_t limit) {
    return limit > static_cast<std::size_t>(kNoBound) ? kNoBound : static_cast<std::int64_t>(limit);
}

// A record whose outbox message still waits for its PUBACK must stay. A record's outbox row is
// created at its hub time (seconds), so every record received before the oldest waiting message's
// second is safe to delete; this keeps a few more than necessary, never one too few.
constexpr std::string_view kDeliveredBefore = R"sql(
    coalesce((SELECT min(created_at) FROM outbox) * 1000, 9223372036854775807)
)sql";

}  // namespace

// Only the filters that are set become conditions, so SQLite can pick the lock or user index
// (both end in hub_time_ms, id: no sort) instead of scanning the whole history in time order.
Result<std::vector<ports::StoredRecord>> SqliteRecordStore::queryRecords(
    const ports::RecordFilter& filter, const std::optional<ports::RecordPosition>& after,
    std::size_t limit) {
    std::vector<ports::StoredRecord> rows;
    std::string sql = R"sql(
        SELECT r.id, r.lock_id, l.topic, r.dp, r.lock_time, r.hub_time_ms, r.event_id,
               coalesce(r.payload, '')
        FROM records r JOIN locks l ON l.id = r.lock_id WHERE true)sql";
    std::vector<Param> params;
    const auto where = [&](std::string_view condition, Param value) {
        params.push_back(value);
        sql += " AND " + std::string(condition) + " ?" + std::to_string(params.size());
    };
    if (filter.lockId) {
        where("r.lock_id =", *filter.lockId);
    }
    if (filter.userId) {
        where("r.user_id =", *filter.userId);
    }
    if (filter.method) {
        where("r.method =", std::string_view(*filter.method));
    }
    if (filter.event) {
        where("r.event =", std::string_view(*filter.event));
    }
    if (filter.sinceMs) {
        where("r.hub_time_ms >=", *filter.sinceMs);
    }
    if (filter.untilMs) {
        where("r.hub_time_ms <", *filter.untilMs);
    }
    if (after) {
        params.push_back(after->hubTimeMs);
        params.push_back(after->id);
        sql += " AND (r.hub_time_ms > ?" + std::to_string(params.size() - 1) +
               " OR (r.hub_time_ms = ?" + std::to_string(params.size() - 1) + " AND r.id > ?" +
               std::to_string(params.size()) + "))";
    }
    params.push_back(clampLimit(limit));
    sql += " ORDER BY r.hub_time_ms, r.id LIMIT ?" + std::to_string(params.size());
    auto stmt = db_.prepare(sql);
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        const int index = static_cast<int>(i + 1);
        auto bound = std::visit(
            [&](const auto& value) -> Result<void> {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::nullptr_t>) {
                    return stmt->bindNull(index);
                } else {
                    return stmt->bind(index, value);
                }
            },
            params[i]);
        if (!bound) {
            return tl::unexpected(std::move(bound.error()));
        }
    }
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return rows;
        }
        ports::StoredRecord record;
        record.id = stmt->columnInt(0);
        record.lockId = stmt->columnInt(1);
        record.lockTopic = stmt->columnText(2);
        record.dp = static_cast<std::uint8_t>(stmt->columnInt(3));
        if (!stmt->isNull(4)) {
            record.lockTime = stmt->columnInt(4);
        }
        record.hubTimeMs = stmt->columnInt(5);
        record.eventId = stmt->columnText(6);
        record.payload = stmt->columnText(7);
        rows.push_back(std::move(record));
    }
}

Result<std::optional<std::int64_t>> SqliteRecordStore::lastLockTime(std::int64_t lockId) {
    return runReturning(db_, R"sql(
        SELECT lock_time FROM records
        WHERE lock_id = ?1 AND derived = '' AND lock_time IS NOT NULL AND time_corrected = 0
        ORDER BY hub_time_ms DESC, id DESC LIMIT 1
    )sql",
                        {lockId});
}

// `derived` rather than `event`: a records_lost row from before schema version 10 has no
// message, but it still was a gap.
Result<ports::LostRecords> SqliteRecordStore::lostRecords(std::int64_t lockId) {
    ports::LostRecords lost;
    auto totals = firstRow(db_, R"sql(
        SELECT count(*), coalesce(sum(json_extract(payload, '$.count')), 0) FROM records
        WHERE lock_id = ?1 AND derived = 'records_lost'
    )sql",
                           {lockId});
    if (!totals) {
        return tl::unexpected(std::move(totals.error()));
    }
    lost.gaps = (*totals)->columnInt(0);
    lost.estimated = (*totals)->columnInt(1);
    auto latest = firstRow(db_, R"sql(
        SELECT hub_time_ms, coalesce(payload, '') FROM records
        WHERE lock_id = ?1 AND derived = 'records_lost'
        ORDER BY hub_time_ms DESC, id DESC LIMIT 1
    )sql",
                           {lockId});
    if (!latest) {
        return tl::unexpected(std::move(latest.error()));
    }
    if (*latest) {
        lost.latest = ports::LostRecords::Gap{(*latest)->columnInt(0), (*latest)->columnText(1)};
    }
    return lost;
}

Result<std::vector<ports::LockRecordCount>> SqliteRecordStore::recordCounts() {
    std::vector<ports::LockRecordCount> counts;
    auto stmt = prepareBound(
        db_, "SELECT lock_id, count(*) FROM records GROUP BY lock_id ORDER BY lock_id", {});
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return counts;
        }
        counts.push_back({stmt->columnInt(0), stmt->columnInt(1)});
    }
}

Result<std::size_t> SqliteRecordStore::trimOldest(std::int64_t lockId, std::size_t limit) {
    return trim(std::string(R"sql(
        DELETE FROM records WHERE id IN (
            SELECT id FROM records WHERE lock_id = ?1 AND hub_time_ms < )sql") +
                    std::string(kDeliveredBefore) + R"sql(
            ORDER BY hub_time_ms, id LIMIT ?2)
    )sql",
                lockId, limit);
}

Result<std::size_t> SqliteRecordStore::trimBefore(std::int64_t hubTimeMs, std::size_t limit) {
    return trim(std::string(R"sql(
        DELETE FROM records WHERE id IN (
            SELECT id FROM records WHERE hub_time_ms < ?1 AND hub_time_ms < )sql") +
                    std::string(kDeliveredBefore) + R"sql(
            ORDER BY hub_time_ms, id LIMIT ?2)
    )sql",
                hubTimeMs, limit);
}

Result<std::size_t> SqliteRecordStore::trim(std::string_view sql, std::int64_t key,
                                            std::size_t limit) {
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    if (auto deleted = runBound(db_, sql, {key, clampLimit(limit)}); !deleted) {
        return tl::unexpected(std::move(deleted.error()));
    }
    auto changes = db_.queryInt("SELECT changes()");
    if (!changes) {
        return tl::unexpected(std::move(changes.error()));
    }
    if (auto committed = tx->commit(); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    return static_cast<std::size_t>(*changes);
}

}  // namespace lockhub::adapters::sqlite
