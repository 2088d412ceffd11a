// Retention trimming against the loop's responsiveness (issue 12): lockhubd starts over a history
// of 120,000 records with `records.retention_count` 100,000, and trims the surplus in small
// transactions between other work. Meanwhile a subscriber asks `bridge/request/health` every
// 20 ms and times each answer. Reports the answers' median, p99 and slowest while the history was
// over the bound, how many there were, and how long the trimming took from the daemon's start.
// Prints "<key> <value>" lines for scripts/bench.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <thread>

#include "BenchHub.h"

using namespace lockhub::bench;
using namespace std::chrono_literals;

namespace {

constexpr int kSeeded = 120000;
constexpr int kRetained = 100000;

// A connection of the benchmark's own, beside the daemon's (WAL: readers do not block it).
class Db {
public:
    explicit Db(const std::filesystem::path& file) {
        BenchHub::need(sqlite3_open(file.c_str(), &db_) == SQLITE_OK,
                       "cannot open " + file.string());
        sqlite3_busy_timeout(db_, 5000);
    }
    ~Db() { sqlite3_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(const std::string& sql) {
        char* error = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
        const std::string why = error != nullptr ? error : "";
        sqlite3_free(error);
        BenchHub::need(rc == SQLITE_OK, "seeding failed: " + why);
    }
    std::int64_t records() {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db_, "SELECT count(*) FROM records", -1, &stmt, nullptr);
        const bool row = sqlite3_step(stmt) == SQLITE_ROW;
        const std::int64_t count = row ? sqlite3_column_int64(stmt, 0) : -1;
        sqlite3_finalize(stmt);
        BenchHub::need(row, "cannot count the records");
        return count;
    }

private:
    sqlite3* db_ = nullptr;
};

}  // namespace

int main() {
    try {
        BenchHub hub({.locks = 1, .daemonConfig = {{"records", {{"retention_count", kRetained}}}}});
        hub.restartDaemon([](const std::filesystem::path& database) {
            Db db(database);
            const auto now = static_cast<std::int64_t>(std::time(nullptr));
            // Old enough that none of them waits for the outbox; lock 1 is the paired lock.
            db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                    std::to_string(kSeeded) +
                    ") INSERT INTO records (lock_id, dp, value, lock_time, hub_time_ms, event_id, "
                    "event, method, payload) SELECT 1, 12, x'00000003', " +
                    std::to_string(now - 200000) + " + i, " +
                    std::to_string((now - 200000) * 1000) +
                    " + i * 1000, 'seed-' || i, 'unlock', 'fingerprint', "
                    "'{\"event\":\"unlock\"}' FROM n");
        });
        const auto started = Clock::now();
        Db db(hub.dir() / "state" / "lockhub.db");
        const std::string topic = "lockhub/bridge/response/health";
        std::vector<double> answers;
        std::int64_t count = kSeeded;
        const auto deadline = started + 120s;
        while (count > kRetained && Clock::now() < deadline) {
            const auto before = hub.probe().messagesOn(topic).size();
            const auto sent = Clock::now();
            hub.probe().publish("lockhub/bridge/request/health", "{}");
            auto answer = hub.probe().waitFor(topic, 5s, nullptr, before);
            BenchHub::need(answer.has_value(), "health did not answer within 5 s");
            count = db.records();
            if (count > kRetained) {
                answers.push_back(
                    std::chrono::duration<double, std::milli>(answer->at - sent).count());
            }
            std::this_thread::sleep_for(20ms);
        }
        BenchHub::need(count == kRetained, "the history was not trimmed to " +
                                               std::to_string(kRetained) + " (" +
                                               std::to_string(count) + " left)");
        BenchHub::need(!answers.empty(), "trimming was over before health was asked");
        const auto s = stats(answers);
        report("retention_health_median_ms", s.median);
        report("retention_health_p99_ms", s.p99);
        report("retention_health_max_ms", *std::max_element(answers.begin(), answers.end()));
        report("retention_health_samples", static_cast<double>(answers.size()));
        report("retention_trim_s", std::chrono::duration<double>(Clock::now() - started).count());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "retention benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
