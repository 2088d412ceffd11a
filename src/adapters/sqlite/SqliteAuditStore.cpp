#include "adapters/sqlite/SqliteAuditStore.h"

#include <string_view>

#include "adapters/sqlite/BoundQuery.h"
#include "adapters/sqlite/Transaction.h"

namespace lockhub::adapters::sqlite {
namespace {

Param textOrNull(const std::optional<std::string>& value) {
    return value ? Param(std::string_view(*value)) : Param(nullptr);
}

Param intOrNull(const std::optional<std::int64_t>& value) {
    return value ? Param(*value) : Param(nullptr);
}

}  // namespace

Result<void> SqliteAuditStore::append(const std::vector<ports::AuditEntry>& entries) {
    if (entries.empty()) {
        return {};
    }
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    for (const auto& entry : entries) {
        auto stmt =
            cachedBound(db_, R"sql(
            INSERT INTO audit (at_ms, source, op, lock, result) VALUES (?1, ?2, ?3, ?4, ?5)
        )sql",
                        {entry.atMs, entry.source, entry.op, textOrNull(entry.lock), entry.result});
        if (!stmt) {
            return tl::unexpected(std::move(stmt.error()));
        }
        if (auto ran = (*stmt)->run(); !ran) {
            return ran;
        }
    }
    return tx->commit();
}

Result<std::vector<ports::AuditEntry>> SqliteAuditStore::query(const ports::AuditFilter& filter) {
    const auto after = filter.after;
    // One statement for every filter: an absent filter binds NULL and drops out.
    auto stmt = prepareBound(
        db_, R"sql(
        SELECT id, at_ms, source, op, lock, result FROM audit
        WHERE (?1 IS NULL OR lock = ?1)
          AND (?2 IS NULL OR op = ?2)
          AND (?3 IS NULL OR substr(op, 1, length(?3)) = ?3)
          AND (?4 IS NULL OR source = ?4)
          AND (?5 IS NULL OR at_ms >= ?5)
          AND (?6 IS NULL OR at_ms < ?6)
          AND (?7 IS NULL OR (at_ms, id) > (?7, ?8))
        ORDER BY at_ms, id
        LIMIT ?9
    )sql",
        {textOrNull(filter.lock), textOrNull(filter.op), textOrNull(filter.opPrefix),
         textOrNull(filter.source), intOrNull(filter.sinceMs), intOrNull(filter.untilMs),
         after ? Param(after->atMs) : Param(nullptr), after ? Param(after->id) : Param(nullptr),
         static_cast<std::int64_t>(filter.limit)});
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    std::vector<ports::AuditEntry> rows;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return rows;
        }
        rows.push_back({stmt->columnInt(0), stmt->columnInt(1), stmt->columnText(2),
                        stmt->columnText(3),
                        stmt->isNull(4) ? std::nullopt : std::optional(stmt->columnText(4)),
                        stmt->columnText(5)});
    }
}

}  // namespace lockhub::adapters::sqlite
