#include "adapters/sqlite/SqliteTempPasswordStore.h"

#include <algorithm>

#include "adapters/sqlite/BoundQuery.h"
#include "adapters/sqlite/Transaction.h"

namespace lockhub::adapters::sqlite {
namespace {

std::string pinAad(std::int64_t id) {
    return "lockhub temporary password " + std::to_string(id);
}

}  // namespace

Result<ports::TempPassword> SqliteTempPasswordStore::addTempPassword(ports::TempPassword row) {
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    // The id first: the sealed pin is bound to it.
    auto id =
        runReturning(db_, R"sql(
        INSERT INTO temp_passwords (lock_id, name, start, end, uses, revision, state, code_hash,
                                    created_at, changed_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id
    )sql",
                     {row.lockId, row.name, row.start, row.end, row.uses, row.revision, row.state,
                      std::span<const std::uint8_t>(row.hash), row.createdAt, row.changedAt});
    if (!id) {
        return tl::unexpected(std::move(id.error()));
    }
    row.id = id->value();
    if (auto written = write(row); !written) {
        return tl::unexpected(std::move(written.error()));
    }
    if (auto committed = tx->commit(); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    return row;
}

Result<void> SqliteTempPasswordStore::updateTempPassword(const ports::TempPassword& row) {
    auto found = firstRow(db_, "SELECT 1 FROM temp_passwords WHERE id = ?1", {row.id});
    if (!found) {
        return tl::unexpected(std::move(found.error()));
    }
    if (!*found) {
        return fail(Errc::NotFound, "no temporary password has id " + std::to_string(row.id));
    }
    return write(row);
}

Result<void> SqliteTempPasswordStore::write(const ports::TempPassword& row) {
    std::optional<std::vector<std::uint8_t>> sealed;
    if (row.pin) {
        const std::string& digits = row.pin->reveal();
        std::vector<std::uint8_t> plain(digits.begin(), digits.end());
        auto box = box_.seal(plain, pinAad(row.id));
        std::fill(plain.begin(), plain.end(), 0);
        if (!box) {
            return tl::unexpected(std::move(box.error()));
        }
        sealed = std::move(*box);
    }
    return runBound(
        db_, R"sql(
        UPDATE temp_passwords SET name = ?2, user_id = ?3, start = ?4, end = ?5, uses = ?6,
            revision = ?7, hardware_id = ?8, state = ?9, sync = ?10, pin_sealed = ?11,
            code_hash = ?12, error = ?13, created_at = ?14, changed_at = ?15
        WHERE id = ?1
    )sql",
        {row.id, row.name, orNull(row.userId), row.start, row.end, row.uses, row.revision,
         orNull(row.hardwareId), row.state, row.sync.empty() ? Param(nullptr) : Param(row.sync),
         sealed ? Param(std::span<const std::uint8_t>(*sealed)) : Param(nullptr),
         std::span<const std::uint8_t>(row.hash),
         row.error ? Param(std::string_view(*row.error)) : Param(nullptr), row.createdAt,
         row.changedAt});
}

Result<std::vector<ports::TempPassword>> SqliteTempPasswordStore::tempPasswords(
    std::int64_t lockId) {
    auto stmt = prepareBound(db_, R"sql(
        SELECT id, lock_id, name, user_id, start, end, uses, revision, hardware_id, state, sync,
               pin_sealed, code_hash, error, created_at, changed_at
        FROM temp_passwords WHERE lock_id = ?1 ORDER BY id
    )sql",
                             {lockId});
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    std::vector<ports::TempPassword> all;
    for (;;) {
        auto step = stmt->step();
        if (!step) {
            return tl::unexpected(std::move(step.error()));
        }
        if (!*step) {
            return all;
        }
        ports::TempPassword row;
        row.id = stmt->columnInt(0);
        row.lockId = stmt->columnInt(1);
        row.name = stmt->columnText(2);
        row.userId = optionalInt(*stmt, 3);
        row.start = stmt->columnInt(4);
        row.end = stmt->columnInt(5);
        row.uses = stmt->columnInt(6);
        row.revision = stmt->columnInt(7);
        row.hardwareId = optionalInt(*stmt, 8);
        row.state = stmt->columnText(9);
        row.sync = stmt->isNull(10) ? std::string() : stmt->columnText(10);
        if (!stmt->isNull(11)) {
            auto plain = box_.open(stmt->columnBlob(11), pinAad(row.id));
            if (!plain) {
                return fail(Errc::Storage, "the sealed plaintext of temporary password " +
                                               std::to_string(row.id) +
                                               " does not open with this hub's secrets key");
            }
            row.pin = SecretString(std::string(plain->begin(), plain->end()));
            std::fill(plain->begin(), plain->end(), 0);
        }
        row.hash = stmt->columnBlob(12);
        if (!stmt->isNull(13)) {
            row.error = stmt->columnText(13);
        }
        row.createdAt = stmt->columnInt(14);
        row.changedAt = stmt->columnInt(15);
        all.push_back(std::move(row));
    }
}

Result<void> SqliteTempPasswordStore::removeLockTempPasswords(std::int64_t lockId) {
    return runBound(db_, "DELETE FROM temp_passwords WHERE lock_id = ?1", {lockId});
}

}  // namespace lockhub::adapters::sqlite
