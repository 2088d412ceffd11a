// Schema migrations keyed by `PRAGMA user_version` (0 = empty database). Each migration runs in
// its own BEGIN IMMEDIATE transaction together with the version bump, so a failure leaves the
// database exactly at the previous version, never in between.
//
// Foreign key enforcement is off while migrations run, so that a migration can rebuild a table
// other tables reference (SQLite's documented procedure: with enforcement on, dropping the old
// table would cascade into its children). `PRAGMA foreign_key_check` must then find nothing
// before each migration commits, and enforcement is restored afterwards.
#pragma once

#include <span>
#include <string_view>

#include "adapters/sqlite/Database.h"
#include "domain/Error.h"

namespace lockhub::adapters::sqlite {

struct Migration {
    int version;            // the user_version after this step: 1, 2, 3, ... without gaps
    std::string_view name;  // appears in error messages
    std::string_view sql;   // one or more statements; no BEGIN/COMMIT of its own
};

// The database's user_version, refused when it is newer than the last of `migrations`: a file
// written by a newer lockhub is never touched, because we cannot know what its schema means.
// This only reads, so it is safe to call before any setting that writes to the file.
Result<int> checkSchemaVersion(Database& db, std::span<const Migration> migrations);

// Brings the database from its version up to the last of `migrations` and returns that version.
// `migrations` must be numbered 1..N in order; anything else is an Internal error.
Result<int> migrate(Database& db, std::span<const Migration> migrations);

}  // namespace lockhub::adapters::sqlite
