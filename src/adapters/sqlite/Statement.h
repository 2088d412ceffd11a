// One prepared statement, owned. Binding indexes are 1-based and column indexes 0-based, as in
// the sqlite3 C API, so SQLite's own documentation applies unchanged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lockhub::adapters::sqlite {

class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Values are copied by SQLite (SQLITE_TRANSIENT), so the arguments may die right after.
    Result<void> bind(int index, std::int64_t value);
    Result<void> bind(int index, std::string_view text);
    Result<void> bind(int index, std::span<const std::uint8_t> blob);
    Result<void> bindNull(int index);

    // true: a row is available through the column accessors; false: the statement is done.
    Result<bool> step();
    // Runs a statement that returns no rows to completion.
    Result<void> run();
    // Makes the statement runnable again; bindings are kept.
    Result<void> reset();

    int columnCount() const;
    bool isNull(int column) const;
    std::int64_t columnInt(int column) const;
    std::string columnText(int column) const;
    std::vector<std::uint8_t> columnBlob(int column) const;

private:
    friend class Database;
    Statement(sqlite3* db, sqlite3_stmt* stmt, const std::filesystem::path& file)
        : db_(db), stmt_(stmt), file_(file) {}

    Result<void> check(int rc, std::string_view operation) const;
    std::string operation(std::string_view verb) const;

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    std::filesystem::path file_;
};

}  // namespace lockhub::adapters::sqlite
