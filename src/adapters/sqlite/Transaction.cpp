#include "adapters/sqlite/Transaction.h"

#include <utility>

namespace lockhub::adapters::sqlite {

Result<Transaction> Transaction::begin(Database& db) {
    auto begun = db.exec("BEGIN IMMEDIATE", "starting a write transaction");
    if (!begun) {
        return tl::unexpected(std::move(begun.error()));
    }
    return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
    if (db_ != nullptr) {
        // Nothing useful can be done if the rollback itself fails: SQLite then rolls back when
        // the connection closes, and the failure that got us here is already being reported.
        (void)db_->exec("ROLLBACK", "rolling back");
    }
}

Result<void> Transaction::commit() {
    Database* db = std::exchange(db_, nullptr);
    if (db == nullptr) {
        return tl::unexpected(Error{Errc::Internal, "commit on a finished transaction"});
    }
    auto committed = db->exec("COMMIT", "committing");
    if (!committed) {
        // A failed COMMIT can leave the transaction open (e.g. SQLITE_BUSY); end it here so the
        // connection is usable and nothing of it becomes visible.
        (void)db->exec("ROLLBACK", "rolling back");
    }
    return committed;
}

}  // namespace lockhub::adapters::sqlite
