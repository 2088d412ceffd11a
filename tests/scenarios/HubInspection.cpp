#include "scenarios/HubInspection.h"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>

#include "support/Process.h"

namespace lockhub::testing {
namespace {

std::string lower(std::string text) {
    for (auto& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

std::size_t entries(const std::filesystem::path& dir) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) {
        ++count;
    }
    return count;
}

}  // namespace

nlohmann::json queryDatabase(const std::filesystem::path& database, const std::string& sql) {
    // Each run its own output files (Process appends to a name's files), beside the state
    // directory rather than in it, which may be a full disk.
    static int runs = 0;
    Process shell("sqlite3-" + std::to_string(++runs), {"sqlite3", "-json", database.string(), sql},
                  database.parent_path().parent_path());
    const auto status = shell.waitExit(std::chrono::seconds(10));
    EXPECT_TRUE(status && status->exited && status->code == 0) << describe(shell);
    const auto text = shell.stdoutText();
    if (text.find('[') == std::string::npos) {
        return nlohmann::json::array();  // no rows: the shell prints nothing
    }
    return nlohmann::json::parse(text);
}

std::set<RecordKey> storedRecords(const std::filesystem::path& database) {
    std::set<RecordKey> keys;
    for (const auto& row :
         queryDatabase(database, "SELECT dp, hex(value) AS value, lock_time FROM records")) {
        if (!row["lock_time"].is_null()) {
            keys.emplace(row["dp"].get<int>(), lower(row["value"].get<std::string>()),
                         row["lock_time"].get<std::int64_t>());
        }
    }
    return keys;
}

RecordKey recordKeyOf(const nlohmann::json& acked) {
    return {acked["dp"].get<int>(), lower(acked["value_hex"].get<std::string>()),
            acked["lock_time"].get<std::int64_t>()};
}

std::size_t openFiles(pid_t pid) {
    return entries("/proc/" + std::to_string(pid) + "/fd");
}

std::size_t threads(pid_t pid) {
    return entries("/proc/" + std::to_string(pid) + "/task");
}

}  // namespace lockhub::testing
