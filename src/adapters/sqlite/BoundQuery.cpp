#include "adapters/sqlite/BoundQuery.h"

#include <string>
#include <type_traits>
#include <utility>

#include "adapters/sqlite/StorageError.h"

namespace lockhub::adapters::sqlite {

Result<Statement> prepareBound(Database& db, std::string_view sql,
                               std::initializer_list<Param> params) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return stmt;
    }
    int index = 1;
    for (const auto& param : params) {
        auto bound = std::visit(
            [&](const auto& value) -> Result<void> {
                if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::nullptr_t>) {
                    return stmt->bindNull(index);
                } else {
                    return stmt->bind(index, value);
                }
            },
            param);
        if (!bound) {
            return tl::unexpected(std::move(bound.error()));
        }
        ++index;
    }
    return stmt;
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
    auto row = firstRow(db, sql, params);
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    if (!*row) {
        return std::optional<std::int64_t>();
    }
    const std::int64_t first = (*row)->columnInt(0);
    if (auto rest = (*row)->run(); !rest) {
        return tl::unexpected(std::move(rest.error()));
    }
    return first;
}

Result<std::int64_t> queryIntBound(Database& db, std::string_view sql,
                                   std::initializer_list<Param> params) {
    auto row = firstRow(db, sql, params);
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    if (!*row) {
        return tl::unexpected(
            storageError(db.path(), "`" + std::string(sql) + "` returned no row"));
    }
    return (*row)->columnInt(0);
}

}  // namespace lockhub::adapters::sqlite
