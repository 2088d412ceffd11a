// Helpers shared by the store tests: file bytes, schema dumps, and opening the store in a child
// process that cannot bypass file permissions.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "adapters/sqlite/Database.h"

namespace lockhub::testing {

std::vector<std::uint8_t> fileBytes(const std::filesystem::path& file);
void writeBytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes);
mode_t modeOf(const std::filesystem::path& path);

// Every schema object as "type name: sql", sorted, one per line: equal dumps mean equal schemas.
std::string schemaDump(adapters::sqlite::Database& db);
std::int64_t userVersion(adapters::sqlite::Database& db);

// The tests run as root, which ignores file modes. Permission tests therefore open the store in
// a forked child that drops to this uid/gid first (nobody), or stays as is when not root.
uid_t unprivilegedUid();
// Gives `path` to the unprivileged user, so the child owns it the way lockhubd owns its state.
void giveToUnprivileged(const std::filesystem::path& path);
// Lets the unprivileged user reach paths below `dir` (a 0700 temp dir) without listing it.
void allowTraversal(const std::filesystem::path& dir);

enum class ChildSetup {
    Unprivileged,      // drop to unprivilegedUid() before opening
    ReadOnlyBindMount  // private mount namespace, `stateDir` bind-mounted read-only, still root
};

struct ChildOutcome {
    bool opened = false;
    std::string message;  // the error message when !opened
};

// Runs SqliteStore::open(stateDir) in a forked child set up as asked. std::nullopt means the
// setup itself is impossible here (e.g. no permission to create a mount namespace).
std::optional<ChildOutcome> openStoreInChild(const std::filesystem::path& stateDir,
                                             ChildSetup setup);

// Runs a statement a test sets up with; throws (failing the test) when SQLite refuses it.
void execOrThrow(adapters::sqlite::Database& db, std::string_view sql);

// gtest's names for a contract's two implementations: "Sqlite" for `SqliteSubject`, "InMemory"
// for the fake.
template <typename SqliteSubject>
struct ImplementationName {
    template <typename T>
    static std::string GetName(int) {
        return std::is_same_v<T, SqliteSubject> ? "Sqlite" : "InMemory";
    }
};

}  // namespace lockhub::testing
