// Prepared statements with their parameters bound in one call, for code that runs many short
// statements (the lock store). Parameters bind to ?1, ?2, ... in order; nullptr binds NULL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
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

// Runs a statement that returns no rows the caller needs.
Result<void> runBound(Database& db, std::string_view sql, std::initializer_list<Param> params);

// Prepares, binds and steps once: the statement on its first row, or nullopt when there is none.
Result<std::optional<Statement>> firstRow(Database& db, std::string_view sql,
                                          std::initializer_list<Param> params);

// For INSERT/UPDATE/DELETE ... RETURNING <integer>: the first row's value, nullopt when no row
// was touched. The statement is stepped to its end, because COMMIT fails while a write statement
// is still running.
Result<std::optional<std::int64_t>> runReturning(Database& db, std::string_view sql,
                                                 std::initializer_list<Param> params);

// A statement that yields exactly one row with one integer column.
Result<std::int64_t> queryIntBound(Database& db, std::string_view sql,
                                   std::initializer_list<Param> params);

}  // namespace lockhub::adapters::sqlite
