#include "domain/codes/OfflineCodeTable.h"

#include <algorithm>
#include <tuple>

namespace lockhub::domain::codes {
namespace {

bool isStorable(const OfflineCodeEntry& entry) {
    const bool knownStatus = entry.status == OfflineEntryStatus::Unused ||
                             entry.status == OfflineEntryStatus::Invalid ||
                             entry.status == OfflineEntryStatus::Valid;
    const bool storedType = entry.type == OfflineCodeType::Timed ||
                            entry.type == OfflineCodeType::OneTime ||
                            entry.type == OfflineCodeType::ClearAll;
    return knownStatus && storedType && entry.body <= OfflineCodeTable::kMaxBody;
}

struct EntryTimes {
    std::int64_t start;
    std::int64_t end;
};

// A timed entry ends at its own end; one-time and clear-all entries are spent once their
// activation window has passed.
EntryTimes timesOf(const OfflineCodeEntry& entry, std::uint32_t t0) {
    const std::uint32_t startHours = entry.body / (OfflineCodePlaintext::kMaxField + 1);
    const std::uint32_t field = entry.body % (OfflineCodePlaintext::kMaxField + 1);
    const std::int64_t start =
        hourFloor(t0) + static_cast<std::int64_t>(startHours) * kSecondsPerHour;
    const std::int64_t span = entry.type == OfflineCodeType::Timed
                                  ? static_cast<std::int64_t>(field) * kSecondsPerHour
                                  : activationWindowSeconds(entry.type).value_or(0);
    return {start, start + span};
}

bool isUsed(const OfflineCodeEntry& entry) {
    return entry.status != OfflineEntryStatus::Unused;
}

}  // namespace

tl::expected<OfflineCodeTable, CodeErrc> OfflineCodeTable::fromEntries(const Entries& entries) {
    if (!std::all_of(entries.begin(), entries.end(), isStorable)) {
        return tl::unexpected(CodeErrc::MalformedTable);
    }
    return OfflineCodeTable(entries);
}

std::optional<OfflineCodeEntry> OfflineCodeTable::find(OfflineCodeType type,
                                                       std::uint32_t body) const {
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& entry) {
        return isUsed(entry) && entry.type == type && entry.body == body;
    });
    if (it == entries_.end()) {
        return std::nullopt;
    }
    return *it;
}

std::size_t OfflineCodeTable::insert(const OfflineCodeEntry& entry, std::uint32_t t0,
                                     std::int64_t now) {
    // Each slot's claim to be overwritten, lowest first: (preference class, time, slot).
    using Rank = std::tuple<int, std::int64_t, std::size_t>;
    Rank best{5, 0, 0};
    for (std::size_t slot = 0; slot < kCapacity; ++slot) {
        const OfflineCodeEntry& current = entries_[slot];
        Rank rank;
        if (!isUsed(current)) {
            rank = {0, 0, slot};
        } else {
            const EntryTimes times = timesOf(current, t0);
            if (times.end < now) {
                rank = {0, 0, slot};
            } else if (current.type == OfflineCodeType::Timed) {
                rank = current.status == OfflineEntryStatus::Invalid ? Rank{1, times.end, slot}
                                                                     : Rank{2, times.start, slot};
            } else {
                rank = {current.type == OfflineCodeType::OneTime ? 3 : 4, times.end, slot};
            }
        }
        best = std::min(best, rank);
    }
    const std::size_t chosen = std::get<2>(best);
    entries_[chosen] = entry;
    return chosen;
}

ClearOneOutcome OfflineCodeTable::clearOne(std::uint32_t body) {
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& entry) {
        return isUsed(entry) && entry.body == body;
    });
    if (it == entries_.end()) {
        return ClearOneOutcome::NotFound;
    }
    if (it->status == OfflineEntryStatus::Invalid) {
        return ClearOneOutcome::AlreadyInvalid;
    }
    it->status = OfflineEntryStatus::Invalid;
    return ClearOneOutcome::Cleared;
}

bool OfflineCodeTable::invalidateAllValid() {
    bool any = false;
    for (auto& entry : entries_) {
        if (entry.status == OfflineEntryStatus::Valid) {
            entry.status = OfflineEntryStatus::Invalid;
            any = true;
        }
    }
    return any;
}

}  // namespace lockhub::domain::codes
