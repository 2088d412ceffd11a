// Prepared statements with their parameters bound in one call, for code that runs many short
// statements (the lock store). Parameters bind to ?1, ?2, ... in order; nullptr binds NULL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/sqlite/Database.h"
#include "adapters/sqlite/Statement.h"
#include "domain/Error.h"

namespace lockhub::adapters::sqlite {

using Param =
    std::variant<std::int64_t, std::string_view, std::span<const std::uint8_t>, std::nullptr_t>;

Result<Statement> prepareBound(Database& db, std::string_view sql,
                               std::initializer_list<Param> params);

// The connection's cached statement for `sql` (Database::cached) with `params` bound: for the
// statements a group commit runs once per event.
Result<Statement*> cachedBound(Database& db, std::string_view sql,
                               std::initializer_list<Param> params);

// Steps `stmt` to its end and returns the first row's first (integer) column, nullopt when there
// was no row: for SELECTs of one value and INSERT/UPDATE/DELETE ... RETURNING <integer>. Running
// to the end matters, because COMMIT fails while a write statement is still running.
Result<std::optional<std::int64_t>> firstInt(Statement& stmt);

// Runs a statement that returns no rows the caller needs.
Result<void> runBound(Database& db, std::string_view sql, std::initializer_list<Param> params);

// Prepares, binds and steps once: the statement on its first row, or nullopt when there is none.
Result<std::optional<Statement>> firstRow(Database& db, std::string_view sql,
                                          std::initializer_list<Param> params);

// For INSERT/UPDATE/DELETE ... RETURNING <integer>, prepared for one use: firstInt() of it.
Result<std::optional<std::int64_t>> runReturning(Database& db, std::string_view sql,
                                                 std::initializer_list<Param> params);

// An absent optional field is a NULL column, both ways.
Param orNull(const std::optional<std::int64_t>& value);
Param orNull(const std::optional<std::string>& value);
std::optional<std::int64_t> optionalInt(const Statement& row, int column);

}  // namespace lockhub::adapters::sqlite
