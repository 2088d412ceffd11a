// The audit trail (issue 10, design §5 `audit`): who asked for what and how it ended, for every
// `<lock>/set` command and every bridge operation that changes something, and the `audit/query`
// operation that reads it back (docs/mqtt-api.md).
//
// Auditing never holds up or stops a command: record() only queues the entry, and the entries
// of one loop turn are stored together on the next one (one transaction, like the event
// pipeline's group commit). When the store refuses them they stay queued and are tried again
// every few seconds; beyond kMaxPending the oldest are dropped, counted and logged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/BridgeService.h"
#include "ports/AuditStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

// Bridge operations that only read (`health`, `*/list`, `*/query`, `*/diagnose`) are not
// audited, so a monitor polling `health` does not fill the table; refusing one is audited.
bool isReadOnlyOp(std::string_view op);

class AuditLog {
public:
    static constexpr std::size_t kMaxPending = 1000;
    static constexpr std::size_t kMaxPage = 500;

    // Registers `audit/query` on the bridge.
    AuditLog(ports::AuditStore& store, ports::Scheduler& scheduler, BridgeService& bridge);
    // Stores what is still queued.
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    // `lock` is kept only when it is a valid topic name, so the table never holds a caller's
    // arbitrary text under that column.
    void record(std::string source, std::string op, std::optional<std::string> lock,
                std::string result);

    // Entries dropped because the store kept refusing them, since start.
    std::uint64_t dropped() const { return dropped_; }

private:
    void flush();
    Result<nlohmann::json> query(const nlohmann::json& body);

    ports::AuditStore& store_;
    ports::Scheduler& scheduler_;
    std::vector<ports::AuditEntry> pending_;
    ports::Scheduler::TimerId flushTimer_ = 0;
    bool failing_ = false;
    std::uint64_t dropped_ = 0;
};

}  // namespace lockhub
