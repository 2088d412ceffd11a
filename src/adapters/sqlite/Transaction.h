// A write transaction that rolls back unless committed, so an early `return` on an error can
// never leave half of a change behind.
#pragma once

#include "adapters/sqlite/Database.h"
#include "domain/Error.h"

namespace lockhub::adapters::sqlite {

class Transaction {
public:
    // BEGIN IMMEDIATE takes the write lock up front: a transaction that starts cannot fail later
    // with SQLITE_BUSY because another connection upgraded first.
    static Result<Transaction> begin(Database& db);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    Result<void> commit();

private:
    explicit Transaction(Database& db) : db_(&db) {}

    Database* db_;  // null once committed, rolled back or moved from
};

}  // namespace lockhub::adapters::sqlite
