#include "adapters/sqlite/StorageError.h"

#include <sqlite3.h>

#include <cstring>
#include <string>

namespace lockhub::adapters::sqlite {
namespace {

// What the operator can do about the primary result code; empty when SQLite's text says it all.
std::string_view hintFor(int rc) {
    switch (rc & 0xff) {
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            return "the file is corrupt or not a SQLite database and was left untouched: restore "
                   "it from a backup or move it aside";
        case SQLITE_READONLY:
            return "the daemon needs write access to the database file and its directory";
        case SQLITE_CANTOPEN:
            return "check that the file and its directory exist and are readable and writable";
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return "access was denied";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "another process holds the database (is a second lockhubd using this state "
                   "directory?)";
        case SQLITE_FULL:
            return "the disk is full";
        case SQLITE_IOERR:
            return "the storage reported an I/O error (read-only or failing file system?)";
        default:
            return {};
    }
}

}  // namespace

Error storageError(sqlite3* db, const std::filesystem::path& file, std::string_view operation,
                   int rc) {
    // sqlite3_errmsg is more specific than sqlite3_errstr, but only while it still describes `rc`.
    const bool current = db != nullptr && (sqlite3_extended_errcode(db) & 0xff) == (rc & 0xff);
    std::string message = file.string();
    message += ": ";
    message += operation;
    message += " failed: ";
    message += current ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (const auto hint = hintFor(rc); !hint.empty()) {
        message += "; ";
        message += hint;
    }
    return Error{Errc::Storage, std::move(message)};
}

Error storageError(const std::filesystem::path& file, std::string_view what) {
    return Error{Errc::Storage, file.string() + ": " + std::string(what)};
}

Error systemError(const std::filesystem::path& file, std::string_view what, int err) {
    return storageError(file, std::string(what) + ": " + std::strerror(err));
}

}  // namespace lockhub::adapters::sqlite
