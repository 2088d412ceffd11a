// Sample locks and events, and the SQLite lock store on a state directory, shared by the lock
// store tests so each states only what it checks.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/sqlite/SecretsKey.h"
#include "adapters/sqlite/SqliteLockStore.h"
#include "adapters/sqlite/SqliteStore.h"
#include "ports/LockStore.h"

namespace lockhub::ports {

// For gtest: a policy in a failed EXPECT_EQ reads as its fields, not as bytes.
inline void PrintTo(const LockPolicy& policy, std::ostream* os) {
    const auto field = [os](const char* name, const auto& value) {
        *os << name << '=';
        if (value) {
            *os << *value;
        } else {
            *os << "default";
        }
    };
    *os << '{';
    field("mode", policy.mode);
    field(" keepAliveS", policy.keepAliveS);
    field(" pollIntervalS", policy.pollIntervalS);
    field(" availabilityTimeoutS", policy.availabilityTimeoutS);
    *os << '}';
}

}  // namespace lockhub::ports

namespace lockhub::testing {

// Distinctive enough that finding them in a file means they were stored in clear.
inline constexpr const char* kLocalKey = "Kx7!local-key-PLAINTEXT-4f1e";
inline constexpr const char* kUuid = "uuidPLAINTEXT123";
inline constexpr const char* kDeviceId = "vdevo-PLAINTEXT-id-007";

inline ports::LockRecord sampleLock(const std::string& topic, const std::string& mac) {
    ports::LockRecord lock;
    lock.topic = topic;
    lock.name = topic + " door";
    lock.mac = mac;
    lock.productId = "pid-" + topic;
    lock.uuid = kUuid;
    lock.deviceId = kDeviceId;
    lock.localKey = SecretString(kLocalKey);
    lock.protocolVersion = 4;
    return lock;
}

// DP 19 = 0x0003 from lock `lockId`, received 250 ms after `lockTime` (or at a fixed time for an
// untimed record); the payload names the event id, so outbox rows are easy to tell apart.
inline ports::StoredEvent sampleEvent(std::int64_t lockId, std::optional<std::int64_t> lockTime,
                                      std::string eventId) {
    ports::StoredEvent event;
    event.lockId = lockId;
    event.dp = 19;
    event.value = {0x00, 0x03};
    event.lockTime = lockTime;
    event.hubTimeMs = lockTime.value_or(1700000000) * 1000 + 250;
    event.topic = "lockhub/front/event";
    event.payload = R"({"event_id":")" + eventId + R"("})";
    event.eventId = std::move(eventId);
    return event;
}

// `count` events of lock `lockId` at lock times 1700000100, 1700000101, ... with event ids
// "ev-0", "ev-1", ...
inline std::vector<ports::StoredEvent> sampleBatch(std::int64_t lockId, int count) {
    std::vector<ports::StoredEvent> events;
    for (int i = 0; i < count; ++i) {
        events.push_back(sampleEvent(lockId, 1700000100 + i, "ev-" + std::to_string(i)));
    }
    return events;
}

inline std::vector<std::int64_t> idsOf(const std::vector<ports::OutboxEntry>& entries) {
    std::vector<std::int64_t> ids;
    for (const auto& entry : entries) {
        ids.push_back(entry.id);
    }
    return ids;
}

template <typename T>
T valueOrThrow(Result<T> result) {
    if (!result) {
        throw std::runtime_error(result.error().message);
    }
    return std::move(*result);
}

// recordEvents for a batch of one: what became of that event.
inline Result<ports::RecordOutcome::Kind> recordOne(ports::LockStore& store,
                                                    const ports::StoredEvent& event) {
    auto outcomes = store.recordEvents(std::span(&event, 1));
    if (!outcomes) {
        return tl::unexpected(std::move(outcomes.error()));
    }
    if (outcomes->size() != 1) {
        throw std::runtime_error("a batch of one gave " + std::to_string(outcomes->size()) +
                                 " outcomes");
    }
    return outcomes->front().kind;
}

// One daemon run: the store, its key and the lock store on top.
class Hub {
public:
    explicit Hub(const std::filesystem::path& stateDir,
                 std::optional<std::filesystem::path> credentials = std::nullopt,
                 std::size_t outboxLimit = adapters::sqlite::SqliteLockStore::kDefaultOutboxLimit)
        : store_(valueOrThrow(adapters::sqlite::SqliteStore::open(stateDir))),
          locks_(store_.database(),
                 valueOrThrow(adapters::sqlite::loadSecretBox(stateDir, credentials)),
                 outboxLimit) {}

    adapters::sqlite::SqliteLockStore& locks() { return locks_; }
    adapters::sqlite::Database& db() { return store_.database(); }
    std::int64_t count(std::string_view sql) { return db().queryInt(sql).value(); }
    void close() { ASSERT_TRUE(store_.close().has_value()); }

private:
    adapters::sqlite::SqliteStore store_;
    adapters::sqlite::SqliteLockStore locks_;
};

}  // namespace lockhub::testing
