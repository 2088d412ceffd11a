#include "adapters/sqlite/OutboxTable.h"

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/sqlite/BoundQuery.h"
#include "adapters/sqlite/StorageError.h"
#include "adapters/sqlite/Transaction.h"
#include "app/Log.h"

namespace lockhub::adapters::sqlite {
namespace {

constexpr std::string_view kOutboxTag = "store";

// In 64 bits: on 32-bit targets (armhf) size_t cannot hold INT64_MAX.
std::int64_t clampToInt64(std::size_t value) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(
        value, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
}

std::span<const std::uint8_t> asBytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// A statement that always yields a row, such as SELECT count(*).
Result<std::int64_t> requiredInt(Database& db, Statement& stmt, std::string_view what) {
    auto value = firstInt(stmt);
    if (!value) {
        return tl::unexpected(std::move(value.error()));
    }
    if (!*value) {
        return tl::unexpected(storageError(db.path(), std::string(what) + " returned no row"));
    }
    return **value;
}

}  // namespace

OutboxTable::OutboxTable(Database& db, std::size_t limit, OutboxNames names)
    : db_(db), limit_(clampToInt64(std::max<std::size_t>(limit, 1))), names_(std::move(names)) {
    const std::string& t = names_.table;
    const std::string key = "'" + names_.droppedKey + "'";
    insertSql_ = "INSERT INTO " + t +
                 " (topic, payload, qos, retained, created_at) VALUES (?1, ?2, ?3, ?4, "
                 "coalesce(?5, unixepoch())) RETURNING id";
    countSql_ = "SELECT count(*) FROM " + t;
    dropSql_ = "DELETE FROM " + t + " WHERE id IN (SELECT id FROM " + t + " ORDER BY id LIMIT ?1)";
    // meta.value is TEXT, hence the casts.
    countDroppedSql_ = "INSERT INTO meta (key, value) VALUES (" + key +
                       ", ?1) ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS "
                       "INTEGER) + ?1 AS TEXT) RETURNING CAST(value AS INTEGER)";
    pendingSql_ = "SELECT id, topic, payload, qos, retained FROM " + t +
                  " WHERE id > ?1 ORDER BY id LIMIT ?2";
    removeSql_ = "DELETE FROM " + t + " WHERE id = ?1";
    droppedSql_ =
        "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = " + key + "), 0)";
}

Result<std::int64_t> OutboxTable::insert(const ports::OutboxMessage& message,
                                         std::optional<std::int64_t> createdAtS) {
    auto stmt = cachedBound(
        db_, insertSql_,
        {message.topic, asBytes(message.payload), std::int64_t{message.qos},
         std::int64_t{message.retained ? 1 : 0}, createdAtS ? Param(*createdAtS) : Param(nullptr)});
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    return requiredInt(db_, **stmt, "the outbox insert");
}

Result<OutboxTable::Dropped> OutboxTable::trim() {
    auto count = db_.cached(countSql_);
    if (!count) {
        return tl::unexpected(std::move(count.error()));
    }
    auto rows = requiredInt(db_, **count, "counting the outbox");
    if (!rows) {
        return tl::unexpected(std::move(rows.error()));
    }
    const std::int64_t excess = *rows - limit_;
    if (excess <= 0) {
        return Dropped{};
    }
    auto drop = cachedBound(db_, dropSql_, {excess});
    if (!drop) {
        return tl::unexpected(std::move(drop.error()));
    }
    if (auto dropped = (*drop)->run(); !dropped) {
        return tl::unexpected(std::move(dropped.error()));
    }
    auto counted = cachedBound(db_, countDroppedSql_, {std::to_string(excess)});
    if (!counted) {
        return tl::unexpected(std::move(counted.error()));
    }
    auto total = requiredInt(db_, **counted, "counting dropped outbox rows");
    if (!total) {
        return tl::unexpected(std::move(total.error()));
    }
    return Dropped{excess, *total};
}

Result<void> OutboxTable::trimAndCommit(Transaction& tx) {
    // Before the bound counts the rows, so a delivered row never pushes out an undelivered one.
    if (auto deleted = deleteRows(removable_); !deleted) {
        return deleted;
    }
    auto dropped = trim();
    if (!dropped) {
        return tl::unexpected(std::move(dropped.error()));
    }
    if (auto committed = tx.commit(); !committed) {
        return committed;
    }
    removable_.clear();
    if (dropped->rows > 0) {
        log::warning(kOutboxTag, names_.table + " full: dropped the oldest unpublished messages",
                     {{"DROPPED", std::to_string(dropped->rows)},
                      {"DROPPED_TOTAL", std::to_string(dropped->total)},
                      {"OUTBOX_LIMIT", std::to_string(limit_)}});
    }
    return {};
}

Result<std::vector<ports::OutboxEntry>> OutboxTable::pending(std::size_t limit,
                                                             std::int64_t afterId) {
    auto stmt = cachedBound(db_, pendingSql_, {afterId, clampToInt64(limit)});
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    Statement& rows = **stmt;
    std::vector<ports::OutboxEntry> entries;
    for (;;) {
        auto row = rows.step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return entries;
        }
        const auto payload = rows.columnBlob(2);
        entries.push_back(
            ports::OutboxEntry{rows.columnInt(0),
                               {rows.columnText(1), std::string(payload.begin(), payload.end()),
                                static_cast<int>(rows.columnInt(3)), rows.columnInt(4) != 0}});
    }
}

Result<void> OutboxTable::remove(std::span<const std::int64_t> ids) {
    if (ids.empty() && removable_.empty()) {
        return {};
    }
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    if (auto deleted = deleteRows(ids); !deleted) {
        return deleted;
    }
    if (auto deleted = deleteRows(removable_); !deleted) {
        return deleted;
    }
    if (auto committed = tx->commit(); !committed) {
        return committed;
    }
    removable_.clear();
    return {};
}

void OutboxTable::removeLater(std::span<const std::int64_t> ids) {
    removable_.insert(removable_.end(), ids.begin(), ids.end());
}

Result<void> OutboxTable::deleteRows(std::span<const std::int64_t> ids) {
    for (const std::int64_t id : ids) {
        auto stmt = cachedBound(db_, removeSql_, {id});
        if (!stmt) {
            return tl::unexpected(std::move(stmt.error()));
        }
        if (auto deleted = (*stmt)->run(); !deleted) {
            return deleted;
        }
    }
    return {};
}

Result<std::int64_t> OutboxTable::dropped() {
    return db_.queryInt(droppedSql_);
}

}  // namespace lockhub::adapters::sqlite
