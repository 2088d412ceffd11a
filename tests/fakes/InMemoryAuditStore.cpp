#include "tests/fakes/InMemoryAuditStore.h"

#include <algorithm>
#include <tuple>

namespace lockhub::fakes {

Result<void> InMemoryAuditStore::append(const std::vector<ports::AuditEntry>& entries) {
    if (failWrites_) {
        return fail(Errc::Storage, "in-memory audit store: writes fail (test)");
    }
    if (entries.empty()) {
        return {};
    }
    for (auto entry : entries) {
        entry.id = nextId_++;
        rows_.push_back(std::move(entry));
    }
    ++appends_;
    return {};
}

Result<std::vector<ports::AuditEntry>> InMemoryAuditStore::query(const ports::AuditFilter& filter) {
    std::vector<ports::AuditEntry> matching;
    for (const auto& row : rows_) {
        const bool keep = (!filter.lock || row.lock == filter.lock) &&
                          (!filter.op || row.op == *filter.op) &&
                          (!filter.opPrefix || row.op.starts_with(*filter.opPrefix)) &&
                          (!filter.source || row.source == *filter.source) &&
                          (!filter.sinceMs || row.atMs >= *filter.sinceMs) &&
                          (!filter.untilMs || row.atMs < *filter.untilMs) &&
                          (!filter.after || std::tie(row.atMs, row.id) >
                                                std::tie(filter.after->atMs, filter.after->id));
        if (keep) {
            matching.push_back(row);
        }
    }
    std::sort(matching.begin(), matching.end(), [](const auto& a, const auto& b) {
        return std::tie(a.atMs, a.id) < std::tie(b.atMs, b.id);
    });
    if (matching.size() > filter.limit) {
        matching.resize(filter.limit);
    }
    return matching;
}

}  // namespace lockhub::fakes
