// The lock's record of offline codes it has seen (reference §3.3): 200 slots of status, type and
// the plaintext's 9-digit body. A plain value, so the simulator can persist and inspect it and the
// hub can keep one per lock; the rules that read and write it live in OfflineCodeVerifier.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <tl/expected.hpp>

#include "domain/codes/CodeError.h"
#include "domain/codes/OfflineCodePlaintext.h"

namespace lockhub::domain::codes {

enum class OfflineEntryStatus : std::uint8_t {
    Unused = 0,
    Invalid = 1,  // used-up one-time or clear-all, or a cleared timed code
    Valid = 2,    // an activated timed code
};

struct OfflineCodeEntry {
    OfflineEntryStatus status = OfflineEntryStatus::Unused;
    OfflineCodeType type = OfflineCodeType::Timed;
    std::uint32_t body = 0;  // plaintext digits 1-9

    bool operator==(const OfflineCodeEntry&) const = default;
};

enum class ClearOneOutcome { Cleared, AlreadyInvalid, NotFound };

class OfflineCodeTable {
public:
    static constexpr std::size_t kCapacity = 200;
    static constexpr std::uint32_t kMaxBody = 999'999'999;
    using Entries = std::array<OfflineCodeEntry, kCapacity>;

    OfflineCodeTable() = default;
    // For a table read back from storage. MalformedTable for a status or type the lock never
    // stores (a clear-one is never stored) or a body over 9 digits.
    static tl::expected<OfflineCodeTable, CodeErrc> fromEntries(const Entries& entries);

    const Entries& entries() const { return entries_; }

    // The first used slot holding exactly this type and body.
    std::optional<OfflineCodeEntry> find(OfflineCodeType type, std::uint32_t body) const;

    // Stores into the slot the lock would pick and returns it: the first unused or expired slot,
    // else the invalid timed entry that ends first, the valid timed entry that starts first, the
    // one-time entry that ends first, the clear-all entry that ends first (ties: lowest slot).
    std::size_t insert(const OfflineCodeEntry& entry, std::uint32_t t0, std::int64_t now);

    // The lock's clear-one: the first used slot with this body, whatever its type, decides.
    ClearOneOutcome clearOne(std::uint32_t body);

    // Marks every valid entry invalid; true if there was one.
    bool invalidateAllValid();

private:
    explicit OfflineCodeTable(const Entries& entries) : entries_(entries) {}

    Entries entries_{};
};

}  // namespace lockhub::domain::codes
