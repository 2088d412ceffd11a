// The one place that turns a SQLite result code into a lockhub::Error, so every message has the
// same shape: "<file>: <operation> failed: <SQLite's detail>[; <what to do about it>]".
// Messages never contain bound values, so no secret can leak through them.
#pragma once

#include <filesystem>
#include <string_view>

#include "domain/Error.h"

struct sqlite3;

namespace lockhub::adapters::sqlite {

// `db` may be null (e.g. when sqlite3_open_v2 could not allocate a handle); the generic text for
// `rc` is used then.
Error storageError(sqlite3* db, const std::filesystem::path& file, std::string_view operation,
                   int rc);

// For failures found by our own checks rather than reported by SQLite.
Error storageError(const std::filesystem::path& file, std::string_view what);

// For a failed system call: `what`, then the text of its errno `err`.
Error systemError(const std::filesystem::path& file, std::string_view what, int err);

}  // namespace lockhub::adapters::sqlite
