#include "adapters/sqlite/SqliteCodeStore.h"

#include "adapters/sqlite/BoundQuery.h"
#include "adapters/sqlite/Transaction.h"

namespace lockhub::adapters::sqlite {
namespace {

using domain::codes::OfflineCodeEntry;
using domain::codes::OfflineCodeTable;
using domain::codes::OfflineCodeType;
using domain::codes::OfflineEntryStatus;

constexpr std::size_t kEntryBytes = 6;

std::vector<std::uint8_t> encodeTable(const OfflineCodeTable& table) {
    std::vector<std::uint8_t> bytes;
    bytes.reserve(OfflineCodeTable::kCapacity * kEntryBytes);
    for (const auto& entry : table.entries()) {
        bytes.push_back(static_cast<std::uint8_t>(entry.status));
        bytes.push_back(static_cast<std::uint8_t>(entry.type));
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes.push_back(static_cast<std::uint8_t>(entry.body >> shift));
        }
    }
    return bytes;
}

Result<OfflineCodeTable> decodeTable(const std::vector<std::uint8_t>& bytes, std::int64_t lockId) {
    const auto corrupt = [lockId] {
        return fail(Errc::Storage, "the stored offline-code table of lock " +
                                       std::to_string(lockId) + " is corrupt");
    };
    if (bytes.size() != OfflineCodeTable::kCapacity * kEntryBytes) {
        return corrupt();
    }
    OfflineCodeTable::Entries entries{};
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto* at = bytes.data() + i * kEntryBytes;
        entries[i].status = static_cast<OfflineEntryStatus>(at[0]);
        entries[i].type = static_cast<OfflineCodeType>(at[1]);
        entries[i].body = (std::uint32_t{at[2]} << 24) | (std::uint32_t{at[3]} << 16) |
                          (std::uint32_t{at[4]} << 8) | std::uint32_t{at[5]};
    }
    auto table = OfflineCodeTable::fromEntries(entries);
    if (!table) {
        return corrupt();
    }
    return *table;
}

constexpr std::string_view kSelectCodes = R"sql(
    SELECT id, lock_id, type, name, user_id, start, end, serial, code_hash, state, issued_at,
           changed_at, clears, issued_offline
    FROM offline_codes WHERE lock_id = ?1 ORDER BY id
)sql";

}  // namespace

Result<ports::IssuedCode> SqliteCodeStore::addCode(ports::IssuedCode code) {
    auto id = runReturning(
        db_, R"sql(
        INSERT INTO offline_codes (lock_id, type, name, user_id, start, end, serial, code_hash,
                                   state, issued_at, changed_at, clears, issued_offline)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id
    )sql",
        {code.lockId, code.type, code.name, orNull(code.userId), code.start, orNull(code.end),
         orNull(code.serial), std::span<const std::uint8_t>(code.hash), code.state, code.issuedAt,
         orNull(code.changedAt), orNull(code.clears), std::int64_t{code.issuedOffline ? 1 : 0}});
    if (!id) {
        return tl::unexpected(std::move(id.error()));
    }
    code.id = id->value();
    return code;
}

Result<std::vector<ports::IssuedCode>> SqliteCodeStore::codes(std::int64_t lockId) {
    auto stmt = prepareBound(db_, kSelectCodes, {lockId});
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    std::vector<ports::IssuedCode> all;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return all;
        }
        ports::IssuedCode code;
        code.id = stmt->columnInt(0);
        code.lockId = stmt->columnInt(1);
        code.type = stmt->columnText(2);
        code.name = stmt->columnText(3);
        code.userId = optionalInt(*stmt, 4);
        code.start = stmt->columnInt(5);
        code.end = optionalInt(*stmt, 6);
        code.serial = optionalInt(*stmt, 7);
        code.hash = stmt->columnBlob(8);
        code.state = stmt->columnText(9);
        code.issuedAt = stmt->columnInt(10);
        code.changedAt = optionalInt(*stmt, 11);
        code.clears = optionalInt(*stmt, 12);
        code.issuedOffline = stmt->columnInt(13) != 0;
        all.push_back(std::move(code));
    }
}

Result<void> SqliteCodeStore::setCodeState(std::int64_t id, const std::string& state,
                                           std::int64_t at) {
    auto updated = runReturning(
        db_, "UPDATE offline_codes SET state = ?2, changed_at = ?3 WHERE id = ?1 RETURNING id",
        {id, state, at});
    if (!updated) {
        return tl::unexpected(std::move(updated.error()));
    }
    if (!*updated) {
        return fail(Errc::NotFound, "no issued code has id " + std::to_string(id));
    }
    return {};
}

Result<void> SqliteCodeStore::removeLockCodes(std::int64_t lockId) {
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    for (std::string_view sql : {"DELETE FROM offline_codes WHERE lock_id = ?1",
                                 "DELETE FROM offline_code_tables WHERE lock_id = ?1",
                                 "DELETE FROM lockout WHERE lock_id = ?1"}) {
        if (auto done = runBound(db_, sql, {lockId}); !done) {
            return done;
        }
    }
    return tx->commit();
}

Result<std::optional<OfflineCodeTable>> SqliteCodeStore::verifierTable(std::int64_t lockId) {
    auto row =
        firstRow(db_, "SELECT entries FROM offline_code_tables WHERE lock_id = ?1", {lockId});
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    if (!*row) {
        return std::optional<OfflineCodeTable>();
    }
    auto table = decodeTable((*row)->columnBlob(0), lockId);
    if (!table) {
        return tl::unexpected(std::move(table.error()));
    }
    return std::optional(*table);
}

Result<void> SqliteCodeStore::setVerifierTable(std::int64_t lockId, const OfflineCodeTable& table) {
    const auto bytes = encodeTable(table);
    return runBound(db_, R"sql(
        INSERT INTO offline_code_tables (lock_id, entries) VALUES (?1, ?2)
        ON CONFLICT (lock_id) DO UPDATE SET entries = excluded.entries
    )sql",
                    {lockId, std::span<const std::uint8_t>(bytes)});
}

Result<domain::codes::LockoutState> SqliteCodeStore::lockout(std::int64_t lockId) {
    auto row = firstRow(db_, R"sql(
        SELECT failures, last_failure_ms, locked_until_ms, level FROM lockout WHERE lock_id = ?1
    )sql",
                        {lockId});
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    domain::codes::LockoutState state;
    if (*row) {
        state.failures = static_cast<int>((*row)->columnInt(0));
        state.lastFailureMs = (*row)->columnInt(1);
        state.lockedUntilMs = (*row)->columnInt(2);
        state.level = static_cast<int>((*row)->columnInt(3));
    }
    return state;
}

Result<void> SqliteCodeStore::setLockout(std::int64_t lockId,
                                         const domain::codes::LockoutState& state) {
    return runBound(db_, R"sql(
        INSERT INTO lockout (lock_id, failures, last_failure_ms, locked_until_ms, level)
        VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT (lock_id) DO UPDATE SET failures = excluded.failures,
            last_failure_ms = excluded.last_failure_ms,
            locked_until_ms = excluded.locked_until_ms, level = excluded.level
    )sql",
                    {lockId, std::int64_t{state.failures}, state.lastFailureMs, state.lockedUntilMs,
                     std::int64_t{state.level}});
}

}  // namespace lockhub::adapters::sqlite
