#include "app/RecordRetention.h"

#include <algorithm>
#include <string>

#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kRecordsTag = "records";
constexpr std::int64_t kMsPerDay = 86400000;

}  // namespace

RecordRetention::RecordRetention(RecordRetentionOptions options, ports::RecordStore& store,
                                 ports::Scheduler& scheduler)
    : options_(options), store_(store), scheduler_(scheduler) {}

RecordRetention::~RecordRetention() {
    scheduler_.cancel(timer_);
}

void RecordRetention::start() {
    scheduler_.cancel(timer_);
    timer_ = scheduler_.after(std::chrono::milliseconds(0), [this] { beginPass(); });
}

void RecordRetention::beginPass() {
    timer_ = 0;
    work_.clear();
    deletedBeforePass_ = deleted_;
    if (options_.maxPerLock > 0) {
        auto counts = store_.recordCounts();
        if (!counts) {
            log::error(kRecordsTag,
                       "cannot count the records for retention: " + counts.error().message);
        } else {
            for (const auto& lock : *counts) {
                if (lock.count > options_.maxPerLock) {
                    work_.push_back({lock.lockId, lock.count - options_.maxPerLock});
                }
            }
        }
    }
    ageLimited_ = options_.maxAgeDays > 0;
    cutoffMs_ = scheduler_.unixMillis() - options_.maxAgeDays * kMsPerDay;
    step();
}

// One bounded delete per turn: first the locks over their count, then everything over the age.
void RecordRetention::step() {
    timer_ = 0;
    if (!work_.empty()) {
        auto& excess = work_.front();
        const auto limit = static_cast<std::size_t>(
            std::min<std::int64_t>(excess.count, static_cast<std::int64_t>(options_.batch)));
        auto trimmed = store_.trimOldest(excess.lockId, limit);
        if (!trimmed) {
            log::error(kRecordsTag, "retention stopped: " + trimmed.error().message);
            work_.clear();
            ageLimited_ = false;
        } else {
            deleted_ += static_cast<std::int64_t>(*trimmed);
            excess.count -= static_cast<std::int64_t>(*trimmed);
            // Fewer than asked: the rest still wait for delivery, the next pass gets them.
            if (excess.count <= 0 || *trimmed < limit) {
                work_.pop_front();
            }
        }
    } else if (ageLimited_) {
        auto trimmed = store_.trimBefore(cutoffMs_, options_.batch);
        if (!trimmed) {
            log::error(kRecordsTag, "retention stopped: " + trimmed.error().message);
        }
        if (trimmed) {
            deleted_ += static_cast<std::int64_t>(*trimmed);
        }
        if (!trimmed || *trimmed < options_.batch) {
            ageLimited_ = false;
        }
    }
    if (running()) {
        timer_ = scheduler_.after(options_.pause, [this] { step(); });
    } else {
        finishPass();
    }
}

void RecordRetention::finishPass() {
    if (deleted_ > deletedBeforePass_) {
        log::info(kRecordsTag, "retention removed " +
                                   std::to_string(deleted_ - deletedBeforePass_) + " records");
    }
    timer_ = scheduler_.after(options_.interval, [this] { beginPass(); });
}

}  // namespace lockhub
