#include "adapters/sqlite/Migration.h"

#include <string>

#include "adapters/sqlite/StorageError.h"
#include "adapters/sqlite/Transaction.h"

namespace lockhub::adapters::sqlite {
namespace {

Result<int> readUserVersion(Database& db) {
    auto version = db.queryInt("PRAGMA user_version");
    if (!version) {
        return tl::unexpected(std::move(version.error()));
    }
    return static_cast<int>(*version);
}

Result<void> checkNumbering(std::span<const Migration> migrations) {
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i + 1)) {
            return tl::unexpected(Error{
                Errc::Internal,
                "schema migration '" + std::string(migrations[i].name) + "' is out of sequence"});
        }
    }
    return {};
}

Result<void> apply(Database& db, const Migration& migration) {
    const std::string step = "migrating the schema to version " +
                             std::to_string(migration.version) + " (" +
                             std::string(migration.name) + ")";
    auto tx = Transaction::begin(db);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    // Another process may have migrated between our read and our write lock.
    auto current = readUserVersion(db);
    if (!current) {
        return tl::unexpected(std::move(current.error()));
    }
    if (*current >= migration.version) {
        return {};
    }
    if (auto done = db.exec(migration.sql, step); !done) {
        return done;
    }
    auto violations = db.queryInt("SELECT count(*) FROM pragma_foreign_key_check");
    if (!violations) {
        return tl::unexpected(std::move(violations.error()));
    }
    if (*violations != 0) {
        return tl::unexpected(storageError(
            db.path(), step + " failed: it would leave " + std::to_string(*violations) +
                           " rows whose foreign key points nowhere"));
    }
    const std::string bump = "PRAGMA user_version = " + std::to_string(migration.version);
    if (auto done = db.exec(bump, step); !done) {
        return done;
    }
    return tx->commit();
}

// PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around the whole run.
Result<void> applyAll(Database& db, std::span<const Migration> pending) {
    for (const auto& migration : pending) {
        if (auto applied = apply(db, migration); !applied) {
            return applied;
        }
    }
    return {};
}

}  // namespace

Result<int> checkSchemaVersion(Database& db, std::span<const Migration> migrations) {
    auto version = readUserVersion(db);
    if (!version) {
        return version;
    }
    const int known = migrations.empty() ? 0 : migrations.back().version;
    if (*version > known) {
        return tl::unexpected(storageError(
            db.path(), "schema version " + std::to_string(*version) +
                           " is newer than this lockhub supports (" + std::to_string(known) +
                           "); the file was left untouched: run a newer lockhub or restore a "
                           "backup"));
    }
    if (*version < 0) {
        return tl::unexpected(storageError(
            db.path(), "schema version " + std::to_string(*version) +
                           " is not one lockhub ever wrote; the file was left untouched"));
    }
    return version;
}

Result<int> migrate(Database& db, std::span<const Migration> migrations) {
    if (auto numbered = checkNumbering(migrations); !numbered) {
        return tl::unexpected(std::move(numbered.error()));
    }
    auto version = checkSchemaVersion(db, migrations);
    if (!version) {
        return version;
    }
    const auto pending = migrations.subspan(static_cast<std::size_t>(*version));
    if (pending.empty()) {
        return *version;
    }
    auto enforced = db.queryInt("PRAGMA foreign_keys");
    if (!enforced) {
        return tl::unexpected(std::move(enforced.error()));
    }
    if (auto off = db.exec("PRAGMA foreign_keys = OFF", "suspending foreign key enforcement");
        !off) {
        return tl::unexpected(std::move(off.error()));
    }
    auto applied = applyAll(db, pending);
    if (*enforced != 0) {
        if (auto on = db.exec("PRAGMA foreign_keys = ON", "restoring foreign key enforcement");
            !on && applied) {
            return tl::unexpected(std::move(on.error()));
        }
    }
    if (!applied) {
        return tl::unexpected(std::move(applied.error()));
    }
    return migrations.back().version;
}

}  // namespace lockhub::adapters::sqlite
