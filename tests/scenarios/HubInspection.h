// What the scenario tests read from outside the daemon: its database through the sqlite3 shell
// (WAL readers may run beside it) and its file descriptors and threads from /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>

namespace lockhub::testing {

// A record as the lock and the records table both know it: dp, value hex (lower case), lock time.
using RecordKey = std::tuple<int, std::string, std::int64_t>;

// `sql` run by `sqlite3 -json`: the rows, an empty array when there are none.
nlohmann::json queryDatabase(const std::filesystem::path& database, const std::string& sql);
// The timed rows of the records table.
std::set<RecordKey> storedRecords(const std::filesystem::path& database);
// A `lockhub-sim ctl acked` entry as a RecordKey.
RecordKey recordKeyOf(const nlohmann::json& acked);

// Entries of /proc/<pid>/fd and /proc/<pid>/task.
std::size_t openFiles(pid_t pid);
std::size_t threads(pid_t pid);

}  // namespace lockhub::testing
