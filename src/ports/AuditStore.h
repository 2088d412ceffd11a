// Port: the audit trail (design §5 `audit`, issue 10): one row per command and per bridge
// operation that changes something, with who asked and how it ended. The SQLite adapter
// implements it, the app tests use tests/fakes/InMemoryAuditStore;
// tests/integration/store/AuditStoreContractTest.cpp holds both to the same behaviour.
// Nothing secret is ever an entry's field: the app passes names and outcomes, never a code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/Error.h"

namespace lockhub::ports {

struct AuditEntry {
    std::int64_t id = 0;              // assigned by the store, increasing, never reused
    std::int64_t atMs = 0;            // hub time, Unix milliseconds UTC
    std::string source;               // RequestSource: the actor, client id or "mqtt"
    std::string op;                   // a bridge op ("lock/remove") or a command ("set/UNLOCK")
    std::optional<std::string> lock;  // the lock's topic, when the request named one
    std::string result;               // "ok" or the error code / command outcome

    bool operator==(const AuditEntry&) const = default;
};

// Every set field narrows the result; `opPrefix` matches ops that start with it (the app turns
// "credential/*" into "credential/"). Rows come ordered by (atMs, id), strictly after `after`
// when it is set, at most `limit` of them.
struct AuditFilter {
    std::optional<std::string> lock = std::nullopt;
    std::optional<std::string> op = std::nullopt;
    std::optional<std::string> opPrefix = std::nullopt;
    std::optional<std::string> source = std::nullopt;
    std::optional<std::int64_t> sinceMs = std::nullopt;  // inclusive
    std::optional<std::int64_t> untilMs = std::nullopt;  // exclusive
    struct Position {
        std::int64_t atMs = 0;
        std::int64_t id = 0;
    };
    std::optional<Position> after = std::nullopt;
    std::size_t limit = 100;
};

class AuditStore {
public:
    virtual ~AuditStore() = default;
    // Stores every entry (their ids are ignored) in one transaction: all or nothing.
    virtual Result<void> append(const std::vector<AuditEntry>& entries) = 0;
    virtual Result<std::vector<AuditEntry>> query(const AuditFilter& filter) = 0;
};

}  // namespace lockhub::ports
