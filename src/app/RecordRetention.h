// Keeps the history bounded (issue 12, config "records"): at most `retention_count` records per
// lock and none older than `retention_days`, oldest by hub time first. A pass runs at start and
// then every `interval`; it deletes at most `batch` rows per loop turn with a pause between turns,
// so a hub that must drop 20,000 records keeps answering requests and storing new records while
// it does. The store never deletes a record whose outbox message is still waiting for its PUBACK,
// so trimming cannot lose an event nobody has seen yet.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

#include "ports/RecordStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct RecordRetentionOptions {
    std::int64_t maxPerLock = 100000;  // config records.retention_count (0: no count limit)
    std::int64_t maxAgeDays = 730;     // config records.retention_days (0: no age limit)
    std::size_t batch = 500;
    std::chrono::milliseconds pause{10};
    std::chrono::milliseconds interval{std::chrono::hours(1)};
};

class RecordRetention {
public:
    RecordRetention(RecordRetentionOptions options, ports::RecordStore& store,
                    ports::Scheduler& scheduler);
    ~RecordRetention();
    RecordRetention(const RecordRetention&) = delete;
    RecordRetention& operator=(const RecordRetention&) = delete;

    // Starts the first pass on the next loop turn.
    void start();
    bool running() const { return !work_.empty() || ageLimited_; }
    std::int64_t deleted() const { return deleted_; }

private:
    struct Excess {
        std::int64_t lockId;
        std::int64_t count;  // records to delete; new ones arriving meanwhile only add to it
    };

    void beginPass();
    void step();
    void finishPass();

    RecordRetentionOptions options_;
    ports::RecordStore& store_;
    ports::Scheduler& scheduler_;
    std::deque<Excess> work_;
    bool ageLimited_ = false;
    std::int64_t cutoffMs_ = 0;
    std::int64_t deleted_ = 0;
    std::int64_t deletedBeforePass_ = 0;
    ports::Scheduler::TimerId timer_ = 0;
};

}  // namespace lockhub
