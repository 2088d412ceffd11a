#include "adapters/sqlite/Statement.h"

#include <sqlite3.h>

#include <utility>

#include "adapters/sqlite/StorageError.h"

namespace lockhub::adapters::sqlite {
namespace {

// Enough of the SQL to recognise the statement in a log line; SQL text never holds values.
constexpr std::size_t kSqlExcerpt = 80;

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      file_(std::move(other.file_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
        file_ = std::move(other.file_);
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

std::string Statement::operation(std::string_view verb) const {
    std::string sql = stmt_ != nullptr ? sqlite3_sql(stmt_) : "";
    if (sql.size() > kSqlExcerpt) {
        sql.resize(kSqlExcerpt);
        sql += "...";
    }
    return std::string(verb) + " `" + sql + "`";
}

Result<void> Statement::check(int rc, std::string_view verb) const {
    if (rc == SQLITE_OK) {
        return {};
    }
    return tl::unexpected(storageError(db_, file_, operation(verb), rc));
}

Result<void> Statement::bind(int index, std::int64_t value) {
    return check(sqlite3_bind_int64(stmt_, index, value), "binding a parameter of");
}

Result<void> Statement::bind(int index, std::string_view text) {
    return check(
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "binding a parameter of");
}

Result<void> Statement::bind(int index, std::span<const std::uint8_t> blob) {
    // A null pointer would bind SQL NULL; an empty blob must stay an empty blob.
    static constexpr std::uint8_t kEmpty = 0;
    const void* data = blob.empty() ? &kEmpty : blob.data();
    return check(sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_TRANSIENT),
                 "binding a parameter of");
}

Result<void> Statement::bindNull(int index) {
    return check(sqlite3_bind_null(stmt_, index), "binding a parameter of");
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return tl::unexpected(storageError(db_, file_, operation("executing"), rc));
}

Result<void> Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) {
            return tl::unexpected(std::move(row.error()));
        }
        if (!*row) {
            return {};
        }
    }
}

Result<void> Statement::reset() {
    return check(sqlite3_reset(stmt_), "resetting");
}

int Statement::columnCount() const {
    return sqlite3_column_count(stmt_);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::columnInt(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::string Statement::columnText(int column) const {
    const auto* text = sqlite3_column_text(stmt_, column);
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
    return text != nullptr ? std::string(reinterpret_cast<const char*>(text), size) : std::string();
}

std::vector<std::uint8_t> Statement::columnBlob(int column) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
    return data != nullptr ? std::vector<std::uint8_t>(data, data + size)
                           : std::vector<std::uint8_t>();
}

}  // namespace lockhub::adapters::sqlite
