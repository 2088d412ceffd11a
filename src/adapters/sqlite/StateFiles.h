// The file-system side of opening the store: the state directory and the database file exist
// with owner-only permissions before SQLite sees them. SQLite would create files with 0644, and
// the database holds encrypted lock keys and hashed codes, which nobody else should even copy.
#pragma once

#include <filesystem>

#include "domain/Error.h"

namespace lockhub::adapters::sqlite {

// Creates `dir` (and missing parents) with mode 0700. An existing directory must be owned by
// this process (its owner could swap our files) and loses any group/other access. Permissions are
// only ever removed, never added: a directory its owner made read-only stays read-only and is
// refused, because SQLite must create its -wal and -shm files next to the database.
Result<void> prepareStateDirectory(const std::filesystem::path& dir);

// Creates `file` empty with mode 0600 if it does not exist. An existing file must be a regular
// file; if we own it, group and other permissions are removed (never added: a file its owner
// made unreadable stays unreadable and fails to open).
Result<void> prepareDatabaseFile(const std::filesystem::path& file);

}  // namespace lockhub::adapters::sqlite
