#include "adapters/sqlite/BoundQuery.h"

#include <type_traits>
#include <utility>

namespace lockhub::adapters::sqlite {

namespace {

Result<void> bindAll(Statement& stmt, std::initializer_list<Param> params) {
    int index = 1;
    for (const auto& param : params) {
        auto bound = std::visit(
            [&](const auto& value) -> Result<void> {
                if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::nullptr_t>) {
                    return stmt.bindNull(index);
                } else {
                    return stmt.bind(index, value);
                }
            },
            param);
        if (!bound) {
            return bound;
        }
        ++index;
    }
    return {};
}

}  // namespace

Result<Statement> prepareBound(Database& db, std::string_view sql,
                               std::initializer_list<Param> params) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return stmt;
    }
    if (auto bound = bindAll(*stmt, params); !bound) {
        return tl::unexpected(std::move(bound.error()));
    }
    return stmt;
}

Result<Statement*> cachedBound(Database& db, std::string_view sql,
                               std::initializer_list<Param> params) {
    auto stmt = db.cached(sql);
    if (!stmt) {
        return stmt;
    }
    if (auto bound = bindAll(**stmt, params); !bound) {
        return tl::unexpected(std::move(bound.error()));
    }
    return stmt;
}

Result<std::optional<std::int64_t>> firstInt(Statement& stmt) {
    auto row = stmt.step();
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    if (!*row) {
        return std::optional<std::int64_t>();
    }
    const std::int64_t first = stmt.columnInt(0);
    if (auto rest = stmt.run(); !rest) {
        return tl::unexpected(std::move(rest.error()));
    }
    return first;
}

Result<void> runBound(Database& db, std::string_view sql, std::initializer_list<Param> params) {
    auto stmt = prepareBound(db, sql, params);
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    return stmt->run();
}

Result<std::optional<Statement>> firstRow(Database& db, std::string_view sql,
                                          std::initializer_list<Param> params) {
    auto stmt = prepareBound(db, sql, params);
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    if (!*row) {
        return std::optional<Statement>();
    }
    return std::optional<Statement>(std::move(*stmt));
}

Result<std::optional<std::int64_t>> runReturning(Database& db, std::string_view sql,
                                                 std::initializer_list<Param> params) {
    auto stmt = prepareBound(db, sql, params);
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    return firstInt(*stmt);
}

Param orNull(const std::optional<std::int64_t>& value) {
    return value ? Param(*value) : Param(nullptr);
}

Param orNull(const std::optional<std::string>& value) {
    return value ? Param(std::string_view(*value)) : Param(nullptr);
}

std::optional<std::int64_t> optionalInt(const Statement& row, int column) {
    return row.isNull(column) ? std::nullopt : std::optional(row.columnInt(column));
}

}  // namespace lockhub::adapters::sqlite
