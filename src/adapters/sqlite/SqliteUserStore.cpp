#include "adapters/sqlite/SqliteUserStore.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "adapters/sqlite/BoundQuery.h"
#include "adapters/sqlite/Transaction.h"

namespace lockhub::adapters::sqlite {
namespace {

tl::unexpected<Error> noUser(std::int64_t id) {
    return fail(Errc::NotFound, "no user has id " + std::to_string(id));
}

// The UNIQUE constraint would answer too, but only with SQLite's wording and as a storage error.
Result<void> checkNameFree(Database& db, const std::string& name, std::int64_t exceptId) {
    auto holder =
        firstRow(db, "SELECT id FROM users WHERE name = ?1 AND id != ?2", {name, exceptId});
    if (!holder) {
        return tl::unexpected(std::move(holder.error()));
    }
    if (*holder) {
        return fail(Errc::Conflict, "the name \"" + name + "\" is already used by user " +
                                        std::to_string((*holder)->columnInt(0)));
    }
    return {};
}

Result<bool> userExists(Database& db, std::int64_t id) {
    auto found = runReturning(db, "SELECT id FROM users WHERE id = ?1", {id});
    if (!found) {
        return tl::unexpected(std::move(found.error()));
    }
    return found->has_value();
}

// Columns: lock_id, method, hardware_id, user_id, duress, pin_hash.
Result<std::vector<ports::Credential>> readCredentials(Statement& stmt) {
    std::vector<ports::Credential> all;
    for (;;) {
        auto row = stmt.step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return all;
        }
        all.push_back({stmt.columnInt(0), stmt.columnText(1), stmt.columnInt(2), stmt.columnInt(3),
                       stmt.columnInt(4) != 0, stmt.columnBlob(5)});
    }
}

void sortCredentials(std::vector<ports::Credential>& credentials) {
    std::sort(credentials.begin(), credentials.end(), [](const auto& a, const auto& b) {
        return std::tie(a.lockId, a.method, a.hardwareId) <
               std::tie(b.lockId, b.method, b.hardwareId);
    });
}

}  // namespace

Result<ports::User> SqliteUserStore::createUser(const std::string& name, bool arrived) {
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    if (auto free = checkNameFree(db_, name, 0); !free) {
        return tl::unexpected(std::move(free.error()));
    }
    auto id = runReturning(db_, "INSERT INTO users (name, arrived) VALUES (?1, ?2) RETURNING id",
                           {name, std::int64_t{arrived}});
    if (!id) {
        return tl::unexpected(std::move(id.error()));
    }
    if (auto committed = tx->commit(); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    return ports::User{id->value(), name, arrived};
}

Result<void> SqliteUserStore::updateUser(const ports::User& user) {
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    if (auto free = checkNameFree(db_, user.name, user.id); !free) {
        return free;
    }
    auto updated =
        runReturning(db_, "UPDATE users SET name = ?2, arrived = ?3 WHERE id = ?1 RETURNING id",
                     {user.id, user.name, std::int64_t{user.arrived}});
    if (!updated) {
        return tl::unexpected(std::move(updated.error()));
    }
    if (!*updated) {
        return noUser(user.id);
    }
    return tx->commit();
}

Result<std::vector<ports::User>> SqliteUserStore::users() {
    auto stmt = db_.prepare("SELECT id, name, arrived FROM users ORDER BY id");
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    std::vector<ports::User> all;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return all;
        }
        all.push_back({stmt->columnInt(0), stmt->columnText(1), stmt->columnInt(2) != 0});
    }
}

Result<std::vector<ports::Credential>> SqliteUserStore::removeUser(std::int64_t id) {
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    auto stmt = prepareBound(db_, R"sql(
        DELETE FROM credentials WHERE user_id = ?1
        RETURNING lock_id, method, hardware_id, user_id, duress, pin_hash
    )sql",
                             {id});
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    auto removed = readCredentials(*stmt);
    if (!removed) {
        return removed;
    }
    auto user = runReturning(db_, "DELETE FROM users WHERE id = ?1 RETURNING id", {id});
    if (!user) {
        return tl::unexpected(std::move(user.error()));
    }
    if (!*user) {
        return noUser(id);
    }
    if (auto committed = tx->commit(); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    // RETURNING comes in no particular order.
    sortCredentials(*removed);
    return removed;
}

Result<void> SqliteUserStore::assignCredential(const ports::Credential& credential) {
    auto tx = Transaction::begin(db_);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    auto exists = userExists(db_, credential.userId);
    if (!exists) {
        return tl::unexpected(std::move(exists.error()));
    }
    if (!*exists) {
        return noUser(credential.userId);
    }
    if (auto stored = runBound(db_, R"sql(
            INSERT INTO credentials (lock_id, method, hardware_id, user_id, duress, pin_hash)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (lock_id, method, hardware_id)
            DO UPDATE SET user_id = excluded.user_id, duress = excluded.duress,
                          pin_hash = coalesce(excluded.pin_hash, pin_hash)
        )sql",
                               {credential.lockId, credential.method, credential.hardwareId,
                                credential.userId, std::int64_t{credential.duress},
                                credential.pinHash.empty()
                                    ? Param(nullptr)
                                    : Param(std::span<const std::uint8_t>(credential.pinHash))});
        !stored) {
        return stored;
    }
    return tx->commit();
}

Result<std::vector<ports::Credential>> SqliteUserStore::credentials() {
    auto stmt = db_.prepare(R"sql(
        SELECT lock_id, method, hardware_id, user_id, duress, pin_hash FROM credentials
        ORDER BY lock_id, method, hardware_id
    )sql");
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    return readCredentials(*stmt);
}

Result<void> SqliteUserStore::removeCredential(std::int64_t lockId, const std::string& method,
                                               std::int64_t hardwareId) {
    auto removed = runReturning(db_, R"sql(
        DELETE FROM credentials WHERE lock_id = ?1 AND method = ?2 AND hardware_id = ?3
        RETURNING id
    )sql",
                                {lockId, method, hardwareId});
    if (!removed) {
        return tl::unexpected(std::move(removed.error()));
    }
    if (!*removed) {
        return fail(Errc::NotFound, "lock " + std::to_string(lockId) + " has no " + method +
                                        " credential " + std::to_string(hardwareId));
    }
    return {};
}

Result<void> SqliteUserStore::removeLockCredentials(std::int64_t lockId) {
    return runBound(db_, "DELETE FROM credentials WHERE lock_id = ?1", {lockId});
}

}  // namespace lockhub::adapters::sqlite
